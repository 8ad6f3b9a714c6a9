"""A stand-in desktop notification server for the tests, on the session bus it is given.

Run as ``python notification_service.py RECORD.jsonl`` with ``DBUS_SESSION_BUS_ADDRESS`` set.
It owns ``org.freedesktop.Notifications`` and implements the methods a client calls, with
the specification's D-Bus signatures (QtDBus checks them: a ``Notify`` whose id is not a
uint32 is refused, as GNOME's server refuses it). Every call is appended to the record
file as one JSON line.

The test plays the person through a second object, ``/Control`` (interface
``io.github.stretchcoach.Test``), with any D-Bus client (``gdbus call``):

- ``Invoke(id, key)``: the person pressed a button; emits ``ActivationToken``,
  ``ActionInvoked`` and ``NotificationClosed`` (reason 2), as GNOME Shell does;
- ``Dismiss(id)``: the person closed it (``NotificationClosed``, reason 2).

``CloseNotification`` from the client emits ``NotificationClosed`` with reason 3.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection

DISMISSED = 2
CLOSED_BY_CALL = 3


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class Server(QObject):
    ActionInvoked = Signal("uint", str)
    NotificationClosed = Signal("uint", "uint")
    ActivationToken = Signal("uint", str)

    def __init__(self, record: Path) -> None:
        super().__init__()
        self._record = record
        self._last_id = 0

    def write(self, call: str, **fields: Any) -> None:
        with self._record.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"call": call, **fields}) + "\n")

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(  # noqa: PLR0917 - the D-Bus method's arguments, in its order
        self,
        app_name: str,
        replaces_id: int,
        app_icon: str,
        summary: str,
        body: str,
        actions: list[str],
        hints: dict[str, Any],
        expire_timeout: int,
    ) -> int:
        self._last_id += 1
        self.write(
            "Notify",
            id=self._last_id,
            app_name=app_name,
            replaces_id=replaces_id,
            app_icon=app_icon,
            summary=summary,
            body=body,
            actions=actions,
            hints={k: str(v) for k, v in hints.items()},
            expire_timeout=expire_timeout,
        )
        return self._last_id

    @Slot("uint")
    def CloseNotification(self, nid: int) -> None:
        self.write("CloseNotification", id=nid)
        self.NotificationClosed.emit(nid, CLOSED_BY_CALL)

    @Slot(result="QStringList")
    def GetCapabilities(self) -> list[str]:
        return ["actions", "body", "icon-static"]


@ClassInfo({"D-Bus Interface": "io.github.stretchcoach.Test"})
class Control(QObject):
    def __init__(self, server: Server) -> None:
        super().__init__()
        self._server = server

    @Slot("uint", str)
    def Invoke(self, nid: int, key: str) -> None:
        self._server.ActivationToken.emit(nid, f"token-{nid}")
        self._server.ActionInvoked.emit(nid, key)
        self._server.NotificationClosed.emit(nid, DISMISSED)

    @Slot("uint")
    def Dismiss(self, nid: int) -> None:
        self._server.NotificationClosed.emit(nid, DISMISSED)


def main() -> int:
    app = QCoreApplication(sys.argv[:1])  # ended by the test, with SIGTERM
    bus = QDBusConnection.sessionBus()
    server = Server(Path(sys.argv[1]))
    control = Control(server)
    exported = (
        QDBusConnection.RegisterOption.ExportAllSlots
        | QDBusConnection.RegisterOption.ExportAllSignals
    )
    if not (
        bus.registerObject("/org/freedesktop/Notifications", server, exported)
        and bus.registerObject("/Control", control, exported)
        and bus.registerService("org.freedesktop.Notifications")
    ):
        print(f"cannot serve on the bus: {bus.lastError().message()}", file=sys.stderr)
        return 1
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
