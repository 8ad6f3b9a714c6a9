"""The Settings dialog as it is drawn: check boxes that grow with the text and show in
both palettes, spin boxes that keep their arrows when focused, and Alt letters used once.

The dialog is the app's own, opened over the window whose style sheet it inherits.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_harness import QT_NOISE, Harness, Make
from pixels import contrast, ink
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from stretchcoach.resources import assets_dir
from stretchcoach.settings import Settings
from stretchcoach.ui import theme
from stretchcoach.ui.settings_dialog import SettingsDialog
from stretchcoach.voice.voices import VoiceInfo

pytestmark = QT_NOISE


def dialog_over(h: Harness, qtbot: QtBot, size: tuple[int, int], *, dark: bool) -> SettingsDialog:
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size().toTuple() == size)
    h.window.apply_theme(dark)
    voices = [VoiceInfo("system:gmw/en-us", "espeak-ng", "en-us", "English (America)")]
    dialog = SettingsDialog(Settings(auto_advance=None), voices, h.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def first_block(image: QImage, ground: QColor | str) -> QRect:
    """The leftmost run of columns holding ink: a check box's indicator, before its text."""
    columns = [
        any(contrast(image.pixelColor(x, y), ground) >= 3 for y in range(image.height()))
        for x in range(image.width())
    ]
    start = columns.index(True)
    end = columns.index(False, start)
    rows = [y for x, y in ink(image, QRect(start, 0, end - start, image.height()), ground, 3)]
    return QRect(start, min(rows), end - start, max(rows) - min(rows) + 1)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)])
def test_check_boxes_grow_with_the_text_and_stand_out_in_both_palettes(
    make: Make, qtbot: QtBot, size: tuple[int, int], dark: bool
) -> None:
    dialog = dialog_over(make(), qtbot, size, dark=dark)
    colors = theme.colors_for(dark)
    box = dialog.auto
    assert not box.isChecked()
    text_px = box.fontInfo().pixelSize()
    indicator = first_block(box.grab().toImage(), colors.background)
    assert indicator.width() >= 0.9 * text_px and indicator.height() >= 0.9 * text_px
    # Its outline against the dialog: WCAG's 3:1 for what must be seen to be used.
    image = box.grab().toImage()
    assert ink(image, indicator, colors.background, 3.0)
    box.setChecked(True)
    checked = box.grab().toImage()
    mark = ink(checked, indicator.adjusted(4, 4, -4, -4), colors.accent, 3.0)
    assert len(mark) >= indicator.width()  # the tick, drawn on the accent


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_focused_spin_box_keeps_its_arrows(make: Make, qtbot: QtBot, dark: bool) -> None:
    h = make()
    dialog = dialog_over(h, qtbot, (1280, 800), dark=dark)
    colors = theme.colors_for(dark)
    sizes = theme.type_for(h.window.size())
    box = dialog.exhale
    border, button = theme.px(3, sizes.scale), theme.px(30, sizes.scale)
    arrows = QRect(box.width() - border - button + 2, border + 2, button - 4, 0)
    arrows.setBottom(box.height() - border - 3)
    dialog.inhale.setFocus()
    qtbot.waitUntil(lambda: not box.hasFocus())
    before = box.grab().toImage().copy(arrows)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    after = box.grab().toImage().copy(arrows)
    drawn = ink(after, after.rect(), colors.surface, 4.5)
    assert drawn == ink(before, before.rect(), colors.surface, 4.5)  # focused or not
    assert len(drawn) >= button  # ... and they are there, two chevrons
    assert min(y for _x, y in drawn) < after.height() / 2 < max(y for _x, y in drawn)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)])
def test_spin_boxes_inset_their_text_from_the_border_as_combo_boxes_do(
    make: Make, qtbot: QtBot, size: tuple[int, int], dark: bool
) -> None:
    h = make()
    dialog = dialog_over(h, qtbot, size, dark=dark)
    colors = theme.colors_for(dark)
    border = theme.px(3, theme.type_for(h.window.size()).scale)

    def gap(widget: QWidget) -> int:
        """Columns between the left border's inner edge and the text's first ink (in the
        middle half of the height: the rounded corners are ink too)."""
        image = widget.grab().toImage()
        ground = colors.surface if widget.hasFocus() else colors.background
        inside = QRect(border, image.height() // 4, image.width() // 2, image.height() // 2)
        return min(x for x, _y in ink(image, inside, ground, 3)) - border

    combo = gap(dialog.breath_cues)
    assert combo >= 3
    for box in (dialog.inhale, dialog.rate, dialog.volume):
        assert gap(box) >= combo - 2, box.accessibleName()


def test_every_alt_letter_is_used_once(make: Make, qtbot: QtBot) -> None:
    dialog = dialog_over(make(), qtbot, (1280, 800), dark=False)
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
    letters = [m.lower() for text in texts for m in re.findall(r"&(\w)", text.replace("&&", ""))]
    assert len(letters) >= 8
    assert sorted(letters) == sorted(set(letters)), letters


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_drawn_marks_use_their_palettes_colours(name: str) -> None:
    colors = theme.LIGHT if name == "light" else theme.DARK
    marks = Path(assets_dir(), "ui")
    assert f'stroke="{colors.on_accent}"' in (marks / f"check-{name}.svg").read_text()
    for way in ("up", "down"):
        assert f'stroke="{colors.text}"' in (marks / f"{way}-{name}.svg").read_text()
