"""Making a text fit the room a layout gives it, whatever a routine file says.

A routine may name a step with up to 80 characters and give it cues of up to 240 (the
model's bounds). The session screen must still show the picture and the breath, so a
title, the instruction's first sentence and the cue wrap onto a few lines, and only then
shrink, never below the floor of glanced text (``theme.TypeSizes.glance``); a line that
needs no more than a glance ("Next: …") is shortened with an ellipsis instead, its full
text kept as the label's accessible name, so a screen reader says it whole.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel

TITLE_LINES = 2
LEAD_LINES = 2
CAPTION_LINES = 3


def _lines(font: QFont, text: str, width: int) -> int:
    metrics = QFontMetrics(font)
    box = metrics.boundingRect(QRect(0, 0, width, 1 << 20), Qt.TextFlag.TextWordWrap, text)
    return max(1, round(box.height() / metrics.lineSpacing()))


def shrink_to_lines(
    label: QLabel, width: int, lines: int, smallest: int, texts: Iterable[str] = ()
) -> bool:
    """Give ``label`` the largest type (its style's size at most, ``smallest`` px at least)
    at which its text -- or the longest of ``texts`` it will show -- wraps onto ``lines``
    lines at ``width``; returns whether it does (at ``smallest`` it may take more)."""
    longest = max([label.text(), *texts], key=len)
    label.setStyleSheet("")  # back to the window's size for its role
    label.ensurePolished()
    largest = label.fontInfo().pixelSize()
    font = QFont(label.font())
    size = largest
    while True:
        font.setPixelSize(size)
        fits = _lines(font, longest, width) <= lines
        if fits or size <= smallest:
            break
        size -= 1
    if size != largest:
        label.setStyleSheet(f"font-size: {size}px;")
    return fits


def elide_to(label: QLabel, text: str, width: int) -> None:
    """Show ``text`` on one line of at most ``width`` pixels, ending in "…" if it must."""
    label.ensurePolished()
    label.setText(label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width))
    label.setAccessibleName(text)
