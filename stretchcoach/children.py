"""How the app starts its helper processes (the speech worker, the sound output).

Each is this same Python running one of the package's modules, with this copy of
StretchCoach first on its path, so a source checkout, an editable install and a wheel all
run the child that belongs to the running app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import stretchcoach

_ROOT = str(Path(stretchcoach.__file__).resolve().parent.parent)


def module_command(module: str) -> tuple[str, ...]:
    """The command line that runs ``module`` (``python -m module``) in a child process."""
    return (sys.executable, "-m", module)


def environment() -> dict[str, str]:
    """The environment for a child: ours, with this copy of the package importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
    return env
