"""The person's settings: one pydantic model, saved as JSON, written atomically.

A settings file that cannot be read is never overwritten: it is moved aside (so nothing
the person set is lost), the defaults are used, and the caller gets a notice to show.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stretchcoach.coach.ports import Pace

APP_NAME = "stretchcoach"
Seconds = Annotated[float, Field(ge=Pace.MIN_SECONDS, le=Pace.MAX_SECONDS)]


class Settings(BaseModel):
    """Everything the person can change in the Settings dialog."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    inhale: Seconds = 4.0
    exhale: Seconds = 6.0
    voice: str | None = Field(default=None, description="Engine voice id; None: the default.")
    rate: int = Field(default=150, ge=80, le=260, description="Words per minute.")
    volume: float = Field(default=1.0, ge=0.0, le=1.0)
    mute: bool = False
    chime: bool = True
    get_ready: float = Field(default=5.0, ge=0.0, le=30.0, description="Seconds before step 1.")
    auto_advance: float | None = Field(
        default=None,
        ge=5.0,
        le=600.0,
        description="Seconds after which a manual step moves on by itself; None: wait for Next.",
    )
    seen_safety_note: bool = False

    @property
    def pace(self) -> Pace:
        return Pace(self.inhale, self.exhale)


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def settings_path() -> Path:
    return config_dir() / "settings.json"


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
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


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    notice: str | None  # set when the file was unreadable and moved aside


def load(path: Path | None = None) -> Loaded:
    """The saved settings, or the defaults (moving an unreadable file aside)."""
    path = path or settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Loaded(Settings(), None)
    except (OSError, UnicodeDecodeError) as err:
        problem = f"could not be read ({err.__class__.__name__})"
    else:
        try:
            return Loaded(Settings.model_validate(json.loads(raw)), None)
        except json.JSONDecodeError as err:
            problem = f"is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "the top level"
            problem = f"has a bad value at {where}: {first['msg']}"
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        path.replace(aside)
        kept = f"It was kept as {aside.name}."
    except OSError:
        kept = "It could not be moved aside and was left as it is."
    return Loaded(Settings(), f"Your settings file {path} {problem}. {kept} Using the defaults.")


def save(settings: Settings, path: Path | None = None) -> None:
    write_atomically(path or settings_path(), settings.model_dump_json(indent=2) + "\n")
