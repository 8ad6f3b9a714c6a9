"""Real faults for the fault suite: full and read-only folders, and root without its override.

- ``Mounts`` puts a small tmpfs (a disk that fills up) or a read-only bind mount on a test
  folder. The mounts are made in a mount namespace of the test process's own, entered once
  (``unshare(CLONE_NEWNS)``, mounts kept private), so the host never sees them; the
  threads and child processes the test starts afterwards (the voice's thread, the speech
  worker) see them like any program would. Needs CAP_SYS_ADMIN (root on CI); elsewhere the
  tests using it are skipped, saying why.
- ``no_override()`` makes folder permissions apply to the test's threads when it runs as
  root (as on CI), by dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the calling
  thread's effective capabilities (threads it starts inherit that; the permitted set is
  kept, so the capabilities come back afterwards). ``WORKER_WITHOUT_OVERRIDE`` runs the
  speech worker under ``setpriv`` without them, as a process of an ordinary user.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from stretchcoach.voice.synth import WORKER_COMMAND

CLONE_NEWNS = 0x00020000
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2
_CAPABILITY_V3 = 0x20080522
_DAC_CAPS = ("dac_override", "dac_read_search")

IS_ROOT = sys.platform.startswith("linux") and os.geteuid() == 0
WORKER_WITHOUT_OVERRIDE: tuple[str, ...] = (
    (
        "setpriv",
        f"--inh-caps={','.join('-' + c for c in _DAC_CAPS)}",
        f"--bounding-set={','.join('-' + c for c in _DAC_CAPS)}",
        *WORKER_COMMAND,
    )
    if IS_ROOT
    else WORKER_COMMAND
)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _effective_dac(enabled: bool) -> None:
    libc = _libc()
    header = _CapHeader(_CAPABILITY_V3, 0)
    data = (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget failed")
    bits = (1 << CAP_DAC_OVERRIDE) | (1 << CAP_DAC_READ_SEARCH)
    data[0].effective = data[0].effective | bits if enabled else data[0].effective & ~bits
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


@contextlib.contextmanager
def no_override() -> Iterator[None]:
    """Folder permissions apply to this thread (and the threads it starts) meanwhile."""
    if not IS_ROOT:
        yield
        return
    _effective_dac(False)
    try:
        yield
    finally:
        _effective_dac(True)


needs_setpriv = pytest.mark.skipif(
    IS_ROOT and shutil.which("setpriv") is None,
    reason="as root, needs setpriv (util-linux) to run the worker without DAC override",
)


def _enter_private_namespace() -> str:
    """Enter a mount namespace of this process's own; "" if done, else why not."""
    if not sys.platform.startswith("linux"):
        return "mount namespaces are Linux only"
    if shutil.which("mount") is None:
        return "needs the mount command (util-linux)"
    if _libc().unshare(CLONE_NEWNS) != 0:
        err = ctypes.get_errno()
        return f"cannot make a private mount namespace ({os.strerror(err)}); needs CAP_SYS_ADMIN"
    result = subprocess.run(
        ["mount", "--make-rprivate", "/"], capture_output=True, text=True, timeout=30, check=False
    )
    return "" if result.returncode == 0 else f"mount --make-rprivate failed: {result.stderr}"


class Mounts:
    """Mounts on test folders in the private namespace, undone by ``undo_all``."""

    def __init__(self) -> None:
        self._mounted: list[Path] = []

    def _mount(self, *args: str) -> None:
        subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30, check=True)

    def tmpfs(self, folder: Path, size_kib: int) -> None:
        """A fresh, empty disk of ``size_kib`` KiB at ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        self._mount("-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(folder))
        self._mounted.append(folder)

    def read_only(self, folder: Path) -> None:
        """``folder``, with what is in it, read-only (EROFS, for root too)."""
        self._mount("--bind", str(folder), str(folder))
        self._mounted.append(folder)
        self._mount("-o", "remount,bind,ro", str(folder))

    def writable(self, folder: Path) -> None:
        """Undo ``read_only``: the same folder, writable again."""
        self._mount("-o", "remount,bind,rw", str(folder))

    def undo_all(self) -> None:
        while self._mounted:
            subprocess.run(["umount", "--lazy", str(self._mounted.pop())], timeout=30, check=False)


_namespace: list[str] = []  # why there is none (one entry once tried; "" when entered)


def mounts_for_a_test() -> Iterator[Mounts]:
    """The ``mounts`` fixture (conftest): skipped, saying why, where the kernel refuses."""
    if not _namespace:
        _namespace.append(_enter_private_namespace())
    if _namespace[0]:
        pytest.skip(_namespace[0])
    made = Mounts()
    try:
        yield made
    finally:
        made.undo_all()


def fill(folder: Path) -> Path:
    """Fill the disk holding ``folder`` to its last byte; the file to delete to free it."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for block in (65536, 512, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * block):
                    pass
    finally:
        os.close(fd)
    return filler


def counting_starts(command: tuple[str, ...], log: Path) -> tuple[str, ...]:
    """``command``, appending a line to ``log`` each time it is started."""
    return ("sh", "-c", 'echo started >> "$0" && exec "$@"', str(log), *command)


def crashing_natural_worker(folder: Path) -> tuple[str, ...]:
    """The real worker, except that it crashes (as sherpa-onnx can: _Exit) loading a
    Piper voice."""
    script = folder / "crashing_worker.py"
    script.write_text(
        "import json, os, runpy, sys\n"
        "if json.loads(sys.argv[1])['engine'] == 'piper':\n"
        "    sys.stderr.write('Segmentation fault\\n'); sys.stderr.flush(); os._exit(139)\n"
        "runpy.run_module('stretchcoach.voice.worker', run_name='__main__')\n",
        encoding="utf-8",
    )
    return (sys.executable, str(script))


def starts(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def wait_for(what: str, predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll ``predicate`` (a file, a process) until it holds; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def children(pid: int) -> list[int]:
    """The child processes of ``pid``, started by any of its threads (Linux)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that just ended
            found.extend(int(child) for child in (task / "children").read_text().split())
    return found
