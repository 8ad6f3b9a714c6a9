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


def write_atomically(path: Path, text: str, newline: str | None = None) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file.

    ``newline`` is ``open``'s: ``""`` writes line ends exactly as they are in ``text`` (a
    CSV file's CRLF), ``None`` the platform's.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
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


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    notice: str | None  # set when the file was unreadable and moved aside


MAX_BYTES = 64 * 1024  # a settings file is well under 1 KiB; anything this big is not ours


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
    """A free name beside ``path`` to keep an unreadable file under (settings, journal)."""
    stem = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
    candidate, n = path.with_name(stem), 1
    while candidate.exists():
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
        return *_salvage(data, err), f"has a bad value at {where}: {first['msg']}"


def load(path: Path | None = None) -> Loaded:
    """The saved settings, or as many of them as are valid (moving a bad file aside)."""
    path = path or settings_path()
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Loaded(Settings(), None)
    except OSError as err:
        settings, reset, problem = Settings(), list[str](), f"could not be read ({err.strerror})"
    else:
        settings, reset, problem = _parse(raw)
        if not problem:
            return Loaded(settings, None)
    aside = aside_path(path)
    try:
        path.replace(aside)
        kept = f"It was kept as {aside.name}."
    except OSError:
        kept = "It could not be moved aside and was left as it is."
    outcome = (
        f"The other settings were kept; {', '.join(reset)} went back to the default."
        if reset
        else "Using the defaults."
    )
    return Loaded(settings, f"Your settings file {path} {problem}. {kept} {outcome}")


def save(settings: Settings, path: Path | None = None) -> None:
    write_atomically(path or settings_path(), settings.model_dump_json(indent=2) + "\n")
