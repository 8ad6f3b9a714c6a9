"""A script run as the window's process would be: a Python of its own, offscreen, started
in the checkout, so what it imports and does at start is the app's alone (not pytest's)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_offscreen(script: str, home: Path | None = None, **env: str) -> list[str]:
    """The lines ``script`` (indented as written in a test) printed; it must succeed.
    ``home``: private XDG folders under it (else the test's own); ``env``: more variables."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    if home is not None:
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            environment[var] = str(home / var.lower())
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()
