"""The journal's own thread: every read and write the window makes, one at a time, in order.

The window must never wait for the disk (a save is an fsync; a slow or full disk, a
network home folder or another copy of the app holding the lock can take much longer), so
it hands its work to this lane and goes on. One thread owns the ``Journal`` and its
connection (SQLite connections belong to the thread that made them), so the work runs in
the order it was given: a read asked after a save sees that save.

Saves of one session are merged while they wait: a session is saved as it goes, whole
each time, under one id, so only its latest record needs writing, at the place of the
first one still waiting. What each piece of work found is handed to callbacks on the
lane's thread; the window turns them into queued Qt signals (``ui.journal``).

On close the lane finishes the saves already given (a session just ended is not lost to
quitting), then stops. Its thread is a daemon: a disk that hangs for ever cannot keep the
app from quitting; only what it was writing then is lost, as if the app had been killed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.store import Journal, JournalUnavailable, Saved

log = logging.getLogger(__name__)
T = TypeVar("T")
CLOSE_TIMEOUT = 5.0


@dataclass(frozen=True)
class _Read:
    job: Callable[[Journal], Any]
    done: Callable[[Any], None]


@dataclass(frozen=True)
class _Save:
    session_id: str


class JournalLane:
    """The journal at ``path`` (the data folder's by default), used from one thread.

    ``on_saved(saved)`` is called after each save and ``on_notice(text)`` when opening the
    journal has something to say, both on the lane's thread.
    """

    def __init__(
        self,
        journal: Journal | None = None,
        *,
        on_saved: Callable[[Saved], None] = lambda _saved: None,
        on_notice: Callable[[str], None] = lambda _text: None,
    ) -> None:
        self.journal = journal or Journal()
        self._on_saved = on_saved
        self._on_notice = on_notice
        self._work: queue.SimpleQueue[_Read | _Save | None] = queue.SimpleQueue()
        self._waiting: dict[str, SessionRecord] = {}  # the latest record of each session
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name="journal", daemon=True)
        self._thread.start()

    def open(self) -> None:
        """Open the journal now (at start-up), so a damaged file is found and told early."""
        self.read(Journal.open, self._opened)

    def _opened(self, notice: str | JournalUnavailable | None) -> None:
        if notice:
            self._on_notice(str(notice))

    def save(self, record: SessionRecord) -> None:
        """Save ``record`` (replacing its earlier records, saved or still waiting)."""
        with self._lock:
            if self._closed:
                log.warning("journal lane closed: session %s not saved", record.id)
                return
            waiting = record.id in self._waiting
            self._waiting[record.id] = record
        if not waiting:
            self._work.put(_Save(record.id))

    def read(
        self, job: Callable[[Journal], T], done: Callable[[T | JournalUnavailable], None]
    ) -> None:
        """Run ``job`` on the journal after the work already given, then ``done`` with what
        it returned (or the ``JournalUnavailable`` it raised, whose message says why)."""
        if not self._closed:
            self._work.put(_Read(job, done))

    def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Finish the saves already given, then stop (waiting at most ``timeout`` seconds)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._work.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("the journal did not finish writing within %.0f s", timeout)

    # -- the lane's thread --------------------------------------------------------------------

    def _serve(self) -> None:
        try:
            while (work := self._work.get()) is not None:
                try:
                    self._do(work)
                except Exception:  # a bug must not cost the sessions saved after it
                    log.exception("journal lane: %r failed", work)
        finally:
            self.journal.close()

    def _do(self, work: _Read | _Save) -> None:
        if isinstance(work, _Save):
            with self._lock:
                record = self._waiting.pop(work.session_id)
            self._on_saved(self.journal.write(record))
        elif not self._closed:  # a read is for a window that is still there
            try:
                found = work.job(self.journal)
            except JournalUnavailable as err:
                found = err
            work.done(found)
