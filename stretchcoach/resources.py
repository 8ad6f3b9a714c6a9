"""Where the bundled routines and assets are.

In a wheel they are package data (``stretchcoach/routines``, ``stretchcoach/assets``), found
with ``importlib.resources`` so the app works from any folder. In a source checkout they
sit at the top of the repository, where people edit them; the checkout fallback is found
relative to this file, never to the working directory.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_PACKAGE = files("stretchcoach")
_CHECKOUT = Path(__file__).resolve().parent.parent


def _folder(name: str) -> Path:
    bundled = _PACKAGE.joinpath(name)
    if bundled.is_dir():
        return Path(str(bundled))
    return _CHECKOUT / name


def routines_dir() -> Path:
    """The folder of the bundled routine files."""
    return _folder("routines")


def assets_dir() -> Path:
    """The folder of the bundled illustrations, icon, sounds and .desktop file."""
    return _folder("assets")
