"""Every engine's speech made into the one clip format, at the one loudness.

Whatever an engine gives (Piper's floats at its model's rate, eSpeak's 16-bit WAV, a SAPI5
voice's own format), the cache holds 22,050 Hz mono 16-bit WAVs: the sound output and the
audio export play nothing else. And every clip is brought to the same loudness (its
speech about −20 dBFS RMS, pauses aside, its peaks kept below full scale), so that
switching between a neural and a system voice never startles someone lying with eyes
closed: the raw Piper voice is 4–5 dB quieter than eSpeak, and without a gain stage short
cues differ by several dB from long ones. The person's volume setting is applied on top,
here, for every engine alike.

Pure Python (no numpy: the natural voice's install stays small); a 3 s cue takes a few
milliseconds, a resampled one some tens.
"""

from __future__ import annotations

import math
import operator
import os
import sys
import wave
from array import array
from collections.abc import Sequence
from pathlib import Path

RATE = 22050
"""Samples per second of every clip (the mixer's and the export's rate)."""
# Part of every engine's cache key: bumped when the clips made for the same request change
# (2: eSpeak's rate can no longer be lost to its cancel; 3: every clip loudness-matched;
# 4: the loudness of the speech, its pauses left out, its isolated peaks limited).
AUDIO_REVISION = 4
TARGET_RMS = 10 ** (-20 / 20)  # −20 dBFS: where eSpeak's cues already sit
CEILING = 0.98  # the loudest sample after the gain, of full scale
LIMIT = 10 ** (6 / 20)  # a peak is limited by 6 dB at most; past that the gain gives way
LIMIT_MS = 5  # the limiter's dip in the gain, each side of a peak
SILENT_RMS = 1e-4  # below this (−80 dBFS) a "spoken" cue holds no speech
GATE_BLOCK_MS, GATE_STEP_MS = 400, 100  # BS.1770's blocks, overlapping by 75 %
ABSOLUTE_GATE = 10 ** (-70 / 10)  # a block's power below −70 dBFS: silence
RELATIVE_GATE = 10 ** (-10 / 10)  # 10 dB under the mean of the heard blocks: a pause
_TAPS = 16  # the resampler's filter length at the lower rate's Nyquist


class NoSpeech(Exception):
    """An engine's output that is not speech: empty, silent, or not numbers (NaN)."""


def read_wav(path: Path) -> tuple[array[float], int]:
    """A WAV's samples as floats in [-1, 1], mixed down to mono, and its sample rate.
    Raises ``NoSpeech`` for a file that is not a whole 8-, 16- or 32-bit PCM WAV."""
    try:
        with wave.open(str(path), "rb") as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            data = w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as err:
        raise NoSpeech(f"the engine wrote no readable WAV ({err})") from None
    codes = {1: "B", 2: "h", 4: "i"}
    if width not in codes:
        raise NoSpeech(f"the engine wrote {8 * width}-bit samples")
    ints = array(codes[width], data[: len(data) // width * width])
    if sys.byteorder == "big" and width > 1:
        ints.byteswap()
    offset, scale = (128, 128.0) if width == 1 else (0, float(1 << (8 * width - 1)))
    samples = array("f", ((x - offset) / scale for x in ints))
    if channels > 1:
        frames = len(samples) // channels
        samples = array(
            "f", (sum(samples[i * channels : (i + 1) * channels]) / channels for i in range(frames))
        )
    return samples, rate


def resample(samples: Sequence[float], rate_in: int, rate_out: int = RATE) -> Sequence[float]:
    """``samples`` at ``rate_out``: band-limited interpolation with a Blackman-windowed
    sinc filter (a 16 kHz Piper voice played at 22,050 Hz must not sound slow and low, nor
    gain a metallic edge from naive interpolation)."""
    if rate_in == rate_out or not samples:
        return samples
    cutoff = min(1.0, rate_out / rate_in)  # of the input's Nyquist frequency
    half = math.ceil(_TAPS / 2 / cutoff)
    padded = array("f", bytes(4 * half)) + array("f", samples) + array("f", bytes(4 * half))
    step = math.gcd(rate_in, rate_out)
    up, down = rate_out // step, rate_in // step
    weights: dict[int, list[float]] = {}

    def kernel(phase: int) -> list[float]:
        frac = phase / up
        taps = []
        for j in range(-half + 1, half + 1):
            u = frac - j
            w = 0.42 + 0.5 * math.cos(math.pi * u / half) + 0.08 * math.cos(2 * math.pi * u / half)
            taps.append(cutoff * _sinc(cutoff * u) * w)
        return taps

    out = array("f")
    for n in range(len(samples) * up // down):
        base, phase = divmod(n * down, up)
        taps = weights.get(phase)
        if taps is None:
            taps = weights[phase] = kernel(phase)
        out.append(sum(map(operator.mul, padded[base + 1 : base + 1 + 2 * half], taps)))
    return out


def _sinc(x: float) -> float:
    return 1.0 if x == 0 else math.sin(math.pi * x) / (math.pi * x)


def level(samples: Sequence[float], rate: int = RATE) -> tuple[float, float]:
    """(loudness, peak) of ``samples``; raises ``NoSpeech`` for output that is not speech.

    The loudness is the RMS of the speech, not of the clip: a long cue's pauses (a natural
    voice pauses at every comma) would otherwise count as quiet, and the cue be raised
    until its peaks held it back, 3–4 dB short of the others. The pauses are left out as
    ITU-R BS.1770 gates its blocks: the mean power of 400 ms blocks, 100 ms apart, those
    below −70 dBFS and then those 10 dB under the mean of the rest left out (without its
    K-weighting filter, which weighs music's bass, not one voice against another)."""
    if not samples:
        raise NoSpeech("the engine produced no sound")
    squares = array("d", map(operator.mul, samples, samples))
    rms = math.sqrt(math.fsum(squares) / len(squares))
    if math.isnan(rms) or math.isinf(rms):
        raise NoSpeech("the engine produced numbers that are not sound (NaN)")
    if rms < SILENT_RMS:
        raise NoSpeech("the engine produced silence")
    return math.sqrt(_gated_power(squares, rate)), max(map(abs, samples))


def _gated_power(squares: Sequence[float], rate: int) -> float:
    step = max(1, rate * GATE_STEP_MS // 1000)
    steps = [
        math.fsum(squares[i : i + step]) / len(squares[i : i + step])
        for i in range(0, len(squares), step)
    ]
    per_block = GATE_BLOCK_MS // GATE_STEP_MS
    blocks = [
        math.fsum(block) / len(block)
        for i in range(max(1, len(steps) - per_block + 1))
        if (block := steps[i : i + per_block])
    ]  # a clip shorter than a block is one block
    heard = [p for p in blocks if p > ABSOLUTE_GATE] or blocks
    relative = math.fsum(heard) / len(heard) * RELATIVE_GATE
    speech = [p for p in heard if p > relative]
    return math.fsum(speech) / len(speech)


def gain_for(loudness: float, peak: float, volume: float) -> float:
    """The gain that brings a clip's speech to ``TARGET_RMS``, times the person's
    ``volume``; less if its loudest peak would need more than ``LIMIT`` of limiting to stay
    under ``CEILING``."""
    return min(TARGET_RMS / loudness, LIMIT * CEILING / peak) * volume


def limited(samples: Sequence[float], gain: float) -> array[float]:
    """``samples`` times ``gain``, with every peak that would pass ``CEILING`` brought
    down to it by a short dip in the gain (a raised cosine ``LIMIT_MS`` each side), the
    way a look-ahead limiter does. A natural voice has a few isolated peaks, 20–23 dB over
    its speech (a plosive, a click), that would otherwise hold a whole 15 s cue 3 dB under
    the others; a dip of a few milliseconds is not heard, where clipping would be."""
    out = array("f", map(gain.__mul__, samples))
    half = RATE * LIMIT_MS // 1000
    shape = [0.5 + 0.5 * math.cos(math.pi * k / half) for k in range(half + 1)]  # 1 → 0
    dips: dict[int, float] = {}
    for i, x in enumerate(out):
        if abs(x) > CEILING:
            cut = 1.0 - CEILING / abs(x)
            for k in range(max(-half, -i), min(half, len(out) - 1 - i) + 1):
                dips[i + k] = max(dips.get(i + k, 0.0), cut * shape[abs(k)])
    for j, cut in dips.items():
        out[j] *= 1.0 - cut
    return out


def write_clip(path: Path, samples: Sequence[float], rate: int, volume: float) -> float:
    """Write ``samples`` (floats at ``rate``) to ``path`` as the cache's WAV format, at the
    matched loudness and ``volume``; fsync it, and return its length in seconds."""
    samples = resample(samples, rate)
    scaled = limited(samples, gain_for(*level(samples), volume))
    pcm = array("h", (int(x * 32767) for x in scaled))  # |x| <= CEILING: no overflow
    if sys.byteorder == "big":
        pcm.byteswap()
    with path.open("wb") as f:
        with wave.open(f, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(pcm.tobytes())
        f.flush()
        os.fsync(f.fileno())
    return len(pcm) / RATE
