"""Warnings: things in a valid routine worth a second look, which never fail validation.

A check is any function from a loaded ``Source`` to the problems it finds (with
``severity="warning"``); ``stretchcoach validate`` runs the ``WARNINGS`` below plus any it
is given, so other parts of the program add theirs without this module knowing them
(the voice, for one, can warn when a cue is too long for its breath phase).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from stretchcoach.routine.loader import Source, steps_with_loc
from stretchcoach.routine.model import SideGroup, Step
from stretchcoach.routine.problems import Loc, Problem

Check = Callable[[Source], Iterable[Problem]]

# Read badly (or aloud, letter by letter) by a speech synthesizer: symbols, abbreviations.
_UNSPEAKABLE = re.compile(
    r"[&/%+=<>#@*_~^|\\{}\[\]]|\b(?:e\.g|i\.e|etc|approx|vs|cm|mm|min|sec|secs)\b\.?",
    re.IGNORECASE,
)
_SIDE = re.compile(r"\b(left|right)\b", re.IGNORECASE)


def spoken_texts(loc: Loc, step: Step) -> Iterator[tuple[Loc, str]]:
    """Everything the voice says in a step, with its place in the file."""
    yield (*loc, "intro"), step.intro
    if step.breaths is None:
        return
    for i, entry in enumerate(step.breaths.cues):
        for phase in ("inhale", "exhale", "hold"):
            cue = getattr(entry, phase)
            if cue is not None and cue.say:
                yield (*loc, "breaths", "cues", i, phase), cue.say


def speakable(source: Source) -> Iterator[Problem]:
    """Symbols and abbreviations in spoken text: say the words instead."""
    for loc, step in steps_with_loc(source.routine):
        for where, text in spoken_texts(loc, step):
            found = _UNSPEAKABLE.findall(text)
            if found:
                listed = ", ".join(f"'{f}'" for f in dict.fromkeys(found))
                yield source.problem(
                    where,
                    f"spoken text contains {listed}, which the voice reads badly; "
                    "write it out in words",
                    "warning",
                )


def two_sided_words(source: Source) -> Iterator[Problem]:
    """A step done on both sides whose words never say 'left': both sides sound the same."""
    for i, item in enumerate(source.routine.steps):
        written: list[tuple[Loc, Step]]
        if isinstance(item, SideGroup):
            written = [(("steps", i, "steps", j), s) for j, s in enumerate(item.steps)]
        elif isinstance(item, Step) and item.sides == "both":
            written = [(("steps", i), item)]
        else:
            continue
        texts = [t for loc, s in written for _, t in spoken_texts(loc, s)]
        if not any(_SIDE.search(t) for t in texts):
            yield source.problem(
                ("steps", i),
                "is done on both sides, but its spoken words never name a side; "
                "say 'left' in them so the right side is told apart",
                "warning",
            )


WARNINGS: tuple[Check, ...] = (speakable, two_sided_words)
