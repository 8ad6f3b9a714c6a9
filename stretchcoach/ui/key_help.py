"""The key help (? or F1): every key of the window, and the first-run safety note again.

It is built from the window's actions themselves (``ui.actions``, the one key table), so a
key added there appears here without a word changed in this file; a test holds the
README's key table to the same list. Each action's ``whatsThis`` says what it does.
Grouped by where the keys work, so Space can be "start", "pause" and "again" without a
contradiction; actions of no screen in particular are listed under "Anywhere".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from stretchcoach.ui.actions import Actions
from stretchcoach.ui.widgets import MEDIA_KEYS, FittingScroll, label

TWINS = [QKeySequence(Qt.Key.Key_Equal), QKeySequence(Qt.Key.Key_Underscore)]
"""Unshifted twins of + and − (on many keyboards + needs Shift): they work, unsaid."""
READABLE = {"Right": "→", "Left": "←", "Shift+Right": "Shift+→", "-": "−"}


def key_names(action: QAction) -> list[str]:
    """The action's keys as the help and the README write them ("→", "Ctrl+,")."""
    names = []
    for key in action.shortcuts():
        if key.isEmpty() or key in MEDIA_KEYS or key in TWINS:
            continue
        name = key.toString(QKeySequence.SequenceFormat.NativeText)
        names.append(READABLE.get(name, name))
    return names


def key_groups(actions: Actions) -> list[tuple[str, list[QAction]]]:
    """The actions with keys, by where they work: the screens', then all the others the
    window has (whoever added them)."""
    screens = [
        ("On the list of routines", actions.picker),
        ("During a session", actions.session),
        ("At the end", actions.completion),
        ("On the Progress screen", actions.progress_screen),
        ("When a step has been hurting, before a routine", actions.offer),
    ]
    grouped = {a for _, group in screens for a in group} - {actions.settings}
    anywhere = [a for a in actions.window.actions() if a not in grouped]
    groups = [(title, [a for a in group if a not in anywhere]) for title, group in screens]
    groups.append(("Anywhere", anywhere))
    return [(title, [a for a in group if key_names(a)]) for title, group in groups]


class KeyHelp(QDialog):
    """Every key, in large type; N shows the safety note (and back), Esc, ? or F1 close."""

    def __init__(self, actions: Actions, safety_note: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keys — StretchCoach")
        self.setModal(True)
        self.rows: list[tuple[str, str]] = []  # (keys, what they do), as shown
        self.pages = QStackedWidget()
        self.keys_page = FittingScroll(self._keys(key_groups(actions)))
        self.keys_page.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows scroll it
        self.keys_page.setAccessibleName("Keys")
        note = QWidget()
        note_layout = QVBoxLayout(note)
        note_layout.addWidget(label("Before you start", "heading"))
        self.note = label(safety_note, "note", name="Safety note")
        self.note.setAccessibleDescription(safety_note)
        note_layout.addWidget(self.note)
        note_layout.addStretch(1)
        self.note_page = FittingScroll(note)
        self.note_page.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.note_page.setAccessibleName("Safety note")
        self.pages.addWidget(self.keys_page)
        self.pages.addWidget(self.note_page)
        self.switch = QPushButton()
        self.switch.clicked.connect(self.toggle_note)
        self.close_button = QPushButton("Close (Esc)")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        for key in (QKeySequence("?"), QKeySequence(Qt.Key.Key_F1)):
            QShortcut(key, self, self.accept)
        QShortcut(QKeySequence(Qt.Key.Key_N), self, self.toggle_note)
        self._show(self.keys_page)
        self.resize(parent.window().size() * 0.8)

    def _keys(self, groups: Sequence[tuple[str, Sequence[QAction]]]) -> QWidget:
        content = QWidget()
        grid = QGridLayout(content)
        grid.setHorizontalSpacing(24)
        grid.setColumnStretch(1, 1)
        row = 0
        for title, group in groups:
            if not group:
                continue
            grid.addWidget(label(title, "heading"), row, 0, 1, 2)
            row += 1
            for action in group:
                self.rows.append((" or ".join(key_names(action)), action.whatsThis()))
                keys = label(self.rows[-1][0], "body", wrap=False)
                keys.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                grid.addWidget(keys, row, 0)
                grid.addWidget(label(self.rows[-1][1], "body"), row, 1)
                row += 1
        grid.setRowStretch(row, 1)
        return content

    def toggle_note(self) -> None:
        """The safety note, or back to the keys (N, or the button)."""
        on_note = self.pages.currentWidget() is self.note_page
        self._show(self.keys_page if on_note else self.note_page)

    def _show(self, page: FittingScroll) -> None:
        self.pages.setCurrentWidget(page)
        on_note = page is self.note_page
        self.switch.setText("Keys (N)" if on_note else "Safety note (N)")
        page.setFocus(Qt.FocusReason.OtherFocusReason)
