"""From a routine as written to the flat list of concrete steps the coach runs.

A file declares a two-sided step once, for the left; here the right side is generated:
the words "left" and "right" swapped in every text, the illustration mirrored, and the
first right-side step introduced with "Now the right side." Includes are replaced by the
included routine's steps, less their ``solo`` ones (getting down, getting up, the end:
the including routine says those once, for the whole session). Expansion is pure and
deterministic, so the plan, the window and the audio export all see exactly the same steps.

What the person must hear is put into the words the engine already speaks, so the plan
and the exported audio say it too: the routine's ``opening`` goes before the first step's
intro, and a step's ``caution`` after its intro, on the first side only (said twice, a
warning stops being heard).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from stretchcoach.routine.model import Breaths, Include, Manual, PhaseCue, Routine, SideGroup, Step

Side = str  # "left" | "right"
RIGHT_SIDE_INTRO = "Now the right side."
_SIDE_WORD = re.compile(r"\b(left|right)\b", re.IGNORECASE)
_SWAP = {"left": "right", "right": "left"}


class IncludeError(ValueError):
    """An include names no known routine, or includes form a cycle."""


def swap_sides(text: str) -> str:
    """Swap the words left and right, keeping their capitalisation."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        other = _SWAP[word.lower()]
        if word.isupper():
            return other.upper()
        return other.capitalize() if word[0].isupper() else other

    return _SIDE_WORD.sub(swap, text)


@dataclass(frozen=True)
class PhaseText:
    """The cue of one phase of one cycle, after side swapping.

    ``say`` None is a *rest breath*: the routine has no words for it, so the breath is
    paced by the chime (or, per the person's setting, by a plain "Breathe in." / "Breathe
    out.", or by silence) rather than by words the author would only repeat.
    """

    say: str | None
    move: str | None  # "start" | "end" | None


@dataclass(frozen=True)
class CyclePlan:
    """The cues of one breath cycle."""

    inhale: PhaseText
    exhale: PhaseText
    hold: PhaseText | None  # None when the step has no hold phase


@dataclass(frozen=True)
class ConcreteStep:
    """A step ready to run: sides resolved, cues resolved per cycle.

    ``key`` is unique within the expanded routine (``heel-slide``, ``heel-slide-right``).
    ``intro`` is everything said as the step starts: the routine's opening (first step
    only), the step's intro, and its caution (first side only). ``caution`` is the step's
    caution on every side, for the screen. ``stretch`` names the stretch the step belongs
    to; the steps of one stretch always follow one another, so "skip this stretch" goes to
    the first later step whose ``stretch`` differs (or finishes the routine).
    ``manual_estimate`` is set for manual steps; ``cycles`` is non-empty for breath-paced
    ones, whose phase lengths are ``pace`` times the person's inhale and exhale, and whose
    hold lasts ``hold_breaths`` whole breaths.
    """

    key: str
    title: str
    instruction: str
    intro: str
    caution: str | None
    illustration: str
    mirrored: bool
    side: Side | None
    stretch: str
    manual_estimate: float | None
    cycles: tuple[CyclePlan, ...]
    pace: float
    hold_breaths: int

    @property
    def is_manual(self) -> bool:
        return self.manual_estimate is not None



def _phase(cue: PhaseCue | None, transform: Callable[[str], str]) -> PhaseText:
    if cue is None:
        return PhaseText(None, None)
    return PhaseText(transform(cue.say) if cue.say else None, cue.move)


def _cycles(breaths: Breaths, transform: Callable[[str], str]) -> tuple[CyclePlan, ...]:
    plans = []
    for n in range(1, breaths.cycles + 1):
        entry = breaths.cues_for(n)
        hold = None
        if breaths.hold:
            hold = _phase(entry.hold if entry else None, transform)
        plans.append(
            CyclePlan(
                inhale=_phase(entry.inhale if entry else None, transform),
                exhale=_phase(entry.exhale if entry else None, transform),
                hold=hold,
            )
        )
    return tuple(plans)


def _concrete(step: Step, side: Side | None, first_of_right: bool, stretch: str) -> ConcreteStep:
    transform: Callable[[str], str] = swap_sides if side == "right" else str
    intro = transform(step.intro)
    if first_of_right:
        intro = f"{RIGHT_SIDE_INTRO} {intro}"
    caution = transform(step.caution) if step.caution else None
    if caution and side != "right":
        intro = f"{intro} {caution}"
    advance: Manual | None = step.manual
    return ConcreteStep(
        key=step.id if side != "right" else f"{step.id}-right",
        title=transform(step.title),
        instruction=transform(step.instruction),
        intro=intro,
        caution=caution,
        illustration=step.illustration,
        mirrored=side == "right",
        side=side,
        stretch=stretch,
        manual_estimate=advance.estimate if advance else None,
        cycles=_cycles(step.breaths, transform) if step.breaths else (),
        pace=step.breaths.pace if step.breaths else 1.0,
        hold_breaths=step.breaths.hold if step.breaths else 0,
    )


def _both_sides(steps: list[Step], stretch: str) -> Iterator[ConcreteStep]:
    for step in steps:
        yield _concrete(step, "left", first_of_right=False, stretch=stretch)
    for i, step in enumerate(steps):
        yield _concrete(step, "right", first_of_right=i == 0, stretch=stretch)


def _stretches_together(steps: list[ConcreteStep]) -> None:
    """Refuse a stretch whose steps are apart: skipping it would skip what lies between."""
    seen: set[str] = set()
    previous: str | None = None
    for step in steps:
        if step.stretch != previous and step.stretch in seen:
            raise IncludeError(
                f"the steps of the stretch '{step.stretch}' do not follow one another "
                f"(again at step '{step.key}'); put them together or give them another "
                "'stretch'"
            )
        seen.add(step.stretch)
        previous = step.stretch


def expand(
    routine: Routine, resolve: Callable[[str], Routine], _seen: tuple[str, ...] = ()
) -> list[ConcreteStep]:
    """The concrete steps of ``routine``; ``resolve`` finds an included routine by id.

    Run by itself (``_seen`` empty), the routine keeps its ``solo`` steps and says its
    opening; included, it gives only its other steps.
    """
    seen = (*_seen, routine.id)
    alone = not _seen
    out: list[ConcreteStep] = []
    for item in routine.steps:
        if isinstance(item, Step) and item.solo and not alone:
            continue
        if isinstance(item, Include):
            if item.include in seen:
                chain = " → ".join((*seen, item.include))
                raise IncludeError(f"routines include each other in a circle: {chain}")
            try:
                included = resolve(item.include)
            except KeyError:
                raise IncludeError(
                    f"includes '{item.include}', which is no known routine"
                ) from None
            out.extend(expand(included, resolve, seen))
        elif isinstance(item, SideGroup):
            out.extend(_both_sides(item.steps, item.stretch or item.group))
        elif item.sides == "both":
            out.extend(_both_sides([item], item.stretch or item.id))
        else:
            out.append(_concrete(item, None, first_of_right=False, stretch=item.stretch or item.id))
    keys = [s.key for s in out]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise IncludeError(f"step ids appear more than once: {', '.join(duplicates)}")
    if not alone:
        return out
    if not out:
        raise IncludeError("has no step to run: every step it includes is a 'solo' step")
    _stretches_together(out)
    if routine.opening:
        out[0] = replace(out[0], intro=f"{routine.opening} {out[0].intro}")
    return out
