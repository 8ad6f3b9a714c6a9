"""Routine loading: how long the catalog takes, and the worst any file can cost.

The window needs the routine list for its first frame, so loading the bundled routines
must be quick; and a routine file comes from anywhere, so no input may take long or use
much memory. This prints:

- ``import``: a fresh process importing the catalog (pydantic and the models: paid once);
- ``catalog_first`` / ``catalog_warm``: ``load_catalog()`` in that process, first and
  again (median of 20), for the bundled routines;
- one line per hostile input (each about 1 MiB or built to be expensive): the seconds to
  reject it and the peak memory the loading allocated (tracemalloc), and the outcome.

    python bench/routines.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stretchcoach.routine.problems import RoutineError  # noqa: E402
from stretchcoach.routine.safeyaml import MAX_BYTES  # noqa: E402

MIB = MAX_BYTES


def _import_and_catalog() -> None:
    code = (
        "import time; t0 = time.perf_counter()\n"
        "from stretchcoach.routine.catalog import load_catalog\n"
        "t1 = time.perf_counter(); c = load_catalog(); t2 = time.perf_counter()\n"
        "import statistics\n"
        "warm = []\n"
        "for _ in range(20):\n"
        "    a = time.perf_counter(); load_catalog(); warm.append(time.perf_counter() - a)\n"
        "assert not c.problems, c.problems\n"
        "print(f'import_ms={(t1 - t0) * 1000:.1f} catalog_first_ms={(t2 - t1) * 1000:.1f} "
        "catalog_warm_ms={statistics.median(warm) * 1000:.1f} routines={len(c.entries)}')\n"
    )
    with tempfile.TemporaryDirectory() as home:  # no user routines: the bundled ones only
        env = {"PYTHONPATH": str(ROOT), "XDG_DATA_HOME": home, "PATH": "/usr/bin:/bin"}
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    print(result.stdout.strip())


def _hostile() -> dict[str, bytes]:
    step = (
        "  - id: s{n}\n    title: T\n    instruction: I\n    intro: I\n"
        "    illustration: illustrations/supine-rest.svg\n    manual: {{}}\n"
    )
    head = "id: big\ntitle: Big\nsummary: S\nsteps:\n"
    bomb = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        previous, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    bad_keys = "".join(f"ttile{k}: 1, " for k in range(95))
    bad_steps = "".join(f"  - {{{bad_keys}intro: x}}\n" for _ in range(99))
    many_keys = "".join(f"k{i}: {i}\n" for i in range(120_000))
    return {
        "over_1_mib": b"[" * (MIB + 1),
        "flow_nesting": b"[" * (MIB - 1),
        "block_nesting": "".join(f"{' ' * (i % 40)}k{i}:\n" for i in range(40)).encode(),
        "alias_bomb": "\n".join(bomb).encode(),
        "many_unknown_keys": many_keys.encode()[: MIB - 16],
        "many_steps": (head + "".join(step.format(n=n) for n in range(5_000))).encode()[:MIB],
        "many_bad_steps": (head + "".join(f"  - {{idd: s{n}}}\n" for n in range(6_000))).encode(),
        "many_bad_keys": (head + bad_steps).encode(),
        "long_text": (head.replace("S\n", "'" + "x" * (MIB - 200) + "'\n") + "  - 1\n").encode(),
        "binary": bytes(range(256)) * (MIB // 256),
    }


def _measure(name: str, content: bytes, folder: Path) -> None:
    from stretchcoach.routine.loader import load_file

    path = folder / f"{name}.yaml"
    path.write_bytes(content)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        load_file(path)
        outcome = "loaded"
    except RoutineError as err:
        first = err.problems[0]
        outcome = f"{len(err.problems)} problem(s), first: {first.message[:60]}"
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name}: bytes={len(content)} s={seconds:.3f} peak_mib={peak / MIB:.1f} ({outcome})")


def main() -> None:
    _import_and_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in _hostile().items():
            _measure(name, content, Path(tmp))


if __name__ == "__main__":
    main()
