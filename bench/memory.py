"""Memory after whole sessions, its growth over many more, and CPU while paused.

The app is built as ``stretchcoach`` builds it (``stretchcoach.ui.app.App``: window,
illustration, breath pacer, voice with its synthesis thread and worker process), on Qt's
offscreen platform, and runs the default routine start to finish on the real Qt event
loop. To make a 10-minute routine take seconds, its clock runs ``--warp`` times faster than
the wall clock (a ``Scheduler`` on one precise ``QTimer``, like the app's, whose seconds
are shorter); the pace is the fastest the settings allow and set-up steps move on by
themselves after 5 (warped) seconds. Everything else, animation frames included, is real.

    python bench/memory.py [--runs 20] [--warp 100] [--paused-seconds 10] [--cues-wait 600]

It prints the resident memory (RSS) after the first whole routine, once the voice has made
every cue it was given (at most ``--cues-wait`` seconds: the natural voice makes the
default routine's in about half a minute on a quiet machine, while the first runs go on;
the growth it brings is the cache filling, once, not what a session leaves behind), after
``--runs`` more in the same process, and the process's CPU time over ``--paused-seconds``
of wall time while a session is paused. The last line is ``memory: rss_mb=<x> growth_mb=<x>``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")
_HOME = tempfile.mkdtemp(prefix="stretchcoach-memory-")
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(Path(_HOME) / _var.lower())

# Before any Qt module, as the app imports it (see the ``stretchcoach.ui`` docstring).
importlib.import_module("stretchcoach.ui")

from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from stretchcoach import settings as settings_store  # noqa: E402
from stretchcoach.coach.states import State  # noqa: E402
from stretchcoach.settings import Settings, SettingsStore  # noqa: E402
from stretchcoach.ui.app import App, Services  # noqa: E402
from stretchcoach.ui.audio import VoicePlayer  # noqa: E402
from stretchcoach.ui.scheduler import QtScheduler  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def wait(until: Callable[[], bool], timeout: float, *, give_up: bool = False) -> bool:
    """Run the event loop until ``until()`` holds (or, with ``give_up``, the time is up:
    then it returns False)."""
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            if give_up:
                return False
            raise SystemExit(f"gave up after {timeout:.0f} s")
        loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    return True


def press_escape(widget: QWidget) -> None:
    """Esc, as the keyboard sends it (not with QtTest: the app does not load it, so
    neither does the measure of its memory)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            widget, QKeyEvent(kind, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
        )


def measure_paused(app: QApplication, seconds: float) -> None:
    """Print the process's CPU over ``seconds`` of a paused session."""
    settle = time.monotonic() + 1.0  # let the pause reach the sound output
    wait(lambda: time.monotonic() > settle, timeout=5)
    cpu, wall = time.process_time(), time.monotonic()
    QTimer.singleShot(round(seconds * 1000), app.quit)
    app.exec()
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    print(f"paused: {100 * cpu / wall:.2f} % of a core ({cpu * 1000:.0f} ms CPU in {wall:.1f} s)")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warp", type=float, default=100.0)
    parser.add_argument("--paused-seconds", type=float, default=10.0)
    parser.add_argument("--cues-wait", type=float, default=600.0, help="seconds at most")
    return parser.parse_args()


def main() -> int:
    args = arguments()
    app = QApplication(sys.argv[:1])
    fast = Settings(inhale=1.5, exhale=1.5, get_ready=0, auto_advance=5, seen_safety_note=True)
    settings_store.save(fast)
    clock = QtScheduler(warp=args.warp)
    voices: list[VoicePlayer] = []

    def services(store: SettingsStore) -> Services:
        voices.append(VoicePlayer(store))
        return Services(clock, voices[-1])

    stretchcoach = App(None, services)
    stretchcoach.show()
    controller = stretchcoach.ready()
    window = stretchcoach.window

    def again() -> None:
        """The end screen's Again, after Esc on the journal's questions (as a person can)."""
        completion = window.completion
        assert completion is not None
        if completion.asking:
            press_escape(completion.questions)
        window.actions_.again.trigger()

    def one_run() -> float:
        started = time.monotonic()
        if window.current_screen() is window.completion:
            again()
        else:
            window.actions_.start.trigger()
        wait(lambda: window.current_screen() is window.completion, timeout=600)
        return time.monotonic() - started

    seconds = one_run()
    print(f"run  1: {seconds:5.1f} s wall, RSS {rss_mb():6.1f} MB")
    waited = time.monotonic()
    made = wait(lambda: not voices[-1].planner.busy, timeout=args.cues_wait, give_up=True)
    first = rss_mb()
    cues = "made" if made else "still being made"
    print(f"cues {cues} {time.monotonic() - waited:5.1f} s later, RSS {first:6.1f} MB")
    for n in range(args.runs):
        seconds = one_run()
        print(f"run {n + 2:2}: {seconds:5.1f} s wall, RSS {rss_mb():6.1f} MB")
    last = rss_mb()

    clock.warp = 1.0  # a session at the real pace, on its first breath step, paused
    again()
    session = controller.session
    assert session is not None
    while session.plans[session.step_index].step.is_manual:
        window.actions_.next.trigger()
    window.actions_.toggle.trigger()
    assert session.state is State.PAUSED
    measure_paused(app, args.paused_seconds)
    stretchcoach.close()
    print(f"memory: rss_mb={first:.1f} growth_mb={last - first:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
