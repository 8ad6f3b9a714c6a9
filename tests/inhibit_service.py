"""Stand-ins for the desktop services that keep a screen on, for the tests, on the session
bus they are given: the XDG desktop portal's ``org.freedesktop.portal.Inhibit`` and the
older ``org.freedesktop.ScreenSaver``, with the specifications' D-Bus signatures.

Run as ``python inhibit_service.py RECORD.jsonl portal|screensaver...`` with
``DBUS_SESSION_BUS_ADDRESS`` set; it serves the ones named. Every call is appended to the
record file as one JSON line (the portal's with the caller's unique bus name, ``sender``).

The portal describes itself as the real one does, without Qt's type names (a client
that relies on them fails here as it would on a desktop); it records the signature an
``Inhibit`` came with (the real portal refuses any but ``sua{sv}``), and takes ``Close``
on any request object (``/org/freedesktop/portal/desktop/request/SENDER/TOKEN``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import (
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
    QDBusVirtualObject,
)

PORTAL_PATH = "/org/freedesktop/portal/desktop"
EXPORT_SLOTS = QDBusConnection.RegisterOption.ExportAllSlots
PORTAL_XML = """<interface name="org.freedesktop.portal.Inhibit">
  <method name="Inhibit">
    <arg type="s" name="window" direction="in"/>
    <arg type="u" name="flags" direction="in"/>
    <arg type="a{sv}" name="options" direction="in"/>
    <arg type="o" name="handle" direction="out"/>
  </method>
</interface>"""


class Record:
    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, call: str, **fields: Any) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"call": call, **fields}) + "\n")


class Portal(QDBusVirtualObject):
    """The portal's object and the request objects under it, by hand (a reply of type
    ``o``, and the sender's name, need the message itself)."""

    def __init__(self, record: Record) -> None:
        super().__init__()
        self._record = record
        self._count = 0

    def introspect(self, path: str) -> str:
        return PORTAL_XML if path == PORTAL_PATH else ""

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:
        sender, member = message.service(), message.member()
        if message.path() == PORTAL_PATH and member == "Inhibit":
            window, flags, _options = message.arguments()  # the options: not read here
            handle = f"{PORTAL_PATH}/request/{sender[1:].replace('.', '_')}/{self._count}"
            self._count += 1
            self._record.write(
                "Inhibit", sender=sender, signature=message.signature(), window=window,
                flags=flags,
            )  # fmt: skip
            reply = message.createReply()
            reply.setArguments([QDBusObjectPath(handle)])
        elif message.path().startswith(f"{PORTAL_PATH}/request/") and member == "Close":
            self._record.write("Close", sender=sender, handle=message.path())
            reply = message.createReply()
        else:
            return False
        connection.send(reply)
        return True


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    def __init__(self, record: Record) -> None:
        super().__init__()
        self._record = record
        self._cookie = 0

    @Slot(str, str, result="uint")
    def Inhibit(self, application: str, reason: str) -> int:
        self._cookie += 1
        self._record.write(
            "Inhibit", application=application,
            reason=reason, cookie=self._cookie,
        )  # fmt: skip
        return self._cookie

    @Slot("uint")
    def UnInhibit(self, cookie: int) -> None:
        self._record.write("UnInhibit", cookie=cookie)


def main() -> int:
    app = QCoreApplication(sys.argv[:1])  # ended by the test, with SIGTERM
    bus = QDBusConnection.sessionBus()
    record = Record(Path(sys.argv[1]))
    served = []
    if "portal" in sys.argv[2:]:
        portal = Portal(record)
        served.append(
            bus.registerVirtualObject(
                PORTAL_PATH, portal, QDBusConnection.VirtualObjectRegisterOption.SubPath
            )
            and bus.registerService("org.freedesktop.portal.Desktop")
        )
    if "screensaver" in sys.argv[2:]:
        saver = ScreenSaver(record)
        served.append(
            bus.registerObject("/org/freedesktop/ScreenSaver", saver, EXPORT_SLOTS)
            and bus.registerService("org.freedesktop.ScreenSaver")
        )
    if not all(served):
        print(f"cannot serve on the bus: {bus.lastError().message()}", file=sys.stderr)
        return 1
    print("serving", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
