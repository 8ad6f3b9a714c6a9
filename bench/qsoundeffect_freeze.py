"""The QSoundEffect freeze, reproduced: why the app's sound is a process of its own.

Runs ``tests/qsoundeffect_repro.py`` (the app's sound pattern: at every 1.5 s breath-phase
boundary the chime plays and the next cue replaces the one sounding) on a desktop's event
loop -- Qt's xcb platform on a private Xvfb -- with a private PulseAudio server, once with
two ``QSoundEffect`` objects in the GUI process (the old design) and once through the
app's sound output process (the new one), each for at most ``--seconds``.

    python bench/qsoundeffect_freeze.py [--seconds 60]

The last line is ``freeze: old_froze_after_s=<x|none> new_froze_after_s=<x|none>
new_stall_max_ms=<x>``: when each froze (the GUI loop spinning on a dead socket
notifier), and the longest event-loop stall of the new design.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

SENTENCES = (
    "Breathe in, and let your knee come a little closer.",
    "Breathe out, and lower your left foot to the floor.",
    "Stay here, breathing easily.",
    "Now the right side.",
)


def main() -> None:
    from desktop_helpers import xvfb
    from voice_helpers import pulse_null_sink

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="freeze-")))
        env = stack.enter_context(pulse_null_sink(home))
        display = stack.enter_context(xvfb())
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT),
                   XDG_STATE_HOME=str(home))  # fmt: skip
        cues = []
        for n, text in enumerate(SENTENCES):
            cue = home / f"cue{n}.wav"
            subprocess.run(["espeak-ng", "-w", str(home / "raw.wav"), text], check=True)
            subprocess.run(["sox", str(home / "raw.wav"), "-r", "22050", str(cue)], check=True)
            cues.append(str(cue))
        froze: dict[str, str] = {}
        stall = "nan"
        for design in ("old", "new"):
            began = time.monotonic()
            child = subprocess.run(
                [sys.executable, str(ROOT / "tests" / "qsoundeffect_repro.py"), design,
                 str(args.seconds), *cues],
                env=env, capture_output=True, text=True, timeout=args.seconds + 120, check=True,
            )  # fmt: skip
            took = time.monotonic() - began
            result = json.loads(child.stdout.strip().splitlines()[-1])
            frozen = result["notifier"] >= 1000
            froze[design] = f"{took:.1f}" if frozen else "none"
            verdict = ", FROZE" if frozen else ""
            print(f"{design}: {result['boundaries']} boundaries in {took:.1f} s, "
                  f"{result['notifier']} socket-notifier messages, "
                  f"longest stall {result['stall_ms']} ms{verdict}")  # fmt: skip
            if design == "new":
                stall = str(result["stall_ms"])
        print(f"freeze: old_froze_after_s={froze['old']} new_froze_after_s={froze['new']} "
              f"new_stall_max_ms={stall}")  # fmt: skip


if __name__ == "__main__":
    main()
