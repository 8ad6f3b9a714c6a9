"""``stretchcoach journal``: the summary, ``log``, ``export`` and ``import``.

Each command takes the streams to write to and returns the exit code. What goes wrong is
said in plain words on ``err`` with exit code 1, never as a traceback: a bad option names
the option (``--pain: must be 0–10, not "11"``), a bad CSV row its file and line.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import TextIO

from stretchcoach.journal.store import Journal, JournalUnavailable
from stretchcoach.journal.words import count as _count
from stretchcoach.journal.words import long_date as _long_date
from stretchcoach.journal.words import streak as _streak

PROG = "stretchcoach journal"
_FLAGS = {"day": "--date", "pain": "--pain", "tighter": "--tighter", "note": "--note"}


def _opened(err: TextIO) -> Journal | None:
    """The journal, open; ``None`` (and why, on ``err``) when it cannot be."""
    journal = Journal()
    notice = journal.open()
    if notice:
        err.write(f"{notice}\n")
    return journal if journal.is_open else None


def summary(out: TextIO, err: TextIO, today: date | None = None) -> int:
    """Sessions this week, the streak and the pain trend, in plain words."""
    from stretchcoach.journal.progress import summary as read_summary
    from stretchcoach.journal.progress import week_of

    today = today or date.today()
    journal = _opened(err)
    if journal is None:
        return 1
    with journal:
        try:
            found = read_summary(journal, today)
        except JournalUnavailable as problem:
            err.write(f"{problem}\n")
            return 1
    if found.sessions == 0:
        out.write(f"No sessions in your journal yet. To record one: {PROG} log ROUTINE\n")
        return 0
    monday, sunday = week_of(today)
    start = f"{monday:%A} {monday.day}" + (f" {monday:%B}" if monday.month != sunday.month else "")
    week = _count(found.sessions_this_week, "session")
    out.write(f"This week ({start} to {sunday:%A} {sunday.day} {sunday:%B}): {week}.\n")
    longest = found.streaks.longest
    streak = _streak(found.streaks, today)
    if longest.last is not None:
        streak += f". Longest: {_count(longest.days, 'day')}, to {_long_date(longest.last)}"
    out.write(f"Streak: {streak}.\n")
    out.write(f"Pain over the last 4 weeks: {found.trend.words()}.\n")
    out.write(f"Your journal holds {_count(found.sessions, 'session')}: {journal.path}\n")
    return 0


def _routine_title(routine: str) -> tuple[str | None, str | None]:
    """The title of the person's routine ``routine``, or why there is none."""
    from stretchcoach.routine.catalog import load_catalog

    catalog = load_catalog()
    entry = catalog.get(routine)
    if entry is not None:
        return entry.title, None
    ids = [entry.id for entry in catalog.entries]
    close = difflib.get_close_matches(routine, ids, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return None, f"no routine has the id '{routine}' ({hint}see 'stretchcoach list')"


def log(
    routine: str,
    *,
    day: str | None,
    pain: str | None,
    tighter: str | None,
    note: str | None,
    out: TextIO,
    err: TextIO,
    today: date | None = None,
) -> int:
    """Record a session done away from the computer (its time of day is not known)."""
    from stretchcoach.journal.cells import decode
    from stretchcoach.journal.record import SessionRecord

    today = today or date.today()
    title, unknown = _routine_title(routine)
    problems = [f"{PROG} log: {unknown}"] if unknown else []
    options = {"day": day or today.isoformat(), "pain": pain, "tighter": tighter, "note": note}
    cells = {column: text for column, text in options.items() if text}
    record = decode({"routine": routine, "routine_title": title or "", **cells})
    if isinstance(record, SessionRecord):
        if record.day > today:
            problems.append(f"{PROG} log: --date: must not be after today ({today})")
    else:
        problems += [
            f"{PROG} log: {_FLAGS.get(place, place)}: {why}"
            for place, why in record
            if not (unknown and place == "routine")  # said already
        ]
    if problems or not isinstance(record, SessionRecord):
        err.write("".join(f"{problem}\n" for problem in problems))
        return 1
    journal = _opened(err)
    if journal is None:
        return 1
    with journal:
        notice = journal.save(record)
    if notice:
        err.write(f"{notice}\n")
        return 1
    said = [f"pain {record.pain}"] if record.pain is not None else []
    said += [f"tighter: {record.tighter}"] if record.tighter else []
    details = f" ({', '.join(said)})" if said else ""
    out.write(f"Logged {record.routine_title} on {_long_date(record.day)}{details}.\n")
    return 0


def export(path: Path, out: TextIO, err: TextIO) -> int:
    """Write every session to ``path`` as CSV."""
    from stretchcoach.journal.csvfile import export as write_csv

    journal = _opened(err)
    if journal is None:
        return 1
    with journal:
        try:
            count = write_csv(journal, path)
        except JournalUnavailable as problem:
            err.write(f"{problem}\n")
            return 1
        except OSError as problem:
            err.write(f"{PROG} export: {path}: cannot be written ({problem.strerror})\n")
            return 1
    out.write(f"Wrote {_count(count, 'session')} to {path}.\n")
    return 0


def import_csv(path: Path, out: TextIO, err: TextIO) -> int:
    """Merge the sessions of a CSV export into the journal: all of them, or none."""
    from stretchcoach.journal.csvfile import CsvProblems, read

    try:
        records = read(path)
    except CsvProblems as bad:
        err.write("".join(f"{problem}\n" for problem in bad.problems))
        problems = _count(len(bad.problems), "problem")
        err.write(f"Nothing was imported: fix the {problems} above and import the file again.\n")
        return 1
    journal = _opened(err)
    if journal is None:
        return 1
    with journal:
        try:
            merged = journal.merge(records)
        except JournalUnavailable as problem:
            err.write(f"{problem} Nothing was imported.\n")
            return 1
    out.write(f"Imported {_count(merged.added, 'session')} from {path}")
    if merged.already:
        were = "was" if merged.already == 1 else "were"
        out.write(f"; {merged.already} {were} already in your journal")
        if merged.differing:
            out.write(
                f" ({merged.differing} of them differ from the file: your journal's copy was kept)"
            )
    out.write(".\n")
    return 0
