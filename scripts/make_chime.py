"""Writes assets/sounds/chime.wav: the soft chime played at breath-phase changes.

Generated rather than recorded so it is reproducible and free of licences: two quiet sine
partials a fifth apart (a bell's brightness without its clang), a 10 ms fade-in so it
starts without a click, and an exponential decay so it fades under the voice. Same format
as the synthesized cues (22,050 Hz, mono, 16-bit), so the audio export can mix them.

    python scripts/make_chime.py
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
SECONDS = 0.8
PEAK = 0.22  # about -13 dBFS: soft beside the voice's peaks around -2 dBFS
PARTIALS = ((660.0, 1.0), (990.0, 0.45), (1320.0, 0.15))
ATTACK = 0.010
DECAY = 0.22  # seconds for the amplitude to fall by 1/e

OUT = Path(__file__).resolve().parent.parent / "assets" / "sounds" / "chime.wav"


def samples() -> list[int]:
    total = sum(weight for _, weight in PARTIALS)
    out = []
    for n in range(int(RATE * SECONDS)):
        t = n / RATE
        envelope = min(1.0, t / ATTACK) * math.exp(-t / DECAY)
        tone = sum(w * math.sin(2 * math.pi * f * t) for f, w in PARTIALS) / total
        out.append(round(32767 * PEAK * envelope * tone))
    return out


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = samples()
    with wave.open(str(OUT), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack(f"<{len(data)}h", *data))
    print(f"wrote {OUT} ({len(data) / RATE:.2f} s)")


if __name__ == "__main__":
    main()
