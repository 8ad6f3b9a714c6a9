"""The benchmarks still run: each of the four in ``bench/lightness.py`` for a short while.

No figure is judged here (the machines are shared; figures belong in
``docs/performance.md``): a benchmark that no longer runs after a change is the failure
this catches, as a refactor once broke ``bench/memory.py`` unseen.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAST_LINES = {
    "startup": r"startup: app_ms=\d+ bare_ms=\d+ ratio=[\d.]+ first_start_ms=\d+",
    "cpu": r"cpu: running_pct=[\d.]+ paused_pct=[\d.]+ worker_pct=[\d.]+ output_pct=[\d.]+",
    "memory": r"memory: rss_mb=[\d.]+ growth_mb=-?[\d.]+",
    "voice": r"voice: .*stall_max_ms=[\d.]+ .*freezes=\d+",
}


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("Xvfb"), reason="needs Xvfb")
def test_the_four_benchmarks_run_and_print_their_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "lightness.py"), "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    summary = done.stdout.strip().splitlines()[-4:]
    for line, (name, pattern) in zip(summary, LAST_LINES.items(), strict=True):
        assert re.match(pattern, line), f"{name}: {line}"
