"""Shared test set-up.

- Qt runs on the offscreen platform unless a test starts its own X server (Xvfb), so no
  test needs a display; without this a Qt process with no display aborts, taking pytest
  with it.
- Every test gets private config, data, cache and runtime folders, so no test reads or
  writes the real user's settings, routines or speech cache. The copy of the natural voice
  that sherpa-onnx loads (63 MB, made once into a person's cache) is made once per test
  run and hard-linked into each test's cache: tests must not change it (the tests of the
  copy itself make their own, in folders of their own).
- A test that leaves a thread running fails: a leaked thread is a leaked timer or worker.
- Under CI (``CI`` set), hypothesis is deterministic.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from faults import Mounts, mounts_for_a_test
from hypothesis import settings
from voice_helpers import link_speech

from stretchcoach.appid import APP_ID

# CI must say the same thing about the same commit: there, hypothesis replays a fixed set
# of examples (and never fails on a slow, shared machine's timing); at a developer's desk
# it keeps exploring new ones, and remembers what it found in .hypothesis/.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QtMultimedia logs this when PipeWire is absent; it says nothing about our code.
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.symbolsresolver=false")


@pytest.fixture(scope="session")
def converted_voice(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The natural voice's files as sherpa-onnx loads them, made once ([] without the
    natural-voice extra)."""
    from stretchcoach.voice.voices import PiperVoices, VoiceUnavailable

    try:
        files = PiperVoices().packaged()
    except VoiceUnavailable:
        return []
    from stretchcoach.voice.piper import sherpa_files

    assert files.sha256 is not None
    return list(sherpa_files(files, files.check(), tmp_path_factory.mktemp("voices"), files.sha256))


@pytest.fixture(autouse=True)
def private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    converted_voice: list[Path],
) -> Path:
    """Point platformdirs (XDG on Linux) at fresh folders for each test, and the session
    bus at none: a test that wants one starts its own (``dbus-run-session``), so no test
    ever reaches the desktop of whoever runs the suite."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ):
        (home / sub).mkdir(mode=0o700)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={home / 'no-bus'}")
    # converted_voices_dir(), worked out by hand: asking paths would settle the folders of
    # this process before a test of the move from StretchCoach 0.1's folders makes them
    models = home / "cache" / APP_ID / "voices"
    models.mkdir(parents=True)
    for made in converted_voice:
        (models / made.name).hardlink_to(made)
    return home


@pytest.fixture(scope="session")
def bundled_speech(tmp_path_factory: pytest.TempPathFactory, converted_voice: list[Path]) -> Path:
    """Every cue of the bundled routines said by the default voice at the default settings,
    made once per test run: the speech cache a person has after a first session. Made with
    the natural voice it takes a minute, which every test that plans, validates or runs a
    bundled routine would otherwise spend again (``warm_speech``)."""
    from stretchcoach.routine.catalog import load_catalog
    from stretchcoach.settings import Settings
    from stretchcoach.voice.cache import SpeechCache
    from stretchcoach.voice.synth import Synthesizer
    from stretchcoach.voice.times import cue_texts

    folder = tmp_path_factory.mktemp("bundled-speech")
    home = tmp_path_factory.mktemp("bundled-speech-home")
    models = converted_voice[0].parent if converted_voice else home / "voices"
    with pytest.MonkeyPatch.context() as patch:  # no test's folders yet: private ones
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
            patch.setenv(var, str(home / var.lower()))
        synth = Synthesizer(SpeechCache(folder, max_bytes=2**31), models=models)
        defaults = Settings()  # the window's timing says the most: its welcome, breath words
        try:
            for entry in load_catalog().entries:
                for text in cue_texts(entry.steps, defaults.timing):
                    synth.clip(text, defaults.voice_setting)
        finally:
            synth.close()
    return folder


@pytest.fixture
def warm_speech(bundled_speech: Path, private_user_dirs: Path) -> None:
    """This test's speech cache starts with every bundled cue in it, as after a person's
    first session. Hard links: a test that damages cached clips must not use it."""
    link_speech(bundled_speech, private_user_dirs / "cache")


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for t in leaked:
        t.join(timeout=2.0)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"the test left threads running: {still}"


@pytest.fixture
def mounts() -> Iterator[Mounts]:
    """Real tmpfs and read-only mounts on test folders (see ``tests/faults.py``)."""
    yield from mounts_for_a_test()


@pytest.fixture
def make(qtbot: Any, warm_speech: None) -> Iterator[Callable[..., Any]]:
    """Builds the whole app for a window test (``app_harness.build``), closed afterwards.
    Imported here, not at the top: the Qt-free tests run where Qt cannot be imported."""
    from app_harness import build

    made: list[Any] = []
    yield partial(build, qtbot, made)
    for app in made:
        app.close()
