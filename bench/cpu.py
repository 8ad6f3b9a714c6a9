"""CPU while guiding: the app on a real X server, a breath-paced routine for 30 s, then paused.

The parent starts a fresh X server (Xvfb, 1280×800) and, when ``pulseaudio`` is installed,
a private PulseAudio daemon with a null sink, so the sound output really plays. Then it
runs the app exactly as the ``stretchcoach`` command does (``ui.app.launch``) with the
default settings (the chime on, the default pace), the safety note already read. Once
the routine's cues are made (a person's daily session: the app makes them while its list
is shown, the natural voice in about a minute; with ``--cold`` the routine starts at
once, while the speech worker makes them, as the very first session can), the child
starts the routine and skips its set-up steps (a person would press Space there) so the
time is spent in breath-paced steps; it says "running" when the first breath
starts, "paused" 30 s later when it pauses the session, and "done" 10 s after that.

Meanwhile the parent samples, every 0.25 s, the CPU time (user + system, from
``/proc/PID/stat``) of the app and of each of its child processes: the speech worker and
the sound output process. A child that has ended counts with its last sample. The figures
are CPU seconds per wall second in each window, as a percentage of one core; the app's
busiest threads while running are printed too (``/proc/PID/task``, by thread name), so
what is not the GUI thread's shows apart from it.

With ``--paints`` the child also counts paint events per widget class while running
(``QEvent.Paint`` seen by an application event filter) and prints them, so a repaint that
should not happen shows where it comes from. The count is not free: a Python filter sees
every event of the app, about a sixth of the window's CPU while guiding here (py-spy), so
the figures are measured without it unless it is asked for.

    python bench/cpu.py [--routine hip-stretch] [--running 30] [--paused 10] [--paints]
                        [--profile] [--cold]

``--profile`` also prints where the app's Python time went while running (cProfile).

The last line is ``cpu: running_pct=<x> paused_pct=<x> worker_pct=<x> output_pct=<x>``
(``worker_pct``: the speech worker over the running window).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
TICK = os.sysconf("SC_CLK_TCK")
PREPARE_TIMEOUT = 180.0  # seconds for the cues (28 s here): a voice that never ends is said

if TYPE_CHECKING:
    from stretchcoach.ui.app import App


# --- the parent: a stopwatch on /proc --------------------------------------------------


def _stat(path: Path) -> tuple[str, float]:
    """A process's or thread's name and CPU seconds (user + system) from its ``stat``."""
    name, rest = path.read_text().split(" (", 1)[1].rsplit(")", 1)
    fields = rest.split()
    return name, (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def cpu_seconds(pid: int) -> float | None:
    try:
        return _stat(Path(f"/proc/{pid}/stat"))[1]
    except OSError:
        return None


def thread_seconds(pid: int) -> Counter[str]:
    """CPU seconds of each of the process's threads, by name (``comm``; threads of one
    name, such as a pool's, add up)."""
    found: Counter[str] = Counter()
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            name, seconds = _stat(task / "stat")
        except OSError:  # a thread that has ended
            continue
        found[name] += seconds
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    for task in tasks:
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def role(pid: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "other"
    if b"voice.worker" in cmdline:
        return "worker"
    if b"output_process" in cmdline:
        return "output"
    return "other"


class Sampler:
    """The last CPU time seen of the app and of every child it started, by role."""

    def __init__(self, app: int) -> None:
        self.app = app
        self.seen: dict[int, tuple[str, float]] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        threading.Thread(target=self.run, daemon=True).start()

    def sample(self) -> None:
        with self.lock:
            for pid in [self.app, *children(self.app)]:
                seconds = cpu_seconds(pid)
                if seconds is None:
                    continue
                known = self.seen.get(pid, ("other", 0.0))[0]  # an ending process has
                name = "app" if pid == self.app else known if known != "other" else role(pid)
                self.seen[pid] = (name, seconds)  # no command line left: keep its role

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            self.sample()

    def totals(self) -> Counter[str]:
        self.sample()
        with self.lock:
            total: Counter[str] = Counter()
            for name, seconds in self.seen.values():
                total[name] += seconds
            return total


def parent(args: argparse.Namespace) -> int:
    from desktop_helpers import app_environment, xvfb

    from stretchcoach.settings import Settings

    for tool in ("Xvfb",):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed: apt-get install xvfb")
    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        base = None
        if shutil.which("pulseaudio"):
            from voice_helpers import pulse_null_sink

            base = stack.enter_context(pulse_null_sink(home))
        display = stack.enter_context(xvfb("1280x800"))
        env = app_environment(display, home, Settings(seen_safety_note=True), base)
        child = subprocess.Popen(
            [sys.executable, __file__, "--child", "--routine", args.routine,
             "--running", str(args.running), "--paused", str(args.paused),
             *(f"--{flag}" for flag in ("paints", "profile", "cold") if getattr(args, flag))],
            env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        assert child.stdout is not None
        sampler = Sampler(child.pid)
        marks: dict[str, tuple[float, Counter[str]]] = {}
        threads: dict[str, Counter[str]] = {}
        for line in child.stdout:
            word = line.strip()
            if word in ("running", "paused", "done"):
                marks[word] = (time.monotonic(), sampler.totals())
                threads[word] = thread_seconds(child.pid)
                print(f"{word}: the app's resident memory {rss_mb(child.pid):.1f} MB")
            else:
                print(word)
        status = child.wait(timeout=60)
        sampler.stopped.set()
    if status != 0 or len(marks) != 3:
        raise SystemExit(f"the app ended with {status} before the measurement was done")

    def pct(start: str, end: str, name: str) -> float:
        (t0, c0), (t1, c1) = marks[start], marks[end]
        return 100 * (c1[name] - c0[name]) / (t1 - t0)

    span = marks["paused"][0] - marks["running"][0]
    used = threads["paused"] - threads["running"]
    for name, seconds in used.most_common(6):
        print(f"the app's threads while running: {100 * seconds / span:5.2f} %  {name}")
    running, paused = pct("running", "paused", "app"), pct("paused", "done", "app")
    worker, output = pct("running", "paused", "worker"), pct("running", "paused", "output")
    print(f"output process: running {output:.2f} %, paused {pct('paused', 'done', 'output'):.2f} %")
    print(
        f"cpu: running_pct={running:.2f} paused_pct={paused:.2f} "
        f"worker_pct={worker:.2f} output_pct={output:.2f}"
    )
    return 0


# --- the child: the app, driven as a person would -------------------------------------


def once_prepared(app: App, then: Callable[[], None], *, at_once: bool) -> None:
    """Call ``then`` when the voice has made the selected routine's cues, as for a daily
    session (the app makes them while its list is shown, or the day before); ``at_once``:
    now, as a first session can (``--cold``)."""
    if at_once:
        then()
        return
    from PySide6.QtCore import QTimer

    assert app.services is not None
    voice, since = app.services.voice, time.monotonic()
    waiting = QTimer(voice, singleShot=True, interval=round(PREPARE_TIMEOUT * 1000))

    def prepared() -> None:
        voice.prepared.disconnect(prepared)
        waiting.stop()
        print(f"the routine's cues were made in {time.monotonic() - since:.1f} s", flush=True)
        then()

    def late() -> None:
        voice.prepared.disconnect(prepared)
        print(f"the routine's cues were not made in {PREPARE_TIMEOUT:.0f} s: starting", flush=True)
        then()

    voice.prepared.connect(prepared)
    waiting.timeout.connect(late)
    waiting.start()


def child(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer

    from stretchcoach.coach.states import State
    from stretchcoach.ui.app import launch

    qt, app = launch(args.routine)
    window = app.window
    paints: Counter[str] = Counter()

    class PaintCounter(QObject):
        counting = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if self.counting and event.type() == QEvent.Type.Paint:
                paints[f"{type(watched).__name__} {watched.objectName()}".strip()] += 1
            return False

    counter = PaintCounter()
    if args.paints:
        qt.installEventFilter(counter)
    profile = cProfile.Profile() if args.profile else None

    def say(word: str) -> None:
        print(word, flush=True)

    def keep_breathing() -> None:
        """Skip set-up steps (a person would press Space there) so the time is spent in
        breath-paced steps; note when the first breath starts."""
        controller = app.controller
        session = controller.session if controller else None
        if session is None:
            return
        if session.plans[session.step_index].step.is_manual:
            window.actions_.next.trigger()
        elif session.state is State.BREATHING and not counter.counting:
            counter.counting = True
            if profile:
                profile.enable()
            say("running")
            QTimer.singleShot(round(args.running * 1000), pause)

    def pause() -> None:
        watch.stop()
        counter.counting = False
        qt.removeEventFilter(counter)  # a Python filter sees every event: not while paused
        if profile:
            profile.disable()
            pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime")).print_stats(25)
        window.actions_.toggle.trigger()
        say("paused")
        QTimer.singleShot(round(args.paused * 1000), finish)

    def finish() -> None:
        say("done")
        for name, count in paints.most_common(12):
            print(f"paints while running: {count / args.running:7.1f}/s  {name}", flush=True)
        qt.quit()

    def start() -> None:
        window.actions_.start.trigger()
        watch.start(100)

    def begin() -> None:
        app.ready()
        once_prepared(app, start, at_once=args.cold)

    watch = QTimer()
    watch.timeout.connect(keep_breathing)
    window.first_painted.connect(lambda: QTimer.singleShot(500, begin))
    return qt.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", default="hip-stretch")
    parser.add_argument("--running", type=float, default=30.0)
    parser.add_argument("--paused", type=float, default=10.0)
    parser.add_argument("--paints", action="store_true", help="count paints per widget")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return child(args) if args.child else parent(args)


if __name__ == "__main__":
    raise SystemExit(main())
