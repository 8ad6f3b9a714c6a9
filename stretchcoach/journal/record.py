"""One practice session as the journal keeps it: what was done, and what the person said.

A ``SessionRecord`` is filled by whoever saw the session: the window from the engine's
events and the completion screen's answers, ``stretchcoach journal log`` from its options,
an import from a CSV row. It is validated here, once, strictly (no "3.0" for 3, no naive
times), so the store, the CSV file and the command line all share one set of rules.

Everything the person may skip is optional. The journal keeps history for years, across
changes to the routine format, so routine and step ids are only required to be short
single-line text, not today's id syntax: an old export must always import.

Times: ``day`` is the local calendar day the session started on, as the person lived it
(the streak and the calendar count these). ``started`` is the local wall-clock time with
its UTC offset, so it is unambiguous even across time-zone and daylight-saving changes;
it is ``None`` when only the day is known (a session logged by hand).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from stretchcoach.coach.ports import Pace

# One line of text: no control characters. A note may also hold tabs and line breaks.
_LINE = r"^[^\x00-\x1f\x7f]*$"
_NOTE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
NOTE_MAX = 500
PAIN_MAX = 10
STEPS_MAX = 1000
DURATION_MAX = 24 * 3600.0

Key = Annotated[str, Field(min_length=1, max_length=100, pattern=_LINE)]
Title = Annotated[str, Field(min_length=1, max_length=200, pattern=_LINE)]
Note = Annotated[str, Field(min_length=1, max_length=NOTE_MAX, pattern=_NOTE)]
Pain = Annotated[int, Field(ge=0, le=PAIN_MAX)]
Breath = Annotated[float, Field(ge=Pace.MIN_SECONDS, le=Pace.MAX_SECONDS, allow_inf_nan=False)]
Side = Literal["left", "right"]
Compared = Literal["better", "same", "worse"]
Tighter = Literal["left", "right", "same"]
SessionId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]


# How a session recorded by the app ended ("completed-with-skips": to the end, with some
# steps skipped). A session logged by hand has none.
Outcome = Literal["completed", "completed-with-skips", "stopped"]


def new_id() -> str:
    """A random id, unique across computers, so an import recognises sessions it has."""
    return uuid.uuid4().hex


def _whole_minutes(moment: datetime | None) -> None:
    offset = moment.utcoffset() if moment else None
    if offset is not None and offset.total_seconds() % 60:
        raise ValueError("its UTC offset must be whole minutes")


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class SkippedStep(_Strict):
    """A step the person moved past before its end (the Next key)."""

    step: Key
    title: Title | None = None


class HurtMark(_Strict):
    """The person pressed "this hurt" during a step."""

    step: Key
    title: Title | None = None
    side: Side | None = None
    at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _offset(self) -> Self:
        _whole_minutes(self.at)
        return self


class SessionRecord(_Strict):
    """One session. Field names are the CSV's column names (see ``docs/journal.md``)."""

    id: SessionId = Field(default_factory=new_id)
    day: date
    started: AwareDatetime | None = None
    routine: Key
    routine_title: Title | None = None
    outcome: Outcome | None = None
    steps_done: Annotated[int, Field(ge=0, le=STEPS_MAX)] | None = None
    steps_total: Annotated[int, Field(ge=1, le=STEPS_MAX)] | None = None
    duration_s: Annotated[float, Field(ge=0, le=DURATION_MAX, allow_inf_nan=False)] | None = None
    inhale_s: Breath | None = None
    exhale_s: Breath | None = None
    pain_before: Pain | None = None
    pain: Pain | None = None  # "pain now", asked at the end of the session
    compared: Compared | None = None  # pain now compared with before the session
    tighter: Tighter | None = None  # which side felt tighter
    note: Note | None = None
    skipped: tuple[SkippedStep, ...] = ()
    hurt: tuple[HurtMark, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.started is not None:
            _whole_minutes(self.started)
            if self.started.date() != self.day:
                raise ValueError(
                    f"'started' ({self.started.isoformat()}) is not on 'day' ({self.day})"
                )
        if (
            self.steps_done is not None
            and self.steps_total is not None
            and self.steps_done > self.steps_total
        ):
            raise ValueError(
                f"'steps_done' ({self.steps_done}) is more than 'steps_total' ({self.steps_total})"
            )
        return self
