"""One StretchCoach at a time, for real: the app on its own X server (Xvfb) and its own
session bus (``dbus_helpers.session_bus``), launched again as a person would.

What the person sees is read from the X server: which window has the keyboard
(``xdotool getwindowfocus``), and the window's title, which names the step once a routine
starts, so Space after a ``--start`` shows which routine was opened ready to start.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from dbus_helpers import session_bus, wait_for
from desktop_helpers import app_environment, xvfb

from stretchcoach.appid import APP_ID
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.settings import Settings

TOOLS = ("Xvfb", "xdotool", "xprop", "dbus-daemon", "gdbus")
pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(
        not all(shutil.which(t) for t in TOOLS),
        reason="needs Xvfb, xdotool, xprop, dbus-daemon and gdbus "
        "(apt-get install xvfb xdotool x11-utils dbus libglib2.0-bin)",
    ),
]
TIMEOUT = 60.0
ROUTINE = "daily-minimum"  # its first step is not the default routine's


def _first_step(routine: str) -> str:
    return load_catalog().find(routine).steps[0].title


def _title(routine: str) -> str:
    return load_catalog().find(routine).title


@dataclass
class Desktop:
    env: dict[str, str]
    home: Path
    bus: str | None
    launched: list[subprocess.Popen[str]] = field(default_factory=list)

    def launch(self, *args: str, **extra: str) -> subprocess.Popen[str]:
        app = subprocess.Popen(
            [sys.executable, "-m", "stretchcoach", *args],
            env={**self.env, **extra},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.launched.append(app)
        return app

    def x(self, *args: str) -> str:
        return subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True,
            timeout=TIMEOUT, check=True,
        ).stdout.strip()  # fmt: skip

    def windows(self) -> list[str]:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "StretchCoach"],
            env=self.env, capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )  # fmt: skip
        return found.stdout.split()

    def window(self) -> str:
        """The one StretchCoach window, once it is on screen; if it never comes, the
        failure says how each launch ended (and what it printed)."""
        try:
            wait_for("the window", self.windows, TIMEOUT)
        except AssertionError as missing:
            raise AssertionError(f"{missing}: {self.ends()}") from None
        (window,) = self.windows()
        return window

    def ends(self) -> list[tuple[int | None, str]]:
        """Each launch's exit status and error output (None, "": still running)."""
        return [
            (app.returncode, app.communicate()[1]) if app.poll() is not None else (None, "")
            for app in self.launched
        ]

    def stop(self) -> None:
        """End every launch still running (SIGTERM, as the session's end does), a failed
        test's too, before their screen and bus go."""
        for app in self.launched:
            if app.poll() is None:
                app.terminate()
            app.communicate(timeout=TIMEOUT)

    def serving(self) -> None:
        """Wait until a StretchCoach owns the app's name on the bus."""
        assert self.bus is not None
        subprocess.run(
            ["gdbus", "wait", "--address", self.bus, "--timeout", str(int(TIMEOUT)), APP_ID],
            timeout=TIMEOUT, check=True,
        )  # fmt: skip

    def focus_elsewhere(self) -> None:
        """The keyboard goes to the desktop (the root window), as when the person worked
        in another program."""
        root = self.x("search", "--maxdepth", "0", "--name", "")
        self.x("windowfocus", "--sync", root.split()[0])
        assert self.x("getwindowfocus") != self.window()

    def title_becomes(self, title: str) -> None:
        wait_for(f"the title {title!r}", lambda: self.x("getwindowname", self.window()) == title)

    def log(self) -> list[str]:
        path = self.home / "xdg_state_home" / APP_ID / "log" / "stretchcoach.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    with xvfb() as display, session_bus(tmp_path / "bus") as bus:
        env = app_environment(display, tmp_path, Settings(seen_safety_note=True, mute=True))
        env["DBUS_SESSION_BUS_ADDRESS"] = bus
        desktop = Desktop(env, tmp_path, bus)
        try:
            yield desktop
        finally:
            desktop.stop()


def _ends(process: subprocess.Popen[str]) -> tuple[int, str]:
    _out, err = process.communicate(timeout=TIMEOUT)
    return process.returncode, err


def test_a_second_launch_raises_the_first_and_ends(desktop: Desktop) -> None:
    first = desktop.launch()
    window = desktop.window()
    desktop.serving()
    desktop.focus_elsewhere()
    assert _ends(desktop.launch()) == (0, "")
    wait_for("the first window to have the keyboard",
             lambda: desktop.x("getwindowfocus") == window)  # fmt: skip
    assert desktop.windows() == [window]

    desktop.focus_elsewhere()
    again = desktop.launch("--start", ROUTINE, DESKTOP_STARTUP_ID="launcher-1_TIME0")
    assert _ends(again) == (0, "")
    wait_for("the first window to have the keyboard",
             lambda: desktop.x("getwindowfocus") == window)  # fmt: skip
    # The launcher's startup id came along, for the window manager to match.
    startup = subprocess.run(
        ["xprop", "-id", window, "_NET_STARTUP_ID"], env=desktop.env, capture_output=True,
        text=True, timeout=TIMEOUT, check=True,
    ).stdout  # fmt: skip
    assert startup.strip() == '_NET_STARTUP_ID(UTF8_STRING) = "launcher-1_TIME0"'

    desktop.x("key", "space")  # Start, on the routine the second launch asked for
    desktop.title_becomes(f"{_first_step(ROUTINE)} · {_title(ROUTINE)} — StretchCoach")
    assert first.poll() is None and desktop.windows() == [window]


def test_a_crashed_instance_never_stops_the_next(desktop: Desktop) -> None:
    crashed = desktop.launch()
    desktop.window()
    desktop.serving()
    crashed.kill()  # SIGKILL: no clean-up of any kind
    crashed.communicate(timeout=TIMEOUT)
    wait_for("the window to go", lambda: not desktop.windows())

    second = desktop.launch("--start", ROUTINE)
    window = desktop.window()
    desktop.serving()
    desktop.x("windowfocus", "--sync", window)  # no window manager gives it
    desktop.x("key", "space")
    desktop.title_becomes(f"{_first_step(ROUTINE)} · {_title(ROUTINE)} — StretchCoach")
    assert _ends(desktop.launch()) == (0, "")  # and it is the one instance now
    assert desktop.windows() == [window] and second.poll() is None


def test_without_a_session_bus_it_works_with_one_log_line(tmp_path: Path) -> None:
    with xvfb() as display:
        env = app_environment(display, tmp_path, Settings(seen_safety_note=True, mute=True))
        env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={tmp_path / 'no-bus-here'}"
        desktop = Desktop(env, tmp_path, None)
        desktop.launch("--start", ROUTINE)
        try:
            desktop.x("windowfocus", "--sync", desktop.window())  # no window manager gives it
            desktop.x("key", "space")
            desktop.title_becomes(f"{_first_step(ROUTINE)} · {_title(ROUTINE)} — StretchCoach")
        finally:
            desktop.stop()
    ours = [line for line in desktop.log() if " sound: " not in line]
    assert len(ours) == 1 and "no session bus" in ours[0], ours
