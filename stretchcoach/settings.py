"""The person's settings: one pydantic model, saved as JSON, written atomically.

A settings file that cannot be read is never overwritten: it is moved aside (so nothing
the person set is lost), the valid values in it are kept and written back at once (so the
next start has them too), and the caller gets a notice to show.

The folders and the way files are written are ``stretchcoach.paths``'s.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
import stat
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from stretchcoach.coach.ports import Pace
from stretchcoach.coach.timeline import HOW_TO_PAUSE, Timing, routine_length
from stretchcoach.paths import (
    aside_path,
    how_to_fix,
    remove_leftovers,
    settings_file,
    temp_files_of,
    why_not_written,
    write_atomically,
)
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.voice.cache import VoiceSetting
from stretchcoach.voice.times import known_times

Seconds = Annotated[float, Field(ge=Pace.MIN_SECONDS, le=Pace.MAX_SECONDS)]
BreathCues = Literal["words", "chime", "silent"]

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

    inhale: Seconds = Pace().inhale
    exhale: Seconds = Pace().exhale
    voice: str | None = Field(default=None, description="Engine voice id; None: the default.")
    rate: int = Field(default=150, ge=80, le=260, description="Words per minute.")
    volume: float = Field(default=1.0, ge=0.0, le=1.0)
    mute: StrictBool = False
    breath_cues: BreathCues = Field(
        default="chime",
        description="What marks a breath without words of its own: a spoken 'Breathe in' / "
        "'Breathe out', a soft chime, or nothing.",
    )
    get_ready: float = Field(
        default=Timing().get_ready, ge=0.0, le=30.0, description="Seconds before step 1."
    )
    auto_advance: float | None = Field(
        default=None,
        ge=5.0,
        le=600.0,
        description="Seconds after which a manual step moves on by itself; None: wait for Next.",
    )
    seen_safety_note: StrictBool = False
    pain_before: StrictBool = Field(
        default=False, description="Ask for a pain rating (0-10) before each session."
    )
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

    @model_validator(mode="before")
    @classmethod
    def _from_before_breath_cues(cls, data: Any) -> Any:
        """Settings saved before "breath cues" had a chime on or off (StretchCoach 0.1)."""
        if isinstance(data, dict) and "chime" in data and "breath_cues" not in data:
            chime, data = data["chime"], {k: v for k, v in data.items() if k != "chime"}
            if isinstance(chime, bool):
                data["breath_cues"] = "chime" if chime else "silent"
        return data

    @property
    def chime(self) -> bool:
        """The soft chime marks the breath turns."""
        return self.breath_cues == "chime"

    @property
    def timing(self) -> Timing:
        """What, beyond the pace, shapes a session's timeline (in the window: the audio
        export leaves out the welcome, which tells how to pause with a key)."""
        return Timing(
            get_ready=self.get_ready,
            auto_advance=self.auto_advance,
            breath_words=self.breath_cues == "words",
            welcome=HOW_TO_PAUSE,
        )

    @property
    def voice_setting(self) -> VoiceSetting:
        """What the speech engine is started with (and the speech cache keyed by)."""
        return VoiceSetting(self.voice, self.rate, self.volume)


def settings_path() -> Path:
    return settings_file()


def routine_seconds(steps: Sequence[ConcreteStep], settings: Settings) -> float:
    """A routine's length at the person's settings, as a session runs it, with the cues'
    lengths as last synthesized (estimated from their words until then): the one figure the
    picker, ``stretchcoach list`` and ``plan`` show, and a session's time left starts from."""
    speech = known_times(settings.voice_setting, settings.mute)
    return routine_length(steps, settings.pace, speech, settings.timing)


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


Listener = Callable[[Settings, Settings], None]
log = logging.getLogger(__name__)


class SettingsWriter:
    """Saves the person's settings on a thread of its own, so the window never waits for
    the disk: one save's ``fsync`` took 165 ms on a busy disk, long enough to be felt in a
    session (a pace changed with + or −). Only the newest settings are written: a change
    made while one is being saved replaces any that waited. ``on_outcome`` is called on the
    writer's thread (it must only hand the value over) after each save: with
    ``save_problem``'s notice when it failed, None when it worked. An unexpected error is
    logged and said the same way, and the writer carries on (later changes are saved).
    """

    def __init__(
        self, on_outcome: Callable[[str | None], None], path: Path | None = None
    ) -> None:
        self._on_outcome = on_outcome
        self._path = path
        self._cond = threading.Condition()
        self._waiting: Settings | None = None
        self._writing = False
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="settings-writer", daemon=True)
        self._thread.start()

    def __call__(self, settings: Settings) -> None:
        """Save ``settings`` soon (after the save under way, if any)."""
        with self._cond:
            self._waiting = settings
            self._cond.notify_all()

    def flush(self) -> None:
        """Wait until every change handed over is on disk (or has failed)."""
        with self._cond:
            while self._waiting is not None or self._writing:
                self._cond.wait()

    def close(self) -> None:
        """Write what waits, then end the thread: the last change is on disk when the app
        exits."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._waiting is None and not self._closing:
                    self._cond.wait()
                settings, self._waiting = self._waiting, None
                self._writing = settings is not None
            if settings is None:
                return  # closing, and nothing left to write
            try:
                save(settings, self._path)
                notice = None
            except OSError as err:
                notice = save_problem(err, self._path)
            except Exception as err:  # a bug or an unforeseen fault: never the thread's end
                log.exception("the settings could not be saved")
                notice = (
                    f"Your settings could not be saved to {self._path or settings_path()}: "
                    f"an unexpected problem ({err.__class__.__name__}: {err}). Your changes "
                    "apply until you close StretchCoach, and the next change you make tries "
                    "again."
                )
            self._on_outcome(notice)  # before ``flush`` returns: it has been said
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class SettingsStore:
    """The person's settings, held once for the whole app.

    Every part reads ``current`` when it needs a value rather than keeping a copy;
    ``change`` makes new settings current, saves them once and tells every listener once
    (with the old and the new), so a change that comes back the other way (the pace the
    session reports after the dialog set it) costs nothing. Unless ``persist``, nothing is
    saved (a benchmark, or a test that needs no file).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        persist: bool = False,
        writer: Callable[[Settings], None] | None = None,
    ) -> None:
        self._current = settings
        self._persist = persist
        self._writer = writer
        self._listeners: list[Listener] = []

    @classmethod
    def of_the_person(
        cls, settings: Settings, writer: Callable[[Settings], None] | None = None
    ) -> SettingsStore:
        """A store that saves to the person's settings file (wherever the platform's
        folders say it is when it saves): by ``writer`` (a ``SettingsWriter``, which says
        how it went by itself) if given, else at once."""
        return cls(settings, persist=True, writer=writer)

    @property
    def current(self) -> Settings:
        return self._current

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def change(self, new: Settings) -> str | None:
        """Make ``new`` current (nothing happens if it already is). Returns a notice in
        words when it could not be saved (saved at once): the change applies all the
        same."""
        old = self._current
        if new == old:
            return None
        self._current = new
        notice = None
        if self._writer is not None:
            self._writer(new)
        elif self._persist:
            try:
                save(new)
            except OSError as err:
                notice = save_problem(err)
        for listener in tuple(self._listeners):
            listener(old, new)
        return notice

    def update(self, **changes: object) -> str | None:
        """``change`` with some fields changed (validated, unlike ``model_copy``)."""
        return self.change(Settings.model_validate({**self._current.model_dump(), **changes}))
