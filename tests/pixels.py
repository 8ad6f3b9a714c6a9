"""Colours as a person sees them: WCAG 2's relative luminance and contrast ratio, for the
theme's colours and for pixels of rendered widgets."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage


def luminance(colour: QColor | str) -> float:
    """Relative luminance, as WCAG 2 defines it."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    c = QColor(colour)
    r, g, b = (channel(v) for v in (c.redF(), c.greenF(), c.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: QColor | str, second: QColor | str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink(image: QImage, area: QRect, ground: QColor | str, ratio: float) -> list[tuple[int, int]]:
    """The pixels of ``area`` that stand out from ``ground`` by at least ``ratio``."""
    area = area.intersected(image.rect())
    return [
        (x, y)
        for y in range(area.top(), area.bottom() + 1)
        for x in range(area.left(), area.right() + 1)
        if contrast(image.pixelColor(x, y), ground) >= ratio
    ]
