"""Killed at any moment, the journal loses at most the session being saved.

A child process (forked, so it starts in microseconds with everything imported) saves
sessions one after another and acknowledges each on a pipe once ``save`` has returned.
The parent kills it with SIGKILL after a random number of acknowledgements, so the kill
lands at a random point of a save (or of opening, creating or migrating the file, when
the count is 0), 240 times. After every kill the file passes ``PRAGMA integrity_check``,
holds every acknowledged session, and at most one more (saved, not yet acknowledged);
and every session in it is whole (all its marks, or none of it).
"""

from __future__ import annotations

import os
import random
import signal
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from journal_helpers import at, integrity, query, session

from stretchcoach.journal.record import HurtMark
from stretchcoach.journal.store import Journal

KILLS = 240
NEW_FILE_EVERY = 40  # so kills also land while a new file is created and migrated
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")


def _save_forever(path: Path, seed: int, ack: int) -> None:
    """The child: save varied sessions until killed; acknowledge each after its save."""
    rng = random.Random(seed)
    journal = Journal(path)
    while True:
        day = date(2020, 1, 1) + timedelta(days=rng.randrange(2000))
        marks = rng.randrange(4)
        hurt = tuple(HurtMark(step=f"step-{k}", at=at(day)) for k in range(marks))
        # ``pain`` tells the parent how many marks the session must have: a whole session.
        record = session(day, pain=marks, note="x" * rng.randrange(1, 500), hurt=hurt)
        notice = journal.save(record)
        os.write(ack, (f"!{notice}" if notice else record.id).encode() + b"\n")


def _run_child(path: Path, seed: int) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        code = 1
        try:
            os.close(read_end)
            _save_forever(path, seed, write_end)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _kill_after(pid: int, read_end: int, acks: int) -> list[str]:
    """Kill the child once it has acknowledged ``acks`` saves; every complete line."""
    data = b""
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while data.count(b"\n") < acks:
            chunk = pipe.read(4096)
            if not chunk:
                break
            data += chunk
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        data += pipe.read()
    assert os.WIFSIGNALED(status), f"the child ended by itself (status {status})"
    return [line.decode() for line in data.split(b"\n")[:-1]]  # the last may be cut


def _stored(path: Path) -> set[str]:
    if not path.exists():
        return set()
    partial = query(
        path,
        "SELECT id FROM sessions s "
        "WHERE pain != (SELECT count(*) FROM hurt_marks WHERE session_id = s.id)",
    )
    assert partial == [], "a session was saved in part"
    return {sid for (sid,) in query(path, "SELECT id FROM sessions")}


def test_kill_9_at_random_moments_loses_at_most_the_session_in_flight(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("JOURNAL_KILL_SEED", "16")))
    path = tmp_path / "journal-0.sqlite3"
    stored: set[str] = set()
    for kill in range(KILLS):
        if kill % NEW_FILE_EVERY == 0:
            path, stored = tmp_path / f"journal-{kill}.sqlite3", set()
        pid, pipe = _run_child(path, rng.randrange(sys.maxsize))
        lines = _kill_after(pid, pipe, rng.choice([0, 0, 1, 2, 3, 5, 8, 13]))
        notices = [line for line in lines if line.startswith("!")]
        assert notices == [], f"kill {kill}: the journal complained: {notices}"

        if path.exists():
            assert integrity(path) == "ok", f"kill {kill}"
        now = _stored(path)
        acknowledged = set(lines)
        assert stored | acknowledged <= now, f"kill {kill}: lost acknowledged sessions"
        assert len(now - stored - acknowledged) <= 1, f"kill {kill}: more than one in flight"
        stored = now
    assert not list(tmp_path.glob("*.corrupt-*")), "a file was taken for damaged"
    with Journal(path) as journal:  # the last file is still a working journal
        assert journal.open() is None
        assert {r.id for r in journal.records()} == stored
