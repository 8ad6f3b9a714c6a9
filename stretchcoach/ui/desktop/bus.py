"""The one line a desktop without a session bus gets.

Single instance, the media keys without focus and keeping the screen on all need the
session bus; each finds it missing on its own, at its own moment. The person (or whoever
reads the log) needs to hear it once, with everything it costs, not once per service.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)
_told = threading.Event()


def say_there_is_none(why: str) -> None:
    """Log, once per process, that there is no session bus and what goes without it."""
    if not _told.is_set():
        _told.set()
        log.info(
            "no session bus (%s): no single instance, no media keys without focus, "
            "no keeping the screen on",
            why,
        )
