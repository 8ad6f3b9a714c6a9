"""SIGKILL during settings saves: is the file ever bad, and what is left behind?

A child process saves the settings in a loop (``stretchcoach.settings.save``, as every
change in the window does) and is killed with SIGKILL as soon as it has saved once, so the
kill lands at any point of a save; ``--kills`` times, in private folders. After each kill
the settings file must load without a notice. Then ``stretchcoach list`` starts, as the
next start would, and the temporary files left beside the settings are counted again.

    python bench/kill_saves.py [--kills 50]

The last line is ``kill9: kills=<n> bad_files=<n> leftovers=<n> leftovers_after_start=<n>``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import ValidationError  # noqa: E402

from stretchcoach.appid import APP_ID  # noqa: E402
from stretchcoach.settings import Settings  # noqa: E402

SAVER = """\
from stretchcoach.settings import Settings, save
n = 0
while True:
    save(Settings(rate=80 + n % 180, inhale=1.5 + n % 100 / 10))
    n += 1
    if n == 1:
        print("saving", flush=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="stretchcoach-kill-saves-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(home / "config")}
    env.update(XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    folder = home / "config" / APP_ID
    bad = 0
    for _ in range(args.kills):
        child = subprocess.Popen(
            [sys.executable, "-c", SAVER], env=env, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        child.stdout.readline()
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        try:  # read as it is: loading it would already tidy up, as a start does
            Settings.model_validate_json((folder / "settings.json").read_bytes())
        except (OSError, ValidationError):
            bad += 1
    leftovers = len(list(folder.glob(".settings.json.*.tmp")))
    subprocess.run(
        [sys.executable, "-m", "stretchcoach", "list"], env=env, capture_output=True, check=True
    )
    after = len(list(folder.glob(".settings.json.*.tmp")))
    shutil.rmtree(home, ignore_errors=True)
    print(
        f"kill9: kills={args.kills} bad_files={bad} leftovers={leftovers} "
        f"leftovers_after_start={after}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
