"""The command that starts this copy of StretchCoach, written into a desktop entry and a
systemd unit and read back by the real readers (GLib's ``gio launch``, a real systemd user
manager), and the app started from outside: a real process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbus_helpers import wait_for
from reminder_helpers import Home
from systemd_helpers import systemctl, user_manager

from stretchcoach import launch

# Every character either format treats specially, and an empty argument.
AWKWARD = [
    "plain", "two words", 'a "quoted" word', "it's", "back\\slash", "two\\\\back", "$HOME",
    "${HOME}", "100%", "%u", "back`tick", "semi;colon", ";", "", "~tilde", "(paren)", "*?",
    "<in>", "a|b&c", "#hash", "=",
]  # fmt: skip


@pytest.fixture(autouse=True)
def not_in_a_service(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("DBUS_SESSION_BUS_ADDRESS", "INVOCATION_ID", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)


def _recorder(folder: Path) -> tuple[Path, Path]:
    """A program that writes the arguments it was given to a file; the program and the file."""
    folder.mkdir(parents=True)
    record = folder / "argv.json"
    program = folder / "record args"
    program.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    program.chmod(0o755)
    return program, record


def test_glib_reads_a_desktop_exec_back_into_the_same_arguments(tmp_path: Path) -> None:
    if shutil.which("gio") is None:
        pytest.skip("needs gio (libglib2.0-bin)")
    program, record = _recorder(tmp_path / "odd $folder")
    entry = tmp_path / "check.desktop"
    entry.write_text(
        "[Desktop Entry]\nType=Application\nName=Check\n"
        f"Exec={launch.desktop_exec([str(program), *AWKWARD])}\n"
    )
    valid = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
    )
    assert valid.returncode == 0 and not valid.stdout.strip(), valid.stdout
    subprocess.run(["gio", "launch", str(entry)], check=True, timeout=60, capture_output=True)
    wait_for("the program to run", record.exists)
    wait_for("its record", lambda: record.read_text() != "")
    assert json.loads(record.read_text()) == AWKWARD


@pytest.fixture
def managed(private_user_dirs: Path) -> Iterator[dict[str, str]]:
    home = Home(private_user_dirs)
    with user_manager(home.env, home.root / "manager.log") as env:
        yield env


def test_systemd_reads_an_exec_start_back_into_the_same_arguments(
    tmp_path: Path, private_user_dirs: Path, managed: dict[str, str]
) -> None:
    program, record = _recorder(tmp_path / "odd $folder")
    units = private_user_dirs / "config" / "systemd" / "user"
    units.mkdir(parents=True)
    (units / "quoting-check.service").write_text(
        f"[Service]\nType=oneshot\nExecStart={launch.systemd_exec([str(program), *AWKWARD])}\n"
    )
    assert systemctl(managed, "daemon-reload").returncode == 0
    started = systemctl(managed, "start", "quoting-check.service")  # a oneshot: waits
    assert started.returncode == 0, started.stderr
    assert json.loads(record.read_text()) == AWKWARD


@pytest.mark.parametrize("write", [launch.desktop_exec, launch.systemd_exec])
def test_a_line_break_in_a_command_is_refused_not_written(write: object) -> None:
    assert callable(write)
    with pytest.raises(ValueError, match="control character"):
        write(["/usr/bin/stretchcoach", "two\nlines"])


def test_the_command_is_the_script_this_process_was_started_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "venv" / "bin" / "stretchcoach"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["venv/bin/stretchcoach", "install-desktop"])
    assert launch.app_command() == (str(script),)  # absolute: menus start it from anywhere

    # python -m stretchcoach: the script beside this Python, else Python itself
    monkeypatch.setattr(sys, "argv", ["/somewhere/stretchcoach/__main__.py"])
    monkeypatch.setattr(sys, "executable", str(script.parent / "python"))
    assert launch.app_command() == (str(script),)
    script.unlink()
    assert launch.app_command() == (str(script.parent / "python"), "-m", "stretchcoach")


def test_start_app_starts_it_on_its_own(
    private_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Home(private_user_dirs)
    monkeypatch.setattr(sys, "argv", [str(home.command), "remind"])
    assert launch.start_app("the-token")
    wait_for("the app to start", home.windows)
    (started,) = home.windows()
    assert (started["argv"], started["token"], started["startup_id"]) == (
        ["--start"],
        "the-token",
        "the-token",
    )


def test_start_app_says_so_when_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    gone = tmp_path / "stretchcoach"
    monkeypatch.setattr(launch, "app_command", lambda: (str(gone),))
    assert not launch.start_app(None)
    assert f"could not start StretchCoach ({gone} --start)" in caplog.text
