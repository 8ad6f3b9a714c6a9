"""The poses of the bundled pictures, built once and shared.

Poses that follow each other in a routine are the same objects here (the end of lowering
onto the blankets IS the resting pose the heel slide starts from), so they cannot drift
apart. Each pose is set up the way a person would describe it (hips here, feet flat
there, head on the floor) and the joint angles are solved from that.
"""

from __future__ import annotations

import math

from stretchcoach.illustration.draw import Pad
from stretchcoach.illustration.pose import (
    ANKLE_HEIGHT,
    HEAD_RADIUS,
    LENGTH,
    WIDTH,
    Point,
    Pose,
    along,
    heading,
    reach,
)

# The blankets, at real size: each folded into a pad 5 in thick and 11 in wide (the seed
# asks for 4-8 in and 10-12 in), about 30 in long. The long pad lies along the body from
# the middle of the back to under the thighs; the second lies crosswise on it, under the
# buttocks and lower back. The long pad ends under the calves, where a straightened leg
# rests on its edge with the heel on the floor.
PAD_THICKNESS = 5.0
PAD_WIDTH = 11.0
PAD_LENGTH = 27.0
STACK_HEIGHT = 2 * PAD_THICKNESS
LONG_PAD = Pad(x=-8.5, y=0.0, length=PAD_LENGTH, thickness=PAD_THICKNESS)
CROSS_PAD = Pad(x=-7.0, y=PAD_THICKNESS, length=PAD_WIDTH, thickness=PAD_THICKNESS, layers=4)
STACK = (LONG_PAD, CROSS_PAD)

FEET_X = 25.0  # where the ankles stand with the knees bent, the hips at x = 0
ON_FLOOR = {"arm": WIDTH["arm"] / 2, "forearm": WIDTH["forearm"] / 2}


def _down_to(origin: Point, height: float, length: float, toward: int) -> float:
    """The direction from ``origin`` that reaches ``height`` after ``length``, leaning
    right (toward=+1) or left (-1)."""
    drop = max(-1.0, min(1.0, (height - origin[1]) / length))
    angle = math.degrees(math.asin(drop))
    return angle if toward > 0 else 180 - angle


def _legs_flat(hip: Point, feet_x: float = FEET_X) -> dict[str, float]:
    """Both knees bent, both soles flat on the floor at ``feet_x``."""
    thigh, shin = reach(hip, (feet_x, ANKLE_HEIGHT), LENGTH["thigh"], LENGTH["shin"], +1)
    return {
        f"{side}.{k}": v
        for side in ("near", "far")
        for k, v in (("thigh", thigh), ("shin", shin), ("foot", 0.0))
    }


def _arms_on_floor(shoulder: Point) -> dict[str, float]:
    """Both arms by the sides, backs of the arms on the floor."""
    arm = _down_to(shoulder, ON_FLOOR["arm"], LENGTH["arm"], +1)
    elbow = along(shoulder, arm, LENGTH["arm"])
    forearm = _down_to(elbow, ON_FLOOR["forearm"], LENGTH["forearm"], +1)
    return {
        f"{side}.{k}": v
        for side in ("near", "far")
        for k, v in (("arm", arm), ("forearm", forearm))
    }


def _lying(hip: Point, pelvis: float) -> dict[str, float]:
    """Trunk from the hips to shoulders and head resting on the floor."""
    waist = along(hip, pelvis, LENGTH["pelvis"])
    chest = _down_to(waist, WIDTH["chest"] / 2, LENGTH["chest"], -1)
    shoulder = along(waist, chest, LENGTH["chest"])
    neck = _down_to(shoulder, HEAD_RADIUS, LENGTH["neck"], -1)
    return {"pelvis": pelvis, "chest": chest, "neck": neck, **_arms_on_floor(shoulder)}


def _hands_behind(pose: Pose, side: str) -> Pose:
    """Both hands holding the back of a thigh, just below the knee."""
    at = pose.joints()
    thigh = pose.angles[f"{side}.thigh"]
    grip = along(along(pose.hip, thigh, pose.length(f"{side}.thigh") * 0.78), thigh - 90, 3.6)
    arm, forearm = reach(at["shoulder"], grip, LENGTH["arm"], LENGTH["forearm"], -1)
    return pose.with_(near_arm=arm, near_forearm=forearm, far_arm=arm, far_forearm=forearm)


def _cross_ankle(pose: Pose) -> Pose:
    """The far ankle laid over the front of the near knee: a figure four.

    The far knee really falls out to the side; seen from the side it shows below the
    near thigh, inside the triangle of the near leg, so the far shin visibly crosses up
    over the near knee with the foot beyond. Both far segments are drawn shortened.
    """
    at = pose.joints()
    near_thigh = pose.angles["near.thigh"]
    knee = along(pose.hip, near_thigh - 30.0, LENGTH["thigh"] * 0.7)
    ankle = along(along(at["near.knee"], near_thigh, -1.0), near_thigh + 90, 3.6)
    thigh, shin = heading(pose.hip, knee), heading(knee, ankle)
    scale = {
        "far.thigh": math.dist(pose.hip, knee) / LENGTH["thigh"],
        "far.shin": math.dist(knee, ankle) / LENGTH["shin"],
    }
    crossed = pose.with_(far_thigh=thigh, far_shin=shin, far_foot=shin - 20.0)
    return Pose(crossed.hip, crossed.angles, scale)


def _straight_leg_to_floor(pose: Pose, side: str) -> Pose:
    """The leg straightened, sloping from the hip until the heel rests on the floor."""
    low, high = 0.0, 89.0
    for _ in range(40):  # bisect the slope at which the heel touches the floor
        slope = (low + high) / 2
        trial = pose.with_(
            **{f"{side}_thigh": -slope, f"{side}_shin": -slope, f"{side}_foot": 90 - slope}
        )
        heel = trial.joints()[f"{side}.heel"]
        if heel[1] - WIDTH["foot"] / 2 > 0:
            low = slope
        else:
            high = slope
    return trial


# --- lying on the floor -------------------------------------------------------------------
FLOOR_HIP = (0.0, WIDTH["pelvis"] / 2)
SUPINE_REST = Pose(FLOOR_HIP, {**_lying(FLOOR_HIP, 180.0), **_legs_flat(FLOOR_HIP)})


def _bridge() -> Pose:
    """Hips a hand's width (4 in) off the floor; shoulders and feet where they were."""
    shoulder = SUPINE_REST.joints()["shoulder"]
    torso = LENGTH["pelvis"] + LENGTH["chest"]
    rise = 4.0
    lift_y = FLOOR_HIP[1] + rise
    run = math.sqrt(torso**2 - (lift_y - shoulder[1]) ** 2)
    hip = (shoulder[0] + run, lift_y)
    line = heading(hip, shoulder)
    return Pose(hip, {**SUPINE_REST.angles, "pelvis": line, "chest": line, **_legs_flat(hip)})


BRIDGE_UP = _bridge()
KNEE_HUG_IN = _hands_behind(SUPINE_REST.with_(far_thigh=118.0, far_shin=8.0, far_foot=35.0), "far")

FIGURE_FOUR = _cross_ankle(
    Pose(FLOOR_HIP, {**SUPINE_REST.angles, **_legs_flat(FLOOR_HIP, FEET_X - 4)})
)
FIGURE_FOUR_IN = _hands_behind(
    _cross_ankle(SUPINE_REST.with_(near_thigh=112.0, near_shin=18.0, near_foot=60.0)), "near"
)

# --- on the blankets ----------------------------------------------------------------------
ARCH_HIP = (0.0, STACK_HEIGHT + WIDTH["pelvis"] / 2 + 0.1)
ARCH_REST = Pose(ARCH_HIP, {**_lying(ARCH_HIP, 186.0), **_legs_flat(ARCH_HIP)})


def _sitting() -> Pose:
    """Sitting on the end of the stack, upright, hands on the blanket beside the hips."""
    upright = ARCH_REST.with_(pelvis=100.0, chest=96.0, neck=88.0)
    shoulder = upright.joints()["shoulder"]
    hand = (ARCH_HIP[0] - 4.0, STACK_HEIGHT + WIDTH["forearm"] / 2)
    arm, forearm = reach(shoulder, hand, LENGTH["arm"], LENGTH["forearm"], -1)
    return upright.with_(near_arm=arm, near_forearm=forearm, far_arm=arm, far_forearm=forearm)


ARCH_SIT = _sitting()
ARCH_LEG_LONG = _straight_leg_to_floor(ARCH_REST, "far")


def _side_lying() -> Pose:
    """Rolled onto the side on the floor beside the blankets, facing the viewer.

    Seen from the front, the trunk shows its shoulder width (drawn thicker) and the legs
    lie one on the other: the lower (far) leg on the floor, the upper (near) leg resting on
    it. Hips and knees are bent, so the thighs point at the viewer (shortened) and the
    shins run back along the floor. The head rests on the lower arm, folded under it on
    the floor; the upper arm comes down in front of the chest, its hand on the floor,
    ready to push up. The whole body lies clear of the pads, to their left.
    """
    thick = {"pelvis": 1.4, "chest": 1.25}
    hip_y = WIDTH["pelvis"] * thick["pelvis"] / 2
    hip = (LONG_PAD.x - 29.0, hip_y)
    torso = LENGTH["pelvis"] + LENGTH["chest"]
    shoulder_y = WIDTH["chest"] * thick["chest"] / 2
    line = heading(hip, (hip[0] - torso, shoulder_y))
    shoulder = along(hip, line, torso)
    pillow_arm = _down_to(shoulder, ON_FLOOR["arm"], LENGTH["arm"], -1)
    elbow = along(shoulder, pillow_arm, LENGTH["arm"])
    head_rest = (elbow[0] + 1.0, 2 * ON_FLOOR["arm"] + HEAD_RADIUS)
    hand = (shoulder[0] + 15.0, ON_FLOOR["forearm"])
    arm, forearm = reach(shoulder, hand, LENGTH["arm"], LENGTH["forearm"], +1)
    legs: dict[str, float] = {}
    # The neck drawn a little long so the head shows apart from the broad shoulders.
    scale = {"neck": math.dist(shoulder, head_rest) / LENGTH["neck"]}
    for side, on in (("far", 0.0), ("near", 1.0)):  # the near knee and ankle on the far ones
        knee = (hip[0] + 7.0, WIDTH["thigh"] * (0.5 + on))
        ankle = (knee[0] + LENGTH["shin"], ANKLE_HEIGHT + WIDTH["shin"] * on)
        legs |= {
            f"{side}.thigh": heading(hip, knee),
            f"{side}.shin": heading(knee, ankle),
            f"{side}.foot": 0.0,
        }
        scale[f"{side}.thigh"] = math.dist(hip, knee) / LENGTH["thigh"]
        scale[f"{side}.shin"] = math.dist(knee, ankle) / LENGTH["shin"]
        scale[f"{side}.foot"] = 0.5  # the feet point at the viewer too
    angles = {
        "pelvis": line,
        "chest": line,
        "neck": heading(shoulder, head_rest),
        "far.arm": pillow_arm,
        "far.forearm": 0.0,  # folded back under the head
        "near.arm": arm,
        "near.forearm": forearm,
        **legs,
    }
    return Pose(hip, angles, scale, thick)


SIDE_LYING = _side_lying()
