"""The folders take the application id's name; StretchCoach 0.1's folders move there once,
whole, and a move that cannot be made leaves the person's files where they were, in use.

Real folders throughout (the private XDG folders of ``private_user_dirs``), and real
processes for the race of two starting at once.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stretchcoach import logs, paths
from stretchcoach.appid import APP_ID

ROOT = Path(__file__).resolve().parent.parent

FOLDERS = {  # each folder's XDG base in private_user_dirs: what asks for it
    "config": paths.config_dir,
    "data": paths.data_dir,
    "cache": paths.cache_dir,
    "state": paths.state_dir,
}


def _old_files(home: Path) -> dict[str, Path]:
    """StretchCoach 0.1's folders, each with a file in it, and no new ones yet (the suite
    puts the natural voice's copy in the new cache folder; a person upgrading has none)."""
    shutil.rmtree(home / "cache" / APP_ID, ignore_errors=True)
    made = {}
    for base in FOLDERS:
        old = home / base / paths.OLD_NAME
        (old / "inner").mkdir(parents=True)
        (old / "inner" / "kept.txt").write_text(f"{base} of 0.1", encoding="utf-8")
        made[base] = old
    return made


def test_the_folders_are_named_by_the_application_id(private_user_dirs: Path) -> None:
    for base, asker in FOLDERS.items():
        assert asker() == private_user_dirs / base / APP_ID
    assert paths.log_dir() == private_user_dirs / "state" / APP_ID / "log"
    assert paths.runtime_dir() == private_user_dirs / "runtime" / APP_ID


def test_the_old_folders_move_to_the_new_names_whole_and_once(
    private_user_dirs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = _old_files(private_user_dirs)
    caplog.set_level(logging.INFO, logger=paths.__name__)
    for base, asker in FOLDERS.items():
        new = asker()
        assert new == private_user_dirs / base / APP_ID
        assert (new / "inner" / "kept.txt").read_text(encoding="utf-8") == f"{base} of 0.1"
        assert not old[base].exists()
        assert asker() == new  # asked again: the same folder, nothing more to do
    moved = [r.getMessage() for r in caplog.records if r.getMessage().startswith("moved ")]
    assert len(moved) == len(FOLDERS)


def test_an_empty_new_folder_is_replaced_by_the_old_one(private_user_dirs: Path) -> None:
    _old_files(private_user_dirs)
    (private_user_dirs / "data" / APP_ID).mkdir()  # made, then nothing written in it
    assert (paths.data_dir() / "inner" / "kept.txt").read_text() == "data of 0.1"
    assert not (private_user_dirs / "data" / paths.OLD_NAME).exists()


def test_a_new_folder_with_files_is_used_and_the_old_one_left_as_it_is(
    private_user_dirs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = _old_files(private_user_dirs)["data"]
    new = private_user_dirs / "data" / APP_ID
    new.mkdir()
    (new / "journal.sqlite3").write_text("the newer journal", encoding="utf-8")
    caplog.set_level(logging.INFO, logger=paths.__name__)
    assert paths.data_dir() == new
    assert (new / "journal.sqlite3").read_text() == "the newer journal"
    assert not (new / "inner").exists()  # nothing merged into it
    assert (old / "inner" / "kept.txt").read_text() == "data of 0.1"  # nothing lost
    assert [r.getMessage() for r in caplog.records] == [
        f"{old} is left as it is: {new} is the folder in use"
    ]


def test_a_move_that_fails_keeps_the_old_folder_in_use_and_says_why(
    private_user_dirs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = _old_files(private_user_dirs)["config"]
    blocker = private_user_dirs / "config" / APP_ID
    blocker.write_text("not a folder", encoding="utf-8")  # a rename fails onto a file
    caplog.set_level(logging.INFO, logger=paths.__name__)
    assert paths.config_dir() == old
    assert (old / "inner" / "kept.txt").read_text() == "config of 0.1"
    (warning,) = caplog.records
    assert warning.levelno == logging.WARNING
    assert warning.getMessage() == (
        f"cannot rename {old} to {blocker} (a file stands where a folder should be): "
        f"using {old} as before"
    )


def test_the_move_is_in_the_log_file_it_made_room_for(private_user_dirs: Path) -> None:
    _old_files(private_user_dirs)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        path = logs.configure(stderr_level=logging.CRITICAL)
        assert path == private_user_dirs / "state" / APP_ID / "log" / "stretchcoach.log"
        for handler in root.handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
    old, new = private_user_dirs / "state" / paths.OLD_NAME, paths.state_dir()
    assert f"moved {old} to {new} (the folder's new name)" in text
    assert (new / "inner" / "kept.txt").exists()


RACER = """
import sys, time
from pathlib import Path
from stretchcoach import paths
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.001)
print(paths.data_dir(), flush=True)
"""


def test_processes_starting_at_once_all_use_the_moved_folder(private_user_dirs: Path) -> None:
    """Each process waits for one signal file, then asks for the folder: whichever of them
    renames it, every one ends up using the new folder and the files are whole."""
    _old_files(private_user_dirs)
    go = private_user_dirs / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(go)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    go.touch()
    chosen = {racer.communicate(timeout=60)[0].strip() for racer in racers}
    assert chosen == {str(private_user_dirs / "data" / APP_ID)}
    assert all(racer.returncode == 0 for racer in racers)
    assert (private_user_dirs / "data" / APP_ID / "inner" / "kept.txt").read_text() == (
        "data of 0.1"
    )
    assert not (private_user_dirs / "data" / paths.OLD_NAME).exists()
