"""A whole guided routine as one WAV, to follow with the screen off (``stretchcoach
export-audio``).

The timeline is not recomputed here: the real session runs on simulated time (the same
``simulate`` as ``stretchcoach plan``) with the real lengths of the synthesized cues, and
each cue's WAV is placed at the start of its phase, with the soft chime at each breath
turn and silence between. So the file lasts exactly what the plan says, and every cue
sits where a live session would say it. The mix is streamed block by block (a long
routine is mostly silence and never sits whole in memory) into a temporary file that is
renamed into place when complete.
"""

from __future__ import annotations

import os
import sys
import wave
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from stretchcoach.coach.plan import simulate
from stretchcoach.coach.ports import Pace, PhaseStarted
from stretchcoach.coach.timeline import Timing
from stretchcoach.paths import atomic_file
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.voice.cache import Clip, VoiceSetting
from stretchcoach.voice.chime import CHIME_PHASES, chime_path
from stretchcoach.voice.mixer import RATE, ClipError, add_clipped, read_wav
from stretchcoach.voice.synth import SpeechUnavailable, Synthesizer
from stretchcoach.voice.times import ClipTimes, cue_texts

BLOCK = RATE // 2  # samples mixed at a time
BAR = 30


class ExportError(Exception):
    """Why the export cannot be made, for the person (no traceback)."""


@dataclass(frozen=True)
class Sound:
    start: int  # sample offset in the export
    samples: array[int]

    @property
    def end(self) -> int:
        return self.start + len(self.samples)


class ProgressBar:
    """``label [#####.....]  45%`` redrawn in place on a terminal; silent otherwise."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.shown = -1
        self.live = stream.isatty()

    def update(self, done: float, total: float) -> None:
        percent = int(100 * done / total) if total else 100
        if self.live and percent != self.shown:
            self.shown = percent
            filled = BAR * percent // 100
            bar = "#" * filled + "." * (BAR - filled)
            self.stream.write(f"\r{self.label} [{bar}] {percent:3d}%")
            self.stream.flush()

    def done(self) -> None:
        if self.live:
            self.update(1, 1)
            self.stream.write("\n")


def place_sounds(
    phases: Iterable[PhaseStarted], clips: dict[str, Clip], chime: bool
) -> list[Sound]:
    """Each cue at its phase's start, and the chime at each breath turn."""
    chime_samples = read_wav(chime_path()) if chime else None
    loaded = {text: read_wav(clip.path) for text, clip in clips.items()}
    sounds = []
    for phase in phases:
        start = round(phase.start * RATE)
        if chime_samples is not None and phase.kind in CHIME_PHASES:
            sounds.append(Sound(start, chime_samples))
        if phase.cue:
            sounds.append(Sound(start, loaded[phase.cue]))
    return sorted(sounds, key=lambda s: s.start)


def mix(sounds: list[Sound], total: int, out: wave.Wave_write, bar: ProgressBar) -> None:
    """Write ``total`` samples: the sounds summed (clipped to 16 bits), silence elsewhere."""
    waiting = iter(sounds)
    upcoming = next(waiting, None)
    active: list[Sound] = []
    for begin in range(0, total, BLOCK):
        end = min(begin + BLOCK, total)
        while upcoming is not None and upcoming.start < end:
            active.append(upcoming)
            upcoming = next(waiting, None)
        active = [s for s in active if s.end > begin]
        block = array("h", bytes(2 * (end - begin)))
        covered = 0  # samples from the block's start already holding a sound
        for sound in active:
            lo, hi = max(begin, sound.start), min(end, sound.end)
            if hi <= lo:
                continue
            part = sound.samples[lo - sound.start : hi - sound.start]
            if lo - begin >= covered:  # nothing there yet: copy
                block[lo - begin : hi - begin] = part
            else:
                add_clipped(block, lo - begin, part)
            covered = max(covered, hi - begin)
        if sys.byteorder == "big":
            block.byteswap()
        out.writeframes(block.tobytes())
        bar.update(end, total)


def _check_target(out: Path) -> None:
    """Refuse, in words, a target that cannot be written (before minutes of work)."""
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name, e.g. {out / 'routine.wav'}")
    folder = out.parent if str(out.parent) else Path()
    if not folder.is_dir():
        raise ExportError(f"cannot write {out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"cannot write {out}: the folder {folder} is not writable")


def render(
    steps: Sequence[ConcreteStep],
    out: Path,
    *,
    pace: Pace,
    timing: Timing,
    setting: VoiceSetting,
    chime: bool,
    synthesizer: Synthesizer,
    progress: TextIO,
    fall_back: bool = True,
) -> float:
    """Synthesize, lay out and write the routine to ``out`` atomically; its seconds.
    Without ``fall_back``, only ``setting``'s own voice may speak (one asked for by name)."""
    _check_target(out)
    texts = cue_texts(steps, timing)
    bar = ProgressBar(progress, "Synthesizing")
    clips = {}
    for n, text in enumerate(texts, start=1):
        try:
            clips[text] = synthesizer.clip(text, setting, fall_back=fall_back)
        except SpeechUnavailable as err:
            raise ExportError(f"the voice cannot speak: {err}") from None
        bar.update(n, len(texts))
    bar.done()
    times = ClipTimes({t: c.seconds for t, c in clips.items()}, setting.rate)
    phases, seconds = simulate(steps, pace, timing, times)
    try:
        sounds = place_sounds(phases, clips, chime)
    except ClipError as err:
        raise ExportError(str(err)) from None
    with atomic_file(out) as f, wave.open(f, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        bar = ProgressBar(progress, "Rendering   ")
        mix(sounds, round(seconds * RATE), w, bar)
        bar.done()
    return seconds
