"""Settings survive a round trip, are written atomically, and a bad file is never lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from stretchcoach import settings
from stretchcoach.appid import APP_ID
from stretchcoach.coach.ports import Pace
from stretchcoach.settings import Settings


def test_defaults_are_the_documented_pace() -> None:
    loaded = settings.load()
    assert loaded.notice is None
    assert loaded.settings.pace == Pace(4.0, 6.0)
    assert loaded.settings.auto_advance is None


def test_settings_live_in_the_platform_config_folder(private_user_dirs: Path) -> None:
    assert (
        settings.settings_path() == private_user_dirs / "config" / APP_ID / "settings.json"
    )


def test_round_trip_and_no_temporary_files_left() -> None:
    changed = Settings(inhale=5.0, exhale=7.5, rate=170, mute=True, auto_advance=30.0)
    settings.save(changed)
    assert settings.load().settings == changed
    folder = settings.settings_path().parent
    assert sorted(p.name for p in folder.iterdir()) == ["settings.json"]


def test_a_failed_write_keeps_the_old_file(monkeypatch: pytest.MonkeyPatch) -> None:
    settings.save(Settings(inhale=5.0))

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patch, pytest.raises(OSError, match="disk full"):
        patch.setattr(settings.os, "fsync", broken_fsync)
        settings.save(Settings(inhale=9.0))
    assert settings.load().settings.inhale == 5.0
    assert [p.name for p in settings.settings_path().parent.iterdir()] == ["settings.json"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "is not valid JSON (line 1"),
        (json.dumps([1, 2]), "bad value at the top level"),
        ("[" * 20_000 + "]" * 20_000, "nested too deeply"),
    ],
)
def test_a_corrupt_file_is_kept_aside_and_defaults_used(content: str, problem: str) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    loaded = settings.load()
    assert loaded.settings == Settings()
    assert loaded.notice is not None
    assert problem in loaded.notice
    assert str(path) in loaded.notice
    (aside,) = path.parent.glob("settings.json.corrupt-*")
    assert aside.read_text(encoding="utf-8") == content
    assert aside.name in loaded.notice
    assert settings.load() == settings.Loaded(Settings(), None)  # the defaults, saved


@pytest.mark.parametrize(
    ("content", "problem", "reset"),
    [
        ({"inhale": 0.1, "rate": 170, "mute": True}, "bad value at inhale", "inhale"),
        ({"rate": 170, "mute": True, "colour": "red"}, "bad value at colour", "colour"),
    ],
)
def test_one_bad_value_does_not_cost_the_other_settings(
    content: dict[str, object], problem: str, reset: str
) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(content), encoding="utf-8")
    loaded = settings.load()
    assert loaded.settings == Settings(rate=170, mute=True)
    assert loaded.notice is not None
    assert problem in loaded.notice
    assert f"{reset} went back to the default" in loaded.notice
    (aside,) = path.parent.glob("settings.json.corrupt-*")
    assert json.loads(aside.read_text(encoding="utf-8")) == content


def test_two_bad_files_in_one_second_are_both_kept() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    for content in ("{first", "{second"):
        path.write_text(content, encoding="utf-8")
        assert settings.load().notice is not None
    kept = sorted(
        p.read_text(encoding="utf-8") for p in path.parent.glob("settings.json.corrupt-*")
    )
    assert kept == ["{first", "{second"]


def test_a_huge_file_is_not_read_whole() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(" " * (settings.MAX_BYTES + 1), encoding="utf-8")
    loaded = settings.load()
    assert loaded.notice is not None and "too big to be a settings file" in loaded.notice
    assert loaded.settings == Settings()


def test_non_utf8_bytes_are_reported_not_raised() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"inhale": "\xff\xfe"}')
    loaded = settings.load()
    assert loaded.notice is not None and "is not text (it is not UTF-8)" in loaded.notice
    assert loaded.settings == Settings()


def test_assignment_is_validated() -> None:
    s = Settings()
    with pytest.raises(ValidationError):
        s.exhale = 100.0


@pytest.mark.parametrize(("chime", "cues"), [(True, "chime"), (False, "silent")])
def test_a_settings_file_from_before_breath_cues_keeps_its_chime(chime: bool, cues: str) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"chime": chime, "rate": 170}), encoding="utf-8")
    loaded = settings.load()
    assert loaded.notice is None  # nothing wrong with it: an older file
    assert (loaded.settings.breath_cues, loaded.settings.rate) == (cues, 170)


def test_breath_cues_as_words_fill_the_breaths_without_their_own() -> None:
    from stretchcoach.coach.ports import Pace, PhaseKind
    from stretchcoach.coach.timeline import BREATHE_IN, BREATHE_OUT, plan_step
    from stretchcoach.routine.catalog import load_catalog
    from stretchcoach.voice.times import ClipTimes

    steps = load_catalog().find("hip-stretch").steps
    step = next(s for s in steps if s.cycles)
    speech = ClipTimes({}, 150)

    def said(s: Settings) -> list[str | None]:
        plan = plan_step(step, Pace(), speech, s.timing)
        return [p.cue for p in plan.phases if p.kind in (PhaseKind.INHALE, PhaseKind.EXHALE)]

    chime, words = said(Settings(breath_cues="chime")), said(Settings(breath_cues="words"))
    assert None in chime and None not in words
    assert {w for c, w in zip(chime, words, strict=True) if c is None} == {BREATHE_IN, BREATHE_OUT}
    assert [w for c, w in zip(chime, words, strict=True) if c] == [c for c in chime if c]


def test_the_writer_says_an_unexpected_error_and_saves_the_next_change(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Settings pydantic cannot write (built without validation, as a bug could) are a
    notice and a logged traceback, not the writer's end: the next change is saved."""
    outcomes: list[str | None] = []
    path = tmp_path / "settings.json"
    writer = settings.SettingsWriter(outcomes.append, path)
    try:
        writer(Settings.model_construct(inhale=object()))
        writer.flush()
        assert outcomes[-1] is not None and "unexpected problem" in outcomes[-1]
        assert str(path) in outcomes[-1] and not path.exists()
        assert any(r.exc_info for r in caplog.records if r.name == "stretchcoach.settings")
        writer(Settings(inhale=5.0))
        writer.flush()
        assert outcomes[-1] is None
        assert settings.load(path).settings.inhale == 5.0
    finally:
        writer.close()


def test_the_writer_saves_off_the_callers_thread_the_newest_and_says_how_it_went(
    tmp_path: Path,
) -> None:
    """Real files: the newest of several quick changes is what the file holds; a folder
    that cannot take the file is a notice, and the next save that works clears it; what
    waits is written before ``close`` returns."""
    outcomes: list[str | None] = []
    path = tmp_path / "config" / "settings.json"
    writer = settings.SettingsWriter(outcomes.append, path)
    store = settings.SettingsStore(Settings(), persist=True, writer=writer)
    try:
        for inhale in (4.5, 5.0, 5.5):
            assert store.update(inhale=inhale) is None  # nothing to wait for, nothing said
        writer.flush()
        assert settings.load(path).settings.inhale == 5.5
        assert outcomes and set(outcomes) == {None}

        path.parent.rename(tmp_path / "aside")
        path.parent.write_text("a file where the folder was", encoding="utf-8")
        store.update(exhale=7.0)
        writer.flush()
        assert outcomes[-1] is not None and "could not be saved" in outcomes[-1]
        assert str(path) in outcomes[-1]

        path.parent.unlink()
        path.parent.mkdir()
        store.update(exhale=7.5)
    finally:
        writer.close()  # writes what waits first
    assert outcomes[-1] is None
    assert settings.load(path).settings.exhale == 7.5
