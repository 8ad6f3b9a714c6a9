"""The journal's figures in words, the same on the screen, in the voice and on the command line.

People read "yesterday" and "3 days ago" faster than a date, and hear them better; these
functions say once how a day, a streak or a count is put, so the picker, the Progress
screen and ``stretchcoach journal`` never disagree.
"""

from __future__ import annotations

from datetime import date

from stretchcoach.journal.progress import Streaks

WEEKS_FROM = 14  # days: from two weeks on, "N weeks ago"
DATES_FROM = 56  # days: from eight weeks on, the date itself


def count(n: int, thing: str) -> str:
    """``1 session``, ``3 sessions``."""
    return f"{n} {thing}{'s' if n != 1 else ''}"


def short_date(day: date, today: date) -> str:
    """``3 Dec``, or ``3 Dec 2025`` when not this year."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if day.year != today.year else "")


def long_date(day: date) -> str:
    """``Thursday 3 December 2026``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def days_ago(day: date, today: date) -> str:
    """When ``day`` was, as a person says it: today, yesterday, 3 days ago, 2 weeks ago,
    on 3 Oct (a day after today, from a computer with another clock, is "today")."""
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < WEEKS_FROM:
        return f"{days} days ago"
    if days < DATES_FROM:
        return f"{days // 7} weeks ago"
    return f"on {short_date(day, today)}"


def last_done(day: date | None, today: date) -> str:
    """What the picker says of a routine: ``Last done yesterday``, ``Not done yet``."""
    return "Not done yet" if day is None else f"Last done {days_ago(day, today)}"


def streak(streaks: Streaks, today: date) -> str:
    """The current streak in a sentence: whether today is in it, and what keeps it."""
    current = streaks.current
    if current.days == 0:
        return "none at the moment (a session today starts one)"
    if current.last == today:
        return f"{count(current.days, 'day')} in a row, today included"
    return f"{count(current.days, 'day')} in a row to yesterday; a session today adds one"
