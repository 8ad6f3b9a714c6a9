"""Adapting, end to end: a step marked "this hurt" in two of its last five sessions, in a
real journal file, is offered when the routine starts; the offer is shown and said, and
the person's key decides (1 skip, 2 the gentler routine, 3 as written, Esc back).

The app is built exactly as ``stretchcoach`` builds it (``tests/app_harness.py``); the
journal is the real file in the test's private data folder, filled with ``Journal.merge``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from app_harness import QT_NOISE, Harness, K, Make, cut_texts
from journal_helpers import session
from pytestqt.qtbot import QtBot

from stretchcoach.journal.record import HurtMark
from stretchcoach.journal.store import Journal, journal_path
from stretchcoach.routine.catalog import load_catalog

pytestmark = QT_NOISE
ROUTINE = "lower-back-relief"
HURTING = "knee-hug-right"


def seed(marked_days_ago: tuple[int, ...], sessions: int = 5) -> None:
    """``sessions`` daily sessions of the whole routine up to yesterday, the step marked
    in those ``marked_days_ago``."""
    entry = load_catalog().get(ROUTINE)
    assert entry is not None
    steps = len(entry.steps)
    today = date.today()
    records = [
        session(
            today - timedelta(days=ago),
            steps_done=steps,
            steps_total=steps,
            hurt=(HurtMark(step=HURTING, title="Knee hug", side="right"),)
            if ago in marked_days_ago
            else (),
        )
        for ago in range(1, sessions + 1)
    ]
    with Journal(journal_path()) as journal:
        journal.merge(records)


def offered(make: Make, qtbot: QtBot) -> Harness:
    """The app, its offers read, Space pressed: the offer screen is up and said."""
    h = make(ROUTINE)
    adapting = h.app.controller.adapting if h.app.controller else None
    assert adapting is not None
    qtbot.waitUntil(lambda: ROUTINE in adapting.known)
    voice = h.app.services.voice if h.app.services else None
    assert voice is not None
    with qtbot.waitSignal(
        voice.cueStarted,
        timeout=20_000,
        check_params_cb=lambda text, _at: text.startswith("Before you start."),
    ) as said:
        h.press(qtbot, K.Key_Space)
        assert h.window.current_screen() is h.window.offer
    assert "Press 1 to skip it this time, 2 to do" in said.args[0]
    return h


def keys_of(h: Harness) -> list[str]:
    return [plan.step.key for plan in h.session.plans]


def test_marked_twice_in_five_the_offer_is_shown_and_said(make: Make, qtbot: QtBot) -> None:
    seed(marked_days_ago=(2, 5))
    h = offered(make, qtbot)
    assert h.window.offer is not None
    assert h.window.offer.heading.text() == "“Hug your right knee” has been hurting"
    reason = h.window.offer.reason.text()
    assert reason.startswith("You marked “Hug your right knee” as hurting in 2 of the last 5")
    assert h.window.windowTitle() == "Before you start — StretchCoach"
    assert h.window.offer.gentler_button.isVisibleTo(h.window.offer)
    assert cut_texts(h.window.offer) == []


def test_1_skips_the_step_this_time(make: Make, qtbot: QtBot) -> None:
    seed(marked_days_ago=(1, 3))
    h = offered(make, qtbot)
    h.press(qtbot, K.Key_1)
    assert h.window.current_screen() is h.view
    assert HURTING not in keys_of(h)
    assert "knee-hug" in keys_of(h)  # the other side was never marked


def test_2_does_the_gentler_routine(make: Make, qtbot: QtBot) -> None:
    seed(marked_days_ago=(1, 3))
    h = offered(make, qtbot)
    h.press(qtbot, K.Key_2)
    assert h.window.current_screen() is h.view
    assert h.app.controller is not None and h.app.controller.routine_id == "lower-back-gentle"


def test_3_keeps_it_as_written(make: Make, qtbot: QtBot) -> None:
    seed(marked_days_ago=(1, 3))
    h = offered(make, qtbot)
    h.press(qtbot, K.Key_3)
    entry = load_catalog().get(ROUTINE)
    assert entry is not None
    assert keys_of(h) == [step.key for step in entry.steps]


def test_escape_goes_back_to_the_list(make: Make, qtbot: QtBot) -> None:
    seed(marked_days_ago=(1, 3))
    h = offered(make, qtbot)
    h.press(qtbot, K.Key_Escape)
    assert h.window.current_screen() is h.window.picker
    assert h.app.controller is not None and h.app.controller.session is None


@pytest.mark.parametrize("marked", [(1,), (6, 7)], ids=["once", "before the last five"])
def test_no_offer_unless_twice_within_the_last_five(
    make: Make, qtbot: QtBot, marked: tuple[int, ...]
) -> None:
    seed(marked_days_ago=marked, sessions=7)
    h = make(ROUTINE)
    adapting = h.app.controller.adapting if h.app.controller else None
    assert adapting is not None
    qtbot.waitUntil(lambda: ROUTINE in adapting.known)
    assert adapting.known[ROUTINE] == []
    h.press(qtbot, K.Key_Space)
    assert h.window.current_screen() is h.view
