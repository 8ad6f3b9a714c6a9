"""A person's home for the reminder's tests: private folders, an environment that reaches
nothing of the real desktop, and a stand-in ``stretchcoach`` command.

The stand-in is a script named ``stretchcoach`` in a folder with a space in its name (the
quoting of ``Exec=`` and ``ExecStart=`` must survive it). Run with a subcommand it is the
real command line, so everything the reminder installs points at it (``launch.app_command``
finds it as ``sys.argv[0]``); run as the window would be (no subcommand), it only records
that it was started, with its arguments and activation token, and exits: the tests need
no window to see that "Start" started the app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from stretchcoach.appid import APP_ID

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0
_LEAKY = ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "INVOCATION_ID")

_STAND_IN = """#!{python}
import json, os, sys
if len(sys.argv) == 1 or sys.argv[1].startswith("--"):  # the window: say so, and go
    with open({record!r}, "a", encoding="utf-8") as f:
        f.write(json.dumps({{"argv": sys.argv[1:], "token": os.environ.get("XDG_ACTIVATION_TOKEN"),
                             "startup_id": os.environ.get("DESKTOP_STARTUP_ID"),
                             "cgroup": open("/proc/self/cgroup").read().strip()}}) + "\\n")
    raise SystemExit(0)
sys.path.insert(0, {root!r})
from stretchcoach.cli import main
raise SystemExit(main())
"""


class Home:
    """``root`` holds the XDG folders (the conftest's, plus state) and the stand-in."""

    def __init__(self, root: Path) -> None:
        self.root = root
        state = root / "state"
        state.mkdir(exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
        self.env.update(XDG_STATE_HOME=str(state), PYTHONPATH=str(ROOT))
        self.config = Path(self.env["XDG_CONFIG_HOME"])
        self.data = Path(self.env["XDG_DATA_HOME"])
        self.windows_record = root / "windows.jsonl"
        self.command = root / "my bin" / "stretchcoach"
        self.command.parent.mkdir()
        self.command.write_text(
            _STAND_IN.format(
                python=sys.executable, record=str(self.windows_record), root=str(ROOT)
            ),
            encoding="utf-8",
        )
        self.command.chmod(0o755)

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``stretchcoach ARGS``, to its end."""
        return subprocess.run(
            [str(self.command), *args],
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """``stretchcoach ARGS``, running."""
        return subprocess.Popen(
            [str(self.command), *args],
            env=env or self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def windows(self) -> list[dict[str, Any]]:
        """The times the stand-in was started as the window."""
        if not self.windows_record.exists():
            return []
        return [json.loads(line) for line in self.windows_record.read_text().splitlines()]

    def log(self) -> str:
        path = self.root / "state" / APP_ID / "log" / "stretchcoach.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def files(self) -> set[str]:
        """Every file and link in the config and data folders (relative), but the
        person's own settings and journal, which the reminder only reads."""
        found = set()
        for base in (self.config, self.data):
            for path in base.rglob("*"):
                if path.is_file() or path.is_symlink():
                    found.add(str(path.relative_to(self.root)))
        return {f for f in found if not f.endswith(("settings.json", "journal.sqlite3"))}
