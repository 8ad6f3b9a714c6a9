"""The writer of the kill -9 test: a small fork server that forks one writer per request.

Started once (a fresh, single-threaded Python with the journal imported), it reads
``PATH SEED`` lines on stdin and for each forks a writer that saves sessions into the
journal at PATH until it is killed. Everything goes to stdout, one line each, written by
a single ``os.write`` (below the pipe's atomic size, so lines never mix or break):

    pid N       the writer's process id (the test kills it)
    ok ID       a session saved: ``save`` returned with no notice
    notice TEXT the journal complained (the test fails on it)
    exit S      the writer ended, with its wait status

Forking from here rather than from the test keeps the writer clear of the test process's
threads (Qt's, in a full run), whose locks a forked child could inherit held.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journal_helpers import at, session

from stretchcoach.journal.record import HurtMark
from stretchcoach.journal.store import Journal


def _say(line: str) -> None:
    os.write(1, line.replace("\n", " ").encode() + b"\n")


def _save_forever(path: Path, seed: int) -> None:
    """Save varied sessions until killed; ``pain`` is the number of marks each must have,
    so the test can tell a whole session from a part of one."""
    rng = random.Random(seed)
    journal = Journal(path)
    while True:
        day = date(2020, 1, 1) + timedelta(days=rng.randrange(2000))
        marks = rng.randrange(4)
        hurt = tuple(HurtMark(step=f"step-{k}", at=at(day)) for k in range(marks))
        record = session(day, pain=marks, note="x" * rng.randrange(1, 500), hurt=hurt)
        notice = journal.save(record)
        _say(f"notice {notice}" if notice else f"ok {record.id}")


def main() -> None:
    for request in sys.stdin:
        path, seed = request.split()
        pid = os.fork()
        if pid == 0:
            try:
                _save_forever(Path(path), int(seed))
            finally:
                os._exit(1)  # only an exception gets here: the test sees the status
        _say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        _say(f"exit {status}")


if __name__ == "__main__":
    main()
