"""The journal's writes, seen from the window: its thread's news brought back as Qt signals.

The window's saves run on the journal's own thread (``journal.lane``), so a slow or
failing disk never holds the window up. What that thread finds is handed back here with
signals, which Qt delivers on the window's thread (queued): notices to show, and that a
save landed, so what shows the journal can be read again (``ui.journal_reader`` reads).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Signal

from stretchcoach.journal import progress
from stretchcoach.journal.lane import JournalLane
from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.store import Journal, Saved


def last_done_days(journal: Journal) -> dict[str, date]:
    """The last day each routine was done (a read for ``ui.journal_reader``)."""
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

    def __init__(self, journal: Journal | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lane = JournalLane(
            journal,
            on_saved=self._saved,
            on_notice=lambda text: self.notice.emit("journal", text),
        )
        self.lane.open()

    def save(self, record: SessionRecord) -> None:
        """Save ``record`` on the journal's thread; returns at once."""
        self.lane.save(record)

    def close(self) -> None:
        """Finish the saves given (a session just ended is kept), then stop the thread."""
        self.lane.close()

    # -- on the journal's thread ----------------------------------------------------------

    def _saved(self, saved: Saved) -> None:
        if saved.recorded:
            self.notice.emit("journal-save", None)
            if saved.notice:  # recorded, in a journal started anew: say why
                self.notice.emit("journal", saved.notice)
            self.recorded.emit()
        else:
            self.notice.emit("journal-save", saved.notice)
