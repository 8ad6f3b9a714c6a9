"""``stretchcoach install-desktop`` and ``--uninstall``, run for real into the test's own
data folder: the files, their content and names, the installed entry validated and
launched by GLib, nothing rewritten a second time, the old names cleaned up, the caches
that exist refreshed (and none created), and exactly what was installed removed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from dbus_helpers import wait_for
from reminder_helpers import Home

from stretchcoach import resources
from stretchcoach.appid import APP_ID

ASSETS = resources.assets_dir()
SIZES = sorted(int(p.stem.split("-")[1]) for p in (ASSETS / "icons").glob("stretchcoach-*.png"))
ENTRY = f"applications/{APP_ID}.desktop"
INSTALLED = {
    ENTRY,
    f"metainfo/{APP_ID}.metainfo.xml",
    f"icons/hicolor/scalable/apps/{APP_ID}.svg",
    *(f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in SIZES),
}
STANDARD_FOLDERS = {"applications", "metainfo", "icons", "icons/hicolor"}


@pytest.fixture
def home(private_user_dirs: Path) -> Home:
    return Home(private_user_dirs)


def _tree(data: Path) -> tuple[set[str], set[str]]:
    """The files and the folders under ``data``, relative."""
    files = {str(p.relative_to(data)) for p in data.rglob("*") if not p.is_dir()}
    folders = {str(p.relative_to(data)) for p in data.rglob("*") if p.is_dir()}
    return files, folders


def _stamps(data: Path) -> dict[str, int]:
    return {str(p.relative_to(data)): p.stat().st_mtime_ns for p in data.rglob("*")}


def test_installs_the_entry_icons_and_metainfo_starting_this_copy(home: Home) -> None:
    result = home.run("install-desktop")
    assert result.returncode == 0, result.stderr
    assert f"StretchCoach is in your menu; it starts {home.command}." in result.stdout
    files, _folders = _tree(home.data)
    assert files == INSTALLED
    entry = home.data / ENTRY
    text = entry.read_text(encoding="utf-8")
    assert f'\nExec="{home.command}"\n' in text.replace("\\\\", "\\")
    assert f"\nTryExec={home.command}\n" in text
    valid = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
    )
    assert valid.returncode == 0 and not valid.stdout.strip(), valid.stdout
    for n in SIZES:
        installed = home.data / f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png"
        assert installed.read_bytes() == (ASSETS / "icons" / f"stretchcoach-{n}.png").read_bytes()
        assert installed.stat().st_mode & 0o777 == 0o644
    metainfo = home.data / f"metainfo/{APP_ID}.metainfo.xml"
    assert metainfo.read_bytes() == (ASSETS / f"{APP_ID}.metainfo.xml").read_bytes()


def test_the_installed_entry_starts_the_app(home: Home) -> None:
    if shutil.which("gio") is None:
        pytest.skip("needs gio (libglib2.0-bin)")
    assert home.run("install-desktop", "--quiet").returncode == 0
    launched = subprocess.run(
        ["gio", "launch", str(home.data / ENTRY)],
        env=home.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert launched.returncode == 0, launched.stderr
    wait_for("the window to be started", home.windows)
    assert home.windows()[0]["argv"] == []


def test_a_second_run_changes_nothing(home: Home) -> None:
    assert home.run("install-desktop").returncode == 0
    before = _stamps(home.data)
    again = home.run("install-desktop")
    assert again.returncode == 0
    assert again.stdout.startswith("StretchCoach is in your menu already; nothing changed")
    assert _stamps(home.data) == before
    assert home.run("install-desktop", "--quiet").stdout == ""


def test_a_changed_entry_is_put_right(home: Home) -> None:
    assert home.run("install-desktop").returncode == 0
    (home.data / ENTRY).write_text("[Desktop Entry]\nName=Broken\n")
    result = home.run("install-desktop")
    assert result.returncode == 0 and f"  {ENTRY}\n" in result.stdout
    assert "Name=StretchCoach" in (home.data / ENTRY).read_text()
    assert not list((home.data / "applications").glob(".*.tmp"))


def _old_install(data: Path) -> set[str]:
    """What scripts/run installed before the app id (hicolor/<N>, not <N>x<N>)."""
    old = {"applications/stretchcoach.desktop", "icons/hicolor/scalable/apps/stretchcoach.svg"}
    old |= {f"icons/hicolor/{n}/apps/stretchcoach.png" for n in SIZES}
    for name in old:
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_bytes(b"old")
    return old


def test_the_old_entry_goes_when_the_new_one_comes(home: Home) -> None:
    old = _old_install(home.data)
    result = home.run("install-desktop")
    assert result.returncode == 0
    assert "Removed the entry of an older version:" in result.stdout
    files, folders = _tree(home.data)
    assert files == INSTALLED and not old & files
    assert not {f"icons/hicolor/{n}" for n in SIZES} & folders  # the odd folders too


def test_uninstall_removes_exactly_what_was_installed(home: Home) -> None:
    other = home.data / "applications" / "someone-else.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nType=Application\nName=Else\nExec=else\n")
    theirs = home.data / "icons/hicolor/48x48/apps/someone-else.png"
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"png")
    before_files, before_folders = _tree(home.data)
    assert home.run("install-desktop").returncode == 0
    _old_install(home.data)

    removed = home.run("install-desktop", "--uninstall")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.startswith("Removed StretchCoach from your menu")
    files, folders = _tree(home.data)
    assert files == before_files
    assert folders - before_folders <= STANDARD_FOLDERS
    nothing = home.run("install-desktop", "--uninstall")
    assert nothing.stdout.startswith("Nothing to remove: StretchCoach is not in your menu")


def test_caches_that_exist_are_refreshed_and_none_is_made(home: Home) -> None:
    assert home.run("install-desktop").returncode == 0
    files, _folders = _tree(home.data)
    assert not {f for f in files if f.endswith((".cache", "mimeinfo.cache"))}
    assert home.run("install-desktop", "--uninstall").returncode == 0

    if shutil.which("gtk-update-icon-cache") is None:
        pytest.skip("needs gtk-update-icon-cache")
    hicolor = home.data / "icons" / "hicolor"
    theirs = hicolor / "48x48" / "apps" / "someone-else.png"  # another app's, cached
    theirs.parent.mkdir(parents=True)
    shutil.copy(ASSETS / "icons" / "stretchcoach-48.png", theirs)
    subprocess.run(["gtk-update-icon-cache", "-q", "-t", str(hicolor)], check=True)
    cache = hicolor / "icon-theme.cache"
    assert APP_ID.encode() not in cache.read_bytes()
    assert home.run("install-desktop").returncode == 0
    assert APP_ID.encode() in cache.read_bytes()  # else it would hide the new icon

    without_tools = {**home.env, "PATH": str(home.root / "empty")}
    assert home.run("install-desktop", "--uninstall", env=without_tools).returncode == 0
    assert cache.exists()  # left as it was: no tool to refresh it, and not ours


def test_a_folder_that_cannot_be_made_is_named(home: Home) -> None:
    (home.data / "applications").write_text("a file where the folder should be")
    result = home.run("install-desktop")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"stretchcoach: could not install the menu entry in {home.data}"
    )
    assert "Traceback" not in result.stderr
