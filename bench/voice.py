"""Voice latency: from each phase boundary to the start of its cue's playback, and how long
the Qt event loop stalls while cues are synthesized.

A bundled routine runs at a fast pace (inhale and exhale 1.5 s, the shortest allowed) with
the default settings otherwise (the chime on), on the real Qt event loop with the real
``QtScheduler``, ``VoicePlayer``, synthesis worker and sound output process, twice, each
time from an empty speech cache:

- ahead: the routine's cues are synthesized when it is chosen (``prepare``), as the app
  does, and the session starts when they are ready;
- on demand: nothing prepared, so each cue is synthesized as its phase begins;

and a third time from the first cache, pausing 0.4 s into every cue and resuming 0.8 s
later, while the null sink is recorded: how long after Pause the sound goes on.

The delay of a cue is the time from its phase's scheduled start (the deadline on the
monotonic clock) to the moment the sound output process wrote the cue's first samples to
its stream (``cueStarted``'s time). A 1 ms precise timer probes the event loop
throughout, synthesis included; a stall is the gap between two of its ticks beyond the
1 ms asked for, and a freeze is a stall of more than a second. Once each voice is built,
what the process is made of is collected and frozen, as the app does once it is built
(``ui.app.settle_memory``): a full collection walking all of it (14-30 ms here) is a
stall the app does not have, and no part of the voice's.

Sound goes to a private PulseAudio null sink when ``pulseaudio`` is installed (so the
output really plays), to no device otherwise. Settings and the speech cache live in a
temporary folder.

    python bench/voice.py [--routine hip-stretch] [--seconds 60]

The last line is ``voice: cue_latency_p99_ms=<x> stall_max_ms=<x> freezes=<n>``: the p99
delay with synthesis ahead, the longest stall while synthesizing (ahead, and on demand
during a session), and the freezes over the whole run. Stalls while building the voice,
playing cached cues and closing are printed above it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
if TYPE_CHECKING:
    from voice_helpers import Recorder
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.symbolsresolver=false")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    if not values:
        return "none"
    return (
        f"median={statistics.median(values):.1f} ms p99={percentile(values, 0.99):.1f} ms "
        f"max={max(values):.1f} ms"
    )


def silence_after(recorder: Recorder, at: float) -> float:
    """Milliseconds from ``at`` to the last sound before the recording goes quiet."""
    from voice_helpers import RATE

    samples = recorder.samples()
    start = recorder.index(at)
    loud = [i for i in range(start, min(len(samples), start + RATE // 2)) if abs(samples[i]) > 300]
    return (loud[-1] - start) * 1000 / RATE if loud else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", default="hip-stretch")
    parser.add_argument("--seconds", type=float, default=60.0, help="cap on each run")
    args = parser.parse_args()
    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voicebench-")))
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            os.environ[var] = str(home / var.lower())
        output = "no audio device"
        recorder = None
        if shutil.which("pulseaudio"):
            from voice_helpers import Recorder, pulse_null_sink

            os.environ.update(stack.enter_context(pulse_null_sink(home)))
            output = "PulseAudio null sink"
            recorder = Recorder(dict(os.environ))
            stack.callback(recorder.stop)
            recorder.live.wait(30)
        run(args.routine, args.seconds, output, home, recorder)


def run(routine: str, seconds: float, output: str, home: Path, recorder: Recorder | None) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from stretchcoach.coach.ports import Event, Finished, Pace, PhaseStarted
    from stretchcoach.coach.session import Session
    from stretchcoach.coach.states import State
    from stretchcoach.coach.timeline import Timing
    from stretchcoach.routine.catalog import load_catalog
    from stretchcoach.settings import Settings, SettingsStore
    from stretchcoach.ui.app import settle_memory
    from stretchcoach.ui.audio import VoicePlayer
    from stretchcoach.ui.scheduler import QtScheduler
    from stretchcoach.voice.cache import SpeechCache
    from stretchcoach.voice.synth import Synthesizer
    from stretchcoach.voice.times import cue_texts

    class Probe(QObject):
        """A 1 ms precise timer; the gaps between its ticks, filed under what was going on."""

        def __init__(self) -> None:
            super().__init__()
            self.gaps: dict[str, list[float]] = {}
            self.doing = "start"
            self.last = time.monotonic()
            self.timer = QTimer(self)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.setInterval(1)
            self.timer.timeout.connect(self.tick)
            self.timer.start()

        def now_doing(self, what: str) -> None:
            self.tick()
            self.doing = what

        def tick(self) -> None:
            now = time.monotonic()
            self.gaps.setdefault(self.doing, []).append(max(0.0, (now - self.last) * 1000 - 1))
            self.last = now

    class Run:
        """One voice, from an empty cache, and one session of the routine at a fast pace."""

        def __init__(self, name: str) -> None:
            probe.now_doing("building the voice (once, at start-up)")
            synth = Synthesizer(SpeechCache(home / name))
            self.voice = VoicePlayer(SettingsStore(Settings()), synthesizer=synth)
            self.delays: list[float] = []
            self.cued = 0
            self.due: tuple[str, float] | None = None
            self.pausing = False  # pause 0.4 s into every cue, to measure the silence
            self.pauses: list[float] = []
            self.current: Session | None = None
            self.loop = QEventLoop()
            self.voice.cueStarted.connect(self.started)

        def ready(self) -> None:
            """Wait until the sound output plays on a device (a person reads the picker
            meanwhile), so the first cue's delay is the voice's, not the process start's."""
            while output != "no audio device" and self.voice.output.device is None:
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            settle_memory()  # as the app does once it is built

        def prepare(self, texts: list[str]) -> float:
            probe.now_doing("synthesizing ahead")
            begun = time.monotonic()
            self.voice.prepared.connect(self.loop.quit)
            self.voice.prepare(texts)
            self.loop.exec()
            self.voice.prepared.disconnect(self.loop.quit)
            return (time.monotonic() - begun) * 1000

        def session(self, doing: str) -> None:
            probe.now_doing(doing)
            session = self.current = Session(steps, QtScheduler(), self.voice.times, pace, timing)
            session.subscribe(self.on_event)  # before the voice: the boundary is known first
            session.subscribe(self.voice.on_event)
            QTimer.singleShot(int(seconds * 1000), self.loop.quit)
            session.start()
            self.loop.exec()
            session.stop()
            probe.now_doing("closing")
            self.voice.close()
            self.voice.deleteLater()

        def on_event(self, event: Event) -> None:
            if isinstance(event, PhaseStarted):
                self.due = (event.cue, event.start) if event.cue else None
                self.cued += bool(event.cue)
            elif isinstance(event, Finished):
                self.loop.quit()

        def started(self, text: str, at: float) -> None:
            if self.due and self.due[0] == text:
                self.delays.append((at - self.due[1]) * 1000)
                self.due = None
            if self.pausing and text != "Ready.":
                QTimer.singleShot(400, self.pause)

        def pause(self) -> None:
            if self.current is not None and self.current.state is not State.PAUSED:
                self.pauses.append(time.monotonic())
                self.current.pause()
                QTimer.singleShot(800, self.current.resume)

    QApplication(sys.argv[:1])
    steps = load_catalog().find(routine).steps
    pace = Pace(Pace.MIN_SECONDS, Pace.MIN_SECONDS)
    timing = Timing(get_ready=1.0, auto_advance=5.0)
    texts = cue_texts(steps, timing)
    probe = Probe()
    ahead = Run("ahead")
    ahead.ready()
    prepare_ms = ahead.prepare(texts)
    ahead.session("playing prepared cues")
    demand = Run("demand")
    demand.ready()
    demand.session("synthesizing on demand")
    pauses = Run("ahead")  # the cache of the first run: every cue is ready
    pauses.ready()
    pauses.prepare(texts)
    pauses.pausing = True
    pauses.session("pausing")
    probe.timer.stop()
    probe.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # before finalizing

    print(f"voice bench: routine {routine}, pace {pace.inhale}/{pace.exhale} s, {output}")
    print(f"prepare: {len(texts)} cues synthesized ahead in {prepare_ms:.0f} ms")
    for name, run_ in (("ahead", ahead), ("on demand", demand)):
        played = f"{len(run_.delays)}/{run_.cued} cues played"
        print(f"cue delay, {name + ':':10} {played}; {summary(run_.delays)}")
    if recorder is not None:
        silent = [silence_after(recorder, at) for at in pauses.pauses]
        print(f"silent after Pause ({len(silent)} pauses): {summary(silent)}")
    print("event-loop stalls (1 ms probe):")
    for doing, gaps in probe.gaps.items():
        print(f"  {doing + ':':40} {len(gaps):6} ticks; {summary(gaps)}")
    synthesizing = probe.gaps["synthesizing ahead"] + probe.gaps["synthesizing on demand"]
    freezes = sum(gap > 1000 for gaps in probe.gaps.values() for gap in gaps)
    p99 = percentile(ahead.delays, 0.99) if ahead.delays else float("nan")
    print(
        f"voice: cue_latency_p99_ms={p99:.1f} stall_max_ms={max(synthesizing):.1f} "
        f"freezes={freezes}"
    )


if __name__ == "__main__":
    main()
