"""The key help (? or F1): every key of the window, from every screen, and the README's
key table listing the same keys.

The app is built exactly as ``stretchcoach`` builds it (``tests/app_harness.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_harness import QT_NOISE, K, Make, start
from pytestqt.qtbot import QtBot

from stretchcoach.coach.states import RUNNING, State
from stretchcoach.routine.safety import SAFETY_NOTE
from stretchcoach.ui import window as window_module
from stretchcoach.ui.key_help import KeyHelp, key_names

pytestmark = QT_NOISE
README = Path(__file__).resolve().parent.parent / "README.md"


class Shown:
    """Each key help shown, answered with keys instead of a modal loop."""

    def __init__(self, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, *keys: K) -> None:
        self.dialogs: list[KeyHelp] = []
        self.pages: list[str] = []
        self.states: list[State | None] = []
        self.session_state = lambda: None  # type: ignore[assignment]

        def exec_(dialog: KeyHelp) -> int:
            self.dialogs.append(dialog)
            self.states.append(self.session_state())
            dialog.show()
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            for key in keys:
                self.pages.append(dialog.pages.currentWidget().accessibleName())
                qtbot.keyClick(dialog.pages.currentWidget(), key)
            qtbot.waitUntil(lambda: not dialog.isVisible())
            h_window = dialog.parentWidget()
            assert h_window is not None
            h_window.activateWindow()  # as the window manager does when a dialog closes
            qtbot.waitUntil(h_window.isActiveWindow)
            return dialog.result()

        monkeypatch.setattr(KeyHelp, "exec", exec_)


def test_f1_and_question_mark_show_every_key_from_every_screen(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    shown = Shown(qtbot, monkeypatch, K.Key_Escape)
    shown.session_state = lambda: (  # type: ignore[assignment]
        h.app.controller.session.state
        if h.app.controller is not None and h.app.controller.session is not None
        else None
    )
    h.press(qtbot, K.Key_F1)  # the picker
    assert len(shown.dialogs) == 1 and h.window.current_screen() is h.window.picker
    start(h, qtbot)
    h.until_breathing(qtbot)
    h.press(qtbot, K.Key_Question)  # a session: paused while the list is open
    assert shown.states[-1] is State.PAUSED and h.session.state in RUNNING
    monkeypatch.setattr(window_module, "ask_to_stop", lambda _parent: True)
    h.press(qtbot, K.Key_Escape)
    h.press(qtbot, K.Key_F1)  # the end
    assert len(shown.dialogs) == 3 and h.window.current_screen() is h.window.completion

    every = {
        name for action in h.window.actions() for name in key_names(action)
    }  # every key of the window, whoever added it
    listed = {name for keys, _ in shown.dialogs[-1].rows for name in keys.split(" or ")}
    assert listed == every
    assert {"Space", "→", "←", "X", "Shift+→", "Esc", "?", "F1", "+", "−"} <= listed
    for keys, what in shown.dialogs[-1].rows:
        assert keys and what, (keys, what)


def test_n_shows_the_safety_note_again_and_back(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    shown = Shown(qtbot, monkeypatch, K.Key_N, K.Key_N, K.Key_N, K.Key_F1)
    h.press(qtbot, K.Key_F1)
    dialog = shown.dialogs[0]
    assert shown.pages == ["Keys", "Safety note", "Keys", "Safety note"]
    assert dialog.note.text() == SAFETY_NOTE


def readme_keys() -> set[str]:
    """Every key named in the first column of the README's key table."""
    lines = README.read_text(encoding="utf-8").splitlines()
    table = lines[lines.index("| key | what it does |") + 2 :]
    keys: set[str] = set()
    for line in table:
        if not line.startswith("|"):
            break
        cell = line.split("|")[1].strip()
        cell = re.sub(r"\s*\((?:or )?[^)]*media key\)", "", cell)  # media keys go unsaid
        keys |= {k.strip() for k in re.split(r" or | / |\s*\(or |\)", cell) if k.strip()}
    return keys


def test_the_readme_and_the_key_help_list_the_same_keys(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    shown = Shown(qtbot, monkeypatch, K.Key_Escape)
    h.press(qtbot, K.Key_F1)
    listed = {name for keys, _ in shown.dialogs[0].rows for name in keys.split(" or ")}
    assert readme_keys() == listed
