"""A side-view figure as data: joint angles over fixed proportions, and where the joints land.

Every picture uses the one body below (about 5'6" tall, lengths in inches, so props can
be drawn at their real size). A pose is the hip position plus the absolute direction of
each segment, in degrees counter-clockwise from "pointing right", with y pointing up and
the floor at y = 0. Absolute directions (rather than angles relative to the parent) keep
poses easy to write for a body lying on the floor and make interpolation between two
poses a plain per-segment blend.

"near" limbs face the viewer, "far" limbs are behind the body. With the head to the left
and the face up, the person's right side faces the viewer, so the LEFT limbs are the far
ones: mirroring the picture then shows a correct right side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType

Point = tuple[float, float]

SIDES = ("near", "far")
LIMBS = ("arm", "forearm", "thigh", "shin", "foot")
TRUNK = ("pelvis", "chest", "neck")
SEGMENTS = TRUNK + tuple(f"{side}.{limb}" for side in SIDES for limb in LIMBS)

# Inches, for a body about 5'6": length along the segment and its thickness when drawn.
LENGTH = MappingProxyType(
    {
        "pelvis": 8.0,
        "chest": 12.0,
        "neck": 7.0,  # shoulder to the centre of the head
        "arm": 11.0,
        "forearm": 12.0,  # elbow to fingertips
        "thigh": 16.0,
        "shin": 16.0,  # knee to ankle
        "foot": 7.0,  # ankle to toes, along the sole
    }
)
WIDTH = MappingProxyType(
    {
        "pelvis": 9.0,
        "chest": 10.0,
        "neck": 4.6,
        "arm": 3.8,
        "forearm": 3.2,
        "thigh": 6.2,
        "shin": 4.4,
        "foot": 3.2,
    }
)
HEAD_RADIUS = 4.6
HEEL_BACK = 1.6  # how far the heel reaches behind the ankle, along the sole
SOLE_DROP = 1.6  # the sole's centre line below the ankle; the sole itself is WIDTH lower
ANKLE_HEIGHT = SOLE_DROP + WIDTH["foot"] / 2  # the ankle's height with the foot flat


def kind(segment: str) -> str:
    """``near.thigh`` -> ``thigh``: the key into LENGTH and WIDTH."""
    return segment.rpartition(".")[2]


def direction(degrees: float) -> Point:
    rad = math.radians(degrees)
    return (math.cos(rad), math.sin(rad))


def along(origin: Point, degrees: float, distance: float) -> Point:
    dx, dy = direction(degrees)
    return (origin[0] + dx * distance, origin[1] + dy * distance)


def heading(a: Point, b: Point) -> float:
    """The direction from a to b, in degrees."""
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


@dataclass(frozen=True)
class Pose:
    """The hip position and the direction of every segment.

    ``scale`` shortens a segment that points toward or away from the viewer (a crossed
    leg), and ``thick`` widens one seen across its other dimension (the trunk of a body
    lying on its side shows its shoulder width): the concessions a flat side view needs.
    Both are 1 for every segment they do not name. A pose with a widened trunk is a body
    seen from the front (``frontal``): no profile, and its limbs bend toward the viewer.
    """

    hip: Point
    angles: Mapping[str, float]
    scale: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    thick: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        missing = set(SEGMENTS) - set(self.angles)
        unknown = (set(self.angles) | set(self.scale) | set(self.thick)) - set(SEGMENTS)
        if missing or unknown:
            raise ValueError(f"pose segments: missing {sorted(missing)}, unknown {sorted(unknown)}")
        for name in ("angles", "scale", "thick"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def frontal(self) -> bool:
        return any(kind(s) in TRUNK for s in self.thick)

    def length(self, segment: str) -> float:
        return LENGTH[kind(segment)] * self.scale.get(segment, 1.0)

    def width(self, segment: str) -> float:
        return WIDTH[kind(segment)] * self.thick.get(segment, 1.0)

    def with_(self, **angles: float) -> Pose:
        """This pose with some segments turned; keyword names use ``_`` for ``.``."""
        merged = dict(self.angles)
        merged.update({k.replace("_", "."): v for k, v in angles.items()})
        return Pose(self.hip, merged, self.scale, self.thick)

    def joints(self) -> Mapping[str, Point]:
        """Forward kinematics: every joint's position (heel and toe for the feet).

        Worked out once per pose and kept (a pose never changes): a moving figure asks
        for the same two poses' joints at every point of its arrow, every frame."""
        kept: Mapping[str, Point] | None = self.__dict__.get("_joints")
        if kept is None:
            kept = MappingProxyType(self._joints())
            object.__setattr__(self, "_joints", kept)
        return kept

    def _joints(self) -> dict[str, Point]:
        a = self.angles
        at: dict[str, Point] = {"hip": self.hip}
        at["waist"] = along(self.hip, a["pelvis"], self.length("pelvis"))
        at["shoulder"] = along(at["waist"], a["chest"], self.length("chest"))
        at["head"] = along(at["shoulder"], a["neck"], self.length("neck"))
        for side in SIDES:
            elbow = along(at["shoulder"], a[f"{side}.arm"], self.length(f"{side}.arm"))
            at[f"{side}.elbow"] = elbow
            at[f"{side}.hand"] = along(elbow, a[f"{side}.forearm"], self.length(f"{side}.forearm"))
            knee = along(self.hip, a[f"{side}.thigh"], self.length(f"{side}.thigh"))
            ankle = along(knee, a[f"{side}.shin"], self.length(f"{side}.shin"))
            at[f"{side}.knee"], at[f"{side}.ankle"] = knee, ankle
            foot = a[f"{side}.foot"]
            sole = along(ankle, foot - 90, SOLE_DROP)
            at[f"{side}.heel"] = along(sole, foot, -HEEL_BACK)
            at[f"{side}.toe"] = along(sole, foot, self.length(f"{side}.foot"))
        return at


# Which joints each segment joins, for drawing it as a rounded bar.
ENDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "pelvis": ("hip", "waist"),
        "chest": ("waist", "shoulder"),
        "neck": ("shoulder", "head"),
        **{
            f"{side}.{limb}": (f"{side}.{a}" if a not in ("hip", "shoulder") else a, f"{side}.{b}")
            for side in SIDES
            for limb, (a, b) in {
                "arm": ("shoulder", "elbow"),
                "forearm": ("elbow", "hand"),
                "thigh": ("hip", "knee"),
                "shin": ("knee", "ankle"),
                "foot": ("heel", "toe"),
            }.items()
        },
    }
)


def _turn(angle: float) -> float:
    """The signed difference of two directions folded into (-180, 180]."""
    return -((-angle + 180.0) % 360.0 - 180.0)


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction ``t`` of the way from a to b, each segment turning the short way.

    A heel resting on the floor in both poses slides along the floor in between (the knee
    found from the heel's place), where blending the angles alone would dip it through.
    """
    angles = {s: a.angles[s] + _turn(b.angles[s] - a.angles[s]) * t for s in SEGMENTS}

    def factors(x: Mapping[str, float], y: Mapping[str, float]) -> dict[str, float]:
        return {s: x.get(s, 1.0) + (y.get(s, 1.0) - x.get(s, 1.0)) * t for s in set(x) | set(y)}

    hip = _lerp(a.hip, b.hip, t)
    pose = Pose(hip, angles, factors(a.scale, b.scale), factors(a.thick, b.thick))
    ja, jb = a.joints(), b.joints()
    for side in SIDES:
        heels = ja[f"{side}.heel"], jb[f"{side}.heel"]
        if all(h[1] - WIDTH["foot"] / 2 < FLOOR_CONTACT for h in heels):
            pose = _heel_at(pose, side, _lerp(*heels, t), _bend(a, side) + _bend(b, side))
    return pose


FLOOR_CONTACT = 0.3  # inches: a heel this close to the floor rests on it


def travel(a: Pose, b: Pose, steps: int = 16) -> float:
    """How far the joint that moves most goes on the way from ``a`` to ``b``, along its
    path (in inches): the window repaints a moving figure only once it has moved by a
    visible amount, and a small move (a pelvis lifted an inch) needs far fewer frames.
    About a millisecond: worked out once per picture (``Illustration.travel``)."""
    path = [blend(a, b, k / steps).joints() for k in range(steps + 1)]
    return max(
        sum(math.dist(p[joint], q[joint]) for p, q in pairwise(path))
        for joint in path[0]
    )


def _lerp(p: Point, q: Point, t: float) -> Point:
    return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)


def _bend(pose: Pose, side: str) -> float:
    """How far the knee is bent (positive: the way knees bend)."""
    return _turn(pose.angles[f"{side}.thigh"] - pose.angles[f"{side}.shin"])


def _heel_at(pose: Pose, side: str, heel: Point, bend: float) -> Pose:
    """``pose`` with that leg's heel placed at ``heel``, the foot keeping its angle."""
    foot = pose.angles[f"{side}.foot"]
    sole = along(heel, foot, HEEL_BACK)
    ankle = along(sole, foot - 90, -SOLE_DROP)
    thigh, shin = reach(
        pose.hip,
        ankle,
        pose.length(f"{side}.thigh"),
        pose.length(f"{side}.shin"),
        +1 if bend >= 0 else -1,
    )
    return pose.with_(**{f"{side}_thigh": thigh, f"{side}_shin": shin})


def reach(
    origin: Point, target: Point, first: float, second: float, bend: int
) -> tuple[float, float]:
    """Directions of a two-segment limb from ``origin`` whose end lands on ``target``.

    ``bend`` = +1 puts the middle joint to the left of the line origin -> target (a knee
    up when the foot is to the right of the hip), -1 to its right. A target out of reach
    gets a straight limb pointing at it.
    """
    distance = math.dist(origin, target)
    base = heading(origin, target)
    if distance >= first + second:
        return base, base
    cos_a = (first**2 + distance**2 - second**2) / (2 * first * distance)
    spread = math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
    middle = along(origin, base + bend * spread, first)
    return base + bend * spread, heading(middle, target)
