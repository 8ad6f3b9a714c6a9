"""Killed at any moment, the journal loses at most the session being saved.

A writer process saves sessions one after another and says ``ok ID`` once each ``save``
has returned (``tests/journal_writer.py`` forks it, in microseconds, from a fresh process
that has the journal imported). The test kills it with SIGKILL after a random number of
those, so the kill lands at a random point of a save, or of opening, creating or migrating
the file when the number is 0; 240 times. After every kill the file passes ``PRAGMA
integrity_check``, holds every acknowledged session and at most one more (saved, not yet
acknowledged), and every session in it is whole: all its marks, or none of it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from journal_helpers import integrity, query

from stretchcoach.journal import schema
from stretchcoach.journal.store import Journal

KILLS = 240
NEW_FILE_EVERY = 40  # so kills also land while a new file is created and migrated
WRITER = Path(__file__).with_name("journal_writer.py")
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")


@contextmanager
def _writers() -> Iterator[subprocess.Popen[str]]:
    server = subprocess.Popen(
        [sys.executable, str(WRITER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    with server:  # closes its pipes, then waits for it (its stdin closed: it ends)
        yield server


def _write_and_kill(server: subprocess.Popen[str], path: Path, seed: int, acks: int) -> list[str]:
    """One writer on ``path``, killed after ``acks`` saves; what it said."""
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(f"{path} {seed}\n")
    server.stdin.flush()
    said: list[str] = []
    pid: int | None = None  # the writer may say "ok" before the server says its pid
    killed = False
    for line in server.stdout:
        kind, _, rest = line.rstrip("\n").partition(" ")
        if kind == "exit":
            assert os.WIFSIGNALED(int(rest)), f"the writer ended by itself: {said}"
            return said
        if kind == "pid":
            pid = int(rest)
        else:
            said.append(line.rstrip("\n"))
        if pid and not killed and sum(s.startswith("ok ") for s in said) >= acks:
            os.kill(pid, signal.SIGKILL)
            killed = True
    raise AssertionError(f"the writer server ended: {said}")


def _stored(path: Path) -> set[str]:
    """The sessions in the file, having checked that each is whole."""
    if not path.exists():
        return set()
    [(version,)] = query(path, "PRAGMA user_version")
    if version < schema.LATEST:  # killed while the file was being made: each step whole
        if version == 0:
            assert query(path, "SELECT name FROM sqlite_master") == [], "half a migration"
        else:  # sessions are saved only once the file is up to date
            assert query(path, "SELECT count(*) FROM sessions") == [(0,)]
        return set()
    partial = query(
        path,
        "SELECT id FROM sessions s "
        "WHERE pain != (SELECT count(*) FROM hurt_marks WHERE session_id = s.id)",
    )
    assert partial == [], "a session was saved in part"
    return {sid for (sid,) in query(path, "SELECT id FROM sessions")}


def test_kill_9_at_random_moments_loses_at_most_the_session_in_flight(tmp_path: Path) -> None:
    rng = random.Random(16)
    path = tmp_path / "journal-0.sqlite3"
    stored: set[str] = set()
    with _writers() as server:
        for kill in range(KILLS):
            if kill % NEW_FILE_EVERY == 0:
                path, stored = tmp_path / f"journal-{kill}.sqlite3", set()
            acks = rng.choice([0, 0, 1, 2, 3, 5, 8, 13])
            said = _write_and_kill(server, path, rng.randrange(2**32), acks)
            notices = [line for line in said if not line.startswith("ok ")]
            assert notices == [], f"kill {kill}: the journal complained"

            if path.exists():
                assert integrity(path) == "ok", f"kill {kill}"
            now = _stored(path)
            acknowledged = {line.removeprefix("ok ") for line in said}
            assert stored | acknowledged <= now, f"kill {kill}: lost acknowledged sessions"
            assert len(now - stored - acknowledged) <= 1, f"kill {kill}: more than one in flight"
            stored = now
    assert not list(tmp_path.glob("*.corrupt-*")), "a file was taken for damaged"
    with Journal(path) as journal:  # the last file is still a working journal
        assert journal.open() is None
        assert {r.id for r in journal.records()} == stored
