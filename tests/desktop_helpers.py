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
_SCHEDSTAT = Path(f"/proc/self/task/{os.getpid()}/schedstat")  # the main thread's
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _queued() -> float:
    try:
        return int(_SCHEDSTAT.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


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

    Two kinds of waiting the app cannot cause: its main thread runnable but waiting for a
    CPU that other processes held (Linux's schedstat), and the virtual machine's CPUs given
    to someone else's work by its host (steal time: the whole process stops, with no
    run-queue wait and no Python stack to show for it). Steal is counted per
    CPU in 10 ms ticks; the largest of the CPUs' shares is taken, since which CPU the thread
    was on is not known."""

    def __init__(self) -> None:
        self._queued, self._stolen = _queued(), _stolen()

    def since_last(self) -> float:
        """Milliseconds the machine took since the last call (or since made)."""
        queued, stolen = _queued(), _stolen()
        steal = max((b - a for a, b in zip(self._stolen, stolen, strict=False)), default=0.0)
        share = (queued - self._queued) + steal
        self._queued, self._stolen = queued, stolen
        return share * 1000


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
