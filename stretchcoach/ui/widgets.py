"""Small building blocks shared by the screens: styled labels, big buttons, notices.

A label's look is chosen by its ``role`` property, which the theme's style sheet matches,
so screens say what a piece of text *is* (a title, a caption, a notice) and the theme
alone decides its size and colour.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def label(text: str, role: str, *, wrap: bool = True, name: str | None = None) -> QLabel:
    """A text of the given role; wrapping by default, so nothing is cut when space is short.

    A screen reader reads the text itself as the label's name (so it follows every change);
    ``name`` says what the text is ("Spoken cue") and becomes its description.

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
        widget.setAccessibleDescription(name)
    return widget


MEDIA_KEYS = [
    QKeySequence(key)
    for key in (
        Qt.Key.Key_MediaPlay, Qt.Key.Key_MediaPause, Qt.Key.Key_MediaTogglePlayPause,
        Qt.Key.Key_MediaNext, Qt.Key.Key_MediaPrevious, Qt.Key.Key_MediaStop,
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


class FittingScroll(QScrollArea):
    """A vertical scroll area that asks for its content's whole height at its width, and
    scrolls (to whichever notice has the keyboard focus) only when given less."""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self._content = content
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        content = self._content
        width = self.viewport().width()
        height = content.heightForWidth(width) if content.hasHeightForWidth() else -1
        return QSize(width, height if height >= 0 else content.sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, min(self.sizeHint().height(), self.fontMetrics().height() * 3))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the text wraps anew: another height


BRIEF_NOTICES = {"voice": "No voice: captions only"}  # what a notice means in a few words


class Notices(QWidget):
    """Things the person should know (a broken routine file, no voice), one per line.

    Each notice has a key, so the part of the app that raised it can replace or withdraw
    it (the voice comes back). Each is a focusable label, so a screen reader reaches it.

    Told to be brief, it shows one short line instead ("No voice: captions only · 2 more
    notices on the routine list"): the session screen must keep its room for the picture
    and the words read from the mat, and the picker gives the first-run safety note the
    room. The full texts stay the short line's accessible description.
    """

    def __init__(self, *, brief: bool = False, elsewhere: str = "on the routine list") -> None:
        super().__init__()
        content = QWidget()
        self._layout = QVBoxLayout(content)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._labels: dict[str, QLabel] = {}
        self._brief = brief
        self._elsewhere = elsewhere
        self.brief_label = self._notice("")
        self.full = FittingScroll(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.brief_label)
        layout.addWidget(self.full)
        self._sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A notice reached with Tab scrolls into view (the scroll area alone does that
        only for Tab pressed inside it)."""
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLabel):
            self.full.ensureWidgetVisible(watched)
        return False

    def _notice(self, text: str) -> QLabel:
        notice = label(text, "notice", name="Notice")
        notice.installEventFilter(self)
        # Tab reaches it (a screen reader then reads it), but there is nothing to edit or
        # select: no text cursor, and the style sheet draws the focus round it instead.
        notice.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return notice

    def set(self, key: str, text: str | None) -> None:
        """Show ``text`` under ``key`` (replacing what was there), or withdraw it if None."""
        old = self._labels.pop(key, None)
        if old is not None:
            old.deleteLater()
        if text:
            before = list(self._labels.values())[-1] if self._labels else self.brief_label
            self._labels[key] = self._notice(text)
            self._layout.addWidget(self._labels[key])
            # Tab goes through the notices in order, between the title and what follows
            # (a widget made later would otherwise be last in the window's Tab order).
            QWidget.setTabOrder(before, self._labels[key])
        self._sync()

    def set_brief(self, brief: bool) -> None:
        self._brief = brief
        self._sync()

    def texts(self) -> list[str]:
        """Every notice in full, shown or not."""
        return [notice.text() for notice in self._labels.values()]

    def _sync(self) -> None:
        brief = [BRIEF_NOTICES[key] for key in self._labels if key in BRIEF_NOTICES]
        others = len(self._labels) - len(brief)
        if others:
            more = "more " if brief else ""
            brief.append(f"{others} {more}notice{'s' if others != 1 else ''} {self._elsewhere}")
        self.brief_label.setText(" · ".join(brief))
        self.brief_label.setAccessibleDescription("\n".join(self.texts()))
        self.brief_label.setVisible(self._brief)
        self.full.setVisible(not self._brief)
        self.full.updateGeometry()
        self.setVisible(bool(self._labels))


def clock_text(seconds: float) -> str:
    """``12:05`` for time remaining, rounded up so it never shows 0:00 early."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def about_minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"
