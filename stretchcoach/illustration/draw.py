"""Turning poses and props into primitives.

A figure is drawn as rounded bars, one per segment, in two passes per depth layer: first
every outline (a slightly wider dark bar), then every fill. The outlines of touching
segments then merge into one silhouette instead of crossing at each joint. Layers go back
to front: far limbs, the props, the trunk with the near limbs, then any segment a picture
brings to the front (a leg crossed over the other).

World coordinates have y up with the floor at 0; primitives are emitted with y down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from stretchcoach.illustration import style
from stretchcoach.illustration.pose import ENDS, HEAD_RADIUS, SEGMENTS, Point, Pose, kind
from stretchcoach.illustration.primitives import (
    Box,
    Disc,
    Frame,
    Group,
    Ink,
    Label,
    Line,
    Primitive,
    Shape,
)

NOSE_RADIUS = 1.3


def screen(p: Point) -> Point:
    return (p[0], -p[1])


@dataclass(frozen=True)
class Pad:
    """A folded blanket seen from the side: its left end, the height it lies at, its size."""

    x: float
    y: float
    length: float
    thickness: float
    layers: int = 3


def _fill_of(segment: str, highlight: frozenset[str]) -> str:
    far = segment.startswith("far.")
    if segment in highlight:
        return style.MOVING_FAR if far else style.MOVING
    return style.BODY_FAR if far else style.BODY


def _layer(
    pose: Pose, at: Mapping[str, Point], segments: Sequence[str], fill_of: dict[str, str]
) -> list[Primitive]:
    outline: list[Primitive] = []
    fills: list[Primitive] = []
    for seg in segments:
        a, b = (screen(at[j]) for j in ENDS[seg])
        width = pose.width(seg)
        outline.append(
            Line((a, b), Ink(stroke=style.OUTLINE, width=width + 2 * style.OUTLINE_WIDTH))
        )
        fills.append(Line((a, b), Ink(stroke=fill_of[seg], width=width)))
    if "neck" in segments:
        head = screen(at["head"])
        discs = [(head, HEAD_RADIUS)]
        if not pose.frontal:  # in profile, a nose shows which way the face looks
            face = pose.angles["chest"] - 90  # the front of the body
            discs.append((screen(_offset(at["head"], face, HEAD_RADIUS - 0.2)), NOSE_RADIUS))
        for centre, radius in discs:
            outline.append(Disc(centre, radius + style.OUTLINE_WIDTH, Ink(fill=style.OUTLINE)))
            fills.append(Disc(centre, radius, Ink(fill=fill_of["neck"])))
    return outline + fills


def _offset(p: Point, degrees: float, distance: float) -> Point:
    rad = math.radians(degrees)
    return (p[0] + math.cos(rad) * distance, p[1] + math.sin(rad) * distance)


def _depth(segment: str, raised: frozenset[str]) -> int:
    """Back to front: far limbs; trunk and near legs; the moving (or crossed) segments,
    which must show even where they pass behind the near side; near arms, whose hands
    hold a leg."""
    if segment in raised and "." in segment:  # a trunk segment stays merged with the body
        return 2
    if segment.startswith("far."):
        return 0
    return 3 if kind(segment) in ("arm", "forearm") else 1


def figure(pose: Pose, highlight: frozenset[str], front: frozenset[str]) -> list[Primitive]:
    at = pose.joints()
    fill_of = {s: _fill_of(s, highlight) for s in SEGMENTS}
    raised = highlight | front
    items: list[Primitive] = []
    for depth in range(4):
        items += _layer(pose, at, [s for s in SEGMENTS if _depth(s, raised) == depth], fill_of)
    return items


def ghost(pose: Pose, segments: frozenset[str]) -> Primitive:
    """Where the moving segments go: drawn in the moving colour, see-through."""
    at = pose.joints()
    fill_of = dict.fromkeys(SEGMENTS, style.GHOST)
    items = _layer(pose, at, [s for s in SEGMENTS if s in segments], fill_of)
    return Group(tuple(items), style.GHOST_OPACITY)


def moved(a: Pose, b: Pose, tolerance: float = 0.5) -> frozenset[str]:
    """The segments whose ends are more than ``tolerance`` inches apart between a and b."""
    ja, jb = a.joints(), b.joints()
    return frozenset(
        s for s in SEGMENTS if any(math.dist(ja[j], jb[j]) > tolerance for j in ENDS[s])
    )


def pad(p: Pad) -> list[Primitive]:
    """A pad seen from the side, with the edges of its folds."""
    top = -(p.y + p.thickness)
    items: list[Primitive] = [Box(p.x, top, p.length, p.thickness, 0.9, style.PAD_INK)]
    inset = 1.2
    for i in range(1, p.layers):
        y = top + p.thickness * i / p.layers
        items.append(Line(((p.x + inset, y), (p.x + p.length - inset, y)), style.FOLD_INK))
    return items


MIN_ARROW = 9.0  # inches: a shorter move gets a straight arrow of this length


def arrow(path: Sequence[Point], head: float = 3.2) -> list[Primitive]:
    """A thick curved arrow along ``path`` (screen coordinates), pointing at its end.

    A small move (the hips lifting a hand's width) gets a straight arrow long enough to
    see, centred on the move."""
    first, end = path[0], path[-1]
    span = math.dist(first, end)
    if span < MIN_ARROW:
        mid = ((first[0] + end[0]) / 2, (first[1] + end[1]) / 2)
        ux, uy = ((end[0] - first[0]) / span, (end[1] - first[1]) / span) if span else (0, -1)
        half = MIN_ARROW / 2
        path = [(mid[0] - ux * half, mid[1] - uy * half), (mid[0] + ux * half, mid[1] + uy * half)]
    *shaft, tip = path
    last = shaft[-1]
    length = math.dist(last, tip) or 1.0
    ux, uy = (tip[0] - last[0]) / length, (tip[1] - last[1]) / length
    base = (tip[0] - ux * head, tip[1] - uy * head)
    wing = (-uy * head * 0.62, ux * head * 0.62)
    points = (*shaft, base)
    return [
        Line(points, style.ARROW_OUTLINE),
        Line(points, style.ARROW_FILL),
        Shape(
            (tip, (base[0] + wing[0], base[1] + wing[1]), (base[0] - wing[0], base[1] - wing[1])),
            style.ARROW_HEAD,
        ),
    ]


def bounds(items: Iterable[Primitive]) -> tuple[float, float, float, float]:
    """The smallest box (left, top, right, bottom) holding every primitive."""
    xs: list[float] = []
    ys: list[float] = []

    def grow(p: Point, r: float) -> None:
        xs.extend((p[0] - r, p[0] + r))
        ys.extend((p[1] - r, p[1] + r))

    for item in items:
        if isinstance(item, Line | Shape):
            for p in item.points:
                grow(p, item.ink.width / 2)
        elif isinstance(item, Disc):
            grow(item.centre, item.radius)
        elif isinstance(item, Box):
            grow((item.x, item.y), 0)
            grow((item.x + item.w, item.y + item.h), 0)
        elif isinstance(item, Label):
            half = len(item.text) * item.size * 0.3
            grow((item.at[0] - half, item.at[1] - item.size), 0)
            grow((item.at[0] + half, item.at[1]), 0)
        else:
            left, top, right, bottom = bounds(item.items)
            grow((left, top), 0)
            grow((right, bottom), 0)
    return min(xs), min(ys), max(xs), max(ys)


# Every picture shows the same stretch of floor at the same scale, so the body is the
# same size in each one and nothing jumps when the window moves from step to step.
FRAME_W, FRAME_H = 96.0, 54.0
FLOOR_MARGIN = 4.0


def framed(content: Sequence[Primitive], on_floor: bool = True) -> Frame:
    """A frame of the common size, centred on the content, with the floor (if any)
    near its bottom."""
    left, top, right, bottom = bounds(content)
    y = FLOOR_MARGIN - FRAME_H if on_floor else (top + bottom - FRAME_H) / 2
    return Frame((left + right - FRAME_W) / 2, y, FRAME_W, FRAME_H)


def floor(frame: Frame) -> Line:
    inset = 2.0
    return Line(((frame.x + inset, 0.0), (frame.x + frame.w - inset, 0.0)), style.FLOOR_INK)
