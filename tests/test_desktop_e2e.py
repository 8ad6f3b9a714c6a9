"""Whole routines as a person runs them, on the services a desktop has.

Default settings (the chime on), at the fastest breath pace; the real app launched as the
``stretchcoach`` command launches it, in a real X window (Xvfb), speaking through a real
sound server (a private PulseAudio daemon per run, its null sink recorded with parec);
driven with key presses by ``desktop_driver.py``. Every bundled routine runs to its end;
a further run hammers the keys at random for minutes; another loses its sound server mid-
session and gets it back. The runs take minutes each (mostly listening), so three at a time
run side by side, and each test waits for its own.

Each run starts as a person's second session does, with the routine's cues already made
(``bundled_speech``): making them is a minute of both cores for the natural voice, and a
run making its cues while two others play starved those of the CPU in a way no person's
machine does (cues not yet audible 0.3 s after they went out, in CI). The first session,
making its cues and then playing them, is ``test_voice_e2e``'s.

What is checked, for every run: the event loop never stalls longer than 100 ms (a 10 ms
probe timer) for reasons of its own -- time the GUI thread (or the thread holding the GIL
it waited for) spent waiting for a CPU that the other runs held, or that the virtual
machine's host gave to others, does not count, as the kernel accounts it -- and never a second
whatever the reason; one sound output process at most; nothing repeats in the log. For a
routine: it reaches its completion screen, every cue and every chime is played when its
phase starts and is in the recording.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from desktop_helpers import ROOT, app_environment, xvfb
from voice_helpers import Recorder, link_speech, needs_pulseaudio, pulse_null_sink

from stretchcoach.coach.ports import Pace
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.settings import Settings, routine_seconds
from stretchcoach.ui.output import LOST, NO_OUTPUT
from stretchcoach.ui.questions import ASK as END_QUESTIONS
from stretchcoach.voice.chime import CHIME_PHASES

pytestmark = [
    needs_pulseaudio,
    pytest.mark.xvfb,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (apt-get install xvfb)"),
]
FAST = Settings(inhale=Pace.MIN_SECONDS, exhale=Pace.MIN_SECONDS)  # all else: the defaults
ROUTINES = [entry.id for entry in load_catalog().entries if entry.source == "bundled"]
HAMMER_SECONDS = 150.0
LANES = 3  # runs at a time: the machines that run CI have two cores
STALL_MS = 100.0
FREEZE_MS = 1000.0
AUDIBLE = 300  # a sample this loud (of 32767) is sound, not the null sink's silence


@dataclass
class Run:
    """One scenario on a desktop of its own: an X server (keyboard focus is one window's)
    and a sound server, both gone once it has ended."""

    name: str
    folder: Path
    command: list[str]  # after the Python interpreter
    settings: Settings | None = field(default_factory=lambda: FAST)
    events: dict[str, float] = field(default_factory=dict)  # what the test did, and when
    done: threading.Event = field(default_factory=threading.Event)
    status: int | None = None
    recorder: Recorder | None = None
    env: dict[str, str] = field(default_factory=dict)
    speech: Path | None = None  # cues already made, as a person has after a first session

    def play(self, during: Callable[[Run, subprocess.Popen[bytes]], None] | None = None) -> None:
        """Run the scenario to its end (``during`` acts on it meanwhile), then free its
        desktop; the recording stays in memory."""
        self.folder.mkdir()
        try:
            with ExitStack() as stack:
                display = stack.enter_context(xvfb())
                pulse = stack.enter_context(pulse_null_sink(self.folder))
                self.recorder = Recorder(pulse)
                stack.callback(self.recorder.stop)
                assert self.recorder.live.wait(30), "parec recorded nothing"
                self.env = app_environment(display, self.folder, self.settings, base=pulse)
                if self.speech is not None:
                    link_speech(self.speech, self.folder / "xdg_cache_home")
                out = stack.enter_context((self.folder / "output.log").open("wb"))
                process = subprocess.Popen(
                    [sys.executable, *self.command], env=self.env, cwd=self.folder,
                    stdout=out, stderr=subprocess.STDOUT,
                )  # fmt: skip
                stack.callback(process.kill)
                if during is not None:
                    during(self, process)
                self.status = process.wait(timeout=25 * 60)
        finally:
            self.done.set()

    def result(self) -> dict[str, Any]:
        assert self.done.wait(timeout=40 * 60), f"{self.name} never ended"
        assert self.status == 0, f"{self.name} exited with {self.status}:\n{self.output()}"
        result: dict[str, Any] = json.loads(self.result_path.read_text())
        assert not result.get("timed_out"), f"{self.name} never finished"
        return result

    @property
    def result_path(self) -> Path:
        return self.folder / "result.json"

    def log(self) -> str:
        files = sorted((self.folder / "xdg_state_home").rglob("stretchcoach.log*"))
        return "\n".join(f.read_text(errors="replace") for f in files)

    def output(self) -> str:
        return (self.folder / "output.log").read_text(errors="replace") + self.log()

    def heard(self, at: float) -> bool:
        """Sound in the recording within 0.3 s of ``at``."""
        assert self.recorder is not None
        return self.recorder.loudest(at - 0.03, at + 0.3) > AUDIBLE


def driven(base: Path, speech: Path, name: str, scenario: str, routine: str, *more: str) -> Run:
    folder = base / name
    driver = str(ROOT / "tests" / "desktop_driver.py")
    command = [driver, scenario, routine, str(folder / "result.json"), *more]
    return Run(name, folder, command, speech=speech)


def lose_the_server(run: Run, process: subprocess.Popen[bytes]) -> None:
    """Kill the run's sound server a few seconds into its first stretch; start it again six
    seconds later (recording when, in ``run.events``)."""
    started = run.folder / "started"
    while not started.is_file() or not started.read_text():
        assert process.poll() is None, run.output()
        time.sleep(0.2)
    time.sleep(max(0.0, float(started.read_text()) + 12 - time.monotonic()))
    run.events["killed"] = time.monotonic()
    daemon = int((run.folder / "runtime" / "pulse" / "pid").read_text())
    os.kill(daemon, signal.SIGKILL)
    time.sleep(6)
    run.events["back"] = time.monotonic()
    subprocess.run(
        ["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "--use-pid-file=yes", "-n",
         "--load=module-null-sink sink_name=nullsink", "--load=module-native-protocol-unix"],
        env=run.env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def freeze_pattern(base: Path) -> Run:
    """``qsoundeffect_repro.py new``: the pattern that froze QSoundEffect within 20 s,
    through the app's sound output, for 45 s."""
    folder = base / "qsoundeffect-pattern"
    cues = [str(base / f"cue{n}.wav") for n in range(3)]
    for cue, text in zip(cues, ("Breathe in, and let it come.", "Breathe out.", "Stay here."),
                         strict=True):  # fmt: skip
        subprocess.run(["espeak-ng", "-w", cue, text], check=True, timeout=30)
    script = str(ROOT / "tests" / "qsoundeffect_repro.py")
    return Run(folder.name, folder, [script, "new", "45", *cues], settings=None)


def lanes(jobs: list[tuple[float, Callable[[], None]]], count: int) -> list[threading.Thread]:
    """``count`` threads that share the jobs (longest first, each to the least busy lane)
    and run each lane's jobs one after another."""
    assigned: list[tuple[float, list[Callable[[], None]]]] = [(0.0, []) for _ in range(count)]
    for seconds, job in sorted(jobs, key=lambda j: -j[0]):
        total, queue = min(assigned, key=lambda lane: lane[0])
        assigned[assigned.index((total, queue))] = (total + seconds, [*queue, job])
    return [
        threading.Thread(target=lambda q=queue: [job() for job in q], name=f"lane-{n}")
        for n, (_, queue) in enumerate(assigned)
    ]


@pytest.fixture(autouse=True)
def no_leaked_threads() -> None:
    """Replaces conftest's check for this module: the runs' threads (the lanes, and the
    recorders they start as one run follows another) outlive single tests, and ``runs``
    joins them all at the module's end."""


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory, bundled_speech: Path
) -> Iterator[dict[str, Run]]:
    base = tmp_path_factory.mktemp("desktop")
    catalog = load_catalog()
    made = {name: driven(base, bundled_speech, name, "routine", name) for name in ROUTINES}
    made["hammer"] = driven(
        base, bundled_speech, "hammer", "hammer", "lower-back-relief", str(HAMMER_SECONDS)
    )
    made["server-lost"] = driven(base, bundled_speech, "server-lost", "routine", "hip-stretch")
    made["qsoundeffect-pattern"] = freeze_pattern(base)
    length = {name: routine_seconds(catalog.find(name).steps, FAST) for name in ROUTINES}
    jobs = [(length[name] + 20, made[name].play) for name in ROUTINES]
    jobs += [
        (HAMMER_SECONDS + 20, made["hammer"].play),
        (length["hip-stretch"] + 30, lambda: made["server-lost"].play(lose_the_server)),
        (60.0, made["qsoundeffect-pattern"].play),
    ]
    threads = lanes(jobs, LANES)
    for thread in threads:
        thread.start()
    yield made
    for thread in threads:
        thread.join()


# --- what every run must keep ------------------------------------------------------------


def healthy(run: Run, result: dict[str, Any], *, retries: bool = False) -> None:
    """No stall over 100 ms, one sound output at a time, and a log that says each thing
    once (``retries``: but for the attempts to reach a lost sound server)."""
    own = [(gap, doing) for _, gap, waited, doing in result["stalls"] if gap - waited > STALL_MS]
    assert not own, f"{run.name}: the event loop stalled (ms, doing what): {own}"
    frozen = [gap for _, gap, _, _ in result["stalls"] if gap > FREEZE_MS]
    assert not frozen, f"{run.name}: the event loop froze for {frozen} ms"
    assert result["output_processes_max"] <= 1, "two sound output processes at once"
    messages = [re.sub(r"^\S+ \S+ ", "", line) for line in run.log().splitlines() if line]
    flood = [m for m in messages if "[flooding" in m]
    assert not flood, f"{run.name}: the log was flooded: {flood}"
    if not retries:
        repeated = {m for m in messages if messages.count(m) > 1 or "[repeated" in m}
        assert not repeated, f"{run.name}: the log repeats {repeated}"


@pytest.mark.parametrize("routine", ROUTINES)
def test_every_routine_plays_to_its_end_with_every_cue_and_chime(
    runs: dict[str, Run], routine: str
) -> None:
    run = runs[routine]
    result = run.result()
    assert result["completed"] is True and result["screen"] == "completion", result
    healthy(run, result)
    cue_phases = [(start, cue) for start, _kind, cue in result["phases"] if cue]
    during = [(at, text) for at, text in result["cues"] if at < result["finished_at"]]
    after = [(at, text) for at, text in result["cues"] if at >= result["finished_at"]]
    assert [text for _, text in during] == [cue for _, cue in cue_phases]
    # Then the voice asks the journal's end questions, once, aloud (the session was recorded).
    assert [text for _, text in after] == [END_QUESTIONS]
    assert run.heard(after[0][0]), "the end questions are not in the recording"
    for (due, _), (at, text) in zip(cue_phases, during, strict=True):
        assert at >= due - 0.005, f"{text!r} started before its phase"
        assert run.heard(at), f"{text!r} is not in the recording"
    breath_turns = [start for start, kind, _ in result["phases"] if kind in CHIME_PHASES]
    chimes = [at for at, channel, _ in result["sounds"] if channel == "chime"]
    assert len(chimes) == len(breath_turns) > 0
    assert all(run.heard(at) for at in chimes), "a chime is missing from the recording"
    assert all(text == "" for _, text in result["notices"]), result["notices"]


def test_keys_hammered_for_minutes_never_freeze_it_or_speak_while_paused(
    runs: dict[str, Run],
) -> None:
    run = runs["hammer"]
    result = run.result()
    healthy(run, result)
    keys = [key for _, key in result["keys"]]
    assert len(keys) > 60 and {"Key_Space", "Key_Right", "Key_C"} <= set(keys)
    pauses = result["pauses"]
    assert sum(kind == "pause" for kind, _ in pauses) > 5
    pairs = itertools.pairwise(pauses)
    quiet = [(a, b) for (k1, a), (k2, b) in pairs if (k1, k2) == ("pause", "resume")]
    for paused, resumed in quiet:
        if resumed - paused > 0.3:  # silent from 0.1 s after Pause until Resume
            assert run.recorder and run.recorder.loudest(paused + 0.1, resumed) <= AUDIBLE
    assert len(result["cues"]) > 20 and all(run.heard(at) for at, _ in result["cues"])


def test_a_lost_sound_server_never_stops_the_session_and_the_voice_comes_back(
    runs: dict[str, Run],
) -> None:
    run = runs["server-lost"]
    result = run.result()
    killed, back = run.events["killed"], run.events["back"]
    healthy(run, result, retries=True)
    assert result["completed"] is True and result["screen"] == "completion"
    told = [text for at, text in result["notices"] if killed <= at < back]
    assert told and told[-1] in (LOST, NO_OUTPUT), result["notices"]
    assert result["notices"][-1][1] == "", "the notice stayed after the sound came back"
    again = [at for at, _ in result["cues"] if at > back]
    assert again, "the voice never came back"
    assert again[0] - back < 15, f"the voice came back {again[0] - back:.1f} s after the server"


def test_the_pattern_that_froze_qsoundeffect_plays_smoothly_through_the_sound_output(
    runs: dict[str, Run],
) -> None:
    run = runs["qsoundeffect-pattern"]
    assert run.done.wait(timeout=40 * 60) and run.status == 0, run.output()
    lines = (run.folder / "output.log").read_text().splitlines()
    result = json.loads([line for line in lines if line.startswith("{")][-1])
    assert result["boundaries"] >= 28  # 45 s of 1.5 s phases; the old design froze by ~13
    assert not [line for line in lines if "QSocketNotifier" in line]
    assert result["stall_ms"] <= STALL_MS
    assert run.recorder is not None
    assert run.recorder.loudest(run.recorder.origin, time.monotonic()) > AUDIBLE
