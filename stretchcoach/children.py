"""How the app starts its helper processes (the speech worker, the sound output).

Each is this same Python running one of the package's modules, with this copy of
StretchCoach first on its path, so a source checkout, an editable install and a wheel all
run the child that belongs to the running app.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

import stretchcoach

_ROOT = str(Path(stretchcoach.__file__).resolve().parent.parent)
PR_SET_PDEATHSIG = 1  # prctl(2)


def module_command(module: str) -> tuple[str, ...]:
    """The command line that runs ``module`` (``python -m module``) in a child process."""
    return (sys.executable, "-m", module)


def environment() -> dict[str, str]:
    """The environment for a child: ours, with this copy of the package importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
    return env


def stay_with_the_app() -> None:
    """Called first thing in a child: the app decides when it ends (closing its input, or
    killing it). A Ctrl+C in the terminal, which reaches the whole process group, is the
    app's to handle; and on Linux the child dies with the app, even a killed one, rather
    than live on as an orphan (a hung engine would otherwise run forever). Linux ties this
    to the thread that started the child: the app starts and ends each child from one
    thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        parent = os.getppid()
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the app went before the line above
            os._exit(1)
