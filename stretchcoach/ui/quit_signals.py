"""Ctrl+C (SIGINT) and SIGTERM quit the app the way closing its window does.

Python runs a signal handler only when the interpreter gets control, and Qt's event loop,
written in C++, rarely gives it: Ctrl+C on the picker did nothing, and during a session it
raised ``KeyboardInterrupt`` inside whichever slot ran next, printed a traceback, and the
app carried on. So the Python handler does nothing itself; Python writes the signal's
number to a socket (``signal.set_wakeup_fd``) that a ``QSocketNotifier`` watches, and the
event loop wakes at once and exits with status 128 + the number (130 for Ctrl+C, 143 for
SIGTERM), through the usual way out: ``aboutToQuit`` stops the session, ends the speech
worker and removes leftovers. Nothing polls: a paused app still does no work at all.

A second signal while the app is closing is not caught: it ends the process at once, as
a person pressing Ctrl+C twice expects.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from PySide6.QtCore import QCoreApplication, QSocketNotifier

QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _noted(signum: int, frame: FrameType | None) -> None:
    """The handler Python needs for the wakeup socket; the event loop does the rest."""


@contextmanager
def quit_on_signals(app: QCoreApplication) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM make ``app`` exit with 128 + the signal's number."""
    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    previous_fd = signal.set_wakeup_fd(sender.fileno(), warn_on_full_buffer=False)
    previous = {signum: signal.signal(signum, _noted) for signum in QUIT_SIGNALS}

    def woken() -> None:
        try:
            numbers = receiver.recv(64)
        except BlockingIOError:
            return
        received = [n for n in numbers if n in QUIT_SIGNALS]
        if received:
            for signum in QUIT_SIGNALS:  # a second one ends the process at once
                signal.signal(signum, signal.SIG_DFL)
            app.exit(128 + received[0])

    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(woken)
    try:
        yield
    finally:
        notifier.setEnabled(False)
        signal.set_wakeup_fd(previous_fd)
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        receiver.close()
        sender.close()
