"""The person's systemd user manager, through ``systemctl --user``.

Only the command line tool is used (no D-Bus from here): it is what every systemd system
has, it finds the manager by itself (``$XDG_RUNTIME_DIR/systemd/private`` or the user
bus), and it reports failures in words we can pass on.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass

log = logging.getLogger(__name__)
TIMEOUT = 30.0  # systemctl answers in milliseconds; this only guards against a hung manager


class SystemdError(Exception):
    """A ``systemctl --user`` command failed; the message says which, and why."""


def _systemctl(*args: str) -> subprocess.CompletedProcess[str] | None:
    """``systemctl --user ARGS``, or None when there is no systemctl or it hung."""
    program = shutil.which("systemctl")
    if program is None:
        return None
    try:
        return subprocess.run(
            [program, "--user", *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        log.warning("systemctl --user %s: %s", " ".join(args), err)
        return None


@dataclass(frozen=True)
class Manager:
    """A reachable user manager, and the environment its services start with."""

    environment: dict[str, str]

    def run(self, *args: str) -> str:
        """``systemctl --user ARGS``; its output. Raises ``SystemdError``."""
        result = _systemctl(*args)
        if result is None or result.returncode != 0:
            why = result.stderr.strip() if result is not None else "it did not answer"
            raise SystemdError(f"systemctl --user {' '.join(args)} failed: {why}")
        return result.stdout

    def show(self, unit: str, *properties: str) -> dict[str, str]:
        """Properties of ``unit``; times as ``@<seconds since the epoch>``."""
        out = self.run("show", "--timestamp=unix", unit, *(f"--property={p}" for p in properties))
        return _pairs(out)


def manager() -> Manager | None:
    """The user manager, if ``systemctl --user`` reaches one. None: no systemd, or none for
    this user here (a container, a session without systemd, su without a login)."""
    result = _systemctl("show-environment")
    if result is None or result.returncode != 0:
        return None
    return Manager(_pairs(result.stdout))


def _pairs(text: str) -> dict[str, str]:
    """systemctl's ``NAME=value`` lines."""
    found = {}
    for line in text.splitlines():
        name, equals, value = line.partition("=")
        if equals:
            found[name] = value
    return found
