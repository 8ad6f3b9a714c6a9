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

# Read badly (or aloud, letter by letter) by a speech synthesizer: symbols, abbreviations;
# an ellipsis (the natural voice runs the words around it together), a range or a count
# written with digits ("20-30" is "twenty dash thirty", "3x" is "three ex", in both voices).
_UNSPEAKABLE = re.compile(
    r"[&/%+=<>#@*_~^|\\{}\[\]…]|\.\.\.|\d+\s*[-–—]\s*\d+|\b\d+x\b"
    r"|\b(?:e\.g|i\.e|etc|approx|vs|cm|mm|min|sec|secs)\b\.?",
    re.IGNORECASE,
)
_SIDE = re.compile(r"\b(left|right)\b", re.IGNORECASE)

# A listener breathing to a voice hears "hold" as "hold your breath", the one thing they
# must never do (it raises the pressure in the trunk and tenses the back): "Breathe in,
# and hold behind your thigh" is acted on at "hold", before the words that meant the hands.
PHASES = ("inhale", "exhale", "hold")
_BREATHING = re.compile(r"\b(?:breathe|breath|breaths|inhale|inhaling|exhale|exhaling)\b", re.I)
_STOP = re.compile(r"\b(?:hold|holds|holding|held|pause|pausing)\b", re.IGNORECASE)
# "never hold your breath" and "without holding" are the safe instruction, not a hold.
_NEGATED = re.compile(r"\b(?:never|not|don't|do\s+not|without|no)\b(?:\W+\w+){0,2}\W*$", re.I)
# "hold" with nothing after it, or only words that leave the breath as its object.
_BARE = re.compile(
    r"^\W*(?:$|[.,;:!?]|(?:it|that|this|there|here|still|on|for|now|steady|"
    r"your\s+breath|the\s+breath|a\s+breath|breath)\b)",
    re.IGNORECASE,
)


def spoken_texts(loc: Loc, step: Step) -> Iterator[tuple[Loc, str]]:
    """Everything the voice says in a step, with its place in the file."""
    yield (*loc, "intro"), step.intro
    if step.caution:
        yield (*loc, "caution"), step.caution
    if step.breaths is None:
        return
    for i, entry in enumerate(step.breaths.cues):
        for phase in PHASES:
            cue = getattr(entry, phase)
            if cue is not None and cue.say:
                yield (*loc, "breaths", "cues", i, phase), cue.say


def routine_spoken(source: Source) -> Iterator[tuple[Loc, str]]:
    """Everything the voice says in a routine file: its opening and every step's words."""
    if source.routine.opening:
        yield ("opening",), source.routine.opening
    for loc, step in steps_with_loc(source.routine):
        yield from spoken_texts(loc, step)


def speakable(source: Source) -> Iterator[Problem]:
    """Symbols and abbreviations in spoken text: say the words instead."""
    for where, text in routine_spoken(source):
        found = _UNSPEAKABLE.findall(text)
        if found:
            listed = ", ".join(f"'{f}'" for f in dict.fromkeys(found))
            yield source.problem(
                where,
                f"spoken text contains {listed}, which the voice reads badly; "
                "write it out in words",
                "warning",
            )


def breath_hold_reason(text: str, during_breath: bool) -> str | None:
    """Why ``text`` could be heard as "hold your breath", or None if it could not.

    ``during_breath``: the text is said on a breath phase, where any "hold" or "pause" is
    heard so. Elsewhere (an intro, a caution) they are heard so after a word of breathing;
    and "hold" is, too, when nothing but the breath is left for it to hold ("and hold.",
    "hold it", "hold there"). "Press space to pause" is the app's pause, and stays.
    """
    for match in _STOP.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if _NEGATED.search(before):
            continue
        word = match.group(0).lower()
        if _BREATHING.search(before):
            return f"'{word}' comes after a word of breathing"
        if during_breath:
            return f"'{word}' is said while the person breathes to your cues"
        if not word.startswith("paus") and _BARE.match(after):
            return f"'{word}' has nothing but the breath to hold"
    return None


def breath_holds(source: Source) -> Iterator[Problem]:
    """Spoken words a listener could take as "hold your breath": say what to do instead."""
    for where, text in routine_spoken(source):
        reason = breath_hold_reason(text, during_breath=where[-1] in PHASES)
        if reason:
            yield source.problem(
                where,
                f'"{text}" could be heard as "hold your breath": {reason}; say what to do '
                "with other words, like 'stay', 'rest' or 'hands behind your thigh'",
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


WARNINGS: tuple[Check, ...] = (speakable, two_sided_words, breath_holds)
