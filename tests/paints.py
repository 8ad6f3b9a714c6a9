"""Counting the paint events a widget gets: how a test sees that a frame was drawn, or
that one that would show the same picture was not."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject


class Paints(QObject):
    """Counts the paint events ``widget`` gets (``count``; a test may set it back to 0)."""

    def __init__(self, widget: QObject) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.count += event.type() == QEvent.Type.Paint
        return False
