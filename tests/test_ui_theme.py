"""The look's promises: strong contrast in both palettes, type that scales with the window,
and the system's colour scheme followed."""

from __future__ import annotations

import pytest
from pixels import contrast
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from stretchcoach.ui import theme


@pytest.mark.parametrize("colors", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_every_text_colour_stands_out_from_what_it_is_written_on(colors: theme.Colors) -> None:
    assert contrast(colors.text, colors.background) >= 12  # read from two metres
    assert contrast(colors.text, colors.surface) >= 10  # buttons and panels
    assert contrast(colors.muted, colors.background) >= 6
    assert contrast(colors.muted, colors.surface) >= 4.5
    assert contrast(colors.accent, colors.background) >= 4.5  # captions, the phase word
    assert contrast(colors.accent, colors.surface) >= 3.5
    assert contrast(colors.on_accent, colors.accent) >= 4.5  # the big primary buttons
    assert contrast(colors.on_notice, colors.notice) >= 7


def test_type_scales_with_the_window_within_bounds() -> None:
    assert theme.scale_for(QSize(1280, 800)) == 1.0
    assert theme.scale_for(QSize(2560, 1600)) == 2.0
    assert theme.scale_for(QSize(1920, 800)) == 1.0  # the smaller proportion decides
    assert theme.scale_for(QSize(100, 100)) == theme.MIN_SCALE
    assert theme.scale_for(QSize(10_000, 10_000)) == theme.MAX_SCALE
    sheet = theme.style_sheet(theme.LIGHT, theme.type_for(QSize(1280, 800)))
    assert 'QLabel[role="title"] { font-size: 44px;' in sheet


@pytest.mark.usefixtures("qapp")
def test_an_unknown_scheme_follows_the_lightness_of_the_platform_palette() -> None:
    hints = QGuiApplication.styleHints()
    if hints.colorScheme().name != "Unknown":
        pytest.skip("this platform names its colour scheme")
    original = QGuiApplication.palette()
    try:
        for window_colour, dark in (("#101010", True), ("#f0f0f0", False)):
            palette = QPalette(original)
            palette.setColor(QPalette.ColorRole.Window, QColor(window_colour))
            QGuiApplication.setPalette(palette)
            assert theme.system_is_dark() is dark
    finally:
        QGuiApplication.setPalette(original)
