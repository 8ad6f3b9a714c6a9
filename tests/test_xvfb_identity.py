"""The real window tells the desktop who it is as the desktop files do, so a shell or a dock
matches it to its menu entry and icon: the X11 window class is the entry's
``StartupWMClass``, and the desktop-file hints (GNOME's ``_GTK_APPLICATION_ID``, KDE's
``_KDE_NET_WM_DESKTOP_FILE``; on Wayland, the app id) are the application id."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from configparser import ConfigParser
from pathlib import Path

import pytest
from desktop_helpers import app_environment, xvfb

from stretchcoach import resources
from stretchcoach.appid import APP_ID, DESKTOP_FILE
from stretchcoach.settings import Settings

TOOLS = ("Xvfb", "xdotool", "xprop")
pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(
        not all(shutil.which(t) for t in TOOLS),
        reason="needs Xvfb, xdotool and xprop (apt-get install xvfb xdotool x11-utils)",
    ),
]
TIMEOUT = 30.0


def test_the_window_names_its_desktop_entry(tmp_path: Path) -> None:
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str  # keys keep their case
    entry.read(resources.assets_dir() / DESKTOP_FILE, encoding="utf-8")
    with xvfb() as display:
        env = app_environment(display, tmp_path, Settings(seen_safety_note=True, mute=True))
        with (tmp_path / "app.log").open("w") as log:
            app = subprocess.Popen(
                [sys.executable, "-m", "stretchcoach"], env=env, stdout=log, stderr=log
            )
        try:
            found = subprocess.run(
                ["xdotool", "search", "--sync", "--onlyvisible", "--name", "StretchCoach"],
                env=env, capture_output=True, text=True, timeout=TIMEOUT, check=True,
            )  # fmt: skip
            window = found.stdout.split()[0]
            props = subprocess.run(
                ["xprop", "-id", window, "WM_CLASS", "_GTK_APPLICATION_ID",
                 "_KDE_NET_WM_DESKTOP_FILE"],
                env=env, capture_output=True, text=True, timeout=TIMEOUT, check=True,
            ).stdout  # fmt: skip
        finally:
            app.kill()
            app.wait(timeout=TIMEOUT)
    classes = re.search(r'^WM_CLASS\(STRING\) = "([^"]*)", "([^"]*)"$', props, re.M)
    assert classes, props
    assert classes[2] == entry["Desktop Entry"]["StartupWMClass"]
    assert f'_GTK_APPLICATION_ID(UTF8_STRING) = "{APP_ID}"' in props
    assert f'_KDE_NET_WM_DESKTOP_FILE(UTF8_STRING) = "{APP_ID}"' in props
