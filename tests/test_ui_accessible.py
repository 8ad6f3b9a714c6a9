"""What a screen reader is given, on the offscreen platform: labels named by their own
text, and progress told coarsely. (``test_xvfb_screen_reader.py`` reads the running app
through AT-SPI and hears its announcements.)"""

from __future__ import annotations

from app_harness import QT_NOISE, Make, start, visible
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from stretchcoach.coach.ports import Progress

pytestmark = QT_NOISE


def test_every_label_is_named_by_its_text(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    view = h.view
    fixed = [
        f"{w.text()!r} is called {w.accessibleName()!r}"
        for w in visible(view, QLabel)
        if isinstance(w, QLabel) and w.accessibleName()
        and w not in (view.next_title, view.remaining, view.hint)
    ]  # fmt: skip
    assert fixed == []  # an empty name: Qt gives the text itself, as it changes
    assert view.caption.accessibleDescription() == "Spoken cue"
    assert view.instruction.accessibleDescription() == h.session.plans[
        h.session.step_index
    ].step.instruction  # the whole of it, though the screen shows its first sentence


def test_progress_is_told_in_tens_of_percent_and_whole_minutes(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    start(h, qtbot)
    view = h.view
    told: list[tuple[str, str, str]] = []
    for tick in range(1001):  # a step's progress at every frame, a minute and a half left
        view.show_progress(Progress(tick / 1000, 0.5 + tick / 4000, 90.0 - tick * 0.06))
        said = (
            view.step_bar.accessibleDescription(),
            view.routine_bar.accessibleDescription(),
            view.remaining.accessibleName(),
        )
        if not told or said != told[-1]:
            told.append(said)
    assert len(told) <= 12, told  # 0 %, 10 %, ... 100 %, and a minute boundary
    assert told[-1][0] == "100 percent of this step done"
    assert view.remaining.text() == "0:30 left" and told[-1][2] == "about 1 minute left"
