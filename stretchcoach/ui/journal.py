"""The journal, seen from the window: its thread's answers brought back as Qt signals.

The journal's work runs on its own thread (``journal.lane``), so a slow or failing disk
never holds the window up. What that thread finds is handed back here with queued
signals, which Qt delivers on the window's thread: notices to show, and the answers to
reads (the picker's "last done"), each to the callback that asked for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from stretchcoach.journal import progress
from stretchcoach.journal.lane import JournalLane
from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.store import Journal, JournalUnavailable, Saved

T = TypeVar("T")


def last_done_days(journal: Journal) -> dict[str, date]:
    """The last day each routine was done (run on the journal's thread)."""
    with journal.read() as conn:
        return progress.last_done(conn)


class JournalLink(QObject):
    """The journal's thread, for the window.

    ``notice(key, text)`` asks the window to show ``text`` under ``key`` (``None``:
    withdraw it): ``journal`` for what opening the journal found, ``journal-save`` for a
    session not recorded (withdrawn once a later save succeeds). ``recorded`` follows each
    save that reached the journal, so what shows the journal can be read again.
    """

    notice = Signal(str, object)  # key, text or None
    recorded = Signal()
    _answer = Signal(object, object)  # a read's callback and what the read found

    def __init__(self, journal: Journal | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._answer.connect(lambda done, found: done(found), Qt.ConnectionType.QueuedConnection)
        self.lane = JournalLane(
            journal,
            on_saved=self._saved,
            on_notice=lambda text: self.notice.emit("journal", text),
        )
        self.lane.open()

    def save(self, record: SessionRecord) -> None:
        """Save ``record`` on the journal's thread; returns at once."""
        self.lane.save(record)

    def read(
        self, job: Callable[[Journal], T], done: Callable[[T | JournalUnavailable], None]
    ) -> None:
        """Run ``job`` on the journal's thread; ``done`` gets its answer on this one."""
        self.lane.read(job, lambda found: self._deliver(done, found))

    def close(self) -> None:
        """Finish the saves given (a session just ended is kept), then stop the thread."""
        self.lane.close()

    # -- on the journal's thread ----------------------------------------------------------

    def _deliver(self, done: Callable[[Any], None], found: object) -> None:
        self._answer.emit(done, found)

    def _saved(self, saved: Saved) -> None:
        if saved.recorded:
            self.notice.emit("journal-save", None)
            if saved.notice:  # recorded, in a journal started anew: say why
                self.notice.emit("journal", saved.notice)
            self.recorded.emit()
        else:
            self.notice.emit("journal-save", saved.notice)
