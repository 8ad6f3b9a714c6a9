"""Keep the screen on (and the computer awake) while a session guides the person.

The person lies still with the eyes closed: to the desktop that is an idle user, and the
screen saver would blank the screen, or the laptop suspend, mid-session. ``Inhibitor``
asks the desktop not to, in the one of two ways it offers:

- the XDG desktop portal (``org.freedesktop.portal.Inhibit.Inhibit``, flags idle and
  suspend), which sandboxed and unsandboxed apps alike may use, and which is released by
  closing the request object it names;
- else the older ``org.freedesktop.ScreenSaver.Inhibit``, released with ``UnInhibit`` and
  its cookie.

Both inhibitions belong to the app's bus connection: the desktop ends them when the
process ends, however it ends (a crash too). Where neither service answers, the app goes
on and says so once in the log. Every call runs in the ``Background`` thread.

The portal's ``Inhibit(s, u, a{sv})`` needs one trick. From Python, the only way QtDBus
sends a typed ``u`` is a call through a ``QDBusInterface`` with ``Q_ARG("uint", ..)``, and
that needs the method's Qt types, which QtDBus reads from the service's introspection. The
portal's introspection has no Qt type names, so QtDBus cannot type its ``a{sv}`` argument
and offers no callable ``Inhibit``. QtDBus keeps one description per interface name and
connection, though, so ``_PortalShape`` (a local object of ours, never called) describes
the interface first, with Qt's types; the proxy for the real portal then uses that.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, ClassInfo, QMetaObject, QObject, Qt, Slot
from PySide6.QtDBus import QDBusAbstractAdaptor, QDBusConnection, QDBusInterface, QDBusObjectPath

from stretchcoach.appid import APP_ID
from stretchcoach.ui.desktop.background import CALL_TIMEOUT_MS, Background

log = logging.getLogger(__name__)

PORTAL = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
PORTAL_INHIBIT = "org.freedesktop.portal.Inhibit"
PORTAL_REQUEST = "org.freedesktop.portal.Request"
SUSPEND, IDLE = 4, 8  # the portal's flags
SCREEN_SAVER = "org.freedesktop.ScreenSaver"
SCREEN_SAVER_PATH = "/org/freedesktop/ScreenSaver"
REASON = "Guiding a stretching session"
SHAPES_PATH = "/" + APP_ID.replace(".", "/") + "/Shapes"


@ClassInfo({"D-Bus Interface": PORTAL_INHIBIT})  # type: ignore[call-arg]  # stub: kwargs
class _PortalShape(QDBusAbstractAdaptor):  # type: ignore[operator]  # ClassInfo, as above
    """The portal's ``Inhibit`` with Qt's types, for QtDBus to learn (see the module
    docstring); the portal itself is what answers the calls."""

    @Slot(str, "uint", "QVariantMap", result=QDBusObjectPath)
    def Inhibit(self, _window: str, _flags: int, _options: dict[str, object]) -> QDBusObjectPath:
        return QDBusObjectPath("/")  # never called: it is only read


@dataclass(frozen=True)
class _Held:
    """An inhibition in force: the portal's request object, or the screen saver's cookie."""

    request: str | None = None
    cookie: int | None = None


class Inhibitor:
    """``hold(True)`` while a session runs, ``hold(False)`` otherwise; calls only on changes."""

    def __init__(self, background: Background, parent: QObject) -> None:
        self._background = background
        self._wanted = False
        self._connected = QDBusConnection.sessionBus().isConnected()  # no bus: nothing to do
        self._shaped = _teach_portal_shape(parent)
        # What follows is the background thread's alone (its calls run one at a time).
        self._held: _Held | None = None
        self._said_missing = False
        self._tokens = itertools.count(1)

    def hold(self, wanted: bool) -> None:
        if wanted != self._wanted and self._connected:
            self._wanted = wanted
            self._background.run(self._inhibit if wanted else self._release)

    def _inhibit(self) -> None:
        bus = QDBusConnection.sessionBus()
        if self._held is not None:
            return
        self._held = self._by_portal(bus) or self._by_screen_saver(bus)
        if self._held is None and not self._said_missing:
            self._said_missing = True
            log.info("neither the desktop portal nor a screen saver can keep the screen on")

    def _by_portal(self, bus: QDBusConnection) -> _Held | None:
        if not self._shaped:
            return None
        portal = _proxy(bus, PORTAL, PORTAL_PATH, PORTAL_INHIBIT)
        if portal is None:
            return None
        token = f"stretchcoach{next(self._tokens)}"
        called = QMetaObject.invokeMethod(
            portal,
            "Inhibit",
            Qt.ConnectionType.DirectConnection,
            Q_ARG("QString", ""),  # no parent window to name
            Q_ARG("uint", IDLE | SUSPEND),
            Q_ARG("QVariantMap", {"handle_token": token, "reason": REASON}),
        )
        if not called or portal.lastError().isValid():  # a portal without an inhibit back-end
            return None
        # The request object's path is the portal's rule: sender (":1.42" → "1_42"), token.
        sender = bus.baseService().lstrip(":").replace(".", "_")
        return _Held(request=f"{PORTAL_PATH}/request/{sender}/{token}")

    def _by_screen_saver(self, bus: QDBusConnection) -> _Held | None:
        saver = _proxy(bus, SCREEN_SAVER, SCREEN_SAVER_PATH, SCREEN_SAVER)
        if saver is None:
            return None
        cookie = QMetaObject.invokeMethod(
            saver,
            "Inhibit",
            Qt.ConnectionType.DirectConnection,
            Q_RETURN_ARG("uint"),
            Q_ARG("QString", APP_ID),
            Q_ARG("QString", REASON),
        )
        if saver.lastError().isValid() or not isinstance(cookie, int):
            return None
        return _Held(cookie=cookie)

    def _release(self) -> None:
        held, self._held = self._held, None
        if held is None:
            return
        bus = QDBusConnection.sessionBus()
        if held.request is not None:
            request = _proxy(bus, PORTAL, held.request, PORTAL_REQUEST, introspect=False)
            if request is not None:
                request.call("Close")
        elif held.cookie is not None:
            saver = _proxy(bus, SCREEN_SAVER, SCREEN_SAVER_PATH, SCREEN_SAVER)
            if saver is not None:
                QMetaObject.invokeMethod(
                    saver, "UnInhibit", Qt.ConnectionType.DirectConnection,
                    Q_ARG("uint", held.cookie),
                )  # fmt: skip


def _teach_portal_shape(parent: QObject) -> bool:
    """Show QtDBus the portal's interface with Qt's types (see the module docstring).
    In the GUI thread, where ``_PortalShape`` lives: a proxy for an object of ours is
    introspected in the calling thread, off the bus (from another thread, it would wait
    for this one)."""
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    host = QObject(parent)
    _PortalShape(host)
    registered = bus.registerObject(
        SHAPES_PATH, host, QDBusConnection.RegisterOption.ExportAdaptors
    )
    return registered and _proxy(bus, bus.baseService(), SHAPES_PATH, PORTAL_INHIBIT) is not None


def _proxy(
    bus: QDBusConnection, service: str, path: str, interface: str, *, introspect: bool = True
) -> QDBusInterface | None:
    """A proxy for ``interface`` of ``service``, or None where nobody provides it (a
    missing service, or one without that interface: its introspection lacks it)."""
    if not bus.isConnected():
        return None
    proxy = QDBusInterface(service, path, interface, bus)
    proxy.setTimeout(CALL_TIMEOUT_MS)
    if introspect and not proxy.isValid():
        return None
    return proxy
