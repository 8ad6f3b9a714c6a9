"""The four figures of "light on the machine", in one go, under the same conditions.

Runs ``startup.py``, ``cpu.py``, ``memory.py`` and ``voice.py`` one after the other (each
in a process of its own, so none inherits another's memory or threads), shows each one's
output as it comes, and ends with their four last lines together, beside the goals:

    python bench/lightness.py [--quick]

``--quick`` runs each for less time (fewer start-ups and routines, shorter sessions): for
checking that the benchmarks still run, not for figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
GOALS = {
    "startup": "ratio <= 1.5",
    "cpu": "running_pct <= 5, paused_pct ~ 0",
    "memory": "rss_mb <= 94, growth_mb <= 1",
    "voice": "stall_max_ms <= 8",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quick = {
        "startup": ["--runs", "2"],
        "cpu": ["--running", "5", "--paused", "2", "--cold"],
        "memory": ["--runs", "1", "--paused-seconds", "2", "--cues-wait", "0"],
        "voice": ["--seconds", "10"],
    }
    last: dict[str, str] = {}
    for name in GOALS:
        command = [sys.executable, str(BENCH / f"{name}.py"), *(quick[name] if args.quick else [])]
        print(f"--- {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        print(done.stdout, end="", flush=True)
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines or not lines[-1].startswith(f"{name}:"):
            print(f"{name}.py failed (exit status {done.returncode})", file=sys.stderr)
            return 1
        last[name] = lines[-1]
        print(f"--- {name}.py took {time.monotonic() - started:.0f} s", flush=True)
    print()
    for name, line in last.items():
        print(f"{line}    (goal: {GOALS[name]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
