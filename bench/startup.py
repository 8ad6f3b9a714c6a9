"""Start-up time: launching StretchCoach until its routine list is painted, beside a bare window.

Each run starts a fresh Python process. The parent notes the monotonic clock (system-wide
on Linux) just before it starts the child; the child prints the clock when the viewport
of a non-empty list widget receives its first paint event, and quits. The app run goes
through ``stretchcoach.cli.main`` exactly as the ``stretchcoach`` command does; the bare
run imports PySide6, shows a window with a three-item list, and stops at the same event.
Runs alternate app and bare, so both see the same machine state; the figure is the median
of 20 of each (with 10, runs of the same code gave ratios from 1.34 to 1.57 on a shared
machine).

Run it on a display (it re-runs itself under ``xvfb-run`` when there is none):

    python bench/startup.py [--runs 20]

The app starts as it does every day: its first frame remembered from the start before
(``stretchcoach.ui.first_frame``). A third run each round starts it with nothing
remembered, as on the very first start or after a routine file changed.

The last line is ``startup: app_ms=<x> bare_ms=<x> ratio=<x> first_start_ms=<x>``. Settings
and routines come
from a private temporary folder, so the person's own files are neither read nor changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stretchcoach.appid import APP_ID  # noqa: E402

PROBE = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QListWidget

app = QApplication(sys.argv[:1])

class FirstListPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            owner = watched.parent()
            if isinstance(owner, QListWidget) and owner.count() and watched is owner.viewport():
                print(time.monotonic(), flush=True)
                app.removeEventFilter(self)
                app.exit(0)
        return False

probe = FirstListPaint()
app.installEventFilter(probe)
"""

# ``stretchcoach.ui`` first, as the command imports it before any Qt module (it takes
# PySide6's import hook out again: see its docstring), then the probe's Qt, then the
# command itself, as a launcher runs it.
APP = (
    "import stretchcoach.ui\n"
    + PROBE
    + """
from stretchcoach.cli import main
sys.exit(main([]))
"""
)

BARE = (
    PROBE
    + """
from PySide6.QtWidgets import QVBoxLayout, QWidget
window = QWidget()
window.setWindowTitle("bare")
QVBoxLayout(window).addWidget(QListWidget())
window.findChild(QListWidget).addItems(["one", "two", "three"])
window.resize(1280, 800)
window.show()
sys.exit(app.exec())
"""
)


def once(code: str, env: dict[str, str]) -> float:
    """Milliseconds from starting the child to its first painted list."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    if result.returncode != 0 or not result.stdout.strip():
        raise SystemExit(f"the child failed ({result.returncode}):\n{result.stderr[-2000:]}")
    painted = float(result.stdout.split()[0])
    return (painted - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        if not shutil.which("xvfb-run"):
            raise SystemExit("no display: install xvfb (and xauth) or set DISPLAY")
        screen = "-screen 0 1280x800x24 -noreset"  # -noreset: see tests/desktop_helpers.xvfb
        command = ["xvfb-run", "-a", "-s", screen, sys.executable, __file__]
        return subprocess.call([*command, *sys.argv[1:]])
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        # An installed StretchCoach starts from bytecode (pip compiles it); a shell with
        # PYTHONDONTWRITEBYTECODE (this kind of machine has it) would have every start
        # compile the app's sources anew: 25 ms (5 %) that no user's start pays.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            env[var] = str(Path(home) / var.lower())
        once(APP, env)  # the first run fills the disk cache and Python's bytecode cache
        once(BARE, env)
        remembered = Path(env["XDG_CACHE_HOME"]) / APP_ID / "first-frame.json"
        app_ms, bare_ms, first_ms = [], [], []
        for n in range(args.runs):
            app_ms.append(once(APP, env))
            bare_ms.append(once(BARE, env))
            remembered.unlink()  # as on the first start, or after a routine file changed
            first_ms.append(once(APP, env))
            print(
                f"run {n + 1:2}: app {app_ms[-1]:6.1f} ms   bare {bare_ms[-1]:6.1f} ms   "
                f"app with nothing remembered {first_ms[-1]:6.1f} ms"
            )
    app, bare = statistics.median(app_ms), statistics.median(bare_ms)
    first = statistics.median(first_ms)
    print(
        f"startup: app_ms={app:.0f} bare_ms={bare:.0f} ratio={app / bare:.2f} "
        f"first_start_ms={first:.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
