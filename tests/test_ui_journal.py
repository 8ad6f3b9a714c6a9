"""The journal in the window: every session recorded as it goes, "this hurt" on H, the
completion screen's questions answered with keys, and the picker's "last done".

The whole app is built as ``stretchcoach`` builds it (``tests/app_harness.py``), with a
real journal file in the test's private data folder, read back here with a second
connection as another copy of the app would.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from app_harness import QT_NOISE, Harness, K, Make, start
from faults import Mounts
from journal_helpers import session
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_ui_adapting import HURTING, ROUTINE, offered, seed

from stretchcoach.coach.states import State
from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.store import Journal, journal_path
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.ui import pain_before as pain_before_module
from stretchcoach.ui.completion import CompletionView
from stretchcoach.ui.controller import NOTED
from stretchcoach.ui.questions import ASK

pytestmark = QT_NOISE
WAIT_MS = 30_000  # the journal's thread and the voice's worker, on a loaded machine


def records() -> list[SessionRecord]:
    if not journal_path().exists():
        return []
    with Journal() as journal:
        return journal.records()


def journal_shows(qtbot: QtBot, check: object) -> SessionRecord:
    """Wait until the one session in the journal passes ``check``; that session."""

    def ok() -> bool:
        found = records()
        return len(found) == 1 and bool(check(found[0]))  # type: ignore[operator]

    qtbot.waitUntil(ok, timeout=WAIT_MS)
    return records()[0]


def completion_of(h: Harness) -> CompletionView:
    completion = h.window.completion
    assert completion is not None
    return completion


def to_the_end(h: Harness, qtbot: QtBot, skip_first: int = 0) -> None:
    """Follow the routine to its end (passing over its first ``skip_first`` steps)."""
    start(h, qtbot)
    for _ in range(skip_first):
        h.press(qtbot, K.Key_Right)
    for _ in range(len(h.session.plans)):
        h.clock.advance(600)
        if h.session.state is State.WAITING:
            h.press(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: h.window.current_screen() is h.window.completion)


def test_a_session_is_recorded_and_the_questions_are_answered_with_keys(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    assert h.app.services is not None
    asked: list[str] = []
    h.app.services.voice.cueStarted.connect(lambda text, _at: asked.append(text))
    to_the_end(h, qtbot, skip_first=2)
    qtbot.waitUntil(lambda: ASK in asked, timeout=WAIT_MS)  # the voice asks, once
    count = len(h.session.plans)
    completion = completion_of(h)
    assert f"{count - 2} of {count} steps · 2 skipped" in completion.summary.text()
    first = journal_shows(qtbot, lambda r: r.outcome == "completed-with-skips")
    assert (first.steps_done, first.steps_total, len(first.skipped)) == (count - 2, count, 2)
    assert first.pain is None
    assert not h.window.actions_.again.isEnabled()  # Space and Esc are the questions' now
    for key in (K.Key_1, K.Key_0, K.Key_Return):  # pain 10: 1 then 0
        h.press(qtbot, key)
    for key in (K.Key_Right, K.Key_Right, K.Key_Return):  # better, then same
        h.press(qtbot, key)
    for key in (K.Key_1, K.Key_Return):  # left
        h.press(qtbot, key)
    assert completion.questions.note.hasFocus()
    qtbot.keyClicks(completion.questions.note, "Looser hips")
    h.press(qtbot, K.Key_Return)
    answered = journal_shows(qtbot, lambda r: r.note is not None)
    assert (answered.pain, answered.compared, answered.tighter, answered.note) == (
        10, "same", "left", "Looser hips",
    )  # fmt: skip
    assert answered.id == first.id
    assert not completion.asking and completion.again_button.hasFocus()
    assert asked.count(ASK) == 1
    h.press(qtbot, K.Key_Space)  # again
    assert h.window.current_screen() is h.view


def test_the_questions_take_arrows_backspace_and_one_escape_skips_the_rest(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    to_the_end(h, qtbot)
    questions = completion_of(h).questions
    for key in (K.Key_Up, K.Key_Up, K.Key_Up, K.Key_Down):  # 0, 1, 2, then back to 1
        h.press(qtbot, key)
    assert questions.values[0] == 1
    h.press(qtbot, K.Key_Backspace)
    assert questions.values[0] is None
    h.press(qtbot, K.Key_7)
    h.press(qtbot, K.Key_Return)
    h.press(qtbot, K.Key_9)  # no ninth answer: nothing chosen
    assert questions.values[1] is None
    h.press(qtbot, K.Key_3)
    h.press(qtbot, K.Key_Escape)  # skips this and the rest; what was kept stays
    assert not completion_of(h).asking
    record = journal_shows(qtbot, lambda r: r.pain == 7)
    assert (record.compared, record.tighter, record.note) == (None, None, None)
    h.press(qtbot, K.Key_Escape)  # now Esc is "choose another", as before
    assert h.window.current_screen() is h.window.picker


def test_h_marks_the_step_says_noted_and_the_breath_goes_on(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    deadline = h.clock.next_deadline()
    step = h.session.plans[h.session.step_index].step
    assert h.app.services is not None
    voice = h.app.services.voice
    with qtbot.waitSignal(
        voice.cueStarted, check_params_cb=lambda text, _at: text == NOTED, timeout=WAIT_MS
    ):
        h.press(qtbot, K.Key_H)
        assert h.session.state is State.BREATHING and h.clock.next_deadline() == deadline
        assert NOTED in h.view.caption.text()
    marked = journal_shows(qtbot, lambda r: len(r.hurt) == 1)
    assert (marked.hurt[0].step, marked.hurt[0].title) == (step.key, step.title)
    assert marked.outcome == "stopped"  # as far as it went, should the app be killed now


def test_the_picker_says_when_each_routine_was_last_done(make: Make, qtbot: QtBot) -> None:
    yesterday = date.today() - timedelta(days=1)
    with Journal() as journal:
        assert journal.save(session(yesterday, routine="daily-minimum")) is None
    h = make("daily-minimum")
    picker = h.window.picker
    qtbot.waitUntil(lambda: picker.last_done.text() == "Last done yesterday", timeout=WAIT_MS)
    picker.select("hip-stretch")
    assert picker.last_done.text() == "Not done yet"
    picker.select("daily-minimum")
    to_the_end(h, qtbot)
    h.press(qtbot, K.Key_Escape)  # skip the questions
    h.press(qtbot, K.Key_Escape)  # back to the list
    qtbot.waitUntil(lambda: picker.last_done.text() == "Last done today", timeout=WAIT_MS)


def test_a_read_only_journal_is_a_notice_and_the_session_ends_normally(
    make: Make, qtbot: QtBot, mounts: Mounts
) -> None:
    folder = journal_path().parent
    with Journal() as journal:  # a journal of a session before, in a folder now read-only
        assert journal.save(session(date.today() - timedelta(days=3))) is None
    mounts.read_only(folder)
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    h.press(qtbot, K.Key_H)  # a save, refused
    for _ in range(len(h.session.plans)):
        h.clock.advance(600)
        if h.session.state is State.WAITING:
            h.press(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: h.window.current_screen() is h.window.completion)
    completion = completion_of(h)
    assert completion.heading.text() == "Well done."

    def told() -> bool:
        return any("not recorded" in text for text in completion.notices.texts())

    qtbot.waitUntil(told, timeout=WAIT_MS)
    assert completion.notices.isVisible()
    mounts.writable(folder)
    h.press(qtbot, K.Key_5)
    h.press(qtbot, K.Key_Return)  # the answer saves the whole session, now it can
    qtbot.waitUntil(lambda: any(r.pain == 5 for r in records()), timeout=WAIT_MS)
    record = next(r for r in records() if r.pain == 5)
    assert record.outcome == "completed-with-skips" and len(record.hurt) == 1  # set-up: →
    qtbot.waitUntil(lambda: not told(), timeout=WAIT_MS)


@pytest.mark.parametrize("asked", [True, False])
def test_the_pain_before_is_asked_only_when_set(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, asked: bool
) -> None:
    questions: list[object] = []

    def answer_four(parent: object) -> int:
        questions.append(parent)
        return 4

    monkeypatch.setattr(pain_before_module, "ask", answer_four)
    h = make(pain_before=asked)
    start(h, qtbot)
    assert questions == ([h.window] if asked else [])
    h.until_breathing(qtbot)
    h.press(qtbot, K.Key_H)  # something done: the session is recorded
    record = journal_shows(qtbot, lambda r: bool(r.hurt))
    assert record.pain_before == (4 if asked else None)


def test_a_step_left_out_by_the_offer_is_recorded_as_skipped_of_the_whole_routine(
    make: Make, qtbot: QtBot
) -> None:
    seed(marked_days_ago=(1, 3))
    h = offered(make, qtbot)
    h.press(qtbot, K.Key_1)  # skip it this time
    h.until_breathing(qtbot)
    h.press(qtbot, K.Key_H)  # something done: recorded
    entry = load_catalog().get(ROUTINE)
    assert entry is not None
    def todays() -> SessionRecord | None:  # among the sessions seeded before it
        found = [r for r in records() if r.day == date.today()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: todays() is not None, timeout=WAIT_MS)
    record = todays()
    assert record is not None
    assert record.steps_total == len(entry.steps)
    assert HURTING in [s.step for s in record.skipped]


def test_a_session_saved_as_the_app_closes_starts_no_read_after_it(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    h.press(qtbot, K.Key_H)
    journal_shows(qtbot, lambda r: bool(r.hurt))
    h.app.close()  # the session's last save, told after the readers have closed
    QApplication.processEvents()  # the queued news of that save is delivered here
    assert h.window.journal_reader._threads == []  # and starts no read
    assert journal_shows(qtbot, lambda r: r.outcome == "stopped").hurt
