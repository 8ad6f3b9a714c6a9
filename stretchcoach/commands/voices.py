"""``stretchcoach voices``: every voice there is here, one a line, and which one speaks.

Each line is the voice's id (what ``export-audio --voice`` and the ``voice`` setting
take), its engine, its language and its name; the line of the voice that would speak the
person's settings now ends with ``default``. Natural voices come first. A voice file that
cannot be used, and a voice that speaks in place of the chosen one, are said on stderr,
with the reason. Knowing which voice would speak means starting it: this takes a second
or two with the natural voice.
"""

from __future__ import annotations

from typing import TextIO

from stretchcoach.settings import load
from stretchcoach.voice.synth import Synthesizer


def list_voices(out: TextIO, err: TextIO, synthesizer: Synthesizer | None = None) -> int:
    """Print the voices; 0, or 1 when there is none (no engine works here)."""
    loaded = load()
    if loaded.notice:
        err.write(f"stretchcoach: {loaded.notice}\n")
    synth = synthesizer or Synthesizer()
    try:
        listed = synth.voices(loaded.settings.voice_setting)
    finally:
        if synthesizer is None:
            synth.close()
    rows = [(v.id, v.engine, v.language or "-", v.name) for v in listed.voices]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(4)]
    for voice, row in zip(listed.voices, rows, strict=True):
        cells = [cell.ljust(w) for cell, w in zip(row, widths, strict=True)]
        if voice.id == listed.default:
            cells.append("default")
        out.write("  ".join(cells).rstrip() + "\n")
    for problem in listed.problems:
        err.write(f"stretchcoach: {problem}\n")
    if synth.fallback:
        err.write(f"stretchcoach: {synth.fallback}\n")
    if listed.default is None:
        err.write("stretchcoach: no voice can speak here, so cues are shown, not spoken.\n")
    return 0 if rows else 1
