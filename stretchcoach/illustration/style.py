"""The one look of every picture: a calm palette that reads on light and dark backgrounds.

Mid-tone fills carry the shapes on a dark background, the dark outlines carry them on a
light one. On a dark screen the outlines, the measuring marks and the arrows' edges would
vanish into the background, so the window draws them light (``ON_DARK``) and the ghost of
the pose to reach more solid (``GHOST_OPACITY_ON_DARK``); the SVG files stay as they are.
Sizes are in inches of the drawn scene (the body is about 66 in tall), chosen chunky so
the picture reads from two metres away.
"""

from __future__ import annotations

from stretchcoach.illustration.primitives import Ink

OUTLINE = "#243447"
OUTLINE_WIDTH = 0.9

BODY = "#86a6c4"  # the figure: a soft blue
BODY_FAR = "#6d8cab"  # limbs on the far side, a shade deeper so near and far separate
MOVING = "#ef8a3c"  # the limb that moves: warm orange
MOVING_FAR = "#d9772f"
PAD = "#d3b07f"  # blankets: warm neutral
PAD_SHADE = "#b8935f"  # the blanket faces turned away from the light
PAD_EDGE = "#6b4f2c"
FLOOR = "#8d98a4"

GHOST = "#f5a25d"  # where the moving limb goes: the moving colour, lighter and see-through
GHOST_OPACITY = 0.45
ON_DARK = {OUTLINE: "#c5d2de"}  # colours drawn otherwise on a dark screen (not text)
GHOST_OPACITY_ON_DARK = 0.8
FLOOR_INK = Ink(stroke=FLOOR, width=1.4)
PAD_INK = Ink(fill=PAD, stroke=PAD_EDGE, width=0.8)
PAD_SHADE_INK = Ink(fill=PAD_SHADE, stroke=PAD_EDGE, width=0.8)
FOLD_INK = Ink(stroke=PAD_EDGE, width=0.45)
GUIDE_INK = Ink(stroke=OUTLINE, width=0.45, dash=(1.2, 1.0))
ARROW_OUTLINE = Ink(stroke=OUTLINE, width=3.0)
ARROW_FILL = Ink(stroke=MOVING, width=1.6)
ARROW_HEAD = Ink(fill=MOVING, stroke=OUTLINE, width=0.7)
