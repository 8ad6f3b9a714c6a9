"""The app as a person runs it, with a stopwatch: the child process of ``test_desktop_e2e``.

    python tests/desktop_driver.py SCENARIO ROUTINE RESULT.json [SECONDS]

It launches StretchCoach exactly as the ``stretchcoach`` command does (``ui.app.launch``:
the real window on the X server in ``DISPLAY``, the real speech worker and sound output
process, the person's settings from ``XDG_CONFIG_HOME``), then acts as the person would,
with real key events to the window:

- ``routine``: once the routine's cues are prepared, Space to acknowledge the first-run
  safety note and Space to start; Space again ("I'm ready") whenever a set-up step waits;
  to the end of the routine.
- ``hammer``: starts the routine, then for SECONDS presses Space (pause or go on), →, ←,
  R and C at random moments (a fixed seed), and quits.

Meanwhile it records what the tests judge: a 10 ms probe timer's gaps (event-loop stalls;
for each, how much of it was the machine's: the GUI thread, or the thread holding the GIL
it waits for, waiting for a CPU that other processes held, or the virtual machine's CPUs
stolen by its host (``MachineShare``), so a test on a shared machine can tell the app's
own stalls from the machine's), every phase the session starts, every sound the output
process starts (cue or chime), the notices, pauses and resumes, and how many sound output
processes ran at once. All times are on the monotonic clock, which the test shares. The
result goes to RESULT.json; ``started`` is written beside it when the session starts.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from desktop_helpers import MachineShare
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest

from stretchcoach.coach.ports import Finished, PhaseKind, PhaseStarted
from stretchcoach.ui.app import App, launch

PROBE_MS = 10
PERSON_DELAY_MS = 600  # how long a person takes to press Space when a step waits
PREPARE_BOUND_MS = 240_000  # start without every cue made, if making them takes this long
HAMMER_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_R, Qt.Key.Key_C)


def output_processes() -> int:
    """Sound output processes running now among this process's children (Linux)."""
    count = 0
    for task in Path("/proc/self/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:  # a thread that just ended
            continue
        for pid in children:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            count += b"output_process" in cmdline and state != "Z"
    return count


class Driver(QObject):
    def __init__(self, app: App, scenario: str, result: Path, seconds: float) -> None:
        super().__init__()
        self.app, self.scenario, self.result_path = app, scenario, result
        self.seconds = seconds
        self.result: dict[str, Any] = {
            "scenario": scenario, "phases": [], "cues": [], "sounds": [], "notices": [],
            "stalls": [], "pauses": [], "completed": None, "screen": None,
            "output_processes_max": 0, "keys": [],
        }  # fmt: skip
        self.last_tick, self.machine = time.monotonic(), MachineShare(threads=True)
        self.probing = False
        self.stack = ""
        threading.Thread(target=self.watch, name="stall-watch", daemon=True).start()
        self.probe = QTimer(self)
        self.probe.setTimerType(Qt.TimerType.PreciseTimer)
        self.probe.timeout.connect(self.tick)
        self.probe.start(PROBE_MS)
        self.random = random.Random(20261202)
        QTimer.singleShot(20 * 60 * 1000, self.give_up)  # never hang a test run
        QTimer.singleShot(0, self.when_built)

    # --- watching ---------------------------------------------------------------------

    def tick(self) -> None:
        now, waited = time.monotonic(), self.machine.since_last()
        gap = (now - self.last_tick) * 1000 - PROBE_MS
        self.last_tick = now
        if self.probing and gap > 50:
            self.result["stalls"].append([now, round(gap, 1), round(waited, 1), self.stack])
        self.stack = ""

    def watch(self) -> None:
        """On a thread of its own: count the sound output processes every half second, and
        when the GUI thread is 60 ms late, note what it is doing (its Python stack), so a
        stall can be traced to its cause."""
        main = threading.main_thread().ident
        census = time.monotonic()
        while True:
            time.sleep(0.02)
            if time.monotonic() > census:
                census += 0.5
                self.count_outputs()
            if self.probing and not self.stack and time.monotonic() - self.last_tick > 0.06:
                frame = sys._current_frames().get(main)
                lines = traceback.format_stack(frame)[-4:] if frame else []
                self.stack = "".join(line.strip() + " | " for line in lines)

    def count_outputs(self) -> None:
        n = output_processes()
        self.result["output_processes_max"] = max(self.result["output_processes_max"], n)

    def when_built(self) -> None:
        """Wait for the rest of the app (built after the first frame) and the cues."""
        if self.app.controller is None or self.app.services is None:
            QTimer.singleShot(100, self.when_built)
            return
        voice = self.app.services.voice
        voice.cueStarted.connect(lambda text, at: self.result["cues"].append([at, text]))
        voice.output.started.connect(
            lambda tag, channel, at: self.result["sounds"].append([at, channel, tag])
        )
        voice.noticeChanged.connect(
            lambda text: self.result["notices"].append([time.monotonic(), text])
        )
        signals = self.app.controller.signals
        signals.phase_started.connect(self.on_phase)
        signals.finished.connect(self.on_finished)
        signals.paused.connect(lambda e: self.result["pauses"].append(["pause", e.at]))
        signals.resumed.connect(lambda e: self.result["pauses"].append(["resume", e.at]))
        # Like a person who chooses the routine, then lies down: the cues are made by then.
        # The natural voice makes a routine's in about 35 s on a quiet machine; three runs
        # side by side on two cores take a few times that. Never starting at all would hide
        # a planner that never finishes, so it starts anyway after a bound.
        voice.prepared.connect(self.start, Qt.ConnectionType.SingleShotConnection)
        QTimer.singleShot(PREPARE_BOUND_MS, self.start)

    def start(self) -> None:
        if self.probing:
            return
        self.probing = True
        self.press(Qt.Key.Key_Space)  # "I understand" on the first-run safety note
        QTimer.singleShot(800, lambda: self.press(Qt.Key.Key_Space))  # Start
        QTimer.singleShot(900, self.started)

    def started(self) -> None:
        self.result_path.with_name("started").write_text(str(time.monotonic()))
        if self.scenario == "hammer":
            QTimer.singleShot(round(self.seconds * 1000), self.finish)
            self.hammer()

    def on_phase(self, event: PhaseStarted) -> None:
        self.result["phases"].append([event.start, str(event.kind), event.cue])
        if event.kind is PhaseKind.WAIT and event.deadline is None and self.scenario == "routine":
            QTimer.singleShot(PERSON_DELAY_MS, lambda: self.press(Qt.Key.Key_Space))

    def on_finished(self, event: Finished) -> None:
        self.result["completed"] = event.completed
        self.result["finished_at"] = time.monotonic()
        if self.scenario == "routine":
            QTimer.singleShot(1500, self.finish)  # let the last words be heard

    # --- acting -----------------------------------------------------------------------

    def press(self, key: Qt.Key) -> None:
        """A key press as the window gets it from the X server (its shortcuts only answer
        while it is the active window, which it is, alone on its display)."""
        window = self.app.window
        if not window.isActiveWindow():
            window.activateWindow()
            QTest.qWaitForWindowActive(window, 2000)
        self.result["keys"].append([time.monotonic(), key.name])
        QTest.keyClick(window, key)

    def hammer(self) -> None:
        if not self.probing:
            return
        self.press(self.random.choice(HAMMER_KEYS))
        QTimer.singleShot(self.random.randint(150, 3000), self.hammer)

    def finish(self) -> None:
        self.probing = False
        window = self.app.window
        screen = window.current_screen()
        self.result["screen"] = (
            "completion" if screen is window.completion else
            "session" if screen is window.session_view else "picker"
        )  # fmt: skip
        self.count_outputs()
        self.result_path.write_text(json.dumps(self.result))
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    def give_up(self) -> None:
        self.result["timed_out"] = True
        self.finish()


def main(argv: list[str]) -> int:
    scenario, routine, result = argv[0], argv[1], Path(argv[2])
    seconds = float(argv[3]) if len(argv) > 3 else 0.0
    qt_app, app = launch(routine)
    driver = Driver(app, scenario, result, seconds)
    status = qt_app.exec()
    driver.deleteLater()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
