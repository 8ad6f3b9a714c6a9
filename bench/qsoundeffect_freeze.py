"""The QSoundEffect freeze, reproduced: why the app's sound is a process of its own.

Runs ``tests/qsoundeffect_repro.py`` (the app's sound pattern: at every 1.5 s breath-phase
boundary the chime plays and the next cue replaces the one sounding) on a desktop's event
loop -- Qt's xcb platform on a private Xvfb -- with a private PulseAudio server, with two
``QSoundEffect`` objects in the GUI process (the old design) and through the app's sound
output process (the new one): ``--trials`` runs of each, of at most ``--seconds`` each. The
freeze is a race (about one run in three froze within 40 s here), hence the trials.

    python bench/qsoundeffect_freeze.py [--trials 5] [--seconds 40]

The last line is ``freeze: old_froze=<k>/<n> old_first_after_s=<x|none> new_froze=<k>/<n>
new_stall_max_ms=<x>``: how many runs of each froze (the GUI loop spinning on a dead socket
notifier), how soon the first old one did, and the new design's longest event-loop stall.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

SENTENCES = (
    "Breathe in, and let your knee come a little closer.",
    "Breathe out, and lower your left foot to the floor.",
    "Stay here, breathing easily.",
    "Now the right side.",
)


FLOOD = 1000  # socket-notifier messages: the loop spins, it will not recover


def attempt(design: str, seconds: float, cues: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run the pattern once; stop it as soon as Qt floods stderr with socket-notifier
    messages (it then only spins, writing some 25 MB a second)."""
    began = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "qsoundeffect_repro.py"), design, str(seconds),
         *cues],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    progress: list[dict[str, Any]] = [{"boundaries": 0, "stall_ms": 0.0}]
    assert child.stdout is not None and child.stderr is not None
    reader = threading.Thread(
        target=lambda: progress.extend(json.loads(line) for line in child.stdout or ()),
        daemon=True,
    )
    reader.start()
    notifier = 0
    for line in child.stderr:
        notifier += "QSocketNotifier" in line
        if notifier >= FLOOD:
            child.kill()
            break
    child.wait(timeout=seconds + 60)
    reader.join(timeout=10)
    return {**progress[-1], "notifier": notifier, "froze": notifier >= FLOOD,
            "seconds": time.monotonic() - began}  # fmt: skip


def main() -> None:
    from desktop_helpers import xvfb
    from voice_helpers import pulse_null_sink

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=40.0)
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
        froze: dict[str, list[float]] = {"old": [], "new": []}
        stalls: list[float] = []
        for trial in range(1, args.trials + 1):
            for design in ("old", "new"):
                result = attempt(design, args.seconds, cues, env)
                if result["froze"]:
                    froze[design].append(result["seconds"])
                if design == "new":
                    stalls.append(result["stall_ms"])
                verdict = ", FROZE" if result["froze"] else ""
                print(f"trial {trial} {design}: {result['boundaries']} boundaries in "
                      f"{result['seconds']:.1f} s, {result['notifier']} socket-notifier "
                      f"messages, longest stall {result['stall_ms']} ms{verdict}")  # fmt: skip
        first = f"{min(froze['old']):.1f}" if froze["old"] else "none"
        old, new, n = len(froze["old"]), len(froze["new"]), args.trials
        print(f"freeze: old_froze={old}/{n} old_first_after_s={first} new_froze={new}/{n} "
              f"new_stall_max_ms={max(stalls)}")  # fmt: skip

if __name__ == "__main__":
    main()
