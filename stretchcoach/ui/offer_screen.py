"""Before a routine starts: a step that keeps hurting is offered to be skipped, or the
routine's gentler one done instead (``journal.adapt`` decides when; the person decides what).

The words are shown large and said aloud, with the keys (1, 2, 3; Esc goes back), so a
person already on the mat hears why the app asks and answers without looking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from stretchcoach.journal.adapt import Offer
from stretchcoach.ui.widgets import BigButton, label


@dataclass(frozen=True)
class Proposal:
    """The offers for one routine about to start, and its gentler routine if it has one."""

    routine_title: str
    offers: Sequence[Offer]
    gentler_title: str | None

    def heading(self) -> str:
        if len(self.offers) == 1:
            return f"“{self.offers[0].title}” has been hurting"
        return f"{len(self.offers)} steps have been hurting"

    def reason(self) -> str:
        return "\n".join(offer.reason for offer in self.offers)

    def keys(self) -> str:
        """The choices, with their keys, as they are said and shown."""
        them = "it" if len(self.offers) == 1 else "them"
        gentler = (
            f" 2 to do “{self.gentler_title}” instead," if self.gentler_title is not None else ""
        )
        return (
            f"Press 1 to skip {them} this time,{gentler} 3 to keep “{self.routine_title}” as it "
            "is, or Escape to go back."
        )

    def spoken(self) -> str:
        return f"Before you start. {self.reason()} {self.keys()}"


class OfferScreen(QWidget):
    def __init__(self, skip: QAction, gentler: QAction, keep: QAction) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(22)
        layout.addStretch(1)
        self.heading = label("", "title", name="Before you start")
        self.reason = label("", "body", name="Why")
        self.keys = label("", "heading", name="Your choice")
        for widget in (self.heading, self.reason, self.keys):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.skip_button = BigButton(
            skip, "Leave out the steps that hurt, this time.", primary=True
        )
        self.gentler_button = BigButton(gentler, "Do the routine's gentler version instead.")
        self.keep_button = BigButton(keep, "Do the routine as it is.")
        row = QHBoxLayout()
        for button in (self.skip_button, self.gentler_button, self.keep_button):
            row.addWidget(button)
        layout.addLayout(row)
        layout.addStretch(1)

    def show_proposal(self, proposal: Proposal) -> None:
        self.heading.setText(proposal.heading())
        self.reason.setText(proposal.reason())
        self.keys.setText(proposal.keys())
        self.keys.setAccessibleDescription(proposal.keys())
        self.gentler_button.setVisible(proposal.gentler_title is not None)

    def focus_default(self) -> None:
        self.skip_button.setFocus(Qt.FocusReason.OtherFocusReason)
