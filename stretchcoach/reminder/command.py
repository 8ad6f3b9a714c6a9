"""``stretchcoach remind``: show the daily reminder, set it, turn it off, say what it does.

``remind`` shows the notification now, unless today's session is in the practice journal;
"Start" opens StretchCoach (``launch.start_app``). ``remind --if-due`` is what the timer
and the login entry run: it first asks ``schedule.decide`` (waiting for today's time if
it is still to come), and shows the reminder at most once a day.

Exit statuses: 0 when all went as it should, including "no reminder needed" (not a
reminder day, already reminded, today's session done). 69 (``EX_UNAVAILABLE``) when the
notification could not be shown (no session bus, no notification service, no QtDBus),
after one log line: a systemd timer's service then shows as failed, and ``--status``
reports it, instead of a reminder that silently never comes. 1 for a bad option or a
reminder that could not be installed, said in words.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol, TextIO

from pydantic import ValidationError

from stretchcoach import launch, logs
from stretchcoach import settings as settings_store
from stretchcoach.reminder import reminded
from stretchcoach.reminder.install import EX_UNAVAILABLE, ReminderError, apply, status
from stretchcoach.reminder.schedule import (
    WEEKDAY_NAMES,
    NotToday,
    RemindNow,
    Schedule,
    decide,
    long_moment,
)
from stretchcoach.settings import WEEKDAYS, Settings, Weekday

log = logging.getLogger(__name__)
PROG = "stretchcoach remind"
SUMMARY = "Time for your stretches"
ACTIONS = (("default", "Start"), ("start", "Start"))  # "default": a click on the notification
APPEAR_WITHIN = 120.0  # at login, the notification server may come up after us
RECHECK_EVERY = 60.0  # while waiting for the time: the clock may jump (suspend, a new zone)
_REMIND_KEYS = ("remind_at", "remind_days")
_GROUPS: dict[str, frozenset[Weekday]] = {
    "daily": frozenset(WEEKDAYS),
    "weekdays": frozenset(WEEKDAYS[:5]),
    "weekends": frozenset(WEEKDAYS[5:]),
}

Clock = Callable[[], datetime]


class Answer(Protocol):
    """How a notification ended (``ui.desktop.notify.Answer``)."""

    @property
    def shown(self) -> bool: ...
    @property
    def why(self) -> str: ...
    @property
    def action(self) -> str | None: ...
    @property
    def token(self) -> str | None: ...


class Ask(Protocol):
    """Shows a notification with buttons and waits for the answer
    (``ui.desktop.notify.ask``: Qt's, so it is handed in from above, by ``cli``)."""

    def __call__(
        self,
        summary: str,
        body: str,
        actions: Sequence[tuple[str, str]],
        *,
        wait: float,
        appear_within: float,
        shown: Callable[[], None] | None = None,
    ) -> Answer: ...


def _now() -> datetime:
    return datetime.now().astimezone()


# --- reading what it needs, changing nothing --------------------------------------------


def saved_settings() -> Settings:
    """The reminder's settings as saved. A background reminder only reads: a bad file is
    the window's to repair (and to tell the person about), so here it just means "off"."""
    path = settings_store.settings_path()
    if not path.is_file():  # none yet (or a pipe or a folder: the window's to report)
        return Settings()
    try:
        with path.open("rb") as f:
            data = json.loads(f.read(settings_store.MAX_BYTES + 1))
    except (OSError, ValueError) as err:
        log.warning("cannot read the reminder's settings in %s: %s", path, err)
        return Settings()
    fields = {k: data[k] for k in _REMIND_KEYS if k in data} if isinstance(data, dict) else {}
    try:
        return Settings.model_validate(fields)
    except ValidationError as err:
        log.warning("the reminder's settings in %s are not valid, so it is off: %s", path, err)
        return Settings()


def _journal_today(today: date) -> tuple[bool, int]:
    """Whether a session is recorded today, and the streak that a session today extends.

    The journal is opened read-only: a reminder never creates, repairs or moves it. One
    that cannot be read counts as "not done": better a reminder too many than none.
    """
    from stretchcoach.journal.progress import calendar, streaks
    from stretchcoach.journal.store import journal_path

    path = journal_path()
    if not path.is_file():
        return False, 0
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=2.0)
        try:
            done = calendar(conn, today, today).total > 0
            current = streaks(conn, today).current
        finally:
            conn.close()
    except sqlite3.Error as err:
        log.warning("cannot read the practice journal %s (%s); reminding anyway", path, err)
        return False, 0
    return done, current.days if current.last == today - timedelta(days=1) else 0


def body(streak: int) -> str:
    text = "Your routine is ready when you are: press Start and StretchCoach opens with it."
    return text + (f" A session today makes {streak + 1} days in a row." if streak else "")


# --- showing it -------------------------------------------------------------------------


def wait_until_due(clock: Clock, sleep: Callable[[float], None]) -> date | None:
    """Wait until the reminder is due today; the day, or None when none is due today.

    Sleeps a minute at most between looks at the wall clock and the settings, so a
    suspended computer or a changed setting is noticed (a reminder turned off meanwhile
    does not come)."""
    waiting_for: datetime | None = None
    while True:
        now = clock()
        decision = decide(Schedule.of(saved_settings()), now, reminded.last_day())
        if isinstance(decision, NotToday):
            log.info("no reminder now: %s", decision.why)
            return None
        if isinstance(decision, RemindNow):
            return now.date()
        if decision.moment != waiting_for:
            log.info("waiting for the reminder's time, %s", long_moment(decision.moment, now))
            waiting_for = decision.moment
        sleep(min(RECHECK_EVERY, (decision.moment - now).total_seconds()))


def remind(
    *,
    if_due: bool,
    wait: float,
    notifier: Callable[[], Ask],
    clock: Clock = _now,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Show the reminder (see the module docstring); the exit status.

    ``notifier()`` imports and returns what shows it, only when one is shown (no Qt
    otherwise); ImportError where there is no QtDBus."""
    logs.configure()
    if if_due:
        due = wait_until_due(clock, sleep)
        if due is None:
            return 0
        today = due
    else:
        today = clock().date()
    done, streak = _journal_today(today)
    if done:
        log.info("today's session is in the journal: no reminder")
        return 0
    try:
        ask = notifier()
    except ImportError as err:
        log.warning("the reminder could not be shown: no QtDBus (%s)", err)
        return EX_UNAVAILABLE
    answer = ask(
        SUMMARY,
        body(streak),
        ACTIONS,
        wait=wait,
        appear_within=min(wait, APPEAR_WITHIN),
        shown=(lambda: reminded.mark(today)) if if_due else None,
    )
    if not answer.shown:
        log.warning("the reminder could not be shown: %s", answer.why)
        return EX_UNAVAILABLE
    log.info("reminder: %s", answer.why)
    if answer.action in {key for key, _label in ACTIONS}:
        launch.start_app(answer.token)
    return 0


# --- setting it -------------------------------------------------------------------------


def parse_time(text: str) -> str:
    """ "7:30" or "07:30" as the settings keep it ("07:30"); ValueError in words."""
    hours, colon, minutes = text.strip().partition(":")
    digits = colon and hours.isdigit() and minutes.isdigit()
    if digits and len(hours) <= 2 and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60:
        return f"{int(hours):02d}:{minutes}"
    raise ValueError(f"--at: {text!r} is not a time of day; give it as HH:MM, like 07:30")


def parse_days(text: str) -> frozenset[Weekday]:
    """ "mon,wed,fri", "Monday, Friday", "weekdays", "weekends" or "daily"."""
    days: set[Weekday] = set()
    for word in filter(None, (w.strip().lower() for w in text.split(","))):
        if word in _GROUPS:
            days |= _GROUPS[word]
            continue
        named = [d for d in WEEKDAYS if WEEKDAY_NAMES[d].lower().startswith(word)]
        if len(word) < 3:  # "t", "s": Tuesday or Thursday? Saturday or Sunday?
            named = []
        if not named:
            raise ValueError(
                f"--days: {word!r} is not a day; give days like mon,tue,wed "
                "(or weekdays, weekends, daily)"
            )
        days.update(named)
    if not days:
        raise ValueError("--days: give at least one day, like mon,tue,wed")
    return frozenset(days)


def set_reminder(at: str | None, days: str | None, out: TextIO, err: TextIO) -> int:
    """``remind --at HH:MM [--days DAYS]`` and ``remind --days DAYS``: save and install."""
    loaded = settings_store.load()
    if loaded.notice:
        err.write(f"{loaded.notice}\n")
    settings = loaded.settings
    try:
        changes: dict[str, object] = {}
        if at is not None:
            changes["remind_at"] = parse_time(at)
        elif settings.remind_at is None:
            raise ValueError("the reminder is off; give its time too: --at HH:MM")
        if days is not None:
            changes["remind_days"] = parse_days(days)
    except ValueError as problem:
        err.write(f"{PROG}: {problem}\n")
        return 1
    return _save_and_apply(settings.model_copy(update=changes), out, err)


def turn_off(out: TextIO, err: TextIO) -> int:
    """``remind --off``."""
    loaded = settings_store.load()
    if loaded.notice:
        err.write(f"{loaded.notice}\n")
    return _save_and_apply(loaded.settings.model_copy(update={"remind_at": None}), out, err)


def _save_and_apply(settings: Settings, out: TextIO, err: TextIO) -> int:
    settings = Settings.model_validate(settings.model_dump())  # model_copy does not validate
    try:
        settings_store.save(settings)
    except OSError as problem:
        err.write(f"{settings_store.save_problem(problem)}\n")
        return 1
    try:
        found = apply(settings)
    except ReminderError as problem:
        err.write(f"{PROG}: {problem}\n")
        return 1
    out.write(f"{found.words()}\n")
    return 0


def print_status(out: TextIO) -> int:
    """``remind --status``: the words of ``install.Status``; 0 when what is installed
    matches the settings, 1 when not (the words say what to do)."""
    found = status(saved_settings())
    out.write(f"{found.words()}\n")
    return 0 if found.as_set else 1
