"""Every bundled picture by name, and how one becomes a scene.

The names and what they show are the contract in notes shared with the routine authors
(``illustrations/<name>.svg`` in routine files). An animated picture has a start and an
end pose; its still picture (the SVG) shows the start pose with a see-through ghost of
where the moving limbs go and an arrow along their path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from stretchcoach.illustration import draw, poses
from stretchcoach.illustration.blankets import fold, stack
from stretchcoach.illustration.pose import Point, Pose, blend
from stretchcoach.illustration.primitives import Frame, Primitive, Scene

ARROW_STEPS = 16
ARROW_TRIM = (0.12, 0.92)  # the arrow runs over this part of the path, clear of both poses


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

    def _arrow(self, pose: Pose, toward: Pose) -> list[Primitive]:
        low, high = ARROW_TRIM
        path = []
        for i in range(ARROW_STEPS + 1):
            x, y = blend(pose, toward, low + (high - low) * i / ARROW_STEPS).joints()[self.track]
            path.append(draw.screen((x + self.lift[0], y + self.lift[1])))
        return draw.arrow(path) if math.dist(path[0], path[-1]) > 0.01 else []

    def content(self, pose: Pose | None = None, toward: Pose | None = None) -> list[Primitive]:
        """Everything but the floor: the figure at ``pose``, and when ``toward`` is given,
        a ghost there and an arrow from one to the other."""
        if self.start is None:
            return list(self.diagram)
        pose = pose or self.start
        items: list[Primitive] = [part for pad in self.pads for part in draw.pad(pad)]
        if toward is not None:
            items.append(draw.ghost(toward, self._ghosted))
        items += draw.figure(pose, self.highlight, self.front)
        if toward is not None:
            items += self._arrow(pose, toward)
        return items

    @cached_property
    def frame(self) -> Frame:
        """One frame for every pose of this picture, so a moving figure never rescales."""
        content = self.content()
        if self.end is not None:
            content += self.content(self.end, self.start)
        return draw.framed(content, on_floor=self.start is not None)

    def scene(self, pose: Pose | None = None, toward: Pose | None = None) -> Scene:
        items = self.content(pose, toward)
        floor: list[Primitive] = [draw.floor(self.frame)] if self.start is not None else []
        return Scene(self.frame, tuple(floor + items))

    def still(self) -> Scene:
        """The picture as the SVG file shows it: the start pose, ghost and arrow to the end."""
        return self.scene(self.start, self.end)


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
