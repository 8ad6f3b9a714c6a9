"""How punctual the coach is on the real Qt event loop, and how far a tick counter drifts.

Runs a breath-paced routine (inhale 0.4 s, exhale 0.6 s, so there are many phase
boundaries to measure) through ``QtScheduler`` and, in the same event loop, a naive
"count 100 ms QTimer ticks" clock. Prints, in milliseconds: the onset error of every phase
boundary against the plan (when the listener heard of it, minus when the plan said it
starts), the drift of the routine's end, and the drift of the tick counter's idea of
that end. A figure, not a test: record it in docs/performance.md.

    QT_QPA_PLATFORM=offscreen python bench/timing.py [--seconds 60] [--busy-ms 0]

With ``--busy-ms`` the event loop is blocked about once a second (every 1,037 ms, out of
step with the breath), as a stalled slot would block it: the onsets that fall in a block
are late by up to that much, but nothing accumulates, while a tick counter loses the ticks
each block swallows.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from stretchcoach.coach.ports import Event, Finished, Pace, PhaseStarted
from stretchcoach.coach.session import Session
from stretchcoach.coach.timeline import StepPlan, Timing, total_length
from stretchcoach.routine.expand import ConcreteStep, expand
from stretchcoach.routine.model import MAX_CYCLES, Routine
from stretchcoach.ui.scheduler import QtScheduler

PACE = Pace(0.4, 0.6)
TICK_MS = 100


class Silent:
    """No speech: phases last exactly their breath pace, so every boundary is the pace's."""

    def duration(self, text: str) -> float:
        return 0.0


def routine(seconds: float) -> list[ConcreteStep]:
    """Breath steps enough to last about ``seconds`` at PACE."""
    cycles = max(1, round(seconds / (PACE.inhale + PACE.exhale)))
    full, rest = divmod(cycles, MAX_CYCLES)
    per_step = [MAX_CYCLES] * full + ([rest] if rest else [])
    data = {
        "id": "bench",
        "title": "Bench",
        "summary": "Breaths.",
        "steps": [
            {"id": f"s{i}", "title": f"Step {i}", "instruction": "Breathe.", "intro": "Breathe.",
             "illustration": "s.svg", "breaths": {"cycles": n}}
            for i, n in enumerate(per_step)
        ],
    }  # fmt: skip

    def no_includes(name: str) -> Routine:
        raise KeyError(name)

    return expand(Routine.model_validate(data), no_includes)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Run:
    """What one run observed, on the monotonic clock."""

    plans: tuple[StepPlan, ...]
    heard: list[tuple[float, Event]]  # every event with the moment the listener got it
    naive_end: float  # when the tick counter reached the planned length


def run(seconds: float, busy_ms: float) -> Run:
    app = QApplication.instance() or QApplication([])
    session = Session(routine(seconds), QtScheduler(), Silent(), PACE, Timing(get_ready=1.0))
    heard: list[tuple[float, Event]] = []
    session.subscribe(lambda event: heard.append((time.monotonic(), event)))
    total = total_length(session.plans)
    ticks, naive_end = 0, 0.0

    def tick() -> None:
        nonlocal ticks, naive_end
        ticks += 1
        if ticks * TICK_MS / 1000 >= total:
            naive_end = time.monotonic()
            naive.stop()

    def quit_when_both_ended() -> None:
        if naive_end and isinstance(heard[-1][1], Finished):
            app.quit()

    def hog() -> None:
        until = time.monotonic() + busy_ms / 1000
        while time.monotonic() < until:
            pass

    naive, watcher, busy = QTimer(), QTimer(), QTimer()
    for timer, interval, slot in ((naive, TICK_MS, tick), (watcher, 50, quit_when_both_ended),
                                  (busy, 1037, hog)):  # fmt: skip
        timer.setInterval(interval)
        timer.timeout.connect(slot)
    print(
        f"routine: {len(session.plans)} steps, {total:.1f} s planned at inhale {PACE.inhale} s"
        f" / exhale {PACE.exhale} s; naive counter: {TICK_MS} ms QTimer ticks"
        + (f"; event loop blocked {busy_ms:g} ms about once a second" if busy_ms else "")
    )
    session.start()
    naive.start()
    watcher.start()
    if busy_ms:
        busy.start()
    app.exec()
    return Run(session.plans, heard, naive_end)


def report(result: Run) -> None:
    plans, heard = result.plans, result.heard
    t0 = next(e.start for _, e in heard if isinstance(e, PhaseStarted))
    planned = [
        t0 + plans[0].lead_in + sum(p.length for p in plans[:i]) + phase.offset
        for i, plan in enumerate(plans)
        for phase in plan.phases
    ]
    onsets = [at for at, e in heard if isinstance(e, PhaseStarted)][1:]  # the first is start()
    errors_ms = [(at - due) * 1000 for at, due in zip(onsets, planned[1:], strict=True)]
    end = next(at for at, e in heard if isinstance(e, Finished))
    total = total_length(plans)
    drift_ms = (end - (t0 + total)) * 1000
    naive_ms = (result.naive_end - (t0 + total)) * 1000
    p99, worst = percentile(errors_ms, 99), max(errors_ms)
    median = statistics.median(errors_ms)
    print(f"phase onsets: {len(errors_ms)}; lateness against the plan, in ms:")
    print(f"  median {median:.2f}  p99 {p99:.2f}  max {worst:.2f}")
    print(f"end of routine: {drift_ms:+.2f} ms; naive tick counter's end: {naive_ms:+.2f} ms")
    print(
        f"timing: p99_ms={p99:.2f} max_ms={worst:.2f} drift_ms={drift_ms:.2f} "
        f"naive_drift_ms={naive_ms:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="routine length (default 60)")
    parser.add_argument(
        "--busy-ms",
        type=float,
        default=0.0,
        help="block the event loop this long about once a second (default 0: never)",
    )
    args = parser.parse_args()
    report(run(args.seconds, args.busy_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
