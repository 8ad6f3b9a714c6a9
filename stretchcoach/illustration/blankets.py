"""The two pictures of the blankets alone: how to fold one into a pad, and how to stack two.

Drawn in a simple oblique view (depth recedes up and to the right) so the thickness and
width of a pad show at once. Sizes are real (inches): a blanket about 60 x 66 in folded
in half lengthwise, then fanfolded into 11 in wide pleats, gives a pad 30 in long, 11 in
wide and about 5 in thick.
"""

from __future__ import annotations

import math

from stretchcoach.illustration import style
from stretchcoach.illustration.draw import arrow
from stretchcoach.illustration.poses import PAD_LENGTH, PAD_THICKNESS, PAD_WIDTH
from stretchcoach.illustration.primitives import Box, Ink, Label, Line, Primitive, Shape

DEPTH_SCALE = 0.5
DEPTH_ANGLE = math.radians(35)
BLANKET_LONG, BLANKET_SHORT = 66.0, 2 * PAD_LENGTH
PLATE = Ink(fill="#f4f1ea", stroke=style.OUTLINE, width=0.35)
TEXT = Ink(fill=style.OUTLINE)

Vec3 = tuple[float, float, float]


class Oblique:
    """Projects (x right, y up, z away from the viewer) inches onto the page, scaled and
    placed so the point (0, 0, 0) lands at ``origin``."""

    def __init__(self, origin: tuple[float, float], scale: float) -> None:
        self.origin = origin
        self.scale = scale

    def __call__(self, x: float, y: float, z: float) -> tuple[float, float]:
        depth = z * DEPTH_SCALE
        px = x + depth * math.cos(DEPTH_ANGLE)
        py = y + depth * math.sin(DEPTH_ANGLE)
        return (self.origin[0] + px * self.scale, self.origin[1] - py * self.scale)

    def block(self, low: Vec3, size: Vec3) -> list[Primitive]:
        """A box seen from the front, top and right: front face lit, the others shaded."""
        x, y, z = low
        w, h, d = size
        p = self
        front = (p(x, y, z), p(x + w, y, z), p(x + w, y + h, z), p(x, y + h, z))
        top = (p(x, y + h, z), p(x + w, y + h, z), p(x + w, y + h, z + d), p(x, y + h, z + d))
        side = (p(x + w, y, z), p(x + w, y, z + d), p(x + w, y + h, z + d), p(x + w, y + h, z))
        return [
            Shape(side, style.PAD_SHADE_INK),
            Shape(top, style.PAD_INK),
            Shape(front, style.PAD_INK),
        ]


def _label(text: str, at: tuple[float, float], size: float = 3.4) -> list[Primitive]:
    """A text on a pale plate, legible on light and dark backgrounds alike."""
    width = len(text) * size * 0.62 + 1.6
    plate = Box(at[0] - width / 2, at[1] - size * 0.95, width, size * 1.3, size * 0.35, PLATE)
    return [plate, Label(text, at, size, TEXT)]


def _step(number: int, at: tuple[float, float]) -> list[Primitive]:
    return _label(str(number), at, 3.6)


def _zigzag(p: Oblique, low: Vec3, width: float, folds: int) -> Line:
    """The end of a fanfolded pad: the pleats stacked bottom to top."""
    x0, y0, z = low
    points = []
    for i in range(folds + 1):
        y = y0 + PAD_THICKNESS * i / folds
        x = x0 + 0.6 if i % 2 == 0 else x0 + width - 0.6
        points.append(p(x, y, z))
    return Line(tuple(points), style.FOLD_INK)


def _pleats(p: Oblique, low: Vec3, size: Vec3, folds: int) -> list[Primitive]:
    """The folded edges along the long face of a pad (its front if it runs along x,
    its right side if it runs along z)."""
    x, y, z = low
    w, h, d = size
    inset = 0.8
    lines: list[Primitive] = []
    for i in range(1, folds):
        yy = y + h * i / folds
        if w >= d:
            ends = (p(x + inset, yy, z), p(x + w - inset, yy, z))
        else:
            ends = (p(x + w, yy, z + inset), p(x + w, yy, z + d - inset))
        lines.append(Line(ends, style.FOLD_INK))
    return lines


def _pad(p: Oblique, low: Vec3, size: Vec3) -> list[Primitive]:
    """A fanfolded pad: the block, its pleat edges and the zigzag at its end."""
    x, y, z = low
    w, _, d = size
    items = p.block(low, size) + _pleats(p, low, size, 6)
    if w < d:  # runs away from the viewer: its end faces us
        items.append(_zigzag(p, low, w, 6))
    else:  # runs along x: its end is the right side, seen slanted
        items.append(_zigzag_side(p, (x + w, y, z), d, 6))
    return items


def _zigzag_side(p: Oblique, low: Vec3, depth: float, folds: int) -> Line:
    x, y0, z0 = low
    points = []
    for i in range(folds + 1):
        y = y0 + PAD_THICKNESS * i / folds
        z = z0 + 0.6 if i % 2 == 0 else z0 + depth - 0.6
        points.append(p(x, y, z))
    return Line(tuple(points), style.FOLD_INK)


def fold() -> tuple[Primitive, ...]:
    """1: a flat blanket, fold line along its length; 2: folded, pleat lines across;
    3: the fanfolded pad, its thickness and width marked."""
    items: list[Primitive] = []
    thin = 0.8
    half = BLANKET_SHORT / 2

    flat = Oblique((-44.0, -30.0), 0.5)
    items += flat.block((0, 0, 0), (BLANKET_LONG, thin, BLANKET_SHORT))
    items.append(Line((flat(0, thin, half), flat(BLANKET_LONG, thin, half)), style.GUIDE_INK))
    # The near half lifts and lays over onto the far half: an arc over the fold line.
    reach_z = half - 4
    arc = [
        flat(
            BLANKET_LONG * 0.42,
            thin + 16 * math.sin(math.pi * t),
            half - reach_z * math.cos(math.pi * t),
        )
        for t in (i / 12 for i in range(13))
    ]
    items += arrow(arc, head=2.6)
    items += _step(1, (-48.0, -34.0))

    folded = Oblique((-44.0, -4.0), 0.5)
    items += folded.block((0, 0, 0), (BLANKET_LONG, 2 * thin, half))
    for i in range(1, 6):
        x = BLANKET_LONG * i / 6
        items.append(Line((folded(x, 2 * thin, 0), folded(x, 2 * thin, half)), style.GUIDE_INK))
    items += _step(2, (-48.0, -8.0))
    items += arrow([(-22.0, -25.0), (-22.0, -12.0)], head=2.6)

    pad = Oblique((14.0, -8.0), 1.3)
    items += _pad(pad, (0, 0, 0), (PAD_WIDTH, PAD_THICKNESS, PAD_LENGTH))
    items += _step(3, (10.0, -24.0))
    items += arrow([(-5.0, -20.0), (1.0, -20.0), (8.0, -20.0)], head=2.6)

    # Dimensions: the thickness up the left edge, the width along the bottom edge.
    x_left, y_low = pad(0, 0, 0)
    x_right, _ = pad(PAD_WIDTH, 0, 0)
    _, y_high = pad(0, PAD_THICKNESS, 0)
    mark = Ink(stroke=style.OUTLINE, width=0.5)
    items.append(Line(((x_left - 2.0, y_low), (x_left - 2.0, y_high)), mark))
    items += _label("4–8 in", (x_left - 10.5, (y_low + y_high) / 2 + 1.2))
    items.append(Line(((x_left, y_low + 2.2), (x_right, y_low + 2.2)), mark))
    items += _label("10–12 in", ((x_left + x_right) / 2, y_low + 7.0))
    return tuple(items)


def stack() -> tuple[Primitive, ...]:
    """Two pads on the floor, the second crosswise on the first near its head end, its
    overhangs casting a shadow so they read as lifted."""
    p = Oblique((-22.0, 0.0), 1.35)
    floor = (p(-8, 0, -14), p(36, 0, -14), p(36, 0, 24), p(-8, 0, 24))
    items: list[Primitive] = [Shape(floor, Ink(fill=style.FLOOR, opacity=0.45))]
    cross_z = (PAD_WIDTH - PAD_LENGTH) / 2
    x0 = 1.5
    shade = Ink(fill=style.OUTLINE, opacity=0.35)
    for z0, z1 in ((cross_z, 0.0), (PAD_WIDTH, PAD_WIDTH - cross_z)):
        items.append(
            Shape(
                (p(x0, 0, z0), p(x0 + PAD_WIDTH, 0, z0), p(x0 + PAD_WIDTH, 0, z1), p(x0, 0, z1)),
                shade,
            )
        )
    items += _pad(p, (0, 0, 0), (PAD_LENGTH, PAD_THICKNESS, PAD_WIDTH))
    items += _pad(p, (x0, PAD_THICKNESS, cross_z), (PAD_WIDTH, PAD_THICKNESS, PAD_LENGTH))
    return tuple(items)
