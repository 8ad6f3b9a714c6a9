"""Readable from the mat: the rendered type sizes at three window sizes, and what the
session screen does with the longest texts a routine file may hold.

The floors are docs/design.md's ("Readable from two metres"): text read from the mat at
least 1/22 of the window's height, text only glanced at at least 1/32. The numbers below
are that rule worked out by hand, so a change to the rule shows here as well.
"""

from __future__ import annotations

import pytest
from app_harness import QT_NOISE, Harness, K, Make, cut_texts, overlapping, start, visible
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from stretchcoach.routine.catalog import user_routines_dir
from stretchcoach.routine.model import MAX_CUE
from stretchcoach.ui.fitting import TITLE_LINES

pytestmark = QT_NOISE

SIZES = [(800, 600), (1280, 800), (1920, 1080)]
MAT_FLOOR = {600: 27, 800: 36, 1080: 49}  # px: round(height / 22)
GLANCE_FLOOR = {600: 19, 800: 25, 1080: 34}  # px: round(height / 32)


def sized(h: Harness, qtbot: QtBot, size: tuple[int, int]) -> None:
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size().toTuple() == size)


def pixels(label: QLabel) -> int:
    """The size the label's text is drawn at (its style sheet resolved)."""
    label.ensurePolished()
    return label.fontInfo().pixelSize()


def labels_below(h: Harness, floor: int) -> list[str]:
    return [
        f"{w.text()!r}: {pixels(w)} px"
        for w in visible(h.view, QLabel)
        if isinstance(w, QLabel) and w.text() and pixels(w) < floor
    ]


@pytest.mark.parametrize("size", SIZES)
def test_the_session_reads_from_the_mat_at_every_size(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    h = make()
    sized(h, qtbot, size)
    mat, glance = MAT_FLOOR[size[1]], GLANCE_FLOOR[size[1]]
    start(h, qtbot)
    h.until_breathing(qtbot)
    view = h.view
    view.show_cue("Breathe in.")
    assert pixels(view.title) >= mat and pixels(view.phase) >= mat
    assert pixels(view.caption) >= mat or view.caption.styleSheet()  # shrunk: a long cue
    for small in (view.position, view.next_title, view.breath_count, view.remaining):
        assert pixels(small) >= glance, small.text()
    # The instruction's first sentence, large; the rest waits for a pause.
    assert view.instruction.text() and not view.details.isVisible()
    assert pixels(view.instruction) >= mat or view.instruction.styleSheet()
    h.press(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: view.details.isVisible() and not view.caption.isVisible())
    assert pixels(view.details) >= glance
    h.press(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: view.caption.isVisible() and not view.details.isVisible())
    # Every step, with its longest cue: no text smaller than a glance, nothing cut.
    while h.session.step_index + 1 < len(h.session.plans):
        h.press(qtbot, K.Key_Right)
        plan = h.session.plans[h.session.step_index]
        view.show_cue(max((p.cue or "" for p in plan.phases), key=len))
        qtbot.waitUntil(lambda: cut_texts(h.window) == [] and overlapping(h.window) == [])
        assert labels_below(h, glance) == [], plan.step.title
        assert pixels(view.title) >= mat, plan.step.title  # the bundled titles are short


NEXT_TITLE = "Rest on your back with both knees bent and both feet flat, arms resting at sides"


def long_routine() -> str:
    """A routine with the longest title the model accepts (80 characters) on every step,
    a cue of the longest length, and a long first sentence."""
    title = ("Hug your left knee gently toward your chest, the other foot resting " * 2)[:80]
    cue = ("Breathe out, and let your lower back soften into the mat. " * 5)[:MAX_CUE]
    sentence = "Lie on your back, both knees bent, feet flat on the floor, arms by your sides"
    return f"""\
id: long-titles
title: {title}
summary: Titles as long as the format allows.
props: [a mat]
safety: [Stop if it hurts.]
steps:
  - id: one
    title: {title}
    instruction: {sentence}, and rest there. Then breathe.
    intro: Lie on your back.
    illustration: illustrations/knee-hug.svg
    breaths:
      cycles: 2
      cues:
        - on: 1
          exhale: {cue}
  - id: two
    title: {NEXT_TITLE}
    instruction: Rest.
    intro: Rest.
    illustration: illustrations/supine-rest.svg
    breaths:
      cycles: 2
"""


@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)])
def test_the_longest_title_the_format_allows_fits_with_the_picture_and_the_pacer(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    folder = user_routines_dir()
    folder.mkdir(parents=True)
    (folder / "long-titles.yaml").write_text(long_routine(), encoding="utf-8")
    h = make("long-titles")
    assert h.window.picker.notices.texts() == []  # the validator accepted it
    sized(h, qtbot, size)
    start(h, qtbot)
    h.until_breathing(qtbot)
    view = h.view
    title = h.session.plans[0].step.title
    assert len(title) == 80 and view.title.text() == title
    qtbot.waitUntil(lambda: cut_texts(h.window) == [] and overlapping(h.window) == [])
    lines = view.title.height() / view.title.fontMetrics().lineSpacing()
    assert lines <= TITLE_LINES + 0.5
    assert pixels(view.title) >= GLANCE_FLOOR[size[1]]
    # "Next: …" shortened to fit, said whole to a screen reader.
    assert view.next_title.text().endswith("…")
    assert view.next_title.accessibleName() == f"Next: {h.session.plans[1].step.title}"
    # The picture keeps its share and stays clear of the words; the pacer stays usable.
    assert view.figure.height() >= 0.3 * view.height()
    assert view.figure.geometry().bottom() < view.instruction.geometry().top()
    assert min(view.pacer.width(), view.pacer.height()) >= 0.12 * h.window.height()
    longest = max((p.cue or "" for p in h.session.plans[0].phases), key=len)
    view.show_cue(longest)
    assert len(longest) >= MAX_CUE - 1  # the cue as long as the format allows (stripped)
    qtbot.waitUntil(lambda: cut_texts(h.window) == [] and overlapping(h.window) == [])
    assert labels_below(h, GLANCE_FLOOR[size[1]]) == []
    # Resized in the session (the window restyles after its screens are laid out).
    other = (1920, 1080) if size == (800, 600) else (800, 600)
    sized(h, qtbot, other)
    qtbot.waitUntil(lambda: cut_texts(h.window) == [] and overlapping(h.window) == [])
    assert labels_below(h, GLANCE_FLOOR[other[1]]) == []
