"""Installing the daily reminder so that it comes while StretchCoach is closed; removing it;
and saying in words what is installed and when it comes next.

``apply(settings)`` makes what is installed match the settings and returns the ``Status``.
The reminder comes one of two ways, chosen each time it is applied:

1. **A systemd user timer** and its service (``~/.config/systemd/user/<id>-reminder.*``),
   enabled and started, when the person's systemd user manager is reachable and its
   services run in this desktop session: on this session bus (where notifications are
   shown) and knowing this display (which "Start" needs for the window). It fires at the
   time on the chosen days and runs ``stretchcoach remind --if-due``. ``Persistent=true``:
   a computer that was off, or a person who was logged out, at the time gets the reminder
   at login later that day, when they can act on it. (``--if-due`` drops a catch-up for
   a day already gone: a reminder about yesterday is noise.)
2. Otherwise **an XDG autostart entry** (``~/.config/autostart/<id>-reminder.desktop``)
   that runs the same command at each login; it waits for the time, or reminds at once
   if the time has passed (at most once a day).

Both run ``remind --if-due``, which reads the *saved* settings: one rule decides in both
(``schedule.decide``), and the caller saves the settings before applying them.

Turning it off removes exactly what was installed: the timer is disabled and stopped
(which removes the link ``enable`` made) and a reminder waiting or showing is stopped,
then the unit files go, with systemd's record of the timer's last run (its ``Persistent=``
stamp), the autostart entry and the reminded-day stamp.

Setting a time that has already passed today counts as today's reminder: the person is
at the computer, and a notification popping up as they press OK would be a surprise.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import platformdirs

from stretchcoach import launch
from stretchcoach.appid import APP_ID, DISPLAY_NAME
from stretchcoach.paths import why_not_written, write_atomically
from stretchcoach.reminder import reminded
from stretchcoach.reminder.schedule import RemindNow, Schedule, decide, long_moment
from stretchcoach.reminder.systemd import Manager, SystemdError, manager
from stretchcoach.settings import Settings

log = logging.getLogger(__name__)
TIMER = f"{APP_ID}-reminder.timer"
SERVICE = f"{APP_ID}-reminder.service"
AUTOSTART = f"{APP_ID}-reminder.desktop"
# ``stretchcoach remind`` exits with this when no notification could be shown.
EX_UNAVAILABLE = 69  # sysexits.h: "a service is unavailable"
_HEADER = (
    "# StretchCoach's daily reminder, written by `stretchcoach remind --at` or its Settings.\n"
    "# `stretchcoach remind --status` says what it does; `stretchcoach remind --off` removes it.\n"
)

Kind = Literal["systemd", "autostart"]


class ReminderError(Exception):
    """The reminder could not be installed or removed; the message says why, in words."""


def units_dir() -> Path:
    return Path(platformdirs.user_config_dir()) / "systemd" / "user"


def autostart_path() -> Path:
    return Path(platformdirs.user_config_dir()) / "autostart" / AUTOSTART


def _persistent_stamp() -> Path:
    """Where systemd keeps the last time a ``Persistent=true`` timer fired."""
    return Path(platformdirs.user_data_dir()) / "systemd" / "timers" / f"stamp-{TIMER}"


def remind_command() -> tuple[str, ...]:
    return (*launch.app_command(), "remind", "--if-due")


def timer_text(schedule: Schedule) -> str:
    return (
        f"{_HEADER}[Unit]\nDescription={DISPLAY_NAME} daily reminder, {schedule.words()}\n\n"
        f"[Timer]\nOnCalendar={schedule.on_calendar()}\nPersistent=true\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )


def service_text(command: tuple[str, ...]) -> str:
    return (
        f"{_HEADER}[Unit]\nDescription={DISPLAY_NAME} daily reminder: a notification to "
        "practise, unless today's session is done\n\n"
        f"[Service]\nType=exec\nExecStart={launch.systemd_exec(command)}\n"
    )


def autostart_text(command: tuple[str, ...]) -> str:
    return (
        f"{_HEADER}[Desktop Entry]\nType=Application\nName={DISPLAY_NAME} reminder\n"
        "Comment=Reminds you of your daily stretches at the time you chose\n"
        f"Exec={launch.desktop_exec(command)}\nIcon={APP_ID}\nTerminal=false\nNoDisplay=true\n"
    )


def _bus(address: str | None) -> str | None:
    """A bus address without its server's guid, to compare two addresses of one bus."""
    if not address:
        return None
    return ";".join(
        ",".join(part for part in one.split(",") if not part.startswith("guid="))
        for one in address.split(";")
    )


def why_not_systemd(found: Manager | None, env: Mapping[str, str] = os.environ) -> str | None:
    """Why a systemd timer would not reach the person here (None: it would)."""
    if found is None:
        return "there is no systemd user manager here to run a timer"
    theirs = found.environment
    user_bus = f"unix:path={theirs['XDG_RUNTIME_DIR']}/bus" if "XDG_RUNTIME_DIR" in theirs else None
    ours = _bus(env.get("DBUS_SESSION_BUS_ADDRESS"))
    if ours and ours != _bus(theirs.get("DBUS_SESSION_BUS_ADDRESS") or user_bus):
        return "systemd's services are not on this desktop's session bus, where notifications show"
    displays = ("WAYLAND_DISPLAY", "DISPLAY")
    if any(env.get(v) for v in displays) and not any(theirs.get(v) for v in displays):
        return "systemd's services do not know this desktop's display, which Start needs"
    return None


def _write(path: Path, text: str) -> bool:
    """Write ``path`` unless it already holds ``text``; whether it was written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(path, text)
    return True


def _install_units(systemd: Manager, schedule: Schedule) -> None:
    folder = units_dir()
    changed = _write(folder / TIMER, timer_text(schedule))
    changed = _write(folder / SERVICE, service_text(remind_command())) or changed
    if changed:
        systemd.run("daemon-reload")
    systemd.run("enable", TIMER)
    systemd.run("restart" if changed else "start", TIMER)  # a changed calendar takes effect


def _remove_units(systemd: Manager | None) -> None:
    folder = units_dir()
    files = [folder / TIMER, folder / SERVICE]
    link = folder / "timers.target.wants" / TIMER
    if systemd is not None and any(p.exists() for p in files):
        for args in (("disable", "--now", TIMER), ("stop", SERVICE)):
            try:
                systemd.run(*args)
            except SystemdError as err:  # e.g. not loaded: there is nothing to stop
                log.info("%s", err)
    for path in files:
        path.unlink(missing_ok=True)
    if link.is_symlink():  # enabled when systemd could be reached, which it cannot now
        link.unlink()
        with contextlib.suppress(OSError):  # other units' links are in it
            link.parent.rmdir()
    _persistent_stamp().unlink(missing_ok=True)
    if systemd is not None:
        systemd.run("daemon-reload")
        try:
            systemd.run("reset-failed", SERVICE)  # forget a last failed run
        except SystemdError as err:  # not loaded any more: nothing to forget
            log.info("%s", err)


def apply(settings: Settings, now: datetime | None = None) -> Status:
    """Install, update or remove the reminder to match ``settings`` (saved already: the
    installed reminder reads them); the resulting ``Status``. Raises ``ReminderError``.

    Takes tens of milliseconds, more on a busy machine (systemctl): the Settings dialog
    calls it off the GUI thread. Running it again with the same settings changes nothing.
    """
    now = now or datetime.now().astimezone()
    schedule = Schedule.of(settings)
    systemd = manager()
    try:
        if schedule is None:
            _remove_units(systemd)
            autostart_path().unlink(missing_ok=True)
            reminded.forget()
        else:
            if isinstance(decide(schedule, now, None), RemindNow):
                # Before the timer (re)starts: systemd may catch up on the time at once.
                reminded.mark(now.date())
            if systemd is not None and why_not_systemd(systemd) is None:
                autostart_path().unlink(missing_ok=True)
                _install_units(systemd, schedule)
            else:
                _remove_units(systemd)
                _write(autostart_path(), autostart_text(remind_command()))
    except OSError as err:
        where = err.filename or units_dir()
        raise ReminderError(
            f"The reminder could not be {'removed' if schedule is None else 'set'}: "
            f"{where}: {why_not_written(err)}."
        ) from err
    except (SystemdError, ValueError) as err:
        raise ReminderError(
            f"The reminder could not be {'removed' if schedule is None else 'set'}: {err}."
        ) from err
    return status(settings, now, systemd)


@dataclass(frozen=True)
class Status:
    """What the reminder is set to, what is installed for it, and when it comes next."""

    now: datetime
    schedule: Schedule | None  # None: off
    kind: Kind | None  # what is installed; None: nothing
    files: tuple[Path, ...]  # every file of the reminder's that is installed
    running: bool | None  # the timer is enabled and waiting; None: cannot be asked
    next_time: datetime | None
    problem: str | None  # the last reminder could not be shown, in words
    why_login_entry: str | None  # why not a timer here

    @property
    def as_set(self) -> bool:
        """What is installed brings the reminder the settings ask for (or nothing is
        installed and it is off)."""
        if self.schedule is None:
            return not self.files
        return self.kind is not None and self.running is not False

    def words(self) -> str:
        files = ", ".join(str(p) for p in self.files)
        if self.schedule is None:
            if not self.files:
                return "The daily reminder is off; nothing is installed for it."
            return (
                f"The daily reminder is off, but these are still installed: {files}. "
                "stretchcoach remind --off removes them."
            )
        lines = [f"The daily reminder is on: {self.schedule.words()}."]
        if self.kind is None:
            lines.append(
                "But nothing is installed to bring it; install it with: "
                f"stretchcoach remind --at {self.schedule.at:%H:%M}"
            )
        elif self.kind == "systemd":
            state = {
                True: "enabled and waiting",
                False: "installed but not running (stretchcoach remind --at starts it)",
                None: "installed (systemd cannot be reached from here to say if it runs)",
            }[self.running]
            lines.append(f"It is a systemd user timer, {state}: {files}.")
        else:
            why = self.why_login_entry
            because = f" (not a systemd timer: {why})" if why else ""
            lines.append(
                f"It is a login entry{because}: {files}. At each login on a reminder day it "
                f"waits for {self.schedule.at:%H:%M}, or reminds you then if that has passed "
                "(once a day)."
            )
        if self.next_time is not None:
            lines.append(f"Next: {long_moment(self.next_time, self.now)}.")
        if self.problem:
            lines.append(self.problem)
        return "\n".join(lines)


def _timer_state(systemd: Manager, now: datetime) -> tuple[bool, datetime | None, str | None]:
    """Whether the timer waits, when systemd will fire it next, and why the last
    reminder failed, if it did."""
    timer = systemd.show(TIMER, "ActiveState")
    following = None
    with contextlib.suppress(ValueError, KeyError, IndexError, TypeError):  # an older systemd
        (listed,) = json.loads(systemd.run("list-timers", "--all", "--output=json", TIMER))
        following = datetime.fromtimestamp(int(listed["next"]) / 1e6).astimezone()
    last = systemd.show(SERVICE, "Result", "ExecMainStatus", "ExecMainExitTimestamp")
    ended = last.get("ExecMainExitTimestamp", "").removeprefix("@")
    problem = None
    if last.get("Result", "success") != "success" and ended.isdigit():
        at = datetime.fromtimestamp(int(ended)).astimezone()
        when = long_moment(at, now)
        problem = (
            f"The last reminder ({when}) could not be shown: no notification service answered."
            if last.get("ExecMainStatus") == str(EX_UNAVAILABLE)
            else f"The last reminder ({when}) failed ({last.get('Result')}); "
            f"journalctl --user -u {SERVICE} says why."
        )
    return timer.get("ActiveState") == "active", following, problem


def status(
    settings: Settings, now: datetime | None = None, systemd: Manager | None = None
) -> Status:
    """The reminder's ``Status`` (``systemd``: the user manager, if already found)."""
    now = now or datetime.now().astimezone()
    schedule = Schedule.of(settings)
    systemd = systemd or manager()
    units = [p for p in (units_dir() / TIMER, units_dir() / SERVICE) if p.exists()]
    entry = [autostart_path()] if autostart_path().exists() else []
    kind: Kind | None = "systemd" if units else "autostart" if entry else None
    running: bool | None = None
    following = problem = None
    if kind == "systemd" and systemd is not None:
        try:
            running, following, problem = _timer_state(systemd, now)
        except SystemdError as err:
            log.warning("%s", err)
    if following is None and kind is not None and schedule is not None and running is not False:
        following = schedule.next_after(now)  # the same calendar, computed here
    why = why_not_systemd(systemd) if kind == "autostart" else None
    return Status(now, schedule, kind, (*units, *entry), running, following, problem, why)
