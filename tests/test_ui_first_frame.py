"""The remembered first frame: the window appears without pydantic when nothing changed,
is exact when something did, and is corrected at once when the memory was wrong."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from app_process import run_offscreen
from fake_output import FakeOutput
from pytestqt.qtbot import QtBot

from stretchcoach import paths, resources
from stretchcoach import settings as settings_store
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.settings import Settings, SettingsStore
from stretchcoach.ui import first_frame
from stretchcoach.ui.app import App, Services
from stretchcoach.ui.audio import VoicePlayer

ROOT = Path(__file__).resolve().parent.parent


def written() -> None:
    """Wait for the first frame's background write (the app does not wait for it)."""
    for thread in threading.enumerate():
        if thread.name == "first-frame":
            thread.join()


def titles(app: App) -> list[str]:
    listed = app.window.picker.list
    return [listed.item(row).text() for row in range(listed.count())]


def build(qtbot: QtBot) -> App:
    clock = SimScheduler(start=1000.0)

    def services(store: SettingsStore) -> Services:
        return Services(clock, VoicePlayer(store, output=FakeOutput(clock.now)))

    app = App(None, services)
    qtbot.addWidget(app.window)
    return app


def finish(app: App, qtbot: QtBot) -> None:
    app.ready()
    written()
    app.close()


@pytest.fixture(autouse=True)
def _settings() -> None:
    settings_store.save(Settings(seen_safety_note=True, get_ready=0.0))


def test_a_second_start_shows_the_picker_before_importing_pydantic(tmp_path: Path) -> None:
    """Nor the engine (``stretchcoach.coach``): the picker's list needs neither."""
    script = """
        import json, sys, threading
        from PySide6.QtWidgets import QApplication
        qt = QApplication(sys.argv[:1])
        from stretchcoach.ui.app import App
        app = App(None)
        listed = app.window.picker.list
        shown = [listed.item(row).text() for row in range(listed.count())]
        before = "pydantic" in sys.modules
        engine = sorted(name for name in sys.modules if name.startswith("stretchcoach.coach"))
        app.ready()
        after = [listed.item(row).text() for row in range(listed.count())]
        for thread in threading.enumerate():
            if thread.name == "first-frame":
                thread.join()
        app.close()
        print(json.dumps({"pydantic_first": before, "engine_first": engine, "shown": shown,
                          "after": after}))
        """

    def start() -> dict[str, object]:
        result: dict[str, object] = json.loads(run_offscreen(script)[-1])
        return result

    first, second = start(), start()
    assert first["pydantic_first"] is True  # nothing remembered: validated before showing
    assert second["pydantic_first"] is False
    assert second["engine_first"] == []
    assert second["shown"] == second["after"] == first["after"]
    assert first_frame.cache_path().is_file()


def test_a_new_routine_file_is_shown_at_once_not_taken_from_memory(qtbot: QtBot) -> None:
    finish(build(qtbot), qtbot)
    mine = paths.user_routines_dir()
    mine.mkdir(parents=True)
    text = (resources.routines_dir() / "hip-stretch.yaml").read_text(encoding="utf-8")
    text = text.replace("id: hip-stretch", "id: my-hips").replace(
        "title: Hip Stretch", "title: My Hips"
    )
    (mine / "my-hips.yaml").write_text(text, encoding="utf-8")
    app = build(qtbot)
    assert "My Hips  ·  yours" in titles(app)
    finish(app, qtbot)


def test_a_wrong_memory_is_corrected_just_after_the_first_frame(qtbot: QtBot) -> None:
    finish(build(qtbot), qtbot)
    saved = json.loads(first_frame.cache_path().read_text(encoding="utf-8"))
    true_titles = [item["title"] for item in saved["frame"]["items"]]
    saved["frame"]["items"][0]["title"] = "A title from long ago"
    first_frame.cache_path().write_text(json.dumps(saved), encoding="utf-8")

    app = build(qtbot)
    assert titles(app)[0] == "A title from long ago"  # believed until validated
    selected = app.window.picker.list.currentRow()
    finish(app, qtbot)
    assert titles(app) == true_titles
    assert app.window.picker.list.currentRow() == selected
    rewritten = json.loads(first_frame.cache_path().read_text(encoding="utf-8"))
    assert [item["title"] for item in rewritten["frame"]["items"]] == true_titles


@pytest.mark.parametrize(
    "content",
    [b"\x00garbage", b'{"key": 1}', b'{"key": null, "frame": []}', b"[]"],
    ids=["binary", "no frame", "wrong shape", "a list"],
)
def test_a_broken_memory_means_an_exact_start(qtbot: QtBot, content: bytes) -> None:
    finish(build(qtbot), qtbot)
    expected = json.loads(first_frame.cache_path().read_text(encoding="utf-8"))
    first_frame.cache_path().write_bytes(content)
    app = build(qtbot)
    assert titles(app)[0] == expected["frame"]["items"][0]["title"]
    finish(app, qtbot)
    assert json.loads(first_frame.cache_path().read_text(encoding="utf-8")) == expected


def test_items_of_another_version_are_not_used(qtbot: QtBot) -> None:
    finish(build(qtbot), qtbot)
    saved = json.loads(first_frame.cache_path().read_text(encoding="utf-8"))
    saved["frame"]["items"][0]["added_by_a_later_version"] = 1
    first_frame.cache_path().write_text(json.dumps(saved), encoding="utf-8")
    key = first_frame.fingerprint(paths.settings_file(), paths.user_routines_dir())
    assert first_frame.read(key) is None


def test_the_settings_file_changing_means_an_exact_start(qtbot: QtBot) -> None:
    finish(build(qtbot), qtbot)
    settings_store.save(Settings(seen_safety_note=False, get_ready=0.0))
    app = build(qtbot)
    assert app.window.picker.safety.isVisibleTo(app.window)
    finish(app, qtbot)


def test_a_folder_that_cannot_be_written_costs_only_the_memory(qtbot: QtBot) -> None:
    paths.cache_dir().parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(paths.cache_dir(), ignore_errors=True)
    paths.cache_dir().write_text("a file where the folder should be", encoding="utf-8")
    app = build(qtbot)
    assert titles(app)
    finish(app, qtbot)
    assert not first_frame.cache_path().exists()


def test_the_window_is_built_without_the_collector_which_then_runs_again(
    tmp_path: Path,
) -> None:
    """The command turns Python's cycle collector off until the app is built (its
    collections found next to nothing there, and cost the first frame 12-18 ms), and the
    app turns it on again once it is (``app.settle_memory``). Nor does the command itself
    import the engine, which the first frame does without."""
    script = """
        import gc, json, sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        qt = QApplication(sys.argv[:1])
        import stretchcoach.ui.app as app_module
        from stretchcoach.cli import main
        seen = {}
        settle = app_module.settle_memory

        def settled():
            seen["while_built"] = gc.isenabled()
            settle()
            seen["after"] = gc.isenabled()
            QTimer.singleShot(0, qt.quit)

        app_module.settle_memory = settled
        seen["before"] = gc.isenabled()
        seen["engine"] = [name for name in sys.modules if name.startswith("stretchcoach.coach")]
        seen["status"] = main([])
        print(json.dumps(seen))
        """
    no_bus = f"unix:path={tmp_path / 'no-bus'}"  # so no other StretchCoach answers
    seen = json.loads(run_offscreen(script, tmp_path, DBUS_SESSION_BUS_ADDRESS=no_bus)[-1])
    assert seen == {
        "before": True, "engine": [], "while_built": False, "after": True, "status": 0
    }  # fmt: skip
