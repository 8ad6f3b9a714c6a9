"""What the Progress screen, the picker and ``stretchcoach journal`` show: plain data.

Every function takes an open read connection (``Journal.read()``) and the person's
``today`` (their local date; injected, so tests choose it), and returns frozen dataclasses
of dates and numbers that a screen draws without further thought. ``progress()`` runs them
all in one snapshot for the Progress screen.

Definitions, said once here and in ``docs/journal.md``:

- A **day practised** is a local calendar day with at least one session (the day the
  session started, where the person was).
- A **streak** is a run of consecutive days practised. The **current** streak is the one
  that includes today, or that ran to yesterday when there is no session today yet (the
  day is not over: today cannot break it); otherwise it is 0.
- A **week** runs Monday to Sunday.
- The **pain trend** compares the average "pain now" (asked at the end of a session) over
  the last two weeks (today and the 13 days before) with the two weeks before those. It
  needs at least ``TREND_MIN_RATINGS`` ratings in each fortnight; a change of less than
  ``TREND_SAME`` points is "about the same".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from stretchcoach.journal.store import Journal

TREND_DAYS = 14
TREND_MIN_RATINGS = 2
TREND_SAME = 0.5
RECENT_MARKS = 50


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of ``today``'s week."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def month_of(today: date) -> tuple[date, date]:
    """The first and last day of ``today``'s month."""
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """The days from ``first`` to ``last``, and how many sessions each practised day had."""

    first: date
    last: date
    sessions: dict[date, int]

    @property
    def days_practised(self) -> int:
        return len(self.sessions)

    @property
    def total(self) -> int:
        """Sessions in these days."""
        return sum(self.sessions.values())


def calendar(conn: sqlite3.Connection, first: date, last: date) -> Calendar:
    rows = conn.execute(
        "SELECT day, count(*) FROM sessions WHERE day BETWEEN ? AND ? GROUP BY day",
        (first.isoformat(), last.isoformat()),
    )
    return Calendar(first, last, {_day(day): count for day, count in rows})


@dataclass(frozen=True)
class Streak:
    days: int
    first: date | None  # None when ``days`` is 0
    last: date | None


@dataclass(frozen=True)
class Streaks:
    current: Streak
    longest: Streak  # the most recent, of equally long ones


def _runs(days: Sequence[date]) -> list[Streak]:
    """The runs of consecutive days in ``days`` (sorted, distinct), oldest first."""
    runs: list[Streak] = []
    for day in days:
        last = runs[-1] if runs else None
        if last and last.last == day - timedelta(days=1):
            runs[-1] = Streak(last.days + 1, last.first, day)
        else:
            runs.append(Streak(1, day, day))
    return runs


NO_STREAK = Streak(0, None, None)


def streaks(conn: sqlite3.Connection, today: date) -> Streaks:
    days = [_day(d) for (d,) in conn.execute("SELECT DISTINCT day FROM sessions ORDER BY day")]
    longest = max(reversed(_runs(days)), key=lambda run: run.days, default=NO_STREAK)
    # Sessions dated after today (a computer with another clock) do not make today's streak.
    until_today = _runs([day for day in days if day <= today])
    current = until_today[-1] if until_today else NO_STREAK
    if current.last is None or current.last < today - timedelta(days=1):
        current = NO_STREAK
    return Streaks(current, longest)


@dataclass(frozen=True)
class SessionPoint:
    """One session on the pain chart: every session is marked, rated or not."""

    session_id: str
    day: date
    started: datetime | None
    routine_title: str
    pain_before: int | None
    pain: int | None  # "pain now", at the end


def pain_over_time(conn: sqlite3.Connection, first: date, last: date) -> list[SessionPoint]:
    rows = conn.execute(
        "SELECT id, day, started, coalesce(routine_title, routine), pain_before, pain "
        "FROM sessions WHERE day BETWEEN ? AND ? ORDER BY day, started, id",
        (first.isoformat(), last.isoformat()),
    )
    return [
        SessionPoint(sid, _day(day), _moment(started), title, before, pain)
        for sid, day, started, title, before, pain in rows
    ]


@dataclass(frozen=True)
class WeekPain:
    """The average "pain now" of a week's rated sessions (for charts over months or years)."""

    monday: date
    average: float
    ratings: int


def weekly_pain(points: Sequence[SessionPoint]) -> list[WeekPain]:
    weeks: dict[date, list[int]] = {}
    for point in points:
        if point.pain is not None:
            weeks.setdefault(week_of(point.day)[0], []).append(point.pain)
    return [WeekPain(monday, fmean(p), len(p)) for monday, p in sorted(weeks.items())]


@dataclass(frozen=True)
class TighterAnswer:
    day: date
    side: Literal["left", "right", "same"]


def tighter_over_time(conn: sqlite3.Connection, first: date, last: date) -> list[TighterAnswer]:
    rows = conn.execute(
        "SELECT day, tighter FROM sessions WHERE tighter IS NOT NULL AND day BETWEEN ? AND ? "
        "ORDER BY day, started, id",
        (first.isoformat(), last.isoformat()),
    )
    return [TighterAnswer(_day(day), side) for day, side in rows]


@dataclass(frozen=True)
class Mark:
    """A "this hurt" mark, with the session it belongs to."""

    session_id: str
    day: date
    at: datetime | None
    routine_title: str
    step: str
    step_title: str
    side: Literal["left", "right"] | None


def hurt_marks(conn: sqlite3.Connection, limit: int = RECENT_MARKS) -> list[Mark]:
    """The most recent marks first."""
    rows = conn.execute(
        "SELECT s.id, s.day, m.at, coalesce(s.routine_title, s.routine), m.step, "
        "coalesce(m.title, m.step), m.side "
        "FROM hurt_marks m JOIN sessions s ON s.id = m.session_id "
        "ORDER BY s.day DESC, s.started DESC, s.id DESC, m.position DESC LIMIT ?",
        (limit,),
    )
    return [
        Mark(sid, _day(day), _moment(at), routine, step, title, side)
        for sid, day, at, routine, step, title, side in rows
    ]


def last_done(conn: sqlite3.Connection) -> dict[str, date]:
    """For the picker: the last day each routine (by id) was done."""
    return {
        routine: _day(day)
        for routine, day in conn.execute("SELECT routine, max(day) FROM sessions GROUP BY routine")
    }


@dataclass(frozen=True)
class PainTrend:
    """The last two weeks' average "pain now" against the two weeks before."""

    recent: float | None  # None: fewer than TREND_MIN_RATINGS ratings
    recent_ratings: int
    earlier: float | None
    earlier_ratings: int

    @property
    def change(self) -> float | None:
        if self.recent is None or self.earlier is None:
            return None
        return self.recent - self.earlier

    @property
    def direction(self) -> Literal["lower", "higher", "about the same"] | None:
        change = self.change
        if change is None:
            return None
        if abs(change) < TREND_SAME:
            return "about the same"
        return "lower" if change < 0 else "higher"

    def words(self) -> str:
        """The trend in a sentence, with how many ratings it rests on."""
        recent = _ratings(self.recent_ratings)
        earlier = _ratings(self.earlier_ratings)
        if self.recent is None or self.earlier is None:
            return (
                "not enough ratings yet to see a trend "
                f"(at least {TREND_MIN_RATINGS} in each of the last two fortnights; "
                f"there are {recent} in the last 2 weeks and {earlier} in the 2 before)"
            )
        return (
            f"{self.direction}: {self.recent:.1f} on average in the last 2 weeks ({recent}), "
            f"against {self.earlier:.1f} in the 2 weeks before ({earlier})"
        )


def _ratings(n: int) -> str:
    return f"{n} rating{'s' if n != 1 else ''}"


def pain_trend(conn: sqlite3.Connection, today: date) -> PainTrend:
    halves = []
    for weeks_back in (0, 1):
        last = today - timedelta(days=TREND_DAYS * weeks_back)
        first = last - timedelta(days=TREND_DAYS - 1)
        ratings = [
            pain
            for (pain,) in conn.execute(
                "SELECT pain FROM sessions WHERE pain IS NOT NULL AND day BETWEEN ? AND ?",
                (first.isoformat(), last.isoformat()),
            )
        ]
        average = fmean(ratings) if len(ratings) >= TREND_MIN_RATINGS else None
        halves.append((average, len(ratings)))
    (recent, n_recent), (earlier, n_earlier) = halves
    return PainTrend(recent, n_recent, earlier, n_earlier)


@dataclass(frozen=True)
class Progress:
    """Everything the Progress screen shows, read in one snapshot."""

    today: date
    week: Calendar
    month: Calendar
    streaks: Streaks
    pain: list[SessionPoint]  # from ``since`` (all time by default) to today
    tighter: list[TighterAnswer]
    marks: list[Mark]
    trend: PainTrend

    @property
    def sessions_this_week(self) -> int:
        return self.week.total


def progress(journal: Journal, today: date, since: date = date.min) -> Progress:
    """Raises ``JournalUnavailable`` (in plain words) when the journal cannot be read."""
    with journal.read() as conn:
        return Progress(
            today=today,
            week=calendar(conn, *week_of(today)),
            month=calendar(conn, *month_of(today)),
            streaks=streaks(conn, today),
            pain=pain_over_time(conn, since, today),
            tighter=tighter_over_time(conn, since, today),
            marks=hurt_marks(conn),
            trend=pain_trend(conn, today),
        )


@dataclass(frozen=True)
class Summary:
    """What ``stretchcoach journal`` prints."""

    sessions_this_week: int
    streaks: Streaks
    trend: PainTrend
    sessions: int


def summary(journal: Journal, today: date) -> Summary:
    with journal.read() as conn:
        (total,) = conn.execute("SELECT count(*) FROM sessions").fetchone()
        return Summary(
            calendar(conn, *week_of(today)).total,
            streaks(conn, today),
            pain_trend(conn, today),
            total,
        )
