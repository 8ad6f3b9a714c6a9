"""Speech worker starts per minute when eSpeak NG crashes as it starts.

The voice's planner (the app's, with its real worker process) is asked for a new cue
every ``--every`` seconds of wall time, as a session's phases do, for ``--seconds``, with
``ESPEAK_DATA_PATH`` pointing at an empty folder: eSpeak NG then prints an error and exits
the worker as it starts. Every start of the worker is counted.

    python bench/engine_crash.py [--seconds 60] [--every 1.5]

The last line is ``engine-crash: starts_per_minute=<x> cues=<n>``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stretchcoach.voice.cache import SpeechCache, VoiceSetting  # noqa: E402
from stretchcoach.voice.planner import VoicePlanner  # noqa: E402
from stretchcoach.voice.synth import WORKER_COMMAND, Synthesizer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--every", type=float, default=1.5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="stretchcoach-engine-crash-"))
    (home / "espeak-data").mkdir()
    os.environ.update(ESPEAK_DATA_PATH=str(home / "espeak-data"), STRETCHCOACH_ESPEAK="system")
    log = home / "starts"
    counting = ("sh", "-c", 'echo started >> "$0" && exec "$@"', str(log), *WORKER_COMMAND)
    notices: list[str | None] = []
    idle = threading.Event()
    planner = VoicePlanner(
        VoiceSetting(),
        Synthesizer(SpeechCache(home / "speech"), counting),
        on_notice=notices.append,
        on_idle=idle.set,
    )
    started = time.monotonic()
    cues = 0
    while time.monotonic() - started < args.seconds:
        idle.clear()
        planner.want(f"Cue number {cues}.")
        cues += 1
        idle.wait(args.every)
        time.sleep(max(0.0, started + cues * args.every - time.monotonic()))
    planner.close()
    count = len(log.read_text().splitlines()) if log.exists() else 0
    shutil.rmtree(home, ignore_errors=True)
    minutes = (time.monotonic() - started) / 60
    print(f"notice: {notices[0] if notices else None}")
    print(f"engine-crash: starts_per_minute={count / minutes:.1f} cues={cues}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
