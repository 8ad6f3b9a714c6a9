"""The end-of-session questions as a widget on its own: what each key does to the answer."""

from __future__ import annotations

import pytest
from app_harness import QT_NOISE
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from stretchcoach.ui.pain_before import PainBeforeDialog
from stretchcoach.ui.questions import QUESTIONS, Questions

K = Qt.Key
pytestmark = QT_NOISE


@pytest.fixture
def questions(qtbot: QtBot) -> Questions:
    widget = Questions()
    qtbot.addWidget(widget)
    widget.reset()
    widget.show()
    return widget


def press(qtbot: QtBot, widget: Questions, *keys: K) -> None:
    for key in keys:
        qtbot.keyClick(widget, key)


@pytest.mark.parametrize(
    ("keys", "pain"),
    [
        ((K.Key_1, K.Key_0), 10),
        ((K.Key_1, K.Key_1), 1),  # no 11: the second digit starts again
        ((K.Key_3, K.Key_0), 0),
        ((K.Key_0,), 0),
        ((K.Key_Up,) * 14, 10),  # the arrows stop at the ends
        ((K.Key_Down,), 0),
        ((K.Key_5, K.Key_Right, K.Key_Left, K.Key_Left), 4),
        ((K.Key_1, K.Key_Up, K.Key_0), 0),  # an arrow ends the typing of a number
        ((K.Key_7, K.Key_Backspace), None),
    ],
)
def test_pain_keys(
    qtbot: QtBot, questions: Questions, keys: tuple[K, ...], pain: int | None
) -> None:
    press(qtbot, questions, *keys)
    assert questions.values[0] == pain


def test_enter_keeps_each_answer_and_the_note_ends_the_questions(
    qtbot: QtBot, questions: Questions
) -> None:
    answers: list[dict[str, object]] = []
    questions.answered.connect(answers.append)
    with qtbot.waitSignal(questions.done):
        press(qtbot, questions, K.Key_Return)  # pain: not answered, nothing kept
        press(qtbot, questions, K.Key_3, K.Key_Return)  # worse
        press(qtbot, questions, K.Key_Left, K.Key_Return)  # from nothing: the first, left
        assert questions.current == len(QUESTIONS)
        qtbot.keyClicks(questions.note, "  tight  ")
        press(qtbot, questions.note, K.Key_Return)
    assert answers == [{"compared": "worse"}, {"tighter": "left"}, {"note": "tight"}]
    assert questions.finished
    press(qtbot, questions, K.Key_5)  # after the end no key answers any more
    assert questions.values[0] is None


@pytest.mark.parametrize(
    ("keys", "rating"),
    [
        ((K.Key_1, K.Key_0, K.Key_Return), 10),
        ((K.Key_Up, K.Key_Up, K.Key_Up, K.Key_Return), 2),  # from "–": 0, 1, 2
        ((K.Key_Return,), None),  # Enter without a number: no rating
        ((K.Key_7, K.Key_Escape), None),  # Esc: start without
    ],
)
def test_the_pain_before_dialog(qtbot: QtBot, keys: tuple[K, ...], rating: int | None) -> None:
    dialog = PainBeforeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for key in keys:
        qtbot.keyClick(dialog.box, key)
    assert not dialog.isVisible()  # Enter and Esc both close it: the session starts
    assert dialog.rating() == rating
