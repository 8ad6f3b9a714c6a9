"""What the window's first frame shows, remembered from the last start.

The first frame needs only the picker's list. Computing it means importing pydantic and
validating every routine file and the settings: about two thirds of the time to the
first frame. So each start remembers what it showed (the picker's items, the routine
selected, the notices, whether the first-run note is due) in a small JSON file in the
cache folder, keyed by the app's version and the size and modification time of every file
it came from (the two routine folders and the settings file). The next start shows that
at once, without pydantic, and validates for real right after the first paint; if the
truth differs (a file changed within the same clock tick, say), the screen is corrected
a moment later. The cache is a hint, never a source of truth: anything wrong with it
(missing, stale, unreadable, another version's shape) means the slow, exact start.

Imports nothing heavier than ``json`` and the picker's plain values, on purpose.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from stretchcoach import __version__, paths, resources
from stretchcoach.ui.picker import PickerItem

log = logging.getLogger(__name__)
FORMAT = 1


@dataclass(frozen=True)
class FirstFrame:
    """Everything the first frame shows."""

    items: tuple[PickerItem, ...]
    selected: str | None  # the routine selected at start (the default routine)
    notices: dict[str, str | None] = field(default_factory=dict)
    safety_note: bool = False  # the first-run note is due


def cache_path() -> Path:
    return paths.cache_dir() / "first-frame.json"


def _folder_state(folder: Path) -> list[list[object]]:
    """Each entry's name, size and modification time: a routine file added, removed or
    edited changes it."""
    try:
        with os.scandir(folder) as entries:
            stats = [(e.name, e.stat()) for e in entries]
    except OSError:
        return []
    return sorted([name, st.st_size, st.st_mtime_ns] for name, st in stats)


def _file_state(path: Path) -> list[int]:
    try:
        st = path.stat()
    except OSError:
        return []
    return [st.st_size, st.st_mtime_ns]


def fingerprint(settings_file: Path, user_routines: Path) -> dict[str, object]:
    """What the first frame was computed from; a different fingerprint means recompute."""
    return {
        "format": FORMAT,
        "version": __version__,
        "bundled": _folder_state(resources.routines_dir()),
        "user": _folder_state(user_routines),
        "settings": _file_state(settings_file),
    }


def _item(data: dict[str, object]) -> PickerItem:
    """A picker item from its JSON form (lists back to the tuples the dataclass holds)."""
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    if set(values) != {f.name for f in fields(PickerItem)}:
        raise ValueError("not this version's picker item")
    return PickerItem(**values)  # type: ignore[arg-type]


def read(key: dict[str, object], path: Path | None = None) -> FirstFrame | None:
    """The remembered first frame, if it was computed from the same files; else None."""
    path = path or cache_path()
    try:
        data = json.loads(path.read_bytes())
        if data["key"] != key:
            return None
        frame = data["frame"]
        return FirstFrame(
            items=tuple(_item(item) for item in frame["items"]),
            selected=frame["selected"],
            notices=dict(frame["notices"]),
            safety_note=bool(frame["safety_note"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as err:
        log.info("not using the remembered first frame %s: %s", path, err)
        return None


def write(key: dict[str, object], frame: FirstFrame, path: Path | None = None) -> None:
    """Remember ``frame`` for the next start (atomically; a failure is only logged)."""
    path = path or cache_path()
    text = json.dumps({"key": key, "frame": asdict(frame)}, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        paths.write_atomically(path, text)
    except OSError as err:
        log.info("could not remember the first frame in %s: %s", path, err)


def write_in_background(key: dict[str, object], frame: FirstFrame) -> threading.Thread:
    """``write`` off the GUI thread: it touches the disk."""
    thread = threading.Thread(target=write, args=(key, frame), name="first-frame")
    thread.start()
    return thread
