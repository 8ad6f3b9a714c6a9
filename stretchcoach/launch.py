"""How this copy of StretchCoach is started from outside it, and starting it so.

The menu entry, the reminder's systemd service and its autostart entry each hold a command
line that must start *this* copy: the one in a checkout's ``.venv``, a ``pip install``ed
one, or one run as ``python -m stretchcoach``. ``app_command()`` says what that command is;
``desktop_exec()`` and ``systemd_exec()`` write it in the two file formats' own quoting
(each has rules of its own, and a folder with a space in its name must survive both).

``start_app()`` is the one place the app is started from outside the window (the
reminder's "Start"): it runs ``stretchcoach --start``, the path every launch takes, so
a StretchCoach already running opens the default routine in its window
(``desktop.instance``) and none starts a second one.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from stretchcoach.appid import APP_ID, COMMAND

log = logging.getLogger(__name__)
SYSTEMD_RUN_TIMEOUT = 30.0


def _runnable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def app_command() -> tuple[str, ...]:
    """The command line that starts this copy of StretchCoach.

    In order: the ``stretchcoach`` script this process was started by (``sys.argv[0]``: a
    venv's or pip's script); the script beside this Python (a venv's ``bin``, when started
    as ``python -m stretchcoach``); else this Python with ``-m stretchcoach``. Paths are
    absolute but symlinks are kept: resolving a venv's ``python`` would leave the venv.
    """
    started_as = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started_as is not None and started_as.name == COMMAND and _runnable(started_as):
        return (str(started_as.absolute()),)
    beside = Path(sys.executable).parent / COMMAND
    if _runnable(beside):
        return (str(beside),)
    return (sys.executable, "-m", "stretchcoach")


def _no_control_characters(argv: Sequence[str]) -> None:
    for arg in argv:
        if re.search(r"[\x00-\x1f\x7f]", arg):
            raise ValueError(f"cannot write a command with a control character in it: {arg!r}")


# The characters that make the desktop entry spec require quotes ("Exec key").
_DESKTOP_RESERVED = re.compile(r"[ \t\"'\\><~|&;$*?#()`]")


def desktop_exec(argv: Sequence[str]) -> str:
    """``argv`` as the value of a desktop entry's ``Exec=`` key.

    The spec's two layers: an argument with a reserved character is double-quoted, with
    ``"``, `````, ``$`` and ``\\`` escaped by a backslash inside; ``%`` is doubled (field
    codes); then the whole value is a *string*, whose own escape doubles every backslash.
    """
    _no_control_characters(argv)
    words = []
    for arg in argv:
        word = arg.replace("%", "%%")
        if not word or _DESKTOP_RESERVED.search(word):
            word = '"' + re.sub(r'(["`$\\])', r"\\\1", word) + '"'
        words.append(word)
    return " ".join(words).replace("\\", "\\\\")


def systemd_exec(argv: Sequence[str]) -> str:
    """``argv`` as the value of a systemd unit's ``ExecStart=``.

    ``%`` (specifiers) is doubled everywhere, ``$`` (variables) in the arguments, which
    systemd expands, but not in the program's path, which it does not; a word with a
    space, a quote, a backslash or a ``;`` is double-quoted with C-style escapes.
    """
    _no_control_characters(argv)
    words = []
    for position, arg in enumerate(argv):
        word = arg.replace("%", "%%")
        if position:
            word = word.replace("$", "$$")
        if not word or re.search(r"[\s\"'\\;]", word):
            word = '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
        words.append(word)
    return " ".join(words)


def _activation(token: str | None) -> dict[str, str]:
    """What tells the new window it may take the focus: the notification server's token,
    for Wayland (``XDG_ACTIVATION_TOKEN``) and X11 (``DESKTOP_STARTUP_ID``)."""
    return {"XDG_ACTIVATION_TOKEN": token, "DESKTOP_STARTUP_ID": token} if token else {}


def start_app(activation_token: str | None = None) -> bool:
    """Start the app with the default routine ready to start (``--start``; in the running
    window if there is one), detached from this process; whether it was started. Failures
    are logged, never raised: the caller is a notification's button.

    Under a systemd service (the reminder's timer) the app gets a unit of its own (as a
    desktop's launcher gives it), so the service ending does not end it, and it gets the
    user manager's environment as it is now, with the display the desktop gave it after
    the service started. Elsewhere it is a child in a session of its own.
    """
    command = (*app_command(), "--start")
    extra = _activation(activation_token)
    systemd_run = shutil.which("systemd-run")
    if os.environ.get("INVOCATION_ID") and systemd_run:
        unit = f"app-{APP_ID}@{secrets.token_hex(4)}.service"
        settings = [f"--setenv={name}={value}" for name, value in extra.items()]
        run = [systemd_run, "--user", "--quiet", "--collect", f"--unit={unit}", *settings]
        try:
            result = subprocess.run(
                [*run, "--", *command],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=SYSTEMD_RUN_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            log.warning("could not start StretchCoach with systemd-run: %s", err)
        else:
            if result.returncode == 0:
                return True
            log.warning("systemd-run could not start StretchCoach: %s", result.stderr.strip())
        # Not lost yet: started as a child below, it lives as long as this unit does.
    return _start_child(command, {**os.environ, **extra})


def _start_child(command: Sequence[str], env: Mapping[str, str]) -> bool:
    """Start ``command`` in a session of its own, its output discarded (the app keeps a
    log). A bare ``posix_spawn``: this process does not wait for it, and ends first."""
    quiet = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    try:
        os.posix_spawn(command[0], list(command), dict(env), file_actions=quiet, setsid=True)
    except OSError as err:
        log.warning("could not start StretchCoach (%s): %s", " ".join(command), err)
        return False
    return True
