"""The pictures on a dark screen: outlines, measuring marks and the pose to reach must
stand out from the near-black background as they do from the light one (issue 14, item 6).

Each picture is drawn by the window's own painter into an image, once in each palette's
colours, and the pixels are compared by WCAG 2's contrast ratio (3:1 is its least for
graphics that must be seen).
"""

from __future__ import annotations

import statistics

import pytest
from app_harness import QT_NOISE, Make, to_first_manual_step
from pixels import contrast
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from stretchcoach.illustration import ILLUSTRATIONS
from stretchcoach.illustration.primitives import Group, Label, Primitive, Scene
from stretchcoach.illustration.style import ON_DARK, OUTLINE
from stretchcoach.ui import theme
from stretchcoach.ui.painter import Layers, fit, paint_items

pytestmark = QT_NOISE
WIDTH, HEIGHT = 640, 360


def drawn(scene: Scene, items: tuple[Primitive, ...], *, dark: bool) -> QImage:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(QColor(theme.colors_for(dark).background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(fit(scene.frame, WIDTH, HEIGHT, False))
    paint_items(painter, items, Layers(WIDTH, HEIGHT, 1.0, dark=dark))
    painter.end()
    return image


def pixels_of(image: QImage, colour: str) -> list[tuple[int, int]]:
    """Where ``image`` is exactly ``colour`` (the inside of a line, not its soft edge)."""
    rgb = QColor(colour).rgb()
    return [(x, y) for y in range(HEIGHT) for x in range(WIDTH) if image.pixel(x, y) == rgb]


@pytest.mark.parametrize("name", ["knee-hug", "blankets-fold", "piriformis"])
def test_outlines_and_measuring_marks_stand_out_on_the_dark_screen(name: str) -> None:
    """Every pixel drawn in outline ink on the light screen is, on the dark screen, at
    least 3:1 from the background. (A label's text keeps its dark ink: it sits on a light
    plate, so labels are left out here.)"""
    scene = ILLUSTRATIONS[name].still()
    items = tuple(item for item in scene.items if not isinstance(item, Label))
    outline = pixels_of(drawn(scene, items, dark=False), OUTLINE)
    assert len(outline) > 500, "the picture has outlines to test"
    dark = drawn(scene, items, dark=True)
    background = theme.DARK.background
    faint = [p for p in outline if contrast(dark.pixelColor(*p), background) < 3]
    assert len(faint) <= 0.02 * len(outline), f"{len(faint)} of {len(outline)} faint"


def test_the_pose_to_reach_is_clear_on_the_dark_screen() -> None:
    scene = ILLUSTRATIONS["knee-hug"].still()
    ghost = tuple(item for item in scene.items if isinstance(item, Group))
    assert ghost, "knee-hug shows the pose to reach"
    image = drawn(scene, ghost, dark=True)
    background = theme.DARK.background
    ratios = [
        contrast(image.pixelColor(x, y), background)
        for y in range(0, HEIGHT, 2)
        for x in range(0, WIDTH, 2)
        if image.pixelColor(x, y) != QColor(background)
    ]
    assert ratios and statistics.median(ratios) >= 3.0


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_window_draws_the_picture_for_its_palette(
    make: Make, qtbot: QtBot, dark: bool
) -> None:
    h = make()
    h.window.apply_theme(dark)
    to_first_manual_step(h, qtbot)
    image = h.view.figure.grab().toImage()
    light_ink = QColor(ON_DARK[OUTLINE]).rgb()
    found = any(
        image.pixel(x, y) == light_ink
        for y in range(image.height())
        for x in range(image.width())
    )
    assert found is dark
