"""The soft chime at breath-phase changes, shared by live playback and the audio export.

It marks the turn of the breath (in, out, hold) for people who prefer fewer words: with
the voice muted and the chime on, the session is guided by the chime alone. Intros, the
get-ready phase and the "Ready." on resume are not breath turns and get no chime.
"""

from __future__ import annotations

from pathlib import Path

from stretchcoach.coach.ports import PhaseKind
from stretchcoach.resources import assets_dir

CHIME_PHASES = frozenset({PhaseKind.INHALE, PhaseKind.EXHALE, PhaseKind.HOLD})


def chime_path() -> Path:
    """The chime's WAV (made by scripts/make_chime.py)."""
    return assets_dir() / "sounds" / "chime.wav"
