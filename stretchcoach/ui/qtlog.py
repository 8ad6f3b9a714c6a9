"""Qt's own messages into the app's log (``stretchcoach.logs``), rate-limited like the rest.

Without this, Qt writes every warning straight to stderr; one stuck socket notifier once
wrote the same line hundreds of thousands of times a second. Through the log, a repeated
message is written once and then counted.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _to_log(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category if context.category not in (None, "", "default") else "qt"
    logger = logging.getLogger(category)  # Qt's categories are named "qt.…" already
    logger.log(_LEVELS.get(kind, logging.WARNING), "%s", message)


def install() -> None:
    """Route Qt's messages (from any thread) into Python's logging."""
    qInstallMessageHandler(_to_log)
