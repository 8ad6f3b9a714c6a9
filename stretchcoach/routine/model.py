"""The routine file format, as pydantic models.

These models are the single source of truth for the format: the loader validates files
against them, ``stretchcoach schema`` prints the JSON Schema generated from them, and
``docs/routines.md`` documents them. Every model forbids unknown keys and every number
and text has explicit bounds, so a typo or an absurd value is reported, never guessed at.

A routine file describes steps as a person writes them: a step or group of steps may be
declared once for both sides. ``stretchcoach.routine.expand`` turns that into the flat
list of concrete steps that the coach runs.

Some keys exist because the person follows the voice lying down with eyes closed, so what
matters must be *said*: a step's ``caution`` is spoken before the stretch starts, a
routine's ``opening`` before its first step, and ``solo`` steps (getting down to the
floor, getting up, the end) are said only when the routine is run by itself, not where
another routine includes it. ``stretch`` tells the window which steps one "skip this
stretch" skips, and ``gentler`` names the routine to offer when this one keeps hurting.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    Tag,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=64)]
Title = Annotated[str, Field(min_length=1, max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=1200)]
MAX_CUE = 240
Cue = Annotated[str, Field(min_length=1, max_length=MAX_CUE)]
ILLUSTRATION_PATTERN = r"^[A-Za-z0-9_./-]+\.svg$"
IllustrationRef = Annotated[str, Field(pattern=ILLUSTRATION_PATTERN, min_length=5, max_length=160)]
MAX_STEPS = 100
MAX_CYCLES = 30


class Strict(BaseModel):
    """Base of every model in the format: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PhaseCue(Strict):
    """What is said in one breath phase, and where the illustration moves during it."""

    say: Cue | None = Field(default=None, description="The words spoken at the phase's start.")
    move: Literal["start", "end"] | None = Field(
        default=None,
        description="The pose the illustration moves to over this phase "
        "(from its start pose to its end pose, or back).",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        """Let a plain string stand for ``{say: string}``, the common case."""
        return {"say": value} if isinstance(value, str) else value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Tell editors that a plain string is a cue too, as ``_from_text`` accepts."""
        text = {"type": "string", "minLength": 1, "maxLength": MAX_CUE}
        return {"anyOf": [text, handler(core_schema)]}


class CycleCues(Strict):
    """Cues for the breath cycles named by ``on``.

    ``on`` is a cycle number (1-based), a list of them, ``every`` (all cycles) or ``rest``
    (every cycle no other entry names), so a step can say "slide your left heel away" on
    cycle 1 and "breathe out and rest" after without repeating itself.
    """

    on: int | list[int] | Literal["every", "rest"] = Field(
        description="Cycle number(s) this entry applies to, 'every' or 'rest'."
    )
    inhale: PhaseCue | None = None
    exhale: PhaseCue | None = None
    hold: PhaseCue | None = None

    @field_validator("on", mode="before")
    @classmethod
    def _one_clear_error(cls, value: object) -> object:
        """Say in one sentence what ``on`` accepts, instead of one error per union member."""
        numbers = value if isinstance(value, list) else [value]
        if value in ("every", "rest") or all(
            isinstance(n, int) and not isinstance(n, bool) for n in numbers
        ):
            return value
        raise ValueError(
            f"give a cycle number (1 to {MAX_CYCLES}), a list of them like [1, 3], "
            "'every' or 'rest'"
        )

    @field_validator("on")
    @classmethod
    def _cycle_numbers(cls, value: int | list[int] | str) -> int | list[int] | str:
        numbers = [value] if isinstance(value, int) else value if isinstance(value, list) else []
        if isinstance(value, list) and not value:
            raise ValueError("give at least one cycle number, or 'every' or 'rest'")
        for n in numbers:
            if not 1 <= n <= MAX_CYCLES:
                raise ValueError(f"cycle numbers run from 1 to {MAX_CYCLES}, not {n}")
        return value

    def cycles(self) -> list[int]:
        """The explicit cycle numbers of this entry (empty for ``every`` and ``rest``)."""
        if isinstance(self.on, int):
            return [self.on]
        return list(self.on) if isinstance(self.on, list) else []


class Breaths(Strict):
    """A breath-paced step: a number of cycles of inhale, exhale and an optional hold."""

    cycles: int = Field(ge=1, le=MAX_CYCLES, description="How many breath cycles the step lasts.")
    pace: float = Field(
        default=1.0,
        ge=0.5,
        le=2.0,
        description="Scales the person's breath pace for this step (1.5 = half as slow again).",
    )
    hold: int = Field(
        default=0,
        ge=0,
        le=5,
        description="Breaths to stay in the position after each exhale (0: no hold phase).",
    )
    cues: list[CycleCues] = Field(default_factory=list, max_length=MAX_CYCLES + 2)

    @model_validator(mode="after")
    def _cues_fit_cycles(self) -> Breaths:
        seen: set[int] = set()
        for entry in self.cues:
            for n in entry.cycles():
                if n > self.cycles:
                    raise ValueError(f"a cue names cycle {n}, but the step has {self.cycles}")
                if n in seen:
                    raise ValueError(f"two cue entries name cycle {n}")
                seen.add(n)
            if entry.hold is not None and self.hold == 0:
                raise ValueError("a cue for the hold phase, but the step has no hold (hold: 0)")
        if sum(1 for e in self.cues if e.on in ("every", "rest")) > 1:
            raise ValueError("at most one cue entry may be 'every' or 'rest'")
        return self

    def cues_for(self, cycle: int) -> CycleCues | None:
        """The cue entry that applies to ``cycle`` (1-based): explicit numbers win."""
        for entry in self.cues:
            if cycle in entry.cycles():
                return entry
        return next((e for e in self.cues if e.on in ("every", "rest")), None)


class Manual(Strict):
    """A step that speaks its introduction and waits for the person's Next."""

    estimate: float = Field(
        default=20.0,
        ge=3,
        le=600,
        description="Seconds the step is expected to take, for progress and time remaining.",
    )


class Step(Strict):
    """One step of a routine."""

    id: Id
    title: Title
    instruction: Text = Field(description="The on-screen instruction; may say more than the voice.")
    intro: Text = Field(description="Spoken when the step starts: short, calm, second person.")
    caution: Cue | None = Field(
        default=None,
        description="The one thing to be careful of in this step: shown on the step, and "
        "spoken once after its intro, before the breathing starts (on the first side only).",
    )
    illustration: IllustrationRef = Field(description="An SVG file under assets/.")
    sides: Literal["both"] | None = Field(
        default=None,
        description="'both': declared for the left side; the right side is generated.",
    )
    stretch: Id | None = Field(
        default=None,
        description="The stretch this step belongs to: 'skip this stretch' skips every "
        "step of it, both sides. Default: the step's own id.",
    )
    solo: bool = Field(
        default=False,
        description="Only when this routine is run by itself; left out where another "
        "routine includes it (getting down to the floor, getting up, the end).",
    )
    manual: Manual | None = None
    breaths: Breaths | None = None

    @model_validator(mode="after")
    def _one_way_to_advance(self) -> Step:
        if (self.manual is None) == (self.breaths is None):
            raise ValueError("a step advances either 'manual' or by 'breaths': give exactly one")
        return self


class SideGroup(Strict):
    """Steps declared once for the left side and repeated for the right."""

    group: Id = Field(description="An id for the group.")
    sides: Literal["both"]
    stretch: Id | None = Field(
        default=None,
        description="The stretch the group's steps belong to (default: the group's id).",
    )
    steps: list[Step] = Field(min_length=1, max_length=20)

    @field_validator("steps")
    @classmethod
    def _no_nested_sides(cls, steps: list[Step]) -> list[Step]:
        """The group decides sides and stretch for all its steps (both sides of a movement
        are one stretch), and a way down or up is done once, not on each side."""
        if any(s.sides for s in steps):
            raise ValueError("steps inside a side group cannot declare 'sides' themselves")
        if any(s.stretch for s in steps):
            raise ValueError(
                "steps inside a side group cannot declare 'stretch' themselves; "
                "give 'stretch' to the group"
            )
        if any(s.solo for s in steps):
            raise ValueError(
                "steps inside a side group cannot be 'solo': a way down or up is done once, "
                "not on each side"
            )
        return steps


class Include(Strict):
    """All the steps of another bundled routine, so stretches are written once."""

    include: Id = Field(description="The id of a bundled routine whose steps go here.")


def _step_kind(value: object) -> str | None:
    """Which kind of step item ``value`` is, judged by its telling key.

    A tagged union reports the errors of the one kind the person meant, instead of
    every kind's errors at once ("missing 'group'", "missing 'include'", ...).
    """
    if isinstance(value, dict):
        return "Include" if "include" in value else "SideGroup" if "group" in value else "Step"
    if isinstance(value, Step | SideGroup | Include):
        return type(value).__name__
    return None


StepItem = Annotated[
    Annotated[Step, Tag("Step")]
    | Annotated[SideGroup, Tag("SideGroup")]
    | Annotated[Include, Tag("Include")],
    Discriminator(
        _step_kind,
        custom_error_type="step_item",
        custom_error_message="each item of 'steps' is a mapping: a step (id, title, ...), "
        "a side group (group, sides, steps) or an include (include: ROUTINE-ID)",
    ),
]


class Routine(Strict):
    """A routine: metadata for the picker and ordered steps."""

    id: Id
    title: Title
    summary: Text
    level: Literal["gentle", "moderate"] = "gentle"
    props: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(
        default_factory=list, max_length=10
    )
    safety: list[Text] = Field(default_factory=list, max_length=10)
    default: bool = Field(
        default=False, description="The routine selected when the app opens (one bundled)."
    )
    opening: Cue | None = Field(
        default=None,
        description="Spoken first, before the first step's intro, when this routine is run "
        "by itself (not where another routine includes it): what the session is, how to pause.",
    )
    gentler: Id | None = Field(
        default=None,
        description="The id of a gentler routine to offer instead when this one keeps hurting.",
    )
    steps: list[StepItem] = Field(min_length=1, max_length=MAX_STEPS)

    @model_validator(mode="after")
    def _gentler_is_another(self) -> Routine:
        if self.gentler == self.id:
            raise ValueError("'gentler' names this routine itself; name another routine")
        return self
