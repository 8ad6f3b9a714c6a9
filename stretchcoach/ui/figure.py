"""The step's picture on screen: drawn from the pose data, mirrored for the right side, and
moving with the breath.

The SVG files in assets/ are exports of the same data, for the docs and for anything that
only reads files; the window draws the primitives itself so it can put the figure at any
point between two poses. Nothing here decides *when* to move: the session tells the view
where to go and how long the breath phase lasts, and the view only interpolates.

Usage (the session view owns one)::

    view = FigureView(clock=time.monotonic)      # the clock the coach's deadlines use
    view.set_illustration("illustrations/arch-heel-slide.svg", mirrored=step.mirrored)
    view.move_to("end", duration_s=4.0, started_at=phase_start)   # on a `move: end` phase
    view.set_paused(True)     # holds still; no timer runs while paused or at rest
    view.set_paused(False)    # carries on from where it stopped, over the time left
    view.hold("start")        # jump without moving (a step restarted or skipped)

``set_illustration`` accepts a name from the catalog, a routine's ``illustrations/x.svg``
reference, or any other SVG file under assets/ (a person's own routine), which is drawn
still. It returns False when neither exists, and the view stays empty.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from stretchcoach import resources
from stretchcoach.illustration import ILLUSTRATIONS, Illustration, Pose, blend, name_of
from stretchcoach.illustration.catalog import Track
from stretchcoach.illustration.primitives import Frame, Scene
from stretchcoach.ui.painter import Layers, fit, fit_scale, paint_frame, paint_items

FRAME_INTERVAL_MS = 33  # 30 frames a second: smooth for a breath-slow move, half the work of 60
STEP_PX = 0.5  # a frame is drawn once the figure has moved this far since the last one


def ease(t: float) -> float:
    """Slow at both ends, like a breath filling and emptying the lungs."""
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


class FigureView(QWidget):
    """Draws one step's picture and moves its figure between the start and end poses.

    Constructor: ``FigureView(parent=None, *, clock=time.monotonic)``; ``clock`` is the
    monotonic seconds the motion is timed by (tests pass a fake one).

    - ``set_illustration(reference, mirrored=False, pose="start") -> bool``
    - ``move_to(target, duration_s, started_at=None)``: "start" or "end", over the phase;
      ``started_at`` (on ``clock``) when the phase began, so a late call catches up.
    - ``hold(target)``: show that pose at once, ending any move.
    - ``set_paused(bool)`` / ``paused()``: paused means still, with no timer running.
    - ``is_moving()``, ``progress()`` (0..1 of the current move), ``shown_pose()``.

    A timer runs only while a move is under way and not paused; at rest nothing ticks.
    """

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._picture: Illustration | None = None
        self._svg: QSvgRenderer | None = None
        self._mirrored = False
        self._rest = "start"  # the pose reached (or being left) when no move is under way
        self._from: Pose | None = None  # where the current move began; None: at rest
        self._target = "start"
        self._started = 0.0
        self._duration = 1.0
        self._paused_at: float | None = None
        self._layers = Layers(0, 0, 1.0)
        self._track: Track | None = None  # the arrow's path through the current move
        self._drawn = 0.0  # how far through the current move (eased) the last frame was
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Opaque: it paints the screen's background itself, so a frame of a move repaints
        # the picture alone, not the screen and the window behind it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # --- what is shown -------------------------------------------------------------------
    def set_illustration(self, reference: str, mirrored: bool = False, pose: str = "start") -> bool:
        """Show a picture, still, in ``pose``. False (and an empty view) if it is unknown."""
        self._stop()
        self._mirrored = mirrored
        self._picture = ILLUSTRATIONS.get(name_of(reference))
        self._svg = None
        self._rest = pose if self._picture is not None and self._picture.animated else "start"
        if self._picture is None:
            path = resources.assets_dir() / reference
            if path.suffix == ".svg" and path.is_file():
                renderer = QSvgRenderer(QByteArray(path.read_bytes()), self)
                self._svg = renderer if renderer.isValid() else None
        title = self._picture.title if self._picture else ""
        self.setAccessibleName(title)
        self.setToolTip(title)
        self.update()
        return self._picture is not None or self._svg is not None

    def mirrored(self) -> bool:
        return self._mirrored

    def shown_pose(self) -> Pose | None:
        """The figure's pose right now (None for a diagram or a plain SVG)."""
        picture = self._picture
        if picture is None or picture.start is None:
            return None
        if self._from is None:
            return picture.pose(self._rest)
        return blend(self._from, picture.pose(self._target), ease(self.progress()))

    # --- moving --------------------------------------------------------------------------
    def move_to(self, target: str, duration_s: float, started_at: float | None = None) -> None:
        """Move the figure to the "start" or "end" pose over ``duration_s`` seconds."""
        if target not in ("start", "end"):
            raise ValueError(f"move_to: target is 'start' or 'end', not {target!r}")
        picture = self._picture
        if picture is None or not picture.animated:
            return
        current = self.shown_pose()
        self._from, self._target = current, target
        self._drawn = 0.0
        self._started = self._clock() if started_at is None else started_at
        self._duration = max(duration_s, 1e-6)
        if self._paused_at is not None:
            self._paused_at = self._clock()
        else:
            self._timer.start()
        self._tick()
        self.update()  # the ghost and arrow point to the new target at once

    def hold(self, target: str) -> None:
        """Show the "start" or "end" pose at once, ending any move."""
        self._stop()
        if self._picture is not None and self._picture.animated:
            self._rest = target
        self.update()

    def set_paused(self, paused: bool) -> None:
        """Hold still (paused) or carry on over the time the move had left."""
        if paused:
            if self._paused_at is None:
                self._paused_at = self._clock()
                self._timer.stop()
            return
        if self._paused_at is None:
            return
        self._started += self._clock() - self._paused_at
        self._paused_at = None
        if self._from is not None:
            self._timer.start()
            self._tick()

    def paused(self) -> bool:
        return self._paused_at is not None

    def is_moving(self) -> bool:
        """True while a move is under way and not paused (the only time a timer runs)."""
        return self._timer.isActive()

    def progress(self) -> float:
        """How far through the current move (0..1); 1 at rest."""
        if self._from is None:
            return 1.0
        now = self._paused_at if self._paused_at is not None else self._clock()
        return min(1.0, max(0.0, (now - self._started) / self._duration))

    def _tick(self) -> None:
        """Repaint once the figure has moved by half a pixel or more since the frame drawn
        last, and when it arrives: at the slow ends of a move, and all through a small one
        (a bridge lifts the pelvis 20 pixels), most frames would draw the same picture."""
        if self._from is None:
            return
        if self.progress() >= 1.0:
            self._rest = self._target
            self._stop()
        elif self._moved_px() < STEP_PX:
            return
        self.update()

    def _moved_px(self) -> float:
        """How far the farthest-going joint has moved, on screen, since the last frame
        (at most: a move that began part-way goes less far than the whole picture's)."""
        picture = self._picture
        assert picture is not None
        scale = fit_scale(picture.frame, self.width(), self.height())
        return abs(ease(self.progress()) - self._drawn) * picture.travel * scale

    def _stop(self) -> None:
        self._timer.stop()
        self._from = None

    # --- drawing -------------------------------------------------------------------------
    def scene(self) -> Scene | None:
        """What the view draws now: the figure, and a ghost and arrow toward where it goes
        next (the move's target while moving, the other pose at rest)."""
        picture = self._picture
        if picture is None:
            return None
        pose = self.shown_pose()
        if pose is None or not picture.animated:
            return picture.scene()
        if self._from is not None:
            start, end, done = self._from, picture.pose(self._target), ease(self.progress())
        else:
            other = "end" if self._rest == "start" else "start"
            start, end, done = picture.pose(self._rest), picture.pose(other), 0.0
        track = self._track
        if track is None or not track.follows(picture, start, end):
            track = self._track = Track(picture, start, end)  # once per move
        return picture.scene(pose, end, track.arrow(done))

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 90)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Window))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        scene = self.scene()
        if scene is not None:
            painter.setTransform(fit(scene.frame, self.width(), self.height(), self._mirrored))
            size = (self.width(), self.height(), self.devicePixelRatioF())
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            if (self._layers.size, self._layers.dark) != (size, dark):
                self._layers = Layers(*size, dark=dark)
            if self.is_moving():
                paint_frame(painter, scene.items, self._layers)
                self._drawn = ease(self.progress())
            else:  # drawn once, and kept by the window: no layer of its still parts to keep
                paint_items(painter, scene.items, self._layers)
                self._layers.at_rest(scene.items)
        elif self._svg is not None:
            view = self._svg.viewBoxF()
            frame = Frame(view.x(), view.y(), view.width(), view.height())
            painter.setTransform(fit(frame, self.width(), self.height(), self._mirrored))
            self._svg.render(painter, view)
        painter.end()
