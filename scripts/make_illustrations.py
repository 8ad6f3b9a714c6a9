#!/usr/bin/env python3
"""Regenerate every picture under assets/ from the pose data in stretchcoach/illustration.

Writes assets/illustrations/<name>.svg for each picture, assets/icons/stretchcoach.svg and
the icon's PNG sizes (rendered with Qt's SVG renderer, as the desktop will show them).
Run it after changing a pose, a prop or the style; tests fail while the files are stale.

    python scripts/make_illustrations.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QByteArray, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from stretchcoach.illustration.export import ICON, svg_files  # noqa: E402

ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def render_png(svg: str, size: int, out: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(svg.encode())).render(painter)
    painter.end()
    if not image.save(str(out)):
        raise OSError(f"could not write {out}")


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assets = ROOT / "assets"
    files = svg_files()
    for relative, text in files.items():
        path = assets / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    icons = assets / "icons"
    for size in ICON_SIZES:
        render_png(files[ICON], size, icons / f"stretchcoach-{size}.png")
    print(f"wrote {len(files)} SVG files and {len(ICON_SIZES)} icon sizes under {assets}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
