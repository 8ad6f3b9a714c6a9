"""The cue and the chime in one stream: two channels of 16-bit mono PCM summed block by block.

The app plays all its sound through a single output stream (see ``stretchcoach.ui.output``)
rather than one player per sound, so the chime and the voice can never fight over the
device: each channel holds at most one sound, a new sound on a channel replaces the one
before, and stopping a channel is forgetting its samples. ``read`` hands out the next
block and says which sounds began or ended in it, which is how the output knows when a
cue really starts.

Every clip the app plays is 22,050 Hz mono 16-bit PCM (the speech worker writes that
format and the chime is made in it); ``read_wav`` refuses anything else.
"""

from __future__ import annotations

import io
import sys
import wave
from array import array
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from stretchcoach.voice import pcm
from stretchcoach.voice.cache import DamagedClip, check_named

RATE = pcm.RATE
"""Samples per second of every clip, of the live output and of the audio export."""


class Channel(StrEnum):
    VOICE = "voice"
    CHIME = "chime"


class ClipError(Exception):
    """A WAV file that cannot be played; ``str()`` says why."""


def read_wav(path: Path) -> array[int]:
    """The samples of a 22,050 Hz mono 16-bit WAV, in the machine's byte order; a clip the
    cache named with a checksum must match it (a damaged one must not be played)."""
    try:
        data = path.read_bytes()
        check_named(path, data)
        with wave.open(io.BytesIO(data), "rb") as w:
            fmt = (w.getframerate(), w.getnchannels(), w.getsampwidth())
            if fmt != (RATE, 1, 2):
                raise ClipError(
                    f"{path} is {fmt[0]} Hz, {fmt[1]} channel(s), {8 * fmt[2]}-bit; "
                    f"only {RATE} Hz mono 16-bit sound is played"
                )
            data = w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error, DamagedClip) as err:
        raise ClipError(f"{path} cannot be read as a WAV file ({err})") from None
    samples = array("h", data[: len(data) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def scaled(samples: array[int], gain: float) -> array[int]:
    """``samples`` at ``gain`` (0–1): the chime follows the volume setting this way."""
    if gain >= 1.0:
        return samples
    return array("h", (round(s * gain) for s in samples))


def add_clipped(block: array[int], at: int, part: array[int]) -> None:
    """Sum ``part`` into ``block`` from index ``at``, clipped to 16 bits."""
    for k, value in enumerate(part, start=at):
        block[k] = max(-32768, min(32767, block[k] + value))


@dataclass
class _Sound:
    samples: array[int]
    tag: int
    position: int = 0


@dataclass(frozen=True)
class Mark:
    """A sound that began (``started``) or came to its end (not ``started``) in a block."""

    channel: Channel
    tag: int
    started: bool


class Mixer:
    """Two channels, each holding the sound it is playing and how far it has got."""

    def __init__(self) -> None:
        self._sounds: dict[Channel, _Sound] = {}

    @property
    def active(self) -> bool:
        """Something is still to be played."""
        return bool(self._sounds)

    def playing(self, channel: Channel) -> bool:
        """``channel`` has a sound still to be played."""
        return channel in self._sounds

    def play(self, channel: Channel, samples: array[int], tag: int) -> None:
        """Start ``samples`` on ``channel`` with the next block, replacing what it played."""
        self._sounds[channel] = _Sound(samples, tag)

    def stop(self, channel: Channel | None = None) -> None:
        """Silence one channel, or both."""
        if channel is None:
            self._sounds.clear()
        else:
            self._sounds.pop(channel, None)

    def read(self, frames: int) -> tuple[array[int], list[Mark]]:
        """The next ``frames`` samples (fewer when every sound ends sooner) and the marks of
        the sounds that started or ended in them."""
        marks: list[Mark] = []
        length = max(
            (min(frames, len(s.samples) - s.position) for s in self._sounds.values()), default=0
        )
        block = array("h", bytes(2 * length))
        for n, (channel, sound) in enumerate(list(self._sounds.items())):
            part = sound.samples[sound.position : sound.position + length]
            if sound.position == 0:
                marks.append(Mark(channel, sound.tag, started=True))
            if n == 0:  # the block is silence so far: copy
                block[: len(part)] = part
            else:
                add_clipped(block, 0, part)
            sound.position += len(part)
            if sound.position >= len(sound.samples):
                del self._sounds[channel]
                marks.append(Mark(channel, sound.tag, started=False))
        return block, marks
