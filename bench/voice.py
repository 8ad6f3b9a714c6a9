"""Voice latency: from each phase boundary to the start of its cue's playback, how long
the Qt event loop stalls while cues are synthesized, and what a cold start costs.

Everything runs with the default voice (the natural voice when it is installed and loads;
``--voice ID`` for another, e.g. ``--voice system:`` for eSpeak NG), on the real Qt event
loop with the real ``QtScheduler``, ``VoicePlayer``, synthesis worker and sound output
process.

First, a cold start: the default routine (``--cold-routine``) at the default pace, from an
empty speech cache, with Start pressed the moment the routine is chosen (so its cues are
synthesized while it runs, in routine order, a cue wanted now first) and set-up steps
moving on after 5 s. ``first_cue_s`` is from Start to the first cue's first samples;
``prepare_s`` until every cue of the routine is cached; a cue is missed when its phase
starts before its clip is made (the first cue excepted: ``first_cue_s`` is its wait); the
worker's peak resident memory is read from ``/proc`` (its ``VmHWM``) throughout. The run
ends a few seconds after everything is prepared: no cue can be missed after that.

Then a bundled routine (``--routine``) at a fast pace (inhale and exhale 1.5 s, the
shortest allowed) with the default settings otherwise (the chime on), twice, each time
from an empty speech cache:

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

    python bench/voice.py [--voice ID] [--routine hip-stretch] [--seconds 60]
                          [--cold-routine lower-back-relief]

The last line is ``voice: engine=<id> cue_latency_p99_ms=<x> stall_max_ms=<x>
first_cue_s=<x> prepare_s=<x> worker_rss_mb=<x> freezes=<n>``: the voice that spoke, the
p99 delay with synthesis ahead, the longest stall while synthesizing (the cold start,
ahead, and on demand during a session), the cold start's figures, and the freezes over
the whole run. Stalls while building the voice, playing cached cues and closing, the
missed cues and the main process's memory are printed above it.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
if TYPE_CHECKING:
    from voice_helpers import Recorder
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.symbolsresolver=false")
COLD_CAP = 180.0  # seconds: the cold start ends 3 s after its routine is prepared
SYNTHESIZING = (  # what the probe was filed under while cues were being synthesized
    "cold start: synthesizing while it runs",
    "synthesizing ahead",
    "synthesizing on demand",
)


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
    parser.add_argument("--voice", help="a voice id (default: the default voice)")
    parser.add_argument("--routine", default="hip-stretch")
    parser.add_argument("--cold-routine", default="lower-back-relief")
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
        run(args, output, home, recorder)


def worker_peak_mb() -> float:
    """The largest peak resident memory (VmHWM) of this process's speech workers now."""
    peak = 0.0
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            pids = (task / "children").read_text().split()
        except OSError:
            continue
        for pid in pids:
            try:
                if b"stretchcoach.voice.worker" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    continue
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kb = next((ln.split()[1] for ln in status.splitlines() if ln.startswith("VmHWM")), 0)
            peak = max(peak, int(kb) / 1024)
    return peak


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmRSS"))) / 1024


def run(args: argparse.Namespace, output: str, home: Path, recorder: Recorder | None) -> None:
    from desktop_helpers import MachineShare
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from stretchcoach.coach.plan import simulate
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
            self.own: dict[str, list[float]] = {}  # the gaps less the machine's share
            self.doing = "start"  # (run-queue wait and steal: MachineShare)
            self.last = time.monotonic()
            self.machine = MachineShare()
            self.timer = QTimer(self)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.setInterval(1)
            self.timer.timeout.connect(self.tick)
            self.timer.start()

        def now_doing(self, what: str) -> None:
            self.tick()
            self.doing = what

        def tick(self) -> None:
            now, machine_ms = time.monotonic(), self.machine.since_last()
            gap = max(0.0, (now - self.last) * 1000 - 1)
            self.gaps.setdefault(self.doing, []).append(gap)
            self.own.setdefault(self.doing, []).append(max(0.0, gap - machine_ms))
            self.last = now

    class WorkerMemory(QObject):
        """The speech workers' peak resident memory, read every 50 ms."""

        def __init__(self) -> None:
            super().__init__()
            self.peak = 0.0
            self.timer = QTimer(self)
            self.timer.timeout.connect(self.read)
            self.timer.start(50)

        def read(self) -> None:
            self.peak = max(self.peak, worker_peak_mb())

    class Run:
        """One voice, from an empty cache, and one session of the routine at a fast pace."""

        def __init__(self, name: str) -> None:
            probe.now_doing("building the voice (once, at start-up)")
            synth = Synthesizer(SpeechCache(home / name))
            self.voice = VoicePlayer(SettingsStore(Settings(voice=args.voice)), synthesizer=synth)
            self.delays: list[float] = []
            self.missed: list[str] = []  # cues whose phase began before they were made
            self.cued = 0
            self.due: tuple[str, float] | None = None
            self.pausing = False  # pause 0.4 s into every cue, to measure the silence
            self.pauses: list[float] = []
            self.current: Session | None = None
            self.began = 0.0  # when the session started
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

        def session(self, doing: str, cold: bool = False) -> None:
            """The routine at the fast pace; or (``cold``) the default routine at the
            default pace, set-up steps moving on after 5 s."""
            probe.now_doing(doing)
            session = self.current = Session(
                cold_steps if cold else steps,
                QtScheduler(),
                self.voice.times,
                Settings().pace if cold else pace,
                cold_timing if cold else timing,
            )
            session.subscribe(self.on_event)  # before the voice: the boundary is known first
            session.subscribe(self.voice.on_event)
            self.began = time.monotonic()  # the plan's time 0
            QTimer.singleShot(int((COLD_CAP if cold else args.seconds) * 1000), self.loop.quit)
            session.start()
            self.loop.exec()
            session.stop()
            probe.now_doing("closing")
            self.voice.close()
            self.voice.deleteLater()

        def on_event(self, event: Event) -> None:
            if isinstance(event, PhaseStarted):
                self.due = (event.cue, event.start) if event.cue else None
                if event.cue and self.cued and self.voice.planner.clip(event.cue) is None:
                    self.missed.append(event.cue)
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

        def cold_start(self) -> tuple[float, float, list[str]]:
            """Choose the default routine and press Start at once, with an empty cache;
            seconds to the first cue and until every cue is made (nan: never), and the cues
            that would have been late in the whole routine: those made after the time their
            phase starts in its plan (with the cues' real lengths), the first excepted."""
            probe.now_doing("cold start: synthesizing while it runs")
            begun = time.monotonic()
            prepared: list[float] = []
            first: list[float] = []
            made: dict[str, float] = {}

            def look() -> None:
                for text in cold_texts:
                    if text not in made and self.voice.planner.clip(text) is not None:
                        made[text] = time.monotonic()

            poll = QTimer()
            poll.timeout.connect(look)
            poll.start(20)
            self.voice.prepared.connect(lambda: prepared.append(time.monotonic()))
            self.voice.prepared.connect(lambda: QTimer.singleShot(3000, self.loop.quit))
            self.voice.cueStarted.connect(lambda _text, at: first.append(at))
            self.voice.prepare(cold_texts)
            self.session("cold start: synthesizing while it runs", cold=True)
            poll.stop()
            phases, _ = simulate(cold_steps, Settings().pace, cold_timing, self.voice.times)
            cued = [p for p in phases if p.cue]
            late = [p.cue for p in cued[1:] if made.get(p.cue, math.inf) > self.began + p.start]
            nan = float("nan")
            start_s = first[0] - begun if first else nan
            return start_s, (prepared[0] - begun if prepared else nan), late

    QApplication(sys.argv[:1])
    steps = load_catalog().find(args.routine).steps
    pace = Pace(Pace.MIN_SECONDS, Pace.MIN_SECONDS)
    timing = Timing(get_ready=1.0, auto_advance=5.0)
    texts = cue_texts(steps, timing)
    probe = Probe()
    memory = WorkerMemory()

    cold_steps = load_catalog().find(args.cold_routine).steps
    cold_timing = Timing(get_ready=Settings().get_ready, auto_advance=5.0)
    cold_texts = cue_texts(cold_steps, cold_timing)
    cold = Run("cold")
    cold.ready()
    first_cue_s, prepare_s, late = cold.cold_start()

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
    memory.timer.stop()
    speaker = spoke(home / "ahead", args.voice)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # before finalizing

    report(
        Figures(
            speaker=speaker,
            heading=f"routine {args.routine}, pace {pace.inhale}/{pace.exhale} s, {output}",
            cold=f"{args.cold_routine}: {len(cold_texts)} cues",
            first_cue_s=first_cue_s,
            prepare_s=prepare_s,
            missed=cold.missed,
            due=cold.cued - 1,
            late=late,
            own=probe.own,
            worker_mb=memory.peak,
            prepare_ms=prepare_ms,
            cues=len(texts),
            delays={"ahead": (ahead.delays, ahead.cued), "on demand": (demand.delays, demand.cued)},
            silences=[silence_after(recorder, at) for at in pauses.pauses] if recorder else None,
            gaps=probe.gaps,
        )
    )


def spoke(cache: Path, voice: str | None) -> str | None:
    """The id of the voice that spoke the cues cached in ``cache`` (asked again: they are
    cached, so this costs no synthesis)."""
    from stretchcoach.voice.cache import SpeechCache, VoiceSetting
    from stretchcoach.voice.synth import Synthesizer

    check = Synthesizer(SpeechCache(cache))
    try:
        return check.speaking(VoiceSetting(voice))
    finally:
        check.close()


@dataclass
class Figures:
    """What the runs measured, for ``report``."""

    speaker: str | None
    heading: str
    cold: str
    first_cue_s: float
    prepare_s: float
    missed: list[str]
    due: int
    late: list[str | None]
    own: dict[str, list[float]]
    worker_mb: float
    prepare_ms: float
    cues: int
    delays: dict[str, tuple[list[float], int]]
    silences: list[float] | None
    gaps: dict[str, list[float]]


def report(f: Figures) -> None:
    print(f"voice bench: {f.speaker}, {f.heading}")
    print(
        f"cold start ({f.cold}, default pace, Start at once): first cue after "
        f"{f.first_cue_s:.2f} s; every cue made after {f.prepare_s:.1f} s; "
        f"{len(f.missed)} of the {f.due} cues due meanwhile missed {f.missed}; "
        f"{len(f.late)} cues of the whole routine would have been late {f.late}"
    )
    print(f"worker peak RSS {f.worker_mb:.0f} MB; main process RSS now {rss_mb():.0f} MB")
    print(f"prepare: {f.cues} cues synthesized ahead in {f.prepare_ms:.0f} ms")
    for name, (delays, cued) in f.delays.items():
        played = f"{len(delays)}/{cued} cues played"
        print(f"cue delay, {name + ':':10} {played}; {summary(delays)}")
    if f.silences is not None:
        print(f"silent after Pause ({len(f.silences)} pauses): {summary(f.silences)}")
    print("event-loop stalls (1 ms probe):")
    for doing, gaps in f.gaps.items():
        print(f"  {doing + ':':40} {len(gaps):6} ticks; {summary(gaps)}")
    print("  ...less the machine's share (a CPU held by other processes, steal time):")
    for doing, gaps in f.own.items():
        print(f"  {doing + ':':40} {len(gaps):6} ticks; {summary(gaps)}")
    synthesizing = [gap for doing in SYNTHESIZING for gap in f.gaps[doing]]
    freezes = sum(gap > 1000 for gaps in f.gaps.values() for gap in gaps)
    ahead = f.delays["ahead"][0]
    p99 = percentile(ahead, 0.99) if ahead else float("nan")
    print(
        f"voice: engine={f.speaker} cue_latency_p99_ms={p99:.1f} "
        f"stall_max_ms={max(synthesizing):.1f} first_cue_s={f.first_cue_s:.2f} "
        f"prepare_s={f.prepare_s:.1f} worker_rss_mb={f.worker_mb:.0f} freezes={freezes}"
    )


if __name__ == "__main__":
    main()
