"""Where StretchCoach keeps the person's files, and how it writes them.

Every user file (settings, the journal, the speech cache, exports, the log) lives in the
platform's folders (platformdirs: XDG on Linux) and is written the same way: atomically
(a temporary file, fsync, rename), with the temporary files a killed process leaves
behind cleaned up later without ever touching one a running process is writing, an
unreadable file moved aside rather than overwritten, and a failure told in words.
One module, so every part of the app does this one way.

The folders are named by the application id (``stretchcoach.appid``), as the desktop
names everything else of StretchCoach's; the folders of StretchCoach 0.1, named
``stretchcoach``, are renamed the first time a process asks for them (``_move_old_folder``).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import platformdirs

from stretchcoach.appid import APP_ID

try:
    import fcntl
except ImportError:  # Windows: no folder locks (see remove_leftovers)
    fcntl = None  # type: ignore[assignment]

OLD_NAME = "stretchcoach"
"""The folders' name before they took the application id's (StretchCoach 0.1)."""

log = logging.getLogger(__name__)

# --- folders ----------------------------------------------------------------------------

Where = Callable[..., str]  # platformdirs' user_*_dir


def config_dir() -> Path:
    return _folder(platformdirs.user_config_dir)


def data_dir() -> Path:
    return _folder(platformdirs.user_data_dir)


def cache_dir() -> Path:
    return _folder(platformdirs.user_cache_dir)


def state_dir() -> Path:
    """What the app remembers for itself that is not the person's data (when it last
    reminded them), and the log."""
    return _folder(platformdirs.user_state_dir)


def log_dir() -> Path:
    """The log's folder: in the state folder, as XDG keeps logs, so it moves with it."""
    return state_dir() / "log"


def settings_file() -> Path:
    """The person's settings (kept by ``settings``)."""
    return config_dir() / "settings.json"


def user_routines_dir() -> Path:
    """Where the person's own routine files live (created by them, read by the catalog)."""
    return data_dir() / "routines"


def runtime_dir() -> Path | None:
    """The login session's private folder for files that end with it (in memory on most
    Linux systems), if it has one."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    return Path(base) / APP_ID if base and Path(base).is_dir() else None


# Each folder as this process uses it, by the path the application id gives it: decided
# once, so a process never writes half its files in one folder and half in the other.
_chosen: dict[Path, Path] = {}


def _folder(where: Where) -> Path:
    new = Path(where(APP_ID, appauthor=False))
    chosen = _chosen.get(new)
    if chosen is None:
        chosen = _chosen[new] = _move_old_folder(Path(where(OLD_NAME, appauthor=False)), new)
    return chosen


def _move_old_folder(old: Path, new: Path) -> Path:
    """The folder to use for ``new``: the folder of StretchCoach 0.1 (``old``) is renamed
    to ``new`` the first time, and kept in use if that fails.

    The rename is one atomic step on one file system, so a crash leaves one folder or the
    other, whole. Two processes starting at once both try it: one renames, the other finds
    ``old`` gone and uses ``new``. When ``new`` already holds files (a newer StretchCoach
    ran, then an older one made ``old`` again), ``new`` is used and ``old`` left as it is:
    merging two sets of files (a journal and another's write-ahead log) could lose data.
    A rename that fails (``old`` is a mount point, a folder not ours to change) is logged
    and ``old`` is used, so nothing the person has is lost or hidden.
    """
    if old.parent != new.parent or not old.is_dir():  # never ours, or moved already
        return new
    try:
        old.rename(new)  # replaces an empty ``new``; refuses one with files in it
    except FileNotFoundError:  # another process moved it a moment ago
        return new
    except OSError as err:
        if err.errno in (errno.ENOTEMPTY, errno.EEXIST):
            log.info("%s is left as it is: %s is the folder in use", old, new)
            return new
        log.warning(
            "cannot rename %s to %s (%s): using %s as before", old, new, why_not_written(err), old
        )
        return old
    log.info("moved %s to %s (the folder's new name)", old, new)
    return new


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


@contextlib.contextmanager
def atomic_file(path: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """A file to write ``path``'s new content into, which replaces ``path`` only when the
    block ends without an error (written, fsynced, renamed, the rename made durable): a
    crash leaves the old file or the new one, never half of one (and at worst a temporary
    file that the next ``remove_leftovers`` takes away). The file is the person's alone
    unless ``mode`` says otherwise (an installed menu entry is 0o644, as any)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with in_use(path.parent):
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                if mode != 0o600:  # what mkstemp made it
                    os.fchmod(f.fileno(), mode)
                yield f
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


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, its line ends as they are), atomically."""
    with atomic_file(path) as f:
        f.write(text.encode("utf-8"))


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


# --- files that cannot be read ----------------------------------------------------------


def aside_path(path: Path) -> Path:
    """A free name beside ``path`` to keep an unreadable file under."""
    stem = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
    candidate, n = path.with_name(stem), 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{stem}-{n}")
    return candidate
