"""Fault suite: a short soak of the whole app, run by the benchmark that measures it.

``bench/soak.py`` builds the app as ``stretchcoach.ui.app.App`` does (so this is no
test for the Qt-free pass) and runs whole sessions back to back on an accelerated clock, with pauses
and voice-rate changes (new workers, the speech cache evicting). Over this short run,
nothing that must not grow may grow: open file descriptors, threads, zombie processes,
worker processes (one at most), the cache beyond its bound. Memory is the benchmark's
figure over ten minutes (``docs/performance.md``), never asserted here.

The sound output is the benchmark's silent one (so the one child process is the speech
worker); the sound output process is soaked by ``tests/test_desktop_e2e.py``'s runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.faults, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent


def test_a_short_soak_leaks_no_descriptor_thread_or_process() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "soak.py"),
            *("--minutes", "0.5", "--warm-up", "10", "--every", "20", "--warp", "200"),
            *("--cache-mb", "6"),
            *("--output", "silent"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    *rows, summary, last = result.stdout.splitlines()
    assert len([row for row in rows if row.endswith(" MB")]) >= 2, result.stdout  # a growth
    soak = re.fullmatch(
        r"soak: rss_growth_mb=-?[\d.]+ fds_growth=(-?\d+) threads_growth=(-?\d+) zombies=(\d+)",
        last,
    )
    assert soak is not None, last
    fds, threads, zombies = (int(n) for n in soak.groups())
    # none more at the end than after the warm-up, each counted once the voice had made
    # every cue it was given (fewer is no leak)
    assert fds <= 0 and threads <= 0 and zombies == 0, result.stdout
    cache = re.match(
        r"cache: at most ([\d.]+) MB of 6 MB; children at most (\d+); leftovers after close "
        r"(\d+);",
        summary,
    )
    assert cache is not None, summary
    assert float(cache[1]) <= 6.0 and cache[2] == "1" and cache[3] == "0", summary
