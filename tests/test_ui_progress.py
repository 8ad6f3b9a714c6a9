"""The Progress screen: drawn from a real journal file (five years of daily sessions, and
none), read off the window's thread, and reached with P and left with Esc in the app.

The journals are real SQLite files in the test's private data folder, filled through the
journal's own API (``Journal.merge``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from app_harness import QT_NOISE, K, Make, cut_texts, overlapping, start
from journal_helpers import session, years_of_daily_sessions
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchcoach.journal.record import HurtMark
from stretchcoach.journal.store import Journal, journal_path
from stretchcoach.ui.journal_reader import JournalReader
from stretchcoach.ui.progress_screen import EMPTY_TITLE, ProgressScreen
from stretchcoach.ui.theme import DARK, LIGHT, palette, style_sheet, type_for
from stretchcoach.ui.window import MainWindow

pytestmark = QT_NOISE
TODAY = date(2026, 12, 3)


def opened(qtbot: QtBot, path: Path, size: tuple[int, int] = (1280, 800)) -> ProgressScreen:
    back = QAction("Back")
    screen = ProgressScreen(back, JournalReader(lambda: path, parent=back), today=lambda: TODAY)
    back.setParent(screen)
    qtbot.addWidget(screen)
    # The window's type sizes for this size, as the window sets them.
    screen.setStyleSheet(style_sheet(LIGHT, type_for(QSize(*size))))
    screen.resize(*size)
    screen.show()
    qtbot.waitExposed(screen)
    with qtbot.waitSignal(screen.drawn, timeout=10_000):
        screen.open_screen()
    screen.reader.close()
    return screen


def has_color(image: QImage, color: str) -> bool:
    """Whether ``color`` appears in ``image`` (a few thousand pixels looked at)."""
    want = QColor(color).rgb()
    step = max(1, image.width() // 200)
    return any(
        image.pixel(x, y) == want
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    )


@pytest.fixture
def five_years(tmp_path: Path) -> Path:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        journal.merge(years_of_daily_sessions(TODAY))
    return path


def test_five_years_of_daily_sessions_are_drawn(qtbot: QtBot, five_years: Path) -> None:
    screen = opened(qtbot, five_years)
    assert screen.pages.currentWidget() is screen.figures
    assert screen.streak.text() == "Streak 1,827 days · longest 1,827"
    assert screen.days.text() == "This week: 4 of 7 days\nDecember: 3 days"
    # Three months: 91 daily sessions, each rated.
    assert screen.pain.accessibleDescription().startswith("91 sessions in 3 months, 91 with")
    # Every tenth day has a mark: the most recent is 27 November (1,826 days after the first).
    assert screen.marks.item(0).text().startswith("27 Nov 2026 · Heel slide (left)")
    assert screen.marks.item(1).text().startswith("17 Nov 2026")
    accent = screen.palette().color(screen.palette().ColorRole.Highlight).name()
    assert has_color(screen.pain.grab().toImage(), accent), "no pain line drawn"
    assert has_color(screen.calendar.grab().toImage(), accent), "no day practised drawn"


def test_left_and_right_change_the_span(qtbot: QtBot, five_years: Path) -> None:
    screen = opened(qtbot, five_years)
    assert screen.pain.hasFocus()
    qtbot.keyClick(screen.pain, K.Key_Right)
    qtbot.keyClick(screen.pain, K.Key_Right)
    assert screen.pain_heading.text().startswith("Pain after sessions, all time")
    assert screen.pain.accessibleDescription().startswith("1827 sessions in all time")
    sides = screen.sides.accessibleDescription()
    # A side answer three days in four: left, right and same in turn.
    assert sides == "In all time: left tighter 457 times, right 457, the same 456."
    qtbot.keyClick(screen.pain, K.Key_Right)  # already the longest
    assert screen.pain_heading.text().startswith("Pain after sessions, all time")
    accent = screen.palette().color(screen.palette().ColorRole.Highlight).name()
    assert has_color(screen.pain.grab().toImage(), accent), "five years' weeks not drawn"
    for _ in range(4):
        qtbot.keyClick(screen.pain, K.Key_Left)
    assert screen.pain_heading.text().startswith("Pain after sessions, 4 weeks")
    qtbot.keyClick(screen.pain, K.Key_Tab)
    assert screen.marks.hasFocus()
    qtbot.keyClick(screen.marks, K.Key_Tab)
    assert screen.back_button.hasFocus()


@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)])
def test_nothing_is_cut_or_overlapping(
    qtbot: QtBot, five_years: Path, size: tuple[int, int]
) -> None:
    screen = opened(qtbot, five_years, size)
    assert cut_texts(screen) == []
    assert overlapping(screen) == []


def test_an_empty_journal_invites_a_first_session(qtbot: QtBot, tmp_path: Path) -> None:
    screen = opened(qtbot, tmp_path / "journal.sqlite3", size=(800, 600))
    assert screen.pages.currentWidget() is screen.message_page
    assert screen.message_title.text() == EMPTY_TITLE
    assert "stretchcoach journal log" in screen.message.text()
    assert screen.streak.text() == "No streak yet · longest 0"
    assert screen.back_button.hasFocus()


def test_a_journal_that_cannot_be_read_is_said_so(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    screen = opened(qtbot, folder)
    assert screen.pages.currentWidget() is screen.message_page
    assert screen.message.text().startswith("The journal could not be read")


def test_one_session_with_a_mark_and_no_rating(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    mark = HurtMark(step="knee-hug", title="Knee hug", side=None)
    with Journal(path) as journal:
        journal.merge([session(TODAY, hurt=(mark,))])
    screen = opened(qtbot, path)
    assert screen.pain.accessibleDescription() == "1 session in 3 months, no pain ratings."
    assert screen.marks.item(0).text() == "3 Dec 2026 · Knee hug · Lower back relief"
    assert screen.streak.text() == "Streak 1 day · longest 1"


def seed_app_journal() -> None:
    with Journal(journal_path()) as journal:
        journal.merge(years_of_daily_sessions(date.today(), years=1))


def test_p_opens_it_from_the_picker_and_esc_goes_back(make: Make, qtbot: QtBot) -> None:
    seed_app_journal()
    h = make()
    window: MainWindow = h.window
    h.press(qtbot, K.Key_P)
    assert window.progress is not None and window.current_screen() is window.progress
    assert window.windowTitle() == "Progress — StretchCoach"
    qtbot.waitUntil(lambda: window.progress is not None and window.progress.data is not None)
    assert window.progress.streak.text() == "Streak 366 days · longest 366"
    h.press(qtbot, K.Key_Escape)
    assert window.current_screen() is window.picker
    assert window.windowTitle() == "StretchCoach"


def test_p_opens_it_from_the_completion_screen_and_esc_comes_back(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.session.stop()
    qtbot.waitUntil(lambda: h.window.current_screen() is h.window.completion)
    title = h.window.windowTitle()
    h.press(qtbot, K.Key_P)
    assert h.window.current_screen() is h.window.progress
    h.press(qtbot, K.Key_Escape)
    assert h.window.current_screen() is h.window.completion
    assert h.window.windowTitle() == title
    h.press(qtbot, K.Key_Escape)  # Esc there still chooses another routine
    assert h.window.current_screen() is h.window.picker


def test_both_palettes_keep_the_chart_apart_from_the_background(
    qtbot: QtBot, five_years: Path
) -> None:
    before = QApplication.palette()
    try:
        for colors in (LIGHT, DARK):
            QApplication.setPalette(palette(colors))
            screen = opened(qtbot, five_years)
            image = screen.pain.grab().toImage()
            assert has_color(image, colors.accent)
            assert has_color(image, colors.background)
    finally:
        QApplication.setPalette(before)
