"""Shared test set-up.

- Qt runs on the offscreen platform unless a test starts its own X server (Xvfb), so no
  test needs a display; without this a Qt process with no display aborts, taking pytest
  with it.
- Every test gets private config, data, cache and runtime folders, so no test reads or
  writes the real user's settings, routines or speech cache.
- A test that leaves a thread running fails: a leaked thread is a leaked timer or worker.
- Under CI (``CI`` set), hypothesis is deterministic.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from faults import Mounts, mounts_for_a_test
from hypothesis import settings

# CI must say the same thing about the same commit: there, hypothesis replays a fixed set
# of examples (and never fails on a slow, shared machine's timing); at a developer's desk
# it keeps exploring new ones, and remembers what it found in .hypothesis/.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QtMultimedia logs this when PipeWire is absent; it says nothing about our code.
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.symbolsresolver=false")


@pytest.fixture(autouse=True)
def private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point platformdirs (XDG on Linux) at fresh folders for each test, and the session
    bus at none: a test that wants one starts its own (``dbus-run-session``), so no test
    ever reaches the desktop of whoever runs the suite."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ):
        (home / sub).mkdir(mode=0o700)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={home / 'no-bus'}")
    return home


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for t in leaked:
        t.join(timeout=2.0)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"the test left threads running: {still}"


@pytest.fixture
def mounts() -> Iterator[Mounts]:
    """Real tmpfs and read-only mounts on test folders (see ``tests/faults.py``)."""
    yield from mounts_for_a_test()


@pytest.fixture
def make(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """Builds the whole app for a window test (``app_harness.build``), closed afterwards.
    Imported here, not at the top: the Qt-free tests run where Qt cannot be imported."""
    from app_harness import build

    made: list[Any] = []
    yield partial(build, qtbot, made)
    for app in made:
        app.close()
