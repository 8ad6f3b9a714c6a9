"""One thread for the desktop's D-Bus round trips, so the window never waits on one.

Owning a bus name, asking the screen saver or the portal not to blank the screen, and
releasing it are calls that wait for an answer (up to ``CALL_TIMEOUT_MS`` from a stuck
service). They run here, one after another in the order they were asked for, so a
release always follows its request; what a call returns is handed back to the GUI thread
(``then``), where Qt's queued signal delivers it.

Each call builds its own ``QDBusInterface`` in this thread: a proxy made there introspects
the service there, and its typed calls (``Q_ARG("uint", ..)``) block only this thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)
CALL_TIMEOUT_MS = 3_000  # a desktop service that takes longer is treated as absent


class Background(QObject):
    """Runs D-Bus calls off the GUI thread, in order; ``close`` waits for the last."""

    _done = Signal(object, object)  # then, result

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="desktop-bus"
        )
        self._done.connect(self._deliver)  # emitted from the pool's thread: queued

    def run(self, call: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None:
        """Run ``call`` in the background thread; ``then(result)`` in this one after it."""
        if self._pool is None:
            return

        def work() -> None:
            try:
                result = call()
            except Exception:  # a bug of ours, not a missing service: say so, go on
                log.exception("a desktop call failed")
                return
            if then is not None:
                self._done.emit(then, result)

        self._pool.submit(work)

    @Slot(object, object)
    def _deliver(self, then: Callable[[Any], None], result: Any) -> None:
        then(result)

    def close(self) -> None:
        """Finish the calls asked for (a release on quit reaches the bus), then stop."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
