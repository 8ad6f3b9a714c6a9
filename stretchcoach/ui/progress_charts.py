"""The Progress screen's pictures, drawn with QPainter: the month's calendar, pain over time
and which side felt tighter.

QPainter rather than QtCharts (which the project has, in PySide6-Addons): these are three
simple pictures, and drawing them ourselves keeps them in the window's two palettes and
type sizes (read from two metres, set by the style sheet), costs no extra library at start
(QtCharts pulls in QtOpenGL and its own scene of items), and draws five years of daily
sessions in a few milliseconds. Each widget takes plain data from
``stretchcoach.journal.progress`` and says in its accessible description what it shows,
so a screen reader tells the same story as the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from stretchcoach.journal.progress import (
    Calendar,
    SessionPoint,
    TighterAnswer,
    weekly_pain,
)

PAIN_MAX = 10
LONG_DAYS = 120  # longer than this: weekly averages, and dates as months
MIN_PX = 15  # the smallest chart text: a small window still reads from a little way off
WEEKDAYS = "MTWTFSS"
# The sides: left in the accent, right in a warm hue apart from it, "the same" a quiet
# grey between the background and the text, so the two sides stand out.
RIGHT_LIGHT, RIGHT_DARK = "#9c4a17", "#f0a36b"
SAME_LIGHT, SAME_DARK = "#a3acaf", "#5f6d72"


@dataclass(frozen=True)
class Span:
    """A stretch of time the charts show, chosen with Left and Right."""

    words: str  # "3 months": said and shown
    days: int | None  # None: from the first session on
    buckets: int  # bars on the sides chart


SPANS = (
    Span("4 weeks", 28, 4),
    Span("3 months", 91, 13),
    Span("a year", 365, 12),
    Span("all time", None, 12),
)
DEFAULT_SPAN = 1


def span_start(span: Span, today: date, first_session: date | None) -> date:
    if span.days is not None:
        return today - timedelta(days=span.days - 1)
    shortest = today - timedelta(days=27)  # at least four weeks, so a new journal has room
    return min(first_session or today, shortest)


class _Colors:
    """The window's palette, read when painting (it follows the system's light or dark)."""

    def __init__(self, widget: QWidget) -> None:
        pal = widget.palette()
        self.background = pal.color(QPalette.ColorRole.Window)
        self.surface = pal.color(QPalette.ColorRole.AlternateBase)
        self.text = pal.color(QPalette.ColorRole.WindowText)
        self.muted = pal.color(QPalette.ColorRole.Mid)
        self.accent = pal.color(QPalette.ColorRole.Highlight)
        self.on_accent = pal.color(QPalette.ColorRole.HighlightedText)
        dark = self.background.lightness() < 128
        self.right = QColor(RIGHT_DARK if dark else RIGHT_LIGHT)
        self.same = QColor(SAME_DARK if dark else SAME_LIGHT)


def _font(widget: QWidget, factor: float = 1.0, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 4 / 3)
    font.setPixelSize(max(MIN_PX, round(size * factor)))
    font.setBold(bold)
    return font


def _short(day: date, long: bool) -> str:
    return f"{day:%b %Y}" if long else f"{day.day} {day:%b}"


class _Chart(QWidget):
    """A chart: expanding, focus by Tab, redrawn when its data changes."""

    painted = Signal()  # after each paint: the screen tells when it was first drawn

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(120, 80))
        self.setAccessibleName(name)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.draw(painter, _Colors(self))
        if self.hasFocus():
            pen = QPen(_Colors(self).text, max(2, self.fontMetrics().height() // 8))
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(2, 2, -2, -2), 8, 8)
        painter.end()
        self.painted.emit()

    def draw(self, painter: QPainter, colors: _Colors) -> None:
        raise NotImplementedError


class MonthCalendar(_Chart):
    """The month as a grid of days, Monday first: a filled disc on each day practised,
    a ring round today, this week's row on a band."""

    def __init__(self) -> None:
        super().__init__("This month's calendar")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its words are in the heading above
        self._month: Calendar | None = None
        self._today = date.today()

    def show_month(self, month: Calendar, today: date) -> None:
        self._month, self._today = month, today
        days = sorted(d.day for d in month.sessions)
        self.setAccessibleDescription(
            f"{month.first:%B}: practised on {len(days)} days"
            + (f" (the {', '.join(str(d) for d in days)})" if days else "")
        )
        self.update()

    def sizeHint(self) -> QSize:
        height = self.fontMetrics().height()
        return QSize(height * 12, height * 9)

    def draw(self, painter: QPainter, colors: _Colors) -> None:
        month = self._month
        if month is None:
            return
        lead = month.first.weekday()
        rows = (lead + month.last.day + 6) // 7
        cell = min(self.width() / 7, self.height() / (rows + 1))
        left = (self.width() - cell * 7) / 2
        painter.setFont(_font(self, 0.8, bold=True))
        painter.setPen(colors.muted)
        for column, letter in enumerate(WEEKDAYS):
            painter.drawText(
                QRectF(left + column * cell, 0, cell, cell), Qt.AlignmentFlag.AlignCenter, letter
            )
        if month.first <= self._today <= month.last:  # this week's row, on a band
            row = (lead + self._today.day - 1) // 7
            band = QRectF(left, (row + 1.06) * cell, cell * 7, cell * 0.88)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.surface)
            painter.drawRoundedRect(band, cell * 0.44, cell * 0.44)
        painter.setFont(_font(self, 0.9))
        for n in range(month.last.day):
            row, column = divmod(lead + n, 7)
            box = QRectF(left + column * cell, (row + 1) * cell, cell, cell)
            self._draw_day(painter, colors, month.first + timedelta(days=n), box)

    def _draw_day(self, painter: QPainter, colors: _Colors, day: date, box: QRectF) -> None:
        assert self._month is not None
        disc = box.adjusted(
            box.width() * 0.1, box.height() * 0.1, -box.width() * 0.1, -box.height() * 0.1
        )
        practised = day in self._month.sessions
        if practised:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.accent)
            painter.drawEllipse(disc)
        if day == self._today:
            painter.setPen(QPen(colors.text, max(2.0, box.width() * 0.07)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(disc)
        ink = (
            colors.on_accent if practised else (colors.text if day <= self._today else colors.muted)
        )
        painter.setPen(ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(day.day))


class PainChart(_Chart):
    """ "Pain now" (0–10) over the span: each rating a dot (weekly averages over a year or
    more), every session a tick along the bottom, rated or not. Left and Right change the
    span (``span_changed``)."""

    span_changed = Signal(int)

    def __init__(self) -> None:
        super().__init__("Pain over time")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._points: Sequence[SessionPoint] = ()
        self._first = self._last = date.today()
        self.span_index = DEFAULT_SPAN

    def show_points(self, points: Sequence[SessionPoint], first: date, last: date) -> None:
        self._points, self._first, self._last = points, first, last
        self.setAccessibleDescription(pain_words(points, SPANS[self.span_index]))
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: +1}.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
            return
        index = min(len(SPANS) - 1, max(0, self.span_index + step))
        if index != self.span_index:
            self.span_index = index
            self.span_changed.emit(index)

    def draw(self, painter: QPainter, colors: _Colors) -> None:
        small = _font(self, 0.9)
        metrics = QFontMetricsF(small)
        painter.setFont(small)
        plot = QRectF(
            metrics.horizontalAdvance("10") + metrics.height() * 0.9,
            metrics.height() * 0.8,
            0,
            0,
        )
        plot.setRight(self.width() - metrics.height() * 0.8)
        band = metrics.height() * 0.7  # the sessions' ticks
        plot.setBottom(self.height() - metrics.height() * 1.4 - band)
        if plot.width() < 10 or plot.height() < 10:
            return
        self._draw_axes(painter, colors, plot, metrics)
        span_days = max(1, (self._last - self._first).days)

        def x(day: date) -> float:
            return plot.left() + plot.width() * (day - self._first).days / span_days

        def y(pain: float) -> float:
            return plot.bottom() - plot.height() * pain / PAIN_MAX

        painter.setPen(QPen(colors.accent, 1.0))
        for point in self._points:
            px = x(point.day)
            painter.drawLine(QPointF(px, plot.bottom() + 4), QPointF(px, plot.bottom() + 4 + band))
        rated: list[tuple[date, float]]
        if span_days > LONG_DAYS:
            rated = [(w.monday + timedelta(days=3), w.average) for w in weekly_pain(self._points)]
        else:
            rated = [(p.day, float(p.pain)) for p in self._points if p.pain is not None]
        if not rated:
            painter.setPen(colors.muted)
            painter.setFont(_font(self))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No pain ratings in this time")
            return
        dots = [QPointF(x(day), y(pain)) for day, pain in rated]
        painter.setPen(QPen(colors.accent, max(2.0, metrics.height() / 8)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(QPolygonF(dots))
        radius = metrics.height() / (9 if len(dots) > 60 else 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.accent)
        for dot in dots:
            painter.drawEllipse(dot, radius, radius)

    def _draw_axes(
        self, painter: QPainter, colors: _Colors, plot: QRectF, metrics: QFontMetricsF
    ) -> None:
        for pain in range(0, PAIN_MAX + 1, 5):
            level = plot.bottom() - plot.height() * pain / PAIN_MAX
            painter.setPen(QPen(colors.surface, 2.0))
            painter.drawLine(QPointF(plot.left(), level), QPointF(plot.right(), level))
            painter.setPen(colors.muted)
            label = QRectF(0, level - metrics.height() / 2, plot.left() - 10, metrics.height())
            painter.drawText(
                label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(pain)
            )
        long = (self._last - self._first).days > LONG_DAYS
        below = QRectF(
            plot.left(), self.height() - metrics.height() * 1.2, plot.width(), metrics.height()
        )
        painter.setPen(colors.muted)
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft, _short(self._first, long))
        painter.drawText(below, Qt.AlignmentFlag.AlignRight, "today")


def pain_words(points: Sequence[SessionPoint], span: Span) -> str:
    """What the pain chart shows, in a sentence (its accessible description)."""
    ratings = [p.pain for p in points if p.pain is not None]
    sessions = f"{len(points)} session{'s' if len(points) != 1 else ''} in {span.words}"
    if not ratings:
        return f"{sessions}, no pain ratings."
    return (
        f"{sessions}, {len(ratings)} with a pain rating: {fmean(ratings):.1f} on average; "
        f"the latest {ratings[-1]}."
    )


@dataclass(frozen=True)
class SideCounts:
    first: date
    left: int
    same: int
    right: int

    @property
    def answers(self) -> int:
        return self.left + self.same + self.right


def side_buckets(
    answers: Sequence[TighterAnswer], first: date, last: date, buckets: int
) -> list[SideCounts]:
    """The answers counted in ``buckets`` equal stretches of ``first``..``last``."""
    days = (last - first).days + 1
    buckets = max(1, min(buckets, days))
    counts = [[0, 0, 0] for _ in range(buckets)]
    order = {"left": 0, "same": 1, "right": 2}
    for answer in answers:
        if first <= answer.day <= last:
            counts[(answer.day - first).days * buckets // days][order[answer.side]] += 1
    return [
        SideCounts(first + timedelta(days=i * days // buckets), *c) for i, c in enumerate(counts)
    ]


class SidesChart(_Chart):
    """Which side felt tighter: for each stretch of the span a bar split into left, same
    and right in proportion to the answers, with a legend in words."""

    def __init__(self) -> None:
        super().__init__("Which side felt tighter")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the pain chart's span rules it
        self._buckets: list[SideCounts] = []
        self._last = date.today()

    def show_buckets(self, buckets: list[SideCounts], span: Span, last: date) -> None:
        self._buckets, self._last = buckets, last
        left, same, right = (
            sum(getattr(b, side) for b in buckets) for side in ("left", "same", "right")
        )
        self.setAccessibleDescription(
            f"In {span.words}: left tighter {left} times, right {right}, the same {same}."
            if left + same + right
            else f"No answers about the tighter side in {span.words}."
        )
        self.update()

    def _long(self, first: date) -> bool:
        return (self._last - first).days > LONG_DAYS

    def draw(self, painter: QPainter, colors: _Colors) -> None:
        small = _font(self, 0.9)
        metrics = QFontMetricsF(small)
        painter.setFont(small)
        legend = (("Left", colors.accent), ("Same", colors.same), ("Right", colors.right))
        x = 0.0
        box = metrics.height() * 0.7
        for words, color in legend:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(QRectF(x, metrics.height() * 0.15, box, box), 3, 3)
            painter.setPen(colors.text)
            painter.drawText(QPointF(x + box * 1.4, metrics.ascent()), words)
            x += box * 2.4 + metrics.horizontalAdvance(words)
        area = QRectF(
            0, metrics.height() * 1.4, self.width(), self.height() - metrics.height() * 2.6
        )
        if not self._buckets or area.height() < 8:
            return
        first = self._buckets[0].first
        below = QRectF(0, area.bottom() + metrics.height() * 0.2, self.width(), metrics.height())
        painter.setPen(colors.muted)
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft, _short(first, self._long(first)))
        painter.drawText(below, Qt.AlignmentFlag.AlignRight, "today")
        if not any(b.answers for b in self._buckets):
            painter.setPen(colors.muted)
            painter.setFont(_font(self))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "No answers in this time")
            return
        slot = area.width() / len(self._buckets)
        for i, bucket in enumerate(self._buckets):
            bar = QRectF(
                area.left() + i * slot + slot * 0.12, area.top(), slot * 0.76, area.height()
            )
            if not bucket.answers:
                painter.setPen(QPen(colors.surface, 2.0))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(bar)
                continue
            top = bar.bottom()
            painter.setPen(Qt.PenStyle.NoPen)
            for count, (_words, color) in zip(
                (bucket.left, bucket.same, bucket.right), legend, strict=True
            ):
                height = bar.height() * count / bucket.answers
                painter.setBrush(color)
                painter.drawRect(QRectF(bar.left(), top - height, bar.width(), height))
                top -= height
