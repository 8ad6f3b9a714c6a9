"""The person's settings: one pydantic model, saved as JSON, written atomically.

A settings file that cannot be read is never overwritten: it is moved aside (so nothing
the person set is lost), the valid values in it are kept and written back at once (so the
next start has them too), and the caller gets a notice to show.

This module also holds what every user file needs: the platform folders, the atomic write,
the clean-up of the temporary files a killed process leaves behind, and the words that
tell the person why a file could not be written.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import platformdirs
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_serializer,
)
from pydantic_core import PydanticCustomError

from stretchcoach.coach.ports import Pace

try:
    import fcntl
except ImportError:  # Windows: no folder locks (see remove_leftovers)
    fcntl = None  # type: ignore[assignment]

APP_NAME = "stretchcoach"
Seconds = Annotated[float, Field(ge=Pace.MIN_SECONDS, le=Pace.MAX_SECONDS)]

# The daily reminder's days, as systemd's calendar and a person's shorthand name them.
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)  # Monday first, as date.weekday() counts


def _time_of_day(text: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
        raise PydanticCustomError(
            "time_of_day", "it should be a time of day from 00:00 to 23:59, like 07:30"
        )
    return text


def _some_days(days: frozenset[Weekday]) -> frozenset[Weekday]:
    if not days:
        raise PydanticCustomError("no_days", "it should name at least one day, like [\"mon\"]")
    return days


TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]
Weekdays = Annotated[frozenset[Weekday], AfterValidator(_some_days)]


class Settings(BaseModel):
    """Everything the person can change in the Settings dialog.

    Booleans are strict ("yes" is refused, not read as true) and no number may be NaN or
    infinite: a hand-edited file says what it means, or is reported.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    inhale: Seconds = 4.0
    exhale: Seconds = 6.0
    voice: str | None = Field(default=None, description="Engine voice id; None: the default.")
    rate: int = Field(default=150, ge=80, le=260, description="Words per minute.")
    volume: float = Field(default=1.0, ge=0.0, le=1.0)
    mute: StrictBool = False
    chime: StrictBool = True
    get_ready: float = Field(default=5.0, ge=0.0, le=30.0, description="Seconds before step 1.")
    auto_advance: float | None = Field(
        default=None,
        ge=5.0,
        le=600.0,
        description="Seconds after which a manual step moves on by itself; None: wait for Next.",
    )
    seen_safety_note: StrictBool = False
    # The daily reminder (stretchcoach.reminder installs what makes it come). Turning it off
    # keeps the days, so turning it on again offers the same ones.
    remind_at: TimeOfDay | None = Field(
        default=None, description="Time of the daily reminder, HH:MM (24-hour); None: off."
    )
    remind_days: Weekdays = Field(
        default=frozenset(WEEKDAYS), description="The days the reminder comes on."
    )

    @property
    def pace(self) -> Pace:
        return Pace(self.inhale, self.exhale)

    @field_serializer("remind_days")
    def _days_in_week_order(self, days: frozenset[Weekday]) -> list[Weekday]:
        return [day for day in WEEKDAYS if day in days]  # the same file for the same days


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def settings_path() -> Path:
    return config_dir() / "settings.json"


def runtime_dir() -> Path | None:
    """The login session's private folder for files that end with it (in memory on most
    Linux systems), if it has one."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    return Path(base) / APP_NAME if base and Path(base).is_dir() else None


# --- temporary files and their leftovers ------------------------------------------------

# Where folders cannot be locked, a temporary file this old is no one's any more: the
# longest a file is in use is a speech worker's time-out, well under a minute.
STALE_AFTER = 3600.0


def _lock(folder: Path, *, exclusive: bool) -> int | None:
    """An open descriptor of ``folder`` holding a lock on it: shared (waits for an
    exclusive holder, who holds it for a moment) or exclusive (never waits: raises
    ``BlockingIOError`` when the folder is in use). None where folders cannot be locked
    (no ``fcntl``, a file system without locks, a folder that cannot be opened)."""
    if fcntl is None:
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB if exclusive else fcntl.LOCK_SH)
    except BlockingIOError:
        os.close(fd)
        raise
    except OSError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def in_use(folder: Path) -> Iterator[None]:
    """Hold a shared lock on ``folder`` while making temporary files in it, so that
    ``remove_leftovers`` in any process leaves them alone. Writers never wait for one
    another; the lock ends with the process, so a killed writer's files become leftovers."""
    fd = _lock(folder, exclusive=False)
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def remove_leftovers(folder: Path, pattern: str) -> int:
    """Remove the files matching ``pattern`` in ``folder`` that no running process is
    writing: those of a process that was killed, or lost its power. Returns how many were
    removed.

    Every writer holds ``in_use(folder)``; if this process can lock the folder exclusively,
    nobody is writing and every match is a leftover. If someone is writing now, nothing is
    removed (next time will do). Where folders cannot be locked, only matches older than
    ``STALE_AFTER`` go.
    """
    try:
        fd = _lock(folder, exclusive=True)
    except BlockingIOError:
        return 0
    removed = 0
    try:
        for path in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if fd is None and time.time() - path.lstat().st_mtime < STALE_AFTER:
                    continue
                path.unlink()
                removed += 1
    finally:
        if fd is not None:
            os.close(fd)
    return removed


def remove_if_unused(folder: Path) -> bool:
    """Remove ``folder`` with everything in it unless a running process holds it
    ``in_use`` (where folders cannot be locked: unless it is younger than ``STALE_AFTER``)."""
    try:
        fd = _lock(folder, exclusive=True)
    except BlockingIOError:
        return False
    try:
        if fd is None and time.time() - folder.lstat().st_mtime < STALE_AFTER:
            return False
        shutil.rmtree(folder)
    except OSError:
        return False
    finally:
        if fd is not None:
            os.close(fd)
    return True


def write_atomically(path: Path, text: str, newline: str | None = None) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file
    (and at worst a temporary file that the next ``remove_leftovers`` takes away).

    ``newline`` is ``open``'s: ``""`` writes line ends exactly as they are in ``text`` (a
    CSV file's CRLF), ``None`` the platform's.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with in_use(path.parent):
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def temp_files_of(path: Path) -> str:
    """The pattern of the temporary files ``write_atomically(path, ...)`` makes."""
    return f".{path.name}.*.tmp"


FULL = (errno.ENOSPC, errno.EDQUOT)
NOT_ALLOWED = (errno.EACCES, errno.EPERM)


def why_not_written(err: OSError) -> str:
    """Why a file could not be written, in words (no error numbers, no temporary names)."""
    if err.errno == errno.ENOSPC:
        return "the disk is full"
    if err.errno == errno.EDQUOT:
        return "your share of the disk (quota) is used up"
    if err.errno == errno.EROFS:
        return "the disk is read-only"
    if err.errno in NOT_ALLOWED:
        return "StretchCoach is not allowed to write there"
    if err.errno == errno.EIO:
        return "the disk reported an error"
    if err.errno == errno.ENOTDIR:
        return "a file stands where a folder should be"
    return (err.strerror or str(err)).lower()


def how_to_fix(err: OSError, folder: Path) -> str:
    """What the person can do about ``err`` when writing into ``folder``."""
    if err.errno in FULL:
        return "Free some space on that disk."
    if err.errno == errno.EROFS or err.errno in NOT_ALLOWED:
        return f"Make {folder} writable."
    return f"Check {folder} and the disk it is on."


# --- loading and saving ---------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    notice: str | None  # set when the file was unreadable and moved aside


MAX_BYTES = 64 * 1024  # a settings file is well under 1 KiB; anything this big is not ours


def _message(error: Any) -> str:
    """One pydantic error in the person's words ("it is not a number", not "Input ...")."""
    if error["type"] == "finite_number":
        value = error.get("input")
        return (
            "it is infinite"
            if isinstance(value, float) and math.isinf(value)
            else "it is not a number (NaN)"
        )
    if error["type"] == "bool_type":
        return "it should be true or false"
    text = str(error["msg"])
    return "it should" + text[len("Input should") :] if text.startswith("Input should") else text


def _salvage(data: object, err: ValidationError) -> tuple[Settings, list[str]]:
    """The valid settings of a file with bad values, and the names of those reset, so one
    bad value does not cost the person every other setting."""
    bad = sorted({str(e["loc"][0]) for e in err.errors() if e["loc"]})
    if not isinstance(data, dict) or not bad:
        return Settings(), []
    try:
        return Settings.model_validate({k: v for k, v in data.items() if k not in bad}), bad
    except ValidationError:
        return Settings(), []


def aside_path(path: Path) -> Path:
    """A free name beside ``path`` to keep an unreadable file under."""
    stem = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
    candidate, n = path.with_name(stem), 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{stem}-{n}")
    return candidate


def _parse(raw: bytes) -> tuple[Settings, list[str], str]:
    """The settings in ``raw``, the names of any reset to their default, and what is wrong
    with the file ("" when nothing is)."""
    if len(raw) > MAX_BYTES:
        return Settings(), [], f"is too big to be a settings file (over {MAX_BYTES // 1024} KiB)"
    try:
        data = json.loads(raw.decode("utf-8"))
        return Settings.model_validate(data), [], ""
    except UnicodeDecodeError:
        return Settings(), [], "is not text (it is not UTF-8)"
    except json.JSONDecodeError as err:
        return (
            Settings(),
            [],
            f"is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})",
        )
    except RecursionError:
        return Settings(), [], "is not a settings file (its values are nested too deeply)"
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the top level"
        return *_salvage(data, err), f"has a bad value at {where}: {_message(first)}"


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def _not_a_file(mode: int) -> str:
    """Why a file of this ``mode`` is not read: "" for a regular file. A pipe or a device
    would block the read (and the window) forever, or never end."""
    if stat.S_ISREG(mode):
        return ""
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"is {kind}, not a settings file"


def _read(path: Path) -> tuple[bytes, str]:
    """The first ``MAX_BYTES + 1`` bytes of ``path``, or why it was not read.

    Raises ``FileNotFoundError`` when there is no file. The type is checked before opening
    (never open a device) and again on the open file (it may have been replaced since);
    the open does not wait for a pipe's writer.
    """
    try:
        problem = _not_a_file(path.stat().st_mode)
        if problem:
            return b"", problem
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise
    except OSError as err:
        return b"", f"could not be read ({(err.strerror or str(err)).lower()})"
    with os.fdopen(fd, "rb") as f:
        problem = _not_a_file(os.fstat(f.fileno()).st_mode)
        return (b"", problem) if problem else (f.read(MAX_BYTES + 1), "")


def remove_temp_files(path: Path | None = None) -> int:
    """Remove what killed saves left beside the settings file (at start and at exit)."""
    path = path or settings_path()
    return remove_leftovers(path.parent, temp_files_of(path))


def load(path: Path | None = None) -> Loaded:
    """The saved settings, or as many of them as are valid.

    A bad file is moved aside and what was kept of it is saved in its place at once, so
    the next start has the same settings without a notice (and without the first-run note
    the person has already read). Leftover temporary files of killed saves are removed.
    """
    path = path or settings_path()
    with contextlib.suppress(OSError):
        remove_temp_files(path)
    try:
        raw, problem = _read(path)
    except FileNotFoundError:
        return Loaded(Settings(), None)
    settings, reset = Settings(), list[str]()
    if not problem:
        settings, reset, problem = _parse(raw)
        if not problem:
            return Loaded(settings, None)
    aside = aside_path(path)
    try:
        path.replace(aside)
    except OSError:
        kept = "It could not be moved aside and was left as it is, so these settings last "
        return Loaded(
            settings, f"Your settings file {path} {problem}. {kept}until you close StretchCoach."
        )
    outcome = (
        f"The other settings were kept; {', '.join(reset)} went back to the default."
        if reset
        else "Using the defaults."
    )
    try:
        save(settings, path)
    except OSError as err:
        outcome += f" They could not be saved ({why_not_written(err)})."
    return Loaded(
        settings, f"Your settings file {path} {problem}. It was kept as {aside.name}. {outcome}"
    )


def save(settings: Settings, path: Path | None = None) -> None:
    write_atomically(path or settings_path(), settings.model_dump_json(indent=2) + "\n")


def save_problem(err: OSError, path: Path | None = None) -> str:
    """The notice for settings that could not be saved: what happened, where, what to do."""
    path = path or settings_path()
    return (
        f"Your settings could not be saved to {path}: {why_not_written(err)}. "
        f"{how_to_fix(err, path.parent)} Your changes apply until you close StretchCoach, "
        "and the next change you make saves them all."
    )
