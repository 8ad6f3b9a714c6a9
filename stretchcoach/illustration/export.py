"""The generated files under assets/: every picture as SVG, and the app icon.

One function lists them all with their text, so the script that writes them and the test
that checks the committed files are current cannot disagree about what belongs there.
"""

from __future__ import annotations

from stretchcoach.illustration import draw, poses, style
from stretchcoach.illustration.catalog import ILLUSTRATIONS
from stretchcoach.illustration.primitives import Box, Frame, Ink, Line, Scene
from stretchcoach.illustration.svg import to_svg

ICON = "icons/stretchcoach.svg"
ICON_TILE = "#e6edf3"  # a pale tile, so the mid-tone figure shows on any panel or dock


def icon() -> Scene:
    """The knee hug on a rounded tile: a compact pose that reads as a stretch even at
    16 pixels, with the moving leg in the moving colour."""
    leg = frozenset({"far.thigh", "far.shin", "far.foot"})
    figure = draw.figure(poses.KNEE_HUG_IN, leg, frozenset())
    left, top, right, bottom = draw.bounds(figure)
    side = max(right - left, bottom - top) * 1.16
    frame = Frame((left + right - side) / 2, (top + bottom - side) / 2, side, side)
    tile = Box(frame.x, frame.y, side, side, side * 0.2, Ink(fill=ICON_TILE))
    floor = Line(
        ((left, 0.0), (right, 0.0)), Ink(stroke=style.FLOOR, width=style.FLOOR_INK.width * 1.6)
    )
    return Scene(frame, (tile, floor, *figure))


def svg_files() -> dict[str, str]:
    """Every generated SVG, by its path under assets/."""
    files = {
        f"illustrations/{name}.svg": to_svg(picture.still(), picture.title)
        for name, picture in ILLUSTRATIONS.items()
    }
    files[ICON] = to_svg(icon(), "StretchCoach")
    return files
