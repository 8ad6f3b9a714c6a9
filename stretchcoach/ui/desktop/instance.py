"""One StretchCoach at a time: a second launch hands its wish to the running one and ends.

The mechanism is the desktop's own: the running app owns the well-known name ``APP_ID`` on
the session bus and serves ``org.freedesktop.Application`` (as GApplication and KDE apps
do) at ``/io/github/stretchcoach/StretchCoach``. A launch that finds the name taken calls
``Activate`` ("raise your window") or ``ActivateAction("start", [routine])`` ("open this
routine ready to start") on its owner, with the launcher's activation token, and exits 0.
Chosen over a ``QLocalServer`` socket in the runtime folder (qutebrowser's way) because:

- the bus releases a name the moment its owner's connection closes, also after ``kill
  -9``: nothing stale is ever left to detect, time out or remove (a socket file outlives
  its process, and telling "stale" from "busy" is a race);
- the bus decides who owns a name atomically: two launches at once cannot both win;
- it is the interface desktops, ``gapplication launch`` and D-Bus activation already
  speak, with a standard place for the activation token (``platform_data``).

Without a session bus there is no single instance, only one log line: the app runs as
before (two launches then make two windows, as they always did there).

Nothing here waits on the bus once the window is up: the exported object lives in the GUI
thread, where QtDBus delivers the calls it serves. Before that, connecting, asking for the
name and calling the running app happen on a short-lived worker thread, whose outcome
comes back as a queued signal (``decided``); the window is built only after it, so a
second launch never flashes a window of its own. A missing bus fails at once; one that is
there but hung holds every Qt app at its start, this one too (QtDBus connects
synchronously, and PySide keeps the interpreter's lock meanwhile, so no deadline could
step in).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import ClassInfo, QMetaType, QObject, Qt, Signal, Slot
from PySide6.QtDBus import (
    QDBus,
    QDBusArgument,
    QDBusConnection,
    QDBusConnectionInterface,
    QDBusMessage,
    QDBusVariant,
)
from PySide6.QtGui import QGuiApplication, QNativeInterface
from PySide6.QtWidgets import QWidget

from stretchcoach.appid import APP_ID
from stretchcoach.ui.desktop.bus import say_there_is_none

log = logging.getLogger(__name__)
OBJECT_PATH = "/" + APP_ID.replace(".", "/")
INTERFACE = "org.freedesktop.Application"
START = "start"  # the action: open a routine ready to start ("": the default routine)
CALL_TIMEOUT_MS = 5_000  # the running app answers at once; this only guards against a hang
# Where a launcher puts the token that lets a window take the focus: Wayland's
# xdg-activation and X11's startup notification (GApplication's platform_data keys).
TOKEN_KEYS = ("activation-token", "desktop-startup-id")


@dataclass(frozen=True)
class Request:
    """What a launch asks of the app: ``routine`` None to raise the window only, "" for
    the default routine, or a routine id; ``token`` the launcher's activation token."""

    routine: str | None = None
    token: str | None = None

    @classmethod
    def of_this_launch(cls, routine: str | None) -> Request:
        """This process's request: ``routine`` and the token its launcher gave it."""
        token = os.environ.get("XDG_ACTIVATION_TOKEN") or os.environ.get("DESKTOP_STARTUP_ID")
        return cls(routine, token or None)

    def platform_data(self) -> dict[str, str]:
        return dict.fromkeys(TOKEN_KEYS, self.token) if self.token else {}


def _variants(*values: str) -> QDBusArgument:
    """``values`` as a D-Bus ``av``: PySide sends a list of str as ``as``, and a list of
    ``QDBusVariant`` as variants wrapped twice."""
    array = QDBusArgument()
    array.beginArray(QMetaType.fromName(b"QDBusVariant"))
    for value in values:
        array.appendVariant(QDBusVariant(value))
    array.endArray()
    return array


def _token(platform_data: Mapping[str, Any]) -> str | None:
    for key in TOKEN_KEYS:
        value = platform_data.get(key)
        if isinstance(value, str) and value:
            return value
    return None


class Outcome(Enum):
    FIRST = "first"  # this process owns the name: it opens the window and serves requests
    ALONE = "alone"  # no bus (or no answer): it opens the window, without single instance
    FORWARDED = "forwarded"  # the running app took the request: this process ends


# PySide accepts a dict (a key with a space cannot be a keyword); its stub does not know.
@ClassInfo({"D-Bus Interface": INTERFACE})  # type: ignore[call-arg]
class _Application(QObject):  # type: ignore[operator]
    """``org.freedesktop.Application``, as the running app serves it."""

    def __init__(self, instance: Instance) -> None:
        super().__init__(instance)
        self._instance = instance

    @Slot("QVariantMap")
    def Activate(self, platform_data: dict[str, Any]) -> None:
        self._instance.requested.emit(Request(None, _token(platform_data)))

    @Slot("QStringList", "QVariantMap")
    def Open(self, _uris: list[str], platform_data: dict[str, Any]) -> None:
        """StretchCoach opens no files: opening one raises the window."""
        self.Activate(platform_data)

    @Slot(str, "QVariantList", "QVariantMap")
    def ActivateAction(
        self, name: str, parameter: list[Any], platform_data: dict[str, Any]
    ) -> None:
        routine: str | None = str(parameter[0]) if parameter else ""
        if name != START:
            log.warning("asked for an action StretchCoach does not have: %r", name)
            routine = None
        self._instance.requested.emit(Request(routine, _token(platform_data)))


class Instance(QObject):
    """Claims the app's name for this process, or hands ``request`` to its owner.

    ``claim()`` starts; ``decided`` then says how it went (an ``Outcome``). After
    ``FIRST``, ``requested`` carries each later launch's ``Request``.
    """

    decided = Signal(object)  # an Outcome
    requested = Signal(object)  # a Request
    _outcome = Signal(object)  # from the worker thread, queued to this object's

    def __init__(self, request: Request) -> None:
        super().__init__()
        self._request = request
        self._served = _Application(self)
        self._thread: threading.Thread | None = None
        self._outcome.connect(self._settle)

    def claim(self) -> None:
        self._thread = threading.Thread(target=self._decide, name="single-instance", daemon=True)
        self._thread.start()

    def _decide(self) -> None:
        """On the worker thread: the bus's answers, as one ``Outcome``."""
        try:
            outcome = self._claim_or_forward()
        except Exception:  # a bug here must not cost the person their window
            log.exception("single instance failed; going on without it")
            outcome = Outcome.ALONE
        self._outcome.emit(outcome)

    @Slot(object)
    def _settle(self, outcome: Outcome) -> None:
        if self._thread is not None:
            self._thread.join()  # it has just emitted its last: this is at once
        self.decided.emit(outcome)

    def _claim_or_forward(self) -> Outcome:
        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            say_there_is_none(bus.lastError().message())
            return Outcome.ALONE
        exported = QDBusConnection.RegisterOption.ExportAllSlots
        if not bus.registerObject(OBJECT_PATH, self._served, exported):
            log.warning("cannot serve %s on the session bus: no single instance", OBJECT_PATH)
            return Outcome.ALONE
        reply = bus.interface().registerService(
            APP_ID,
            QDBusConnectionInterface.ServiceQueueOptions.DontQueueService,
            QDBusConnectionInterface.ServiceReplacementOptions.DontAllowReplacement,
        )
        # PySide gives the reply's value as a plain int.
        registered = QDBusConnectionInterface.RegisterServiceReply.ServiceRegistered.value
        if reply.isValid() and reply.value() == registered:
            return Outcome.FIRST
        bus.unregisterObject(OBJECT_PATH)
        if not reply.isValid():
            log.warning(
                "cannot own %s on the session bus (%s): no single instance",
                APP_ID,
                reply.error().message(),
            )
            return Outcome.ALONE
        return self._forward(bus)

    def _forward(self, bus: QDBusConnection) -> Outcome:
        """Hand the request to the app that owns the name."""
        request = self._request
        if request.routine is None:
            call = QDBusMessage.createMethodCall(APP_ID, OBJECT_PATH, INTERFACE, "Activate")
            call.setArguments([request.platform_data()])
        else:
            call = QDBusMessage.createMethodCall(APP_ID, OBJECT_PATH, INTERFACE, "ActivateAction")
            call.setArguments([START, _variants(request.routine), request.platform_data()])
        answer = bus.call(call, QDBus.CallMode.Block, CALL_TIMEOUT_MS)
        if answer.type() == QDBusMessage.MessageType.ErrorMessage:
            # Gone in between (it quit), or hung: better a second window than none.
            log.warning(
                "StretchCoach is running but did not answer (%s); opening another window",
                answer.errorMessage(),
            )
            return Outcome.ALONE
        log.info(
            "StretchCoach is already running: asked it to %s",
            "raise its window" if request.routine is None else "open the routine",
        )
        return Outcome.FORWARDED


def bring_forward(window: QWidget, token: str | None) -> None:
    """Show ``window`` in front, with the keyboard, as the launch that asked for it would
    have shown its own.

    Desktops with focus-stealing prevention give the focus only to a window the person
    asked for, and ``token`` (from the launcher, forwarded by the later launch) is that
    proof. On Wayland, Qt hands ``XDG_ACTIVATION_TOKEN`` to the compositor with the next
    activation request (and clears it); on X11, ``desktop.x11`` asks with the time in the
    token, which Qt cannot be given.
    """
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    if _x11_activate(window, token):
        return
    if token:
        os.environ["XDG_ACTIVATION_TOKEN"] = token
    window.activateWindow()


def _x11_activate(window: QWidget, token: str | None) -> bool:
    app = QGuiApplication.instance()
    x11 = app.nativeInterface() if isinstance(app, QGuiApplication) else None
    if not isinstance(x11, QNativeInterface.QX11Application) or not x11.display():
        return False  # Wayland, or another platform
    # Imported when a later launch asks (ctypes and libX11): not on the way to the first frame.
    from stretchcoach.ui.desktop.x11 import activate

    return activate(x11.display(), int(window.winId()), token)
