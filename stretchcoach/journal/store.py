"""The journal file: one SQLite database in the person's data folder.

Promises, each tested on real files:

- **A session is never stopped by the journal.** Saving returns a notice in plain words
  (a read-only folder, a full disk, a damaged file) instead of raising; the caller shows
  it and goes on. Reading raises ``JournalUnavailable``, whose message is such a notice.
- **Nothing is lost to a crash.** Every write is one short transaction in WAL mode with
  ``synchronous=FULL``: killed at any moment, the file holds every session whose save had
  returned, and at most the one being saved is missing.
- **Two copies of the app share the file.** WAL lets readers go on while one writes;
  writers take the lock at the start of their transaction (``BEGIN IMMEDIATE``) and wait
  up to ``BUSY_TIMEOUT_MS`` for each other, which is far longer than a write takes.
- **A damaged file is never overwritten.** It is moved aside (with its ``-wal`` and
  ``-shm`` files) as ``journal.sqlite3.corrupt-<date>``, the person is told, and a new
  journal is started.

A ``Journal`` holds one connection, opened on first use, for the thread that uses it.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from stretchcoach.journal import schema
from stretchcoach.journal.record import HurtMark, SessionRecord, SkippedStep
from stretchcoach.paths import aside_path, data_dir

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 2000
FILE_NAME = "journal.sqlite3"
_COMPANIONS = ("-wal", "-shm")
T = TypeVar("T")


def journal_path() -> Path:
    return data_dir() / FILE_NAME


class JournalUnavailable(Exception):
    """The journal could not be read or written; the message says why, in plain words."""


DAMAGED = "was damaged and could not be read"
NOT_OURS = "is not a StretchCoach journal (another program's database?)"


class _Damaged(Exception):
    """The file is not a usable journal: it must be moved aside. ``plain`` says why to
    the person, ``str()`` for the log."""

    def __init__(self, detail: str, plain: str = DAMAGED) -> None:
        super().__init__(detail)
        self.plain = plain


_CORRUPT = ("SQLITE_CORRUPT", "SQLITE_NOTADB")  # and their extended codes


def _why(err: BaseException) -> str:
    """What went wrong, as the person can understand and act on it."""
    name = getattr(err, "sqlite_errorname", "") or ""
    number = getattr(err, "errno", None)
    if name.startswith("SQLITE_FULL") or number == errno.ENOSPC:
        return "the disk is full"
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")) or number in (
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
    ):
        return "its folder cannot be written to (read-only, or not yours)"
    if name.startswith("SQLITE_CANTOPEN"):
        return "the file cannot be opened (is its folder read-only or missing?)"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "another copy of StretchCoach kept it busy for too long"
    if name.startswith("SQLITE_IOERR") or isinstance(err, OSError):
        return "the disk reported an error"
    if isinstance(err, schema.NewerSchema):
        return "it was written by a newer StretchCoach; update StretchCoach to use it"
    return f"an unexpected error happened ({err})"


def _is_damage(err: sqlite3.Error) -> bool:
    name = getattr(err, "sqlite_errorname", "") or ""
    return name.startswith(_CORRUPT)


@dataclass(frozen=True)
class Merged:
    """What an import did: sessions added, and sessions the journal already had (of which
    ``differing`` were not identical; the journal's own copy was kept)."""

    added: int
    already: int
    differing: int


@dataclass(frozen=True)
class Saved:
    """What a save did: whether the session is now in the journal, and what to tell the
    person (a failure, or a journal started anew), if anything."""

    recorded: bool
    notice: str | None


class _MovedAside(JournalUnavailable):
    """The file was damaged and has been moved aside; ``Journal._notice`` says so."""


def _use_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode (kept in the file: once done, this only reads it).

    Switching needs the file to itself, and SQLite answers "locked" at once rather than
    waiting as a write does: two copies opening a new journal together (the window's
    recorder and its reader, at start) would have one of them fail. So it waits as a
    write would, in short steps, up to the same busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class Journal:
    """The practice journal in ``path`` (the data folder's ``journal.sqlite3`` by default)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or journal_path()
        self._conn: sqlite3.Connection | None = None
        self._notice: str | None = None  # the file was moved aside: to be told once

    # -- opening ---------------------------------------------------------------------

    def open(self) -> str | None:
        """Open the file now (the app does at start); a notice for the person, if any.

        Never raises: a journal that cannot be opened is a notice, and each later call
        tries again (the person may have freed space or fixed the folder).
        """
        try:
            self._connection()
        except JournalUnavailable as err:
            return _words(self._take_notice(), str(err))
        return self._take_notice()

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _take_notice(self) -> str | None:
        notice, self._notice = self._notice, None
        return notice

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        try:
            try:
                self._conn = self._connect()
            except _Damaged as damage:
                self._set_aside(str(damage), damage.plain)
                self._conn = self._connect()
        except (sqlite3.Error, OSError, schema.NewerSchema, _Damaged) as err:
            log.warning("journal %s could not be opened: %r", self.path, err)
            raise JournalUnavailable(
                f"Your practice journal ({self.path}) could not be opened: {_why(err)}."
            ) from err
        return self._conn

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Look before changing anything: a file that is damaged, not ours or newer
            # than this StretchCoach must be left exactly as it is.
            (check,) = conn.execute("PRAGMA quick_check(1)").fetchone()
            if check != "ok":
                raise _Damaged(f"SQLite's check says: {check}")
            current = schema.checked_version(conn)
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            if current < schema.LATEST:  # a reader of an up-to-date file takes no lock
                schema.migrate(conn)
        except sqlite3.DatabaseError as err:
            conn.close()
            if _is_damage(err):
                raise _Damaged(str(err)) from err
            raise
        except schema.NotAJournal as err:
            conn.close()
            raise _Damaged(str(err), NOT_OURS) from err
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self, why: str, plain: str = DAMAGED) -> None:
        """Move the file (and its companions) aside, to be told to the person: it
        ``plain`` (for the log: ``why``)."""
        self.close()
        aside = aside_path(self.path)
        try:
            for suffix in _COMPANIONS:
                companion = self.path.with_name(self.path.name + suffix)
                if companion.exists():
                    companion.replace(aside.with_name(aside.name + suffix))
            self.path.replace(aside)
        except OSError as err:
            log.warning("journal %s is damaged (%s), not moved: %r", self.path, why, err)
            raise JournalUnavailable(
                f"Your practice journal ({self.path}) is damaged, and could not be moved "
                f"aside to start a new one: {_why(err)}."
            ) from err
        log.warning("journal %s was damaged (%s); moved to %s", self.path, why, aside)
        self._notice = (
            f"Your practice journal ({self.path}) {plain}. It was kept as {aside.name}, "
            "untouched, and a new journal was started."
        )

    def _failure(self, err: sqlite3.DatabaseError) -> JournalUnavailable:
        """What to raise for ``err``; a damaged file is moved aside first."""
        log.warning("journal %s: %r", self.path, err)
        if _is_damage(err):
            self._set_aside(str(err))
            return _MovedAside(self._notice or "")
        return JournalUnavailable(
            f"Your practice journal ({self.path}) could not be used: {_why(err)}."
        )

    def _write(self, change: Callable[[sqlite3.Connection], T]) -> T:
        """``change`` in one write transaction, all or nothing."""
        conn = self._connection()
        try:
            with schema.transaction(conn):
                return change(conn)
        except sqlite3.DatabaseError as err:
            raise self._failure(err) from err

    # -- writing ---------------------------------------------------------------------

    def save(self, record: SessionRecord) -> str | None:
        """Record ``record``, or replace the one with its id (the window saves a session as
        it goes, then again with the answers). A notice if it was not saved, or if the
        journal had to be started anew; ``None`` when all went well.

        A file found damaged while saving is moved aside and the session saved in a new
        journal, so the session in hand is never lost to an old file's damage.
        """
        return self.write(record).notice

    def write(self, record: SessionRecord) -> Saved:
        """``save``, saying also whether the session is now in the journal (the window
        withdraws a "not recorded" notice once a later save succeeds)."""

        def replace(conn: sqlite3.Connection) -> None:
            _delete(conn, record.id)
            _insert(conn, record)

        try:
            try:
                self._write(replace)
            except _MovedAside:
                self._write(replace)
        except JournalUnavailable as err:
            return Saved(
                False,
                _words(
                    self._take_notice(),
                    str(err),
                    "This session was not recorded; the session itself is not affected.",
                ),
            )
        return Saved(True, self._take_notice())

    def merge(self, records: Iterable[SessionRecord]) -> Merged:
        """Add the sessions the journal does not have, all in one transaction (all or
        nothing); sessions it has (by id) are kept as they are."""
        records = list(records)

        def add(conn: sqlite3.Connection) -> Merged:
            added = already = differing = 0
            for record in records:
                mine = _record(conn, record.id)
                if mine is None:
                    _insert(conn, record)
                    added += 1
                else:
                    already += 1
                    differing += mine != record
            return Merged(added, already, differing)

        return self._told(lambda: self._write(add))

    # -- reading ---------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several queries (one read transaction).

        Errors raise ``JournalUnavailable``; a damaged file found here is moved aside, and
        the message says so.
        """
        conn = self._told(self._connection)
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.DatabaseError as err:
            failure = self._failure(err)
            raise JournalUnavailable(_words(self._take_notice(), str(failure))) from err

    def records(self) -> list[SessionRecord]:
        """Every session, oldest first (for export)."""
        with self.read() as conn:
            return _all_records(conn)

    def _told(self, work: Callable[[], T]) -> T:
        """``work``, any move-aside notice raised with its failure (for the commands)."""
        try:
            return work()
        except JournalUnavailable as err:
            raise JournalUnavailable(_words(self._take_notice(), str(err))) from err


def _words(*parts: str | None) -> str:
    """Sentences said once each, in order."""
    return " ".join(dict.fromkeys(p for p in parts if p))


# -- records <-> rows ------------------------------------------------------------------

_SCALARS = (
    "id", "day", "started", "routine", "routine_title", "outcome", "steps_done",
    "steps_total", "duration_s", "inhale_s", "exhale_s", "pain_before", "pain", "compared",
    "tighter", "note",
)  # fmt: skip
_ORDER = "ORDER BY day, started, id"


def _text(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value  # datetime is a date


def _insert(conn: sqlite3.Connection, record: SessionRecord) -> None:
    columns = ", ".join(_SCALARS)
    marks = ", ".join("?" * len(_SCALARS))
    conn.execute(
        f"INSERT INTO sessions ({columns}) VALUES ({marks})",
        [_text(getattr(record, name)) for name in _SCALARS],
    )
    conn.executemany(
        "INSERT INTO skipped_steps (session_id, position, step, title) VALUES (?, ?, ?, ?)",
        [(record.id, i, s.step, s.title) for i, s in enumerate(record.skipped)],
    )
    conn.executemany(
        "INSERT INTO hurt_marks (session_id, position, step, title, side, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(record.id, i, m.step, m.title, m.side, _text(m.at)) for i, m in enumerate(record.hurt)],
    )


def _delete(conn: sqlite3.Connection, session_id: str) -> None:
    conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))  # cascades


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _build(row: sqlite3.Row, skipped: list[Any], hurt: list[Any]) -> SessionRecord:
    data = dict(zip(_SCALARS, row, strict=True))
    data["day"] = date.fromisoformat(data["day"])
    data["started"] = _moment(data["started"])
    data["skipped"] = tuple(SkippedStep(step=s, title=t) for s, t in skipped)
    data["hurt"] = tuple(HurtMark(step=s, title=t, side=d, at=_moment(a)) for s, t, d, a in hurt)
    try:
        return SessionRecord.model_validate(data)
    except ValidationError as err:  # only a file edited by hand can get here
        raise sqlite3.DatabaseError(f"session {data['id']} is not valid: {err}") from None


def _children(conn: sqlite3.Connection, sql: str, ids: list[str] | None) -> dict[str, list[Any]]:
    where = "" if ids is None else f"WHERE session_id IN ({', '.join('?' * len(ids))})"
    out: dict[str, list[Any]] = {}
    for session_id, *rest in conn.execute(sql.format(where=where), ids or ()):
        out.setdefault(session_id, []).append(rest)
    return out


def _select(conn: sqlite3.Connection, where: str, args: tuple[str, ...]) -> list[SessionRecord]:
    sql = f"SELECT {', '.join(_SCALARS)} FROM sessions {where} {_ORDER}"
    rows = conn.execute(sql, args).fetchall()
    ids = None if not args else [row[0] for row in rows]
    skipped = _children(
        conn, "SELECT session_id, step, title FROM skipped_steps {where} ORDER BY position", ids
    )
    hurt = _children(
        conn,
        "SELECT session_id, step, title, side, at FROM hurt_marks {where} ORDER BY position",
        ids,
    )
    return [_build(row, skipped.get(row[0], []), hurt.get(row[0], [])) for row in rows]


def _record(conn: sqlite3.Connection, session_id: str) -> SessionRecord | None:
    found = _select(conn, "WHERE id = ?", (session_id,))
    return found[0] if found else None


def _all_records(conn: sqlite3.Connection) -> list[SessionRecord]:
    return _select(conn, "", ())
