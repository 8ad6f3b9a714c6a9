"""The journal's tables, the migrations that bring any older file up to date, and the
transaction every change runs in.

The schema's version is SQLite's ``PRAGMA user_version``. ``MIGRATIONS[n]`` takes a file
from version ``n`` to ``n + 1``; a new file runs them all. A file is never changed in any
other way: to change the schema, append a migration (never edit a released one) and a
test that opens a file of the previous version.

Each migration runs in its own ``BEGIN IMMEDIATE`` transaction that re-reads the version
first, so two copies of the app opening the same old file at once migrate it once, and a
crash mid-migration leaves the previous version intact.

History:
1. Sessions, their skipped steps, and the end-of-session answers.
2. "This hurt" marks on steps, and the optional pain rating before a session.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

_V1 = (
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY NOT NULL,
        day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        started TEXT CHECK (started IS NULL OR substr(started, 1, 10) = day),
        routine TEXT NOT NULL,
        routine_title TEXT,
        outcome TEXT CHECK (outcome IN ('completed', 'completed-with-skips', 'stopped')),
        steps_done INTEGER CHECK (steps_done >= 0),
        steps_total INTEGER CHECK (steps_total >= 1),
        duration_s REAL CHECK (duration_s >= 0),
        inhale_s REAL,
        exhale_s REAL,
        pain INTEGER CHECK (pain BETWEEN 0 AND 10),
        compared TEXT CHECK (compared IN ('better', 'same', 'worse')),
        tighter TEXT CHECK (tighter IN ('left', 'right', 'same')),
        note TEXT
    )
    """,
    "CREATE INDEX sessions_by_day ON sessions (day, started)",
    "CREATE INDEX sessions_by_routine ON sessions (routine, day, started)",
    """
    CREATE TABLE skipped_steps (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        step TEXT NOT NULL,
        title TEXT,
        PRIMARY KEY (session_id, position)
    )
    """,
    "CREATE INDEX skipped_by_step ON skipped_steps (step)",
)

_V2 = (
    "ALTER TABLE sessions ADD COLUMN pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10)",
    """
    CREATE TABLE hurt_marks (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        step TEXT NOT NULL,
        title TEXT,
        side TEXT CHECK (side IN ('left', 'right')),
        at TEXT,
        PRIMARY KEY (session_id, position)
    )
    """,
    "CREATE INDEX hurt_by_step ON hurt_marks (step)",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2)
LATEST = len(MIGRATIONS)


class NewerSchema(Exception):
    """The file was written by a newer StretchCoach: this one must not touch it."""


class NotAJournal(Exception):
    """A valid SQLite file with tables that are not ours."""


def version(conn: sqlite3.Connection) -> int:
    (found,) = conn.execute("PRAGMA user_version").fetchone()
    return int(found)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: taken at once (``BEGIN IMMEDIATE``, waiting up to the busy
    timeout for another copy of the app), committed on success, rolled back otherwise.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Some errors (a full
    disk, an I/O error) make SQLite roll back by itself; the original error is kept.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def checked_version(conn: sqlite3.Connection) -> int:
    """The file's version, if this StretchCoach may change the file (else an exception)."""
    # One statement, so one snapshot: read apart, another copy creating the journal could
    # commit in between (no version, then its tables), and a new journal look damaged.
    current, tables = conn.execute(
        "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version"
    ).fetchone()
    if current > LATEST:
        raise NewerSchema(f"schema version {current}; this StretchCoach knows {LATEST}")
    if current == 0 and tables:
        raise NotAJournal("it holds tables but no journal version")
    return int(current)


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> None:
    """Bring the file up to ``target`` (tests stop early to build an old file)."""
    while True:
        with transaction(conn):
            current = checked_version(conn)
            if current >= target:
                return
            for statement in MIGRATIONS[current]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {current + 1}")
