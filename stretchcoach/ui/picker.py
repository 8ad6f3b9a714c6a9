"""The first screen: choose a routine, see what it takes, start it.

It is also the only thing the first frame needs, so it imports nothing but Qt widgets and
is given plain ``PickerItem`` values: the catalog, the engine and the voice load later.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from stretchcoach.ui.widgets import BigButton, FittingScroll, Notices, about_minutes, label

ID_ROLE = Qt.ItemDataRole.UserRole
WITHIN_REACH = (
    "Keep the keyboard or a headset within reach. Space starts, and pauses at any time."
)


@dataclass(frozen=True)
class PickerItem:
    """What the picker shows of one routine."""

    id: str
    title: str
    summary: str
    props: tuple[str, ...]
    steps: int
    seconds: float  # its length at the person's pace
    own: bool  # the person's routine rather than a bundled one
    safety: tuple[str, ...] = ()  # the routine's own safety notes, read before it starts


def safety_text(notes: tuple[str, ...]) -> str:
    """A routine's safety notes as the picker shows them, one a line."""
    return "\n".join(["Take care:", *(f"• {note}" for note in notes)]) if notes else ""


class PickerView(QWidget):
    selection_changed = Signal(str)

    def __init__(self, start: QAction, settings: QAction, acknowledge: QAction) -> None:
        super().__init__()
        self._items: dict[str, PickerItem] = {}
        self._last_done: dict[str, str] = {}
        outer = QVBoxLayout(self)
        outer.setSpacing(16)
        outer.addWidget(label("Choose a routine", "title", name="Choose a routine"))
        self.notices = Notices(elsewhere="after this note")
        outer.addWidget(self.notices)
        body = QHBoxLayout()
        body.setSpacing(24)
        self.list = QListWidget()
        self.list.setAccessibleName("Routines")
        self.list.setAccessibleDescription(
            "Up and Down choose a routine; Space or Enter starts it."
        )
        self.list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._show_current)
        self.list.itemActivated.connect(lambda _item: start.trigger())
        body.addWidget(self.list, 4)
        right = QVBoxLayout()
        right.addWidget(self._safety_panel(acknowledge))
        right.addWidget(self._details(start, settings), 1)
        body.addLayout(right, 6)
        outer.addLayout(body, 1)
        self.setTabOrder(self.list, self.start_button)
        self.setTabOrder(self.start_button, self.settings_button)

    def _safety_panel(self, acknowledge: QAction) -> QFrame:
        """The first-run note; it takes the details' place until the person has read it."""
        self.safety = QFrame()
        self.safety.setProperty("role", "panel")
        self.safety.setAccessibleName("Safety note")
        layout = QVBoxLayout(self.safety)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.addWidget(label("Before you start", "heading"))
        # Read close up, before lying down: smaller than the session's words.
        self.safety_text = label("", "note", name="Safety note")
        layout.addWidget(self.safety_text)
        self.acknowledge_button = BigButton(
            acknowledge, "Hide this note; it will not show again.", primary=True
        )
        layout.addWidget(self.acknowledge_button)
        layout.addStretch(1)
        self.safety.setVisible(False)
        return self.safety

    def _details(self, start: QAction, settings: QAction) -> QWidget:
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(14)
        self.title = label("", "heading", name="Routine")
        self.facts = label("", "body", name="Length and steps")
        self.props = label("", "body", name="What you need")
        self.last_done = label("", "body", name="Last done")
        self.summary = label("", "muted", name="Summary")
        for widget in (self.title, self.facts, self.props, self.last_done):
            details.addWidget(widget)
        details.addWidget(self._about(), 1)
        self.reach = label(WITHIN_REACH, "body", name="Before you lie down")
        details.addWidget(self.reach)
        self.start_button = BigButton(start, "Start the chosen routine.", primary=True)
        self.settings_button = BigButton(settings, "Breath pace, voice and other settings.")
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 2)
        buttons.addWidget(self.settings_button, 1)
        details.addLayout(buttons)
        return self.details

    def _about(self) -> FittingScroll:
        """The summary and the routine's safety notes: as long as the routine's author made
        them, so they scroll when the window is small (Tab reaches them, and the arrow
        keys scroll)."""
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.safety_notes = label("", "note", name="Take care")
        layout.addWidget(self.summary)
        layout.addWidget(self.safety_notes)
        layout.addStretch(1)
        self.about = FittingScroll(content)
        self.about.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.about.setAccessibleName("About this routine")
        return self.about

    # Filling it ---------------------------------------------------------------------

    def set_items(self, items: list[PickerItem], selected: str | None) -> None:
        current = selected or self.selected_id()
        self._items = {item.id: item for item in items}
        self.list.clear()
        for item in items:
            entry = QListWidgetItem(f"{item.title}  ·  yours" if item.own else item.title)
            entry.setData(ID_ROLE, item.id)
            self.list.addItem(entry)
        self.select(current if current in self._items else (items[0].id if items else None))

    def set_last_done(self, words: dict[str, str]) -> None:
        """When each routine was last done, in words (from the journal, read off the
        window's thread): "Last done yesterday"."""
        self._last_done = dict(words)
        self._show_current(self.list.currentItem())

    def select(self, routine_id: str | None) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == routine_id:
                self.list.setCurrentRow(row)
                return
        self._show_current(None)

    def selected_id(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item else None

    def show_safety_note(self, text: str) -> None:
        self.safety_text.setText(text)
        self.safety.setVisible(True)
        self.details.setVisible(False)
        self.notices.set_brief(True)  # the note is read first, and whole

    def hide_safety_note(self) -> None:
        self.safety.setVisible(False)
        self.details.setVisible(True)
        self.notices.set_brief(False)

    def focus_default(self) -> None:
        target = self.acknowledge_button if self.safety.isVisible() else self.list
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_current(self, current: QListWidgetItem | None, _previous: object = None) -> None:
        item = self._items.get(str(current.data(ID_ROLE))) if current else None
        if item is None:
            for widget in (
                self.title, self.facts, self.props, self.last_done, self.summary,
                self.safety_notes,
            ):  # fmt: skip
                widget.setText("")
            self.title.setText("No routine to show")
            return
        self.title.setText(item.title)
        steps = f"{item.steps} step{'s' if item.steps != 1 else ''}"
        self.facts.setText(f"{about_minutes(item.seconds).capitalize()} at your pace · {steps}")
        self.props.setText("You need: " + (", ".join(item.props) if item.props else "just a mat"))
        self.last_done.setText(self._last_done.get(item.id, ""))
        self.last_done.setVisible(item.id in self._last_done)
        self.summary.setText(item.summary)
        self.safety_notes.setText(safety_text(item.safety))
        self.safety_notes.setAccessibleDescription(self.safety_notes.text())
        self.about.verticalScrollBar().setValue(0)
        self.about.updateGeometry()
        self.selection_changed.emit(item.id)
