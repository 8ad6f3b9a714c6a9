"""Fault suite: the whole program under real faults.

The advice the window gives for broken routines, run as a person would paste it (from a
folder with a space in its name); a settings file that is a named pipe at the window's
start; fifty SIGKILLs of a process saving settings, and the next start.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from faults import children, wait_for

from stretchcoach import settings
from stretchcoach.paths import user_routines_dir
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.settings import Settings
from stretchcoach.ui.app import problems_notice

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``stretchcoach ARGS`` in a child process with this test's folders."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


BROKEN = "id: broken\ntitle: Broken\nsteps: 3\n"
GOOD = """\
id: mine
title: Mine
summary: Mine.
steps:
  - include: hip-stretch
"""


def test_the_windows_advice_for_broken_routines_works_when_pasted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "Application Support"  # as on macOS: a space in the path
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    folder = user_routines_dir()
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "mine.yml").write_text(GOOD, encoding="utf-8")
    notice = problems_notice(load_catalog())
    assert notice is not None
    advice = notice.splitlines()[-1].removeprefix("Check them with: ")
    assert advice.startswith("stretchcoach validate ")
    program = f"{sys.executable} -m stretchcoach"  # what ``stretchcoach`` runs
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pasted = subprocess.run(
        advice.replace("stretchcoach", program, 1),
        shell=True,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert pasted.returncode == 1, pasted.stderr  # the broken one fails the check
    assert "is a folder" not in pasted.stdout
    lines = pasted.stdout.splitlines()
    assert lines[0].startswith(f"{folder / 'broken.yaml'}:1: ")
    assert f"OK {folder / 'mine.yml'}" in lines


def test_a_named_pipe_for_a_settings_file_does_not_hang_the_window(tmp_path: Path) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    with (tmp_path / "app.log").open("w") as log:
        app = subprocess.Popen(
            [sys.executable, "-m", "stretchcoach"], env=env, stdout=log, stderr=log
        )
        try:
            wait_for("the settings to be read", path.is_file)  # (a pipe is no file)
            wait_for("the speech worker (built after the first frame)", lambda: children(app.pid))
        finally:
            app.send_signal(signal.SIGTERM)
            status = app.wait(TIMEOUT)
    assert status == 143, (tmp_path / "app.log").read_text()
    assert "Traceback" not in (tmp_path / "app.log").read_text()


def test_fifty_kills_during_saves_leave_good_settings_and_the_next_start_no_leftovers() -> None:
    saver = (
        "import sys\n"
        "from stretchcoach.settings import Settings, save\n"
        "n = 0\n"
        "while True:\n"
        "    save(Settings(rate=80 + n % 180, inhale=1.5 + n % 100 / 10))\n"
        "    n += 1\n"
        "    if n == 1:\n"
        "        print('saving', flush=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    folder = settings.settings_path().parent
    for kill in range(50):
        child = subprocess.Popen(
            [sys.executable, "-c", saver], env=env, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        assert child.stdout.readline() == "saving\n"  # it has saved once: now it saves on
        child.send_signal(signal.SIGKILL)
        child.wait(TIMEOUT)
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        raw = json.loads(settings.settings_path().read_text(encoding="utf-8"))
        assert Settings.model_validate(raw), f"kill {kill}: a bad settings file"
        assert not list(folder.glob("settings.json.corrupt-*")), f"kill {kill}"
    leftovers = list(folder.glob(".settings.json.*.tmp"))
    listed = _cli("list")  # the next start
    assert listed.returncode == 0 and listed.stderr == ""
    assert [p.name for p in folder.iterdir()] == ["settings.json"], (
        f"{len(leftovers)} leftovers before the start"
    )


@pytest.mark.parametrize(
    "command",
    [("validate", str(ROOT / "routines")), ("plan", "lower-back-relief"), ("schema",)],
)
def test_output_into_a_closed_pipe_ends_quietly(command: tuple[str, ...]) -> None:
    """``stretchcoach ... | head -1``: the reader has gone before the output is written."""
    read, write = os.pipe()
    os.close(read)  # like head, done already: every write now fails with EPIPE
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "stretchcoach", *command],
            env=env,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (141, "")
