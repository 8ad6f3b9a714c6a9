"""The files that tell a desktop who StretchCoach is: one application id in all of them,
the .desktop entry (``desktop-file-validate``), the AppStream metainfo (``appstreamcli
validate``), its releases against CHANGELOG.md, its screenshots against docs/screenshots,
and the LICENSE against pyproject.toml."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest

import stretchcoach
from stretchcoach import resources
from stretchcoach.appid import APP_ID, COMMAND, DESKTOP_FILE, DISPLAY_NAME, METAINFO_FILE

ROOT = Path(__file__).resolve().parent.parent
ASSETS = resources.assets_dir()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
METAINFO = ET.parse(ASSETS / METAINFO_FILE).getroot()
RAW = "https://raw.githubusercontent.com/stretchcoach/stretchcoach/main/"


def _entry(path: Path) -> dict[str, str]:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str  # keys keep their case
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_the_desktop_entry_is_valid_and_named_by_the_id() -> None:
    path = ASSETS / DESKTOP_FILE
    result = subprocess.run(
        ["desktop-file-validate", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    entry = _entry(path)
    assert entry["Exec"] == COMMAND and entry["Name"] == DISPLAY_NAME
    assert entry["Icon"] == APP_ID
    # Qt names the X11 window class after the application name (ui/app.py), which docks
    # without the desktop file hint (_GTK_APPLICATION_ID, set from the id) match on.
    assert entry["StartupWMClass"] == DISPLAY_NAME
    assert [p.name for p in ASSETS.glob("*.desktop")] == [DESKTOP_FILE]


def test_the_command_is_the_one_pip_installs() -> None:
    assert list(PYPROJECT["gui-scripts"]) == [COMMAND]


# --- AppStream ----------------------------------------------------------------------------

needs_appstreamcli = pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="needs appstreamcli (Debian: appstream)"
)

# What `--pedantic` may still say, and why it stays.
ACCEPTED = {
    # The id's capitals are the project's choice, as for org.gnome.TextEditor; changing
    # it now would rename every file and D-Bus name.
    "cid-contains-uppercase-letter",
    # <developer id=…><name> is how AppStream 1.0 names the developer; older validators
    # (Debian 12's 0.16) do not know the tag and only mention it.
    "unknown-tag",
    # No release yet: CHANGELOG.md has only [Unreleased] (the test below keeps the two in step).
    "releases-info-missing",
}


def _validate(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["appstreamcli", "validate", "--no-net", *options, str(ASSETS / METAINFO_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@needs_appstreamcli
def test_appstreamcli_validates_the_metainfo() -> None:
    result = _validate()
    assert result.returncode == 0, result.stdout + result.stderr


@needs_appstreamcli
def test_pedantic_validation_says_only_what_is_accepted() -> None:
    result = _validate("--pedantic")
    assert result.returncode == 0, result.stdout
    said = set(re.findall(r"^[EWIP]: \S+: ([a-z-]+)", result.stdout, re.MULTILINE))
    assert said <= ACCEPTED, result.stdout
    if "unknown-tag" in said:
        assert re.search(r"unknown-tag developer$", result.stdout, re.MULTILINE), result.stdout


def test_the_metainfo_names_the_app_as_everything_else_does() -> None:
    assert METAINFO.findtext("id") == APP_ID
    assert METAINFO.findtext("name") == DISPLAY_NAME
    launchable = METAINFO.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE and (ASSETS / DESKTOP_FILE).is_file()
    assert [b.text for b in METAINFO.iterfind("provides/binary")] == [COMMAND]
    assert METAINFO.findtext("project_license") == PYPROJECT["license"]
    assert METAINFO.findtext("metadata_license") == "CC0-1.0"
    assert METAINFO.findtext("developer/name") == PYPROJECT["authors"][0]["name"]


def _png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_each_screenshot_is_a_file_of_docs_screenshots_at_its_size() -> None:
    images = list(METAINFO.iterfind("screenshots/screenshot/image"))
    assert images
    for image in images:
        url = image.text or ""
        assert url.startswith(RAW + "docs/screenshots/"), url
        path = ROOT / url.removeprefix(RAW)
        assert path.is_file(), f"{url}: no {path.relative_to(ROOT)}"
        assert _png_size(path) == (int(image.get("width", 0)), int(image.get("height", 0)))
    defaults = METAINFO.findall("screenshots/screenshot[@type='default']")
    assert len(defaults) == 1


VERSION = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})$", re.M)


def changelog_releases(text: str) -> list[tuple[str, str]]:
    """The released versions of a Keep a Changelog file and their dates, newest first."""
    return [(m["version"], m["date"]) for m in VERSION.finditer(text)]


def test_changelog_releases_are_read_as_keep_a_changelog_writes_them() -> None:
    text = (
        "# Changelog\n\n## [Unreleased]\n\n### Added\n- more\n\n"
        "## [0.2.0] - 2027-02-01\n\n### Fixed\n- a thing\n\n## [0.1.0] - 2026-12-20\n"
        "\n[0.2.0]: https://example.org/compare/v0.1.0...v0.2.0\n"
    )
    assert changelog_releases(text) == [("0.2.0", "2027-02-01"), ("0.1.0", "2026-12-20")]


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in version.split("."))


def test_the_metainfo_lists_the_releases_of_the_changelog() -> None:
    changelog = changelog_releases((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    listed = [(r.get("version"), r.get("date")) for r in METAINFO.iterfind("releases/release")]
    assert listed == changelog  # newest first in both
    current = _numbers(stretchcoach.__version__)
    assert all(_numbers(version or "") <= current for version, _day in listed)
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


# --- the licence --------------------------------------------------------------------------


def test_the_license_file_is_the_licence_pyproject_names() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["license"] == "MIT" and PYPROJECT["license-files"] == ["LICENSE"]
    assert text.startswith("MIT License\n\nCopyright (c) ")
    holder = PYPROJECT["authors"][0]["name"]
    assert re.search(rf"^Copyright \(c\) \d{{4}} {holder}$", text, re.M)
    assert "Permission is hereby granted, free of charge" in text
