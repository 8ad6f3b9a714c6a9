"""Every bundled picture by name, and how one becomes a scene.

The names and what they show are the contract in notes shared with the routine authors
(``illustrations/<name>.svg`` in routine files). An animated picture has a start and an
end pose; its still picture (the SVG) shows the start pose with a see-through ghost of
where the moving limbs go and an arrow along their path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from stretchcoach.illustration import draw, poses
from stretchcoach.illustration.blankets import fold, stack
from stretchcoach.illustration.pose import Point, Pose, blend, travel
from stretchcoach.illustration.primitives import Frame, Primitive, Scene

ARROW_STEPS = 16
ARROW_TRIM = (0.12, 0.92)  # the arrow runs over this part of the path, clear of both poses
TRACK_SAMPLES = 200  # a move's path, for its arrow: at rest the arrow's points fall on these


@dataclass(frozen=True)
class Illustration:
    """One picture: a figure in a pose (moving to an end pose if animated), or a diagram.

    ``highlight`` are the segments drawn in the moving colour, ``front`` the segments
    drawn over the near side (a leg crossed over the other), ``track`` the joint whose
    path the arrow follows, shifted by ``lift`` inches to sit beside the body.
    """

    name: str
    title: str
    start: Pose | None = None
    end: Pose | None = None
    pads: tuple[draw.Pad, ...] = ()
    highlight: frozenset[str] = frozenset()
    front: frozenset[str] = frozenset()
    track: str = "hip"
    lift: Point = (0.0, 0.0)
    diagram: tuple[Primitive, ...] = field(default=(), repr=False)

    @property
    def animated(self) -> bool:
        return self.end is not None

    def pose(self, which: str) -> Pose:
        """The "start" or "end" pose (a still picture has only its start)."""
        chosen = self.end if which == "end" else self.start
        if chosen is None:
            raise ValueError(f"{self.name} has no {which} pose")
        return chosen

    @cached_property
    def _ghosted(self) -> frozenset[str]:
        if self.start is None or self.end is None:
            return frozenset()
        return draw.moved(self.start, self.end)

    @cached_property
    def travel(self) -> float:
        """How far the joint that moves most goes between the start and end poses, in
        inches (0 for a still picture). No move between two of its poses, one part-way,
        goes farther: the window sizes its frames' steps by it, worked out once."""
        if self.start is None or self.end is None:
            return 0.0
        return travel(self.start, self.end)

    def tracked(self, pose: Pose) -> Point:
        """Where the arrow passes for ``pose``: the tracked joint, lifted beside the body."""
        x, y = pose.joints()[self.track]
        return draw.screen((x + self.lift[0], y + self.lift[1]))

    def content(
        self,
        pose: Pose | None = None,
        toward: Pose | None = None,
        arrow: list[Primitive] | None = None,
    ) -> list[Primitive]:
        """Everything but the floor: the figure at ``pose``, and when ``toward`` is given,
        a ghost there and an arrow from one to the other (``arrow``, when the caller has
        it from a ``Track``)."""
        if self.start is None:
            return list(self.diagram)
        pose = pose or self.start
        items: list[Primitive] = [part for pad in self.pads for part in draw.pad(pad)]
        if toward is not None:
            items.append(draw.ghost(toward, self._ghosted))
        items += draw.figure(pose, self.highlight, self.front)
        if toward is not None:
            items += arrow if arrow is not None else _arrow(
                lambda s: self.tracked(blend(pose, toward, s))
            )
        return items

    @cached_property
    def frame(self) -> Frame:
        """One frame for every pose of this picture, so a moving figure never rescales."""
        content = self.content()
        if self.end is not None:
            content += self.content(self.end, self.start)
        return draw.framed(content, on_floor=self.start is not None)

    def scene(
        self,
        pose: Pose | None = None,
        toward: Pose | None = None,
        arrow: list[Primitive] | None = None,
    ) -> Scene:
        items = self.content(pose, toward, arrow)
        floor: list[Primitive] = [draw.floor(self.frame)] if self.start is not None else []
        return Scene(self.frame, tuple(floor + items))

    def still(self) -> Scene:
        """The picture as the SVG file shows it: the start pose, ghost and arrow to the end."""
        return self.scene(self.start, self.end)


def _arrow(point: Callable[[float], Point]) -> list[Primitive]:
    """The arrow along ``point(s)`` for s from 0 (the pose shown) to 1 (where it goes),
    trimmed clear of both."""
    low, high = ARROW_TRIM
    path = [point(low + (high - low) * i / ARROW_STEPS) for i in range(ARROW_STEPS + 1)]
    return draw.arrow(path) if math.dist(path[0], path[-1]) > 0.01 else []


class Track:
    """The path the arrow follows through one move, for a figure on screen.

    The arrow of a figure part way through a move, from its pose to the move's end, runs
    over what is left of the path from the move's start to its end. Blending the two poses
    at each of the arrow's points, every frame, was 40 % of a moving figure's frame; here
    each point of the path is worked out once per move (``TRACK_SAMPLES`` of them, as the
    frames come to need them) and the arrow's points are read between them, less than a
    thousandth of an inch from the blended ones. At rest the picture is the same to the
    pixel; while moving, a few dozen pixels at the arrow's antialiased edges may differ,
    by at most a tenth of full brightness (``docs/performance.md``).
    """

    def __init__(self, picture: Illustration, start: Pose, end: Pose) -> None:
        self.picture, self.start, self.end = picture, start, end
        self._points: dict[int, Point] = {}

    def follows(self, picture: Illustration, start: Pose, end: Pose) -> bool:
        """Whether this is the track of that move (the same objects: a move keeps them)."""
        return self.picture is picture and self.start is start and self.end is end

    def _sample(self, k: int) -> Point:
        point = self._points.get(k)
        if point is None:
            point = self.picture.tracked(blend(self.start, self.end, k / TRACK_SAMPLES))
            self._points[k] = point
        return point

    def point(self, u: float) -> Point:
        """Where the tracked joint is ``u`` (0..1) of the way through the move."""
        x = min(1.0, max(0.0, u)) * TRACK_SAMPLES
        k = min(int(x), TRACK_SAMPLES - 1)
        (ax, ay), (bx, by), f = self._sample(k), self._sample(k + 1), x - k
        return (ax + (bx - ax) * f, ay + (by - ay) * f)

    def arrow(self, done: float) -> list[Primitive]:
        """The arrow of a figure ``done`` (0..1, eased) of the way through the move."""
        return _arrow(lambda s: self.point(done + (1 - done) * s))


def _far_leg() -> frozenset[str]:
    return frozenset({"far.thigh", "far.shin", "far.foot"})


def _near_leg() -> frozenset[str]:
    return frozenset({"near.thigh", "near.shin", "near.foot"})


ARMS = frozenset({"near.arm", "near.forearm", "far.arm", "far.forearm"})

_ALL = (
    Illustration(
        "blankets-fold",
        "Fold each blanket in half lengthwise, then fanfold it into a pad",
        diagram=fold(),
    ),
    Illustration(
        "blankets-stack",
        "Lay one pad crosswise on top of the other",
        diagram=stack(),
    ),
    Illustration(
        "arch-sit",
        "Sit on the end of the stacked blankets, knees bent, feet flat",
        start=poses.ARCH_SIT,
        pads=poses.STACK,
    ),
    Illustration(
        "arch-lower",
        "Lower yourself onto the blankets, using your arms",
        start=poses.ARCH_SIT,
        end=poses.ARCH_REST,
        pads=poses.STACK,
        highlight=ARMS,
        track="head",
        lift=(0.0, 5.0),
    ),
    Illustration(
        "arch-rest",
        "Rest on the blankets: head, shoulders and arms on the floor",
        start=poses.ARCH_REST,
        pads=poses.STACK,
    ),
    Illustration(
        "arch-heel-slide",
        "Slide the left heel away until the leg is straight",
        start=poses.ARCH_REST,
        end=poses.ARCH_LEG_LONG,
        pads=poses.STACK,
        highlight=_far_leg(),
        track="far.heel",
        lift=(0.0, 6.0),
    ),
    Illustration(
        "arch-roll-off",
        "Roll onto your side to come off the blankets",
        start=poses.SIDE_LYING,
        pads=poses.STACK,
        highlight=frozenset({"near.arm", "near.forearm"}),
    ),
    Illustration(
        "supine-rest",
        "Lie on your back, knees bent, feet flat",
        start=poses.SUPINE_REST,
    ),
    Illustration(
        "bridge-lift",
        "Lift the hips a hand's width, shoulders down",
        start=poses.SUPINE_REST,
        end=poses.BRIDGE_UP,
        highlight=frozenset({"pelvis", "near.thigh", "far.thigh"}),
        track="waist",
        lift=(0.0, 7.0),
    ),
    Illustration(
        "knee-hug",
        "Draw the left knee gently toward the chest",
        start=poses.SUPINE_REST,
        end=poses.KNEE_HUG_IN,
        highlight=_far_leg(),
        track="far.knee",
        lift=(2.0, 5.0),
    ),
    Illustration(
        "piriformis",
        "Left ankle over the right knee, then draw the right thigh in",
        start=poses.FIGURE_FOUR,
        end=poses.FIGURE_FOUR_IN,
        highlight=_near_leg(),
        front=frozenset({"far.shin", "far.foot"}),
        track="near.knee",
        lift=(2.5, 5.0),
    ),
)

ILLUSTRATIONS = MappingProxyType({i.name: i for i in _ALL})
