"""The pictures of the stretches, kept as data: a posed side-view figure and its props.

``ILLUSTRATIONS`` maps each bundled picture's name to its definition; ``Illustration.scene``
turns a pose into drawing primitives, which ``svg.to_svg`` writes as a file and the
window paints directly. Pure Python: no Qt here.

``svg`` is not imported here: the window never writes SVG, and the standard library's XML
escaping it uses imports ``urllib.request``, ``http.client`` and ``ssl`` (OpenSSL's
library): 2 MB of the window's memory for nothing. Whoever writes files imports
``stretchcoach.illustration.svg`` itself.
"""

from __future__ import annotations

from stretchcoach.illustration.catalog import ILLUSTRATIONS, Illustration
from stretchcoach.illustration.pose import Pose, blend

__all__ = ["ILLUSTRATIONS", "Illustration", "Pose", "blend", "name_of"]


def name_of(reference: str) -> str:
    """``illustrations/arch-rest.svg`` (as routine files write it) -> ``arch-rest``."""
    base = reference.rpartition("/")[2]
    return base.removesuffix(".svg")
