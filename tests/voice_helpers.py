"""Helpers shared by the voice tests: measuring WAVs with sox, and stand-in workers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

needs_sox = pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")


def sox_stat(path: Path) -> dict[str, float]:
    """``sox FILE -n stat`` as a dict: 'Length (seconds)', 'RMS amplitude', ..."""
    result = subprocess.run(
        ["sox", str(path), "-n", "stat"], capture_output=True, text=True, timeout=60, check=True
    )
    stats = {}
    for line in result.stderr.splitlines():
        name, _, value = line.partition(":")
        if re.fullmatch(r"\s*-?[0-9.]+", value):
            stats[name.strip()] = float(value)
    return stats


def soxi(path: Path, flag: str) -> str:
    return subprocess.run(
        ["soxi", flag, str(path)], capture_output=True, text=True, timeout=60, check=True
    ).stdout.strip()


def fake_worker(tmp_path: Path, body: str) -> tuple[str, ...]:
    """A worker command running ``body`` (Python) in place of the real worker.

    ``reply(dict)`` writes a protocol line; ``requests`` iterates over incoming requests.
    """
    script = tmp_path / "fake_worker.py"
    script.write_text(
        "import json, sys, time\n"
        "def reply(m):\n    sys.stdout.write(json.dumps(m) + '\\n'); sys.stdout.flush()\n"
        "requests = (json.loads(line) for line in sys.stdin)\n" + body,
        encoding="utf-8",
    )
    return (sys.executable, str(script))


READY = "reply({'ready': True, 'engine': 'fake 1'})\n"


def routine_steps(inhale_cue: str = "Breathe in.", exhale_cue: str = "And out.") -> list[Any]:
    """A small two-sided breath step followed by a manual step, expanded."""
    from stretchcoach.routine.expand import expand
    from stretchcoach.routine.model import Routine

    routine = Routine.model_validate(
        {
            "id": "test",
            "title": "Test",
            "summary": "A test routine.",
            "steps": [
                {
                    "id": "knee-rock",
                    "title": "Knee rock",
                    "instruction": "Rock your knees.",
                    "intro": "Lie on your back.",
                    "illustration": "knee.svg",
                    "sides": "both",
                    "breaths": {
                        "cycles": 2,
                        "cues": [{"on": 1, "inhale": inhale_cue, "exhale": exhale_cue}],
                    },
                },
                {
                    "id": "roll-up",
                    "title": "Roll to sit",
                    "instruction": "Roll to your side and sit up.",
                    "intro": "Roll to your side, and press up slowly to sit.",
                    "illustration": "roll.svg",
                    "manual": {"estimate": 10},
                },
            ],
        }
    )
    return expand(routine, resolve=lambda _id: routine)
