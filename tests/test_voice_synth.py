"""Real eSpeak synthesis in the worker process, the cache, and every way the worker fails.

The natural voice has tests of its own (``test_voice_natural.py``); here the system voice
is chosen by name."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from voice_helpers import READY, fake_worker, needs_sox, sox_stat

from stretchcoach.voice.cache import SpeechCache, VoiceSetting
from stretchcoach.voice.engines.system import ESPEAK_ENV
from stretchcoach.voice.synth import SpeechUnavailable, Synthesizer, WorkerClient
from stretchcoach.voice.voices import SYSTEM

CUE = "Breathe in slowly, and let both knees fall gently to the left."
SYSTEM_LIB = "/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1"


def espeak(rate: int = 150, volume: float = 1.0) -> VoiceSetting:
    """The system's default voice (eSpeak NG here) at ``rate`` and ``volume``."""
    return VoiceSetting(SYSTEM, rate, volume)


@pytest.fixture
def synth(tmp_path: Path) -> Iterator[Synthesizer]:
    s = Synthesizer(SpeechCache(tmp_path / "speech"))
    yield s
    s.close()


@needs_sox
def test_a_cue_becomes_a_spoken_wav(synth: Synthesizer) -> None:
    clip = synth.clip(CUE, espeak(rate=150))
    with wave.open(str(clip.path)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (22050, 1, 2)
    words = len(CUE.split())
    assert words / 150 * 60 * 0.6 < clip.seconds < words / 150 * 60 * 1.6
    stat = sox_stat(clip.path)
    assert stat["Length (seconds)"] == pytest.approx(clip.seconds, abs=0.01)
    assert stat["RMS     amplitude"] > 0.02  # speech, not silence


def test_rate_and_volume_apply_from_the_first_cue(synth: Synthesizer) -> None:
    slow = synth.clip(CUE, espeak(rate=100))
    fast = synth.clip(CUE, espeak(rate=250))
    assert slow.seconds > 2 * fast.seconds
    quiet = synth.clip(CUE, espeak(rate=250, volume=0.2))
    assert quiet.path != fast.path

    def rms(path: Path) -> float:
        with wave.open(str(path)) as w:
            data = memoryview(w.readframes(w.getnframes())).cast("h")
        return (sum(x * x for x in data) / len(data)) ** 0.5

    assert rms(quiet.path) < 0.4 * rms(fast.path)


def test_a_cached_cue_is_not_synthesized_again(
    synth: Synthesizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = synth.clip(CUE, espeak())

    def refuse(*_: object) -> float:
        raise AssertionError("synthesized again")

    monkeypatch.setattr(WorkerClient, "synth", refuse)
    again = synth.clip(CUE, espeak())
    assert again == first
    with pytest.raises(AssertionError):
        synth.clip(CUE, espeak(rate=151))  # another setting is another clip


def test_the_cache_keeps_within_its_bound_dropping_the_least_recent(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "speech")
    synth = Synthesizer(cache)
    try:
        old = synth.clip("The first cue, said a while ago.", espeak())
        kept = synth.clip("The second cue, used again.", espeak())
        cache.max_bytes = old.path.stat().st_size + kept.path.stat().st_size
        os.utime(old.path, ns=(1, 1))
        os.utime(kept.path, ns=(2, 2))
        synth.clip("The second cue, used again.", espeak())  # a hit refreshes it
        new = synth.clip("A third, short.", espeak())  # no room for three
    finally:
        synth.close()
    assert not old.path.exists()
    assert kept.path.exists() and new.path.exists()
    assert sum(p.stat().st_size for p in cache.folder.iterdir()) <= cache.max_bytes
    assert [p for p in cache.folder.iterdir() if p.name.startswith(".")] == []


def test_voices_are_listed_from_the_engine(synth: Synthesizer) -> None:
    voices = synth.voices(espeak()).voices
    assert len(voices) > 10
    english = next(v for v in voices if v.id.endswith("/en"))
    assert (english.id, english.engine, english.language) == ("system:gmw/en", "espeak-ng", "en-gb")
    clip = synth.clip("Hello.", VoiceSetting(english.id))
    assert clip.seconds > 0.2


def _loader_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(ESPEAK_ENV, "loader")
    client = WorkerClient(VoiceSetting())
    try:
        engine = client.engine
        seconds = client.synth(CUE, tmp_path / "loader.wav")
    finally:
        client.close()
    assert seconds > 1.0
    return engine


def test_the_espeakng_loader_wheel_speaks_when_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "(loader)" in _loader_engine(tmp_path, monkeypatch)


def _can_hide_system_espeak() -> bool:
    if not (sys.platform.startswith("linux") and shutil.which("unshare")):
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=30, check=False)
    return probe.returncode == 0 and Path(SYSTEM_LIB).exists()


hides_espeak = pytest.mark.skipif(
    not _can_hide_system_espeak(), reason="needs unshare -m to hide the system eSpeak NG"
)


def _without_system_espeak(command: tuple[str, ...]) -> tuple[str, ...]:
    """Run ``command`` in a mount namespace where the system libespeak-ng is an empty file."""
    script = f'mount --bind /dev/null "$(readlink -f {SYSTEM_LIB})" && exec "$@"'
    return ("unshare", "-m", "sh", "-c", script, "sh", *command)


@hides_espeak
def test_without_a_system_espeak_the_loader_wheel_is_used(tmp_path: Path) -> None:
    from stretchcoach.voice.synth import WORKER_COMMAND

    client = WorkerClient(VoiceSetting(), _without_system_espeak(WORKER_COMMAND))
    try:
        assert "(loader)" in client.engine
        assert client.synth(CUE, tmp_path / "a.wav") > 1.0
    finally:
        client.close()


@hides_espeak
def test_with_no_engine_at_all_the_notice_says_how_to_install_one(tmp_path: Path) -> None:
    blocker = tmp_path / "noloader"
    blocker.mkdir()
    (blocker / "espeakng_loader.py").write_text("raise ImportError('not installed')\n")
    command = ("env", f"PYTHONPATH={blocker}", sys.executable, "-m", "stretchcoach.voice.worker")
    client = WorkerClient(VoiceSetting(), _without_system_espeak(command))
    with pytest.raises(SpeechUnavailable, match="apt-get install libespeak-ng1") as err:
        client.synth(CUE, tmp_path / "a.wav")
    assert "pip install espeakng-loader" in str(err.value)
    with pytest.raises(SpeechUnavailable):  # remembered: no new doomed worker per cue
        client.synth(CUE, tmp_path / "a.wav")
    client.close()


def test_a_worker_that_dies_at_start_is_reported(tmp_path: Path) -> None:
    command = fake_worker(tmp_path, "sys.stderr.write('Segmentation fault\\n'); sys.exit(139)\n")
    client = WorkerClient(VoiceSetting(), command)
    with pytest.raises(SpeechUnavailable, match=r"crashed as it started.*Segmentation fault"):
        client.synth(CUE, tmp_path / "a.wav")
    client.close()


def test_a_worker_that_crashes_is_restarted_and_the_request_retried(tmp_path: Path) -> None:
    marker = tmp_path / "crashed-once"
    command = fake_worker(
        tmp_path,
        READY + f"import pathlib\nm = pathlib.Path({str(marker)!r})\n"
        "for r in requests:\n"
        "    if not m.exists():\n        m.touch(); sys.exit(1)\n"
        "    reply({'ok': True, 'seconds': 1.5})\n",
    )
    client = WorkerClient(VoiceSetting(), command)
    try:
        assert client.synth(CUE, tmp_path / "a.wav") == 1.5
    finally:
        client.close()
    assert marker.exists()


def test_a_worker_that_always_crashes_gives_up_with_a_notice(tmp_path: Path) -> None:
    command = fake_worker(tmp_path, READY + "for r in requests:\n    sys.exit(1)\n")
    client = WorkerClient(VoiceSetting(), command)
    with pytest.raises(SpeechUnavailable, match="crashed"):
        client.synth(CUE, tmp_path / "a.wav")
    client.close()


def test_a_hung_worker_is_killed_and_the_request_fails_in_time(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    command = fake_worker(
        tmp_path,
        READY + f"import os\nopen({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n')\n"
        "for r in requests:\n    time.sleep(3600)\n",
    )
    client = WorkerClient(VoiceSetting(), command, reply_timeout=0.3)
    with pytest.raises(SpeechUnavailable, match="stopped answering"):
        client.synth(CUE, tmp_path / "a.wav")
    client.close()
    started = [int(p) for p in pids.read_text().split()]
    assert len(started) == 2  # restarted once
    assert [pid for pid in started if Path(f"/proc/{pid}").exists()] == []  # killed, reaped


def test_a_worker_that_never_starts_times_out(tmp_path: Path) -> None:
    command = fake_worker(tmp_path, "time.sleep(3600)\n")
    client = WorkerClient(VoiceSetting(), command, start_timeout=0.3)
    with pytest.raises(SpeechUnavailable, match="did not start"):
        client.synth(CUE, tmp_path / "a.wav")
    client.close()


def test_noise_on_the_workers_stdout_does_not_break_the_protocol(tmp_path: Path) -> None:
    command = fake_worker(
        tmp_path,
        READY + "for r in requests:\n"
        "    print('Audio saved to somewhere'); sys.stdout.flush()\n"
        "    reply({'ok': True, 'seconds': 2.0})\n",
    )
    client = WorkerClient(VoiceSetting(), command)
    try:
        assert client.synth(CUE, tmp_path / "a.wav") == 2.0
    finally:
        client.close()


@pytest.mark.usefixtures("warm_speech")
def test_the_warm_speech_cache_is_where_the_app_looks() -> None:
    """``warm_speech`` (most tests that plan or run a bundled routine) saves them making
    every cue again: only if its clips are in the folder the app reads."""
    clips = list(SpeechCache().folder.glob("*.wav"))
    assert len(clips) > 50
    assert SpeechCache().get(clips[0].name.split(".")[0]) is not None
