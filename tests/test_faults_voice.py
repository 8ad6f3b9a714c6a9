"""Fault suite: the voice under real faults, with real eSpeak synthesis (the system voice,
chosen by name; the natural voice's own faults are in ``test_voice_natural.py``).

Damaged WAVs in the cache; a cache folder without write permission (root's override
dropped), on a read-only mount, on a full disk (a small tmpfs); a full disk for the
stand-in too; a worker that answers nonsense; a client killed mid-synthesis. Each time the
cue is still said (or the notice says why not), the notice is in plain words, the voice
comes back as soon as the fault is gone, and nothing is left behind.
"""

from __future__ import annotations

import errno
import os
import queue
import signal
import subprocess
import sys
import tempfile
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from faults import (
    WORKER_WITHOUT_OVERRIDE,
    Mounts,
    counting_starts,
    fill,
    needs_setpriv,
    no_override,
    starts,
    wait_for,
)
from voice_helpers import READY, fake_worker, needs_sox, sox_stat

from stretchcoach.voice.cache import Clip, SpeechCache, VoiceSetting
from stretchcoach.voice.engines.system import ESPEAK_ENV
from stretchcoach.voice.piper import PiperFiles
from stretchcoach.voice.planner import VoicePlanner
from stretchcoach.voice.synth import (
    BACKOFF_FIRST,
    BACKOFF_MAX,
    STAND_IN_PREFIX,
    WORKER_COMMAND,
    SpeechUnavailable,
    Synthesizer,
    WorkerClient,
)
from stretchcoach.voice.voices import SYSTEM, PiperVoices, VoiceUnavailable

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0
ESPEAK = VoiceSetting(SYSTEM)
CUE = "Breathe in slowly, and let both knees fall gently to the left."
OTHER = "Breathe out, and bring the knees back to the middle."
THIRD = "Rest for a moment."


class Planner:
    """A real ``VoicePlanner`` and what it reports, for the test thread to wait on."""

    def __init__(self, synth: Synthesizer, setting: VoiceSetting = ESPEAK) -> None:
        self.ready: queue.Queue[tuple[str, Clip]] = queue.Queue()
        self.notices: queue.Queue[str | None] = queue.Queue()
        self.idle: queue.Queue[None] = queue.Queue()
        self.planner = VoicePlanner(
            setting,
            synth,
            on_ready=lambda text, clip: self.ready.put((text, clip)),
            on_notice=self.notices.put,
            on_idle=lambda: self.idle.put(None),
        )

    def prepare(self, texts: list[str]) -> None:
        """What choosing a routine does: synthesize its cues ahead; wait until done."""
        self.planner.prefetch(texts)
        self.idle.get(timeout=TIMEOUT)

    def say(self, text: str) -> Clip:
        """What a phase does: want the cue, and wait until it is ready to play."""
        self.planner.want(text)
        said, clip = self.ready.get(timeout=TIMEOUT)
        assert said == text
        return clip

    def notice(self) -> str | None:
        return self.notices.get(timeout=TIMEOUT)

    def close(self) -> None:
        self.planner.close()


@pytest.fixture
def cache(tmp_path: Path) -> SpeechCache:
    return SpeechCache(tmp_path / "speech")


def _speech(clip: Clip) -> None:
    """``clip`` is a whole spoken cue: a WAV whose sound is speech, not silence or noise."""
    with wave.open(str(clip.path)) as w:
        assert w.getnframes() / w.getframerate() == pytest.approx(clip.seconds)
        data = memoryview(w.readframes(w.getnframes())).cast("h")
    assert clip.seconds > 1.0
    rms = (sum(x * x for x in data) / len(data)) ** 0.5 / 32768
    assert 0.03 < rms < 0.3, f"RMS {rms:.3f}: not speech"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _stand_ins() -> list[Path]:
    from stretchcoach.voice.synth import stand_in_parents

    return [p for parent in stand_in_parents() for p in parent.glob(f"{STAND_IN_PREFIX}*")]


# Damaged cache entries ------------------------------------------------------------------


@needs_sox
@pytest.mark.parametrize("damage", ["truncated", "noise after the header"])
def test_a_damaged_cached_clip_is_made_again_whole(cache: SpeechCache, damage: str) -> None:
    synth = Synthesizer(cache)
    try:
        good = synth.clip(CUE, ESPEAK)
        whole = good.path.read_bytes()
        if damage == "truncated":  # cut off mid-sentence, header intact
            good.path.write_bytes(whole[: len(whole) // 2])
        else:  # the same size, a valid header, then random bytes: full-scale noise
            good.path.write_bytes(whole[:44] + os.urandom(len(whole) - 44))
        with wave.open(str(good.path)) as w:  # the header still looks right
            assert w.getnframes() / w.getframerate() == pytest.approx(good.seconds)
    finally:
        synth.close()
    again = Synthesizer(cache)  # the next session
    try:
        clip = again.clip(CUE, ESPEAK)
    finally:
        again.close()
    assert clip.seconds == pytest.approx(good.seconds, abs=0.05)
    _speech(clip)
    assert sox_stat(clip.path)["Maximum amplitude"] < 0.99  # speech stays below 0.98: not noise
    assert [p.name for p in cache.folder.iterdir()] == [clip.path.name]  # the bad one gone


def test_an_old_unverifiable_clip_is_not_played(cache: SpeechCache) -> None:
    """A clip cached before checksums (``<key>.wav``) is not trusted: made again."""
    synth = Synthesizer(cache)
    try:
        clip = synth.clip(CUE, ESPEAK)
        old = cache.folder / f"{clip.path.name.split('.')[0]}.wav"
        clip.path.rename(old)
        again = synth.clip(CUE, ESPEAK)
    finally:
        synth.close()
    assert again.path != old and again.path.parent == cache.folder
    _speech(again)


# A cache folder that cannot be written -----------------------------------------------


@needs_setpriv
def test_a_cache_without_write_permission_keeps_the_voice_and_heals(
    cache: SpeechCache,
) -> None:
    cache.folder.mkdir(mode=0o555)
    with no_override():  # the planner's thread and the worker: an ordinary user's rights
        planner = Planner(Synthesizer(cache, WORKER_WITHOUT_OVERRIDE))
    try:
        first = planner.say(CUE)
        _speech(first)
        assert not first.path.is_relative_to(cache.folder)  # said from the stand-in
        notice = planner.notice()
        assert notice is not None
        assert f"not allowed to write to its speech cache ({cache.folder})" in notice
        assert f"the voice is not affected. Make {cache.folder} writable." in notice
        _speech(planner.say(OTHER))  # the thread lives on: the next cue too
        cache.folder.chmod(0o755)  # the fault is gone
        healed = planner.say(CUE)  # (already in the stand-in: copied into the cache)
        assert healed.path.parent == cache.folder
        assert planner.notice() is None
        assert planner.say(THIRD).path.parent == cache.folder
    finally:
        cache.folder.chmod(0o755)
        planner.close()
    assert _leftovers(cache.folder) == [] and _stand_ins() == []


def test_a_warm_cache_on_a_read_only_disk_is_used_and_a_new_cue_still_said(
    cache: SpeechCache, mounts: Mounts
) -> None:
    synth = Synthesizer(cache)
    try:
        warm = synth.clip(CUE, ESPEAK)
    finally:
        synth.close()
    mounts.read_only(cache.folder)
    with pytest.raises(OSError) as err:
        os.utime(warm.path)
    assert err.value.errno == errno.EROFS  # the fault is real
    planner = Planner(Synthesizer(cache))
    try:
        assert planner.say(CUE) == warm  # a hit, though its time cannot be refreshed
        new = planner.say(OTHER)
        _speech(new)
        assert not new.path.is_relative_to(cache.folder)
        notice = planner.notice()
        assert notice is not None
        assert f"The speech cache is on a read-only disk ({cache.folder})" in notice
        mounts.writable(cache.folder)
        assert planner.say(THIRD).path.parent == cache.folder
        assert planner.notice() is None
    finally:
        planner.close()


# A full disk ------------------------------------------------------------------------


def test_a_full_cache_disk_costs_no_time_out_and_says_so(
    cache: SpeechCache, mounts: Mounts, tmp_path: Path
) -> None:
    mounts.tmpfs(cache.folder, 512)
    filler = fill(cache.folder)
    log = tmp_path / "starts"
    planner = Planner(Synthesizer(cache, counting_starts(WORKER_COMMAND, log)))
    try:
        for text in (CUE, OTHER):
            clip = planner.say(text)
            _speech(clip)
            assert not clip.path.is_relative_to(cache.folder)
        notice = planner.notice()
        assert notice is not None
        assert notice.startswith(f"The disk holding the speech cache is full ({cache.folder})")
        assert "Free some space on that disk." in notice
        assert "stopped answering" not in notice
        assert starts(log) == 1  # no worker was timed out and started again
        filler.unlink()  # space again
        assert planner.say(THIRD).path.parent == cache.folder
        assert planner.notice() is None
    finally:
        planner.close()
    assert _leftovers(cache.folder) == []


def test_a_disk_that_fills_during_synthesis_is_reported_at_once(
    mounts: Mounts, tmp_path: Path
) -> None:
    """The engine writes the WAV inside eSpeak's callback, where a full disk used to be
    swallowed until two 20 s time-outs had passed: now the worker says so at once."""
    full = tmp_path / "full"
    mounts.tmpfs(full, 64)
    fill(full)
    log = tmp_path / "starts"
    client = WorkerClient(VoiceSetting(), counting_starts(WORKER_COMMAND, log))
    try:
        with pytest.raises(OSError) as err:
            client.synth(CUE, full / "cue.wav")
        assert err.value.errno == errno.ENOSPC
        seconds = client.synth(CUE, tmp_path / "cue.wav")  # the same worker speaks on
    finally:
        client.close()
    assert starts(log) == 1
    _speech(Clip(tmp_path / "cue.wav", seconds))


def _fill_the_temporary_folders(
    mounts: Mounts, home: Path, monkeypatch: pytest.MonkeyPatch
) -> list[Path]:
    """Both places a stand-in can go on full disks: the session's runtime folder and the
    temporary folder (``TMPDIR``, as ``tempfile`` has read it)."""
    runtime, tmp = home / "runtime", home / "tmp"
    mounts.tmpfs(runtime, 256)
    mounts.tmpfs(tmp, 2048)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return [fill(runtime), fill(tmp)]


def test_with_the_stand_in_full_too_the_notice_says_why_and_the_voice_comes_back(
    cache: SpeechCache,
    mounts: Mounts,
    private_user_dirs: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mounts.tmpfs(cache.folder, 2048)
    cache_filler = fill(cache.folder)
    fillers = _fill_the_temporary_folders(mounts, private_user_dirs, monkeypatch)
    planner = Planner(Synthesizer(cache))
    try:
        planner.planner.want(CUE)
        notice = planner.notice()
        assert notice is not None
        assert notice.startswith(f"The disk holding the speech cache is full ({cache.folder})")
        assert "no temporary folder can stand in for it" in notice
        assert "so cues are shown but not spoken" in notice
        assert planner.ready.empty()
        fillers[1].unlink()  # room in the temporary folder again
        _speech(planner.say(OTHER))
        assert "the voice is not affected" in (planner.notice() or "")
        cache_filler.unlink()
        assert planner.say(THIRD).path.parent == cache.folder
        assert planner.notice() is None
    finally:
        planner.close()


def test_export_and_plan_see_the_same_words(
    cache: SpeechCache,
    mounts: Mounts,
    private_user_dirs: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``export-audio`` and ``plan`` synthesize without the planner: the same notice."""
    mounts.tmpfs(cache.folder, 256)
    fill(cache.folder)
    _fill_the_temporary_folders(mounts, private_user_dirs, monkeypatch)
    synth = Synthesizer(cache)
    try:
        with pytest.raises(SpeechUnavailable, match="disk holding the speech cache is full"):
            synth.clip(CUE, ESPEAK)
    finally:
        synth.close()


# An engine that crashes as it starts -------------------------------------------------


class Clock:
    """Monotonic seconds that move only when the test says: the back-off's clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class NoNaturalVoice(PiperVoices):
    """A machine without the natural-voice extra: eSpeak is the last voice to try."""

    def packaged(self) -> PiperFiles:
        raise VoiceUnavailable("sherpa-onnx is not installed")


def test_an_espeak_that_crashes_at_start_is_not_started_for_every_cue(
    cache: SpeechCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_data = tmp_path / "espeak-data"
    no_data.mkdir()  # empty: eSpeak NG prints an error and exits the process as it starts
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(no_data))
    monkeypatch.setenv(ESPEAK_ENV, "system")
    log, clock = tmp_path / "starts", Clock()
    command = counting_starts(WORKER_COMMAND, log)
    synth = Synthesizer(cache, command, clock=clock, piper=NoNaturalVoice())
    planner = Planner(synth, VoiceSetting())  # the default voice: the natural one, then eSpeak
    cues = [f"Cue number {n}." for n in range(20)]
    try:
        planner.prepare(cues)  # a routine's worth of cues
        notice = planner.notice()
        assert notice is not None
        assert notice.startswith("Natural voice unavailable: sherpa-onnx is not installed. ")
        assert "crashed as it started" in notice
        assert "phontab" in notice  # eSpeak's own words for what is wrong
        assert "tries again now and then, and at once when you change a setting" in notice
        assert starts(log) == 1
        clock.now += BACKOFF_FIRST
        planner.prepare(cues)
        assert starts(log) == 2  # tried again once the back-off had passed, once
        clock.now += BACKOFF_FIRST  # the back-off has doubled: not yet
        planner.prepare(cues)
        assert starts(log) == 2
        for _ in range(10):  # a long wait: still at least one start a minute, no more
            clock.now += BACKOFF_MAX
            planner.prepare(cues)
        assert starts(log) == 12
        planner.planner.configure(VoiceSetting(), muted=False)  # a setting changed: try at once
        planner.prepare(cues)
        assert starts(log) == 13
        assert planner.ready.empty() and planner.notices.empty()  # the same notice, once
        monkeypatch.delenv("ESPEAK_DATA_PATH")  # the fault is gone
        planner.planner.configure(VoiceSetting(), muted=False)
        _speech(planner.say("Breathe in slowly, and let both knees fall to the left."))
        assert planner.notice() == (
            "Natural voice unavailable: sherpa-onnx is not installed — using eSpeak NG."
        )
        assert starts(log) == 14
    finally:
        planner.close()


def test_an_unknown_espeak_choice_is_named_not_guessed_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ESPEAK_ENV, "bogus")
    log = tmp_path / "starts"
    client = WorkerClient(VoiceSetting(), counting_starts(WORKER_COMMAND, log))
    try:
        for _ in range(3):
            with pytest.raises(SpeechUnavailable) as err:
                client.synth(CUE, tmp_path / "cue.wav")
            assert str(err.value).startswith(
                "STRETCHCOACH_ESPEAK is set to 'bogus', which is not a choice StretchCoach "
                "knows: set it to auto, system or loader, or unset it."
            )
    finally:
        client.close()
    assert starts(log) == 1  # remembered, like a missing engine


# A worker that answers nonsense -------------------------------------------------------


def test_an_unexpected_error_is_a_notice_and_the_thread_goes_on(
    cache: SpeechCache, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    command = fake_worker(  # "ok" without "seconds", then a proper clip
        tmp_path,
        READY + "import wave\n"
        "for n, r in enumerate(requests):\n"
        "    if n == 0:\n        reply({'ok': True}); continue\n"
        "    with wave.open(r['path'], 'wb') as w:\n"
        "        w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)\n"
        "        w.writeframes(b'\\x10\\x00' * 22050)\n"
        "    reply({'ok': True, 'seconds': 1.0})\n",
    )
    planner = Planner(Synthesizer(cache, command))
    try:
        planner.planner.want(CUE)
        notice = planner.notice()
        assert notice is not None and "unexpected problem (KeyError" in notice
        assert "The next cue will try again." in notice
        assert planner.say(OTHER).seconds == 1.0  # the thread lived: the next cue is said
        assert planner.notice() is None
    finally:
        planner.close()
    assert "Traceback" in capfd.readouterr().err  # for the bug report


# Leftovers --------------------------------------------------------------------------


def test_a_client_killed_mid_synthesis_leaves_nothing_after_the_next_start(
    cache: SpeechCache, tmp_path: Path
) -> None:
    hang = fake_worker(  # starts writing, then waits for its client (until it dies)
        tmp_path,
        READY + "for r in requests:\n"
        "    open(r['path'], 'wb').write(b'RIFF' + bytes(1000))\n"
        "    sys.stdin.read()\n",
    )
    runtime = os.environ["XDG_RUNTIME_DIR"]
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from stretchcoach.voice.cache import SpeechCache, VoiceSetting\n"
        "from stretchcoach.voice.synth import Synthesizer\n"
        f"s = Synthesizer(SpeechCache(Path({str(cache.folder)!r})), {hang!r})\n"
        "s._stand_in_cache(1.0)\n"  # a stand-in folder in use, as a broken cache makes
        "print('synthesizing', flush=True)\n"
        "s.clip('Hello.', VoiceSetting('system:'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_RUNTIME_DIR": runtime}
    child = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "synthesizing\n"
    wait_for(
        "the worker to write into its scratch file",
        lambda: any(p.stat().st_size for p in cache.folder.glob(".synth-*")),
    )
    child.send_signal(signal.SIGKILL)
    child.wait(TIMEOUT)
    child.stdout.close()
    assert len(_leftovers(cache.folder)) == 1 and len(_stand_ins()) == 1
    synth = Synthesizer(cache)  # the next start
    try:
        clip = synth.clip(CUE, ESPEAK)
    finally:
        synth.close()
    assert _leftovers(cache.folder) == [] and _stand_ins() == []
    assert [p.name for p in cache.folder.iterdir()] == [clip.path.name]


def test_a_synthesizer_in_use_keeps_its_stand_in_from_another_ones_clean_up(
    cache: SpeechCache,
) -> None:
    first = Synthesizer(cache)
    stand_in = first._stand_in_cache(1.0)
    other = Synthesizer(cache)
    try:
        other.remove_leftovers()
        assert stand_in.folder.is_dir()
    finally:
        first.close()
        other.close()
    assert not stand_in.folder.exists()


@pytest.fixture(autouse=True)
def _no_stand_in_left() -> Iterator[None]:
    yield
    assert _stand_ins() == []
