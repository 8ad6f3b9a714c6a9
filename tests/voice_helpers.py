"""Helpers shared by the voice tests: measuring WAVs with sox, stand-in workers, a small
routine, and a PulseAudio null sink as a sound card."""

from __future__ import annotations

import array
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from stretchcoach.appid import APP_ID

needs_sox = pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")


def sox_stat(path: Path) -> dict[str, float]:
    """``sox FILE -n stat`` as a dict: 'Length (seconds)', 'RMS amplitude', ..."""
    result = subprocess.run(
        ["sox", str(path), "-n", "stat"], capture_output=True, text=True, timeout=60, check=True
    )
    stats = {}
    for line in result.stderr.splitlines():
        name, _, value = line.partition(":")
        if re.fullmatch(r"\s*-?[0-9.]+", value):
            stats[name.strip()] = float(value)
    return stats


def soxi(path: Path, flag: str) -> str:
    return subprocess.run(
        ["soxi", flag, str(path)], capture_output=True, text=True, timeout=60, check=True
    ).stdout.strip()


def link_speech(bundled: Path, cache_home: Path) -> None:
    """Hard-link the clips of ``bundled`` (conftest's ``bundled_speech``) into the speech
    cache under ``cache_home`` (an ``XDG_CACHE_HOME``)."""
    speech = cache_home / APP_ID / "speech"
    speech.mkdir(parents=True, exist_ok=True)
    for clip in bundled.glob("*.wav"):
        (speech / clip.name).hardlink_to(clip)


def fake_worker(tmp_path: Path, body: str) -> tuple[str, ...]:
    """A worker command running ``body`` (Python) in place of the real worker.

    ``reply(dict)`` writes a protocol line; ``requests`` iterates over incoming requests.
    """
    script = tmp_path / "fake_worker.py"
    script.write_text(
        "import json, sys, time\n"
        "def reply(m):\n    sys.stdout.write(json.dumps(m) + '\\n'); sys.stdout.flush()\n"
        "requests = (json.loads(line) for line in sys.stdin)\n" + body,
        encoding="utf-8",
    )
    return (sys.executable, str(script))


READY = "reply({'ready': True, 'engine': 'fake 1'})\n"


def routine_steps(inhale_cue: str = "Breathe in.", exhale_cue: str = "And out.") -> list[Any]:
    """A small two-sided breath step followed by a manual step, expanded."""
    from stretchcoach.routine.expand import expand
    from stretchcoach.routine.model import Routine

    routine = Routine.model_validate(
        {
            "id": "test",
            "title": "Test",
            "summary": "A test routine.",
            "steps": [
                {
                    "id": "knee-rock",
                    "title": "Knee rock",
                    "instruction": "Rock your knees.",
                    "intro": "Lie on your back.",
                    "illustration": "knee.svg",
                    "sides": "both",
                    "breaths": {
                        "cycles": 2,
                        "cues": [{"on": 1, "inhale": inhale_cue, "exhale": exhale_cue}],
                    },
                },
                {
                    "id": "roll-up",
                    "title": "Roll to sit",
                    "instruction": "Roll to your side and sit up.",
                    "intro": "Roll to your side, and press up slowly to sit.",
                    "illustration": "roll.svg",
                    "manual": {"estimate": 10},
                },
            ],
        }
    )
    return expand(routine, resolve=lambda _id: routine)


needs_pulseaudio = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and shutil.which("pulseaudio") and shutil.which("parec")),
    reason="needs pulseaudio and parec (apt-get install pulseaudio pulseaudio-utils)",
)


RATE = 22050


@contextmanager
def pulse_null_sink(folder: Path, *more_sinks: str) -> Iterator[dict[str, str]]:
    """A private PulseAudio daemon whose only output is a null sink: a sound card for tests.

    Yields the environment that points a child process at it; ``parec -d nullsink.monitor``
    with that environment records what was played (``Recorder``). ``more_sinks`` are the
    names of further null sinks (``nullsink`` stays the default). The daemon is stopped by
    its pid.
    """
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("PULSE_SERVER", None)
    subprocess.run(
        [
            "pulseaudio",
            "--daemonize=yes",  # returns once the daemon is up, or with its error
            "--exit-idle-time=-1",
            "--use-pid-file=yes",
            "-n",
            "--load=module-null-sink sink_name=nullsink",
            *(f"--load=module-null-sink sink_name={name}" for name in more_sinks),
            "--load=module-native-protocol-unix",
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    try:
        yield env
    finally:
        # the daemon running now: a test may have killed the first and started another
        pid = int((runtime / "pulse" / "pid").read_text())
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            pass  # already gone
        else:
            os.kill(pid, signal.SIGTERM)
            select.select([pidfd], [], [], 10.0)  # readable when the daemon has exited
            os.close(pidfd)


def pcm_bursts(samples: Sequence[int], rate: int, gap: float = 0.25) -> list[tuple[float, float]]:
    """(start, end) seconds of each stretch of sound, stretches closer than ``gap`` merged."""
    window = rate // 100
    loud = [
        max((abs(x) for x in samples[i : i + window]), default=0) > 200
        for i in range(0, len(samples), window)
    ]
    bursts: list[list[float]] = []
    for n, on in enumerate(loud):
        t = n * window / rate
        if on:
            if bursts and t - bursts[-1][1] <= gap:
                bursts[-1][1] = t + window / rate
            else:
                bursts.append([t, t + window / rate])
    return [(a, b) for a, b in bursts]


class Recorder:
    """``parec`` of a null sink's monitor, read by a thread into memory, with the time of
    each sample on the monotonic clock (to within the recording's latency, ~10 ms).

    parec delivers nothing for its first second or so; ``live`` is set once sound data
    flows, so nothing played after it is lost. On a busy machine parec may lose a little
    sound now and then, so a time is placed by the chunks that arrived around it.
    """

    def __init__(self, env: dict[str, str], sink: str = "nullsink") -> None:
        fmt = ["--raw", "--format=s16le", f"--rate={RATE}", "--channels=1", "--latency-msec=10"]
        self.data = bytearray()
        self.live = threading.Event()
        # (arrival time, samples recorded by then), one per chunk
        self.arrivals: list[tuple[float, int]] = []
        # Silence played all along keeps the sink running, so the recording keeps wall
        # time (an idle null sink records nothing, which would shorten the gaps).
        self.keep_running = subprocess.Popen(
            ["pacat", "-p", "-d", sink, *fmt, "/dev/zero"], env=env
        )
        self.parec = subprocess.Popen(
            ["parec", "-d", f"{sink}.monitor", *fmt], stdout=subprocess.PIPE, env=env
        )
        self.reader = threading.Thread(target=self._read, name="parec-reader")
        self.reader.start()

    def _read(self) -> None:
        assert self.parec.stdout is not None
        while chunk := self.parec.stdout.read1(4096):
            self.data += chunk
            self.arrivals.append((time.monotonic(), len(self.data) // 2))
            if len(self.data) > RATE:  # half a second of sound data has arrived
                self.live.set()

    @property
    def origin(self) -> float:
        """The monotonic time of the first sample recorded."""
        return self.origin_near(self.arrivals[0][0]) if self.arrivals else float("inf")

    def origin_near(self, at: float, window: float = 1.0) -> float:
        """When sample 0 would have been recorded, judged by the chunks that arrived within
        ``window`` seconds of ``at``: a chunk arrives a little after its last sample was
        played, so the earliest arrival less the samples before it is the best estimate."""
        near = [(t, n) for t, n in self.arrivals if abs(t - at) <= window] or self.arrivals
        return min(t - n / RATE for t, n in near)

    def samples(self) -> array.array[int]:
        return array.array("h", bytes(self.data[: len(self.data) // 2 * 2]))

    def index(self, at: float) -> int:
        """The sample recorded at monotonic time ``at``."""
        return round((at - self.origin_near(at)) * RATE)

    def loudest(self, start: float, end: float) -> int:
        """The largest sample between two monotonic times."""
        samples = self.samples()
        lo, hi = max(0, self.index(start)), min(len(samples), self.index(end))
        return max((abs(x) for x in samples[lo:hi]), default=0)

    def stop(self) -> None:
        for process in (self.parec, self.keep_running):
            process.terminate()
            process.wait(timeout=10)
        self.reader.join()
        if self.parec.stdout:
            self.parec.stdout.close()
