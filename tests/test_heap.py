"""Freed C heap goes back to the system (glibc only; elsewhere the calls do nothing)."""

from __future__ import annotations

import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from stretchcoach import heap

ROOT = Path(__file__).resolve().parent.parent
glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator")


@glibc
def test_threads_can_be_told_to_share_one_arena() -> None:
    assert heap.one_arena() is True


@glibc
def test_a_trim_returns_freed_memory_below_a_block_still_in_use() -> None:
    """Blocks freed under one still in use stay resident until trimmed (glibc gives back
    only the top of its heap by itself)."""
    script = textwrap.dedent(
        """
        from stretchcoach import heap

        def rss_mb():
            with open("/proc/self/status") as status:
                line = next(line for line in status if line.startswith("VmRSS:"))
            return int(line.split()[1]) / 1024

        blocks = [bytes(range(256)) * 8 for _ in range(25_000)]  # 50 MB, past pymalloc
        pin = bytes(range(256)) * 8  # above them in the heap, still in use
        del blocks
        before = rss_mb()
        trimmed = heap.trim()
        print(trimmed, before - rss_mb(), len(pin))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    trimmed, returned_mb, _ = done.stdout.split()
    assert trimmed == "True"
    assert float(returned_mb) > 20
