"""Small layout faults found by trying the window (issue 14, item 7): the stop question's
box, the step's bar on a set-up step, the progress row as the time counts down, and what
Tab reaches after the safety note's button.

The app is built exactly as ``stretchcoach`` builds it (``tests/app_harness.py``).
"""

from __future__ import annotations

import pytest
from app_harness import QT_NOISE, K, Make, start, to_first_manual_step, until_waiting
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from stretchcoach.coach.ports import Progress
from stretchcoach.coach.session import State
from stretchcoach.ui.window import stop_question

pytestmark = QT_NOISE


@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)])
def test_the_stop_question_keeps_each_answer_on_one_line(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    h = make()
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size().toTuple() == size)
    box, _stop = stop_question(h.window)
    box.show()
    qtbot.waitExposed(box)
    keys = box.findChild(QLabel, "qt_msgbox_informativelabel")
    assert keys is not None and "Enter" in keys.text()
    # As tall as with all the width in the world: no line wrapped but where it says.
    assert keys.heightForWidth(keys.width()) == keys.heightForWidth(10_000)
    answer = keys.text().splitlines()[1]
    assert keys.contentsRect().width() >= keys.fontMetrics().horizontalAdvance(answer)
    box.close()


def test_a_set_up_step_shows_it_waits_instead_of_a_full_bar(make: Make, qtbot: QtBot) -> None:
    h = make()
    to_first_manual_step(h, qtbot)
    view = h.view
    assert view.step_bar.isVisible() and not view.waiting.isVisible()
    until_waiting(h)
    h.clock.advance(30)  # long after the introduction: the app still waits
    assert view.waiting.isVisible() and view.waiting.text() == "waits for you"
    assert not view.step_bar.isVisible()
    h.press(qtbot, K.Key_Space)  # I'm ready
    qtbot.waitUntil(lambda: h.session.state is not State.WAITING)
    while not view.step_bar.isVisible():  # the next step has its bar back
        h.clock.advance(0.25)
    assert not view.waiting.isVisible()


def test_the_progress_row_stays_put_as_the_time_left_shrinks(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    view = h.view
    layout = view.layout()
    assert layout is not None
    places = set()
    for seconds in (5999.0, 600.0, 599.0, 61.0, 9.0, 0.5):
        view.show_progress(Progress(0.5, 0.5, seconds))
        layout.activate()
        places.add((view.step_bar.mapTo(view, view.step_bar.rect().topLeft()).x(),
                    view.routine_bar.geometry().x(), view.routine_bar.width()))  # fmt: skip
    assert view.remaining.text() == "0:01 left"
    assert len(places) == 1, places


def test_tab_from_i_understand_reaches_a_notice_without_a_text_cursor(
    make: Make, qtbot: QtBot
) -> None:
    h = make(seen_safety_note=False)
    h.window.show_notice("voice", "No sound output: the cues are shown, not spoken.")
    picker = h.window.picker
    picker.focus_default()
    assert h.window.focusWidget() is picker.acknowledge_button
    notice = picker.notices.brief_label
    unfocused = notice.grab().toImage()
    h.press(qtbot, K.Key_Tab)
    assert h.window.focusWidget() is notice
    flags = notice.textInteractionFlags()
    assert not flags & (Qt.TextInteractionFlag.TextSelectableByKeyboard
                        | Qt.TextInteractionFlag.TextEditable)  # fmt: skip
    assert notice.grab().toImage() != unfocused  # the focus is drawn round it


def test_the_time_left_changes_without_laying_the_window_out_again(
    make: Make, qtbot: QtBot
) -> None:
    """A label whose size may change asks for a layout pass at each new text: the time
    left, once a second, laid the whole window out again. Its room is fixed, and its
    text still fits whole, a digit more for a routine of 100 minutes or more."""
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    view = h.view
    requests = []

    class Requests(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.LayoutRequest:
                requests.append(watched)
            return False

    spy = Requests()
    qtbot.wait(200)  # the layout passes the start of the step asked for
    view.installEventFilter(spy)
    label = view.remaining
    for seconds in (599.0, 598.0, 61.0, 60.0, 9.0, 0.5):
        view.show_progress(Progress(0.5, 0.5, seconds))
        QApplication.sendPostedEvents()
        assert label.sizeHint().width() <= label.width()
        assert label.sizeHint().height() <= label.height()
    assert requests == []
    view.show_progress(Progress(0.5, 0.5, 6000.0))
    assert label.text() == "100:00 left"
    assert label.sizeHint().width() <= label.width()
    view.removeEventFilter(spy)
