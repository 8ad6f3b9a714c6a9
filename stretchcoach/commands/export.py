"""``stretchcoach export-audio``: a whole guided routine as one WAV, at the person's pace
and voice (``voice.export`` makes the file)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from stretchcoach.coach.timeline import format_duration
from stretchcoach.commands.plan import prepare
from stretchcoach.voice.export import ExportError, render
from stretchcoach.voice.synth import Synthesizer


def export_audio(
    routine: str,
    out: Path,
    inhale: float | None,
    exhale: float | None,
    manual_wait: float | None,
    *,
    voice: str | None = None,
    err: TextIO | None = None,
    synthesizer: Synthesizer | None = None,
) -> int:
    """The ``export-audio`` command: 0 when written, 1 with a clear message otherwise.
    ``voice`` (an id, see ``stretchcoach voices``) speaks instead of the person's choice,
    and no other voice stands in for it."""
    err = err or sys.stderr
    request = prepare("export", routine, inhale, exhale, manual_wait, err=err)
    if request is None:
        return 1
    steps, pace, timing, settings = request.steps, request.pace, request.timing, request.settings
    synth = synthesizer or Synthesizer()
    try:
        seconds = render(
            steps,
            out,
            pace=pace,
            timing=replace(timing, welcome=None),  # no keys to press in an audio file
            setting=replace(settings.voice_setting, voice=voice or settings.voice),
            chime=settings.chime,
            synthesizer=synth,
            progress=err,
            fall_back=voice is None,
        )
    except ExportError as error:
        hint = " (stretchcoach voices lists the voices)" if voice else ""
        err.write(f"stretchcoach: cannot export '{routine}': {error}{hint}\n")
        return 1
    except OSError as error:
        err.write(f"stretchcoach: cannot write {out}: {error.strerror or error}\n")
        return 1
    finally:
        if synthesizer is None:
            synth.close()
    if synth.fallback:
        err.write(f"stretchcoach: {synth.fallback}\n")
    err.write(f"Wrote {out} ({format_duration(seconds)})\n")
    return 0
