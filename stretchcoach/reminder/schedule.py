"""When the daily reminder comes: a time of day on chosen weekdays, said three ways (as
systemd's calendar, in words, as the next moment), and the rule deciding what to do now.

Pure: every function takes the moment it is asked at (an aware local datetime), so tests
choose it. The rule (``decide``) is the same for the systemd timer and the login entry:

- only on a chosen day, and at most once that day;
- before the time: wait for it (someone who logs in at 7:00 for a 7:30 reminder expects
  it at 7:30);
- after the time: now (a computer that was off or asleep at 7:30 reminds its person when
  they come back that day; a day that has gone is not reminded of, which also drops
  systemd's catch-up for a day already past).

Whether today's session is done is the journal's to say, asked when the moment comes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from stretchcoach.settings import WEEKDAYS, Settings, Weekday

_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_NAMES: dict[Weekday, str] = dict(zip(WEEKDAYS, _NAMES, strict=True))
_SYSTEMD = {day: day.capitalize() for day in WEEKDAYS}  # "Mon", as OnCalendar= writes it
_WORKING = frozenset(WEEKDAYS[:5])
_WEEKEND = frozenset(WEEKDAYS[5:])


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


@dataclass(frozen=True)
class Schedule:
    at: time
    days: frozenset[Weekday]

    @classmethod
    def of(cls, settings: Settings) -> Schedule | None:
        """The reminder the settings ask for; None when it is off."""
        if settings.remind_at is None:
            return None
        return cls(time.fromisoformat(settings.remind_at), settings.remind_days)

    def on_calendar(self) -> str:
        """The ``OnCalendar=`` value of a systemd timer that fires at these moments."""
        when = f"*-*-* {self.at:%H:%M}:00"
        if self.days == frozenset(WEEKDAYS):
            return when
        return ",".join(_SYSTEMD[day] for day in WEEKDAYS if day in self.days) + " " + when

    def words(self) -> str:
        """ "at 07:30 every day", "at 18:00 on Mondays and Thursdays"."""
        if self.days == frozenset(WEEKDAYS):
            days = "every day"
        elif self.days == _WORKING:
            days = "on weekdays (Monday to Friday)"
        elif self.days == _WEEKEND:
            days = "at weekends"
        else:
            days = "on " + _listed([f"{WEEKDAY_NAMES[d]}s" for d in WEEKDAYS if d in self.days])
        return f"at {self.at:%H:%M} {days}"

    def comes_on(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] in self.days

    def moment_on(self, day: date) -> datetime | None:
        """The reminder's moment on ``day``, in local time (aware). None when the clocks
        skip that time that day (02:30 when summer time starts), as systemd's calendar
        skips it; a time that comes twice (when it ends) is its first."""
        wall = datetime.combine(day, self.at)
        moment = wall.astimezone()
        return moment if moment.replace(tzinfo=None) == wall else None

    def next_after(self, now: datetime) -> datetime:
        """The first reminder moment after ``now``."""
        for ahead in range(15):  # a week, and a week more if the clocks skipped one
            day = now.date() + timedelta(days=ahead)
            moment = self.moment_on(day) if self.comes_on(day) else None
            if moment is not None and moment > now:
                return moment
        raise AssertionError("a schedule comes at least once a week")  # days is never empty


@dataclass(frozen=True)
class RemindNow:
    """Show the reminder (if today's session is not done)."""


@dataclass(frozen=True)
class WaitUntil:
    moment: datetime


@dataclass(frozen=True)
class NotToday:
    why: str


Decision = RemindNow | WaitUntil | NotToday


def decide(schedule: Schedule | None, now: datetime, reminded_on: date | None) -> Decision:
    """What to do at ``now`` (see the module's docstring); ``reminded_on`` is the last day
    a reminder was shown."""
    today = now.date()
    if schedule is None:
        return NotToday("the reminder is off")
    if not schedule.comes_on(today):
        return NotToday(f"no reminder on {WEEKDAY_NAMES[WEEKDAYS[today.weekday()]]}s")
    if reminded_on == today:
        return NotToday("already reminded today")
    moment = schedule.moment_on(today)
    if moment is None:
        return NotToday(f"the clocks skip {schedule.at:%H:%M} today")
    return RemindNow() if now >= moment else WaitUntil(moment)


def long_moment(moment: datetime, now: datetime) -> str:
    """ "today at 07:30", "tomorrow at 07:30", "on Friday 5 December at 07:30"."""
    day = moment.date()
    if day == now.date():
        named = "today"
    elif day == now.date() + timedelta(days=1):
        named = "tomorrow"
    else:
        named = f"on {moment:%A} {day.day} {moment:%B}"
    return f"{named} at {moment:%H:%M}"
