"""A desktop for end-to-end tests: an X server (Xvfb) and the app's environment on it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from stretchcoach.appid import APP_ID
from stretchcoach.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
_TASKS = Path("/proc/self/task")
_MAIN = str(os.getpid())  # the main thread's id is the process's
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _queued(threads: bool) -> dict[str, float]:
    """Seconds each thread (``threads``; else the main thread alone) has spent runnable
    but waiting for a CPU, by thread id (Linux's schedstat)."""
    waits = {}
    for task in _TASKS.iterdir() if threads else [_TASKS / _MAIN]:
        try:
            waits[task.name] = int((task / "schedstat").read_bytes().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):  # a thread that just ended
            continue
    return waits


def _stolen() -> list[float]:
    """Each CPU's steal time so far, in seconds (0 ticks outside a virtual machine)."""
    try:
        lines = Path("/proc/stat").read_text().splitlines()
    except OSError:
        return []
    return [
        int(fields[8]) / _TICKS
        for fields in (line.split() for line in lines)
        if fields[0].startswith("cpu") and fields[0] != "cpu" and len(fields) > 8
    ]


class MachineShare:
    """How much of a stall was the machine's, not the app's: what a stall probe subtracts.

    Two kinds of waiting the app cannot cause: a thread runnable but waiting for a CPU that
    other processes held (Linux's schedstat), and the virtual machine's CPUs given to
    someone else's work by its host (steal time: the whole process stops, with no
    run-queue wait and no Python stack to show for it). Steal is counted per
    CPU in 10 ms ticks; the largest of the CPUs' shares is taken, since which CPU the thread
    was on is not known.

    The thread is the main one, or with ``threads`` whichever of the process's threads
    waited longest: the GUI thread also waits for whichever thread holds Python's GIL,
    and when that thread is waiting for a CPU (three apps on two cores in the end-to-end
    runs), the GUI thread sleeps on the GIL with no wait of its own to show (CI once
    counted such a 135 ms stall, 10 ms of it the GUI thread's own wait, as the app's). A
    thread that holds the GIL while it *runs* is no wait: that stall stays the app's.
    Reading every thread's figure takes ~0.2 ms, for a probe of 10 ms or more."""

    def __init__(self, *, threads: bool = False) -> None:
        self._threads = threads
        self._queued, self._stolen = _queued(threads), _stolen()

    def since_last(self) -> float:
        """Milliseconds the machine took since the last call (or since made)."""
        queued, stolen = _queued(self._threads), _stolen()
        steal = max((b - a for a, b in zip(self._stolen, stolen, strict=False)), default=0.0)
        # a thread started since waited all its waiting since
        waited = max((q - self._queued.get(tid, 0.0) for tid, q in queued.items()), default=0.0)
        self._queued, self._stolen = queued, stolen
        return (waited + steal) * 1000


@contextmanager
def xvfb(size: str = "1280x800") -> Iterator[str]:
    """A fresh X server on a free display (``:N``), stopped afterwards.

    ``-noreset``: by default an X server resets when its last client leaves, and refuses
    connections meanwhile; a test polling with ``xdotool`` is often that last client, and
    an app connecting during the reset fails to start ("could not connect to display"),
    which under load happened about once in fifty launches."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp",
         "-noreset"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as ready:
        number = ready.readline().strip()  # written once the server accepts connections
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _link_voice_copies(folder: Path) -> None:
    """The natural voice's copy for sherpa-onnx, as a person's second start finds it (made
    once by the suite, ``conftest.converted_voice``, in this process's cache folder): each
    app would otherwise copy and hash 63 MB as it starts, which the tests of the copy
    itself cover."""
    made = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / APP_ID / "voices"
    if not made.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for copy in made.iterdir():
        with suppress(FileExistsError):
            (folder / copy.name).hardlink_to(copy)


def app_environment(
    display: str, home: Path, settings: Settings | None, base: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of the app run by a person on ``display``, with private XDG folders
    under ``home`` and ``settings`` saved in them (None: a first run, no settings file).
    ``base`` is the environment to start from (e.g. one pointing at a PulseAudio daemon);
    without it, the test's own, with a private runtime folder (so no sound server)."""
    env = {
        k: v
        for k, v in (base or os.environ).items()
        if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "QT_LOGGING_RULES")
    }
    env.update(DISPLAY=display, PYTHONPATH=str(ROOT))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = home / var.lower()
        folder.mkdir(mode=0o700, exist_ok=True)
        env[var] = str(folder)
    if base is None:  # no sound server of the test's: a runtime folder of its own
        runtime = home / "xdg_runtime_dir"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env["XDG_RUNTIME_DIR"] = str(runtime)
    _link_voice_copies(home / "xdg_cache_home" / APP_ID / "voices")
    if settings is not None:
        config = home / "xdg_config_home" / APP_ID
        config.mkdir(exist_ok=True)
        (config / "settings.json").write_text(settings.model_dump_json(), encoding="utf-8")
    return env
