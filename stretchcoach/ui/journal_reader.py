"""Reads from the journal on a thread of its own, so the window never waits for the disk.

A read is a function of an open ``Journal`` (a Progress snapshot, the adapting offers);
``read`` runs it on a short-lived thread with a ``Journal`` of that thread's own (an SQLite
connection belongs to the thread that made it), and ``answered`` brings its result, or
the ``JournalUnavailable`` it raised, to the window's thread (a queued signal). Each read
has a tag; an answer to an older read of a tag than the latest is dropped, so a quick
second request never shows the first one's older figures.

The window's writes go through the journal's own lane (recording sessions); reads here
open the file themselves, which WAL mode lets run beside a write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # imported by the first read: the window is built before pydantic
    from stretchcoach.journal.store import Journal

JOIN_TIMEOUT = 5.0


class JournalReader(QObject):
    answered = Signal(str, object)  # the tag, and the result or a JournalUnavailable

    def __init__(
        self, path: Callable[[], Path] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._path = path
        self._asked: dict[str, int] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def read(self, tag: str, job: Callable[[Journal], object]) -> None:
        if self._closed:  # a request queued before closing: nobody is left to answer
            return
        with self._lock:
            asked = self._asked[tag] = self._asked.get(tag, 0) + 1
        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(
            target=self._work, args=(tag, asked, job), name=f"journal-read-{tag}", daemon=True
        )
        self._threads.append(thread)
        thread.start()

    def _work(self, tag: str, asked: int, job: Callable[[Journal], object]) -> None:
        from stretchcoach.journal.store import Journal, JournalUnavailable, journal_path

        try:
            with Journal((self._path or journal_path)()) as journal:
                result = job(journal)
        except JournalUnavailable as err:
            result = err
        with self._lock:
            latest = self._asked.get(tag) == asked
        if latest:
            self.answered.emit(tag, result)

    def close(self) -> None:
        """Wait for the reads under way (they are short; a hung disk is left behind, the
        threads being daemons); start no more."""
        self._closed = True
        for thread in self._threads:
            thread.join(JOIN_TIMEOUT)
        self._threads = []
