"""A session as it happens, recorded: the real engine on a simulated clock feeds the
recorder, and the journal's thread writes its records to a real SQLite file."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from faults import Mounts
from journal_helpers import at, session
from pydantic import ValidationError
from test_coach_support import Rig, rig, steps

from stretchcoach.coach.states import State
from stretchcoach.journal.lane import JournalLane
from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.recorder import SessionRecorder
from stretchcoach.journal.store import Journal, Saved

DAY = date(2026, 12, 3)


STEPS = steps()


def recorded_run() -> tuple[Rig, SessionRecorder, list[SessionRecord]]:
    """A session of the test routine, its recorder listening, and what it saved."""
    r = rig(routine=STEPS)
    saves: list[SessionRecord] = []
    recorder = SessionRecorder(
        "test-routine", "Test routine", STEPS, r.session, saves.append, now=lambda: at(DAY)
    )
    r.session.subscribe(recorder)
    return r, recorder, saves


def test_a_completed_session_is_saved_as_it_goes_and_whole_at_the_end() -> None:
    r, _recorder, saves = recorded_run()
    s = r.session
    s.start()
    assert saves == []  # nothing done yet: not a practice session yet
    r.run_until(lambda: s.state is State.FINISHED)
    total = len(STEPS)
    assert [rec.steps_done for rec in saves] == list(range(1, total + 1))
    assert all(rec.outcome == "stopped" for rec in saves[:-1])  # killed now: what was done
    last = saves[-1]
    assert (last.outcome, last.steps_done, last.steps_total) == ("completed", total, total)
    assert last.duration_s is not None and last.duration_s > 0
    assert (last.inhale_s, last.exhale_s) == (2.0, 3.0)
    assert {rec.id for rec in saves} == {last.id}


def test_a_stopped_session_says_what_was_done_and_a_mark_names_step_and_side() -> None:
    r, _recorder, saves = recorded_run()
    s = r.session
    s.start()
    r.run_until(lambda: s.state is State.BREATHING and s.tally().steps_done == 2)
    s.mark_hurt()
    s.mark_hurt()  # twice on one step: one mark
    s.next()  # → during a step: skipped
    s.stop()
    last = saves[-1]
    assert last.outcome == "stopped"
    assert last.steps_done == 2
    assert [m.step for m in last.hurt] == [STEPS[2].key]
    assert last.hurt[0].side == "left"
    assert [sk.step for sk in last.skipped] == [STEPS[2].key]


def test_a_session_stopped_before_anything_was_done_is_not_recorded() -> None:
    r, recorder, saves = recorded_run()
    r.session.start()
    r.session.stop()
    assert saves == []
    assert not recorder.recorded


def test_the_answers_are_saved_under_the_same_id() -> None:
    r, recorder, saves = recorded_run()
    s = r.session
    s.start()
    r.run_until(lambda: s.state is State.FINISHED)
    recorder.answer({"pain": 10})
    recorder.answer({"compared": "better", "tighter": "left"})
    recorder.answer({"note": "looser"})
    last = saves[-1]
    assert (last.pain, last.compared, last.tighter, last.note) == (10, "better", "left", "looser")
    assert last.id == saves[0].id
    with pytest.raises(ValidationError, match="pain"):
        recorder.answer({"pain": 11})
    with pytest.raises(ValueError, match="not an answer: outcome"):
        recorder.answer({"outcome": "completed"})
    assert saves[-1] == last


def test_the_lane_writes_in_order_and_a_read_sees_the_saves_before_it(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    saved: list[Saved] = []
    got = threading.Event()
    found: list[object] = []
    lane = JournalLane(Journal(path), on_saved=saved.append)
    first = session(DAY)
    for pain in range(11):  # one session saved again and again: the last one wins
        lane.save(first.model_copy(update={"pain": pain}))
    lane.read(Journal.records, lambda records: (found.append(records), got.set()))
    assert got.wait(30)
    lane.close()
    assert found == [[first.model_copy(update={"pain": 10})]]
    assert saved and all(s.recorded and s.notice is None for s in saved)
    with Journal(path) as journal:
        assert [r.pain for r in journal.records()] == [10]


def test_the_lane_finishes_its_saves_on_close(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    lane = JournalLane(Journal(path))
    records = [
        session(DAY, started=datetime(2026, 12, 3, h, tzinfo=at(DAY).tzinfo)) for h in range(8)
    ]
    for record in records:
        lane.save(record)
    lane.close()
    with Journal(path) as journal:
        assert {r.id for r in journal.records()} == {r.id for r in records}


def test_a_read_only_folder_is_a_notice_and_not_an_error(tmp_path: Path, mounts: Mounts) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    mounts.read_only(folder)
    saved: list[Saved] = []
    lane = JournalLane(Journal(folder / "journal.sqlite3"), on_saved=saved.append)
    lane.save(session(DAY))
    lane.close()
    assert [s.recorded for s in saved] == [False]
    assert saved[0].notice is not None and "not recorded" in saved[0].notice
