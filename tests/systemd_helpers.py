"""A real systemd user manager for a test, on the test's own folders, and the environments
the reminder's commands run in: with that manager, or with none reachable.

The manager is ``/usr/lib/systemd/systemd --user``, the program a login starts, with the
test's ``XDG_CONFIG_HOME`` (where it reads units), ``XDG_DATA_HOME`` and
``XDG_RUNTIME_DIR`` (where ``systemctl --user`` finds it). systemd refuses to run as a user
instance on a machine it did not boot (a container, as on CI), so it runs in a private
mount namespace where ``/run/systemd/system`` exists: the host never sees that, nor the
manager; it needs root (``unshare``), and the tests that use it are skipped elsewhere.

No environment here can reach the person's own manager: each has the test's runtime folder
and no ``DBUS_SESSION_BUS_ADDRESS`` but the test's, so ``systemctl --user`` finds the
test's manager or none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from dbus_helpers import wait_for

SYSTEMD = Path("/usr/lib/systemd/systemd")
TIMEOUT = 30.0


def systemctl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemctl", "--user", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _why_no_manager() -> str:
    if not sys.platform.startswith("linux") or not SYSTEMD.is_file():
        return "needs systemd"
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "runs systemd --user in a private mount namespace: needs root and unshare"
    return ""


_SCRIPT = (
    "set -e; for run in /run/systemd /run; do [ -d $run ] && break; done; "
    "mount -t tmpfs tmpfs $run; mkdir -p /run/systemd/system; exec {systemd} --user"
)


@contextmanager
def user_manager(env: dict[str, str], log: Path) -> Iterator[dict[str, str]]:
    """A running user manager for ``env``'s folders; ``env`` with its session bus (the one
    the manager's services get) added. Stopped afterwards."""
    why = _why_no_manager()
    if why:
        pytest.skip(why)
    script = _SCRIPT.format(systemd=SYSTEMD)
    with log.open("w") as out:
        manager = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            "the user manager to start",
            lambda: (
                manager.poll() is not None
                or systemctl(env, "show", "--value", "--property=SystemState").stdout.strip()
                in ("running", "degraded")
            ),
        )
        assert manager.poll() is None, log.read_text()
        theirs = systemctl(env, "show-environment").stdout.splitlines()
        (bus,) = [line.partition("=")[2] for line in theirs if line.startswith("DBUS_SESSION_")]
        yield {**env, "DBUS_SESSION_BUS_ADDRESS": bus}
    finally:
        manager.terminate()
        manager.wait(timeout=TIMEOUT)


def no_manager(env: dict[str, str]) -> dict[str, str]:
    """``env`` as where there is no systemd user session: ``systemctl --user`` fails
    (no manager's socket in the runtime folder, no session bus to ask)."""
    result = systemctl(env, "show-environment")
    assert result.returncode != 0, "a user manager answered where none should be"
    return env
