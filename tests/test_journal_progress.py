"""What the Progress screen, the picker and the summary show: calendar, streaks, pain over
time and its trend, sides, "this hurt" marks, last done; and the adapting rule."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from pathlib import Path

import pytest
from journal_helpers import at, session, years_of_daily_sessions

from stretchcoach.journal import adapt
from stretchcoach.journal.progress import (
    NO_STREAK,
    Streak,
    last_done,
    month_of,
    pain_trend,
    progress,
    streaks,
    summary,
    week_of,
    weekly_pain,
)
from stretchcoach.journal.record import HurtMark, SessionRecord, SkippedStep
from stretchcoach.journal.store import Journal
from stretchcoach.routine.catalog import load_catalog

TODAY = date(2026, 12, 3)  # a Thursday


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "journal.sqlite3") as journal:
        yield journal


def _keep(journal: Journal, *records: SessionRecord) -> None:
    journal.merge(records)


def _days_ago(*days: int) -> list[SessionRecord]:
    return [session(TODAY - timedelta(days=n)) for n in days]


def _streaks(journal: Journal, today: date = TODAY) -> tuple[int, int]:
    with journal.read() as conn:
        found = streaks(conn, today)
    return found.current.days, found.longest.days


def test_an_empty_journal_shows_nothing_yet(journal: Journal) -> None:
    shown = progress(journal, TODAY)
    assert shown.streaks.current == shown.streaks.longest == NO_STREAK
    assert shown.week.sessions == {} and shown.sessions_this_week == 0
    assert shown.pain == [] and shown.marks == [] and shown.tighter == []
    assert shown.trend.direction is None
    assert summary(journal, TODAY).sessions == 0


def test_a_streak_runs_over_consecutive_days(journal: Journal) -> None:
    _keep(journal, *_days_ago(0, 1, 2, 2, 5, 6, 7, 8))
    with journal.read() as conn:
        found = streaks(conn, TODAY)
    assert found.current == Streak(3, TODAY - timedelta(days=2), TODAY)
    assert found.longest == Streak(4, TODAY - timedelta(days=8), TODAY - timedelta(days=5))


def test_today_without_a_session_yet_does_not_break_the_streak(journal: Journal) -> None:
    _keep(journal, *_days_ago(1, 2, 3))
    assert _streaks(journal) == (3, 3)


def test_a_day_missed_ends_the_streak(journal: Journal) -> None:
    _keep(journal, *_days_ago(2, 3, 4, 5))
    assert _streaks(journal) == (0, 4)


def test_the_longest_of_equal_streaks_is_the_most_recent(journal: Journal) -> None:
    _keep(journal, *_days_ago(10, 11, 20, 21))
    with journal.read() as conn:
        longest = streaks(conn, TODAY).longest
    assert longest == Streak(2, TODAY - timedelta(days=11), TODAY - timedelta(days=10))


def test_a_session_counts_on_the_local_day_it_started(journal: Journal) -> None:
    """Either side of midnight are two days; the day is the local one where it was done."""
    yesterday = TODAY - timedelta(days=1)
    before_midnight = session(yesterday, started=at(yesterday, 23, 59))
    after_midnight = session(TODAY, started=at(TODAY, 0, 1))
    _keep(journal, before_midnight, after_midnight)
    assert _streaks(journal) == (2, 2)
    # 06:30 in Tokyo on the 4th is still the 3rd in Europe: it is the 4th that is practised.
    tokyo = timezone(timedelta(hours=9))
    tomorrow = TODAY + timedelta(days=1)
    _keep(journal, session(tomorrow, started=at(tomorrow, 6, 30, tokyo)))
    assert _streaks(journal, tomorrow) == (3, 3)


def test_sessions_dated_after_today_do_not_make_todays_streak(journal: Journal) -> None:
    _keep(journal, *_days_ago(-2, -1))  # from a computer with its clock ahead
    assert _streaks(journal) == (0, 2)
    _keep(journal, *_days_ago(0))
    assert _streaks(journal) == (1, 3)  # today; with tomorrow and the day after, 3 in all


def test_week_and_month_calendars(journal: Journal) -> None:
    assert week_of(TODAY) == (date(2026, 11, 30), date(2026, 12, 6))
    assert month_of(TODAY) == (date(2026, 12, 1), date(2026, 12, 31))
    assert month_of(date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    _keep(journal, *_days_ago(0, 0, 2, 3, 4, 10))  # 3, 3, 1 Dec, 30 Nov, 29 Nov, 23 Nov
    shown = progress(journal, TODAY)
    assert shown.week.sessions == {TODAY: 2, date(2026, 12, 1): 1, date(2026, 11, 30): 1}
    assert shown.sessions_this_week == 4 and shown.week.days_practised == 3
    assert shown.month.sessions == {TODAY: 2, date(2026, 12, 1): 1}


@dataclass
class _Pain:
    days_ago: int
    pain: int | None


def _rated(*ratings: _Pain) -> list[SessionRecord]:
    return [session(TODAY - timedelta(days=r.days_ago), pain=r.pain) for r in ratings]


def test_pain_trend_compares_the_last_two_weeks_with_the_two_before(journal: Journal) -> None:
    _keep(
        journal,
        *_rated(_Pain(0, 2), _Pain(13, 4), _Pain(5, None)),  # last 2 weeks: 3.0 from 2
        *_rated(_Pain(14, 5), _Pain(20, 6), _Pain(27, 7)),  # 2 weeks before: 6.0 from 3
        *_rated(_Pain(28, 10)),  # 4 weeks ago: outside
    )
    with journal.read() as conn:
        trend = pain_trend(conn, TODAY)
    assert (trend.recent, trend.recent_ratings, trend.earlier, trend.earlier_ratings) == (
        3.0,
        2,
        6.0,
        3,
    )
    assert trend.direction == "lower"
    assert trend.words() == (
        "lower: 3.0 on average in the last 2 weeks (2 ratings), "
        "against 6.0 in the 2 weeks before (3 ratings)"
    )


@pytest.mark.parametrize(
    ("recent", "earlier", "direction"),
    [
        ((4, 4, 5), (4, 4, 4), "about the same"),  # +0.33
        ((4, 5), (4, 4), "higher"),  # +0.5: a change
        ((1, 1), (2, 1), "lower"),
    ],
)
def test_pain_trend_directions(
    journal: Journal, recent: tuple[int, ...], earlier: tuple[int, ...], direction: str
) -> None:
    _keep(journal, *_rated(*(_Pain(n, p) for n, p in enumerate(recent, start=1))))
    _keep(journal, *_rated(*(_Pain(n, p) for n, p in enumerate(earlier, start=15))))
    assert summary(journal, TODAY).trend.direction == direction


def test_pain_trend_needs_two_ratings_in_each_fortnight(journal: Journal) -> None:
    _keep(journal, *_rated(_Pain(1, 3), _Pain(2, 3), _Pain(15, 5)))
    trend = summary(journal, TODAY).trend
    assert trend.recent == 3.0 and trend.earlier is None and trend.change is None
    assert trend.words().startswith("not enough ratings yet to see a trend")
    assert "2 ratings in the last 2 weeks and 1 rating in the 2 before" in trend.words()


def test_marks_sides_and_last_done(journal: Journal) -> None:
    older = TODAY - timedelta(days=3)
    _keep(
        journal,
        session(older, tighter="left", hurt=(HurtMark(step="a", title="A", side="left"),)),
        session(
            TODAY,
            tighter="same",
            hurt=(HurtMark(step="b", title="B", at=at(TODAY)), HurtMark(step="c")),
        ),
        session(older, routine="daily-minimum", routine_title="Daily minimum", started=None),
    )
    shown = progress(journal, TODAY)
    assert [(m.step, m.step_title, m.day) for m in shown.marks] == [
        ("c", "c", TODAY),
        ("b", "B", TODAY),
        ("a", "A", older),
    ]
    assert shown.marks[1].at == at(TODAY) and shown.marks[2].side == "left"
    assert [(t.day, t.side) for t in shown.tighter] == [(older, "left"), (TODAY, "same")]
    with journal.read() as conn:
        assert last_done(conn) == {"lower-back-relief": TODAY, "daily-minimum": older}


def test_five_years_of_daily_sessions(journal: Journal) -> None:
    history = years_of_daily_sessions(TODAY)
    assert journal.merge(history).added == len(history) == 1827
    shown = progress(journal, TODAY)
    assert shown.streaks.current == shown.streaks.longest
    assert shown.streaks.current.days == len(history)
    assert shown.sessions_this_week == 4 and shown.month.days_practised == 3
    assert len(shown.pain) == len(history)
    assert [p.day for p in shown.pain] == [r.day for r in history]
    assert all(p.pain is not None for p in shown.pain)
    weeks = weekly_pain(shown.pain)
    assert len(weeks) == 262 and sum(w.ratings for w in weeks) == len(history)
    assert all(2 <= w.average <= 8 for w in weeks)
    assert len(shown.marks) == 50 and shown.marks[0].day == TODAY - timedelta(days=6)
    assert [m.day for m in shown.marks] == sorted((m.day for m in shown.marks), reverse=True)
    assert len(shown.tighter) == sum(1 for r in history if r.tighter)
    assert shown.trend.recent_ratings == shown.trend.earlier_ratings == 14
    one_year = progress(journal, TODAY, since=TODAY - timedelta(days=364))
    assert len(one_year.pain) == 365


# -- adapting -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    key: str
    title: str


STEPS = (
    _Step("knee-hug", "Knee hug"),
    _Step("heel-slide", "Heel slide"),
    _Step("bridge", "Bridge"),
)


def _done(days_ago: int, hurt: tuple[str, ...] = (), **fields: object) -> SessionRecord:
    day = TODAY - timedelta(days=days_ago)
    marks = tuple(HurtMark(step=key) for key in hurt)
    return session(day, **{"steps_total": 3, "steps_done": 3, "hurt": marks, **fields})


def _offers(journal: Journal, **kwargs: object) -> list[adapt.Offer]:
    return adapt.offers(journal, "lower-back-relief", STEPS, **kwargs)  # type: ignore[arg-type]


def test_a_step_marked_in_two_of_its_last_five_sessions_is_offered(journal: Journal) -> None:
    _keep(journal, _done(9, ("heel-slide",)), _done(8), _done(7, ("heel-slide", "bridge")))
    (offer,) = _offers(journal)
    assert (offer.step, offer.marked, offer.sessions, offer.gentler) == ("heel-slide", 2, 3, None)
    assert offer.days == (TODAY - timedelta(days=7), TODAY - timedelta(days=9))
    assert offer.reason == (
        "You marked “Heel slide” as hurting in 2 of the last 3 sessions that had it "
        "(24 Nov 2026 and 26 Nov 2026)."
    )


def test_sessions_without_a_mark_retire_the_offer(journal: Journal) -> None:
    _keep(journal, _done(9, ("heel-slide",)), _done(8, ("heel-slide",)), _done(7, ("bridge",)))
    _keep(journal, *(_done(n) for n in (3, 2)))
    assert [(o.step, o.sessions) for o in _offers(journal)] == [("heel-slide", 5)]
    _keep(journal, _done(1))  # the older mark is now the step's sixth session back
    assert _offers(journal) == []


def test_the_rule_counts_only_the_sessions_that_had_the_step(journal: Journal) -> None:
    skipped = (SkippedStep(step="heel-slide"),)
    _keep(
        journal,
        _done(9, ("heel-slide",)),
        _done(8, ("heel-slide",)),
        # Not the step's sessions: skipped, stopped before it, logged by hand, another routine.
        *(_done(n, skipped=skipped) for n in (7, 6, 5)),
        _done(4, outcome="stopped", steps_done=1),
        _done(3, outcome=None, steps_done=None, started=None),
        _done(2, routine="daily-minimum"),
        _done(1, routine="daily-minimum", hurt=("knee-hug",)),
    )
    assert [(o.step, o.marked, o.sessions) for o in _offers(journal)] == [("heel-slide", 2, 2)]


def test_a_mark_counts_even_if_the_step_was_then_skipped_or_the_session_stopped(
    journal: Journal,
) -> None:
    _keep(
        journal,
        _done(2, ("heel-slide",), skipped=(SkippedStep(step="heel-slide"),)),
        _done(1, ("heel-slide",), outcome="stopped", steps_done=0),
        _done(0, ("knee-hug",)),
    )
    assert [(o.step, o.marked, o.sessions) for o in _offers(journal)] == [("heel-slide", 2, 3)]


def test_an_offer_names_the_gentler_variant_where_the_routine_has_one(journal: Journal) -> None:
    _keep(journal, _done(2, ("bridge",)), _done(1, ("bridge",)))
    (offer,) = _offers(journal, gentler={"bridge": "bridge-supported"})
    assert offer.gentler == "bridge-supported"


def test_the_rule_takes_the_steps_of_a_real_routine(journal: Journal) -> None:
    entry = load_catalog().get("lower-back-relief")
    assert entry is not None
    step = entry.steps[3]
    _keep(journal, _done(2, (step.key,)), _done(1, (step.key,)))
    (offer,) = adapt.offers(journal, entry.id, entry.steps)
    assert (offer.step, offer.title) == (step.key, step.title)
