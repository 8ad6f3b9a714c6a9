"""The breath pacer: a disc that grows over the inhale and shrinks over the exhale.

It draws what the engine said, nothing more: each phase arrives with its start and its
deadline on the engine's monotonic clock, and the disc's size at any frame is a pure
function of that clock's reading, so the animation stays in step with the voice however
many frames are dropped. The frame timer runs only while a timed breath phase is on
screen; paused or between phases it is stopped, so a paused window costs no CPU and stands
perfectly still.

It is light to run: 30 frames a second (a breath's disc moves a few pixels a frame, which
the eye sees as smooth; 60 doubled the app's CPU for nothing seen), and opaque: it paints
its own background, the panel's colour it sits on, so a frame repaints the pacer alone
and not the panel, the screen and the window behind it (which, not opaque, each frame
did: ``bench/cpu.py`` counts paints per widget). What does not move (the background and
the outline of a full breath) is a pixmap drawn once per size and palette; a frame is
that pixmap and one opaque disc, a quarter of the cost of drawing it all anew. The rest of
what a frame draws with (the centre, the disc's colour, the ring's pen) is worked out with
that pixmap (``_Look``), not each frame: at 26 frames a second, the Python of a frame cost
more than its pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from stretchcoach.coach.ports import PhaseKind

FRAME_MS = 33  # 30 frames a second
STEP_PX = 1.0  # a frame is drawn once the disc's edge has moved this far since the last one
REST_LEVEL = 0.0
SMALLEST = 0.34  # the disc's radius at rest, as a fraction of its full radius


def eased(t: float) -> float:
    """Slow at both ends, like a breath."""
    t = min(1.0, max(0.0, t))
    return (1.0 - math.cos(math.pi * t)) / 2.0


def over(color: QColor, background: QColor, alpha: float) -> QColor:
    """``color`` at ``alpha`` over ``background``, as one opaque colour: an opaque fill is
    drawn faster than a see-through one."""

    def mix(c: float, b: float) -> float:
        return alpha * c + (1 - alpha) * b

    return QColor.fromRgbF(
        mix(color.redF(), background.redF()),
        mix(color.greenF(), background.greenF()),
        mix(color.blueF(), background.blueF()),
    )


@dataclass(frozen=True)
class _Look:
    """What every frame draws with at one size and palette."""

    backdrop: QPixmap  # the panel's colour and the outline of a full breath
    ratio: float  # its device pixels per pixel
    centre: QPointF
    full: float  # the radius of a full breath
    disc: QColor
    ring: QPen  # a hold's ring


class BreathPacer(QWidget):
    def __init__(self, clock: Callable[[], float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._kind: PhaseKind | None = None
        self._start = 0.0
        self._deadline: float | None = None
        self._frozen_at: float | None = None
        self._held = REST_LEVEL
        self._look: _Look | None = None
        self._painted_radius = 0.0
        self.frame = QTimer(self)
        self.frame.setInterval(FRAME_MS)
        self.frame.timeout.connect(self._tick)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(16, 16))  # a small window: the words under it come first
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Breath pacer")
        self.setAccessibleDescription(
            "A disc that grows as you breathe in and shrinks as you breathe out."
        )

    # What the window tells it -------------------------------------------------------

    def show_phase(self, kind: PhaseKind, start: float, deadline: float | None) -> None:
        """A new phase began: animate towards its target until ``deadline``."""
        if kind is PhaseKind.HOLD:  # a hold keeps the breath where the last phase left it
            self._held = 1.0 if self._kind is PhaseKind.INHALE else 0.0
        self._kind, self._start, self._deadline = kind, start, deadline
        self._frozen_at = None
        if self._animates():
            self.frame.start()
        else:
            self.frame.stop()
        self.update()

    def freeze(self) -> None:
        """Paused: stay exactly where it is."""
        self._frozen_at = self._clock()
        self.frame.stop()

    def rest(self) -> None:
        """No breath phase: back to the small disc, still."""
        self._kind, self._deadline, self._frozen_at = None, None, None
        self.frame.stop()
        self.update()

    # What it shows ------------------------------------------------------------------

    def level(self) -> float:
        """How full the disc is, from 0 (empty lungs) to 1 (full), at the clock's reading."""
        if self._kind is PhaseKind.INHALE:
            return eased(self._fraction())
        if self._kind is PhaseKind.EXHALE:
            return 1.0 - eased(self._fraction())
        if self._kind is PhaseKind.HOLD:
            return self._held
        return REST_LEVEL

    def is_animating(self) -> bool:
        return self.frame.isActive()

    def _animates(self) -> bool:
        return (
            self._kind in (PhaseKind.INHALE, PhaseKind.EXHALE, PhaseKind.HOLD)
            and self._deadline is not None
            and self._frozen_at is None
        )

    def _fraction(self) -> float:
        if self._deadline is None or self._deadline <= self._start:
            return 1.0
        now = self._frozen_at if self._frozen_at is not None else self._clock()
        return min(1.0, max(0.0, (now - self._start) / (self._deadline - self._start)))

    def _radius(self, full: float) -> float:
        return full * (SMALLEST + (1 - SMALLEST) * self.level())

    def _tick(self) -> None:
        """Repaint what a frame changes: the disc's square, when its edge has moved by a
        pixel or more since the frame drawn last (at the slow ends of a breath, and all
        through a slow one, most frames do not). In a 1280×800 window (a full breath's disc
        150-180 px across) a 4 s breath in and a 6 s breath out draw 83-94 of their 300
        frames, against 147-172 at half a pixel: the app's CPU 15-20 % less
        (``bench/cpu.py``), and a disc that still grows a pixel at a time."""
        if self._fraction() >= 1.0:
            self.frame.stop()
            self.update()
            return
        if self._kind is PhaseKind.HOLD:  # the ring round the disc fills
            self.update()
            return
        look = self._looks()
        radius = self._radius(look.full)
        if abs(radius - self._painted_radius) < STEP_PX:
            return
        reach = max(radius, self._painted_radius) + 2  # and its antialiased edge
        centre = look.centre
        self.update(
            QRectF(centre.x() - reach, centre.y() - reach, 2 * reach, 2 * reach).toAlignedRect()
        )

    def _looks(self) -> _Look:
        """The look for the present size and palette: made on the first frame after either
        changes (``changeEvent``, ``resizeEvent``), or the screen's pixel ratio."""
        if self._look is None or self._look.ratio != self.devicePixelRatioF():  # a new screen
            self._look = self._make_look()
        return self._look

    def _make_look(self) -> _Look:
        pal = self.palette()
        surface = pal.color(QPalette.ColorRole.AlternateBase)  # the panel it sits on
        accent = pal.color(QPalette.ColorRole.Highlight)
        centre = QPointF(self.width() / 2, self.height() / 2)
        full = max(4.0, min(self.width(), self.height()) / 2 - 6)
        ratio = self.devicePixelRatioF()
        backdrop = QPixmap(self.size() * ratio)
        backdrop.setDevicePixelRatio(ratio)
        backdrop.fill(surface)
        painter = QPainter(backdrop)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        guide = QColor(accent)
        guide.setAlphaF(0.45)
        painter.setPen(QPen(guide, max(2.0, full / 40)))
        painter.drawEllipse(centre, full, full)
        painter.end()
        ring = QPen(accent, max(3.0, full / 18), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        return _Look(backdrop, ratio, centre, full, over(accent, surface, 0.85), ring)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._look = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """(Not ``event``: an override of it is a Python call for every event, frames too.)"""
        if event.type() == QEvent.Type.PaletteChange:
            self._look = None
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        look = self._looks()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, look.backdrop)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre, full = look.centre, look.full
        radius = self._painted_radius = self._radius(full)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(look.disc)
        painter.drawEllipse(centre, radius, radius)
        if self._kind == PhaseKind.HOLD and self._deadline is not None:
            # A hold does not change the breath: a ring fills round the disc instead.
            ring = QRectF(centre.x() - full, centre.y() - full, 2 * full, 2 * full)
            painter.setPen(look.ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawArc(ring, 90 * 16, -round(360 * 16 * self._fraction()))
        painter.end()
