"""The breath pacer follows the engine's clock: grows over the inhale, shrinks over the
exhale, stands still while paused, and runs no frame timer when nothing moves."""

from __future__ import annotations

import pytest
from paints import Paints
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchcoach.coach.ports import PhaseKind
from stretchcoach.ui.pacer import SMALLEST, STEP_PX, BreathPacer, eased


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pacer(qtbot: QtBot) -> tuple[BreathPacer, Clock]:
    clock = Clock()
    widget = BreathPacer(clock)
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    widget.show()
    return widget, clock


def test_easing_is_slow_at_both_ends_and_symmetric() -> None:
    assert eased(0) == 0 and eased(1) == 1 and eased(0.5) == pytest.approx(0.5)
    assert eased(0.1) < 0.1 and eased(0.9) > 0.9
    assert eased(-1) == 0 and eased(2) == 1


def test_grows_over_the_inhale_and_shrinks_over_the_exhale(
    pacer: tuple[BreathPacer, Clock], qtbot: QtBot
) -> None:
    widget, clock = pacer
    widget.show_phase(PhaseKind.INHALE, 100.0, 104.0)
    assert widget.is_animating()
    levels = []
    for t in (100.0, 101.0, 102.0, 103.0, 104.0):
        clock.now = t
        levels.append(widget.level())
    assert levels == sorted(levels) and levels[0] == 0.0 and levels[-1] == pytest.approx(1.0)
    assert levels[2] == pytest.approx(0.5)
    qtbot.waitUntil(lambda: not widget.is_animating())  # the phase is over: no more frames

    widget.show_phase(PhaseKind.EXHALE, 104.0, 110.0)
    clock.now = 107.0
    assert widget.level() == pytest.approx(0.5)
    clock.now = 110.0
    assert widget.level() == pytest.approx(0.0)


def test_each_frame_draws_the_size_of_that_instant(pacer: tuple[BreathPacer, Clock]) -> None:
    widget, clock = pacer
    widget.show_phase(PhaseKind.INHALE, 100.0, 104.0)
    shots = []
    for t in (100.0, 102.0, 104.0):
        clock.now = t
        shots.append(widget.grab().toImage())
    assert shots[0] != shots[1] != shots[2]


def test_paused_means_still_and_no_frame_timer(
    pacer: tuple[BreathPacer, Clock], qtbot: QtBot
) -> None:
    widget, clock = pacer
    widget.show_phase(PhaseKind.INHALE, 100.0, 104.0)
    clock.now = 102.0
    widget.freeze()
    assert not widget.is_animating()
    clock.now = 103.5
    widget.repaint()
    assert widget.level() == pytest.approx(0.5)
    first = widget.grab().toImage()
    clock.now = 103.9
    widget.repaint()
    assert widget.grab().toImage() == first


def test_a_hold_keeps_the_size_and_phases_without_deadline_do_not_animate(
    pacer: tuple[BreathPacer, Clock], qtbot: QtBot
) -> None:
    widget, clock = pacer
    widget.show_phase(PhaseKind.INHALE, 100.0, 101.0)
    clock.now = 101.0
    widget.show_phase(PhaseKind.HOLD, 101.0, 105.0)
    assert widget.is_animating()  # the ring round the disc fills over the hold
    clock.now = 103.0
    with qtbot.waitSignal(widget.frame.timeout):  # a frame drawn at the new time
        pass
    assert widget.level() == pytest.approx(1.0)
    widget.show_phase(PhaseKind.WAIT, 103.0, None)
    assert not widget.is_animating()
    widget.rest()
    assert widget.level() == 0.0 and not widget.is_animating()


def test_a_new_palette_or_size_is_drawn_at_once(pacer: tuple[BreathPacer, Clock]) -> None:
    """What a frame draws with is worked out once per size and palette: a theme switched
    or a window resized must still show in the next frame, not keep the old look."""
    widget, clock = pacer
    widget.show_phase(PhaseKind.INHALE, 100.0, 104.0)
    clock.now = 104.0  # a full breath: the disc reaches the outline
    centre = widget.grab().toImage().pixelColor(150, 150)

    dark = QPalette(widget.palette())
    dark.setColor(QPalette.ColorRole.AlternateBase, QColor("#101418"))
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#d08020"))
    widget.setPalette(dark)
    recoloured = widget.grab().toImage()
    assert recoloured.pixelColor(150, 150) != centre
    assert recoloured.pixelColor(2, 2) == QColor("#101418")  # the panel's new colour

    widget.resize(500, 300)
    wider = widget.grab().toImage()
    assert wider.width() == 500
    assert wider.pixelColor(250, 150) == recoloured.pixelColor(150, 150)  # centred anew
    assert wider.pixelColor(60, 150) == QColor("#101418")  # beyond a 300-px-high breath


def test_a_frame_is_drawn_once_the_edge_has_moved_a_pixel(
    pacer: tuple[BreathPacer, Clock], qtbot: QtBot
) -> None:
    """At the slow start of a breath in, the disc's edge moves less than a pixel between
    frames: that frame is not drawn; in the middle of the breath it is."""
    widget, clock = pacer
    qtbot.waitExposed(widget)
    widget.show_phase(PhaseKind.INHALE, 100.0, 104.0)
    QApplication.processEvents()
    paints = Paints(widget)
    full = min(widget.width(), widget.height()) / 2 - 6
    growth = (1 - SMALLEST) * full  # the edge's whole way over the breath

    def frame_at(t: float) -> None:
        clock.now = t
        with qtbot.waitSignal(widget.frame.timeout):
            pass
        QApplication.processEvents()

    frame_at(100.033)
    assert eased(0.033 / 4) * growth < STEP_PX
    assert paints.count == 0
    frame_at(102.0)
    assert paints.count == 1
