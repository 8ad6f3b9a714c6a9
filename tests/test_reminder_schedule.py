"""When the reminder comes: its settings, its calendar (checked against systemd's own
reading of it), the rule deciding what to do at a moment, the wait for its time, and the
read-only look at the settings and the journal that a background reminder takes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from stretchcoach import settings as settings_store
from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.store import Journal, journal_path
from stretchcoach.reminder import command, reminded
from stretchcoach.reminder.schedule import (
    NotToday,
    RemindNow,
    Schedule,
    WaitUntil,
    decide,
    long_moment,
)
from stretchcoach.settings import WEEKDAYS, Settings, Weekday

DAILY = frozenset(WEEKDAYS)
WEDNESDAY = date(2026, 12, 2)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()


@contextmanager
def local_time_of(zone: str) -> Iterator[None]:
    """Local time is ``zone``'s meanwhile (for this process and the programs it runs)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    clock.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        clock.tzset()


# --- the settings ---------------------------------------------------------------------


def test_the_reminder_is_off_by_default_and_every_day_once_on() -> None:
    assert Settings().remind_at is None and Settings().remind_days == DAILY
    assert Schedule.of(Settings()) is None
    assert Schedule.of(Settings(remind_at="07:05")) == Schedule(time(7, 5), DAILY)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("remind_at", "7:30", "it should be a time of day from 00:00 to 23:59, like 07:30"),
        ("remind_at", "24:00", "it should be a time of day from 00:00 to 23:59, like 07:30"),
        ("remind_at", "07:30:00", "it should be a time of day from 00:00 to 23:59, like 07:30"),
        ("remind_days", [], 'it should name at least one day, like ["mon"]'),
        ("remind_days", ["monday"], "Input should be 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'"),
        ("remind_days", "mon", "Input should be a valid frozenset"),
    ],
)
def test_bad_reminder_settings_are_refused_in_words(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings.model_validate({field: value})
    (error,) = caught.value.errors()
    assert error["loc"][0] == field and error["msg"].startswith(message)


def test_days_are_saved_in_week_order_whatever_order_they_came_in() -> None:
    saved = json.loads(Settings(remind_days=["sun", "wed", "mon"]).model_dump_json())
    assert saved["remind_days"] == ["mon", "wed", "sun"]


def test_a_bad_reminder_time_in_the_file_costs_only_itself() -> None:
    path = settings_store.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"inhale": 5.0, "remind_at": "25:00", "remind_days": ["tue"]}))
    loaded = settings_store.load()
    assert loaded.settings.inhale == 5.0 and loaded.settings.remind_days == {"tue"}
    assert loaded.settings.remind_at is None
    assert loaded.notice is not None
    assert "a bad value at remind_at: it should be a time of day" in loaded.notice


# --- the calendar -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "calendar", "words"),
    [
        (DAILY, "*-*-* 07:30:00", "at 07:30 every day"),
        (frozenset(WEEKDAYS[:5]), "Mon,Tue,Wed,Thu,Fri *-*-* 07:30:00", "at 07:30 on weekdays"),
        (frozenset({"sun", "sat"}), "Sat,Sun *-*-* 07:30:00", "at 07:30 at weekends"),
        (frozenset({"thu"}), "Thu *-*-* 07:30:00", "at 07:30 on Thursdays"),
        (
            frozenset({"fri", "mon", "wed"}),
            "Mon,Wed,Fri *-*-* 07:30:00",
            "at 07:30 on Mondays, Wednesdays and Fridays",
        ),
    ],
)
def test_calendar_and_words(days: frozenset[Weekday], calendar: str, words: str) -> None:
    schedule = Schedule(time(7, 30), days)
    assert schedule.on_calendar() == calendar
    assert schedule.words().startswith(words)


def _systemd_elapses(calendar: str, base: datetime, count: int) -> list[datetime]:
    """The next ``count`` moments systemd's calendar gives after ``base`` (local time)."""
    result = subprocess.run(
        [
            "systemd-analyze", "calendar", f"--iterations={count}",
            f"--base-time=@{int(base.timestamp())}", calendar,
        ],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    utc = re.findall(r"\(in UTC\): \w+ (\S+ \S+) UTC", result.stdout)
    if not utc:  # local time is UTC: systemd does not repeat it
        utc = re.findall(r"(?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+) UTC", result.stdout)
    return [datetime.fromisoformat(f"{moment}+00:00").astimezone() for moment in utc]


days_of_the_week = st.frozensets(st.sampled_from(WEEKDAYS), min_size=1)
clock_times = st.times().map(lambda t: t.replace(second=0, microsecond=0, fold=0))  # as saved
# Around the start and the end of summer time in Berlin, and ordinary weeks.
bases = st.datetimes(min_value=datetime(2026, 3, 20), max_value=datetime(2026, 11, 5))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
@settings(max_examples=60, deadline=None)
@given(at=clock_times, days=days_of_the_week, base=bases)
@example(at=time(2, 30), days=DAILY, base=datetime(2026, 3, 28, 12))  # clocks go forward
@example(at=time(2, 30), days=DAILY, base=datetime(2026, 10, 24, 12))  # and back
def test_systemd_reads_the_calendar_as_we_count_it(
    at: time, days: frozenset[Weekday], base: datetime
) -> None:
    """Our next moments are systemd's, in a zone with summer time: a time the clocks skip
    is skipped by both, a time that comes twice is its first."""
    with local_time_of("Europe/Berlin"):
        base = base.astimezone()
        schedule = Schedule(at, days)
        moments, now = [], base
        for _ in range(3):
            now = schedule.next_after(now)
            moments.append(now)
        assert _systemd_elapses(schedule.on_calendar(), base, 3) == moments


def test_a_time_the_clocks_skip_is_no_reminder_that_day() -> None:
    with local_time_of("Europe/Berlin"):
        schedule = Schedule(time(2, 30), DAILY)
        spring = date(2026, 3, 29)
        assert schedule.moment_on(spring) is None
        assert decide(schedule, _at(spring, 9), None) == NotToday("the clocks skip 02:30 today")
        assert schedule.next_after(_at(spring, 0)) == _at(spring + timedelta(1), 2, 30)
        autumn = _at(date(2026, 10, 25), 2, 30)
        assert schedule.moment_on(autumn.date()) == autumn and autumn.utcoffset() == timedelta(
            hours=2
        )


def test_next_after_counts_from_the_moment_given() -> None:
    schedule = Schedule(time(7, 30), frozenset({"wed", "fri"}))
    assert schedule.next_after(_at(WEDNESDAY, 7, 29)) == _at(WEDNESDAY, 7, 30)
    assert schedule.next_after(_at(WEDNESDAY, 7, 30)) == _at(date(2026, 12, 4), 7, 30)
    assert schedule.next_after(_at(date(2026, 12, 4), 8)) == _at(date(2026, 12, 9), 7, 30)


def test_moments_in_words() -> None:
    now = _at(WEDNESDAY, 6)
    assert long_moment(_at(WEDNESDAY, 7, 30), now) == "today at 07:30"
    assert long_moment(_at(date(2026, 12, 3), 7, 30), now) == "tomorrow at 07:30"
    assert long_moment(_at(date(2026, 12, 7), 18), now) == "on Monday 7 December at 18:00"


# --- what to do now ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "now", "reminded_on", "decision"),
    [
        (None, _at(WEDNESDAY, 8), None, NotToday("the reminder is off")),
        (
            Schedule(time(7, 30), frozenset({"mon"})),
            _at(WEDNESDAY, 8),
            None,
            NotToday("no reminder on Wednesdays"),
        ),
        (Schedule(time(7, 30), DAILY), _at(WEDNESDAY, 7), None, WaitUntil(_at(WEDNESDAY, 7, 30))),
        (Schedule(time(7, 30), DAILY), _at(WEDNESDAY, 7, 30), None, RemindNow()),
        (Schedule(time(7, 30), DAILY), _at(WEDNESDAY, 22), WEDNESDAY - timedelta(1), RemindNow()),
        (
            Schedule(time(7, 30), DAILY),
            _at(WEDNESDAY, 22),
            WEDNESDAY,
            NotToday("already reminded today"),
        ),
    ],
)
def test_the_rule(
    schedule: Schedule | None, now: datetime, reminded_on: date | None, decision: object
) -> None:
    assert decide(schedule, now, reminded_on) == decision


class FakeTime:
    """A wall clock that moves only when slept on (or jumped, as after a suspend)."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self.naps: list[float] = []

    def clock(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self.now += timedelta(seconds=seconds)


def _turn_on(at: str, days: list[str] | None = None) -> None:
    settings_store.save(Settings(remind_at=at, remind_days=days or list(WEEKDAYS)))


def test_a_login_before_the_time_waits_for_it_a_minute_at_a_time() -> None:
    _turn_on("07:30")
    fake = FakeTime(_at(WEDNESDAY, 7))
    assert command.wait_until_due(fake.clock, fake.sleep) == WEDNESDAY
    assert fake.now == _at(WEDNESDAY, 7, 30)
    assert len(fake.naps) == 30 and max(fake.naps) == command.RECHECK_EVERY


def test_a_suspend_past_the_time_reminds_on_waking() -> None:
    _turn_on("07:30")
    fake = FakeTime(_at(WEDNESDAY, 7))

    def suspend(seconds: float) -> None:
        fake.now = _at(WEDNESDAY, 9)  # the lid opened again at nine

    assert command.wait_until_due(fake.clock, suspend) == WEDNESDAY


def test_turning_it_off_while_waiting_ends_the_wait() -> None:
    _turn_on("07:30")
    fake = FakeTime(_at(WEDNESDAY, 7))

    def meanwhile(seconds: float) -> None:
        fake.sleep(seconds)
        settings_store.save(Settings())

    assert command.wait_until_due(fake.clock, meanwhile) is None
    assert fake.now < _at(WEDNESDAY, 7, 30)


def test_once_reminded_today_it_does_not_wait_again() -> None:
    _turn_on("07:30")
    reminded.mark(WEDNESDAY)
    fake = FakeTime(_at(WEDNESDAY, 9))
    assert command.wait_until_due(fake.clock, fake.sleep) is None
    assert fake.naps == []


# --- reading without changing -----------------------------------------------------------


def test_the_reminder_reads_its_settings_and_ignores_the_rest() -> None:
    path = settings_store.settings_path()
    assert command.saved_settings() == Settings()  # no file yet
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"rate": "fast", "remind_at": "06:00", "remind_days": ["sat"]}))
    found = command.saved_settings()
    assert found.remind_at == "06:00" and found.remind_days == {"sat"}
    path.write_text("{not json")
    assert command.saved_settings() == Settings()
    assert path.read_text() == "{not json"  # the window's to repair, and to tell


def test_the_journal_is_read_not_created_nor_repaired() -> None:
    today = WEDNESDAY
    assert command._journal_today(today) == (False, 0)
    assert not journal_path().exists()
    with Journal() as journal:
        for days_ago in (1, 2):
            journal.save(SessionRecord(day=today - timedelta(days_ago), routine="daily-minimum"))
    assert command._journal_today(today) == (False, 2)  # a session today makes three
    with Journal() as journal:
        journal.save(SessionRecord(day=today, routine="hip-stretch"))
    assert command._journal_today(today) == (True, 0)

    damaged = b"SQLite format 3\x00" + b"\xff" * 5000
    journal_path().write_bytes(damaged)
    for companion in journal_path().parent.glob("journal.sqlite3-*"):
        companion.unlink()
    assert command._journal_today(today) == (False, 0)  # remind anyway
    assert journal_path().read_bytes() == damaged
    assert [p.name for p in journal_path().parent.iterdir()] == ["journal.sqlite3"]


def test_the_words_say_what_a_session_today_makes_of_the_streak() -> None:
    assert "days in a row" not in command.body(0)
    assert command.body(1).endswith("A session today makes 2 days in a row.")


def test_a_stamp_that_cannot_be_read_counts_as_not_reminded() -> None:
    reminded.stamp_path().parent.mkdir(parents=True)
    reminded.stamp_path().write_text("yesterday\n")
    assert reminded.last_day() is None
    reminded.mark(WEDNESDAY)
    assert reminded.last_day() == WEDNESDAY
    reminded.forget()
    assert not reminded.stamp_path().exists()


@pytest.fixture(autouse=True)
def private_state(private_user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(private_user_dirs / "state"))
