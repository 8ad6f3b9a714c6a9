"""The sound output process on a real sound server: a private PulseAudio daemon whose null
sinks are recorded with ``parec``.

It plays what it is asked to, when it is asked to; a stop silences it; a new cue replaces
the one sounding; a new
default device (headphones plugged in) takes the sound under way; a stopped server is
noticed as a stuck stream within a couple of seconds, and the process leaves so that the
app can start one that reconnects. The app's side of these failures is tested in
``test_ui_output.py`` and, whole, in ``test_desktop_e2e.py``.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from voice_helpers import RATE, Recorder, needs_pulseaudio, pcm_bursts, pulse_null_sink

from stretchcoach.voice.chime import chime_path

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [needs_pulseaudio]


class OutputChild:
    """``python -m stretchcoach.ui.output_process``, with its events timed as they come."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "stretchcoach.ui.output_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**env, "PYTHONPATH": str(ROOT)},
            text=True,
        )
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.reader = threading.Thread(target=self._read, name="output-events")
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            event = json.loads(line)
            event["received"] = time.monotonic()
            self.events.put(event)

    def send(self, **request: object) -> float:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return time.monotonic()

    def wait_for(
        self, match: Callable[[dict[str, Any]], bool], timeout: float = 20
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no such event within {timeout} s; saw {self.seen}") from None
            self.seen.append(event)
            if match(event):
                return event

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()  # the process ends when its requests do
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, str]]:
    with pulse_null_sink(tmp_path, "headphones") as env:
        yield env


def open_child(env: dict[str, str]) -> OutputChild:
    child = OutputChild(env)
    ready = child.wait_for(lambda e: e["event"] == "output")
    assert ready["device"] and ready["problem"] is None, ready
    return child


@pytest.fixture
def speech(tmp_path: Path) -> Path:
    """A spoken sentence of about three seconds, 22,050 Hz mono 16-bit."""
    path = tmp_path / "speech.wav"
    subprocess.run(
        ["espeak-ng", "-w", str(path), "Breathe in slowly, and let your knee come a little "
         "closer to your chest."], check=True, timeout=30,
    )  # fmt: skip
    subprocess.run(["sox", str(path), "-r", str(RATE), str(path.with_suffix(".22k.wav"))],
                   check=True, timeout=30)  # fmt: skip
    return path.with_suffix(".22k.wav")


def test_it_plays_when_asked_and_a_stop_silences_it_at_once(
    server: dict[str, str], speech: Path
) -> None:
    recorder = Recorder(server)
    child = open_child(server)
    try:
        assert recorder.live.wait(30), "parec recorded nothing"
        asked = child.send(op="play", channel="voice", path=str(speech), tag=1)
        started = child.wait_for(lambda e: e["event"] == "started")
        assert started["tag"] == 1 and started["at"] >= asked
        time.sleep(1.0)
        stopped = child.send(op="stop", channel=None)
        time.sleep(0.5)
        child.send(op="play", channel="chime", path=str(chime_path()), tag=2, gain=0.5)
        child.wait_for(lambda e: e["event"] == "ended" and e["tag"] == 2)
        time.sleep(0.3)
    finally:
        child.close()
        recorder.stop()
    bursts = pcm_bursts(recorder.samples(), RATE)
    assert len(bursts) == 2, bursts  # the cut sentence, then the chime, nothing else
    cut_start, cut_end = bursts[0]
    # it played until the stop, and no further (the sentence had seconds to go); how soon
    # after the stop it is silent is measured by bench/voice.py
    assert stopped - started["at"] - 0.1 <= cut_end - cut_start <= stopped - started["at"] + 0.1
    assert 0.4 < bursts[1][1] - bursts[1][0] < 0.85  # the chime (0.8 s, its tail faint)


def test_a_new_cue_replaces_the_one_sounding(server: dict[str, str], speech: Path) -> None:
    recorder = Recorder(server)
    child = open_child(server)
    try:
        assert recorder.live.wait(30), "parec recorded nothing"
        child.send(op="play", channel="voice", path=str(speech), tag=1)
        first = child.wait_for(lambda e: e["event"] == "started")
        time.sleep(0.8)
        child.send(op="play", channel="voice", path=str(chime_path()), tag=2)
        second = child.wait_for(lambda e: e["event"] == "started")
        child.wait_for(lambda e: e["event"] == "ended" and e["tag"] == 2)
        time.sleep(0.5)
    finally:
        child.close()
        recorder.stop()
    assert second["tag"] == 2 and not any(e.get("tag") == 1 for e in child.seen[1:] if
                                          e["event"] == "ended")  # fmt: skip
    bursts = pcm_bursts(recorder.samples(), RATE, gap=1.0)
    assert len(bursts) == 1, bursts  # one sound, the speech then the chime, then silence
    assert bursts[0][1] - bursts[0][0] < second["at"] - first["at"] + 0.9  # not the sentence


def test_a_new_default_device_takes_the_sound_under_way(
    server: dict[str, str], speech: Path
) -> None:
    speakers, headphones = Recorder(server), Recorder(server, "headphones")
    child = open_child(server)
    try:
        assert speakers.live.wait(30) and headphones.live.wait(30)
        child.send(op="play", channel="voice", path=str(speech), tag=1)
        child.wait_for(lambda e: e["event"] == "started")
        time.sleep(0.8)
        subprocess.run(["pactl", "set-default-sink", "headphones"], env=server, check=True)
        moved = child.wait_for(lambda e: e["event"] == "output")
        assert moved["device"] and moved["device"] != "", moved
        child.wait_for(lambda e: e["event"] == "ended", timeout=10)
        switched = time.monotonic()
        time.sleep(0.3)
    finally:
        child.close()
        speakers.stop()
        headphones.stop()
    assert pcm_bursts(speakers.samples(), RATE), "nothing played before the switch"
    assert pcm_bursts(headphones.samples(), RATE), "the rest of the cue did not move"
    assert headphones.loudest(switched - 1.0, switched) > 1000


def test_a_stopped_server_is_a_stuck_stream_and_the_process_leaves(
    server: dict[str, str], speech: Path, tmp_path: Path
) -> None:
    child = open_child(server)
    daemon = int((tmp_path / "runtime" / "pulse" / "pid").read_text())
    try:
        child.send(op="play", channel="voice", path=str(speech), tag=1)
        child.wait_for(lambda e: e["event"] == "started")
        os.kill(daemon, signal.SIGSTOP)
        stuck = child.wait_for(lambda e: e["event"] == "stuck", timeout=10)
        assert "took nothing" in stuck["message"]
        assert child.proc.wait(10) == 3
    finally:
        os.kill(daemon, signal.SIGCONT)
        child.close()


def test_a_file_it_cannot_play_is_reported_and_the_process_goes_on(
    server: dict[str, str], tmp_path: Path
) -> None:
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(os.urandom(4000))
    child = open_child(server)
    try:
        child.send(op="play", channel="voice", path=str(garbage), tag=5)
        bad = child.wait_for(lambda e: e["event"] == "bad-clip")
        assert bad["tag"] == 5 and "garbage.wav" in bad["message"]
        child.send(op="ping")
        child.wait_for(lambda e: e["event"] == "pong")
    finally:
        child.close()
    assert child.proc.returncode == 0
