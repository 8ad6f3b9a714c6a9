"""A session as it happens, turned into the journal's record: the engine's events in,
``SessionRecord`` values out to a save function.

The recorder listens to one run of a routine (it is a ``coach.ports.Listener``) and keeps
the record of it up to date. It hands the record to ``save`` whenever what was done
changes, so the journal always holds the session as far as it went:

- the first save comes when something was done: a step followed to its end, or a "this
  hurt" mark. A run in which nothing was done (started and stopped at once, or every step
  passed over) is not a practice session, and is not recorded;
- then at each step's end, at each "this hurt" mark, at the end of the session, and with
  each answer to the end-of-session questions.

Until the end comes the record says ``stopped``, with the steps done so far: if the app is
killed, the journal keeps the session as it was at its last step's end, and only the step
in flight is lost. Saving must not block (the window's saves go to the journal's thread,
``journal.lane``); each save carries the whole record, under the same id, so the last one
wins.

A routine may run with some of its steps left out, by the person's choice before it
started (``journal.adapt``): those are recorded as skipped, of the routine's full number
of steps, so the rule that offers them does not count a session that left them out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from stretchcoach.coach.ports import Event, Finished, HurtMarked, Pace, StepStarted, Tally
from stretchcoach.journal.record import (
    DURATION_MAX,
    HurtMark,
    Outcome,
    SessionRecord,
    Side,
    SkippedStep,
)
from stretchcoach.routine.expand import ConcreteStep

ANSWERS = ("pain", "compared", "tighter", "note")
"""What the completion screen's questions answer: fields of the record."""


def local_now() -> datetime:
    """The wall-clock time here, with its UTC offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


class Run(Protocol):
    """What the recorder asks of the session it records (``coach.session.Session``)."""

    @property
    def pace(self) -> Pace: ...

    def tally(self, now: float | None = None) -> Tally: ...


class SessionRecorder:
    """Records one run of ``routine`` (its ``steps``, all of them, in order) as it goes.

    ``running`` are the indices, in ``steps``, of the steps the session runs (default: all);
    the others were left out before it started. ``now`` is the wall clock (injected, so
    tests choose the day).
    """

    def __init__(
        self,
        routine: str,
        title: str,
        steps: Sequence[ConcreteStep],
        run: Run,
        save: Callable[[SessionRecord], None],
        *,
        running: Sequence[int] | None = None,
        pain_before: int | None = None,
        now: Callable[[], datetime] = local_now,
    ) -> None:
        self._steps = tuple(steps)
        self._running = tuple(range(len(steps)) if running is None else running)
        self._run = run
        self._save = save
        self._now = now
        started = now()
        self._record = SessionRecord(
            day=started.date(),
            started=started,
            routine=routine,
            routine_title=title,
            outcome="stopped",
            steps_done=0,
            steps_total=len(self._steps),
            pain_before=pain_before,
        )
        self._saved: SessionRecord | None = None
        self._finished = False

    @property
    def record(self) -> SessionRecord:
        """The session as recorded so far."""
        return self._record

    @property
    def recorded(self) -> bool:
        """Whether anything was done, so the session is (or is being) recorded."""
        return self._saved is not None

    def __call__(self, event: Event) -> None:
        """The session's listener."""
        if self._finished:
            return
        if isinstance(event, HurtMarked):
            self._mark(event)
        elif isinstance(event, Finished):
            self._finished = True
            tally = Tally(event.steps_done, event.skipped, event.active_seconds)
            outcome = self._outcome(event.completed, tally)
            self._change(
                {**self._done(tally), "outcome": outcome}, always=True
            )  # the last duration
        elif isinstance(event, StepStarted):
            self._change(self._done(self._run.tally()))

    def answer(self, answers: Mapping[str, object]) -> None:
        """Some of the person's answers at the end (``pain``, ``compared``, ``tighter``,
        ``note``), saved at once; the others keep what was answered before, as answers
        come one question at a time. A value out of range is a ``ValidationError``."""
        unknown = set(answers) - set(ANSWERS)
        if unknown:
            raise ValueError(f"not an answer: {', '.join(sorted(unknown))}")
        self._change(answers)

    # -- keeping the record ------------------------------------------------------------------

    def _mark(self, event: HurtMarked) -> None:
        step = event.step
        if any(mark.step == step.key for mark in self._record.hurt):
            return  # once per step: the rule counts sessions, the list shows steps
        side: Side | None = "left" if step.side == "left" else "right" if step.side else None
        mark = HurtMark(step=step.key, title=step.title, side=side, at=self._now())
        self._change({**self._done(self._run.tally()), "hurt": (*self._record.hurt, mark)})

    def _outcome(self, completed: bool, tally: Tally) -> Outcome:
        if not completed:
            return "stopped"
        left_out = len(self._running) < len(self._steps)
        return "completed-with-skips" if tally.skipped or left_out else "completed"

    def _done(self, tally: Tally) -> dict[str, object]:
        """The fields a tally decides, in the routine's terms (its steps, all of them)."""
        skipped = sorted(
            {self._running[i] for i in tally.skipped}
            | (set(range(len(self._steps))) - set(self._running))
        )
        pace = self._run.pace
        return {
            "steps_done": tally.steps_done,
            "skipped": tuple(
                SkippedStep(step=self._steps[i].key, title=self._steps[i].title) for i in skipped
            ),
            "duration_s": round(min(DURATION_MAX, tally.active_seconds), 1),
            "inhale_s": pace.inhale,
            "exhale_s": pace.exhale,
        }

    def _change(self, changes: Mapping[str, object], *, always: bool = False) -> None:
        """Change the record; save it if something was done and (unless ``always``) more
        than the duration changed."""
        record = SessionRecord.model_validate({**dict(self._record), **changes})
        self._record = record
        if self._saved is None and not (record.steps_done or record.hurt):
            return  # nothing done yet: not a practice session (yet)
        if always or self._saved is None or _substance(record) != _substance(self._saved):
            self._saved = record
            self._save(record)


def _substance(record: SessionRecord) -> SessionRecord:
    """The record less what changes by itself with time (the duration)."""
    return record.model_copy(update={"duration_s": None})
