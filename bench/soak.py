"""A long run of the whole app: does anything grow that should not?

The app is built as ``stretchcoach`` builds it (``stretchcoach.ui.app.App``: window,
illustration, breath pacer, voice with its synthesis thread and worker process), on Qt's
offscreen platform, in private folders. Sessions of the default routine run back to back
on the real event loop, its clock ``--warp`` times faster than the wall clock, each paused
and resumed once; every third session (``--rate-every``) the voice rate changes (so a new
worker starts, every cue is synthesized again and the speech cache, bounded to
``--cache-mb``, evicts). This goes on for ``--minutes`` of sessions (wall time, the waits for
a quiet voice below not counted), and at least until two samples are taken.

Recorded every ``--every`` seconds of sessions, after ``--warm-up`` (the first sessions, and
everything built on first use), once the voice has no cue left to make (a clip being written
holds a descriptor for a moment, a worker starting two threads) and the counts have settled
(the same a quarter of a second apart: CI once counted two pipes on their way out as a leak):
the process's resident memory (RSS), its open file descriptors, its threads, its child
processes (the speech worker: one at most) and those of them that are zombies nobody reaps
(still zombies half a second later), and the size of the speech cache. Threads of Qt's
global pool are counted apart ("pool"): Qt starts them for its own work (scaling images,
among others), as many as there are cores at most, and ends each after 30 s idle, so their
number comes and goes.

    python bench/soak.py [--minutes 10] [--warp 100] [--cache-mb 12] [--output real|silent]
                        [--rate-every 3] [--trace N]

``--output real`` plays through the app's sound output process into a PulseAudio null sink
(a second child process); ``--output silent`` replaces it with one that plays nothing, to
tell its share from the rest. The last line is
``soak: rss_growth_mb=<x> fds_growth=<x> threads_growth=<x> zombies=<x>`` (growth from the
end of the warm-up to the end); goals: 0, except RSS ≤ 2 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = tempfile.mkdtemp(prefix="stretchcoach-soak-")
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
    os.environ[_var] = str(Path(_HOME) / _var.lower())
    Path(os.environ[_var]).mkdir(mode=0o700)

from fake_output import SilentOutput  # noqa: E402
from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from stretchcoach import settings as settings_store  # noqa: E402
from stretchcoach.settings import Settings, SettingsStore  # noqa: E402
from stretchcoach.ui.app import App, Services  # noqa: E402
from stretchcoach.ui.audio import VoicePlayer  # noqa: E402
from stretchcoach.ui.scheduler import QtScheduler  # noqa: E402
from stretchcoach.voice.cache import SpeechCache  # noqa: E402
from stretchcoach.voice.synth import Synthesizer  # noqa: E402

RATES = (150, 175, 200, 225)
QT_POOL_THREAD = "Thread (pooled)"  # the name QThreadPool gives its threads



@dataclass(frozen=True)
class Sample:
    seconds: float
    sessions: int
    rss_mb: float
    fds: int
    threads: int
    pool: int
    children: int
    zombies: int
    cache_mb: float
    fd_targets: tuple[str, ...]  # what each descriptor is open on, to name a leak

    def row(self) -> str:
        return (
            f"{self.seconds:6.0f} s  {self.sessions:4} sessions  RSS {self.rss_mb:6.1f} MB  "
            f"fds {self.fds:3}  threads {self.threads:2}  pool {self.pool}  "
            f"children {self.children}  "
            f"zombies {self.zombies}  cache {self.cache_mb:5.1f} MB"
        )


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _thread_names() -> list[str]:
    names = []
    for task in Path("/proc/self/task").iterdir():
        try:
            names.append((task / "comm").read_text().strip())
        except FileNotFoundError:  # a thread that just ended
            continue
    return names


def _fd_targets() -> tuple[str, ...]:
    targets = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            targets.append(str(fd.readlink()))
        except FileNotFoundError:  # the one listing the folder, closed by now
            continue
    return tuple(sorted(targets))


def _children() -> list[int]:
    found = []
    for task in Path("/proc/self/task").iterdir():
        try:
            found.extend(int(pid) for pid in (task / "children").read_text().split())
        except FileNotFoundError:  # a thread that just ended
            continue
    return found


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return False


def _unreaped(children: list[int]) -> list[int]:
    """The children that have exited and that nobody reaps. One that has just exited is a
    zombie until ``Popen.wait`` notices (it polls, up to 50 ms apart; longer on a loaded
    machine), so a zombie counts only when it is one still half a second later."""
    zombies = [pid for pid in children if _is_zombie(pid)]
    if zombies:
        time.sleep(0.5)
    return [pid for pid in zombies if _is_zombie(pid)]


def _megabytes(folder: Path) -> float:
    """The size of the cache's clips (not a scratch file being written meanwhile)."""
    return sum(p.stat().st_size for p in folder.glob("[!.]*.wav")) / 1024 / 1024


def sample(seconds: float, sessions: int, cache: Path) -> Sample:
    children = _children()
    threads = _thread_names()
    pool = threads.count(QT_POOL_THREAD)
    targets = _fd_targets()
    return Sample(
        seconds=seconds,
        sessions=sessions,
        rss_mb=_rss_mb(),
        fds=len(targets),
        threads=len(threads) - pool,
        pool=pool,
        children=len(children),
        zombies=len(_unreaped(children)),
        cache_mb=_megabytes(cache) if cache.is_dir() else 0.0,
        fd_targets=targets,
    )


def wait(until: Callable[[], bool], timeout: float) -> None:
    """Run the event loop until ``until()`` holds."""
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up after {timeout:.0f} s")
        loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)


class Soak:
    """The app, built once, and a session run on it at a time."""

    voice: VoicePlayer

    def __init__(self, args: argparse.Namespace) -> None:
        fast = Settings(inhale=1.5, exhale=1.5, get_ready=0, auto_advance=5, seen_safety_note=True)
        settings_store.save(fast)
        clock = QtScheduler(warp=args.warp)
        self.cache = SpeechCache(max_bytes=round(args.cache_mb * 1024 * 1024))
        silent = args.output == "silent"

        def services(store: SettingsStore) -> Services:
            synthesizer = Synthesizer(self.cache)
            output = SilentOutput() if silent else None
            self.voice = VoicePlayer(store, synthesizer=synthesizer, output=output)
            return Services(clock, self.voice)

        self.app = App(None, services)
        self.app.show()
        self.controller = self.app.ready()
        self.sessions = 0
        self.rate_every = args.rate_every

    def session(self) -> None:
        """One session start to finish, paused and resumed half-way; every
        ``--rate-every``-th with a new voice rate (a new worker, every cue made again)."""
        window, controller = self.app.window, self.controller
        actions = window.actions_
        every = self.rate_every
        if every and self.sessions % every == 0:
            rate = RATES[self.sessions // every % len(RATES)]
            controller.update(rate=rate)
        again = window.current_screen() is window.completion
        (actions.again if again else actions.start).trigger()
        session = controller.session
        assert session is not None
        wait(lambda: session.step_index >= len(session.plans) // 2, timeout=600)
        actions.toggle.trigger()
        paused_until = time.monotonic() + 0.2
        wait(lambda: time.monotonic() > paused_until, timeout=5)
        actions.toggle.trigger()
        wait(lambda: window.current_screen() is window.completion, timeout=600)
        self.sessions += 1

    def quiet(self) -> None:
        """Wait until the voice has made every cue it was given, and the descriptors and
        threads have settled: one on its way out is no leak (a leak stays)."""
        wait(lambda: not self.voice.planner.busy, timeout=600)
        seen, due = (-1, -1), 0.0

        def settled() -> bool:  # the same counts a quarter of a second apart
            nonlocal seen, due
            if time.monotonic() < due:
                return False
            due = time.monotonic() + 0.25
            before, seen = seen, (len(_fd_targets()), len(_thread_names()))
            return seen == before and not self.voice.planner.busy

        wait(settled, timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--warp", type=float, default=100.0)
    parser.add_argument("--warm-up", type=float, default=60.0, help="seconds (default: 60)")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between samples")
    parser.add_argument(
        "--cache-mb", type=float, default=12.0, help="one rate's cues: a new rate evicts"
    )
    parser.add_argument("--output", choices=("real", "silent"), default="real")
    parser.add_argument(
        "--rate-every",
        type=int,
        default=3,
        metavar="N",
        help="sessions between voice-rate changes (default: 3; 0: never, the same clips all along)",
    )
    parser.add_argument(
        "--trace",
        type=int,
        default=0,
        metavar="N",
        help="print the N Python allocation "
        "sites that grew most after the warm-up (tracemalloc; slows the run)",
    )
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.output == "real" and shutil.which("pulseaudio"):  # a sound card to play into
            from voice_helpers import pulse_null_sink

            os.environ.update(stack.enter_context(pulse_null_sink(Path(_HOME))))
        app = QApplication(sys.argv[:1])
        soak = Soak(args)
        ran = 0.0  # seconds of sessions
        next_sample = args.warm_up
        samples: list[Sample] = []
        while ran < args.minutes * 60 or len(samples) < 2:
            began = time.monotonic()
            soak.session()
            ran += time.monotonic() - began
            if ran >= next_sample:
                soak.quiet()
                samples.append(sample(ran, soak.sessions, soak.cache.folder))
                print(samples[-1].row(), flush=True)
                next_sample += args.every
                if args.trace and len(samples) == 1:
                    tracemalloc.start(10)
                    traced = tracemalloc.take_snapshot()
        if args.trace:
            grown = tracemalloc.take_snapshot().compare_to(traced, "traceback")
            for stat in grown[: args.trace]:
                print(f"{stat.size_diff / 1024:+8.1f} KiB {stat.count_diff:+6} blocks")
                print("\n".join(f"    {line}" for line in stat.traceback.format()[-6:]))
        soak.app.close()
        app.processEvents()
        print(sample(ran, soak.sessions, soak.cache.folder).row(), "(closed)")
    leftovers = len(list(soak.cache.folder.glob(".*")))
    shutil.rmtree(_HOME, ignore_errors=True)
    first, last = samples[0], samples[-1]
    if last.fds > first.fds:  # name them (a new worker's pipes replace the old ones': no leak)
        grown = Counter(last.fd_targets) - Counter(first.fd_targets)
        for target, count in sorted(grown.items()):
            print(f"descriptors at the end not there at first: {count} on {target}")
    print(
        f"cache: at most {max(s.cache_mb for s in samples):.1f} MB of {args.cache_mb:g} MB; "
        f"children at most {max(s.children for s in samples)}; leftovers after close "
        f"{leftovers}; {soak.sessions} sessions; output {args.output}"
    )
    print(
        f"soak: rss_growth_mb={last.rss_mb - first.rss_mb:.1f} fds_growth={last.fds - first.fds} "
        f"threads_growth={last.threads - first.threads} "
        f"zombies={max(s.zombies for s in samples)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
