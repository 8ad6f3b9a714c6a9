"""Adapting: a step that keeps hurting is offered to be skipped (or made gentler) next time.

The rule: a step marked "this hurt" in at least ``MARKED_AT_LEAST`` of its last
``LOOKBACK`` sessions is offered. The person decides; the offer carries its reason in words.

"Its sessions" are the sessions of the routine being started, recorded by the app (a
session logged by hand has no steps), in which the step was done:

- a session in which the step was marked counts (it was done, and it hurt), even if the
  person then skipped the rest of it;
- otherwise it counts unless the step was skipped, or the session was stopped before it
  (fewer steps done than the step's position).

So a step the person chose to skip does not "heal" by being skipped: its marks stay among
its last five sessions until it is done again without hurting.

Steps are matched by their key (``heel-slide-right``), which is unique within a routine and
stable as long as the routine keeps the step. The routine format has no notion of a
gentler variant yet; the caller passes ``gentler`` (step key to its variant's key) once
it has, and an offer names the variant where there is one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from stretchcoach.journal.store import Journal

LOOKBACK = 5
MARKED_AT_LEAST = 2

_SESSIONS_OF_STEP = """
WITH flagged AS (
    SELECT s.id, s.day, s.started, s.outcome, s.steps_done,
           EXISTS (SELECT 1 FROM hurt_marks m WHERE m.session_id = s.id AND m.step = :step)
               AS marked,
           EXISTS (SELECT 1 FROM skipped_steps k WHERE k.session_id = s.id AND k.step = :step)
               AS skipped
    FROM sessions s
    WHERE s.routine = :routine AND s.outcome IS NOT NULL
)
SELECT day, marked FROM flagged
WHERE marked OR (NOT skipped AND (outcome != 'stopped' OR coalesce(steps_done, 0) > :index))
ORDER BY day DESC, started DESC, id DESC
LIMIT :lookback
"""


class PlannedStep(Protocol):
    """A step of the routine about to start (``routine.expand.ConcreteStep`` is one)."""

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class Offer:
    """Skip this step next time, or do ``gentler`` (a step key) instead where there is one."""

    step: str
    title: str
    marked: int  # sessions among ``sessions`` in which it was marked
    sessions: int  # its last sessions looked at (at most LOOKBACK)
    days: tuple[date, ...]  # the days it was marked, most recent first
    gentler: str | None

    @property
    def reason(self) -> str:
        days = " and ".join(_day_words(day) for day in reversed(self.days))
        return (
            f"You marked “{self.title}” as hurting in {self.marked} of the last "
            f"{self.sessions} sessions that had it ({days})."
        )


def _day_words(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def offers(
    journal: Journal,
    routine: str,
    steps: Sequence[PlannedStep],
    gentler: Mapping[str, str] | None = None,
) -> list[Offer]:
    """The steps of ``routine`` to offer before it starts, in the routine's order.

    Raises ``JournalUnavailable`` when the journal cannot be read (the routine then simply
    runs as written).
    """
    gentler = gentler or {}
    with journal.read() as conn:
        found = (
            _offer(conn, routine, index, step, gentler.get(step.key))
            for index, step in enumerate(steps)
        )
        return [offer for offer in found if offer is not None]


def _offer(
    conn: sqlite3.Connection, routine: str, index: int, step: PlannedStep, gentler: str | None
) -> Offer | None:
    rows = conn.execute(
        _SESSIONS_OF_STEP,
        {"routine": routine, "step": step.key, "index": index, "lookback": LOOKBACK},
    ).fetchall()
    marked = tuple(date.fromisoformat(day) for day, was_marked in rows if was_marked)
    if len(marked) < MARKED_AT_LEAST:
        return None
    return Offer(step.key, step.title, len(marked), len(rows), marked, gentler)
