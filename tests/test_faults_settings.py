"""Fault suite: the person's settings under real faults.

Each test injects its fault for real: a settings file with bad values, a named pipe in
its place, and a config folder on a full disk, on a read-only mount, or without write
permission (with root's override dropped). ``test_faults_app`` has the faults that need
the whole program (the window's start, fifty SIGKILLs during saves).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from faults import Mounts, fill, no_override

from stretchcoach import settings
from stretchcoach.settings import Settings

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


def _write(content: str) -> Path:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_rescued_settings_are_saved_at_once_so_the_next_start_has_them() -> None:
    path = _write(json.dumps({"inhale": 0.1, "rate": 170, "seen_safety_note": True}))
    first = settings.load()
    assert first.notice is not None and "inhale went back to the default" in first.notice
    assert first.settings == Settings(rate=170, seen_safety_note=True)
    # The person changes nothing and closes the app; the next start:
    again = settings.load()
    assert again == settings.Loaded(Settings(rate=170, seen_safety_note=True), None)
    assert json.loads(path.read_text(encoding="utf-8"))["rate"] == 170
    (aside,) = path.parent.glob("settings.json.corrupt-*")
    assert json.loads(aside.read_text(encoding="utf-8"))["inhale"] == 0.1  # nothing lost


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ('"yes"', "mute: it should be true or false"),
        ("1", "mute: it should be true or false"),
        ("NaN", "mute: it should be true or false"),
    ],
)
def test_booleans_are_strict(value: str, said: str) -> None:
    _write(f'{{"mute": {value}, "rate": 170}}')
    loaded = settings.load()
    assert loaded.notice is not None and said in loaded.notice
    assert loaded.settings == Settings(rate=170)  # mute: the default, False


@pytest.mark.parametrize(
    ("value", "said"),
    [("NaN", "inhale: it is not a number (NaN)"), ("Infinity", "inhale: it is infinite")],
)
def test_a_number_that_is_no_number_is_called_that(value: str, said: str) -> None:
    _write(f'{{"inhale": {value}, "exhale": 7.0}}')
    loaded = settings.load()
    assert loaded.notice is not None and said in loaded.notice
    assert "less than" not in loaded.notice
    assert loaded.settings == Settings(exhale=7.0)


def test_a_named_pipe_for_a_settings_file_does_not_hang_the_start() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    os.mkfifo(path)  # nobody will ever write into it: opening it to read would wait forever
    listed = _cli("list")  # a real start: reads the settings, then lists the routines
    assert listed.returncode == 0, listed.stderr
    assert f"Your settings file {path} is a named pipe, not a settings file" in listed.stderr
    assert "lower-back-relief" in listed.stdout
    (aside,) = path.parent.glob("settings.json.corrupt-*")
    assert stat.S_ISFIFO(aside.lstat().st_mode)  # kept aside as it was
    assert stat.S_ISREG(path.stat().st_mode)  # replaced by the defaults
    assert settings.load() == settings.Loaded(Settings(), None)


def test_a_full_config_disk_is_said_in_words_and_the_settings_still_apply(
    mounts: Mounts,
) -> None:
    folder = settings.settings_path().parent
    mounts.tmpfs(folder, 64)
    settings.save(Settings(rate=170))
    fill(folder)
    with pytest.raises(OSError) as err:
        settings.save(Settings(rate=200))
    notice = settings.save_problem(err.value)
    assert notice.startswith(f"Your settings could not be saved to {settings.settings_path()}:")
    assert "the disk is full. Free some space on that disk." in notice
    assert "Errno" not in notice and ".tmp" not in notice
    assert settings.load() == settings.Loaded(Settings(rate=170), None)  # the old file, whole
    assert list(folder.glob(".settings.json.*")) == []


def test_a_read_only_config_folder_is_said_in_words(mounts: Mounts) -> None:
    folder = settings.settings_path().parent
    settings.save(Settings(rate=170))
    mounts.read_only(folder)
    with pytest.raises(OSError) as err:
        settings.save(Settings(rate=200))
    notice = settings.save_problem(err.value)
    assert f"saved to {settings.settings_path()}: the disk is read-only." in notice
    assert f"Make {folder} writable." in notice
    mounts.writable(folder)
    settings.save(Settings(rate=200))  # writable again: saved
    assert settings.load().settings.rate == 200


def test_a_config_folder_without_write_permission_is_said_in_words() -> None:
    folder = settings.settings_path().parent
    settings.save(Settings(rate=170))
    folder.chmod(0o555)
    try:
        with no_override(), pytest.raises(OSError) as err:
            settings.save(Settings(rate=200))
    finally:
        folder.chmod(0o755)
    notice = settings.save_problem(err.value)
    assert "StretchCoach is not allowed to write there." in notice
    assert "Errno" not in notice
    assert settings.load().settings.rate == 170
