"""How long the moving figure takes to draw one frame, at the sizes the window uses.

A frame must take well under the 33 ms between frames (the view draws 30 a second), on a machine
without a GPU, so the movement stays smooth and the GUI thread stays free for the voice
and the keys. Prints the median and worst time per frame for each animated picture.

    python bench/figure.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from stretchcoach.illustration import ILLUSTRATIONS
from stretchcoach.ui.figure import FigureView

FRAMES = 60
SIZES = ((640, 360), (1280, 720), (1920, 1080))


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def main() -> None:
    _app = QApplication.instance() or QApplication(sys.argv[:1])
    clock = Clock()
    view = FigureView(clock=clock)
    print(f"{'picture':18} {'size':>10} {'median ms':>10} {'worst ms':>9}")
    for width, height in SIZES:
        view.resize(width, height)
        target = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        for name, picture in ILLUSTRATIONS.items():
            if not picture.animated:
                continue
            view.set_illustration(name)
            clock.now = 0.0
            view.move_to("end", duration_s=1.0)
            times = []
            for frame in range(FRAMES):
                clock.now = frame / FRAMES
                start = time.perf_counter()
                view.render(target)
                times.append((time.perf_counter() - start) * 1000)
            view.hold("start")
            print(
                f"{name:18} {width:>5}x{height:<4} {statistics.median(times):>10.2f} "
                f"{max(times):>9.2f}"
            )


if __name__ == "__main__":
    main()
