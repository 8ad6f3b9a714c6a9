"""A desktop notification with buttons, and the person's answer to it, over D-Bus
(freedesktop.org's ``org.freedesktop.Notifications``).

It serves ``stretchcoach remind``, a process with no window: ``ask()`` makes a small
``QCoreApplication`` if there is none, shows the notification, and runs an event loop
until the person presses a button, closes it, or ``wait`` seconds pass (then it is
withdrawn, so no button is left that nobody listens to). Nothing here blocks a window.

Two things QtDBus from Python does not do by itself:

- A Python int goes out as a D-Bus int32, and notification servers check signatures
  (GNOME's refuses ``Notify`` with ``(sisssasa{sv}i)``: the id must be a uint32). So the
  calls go through a ``QDBusInterface`` built from the server's own introspection, whose
  methods Qt invokes with typed arguments (``Q_ARG("uint", ...)``).
- Signals arrive as whole ``QDBusMessage``s (a slot of that one type matches any D-Bus
  signature), read by position.

At login the notification server may come up after us: with none on the bus (and none
that the bus can start), ``ask()`` waits up to ``appear_within`` seconds for one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    Q_ARG,
    Q_RETURN_ARG,
    SLOT,
    QCoreApplication,
    QEventLoop,
    QMetaObject,
    QObject,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtDBus import (
    QDBusConnection,
    QDBusInterface,
    QDBusMessage,
    QDBusServiceWatcher,
)

from stretchcoach.appid import APP_ID, DISPLAY_NAME

log = logging.getLogger(__name__)
SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = SERVICE
CALL_TIMEOUT_MS = 10_000
EXPIRE_AS_THE_SERVER_LIKES = -1
# NotificationClosed's reasons, from the specification.
_ON_SIGNAL = SLOT("on_signal(QDBusMessage)")
CLOSED = {1: "it expired", 2: "it was dismissed", 3: "it was withdrawn", 4: "it was closed"}


@dataclass(frozen=True)
class Answer:
    """How it went. ``action`` is the key of the button pressed; ``token``, if the server
    sent one, lets the window it starts take the focus."""

    shown: bool
    why: str  # in words: how it ended, or why it was not shown
    action: str | None = None
    token: str | None = None


class _Notification(QObject):
    """One notification's life, as a small state machine on the event loop: waiting for a
    server, shown, answered (``answer`` set, ``loop`` ended)."""

    def __init__(
        self,
        summary: str,
        body: str,
        actions: Sequence[tuple[str, str]],
        *,
        wait: float,
        appear_within: float,
        shown: Callable[[], None] | None,
    ) -> None:
        super().__init__()
        self._shown = shown
        self.loop = QEventLoop()
        self.answer: Answer | None = None
        self._content = (summary, body, [x for pair in actions for x in pair])
        self._wait = wait
        self._id: int | None = None
        self._token: str | None = None
        self._server: QDBusInterface | None = None
        self._bus = QDBusConnection.sessionBus()
        self._appear = _single_shot(self, appear_within)
        self._unanswered = _single_shot(self, wait)
        self._watcher: QDBusServiceWatcher | None = None
        if not self._bus.isConnected():
            self._finish(False, f"no session bus ({self._bus.lastError().message()})")
            return
        for name in ("ActionInvoked", "NotificationClosed", "ActivationToken"):
            # PySide's stub says the slot is bytes; only the str that SLOT() makes works.
            self._bus.connect(SERVICE, PATH, INTERFACE, name, self, _ON_SIGNAL)  # type: ignore[call-overload]
        if self._server_present():
            QTimer.singleShot(0, self, self._send)
            return
        log.info("no notification service yet; waiting up to %g s for one", appear_within)
        self._watcher = QDBusServiceWatcher(
            SERVICE, self._bus, QDBusServiceWatcher.WatchModeFlag.WatchForRegistration, self
        )
        self._watcher.serviceRegistered.connect(self._send)
        self._appear.timeout.connect(
            lambda: self._finish(
                False, f"no notification service on the session bus (waited {appear_within:g} s)"
            )
        )
        self._appear.start()

    def _server_present(self) -> bool:
        """A server owns the name, or the bus can start one."""
        bus = self._bus.interface()
        registered = bus.isServiceRegistered(SERVICE)
        if registered.isValid() and registered.value():
            return True
        startable = bus.activatableServiceNames()
        return startable.isValid() and SERVICE in (startable.value() or [])

    def _send(self) -> None:
        if self._id is not None or self.answer is not None:
            return
        self._appear.stop()
        summary, body, actions = self._content
        server = QDBusInterface(SERVICE, PATH, INTERFACE, self._bus, self)
        server.setTimeout(CALL_TIMEOUT_MS)
        if not server.isValid():
            self._finish(False, f"the notification service did not answer ({_error(server)})")
            return
        nid = QMetaObject.invokeMethod(
            server,
            "Notify",
            Qt.ConnectionType.DirectConnection,
            Q_RETURN_ARG("uint"),
            Q_ARG("QString", DISPLAY_NAME),
            Q_ARG("uint", 0),  # replaces no earlier notification
            Q_ARG("QString", APP_ID),  # the icon, by name (install-desktop installs it)
            Q_ARG("QString", summary),
            Q_ARG("QString", body),
            Q_ARG("QStringList", actions),
            Q_ARG("QVariantMap", {"desktop-entry": APP_ID}),  # whose notification it is
            Q_ARG("int", EXPIRE_AS_THE_SERVER_LIKES),
        )
        if server.lastError().isValid() or not isinstance(nid, int):
            self._finish(False, f"the notification service refused it ({_error(server)})")
            return
        # Signals about it can only come after this reply (a bus keeps each sender's order),
        # and are read from the event loop, after this assignment.
        self._id = nid
        self._server = server
        log.info("notification %d shown; waiting up to %g s for an answer", nid, self._wait)
        if self._shown is not None:
            self._shown()
        self._unanswered.timeout.connect(self._withdraw)
        self._unanswered.start()

    def _withdraw(self) -> None:
        assert self._server is not None, "withdrawn after it was shown"
        QMetaObject.invokeMethod(
            self._server,
            "CloseNotification",
            Qt.ConnectionType.DirectConnection,
            Q_ARG("uint", self._id),
        )
        self._finish(True, f"not answered within {self._wait:g} s, so withdrawn")

    @Slot(QDBusMessage)
    def on_signal(self, message: QDBusMessage) -> None:
        args = message.arguments()
        if self._id is None or self.answer is not None or not args or args[0] != self._id:
            return  # another program's notification, or after the answer
        member = message.member()
        if member == "ActivationToken" and len(args) > 1:
            self._token = str(args[1])
        elif member == "ActionInvoked" and len(args) > 1:
            self._finish(True, f"the person pressed {args[1]!r}", str(args[1]))
        elif member == "NotificationClosed":
            reason = CLOSED.get(int(args[1]) if len(args) > 1 else 4, "it was closed")
            self._finish(True, f"{reason} without an answer")

    def _finish(self, shown: bool, why: str, action: str | None = None) -> None:
        if self.answer is None:
            self.answer = Answer(shown, why, action, self._token)
            self._appear.stop()
            self._unanswered.stop()
            self.loop.quit()


def _single_shot(parent: QObject, seconds: float) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(round(seconds * 1000))
    return timer


def _error(server: QDBusInterface) -> str:
    error = server.lastError()
    return f"{error.name()}: {error.message()}" if error.isValid() else "no reply"


def ask(
    summary: str,
    body: str,
    actions: Sequence[tuple[str, str]],
    *,
    wait: float,
    appear_within: float,
    shown: Callable[[], None] | None = None,
) -> Answer:
    """Show StretchCoach's notification and return the person's answer (see the module
    docstring). ``actions`` are (key, label) pairs; the key "default" is a click on the
    notification itself. ``shown`` is called once the server has shown it."""
    _app = QCoreApplication.instance() or QCoreApplication(["stretchcoach"])
    notification = _Notification(
        summary, body, actions, wait=wait, appear_within=appear_within, shown=shown
    )
    if notification.answer is None:
        notification.loop.exec()
    assert notification.answer is not None, "the loop ends with an answer"
    return notification.answer
