"""The few drawing primitives every picture is made of, and the inks they are drawn in.

Coordinates here are screen-like (y grows downward) and in inches. Colours are resolved
before drawing, so the SVG writer and the on-screen painter draw exactly the same thing
and need no style logic of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from stretchcoach.illustration.pose import Point


@dataclass(frozen=True)
class Ink:
    """How a shape is painted: fill and/or outline colour, outline width, opacity."""

    fill: str | None = None
    stroke: str | None = None
    width: float = 0.0
    opacity: float = 1.0
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Line:
    """An open polyline with round caps and joins (limbs, the floor, arrow shafts)."""

    points: tuple[Point, ...]
    ink: Ink


@dataclass(frozen=True)
class Disc:
    centre: Point
    radius: float
    ink: Ink


@dataclass(frozen=True)
class Shape:
    """A closed polygon (blanket faces, arrowheads)."""

    points: tuple[Point, ...]
    ink: Ink


@dataclass(frozen=True)
class Box:
    """A rectangle with rounded corners (a pad seen from the side)."""

    x: float
    y: float
    w: float
    h: float
    radius: float
    ink: Ink


@dataclass(frozen=True)
class Label:
    """A short text; ``at`` is the centre of its baseline."""

    text: str
    at: Point
    size: float
    ink: Ink


@dataclass(frozen=True)
class Group:
    """Shapes drawn together at one opacity, so their overlaps do not darken (the ghost)."""

    items: tuple[Primitive, ...]
    opacity: float


Primitive = Line | Disc | Shape | Box | Label | Group


@dataclass(frozen=True)
class Frame:
    """The region of the picture that is shown: x, y, width, height."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Scene:
    """Everything one picture draws, back to front, and the frame around it."""

    frame: Frame
    items: tuple[Primitive, ...]
