"""Real D-Bus for the tests: a private session bus, a stand-in notification server on it
(``notification_service.py``, PySide6's QtDBus), and ``gdbus`` as the person's hand.

The bus is a ``dbus-daemon`` of the test's own with a minimal configuration: no service
folders, so nothing on this machine can be started on it behind the test's back (a real
notification daemon, say), and every process on it is one the test started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TIMEOUT = 30.0
HERE = Path(__file__).resolve().parent
SERVICE = "org.freedesktop.Notifications"

_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@contextmanager
def session_bus(folder: Path) -> Iterator[str]:
    """A fresh session bus; its address. Stopped afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "bus.conf"
    config.write_text(_CONFIG.format(socket=folder / "bus"), encoding="utf-8")
    daemon = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()  # printed once it listens
        assert address, "dbus-daemon did not start"
        yield address
    finally:
        daemon.terminate()
        daemon.communicate(timeout=TIMEOUT)


def wait_for(what: str, predicate: Any, timeout: float = TIMEOUT) -> None:
    """Poll ``predicate`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def gdbus(address: str, *args: str) -> str:
    """``gdbus ARGS`` on the bus at ``address``; its output."""
    result = subprocess.run(
        ["gdbus", *args[:1], "--address", address, *args[1:]],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return result.stdout


class Notifications:
    """The stand-in server: what it was asked, and the person's hand on it."""

    def __init__(self, address: str, record: Path) -> None:
        self.address, self.record = address, record
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "notification_service.py"), str(record)], env=env
        )
        gdbus(address, "wait", "--timeout", str(int(TIMEOUT)), SERVICE)

    def calls(self, name: str | None = None) -> list[dict[str, Any]]:
        if not self.record.exists():
            return []
        lines = self.record.read_text(encoding="utf-8").splitlines()
        return [c for c in map(json.loads, lines) if name is None or c["call"] == name]

    def shown(self) -> dict[str, Any]:
        """The one notification shown, once it is."""
        wait_for("a notification", lambda: self.calls("Notify"))
        (notify,) = self.calls("Notify")
        return notify

    def _control(self, method: str, *args: str) -> None:
        gdbus(
            self.address, "call", "--dest", SERVICE, "--object-path", "/Control",
            "--method", f"io.github.stretchcoach.Test.{method}", "--", *args,
        )  # fmt: skip

    def invoke(self, nid: int, key: str) -> None:
        self._control("Invoke", str(nid), key)

    def dismiss(self, nid: int) -> None:
        self._control("Dismiss", str(nid))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=TIMEOUT)


@contextmanager
def notifications(address: str, record: Path) -> Iterator[Notifications]:
    server = Notifications(address, record)
    try:
        yield server
    finally:
        server.stop()
