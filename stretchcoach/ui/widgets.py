"""Small building blocks shared by the screens: styled labels, big buttons, notices.

A label's look is chosen by its ``role`` property, which the theme's style sheet matches,
so screens say what a piece of text *is* (a title, a caption, a notice) and the theme
alone decides its size and colour.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


def label(text: str, role: str, *, wrap: bool = True, name: str | None = None) -> QLabel:
    """A text of the given role; wrapping by default, so nothing is cut when space is short.

    A wrapping label's own minimum height is the height of its text wrapped at a guessed
    width, which would make the window taller than the screen; the layouts give it the
    height of its text at the width it really gets (height for width) instead.
    """
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    if wrap:
        widget.setMinimumHeight(1)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if name:
        widget.setAccessibleName(name)
    return widget


MEDIA_KEYS = [
    QKeySequence(key)
    for key in (
        Qt.Key.Key_MediaPlay, Qt.Key.Key_MediaPause, Qt.Key.Key_MediaTogglePlayPause,
        Qt.Key.Key_MediaNext, Qt.Key.Key_MediaPrevious,
    )
]  # fmt: skip


def shortcut_text(action: QAction) -> str:
    """The action's keys as people read them ("Space", "Right"); media keys go unsaid."""
    keys = [
        k.toString(QKeySequence.SequenceFormat.NativeText)
        for k in action.shortcuts()
        if not k.isEmpty() and k not in MEDIA_KEYS
    ]
    return " or ".join(keys)


class BigButton(QPushButton):
    """A large button that mirrors a window action: its text, state and shortcut.

    Return and Enter press it as well as Space's usual click, so a person who tabs to a
    button never needs the mouse. (Space itself is the window's start/pause key.)
    """

    def __init__(self, action: QAction, description: str, *, primary: bool = False) -> None:
        super().__init__()
        self._action = action
        self._description = description
        self.setProperty("primary", primary)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.clicked.connect(action.trigger)
        action.changed.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        text = self._action.text().replace("&", "")
        keys = shortcut_text(self._action)
        self.setText(text)
        self.setEnabled(self._action.isEnabled())
        self.setToolTip(f"{text} ({keys})" if keys else text)
        self.setAccessibleName(text)
        self.setAccessibleDescription(
            f"{self._description} Shortcut: {keys}." if keys else self._description
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        super().keyPressEvent(event)


class Notices(QWidget):
    """Things the person should know (a broken routine file, no voice), one per line.

    Each notice has a key, so the part of the app that raised it can replace or withdraw
    it (the voice comes back). Each is a focusable label, so a screen reader reaches it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._labels: dict[str, QLabel] = {}
        self.setVisible(False)

    def set(self, key: str, text: str | None) -> None:
        """Show ``text`` under ``key`` (replacing what was there), or withdraw it if None."""
        old = self._labels.pop(key, None)
        if old is not None:
            old.deleteLater()
        if text:
            notice = label(text, "notice", name="Notice")
            notice.setAccessibleDescription(text)
            notice.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            self._layout.addWidget(notice)
            self._labels[key] = notice
        self.setVisible(bool(self._labels))

    def texts(self) -> list[str]:
        return [notice.text() for notice in self._labels.values()]


def clock_text(seconds: float) -> str:
    """``12:05`` for time remaining, rounded up so it never shows 0:00 early."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def about_minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"
