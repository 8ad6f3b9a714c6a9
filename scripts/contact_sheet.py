#!/usr/bin/env python3
"""Render docs/illustrations.png: every picture, labelled, drawn by the window's renderer.

Animated pictures show their start, halfway and end poses (as the window shows them while
moving: the ghost and arrow point where the figure goes next); a few right-side (mirrored)
pictures and a dark-background row follow, to check legibility and mirroring at a glance.

    python scripts/contact_sheet.py [OUT.png]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QTransform  # noqa: E402

from stretchcoach.illustration import ILLUSTRATIONS, Illustration, blend  # noqa: E402
from stretchcoach.illustration.primitives import Scene  # noqa: E402
from stretchcoach.ui.figure import ease  # noqa: E402
from stretchcoach.ui.painter import Layers, fit, paint_items  # noqa: E402

CELL_W, CELL_H, CAPTION_H, GAP = 400, 225, 30, 12
COLUMNS = 4
LIGHT, DARK = QColor("#f6f4ef"), QColor("#1f2126")
Cell = tuple[str, Scene, bool, bool]  # caption, scene, mirrored, dark


def _cells_of(picture: Illustration) -> list[Cell]:
    if picture.start is None or picture.end is None:
        return [(picture.name, picture.scene(), False, False)]
    start, end = picture.start, picture.end
    halfway = blend(start, end, ease(0.5))
    return [
        (f"{picture.name}: start", picture.scene(start, end), False, False),
        (f"{picture.name}: moving", picture.scene(halfway, end), False, False),
        (f"{picture.name}: end", picture.scene(end, start), False, False),
    ]


def cells() -> list[Cell]:
    out = [cell for picture in ILLUSTRATIONS.values() for cell in _cells_of(picture)]
    slide, hug = ILLUSTRATIONS["arch-heel-slide"], ILLUSTRATIONS["knee-hug"]
    out += [
        ("arch-heel-slide: right side", slide.still(), True, False),
        ("knee-hug: right side", hug.still(), True, False),
        (
            "arch-heel-slide: end, dark",
            slide.scene(slide.pose("end"), slide.pose("start")),
            False,
            True,
        ),
        ("piriformis: start, dark", ILLUSTRATIONS["piriformis"].still(), False, True),
    ]
    return out


def render(out: Path) -> None:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    todo = cells()
    rows = -(-len(todo) // COLUMNS)
    width = COLUMNS * (CELL_W + GAP) + GAP
    height = rows * (CELL_H + CAPTION_H + GAP) + GAP
    sheet = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    sheet.fill(QColor("#d9d6cf"))
    layers = Layers(width, height, 1.0)
    painter = QPainter(sheet)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("DejaVu Sans")
    font.setPixelSize(17)
    painter.setFont(font)
    for i, (caption, scene, mirrored, dark) in enumerate(todo):
        x = GAP + (i % COLUMNS) * (CELL_W + GAP)
        y = GAP + (i // COLUMNS) * (CELL_H + CAPTION_H + GAP)
        painter.resetTransform()
        painter.fillRect(QRectF(x, y, CELL_W, CELL_H + CAPTION_H), DARK if dark else LIGHT)
        painter.setPen(QColor("#e8e6e0") if dark else QColor("#243447"))
        painter.drawText(
            QRectF(x, y + CELL_H, CELL_W, CAPTION_H), Qt.AlignmentFlag.AlignCenter, caption
        )
        placed = fit(scene.frame, CELL_W, CELL_H, mirrored)
        painter.setTransform(placed * QTransform.fromTranslate(x, y))
        paint_items(painter, scene.items, layers)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not sheet.save(str(out)):
        raise OSError(f"could not write {out}")
    print(f"wrote {out} ({len(todo)} pictures)")


if __name__ == "__main__":
    render(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "illustrations.png")
