"""Sessions for the journal tests: built by hand, by the year, and by hypothesis."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from stretchcoach.coach.ports import Pace
from stretchcoach.journal.record import (
    DURATION_MAX,
    NOTE_MAX,
    HurtMark,
    SessionRecord,
    SkippedStep,
)

CET = timezone(timedelta(hours=1))


def at(day: date, hour: int = 7, minute: int = 30, tz: timezone = CET) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def session(day: date, **fields: Any) -> SessionRecord:
    """A completed app session of lower-back-relief at 07:30 (CET) on ``day``."""
    values: dict[str, Any] = {
        "day": day,
        "started": at(day),
        "routine": "lower-back-relief",
        "routine_title": "Lower back relief",
        "outcome": "completed",
        "steps_done": 16,
        "steps_total": 16,
        "duration_s": 900.0,
        "inhale_s": 4.0,
        "exhale_s": 6.0,
    }
    values.update(fields)
    return SessionRecord(**values)


def years_of_daily_sessions(last: date, years: int = 5) -> list[SessionRecord]:
    """One session a day for ``years`` years up to ``last``: pain drifting 2..8, a side
    answer most days, a note now and then, a skipped step weekly and a "this hurt" mark
    every ten days, as a person's real history would have."""
    days = years * 365 + years // 4 + 1
    records = []
    for n in range(days):
        day = last - timedelta(days=days - 1 - n)
        hurt = (
            (HurtMark(step="heel-slide", title="Heel slide", side="left", at=at(day, 7, 35)),)
            if n % 10 == 0
            else ()
        )
        skipped = (SkippedStep(step="easy-bridge", title="Easy bridge"),) if n % 7 == 0 else ()
        records.append(
            session(
                day,
                pain=2 + (n // 30) % 7,
                pain_before=3 + n % 5,
                compared=("better", "same", "worse")[n % 3],
                tighter=(None, "left", "right", "same")[n % 4],
                note=f"day {n}: felt looser, the left hip less" if n % 13 == 0 else None,
                outcome="completed-with-skips" if skipped else "completed",
                skipped=skipped,
                hurt=hurt,
            )
        )
    return records


def raw(path: Path) -> sqlite3.Connection:
    """A plain connection to a journal file, as a tool outside the app would open it."""
    return sqlite3.connect(path, isolation_level=None)


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on the file at ``path``, by a connection closed at once (an open
    one would keep the file's -wal and -shm companions)."""
    conn = raw(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def integrity(path: Path) -> str:
    (row,) = query(path, "PRAGMA integrity_check")
    return str(row[0])


# -- hypothesis ----------------------------------------------------------------------------

_line = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
_note = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"),
    min_size=1,
    max_size=NOTE_MAX,
)
_offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
_moments = st.builds(
    lambda day, clock, tz: datetime.combine(day, clock, tzinfo=tz),
    st.dates(date(1990, 1, 1), date(2100, 12, 31)),
    st.times(),
    _offsets,
)
_breath = st.floats(Pace.MIN_SECONDS, Pace.MAX_SECONDS)


def _maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | values


@st.composite
def records(draw: st.DrawFn) -> SessionRecord:
    """Any valid session: every optional field present or not, any text, any offset."""
    started = draw(st.none() | _moments)
    day = started.date() if started else draw(st.dates(date(1990, 1, 1), date(2100, 12, 31)))
    total = draw(st.none() | st.integers(1, 1000))
    done = draw(st.none() | st.integers(0, total or 1000))
    return SessionRecord(
        id=draw(st.uuids()).hex,
        day=day,
        started=started,
        routine=draw(_line),
        routine_title=draw(_maybe(_line)),
        outcome=draw(_maybe(st.sampled_from(["completed", "completed-with-skips", "stopped"]))),
        steps_done=done,
        steps_total=total,
        duration_s=draw(_maybe(st.floats(0, DURATION_MAX))),
        inhale_s=draw(_maybe(_breath)),
        exhale_s=draw(_maybe(_breath)),
        pain_before=draw(_maybe(st.integers(0, 10))),
        pain=draw(_maybe(st.integers(0, 10))),
        compared=draw(_maybe(st.sampled_from(["better", "same", "worse"]))),
        tighter=draw(_maybe(st.sampled_from(["left", "right", "same"]))),
        note=draw(_maybe(_note)),
        skipped=tuple(
            draw(st.lists(st.builds(SkippedStep, step=_line, title=_maybe(_line)), max_size=3))
        ),
        hurt=tuple(
            draw(
                st.lists(
                    st.builds(
                        HurtMark,
                        step=_line,
                        title=_maybe(_line),
                        side=_maybe(st.sampled_from(["left", "right"])),
                        at=_maybe(_moments),
                    ),
                    max_size=3,
                )
            )
        ),
    )
