"""The Progress screen (key P): the days practised this week and month, the streak, pain
over time, which side felt tighter, and the steps marked "this hurt", most recent first.

The journal is read off the window's thread (``ui.journal_reader``): opening the screen
asks for a snapshot and shows it when it arrives (a few milliseconds for years of sessions), so
a slow disk or another copy of the app holding the file never freezes the window. An empty
journal gets words that invite a first session rather than empty axes; a journal that
cannot be read says so in plain words.

Keys: Left and Right change the span of the charts (4 weeks, 3 months, a year, all time)
while the pain chart has the focus (it has it when the screen opens); Tab reaches the list
of marks and the Back button; Esc goes back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from stretchcoach.journal.progress import Mark, PainTrend, Progress, Streak, progress
from stretchcoach.journal.store import Journal
from stretchcoach.ui.journal_reader import JournalReader
from stretchcoach.ui.progress_charts import (
    SPANS,
    MonthCalendar,
    PainChart,
    SidesChart,
    side_buckets,
    span_start,
)
from stretchcoach.ui.widgets import BigButton, label

EMPTY_TITLE = "Your journal is waiting for its first session"
EMPTY_TEXT = (
    "Every session you do is kept here, on this computer only: the days you practised, "
    "your streak, how your pain changes over weeks and months, and which side felt "
    "tighter. Press Esc, choose a routine and start: tomorrow this page will show it.\n\n"
    "Stretched away from the computer? Record it with: stretchcoach journal log ROUTINE"
)
READING = "Reading your journal…"
READ_TAG = "progress"


def streak_words(progress: Progress) -> str:
    current, longest = progress.streaks.current, progress.streaks.longest
    now = f"Streak {_days(current)}" if current.days else "No streak yet"
    return f"{now} · longest {longest.days:,}"


def _days(streak: Streak) -> str:
    return f"{streak.days:,} day{'s' if streak.days != 1 else ''}"


def trend_words(trend: PainTrend) -> str:
    """The pain trend in a line (``PainTrend.words`` says it in full, for the description)."""
    if trend.recent is None or trend.earlier is None:
        return "Too few pain ratings yet to see a trend."
    return (
        f"Last 2 weeks: {trend.direction} ({trend.recent:.1f} on average, "
        f"against {trend.earlier:.1f} the 2 weeks before)"
    )


def calendar_words(progress: Progress) -> str:
    week, month = progress.week, progress.month
    return (
        f"This week: {week.days_practised} of 7 days\n"
        f"{month.first:%B}: {month.days_practised} day{'s' if month.days_practised != 1 else ''}"
    )


def mark_words(mark: Mark) -> str:
    side = f" ({mark.side})" if mark.side else ""
    return f"{mark.day.day} {mark.day:%b %Y} · {mark.step_title}{side} · {mark.routine_title}"


class ProgressScreen(QWidget):
    """The screen; ``open_screen()`` (re)reads the journal and shows what it holds."""

    drawn = Signal()  # the journal's figures are on screen (painted) after a read

    def __init__(
        self,
        back: QAction,
        reader: JournalReader,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self._today = today
        self.reader = reader
        self.reader.answered.connect(self._answered)
        self.data: Progress | None = None
        self._awaiting_paint = False
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        top = QHBoxLayout()
        top.addWidget(label("Your progress", "title", wrap=False, name="Your progress"))
        self.streak = label("", "heading", name="Streak")
        self.streak.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.streak, 1)  # the rest of the row: the streak is read first
        layout.addLayout(top)
        self.pages = QStackedWidget()
        self.message = label(READING, "body", name="Journal")
        self.message_title = label("", "heading", name="Your journal")
        message_page = QWidget()
        message_layout = QVBoxLayout(message_page)
        message_layout.addStretch(1)
        message_layout.addWidget(self.message_title)
        message_layout.addWidget(self.message)
        message_layout.addStretch(2)
        self.message_page = message_page
        self.pages.addWidget(message_page)
        self.figures = self._figures()
        self.pages.addWidget(self.figures)
        layout.addWidget(self.pages, 1)
        self.back_button = BigButton(back, "Go back to where you were.")
        row = QHBoxLayout()
        row.addStretch(2)
        row.addWidget(self.back_button, 1)
        layout.addLayout(row)
        self.pain.painted.connect(self._painted)
        self.setTabOrder(self.pain, self.marks)
        self.setTabOrder(self.marks, self.back_button)

    def _figures(self) -> QWidget:
        figures = QWidget()
        body = QHBoxLayout(figures)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(28)
        left = QVBoxLayout()
        self.days = label("", "body", name="Days practised")
        self.calendar = MonthCalendar()
        left.addWidget(self.days)
        left.addWidget(self.calendar, 3)
        left.addWidget(label("Steps you marked “this hurt”", "muted", name="Marks heading"))
        self.marks = QListWidget()
        self.marks.setAccessibleName("Steps marked this hurt, most recent first")
        self.marks.setWordWrap(True)
        self.marks.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.addWidget(self.marks, 2)
        right = QVBoxLayout()
        self.pain_heading = label("", "body", name="Pain chart heading")
        self.pain = PainChart()
        self.pain.span_changed.connect(lambda _index: self._show_span())
        self.trend = label("", "muted", name="Pain trend")
        self.sides = SidesChart()
        right.addWidget(self.pain_heading)
        right.addWidget(self.pain, 3)
        right.addWidget(self.trend)
        right.addWidget(label("Which side felt tighter", "body", name="Sides heading"))
        right.addWidget(self.sides, 2)
        body.addLayout(left, 4)
        body.addLayout(right, 6)
        self.marks.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return figures

    # Reading ------------------------------------------------------------------------

    def open_screen(self) -> None:
        """Read the journal afresh (a session may have been recorded since)."""
        today = self._today()

        def snapshot(journal: Journal) -> Progress:
            return progress(journal, today)

        self.reader.read(READ_TAG, snapshot)

    def _answered(self, tag: str, result: object) -> None:
        if tag != READ_TAG:
            return
        if isinstance(result, Progress):
            self.show_progress(result)
        else:
            self._show_failure(f"The journal could not be read: {result}")

    def show_progress(self, data: Progress) -> None:
        self.data = data
        self.streak.setText(streak_words(data))
        self.streak.setAccessibleDescription(self.streak.text())
        if not data.pain:
            self._show_message(EMPTY_TITLE, EMPTY_TEXT)
            return
        self.days.setText(calendar_words(data))
        self.calendar.show_month(data.month, data.today)
        self.trend.setText(trend_words(data.trend))
        self.trend.setAccessibleDescription(f"Pain trend: {data.trend.words()}")
        self.marks.clear()
        for mark in data.marks:
            self.marks.addItem(QListWidgetItem(mark_words(mark)))
        if not data.marks:
            self.marks.addItem(QListWidgetItem("None: no step was marked as hurting."))
        self.marks.setCurrentRow(0)
        self._show_span()
        self.pages.setCurrentWidget(self.figures)
        self._awaiting_paint = True
        self.focus_default()

    def _show_failure(self, text: str) -> None:
        self.streak.setText("")
        self._show_message("Your progress cannot be shown just now", text)

    def _show_message(self, title: str, text: str) -> None:
        self.message_title.setText(title)
        self.message.setText(text)
        self.message.setAccessibleDescription(text)
        self.pages.setCurrentWidget(self.message_page)
        self.focus_default()
        self._awaiting_paint = False
        self.drawn.emit()

    def _show_span(self) -> None:
        data = self.data
        if data is None:
            return
        span = SPANS[self.pain.span_index]
        first = span_start(span, data.today, data.pain[0].day if data.pain else None)
        points = [p for p in data.pain if p.day >= first]
        self.pain_heading.setText(f"Pain after sessions, {span.words} (← → change)")
        self.pain.show_points(points, first, data.today)
        self.sides.show_buckets(
            side_buckets(data.tighter, first, data.today, span.buckets), span, data.today
        )

    def _painted(self) -> None:
        if self._awaiting_paint:
            self._awaiting_paint = False
            self.drawn.emit()

    def focus_default(self) -> None:
        showing_figures = self.pages.currentWidget() is self.figures
        target = self.pain if showing_figures else self.back_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)
