"""``stretchcoach install-desktop``: StretchCoach in the person's menu, with its icon and its
AppStream description, without root and without a package.

What goes where, under ``$XDG_DATA_HOME`` (``~/.local/share``), every name the app id::

    applications/<id>.desktop              Exec= and TryExec= this copy (launch.app_command)
    icons/hicolor/<N>x<N>/apps/<id>.png    one per size in assets/icons/
    icons/hicolor/scalable/apps/<id>.svg
    metainfo/<id>.metainfo.xml

Installing again is cheap and safe: a file that is already as it should be is not touched,
and each file that is written is replaced atomically. The menu entry that ``scripts/run``
used to install under the old name (``stretchcoach.desktop``, ``stretchcoach.png`` in
non-standard ``hicolor/<N>/`` folders) is removed by both installing (or the menu would
show StretchCoach twice) and ``--uninstall``, which otherwise removes exactly the files
above, and the folders that leaves empty.

Caches: desktops notice new files by themselves. A cache that exists must follow, or it
would hide our entry, so an ``icon-theme.cache`` or ``mimeinfo.cache`` already there is
refreshed with its tool when the tool is installed; no cache is created (one we made
would have to be kept current by every later install, ours or not).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import platformdirs

from stretchcoach import launch, resources
from stretchcoach.appid import APP_ID, COMMAND, DESKTOP_FILE, METAINFO_FILE
from stretchcoach.paths import atomic_file, how_to_fix, why_not_written

log = logging.getLogger(__name__)
CACHE_TOOL_TIMEOUT = 60.0
OLD_NAME = "stretchcoach"  # before the app id: scripts/run's menu entry and icons
ICON_PREFIX = "stretchcoach-"  # assets/icons/stretchcoach-<N>.png


def data_home() -> Path:
    return Path(platformdirs.user_data_dir())


@dataclass
class Outcome:
    """What a run changed, relative to the data folder."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def _installed_entry(asset: str, command: Sequence[str]) -> str:
    """The asset's desktop entry with ``Exec=`` and ``TryExec=`` for ``command`` (a menu hides
    an entry whose TryExec is gone, e.g. after the venv is deleted)."""
    lines = []
    for line in asset.splitlines():
        if line.startswith("Exec="):
            program, _, rest = line.removeprefix("Exec=").partition(" ")
            if program != COMMAND:
                raise ValueError(f"assets/{DESKTOP_FILE}: Exec= should start with {COMMAND}")
            lines.append("Exec=" + " ".join(filter(None, [launch.desktop_exec(command), rest])))
            lines.append("TryExec=" + command[0].replace("\\", "\\\\"))
        elif not line.startswith("TryExec="):
            lines.append(line)
    return "\n".join(lines) + "\n"


def planned(command: Sequence[str]) -> dict[Path, bytes]:
    """Every file to install (relative to the data folder) and its content."""
    assets = resources.assets_dir()
    entry = (assets / DESKTOP_FILE).read_text(encoding="utf-8")
    files = {
        Path("applications", DESKTOP_FILE): _installed_entry(entry, command).encode(),
        Path("metainfo", METAINFO_FILE): (assets / METAINFO_FILE).read_bytes(),
        Path("icons/hicolor/scalable/apps", f"{APP_ID}.svg"): (
            assets / "icons" / f"{OLD_NAME}.svg"
        ).read_bytes(),
    }
    for png in sorted((assets / "icons").glob(f"{ICON_PREFIX}*.png")):
        size = png.stem.removeprefix(ICON_PREFIX)
        files[Path(f"icons/hicolor/{size}x{size}/apps", f"{APP_ID}.png")] = png.read_bytes()
    return files


def _old_files(home: Path) -> list[Path]:
    """What scripts/run installed before the app id, relative to ``home``."""
    old = [Path("applications", f"{OLD_NAME}.desktop")]
    old += [p.relative_to(home) for p in (home / "icons/hicolor").glob(f"*/apps/{OLD_NAME}.png")]
    old.append(Path("icons/hicolor/scalable/apps", f"{OLD_NAME}.svg"))
    return [p for p in old if (home / p).is_file()]


def _remove(home: Path, relative: Iterable[Path], outcome: Outcome) -> None:
    """Remove the files, then the folders that leaves empty, up to (not including) the
    standard ones a desktop expects to find."""
    keep = {home, home / "applications", home / "metainfo", home / "icons", home / "icons/hicolor"}
    for path in relative:
        (home / path).unlink(missing_ok=True)
        outcome.removed.append(path)
        folder = (home / path).parent
        while folder not in keep and folder.is_relative_to(home):
            try:
                folder.rmdir()
            except OSError:  # not empty (or not there): stop climbing
                break
            folder = folder.parent


def _refresh_caches(home: Path) -> None:
    """Refresh the caches that exist (see the module's docstring); tell icon caches that
    the theme changed by touching its folder, as the icon theme spec asks."""
    hicolor = home / "icons/hicolor"
    apps = home / "applications"
    tools = [
        (apps / "mimeinfo.cache", ["update-desktop-database", "-q", str(apps)]),
        (hicolor / "icon-theme.cache", ["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)]),
    ]
    for cache, (tool, *args) in tools:
        found = shutil.which(tool)
        if not cache.exists() or found is None:
            continue
        try:
            result = subprocess.run(
                [found, *args],
                capture_output=True,
                text=True,
                timeout=CACHE_TOOL_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            log.warning("%s could not refresh %s: %s", tool, cache, err)
            continue
        if result.returncode != 0:
            log.warning("%s could not refresh %s: %s", tool, cache, result.stderr.strip())
    if hicolor.is_dir():
        with contextlib.suppress(OSError):
            os.utime(hicolor)


def install(home: Path | None = None, command: Sequence[str] | None = None) -> Outcome:
    """Install (or bring up to date) the menu entry, icons and metainfo. Raises ``OSError``."""
    home = home or data_home()
    outcome = Outcome()
    for relative, content in planned(command or launch.app_command()).items():
        path = home / relative
        try:
            same = path.read_bytes() == content
        except OSError:
            same = False
        if not same:
            with atomic_file(path, mode=0o644) as f:
                f.write(content)
            outcome.written.append(relative)
    _remove(home, _old_files(home), outcome)
    if outcome.written or outcome.removed:
        _refresh_caches(home)
    return outcome


def uninstall(home: Path | None = None) -> Outcome:
    """Remove what ``install`` installs, and the old names. Raises ``OSError``."""
    home = home or data_home()
    outcome = Outcome()
    ours = [p for p in planned(launch.app_command()) if (home / p).is_file()]
    _remove(home, [*ours, *_old_files(home)], outcome)
    if outcome.removed:
        _refresh_caches(home)
    return outcome


def command(remove: bool, quiet: bool, out: TextIO, err: TextIO) -> int:
    """``stretchcoach install-desktop [--uninstall] [--quiet]``; the exit status."""
    if sys.platform in ("darwin", "win32"):
        err.write("stretchcoach: install-desktop is for Linux (freedesktop.org) desktops.\n")
        return 1
    home = data_home()
    try:
        outcome = uninstall(home) if remove else install(home)
    except OSError as error:
        folder = Path(error.filename).parent if error.filename else home
        err.write(
            f"stretchcoach: could not {'remove' if remove else 'install'} the menu entry in "
            f"{folder}: {why_not_written(error)}. {how_to_fix(error, folder)}\n"
        )
        return 1
    if quiet:
        return 0
    if remove:
        if not outcome.removed:
            out.write(f"Nothing to remove: StretchCoach is not in your menu ({home}).\n")
        else:
            out.write(f"Removed StretchCoach from your menu; deleted from {home}:\n")
            out.writelines(f"  {path}\n" for path in outcome.removed)
        return 0
    if not outcome.written and not outcome.removed:
        out.write(f"StretchCoach is in your menu already; nothing changed in {home}.\n")
        return 0
    starts = " ".join(launch.app_command())
    out.write(f"StretchCoach is in your menu; it starts {starts}. Written in {home}:\n")
    out.writelines(f"  {path}\n" for path in outcome.written)
    if outcome.removed:
        out.write("Removed the entry of an older version:\n")
        out.writelines(f"  {path}\n" for path in outcome.removed)
    return 0
