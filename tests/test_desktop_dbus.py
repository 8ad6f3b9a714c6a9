"""The app as a good desktop citizen on a real, private session bus, under Xvfb, with its
window unfocused (the person is on the mat): ``playerctl`` and ``gdbus`` drive the coach
over MPRIS as the media keys do, its properties and their ``PropertiesChanged`` are right
(``gdbus monitor`` listens), and the screen is kept on exactly while a session runs, by
the portal where there is one, else the screen saver (stand-ins: ``inhibit_service.py``).
Each service missing: the app works, with at most one log line for it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from dbus_helpers import gdbus, session_bus, wait_for
from desktop_helpers import app_environment, xvfb

from stretchcoach.appid import APP_ID
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.settings import Settings

HERE = Path(__file__).resolve().parent
TOOLS = ("Xvfb", "xdotool", "xev", "playerctl", "gdbus")
pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(
        not all(shutil.which(t) for t in TOOLS),
        reason="needs Xvfb, xdotool, xev (x11-utils), playerctl and gdbus",
    ),
]
TIMEOUT = 30.0
NAME = f"org.mpris.MediaPlayer2.{APP_ID}"
PATH = "/org/mpris/MediaPlayer2"
STEPS = ("First breaths", "Second breaths")


def routine_yaml() -> str:
    picture = load_catalog().entries[0].steps[-1].illustration
    steps = "".join(
        f"  - id: step-{n}\n    title: {title}\n    instruction: Breathe slowly.\n"
        f"    intro: Breathe.\n    illustration: {picture}\n    breaths:\n      cycles: 20\n"
        for n, title in enumerate(STEPS)
    )
    return f"id: mpris-check\ntitle: Mpris check\nsummary: Two breath steps.\nsteps:\n{steps}"


class Desktop:
    """A private bus and X server, the stand-in services asked for, and the app on them."""

    def __init__(self, home: Path, display: str, bus: str | None) -> None:
        self.home = home
        fast = Settings(
            inhale=1.5, exhale=1.5, get_ready=0.0, seen_safety_note=True, mute=True,
            breath_cues="silent",
        )  # fmt: skip
        self.env = app_environment(display, home, fast)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus or f"unix:path={home / 'no-bus'}"
        self.bus = bus
        routines = home / "xdg_data_home" / APP_ID / "routines"
        routines.mkdir(parents=True)
        (routines / "mpris-check.yaml").write_text(routine_yaml(), encoding="utf-8")
        self.record = home / "inhibit.jsonl"
        self.processes: list[subprocess.Popen[str]] = []
        self.files: list[IO[str]] = []
        self.app: subprocess.Popen[str] | None = None

    def serve(self, *services: str) -> None:
        """Start the stand-in portal and/or screen saver; return once they serve."""
        server = self._start([sys.executable, str(HERE / "inhibit_service.py"),
                              str(self.record), *services], stdout=subprocess.PIPE)  # fmt: skip
        assert server.stdout is not None and server.stdout.readline() == "serving\n"

    def monitor(self) -> Path:
        """``gdbus monitor`` on the player's name, written to a file; its path."""
        assert self.bus is not None
        out = self.home / "monitor.txt"
        self.files.append(out.open("w"))
        self._start(["gdbus", "monitor", "--address", self.bus, "--dest", NAME],
                    stdout=self.files[-1])  # fmt: skip
        return out

    def start_app(self) -> None:
        self.files.append((self.home / "app.log").open("w"))
        self.app = self._start(
            [sys.executable, "-m", "stretchcoach", "--routine", "mpris-check"],
            stdout=self.files[-1], stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.window = self.x("search", "--sync", "--onlyvisible", "--name", "StretchCoach")
        self.window = self.window.split()[0]

    def _start(self, command: list[str], **kwargs: Any) -> subprocess.Popen[str]:
        process = subprocess.Popen(command, env=self.env, cwd=self.home, text=True, **kwargs)
        self.processes.append(process)
        return process

    def unfocus(self) -> None:
        """Give the keyboard to another window, as the desktop's other apps would have it."""
        self._start(["xev", "-geometry", "100x100+0+0"], stdout=subprocess.DEVNULL)
        other = self.x("search", "--sync", "--onlyvisible", "--name", "Event Tester").split()[0]
        self.x("windowfocus", "--sync", other)
        assert self.x("getwindowfocus") != self.window

    def x(self, *args: str) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True,
                              text=True, timeout=TIMEOUT, check=True).stdout.strip()  # fmt: skip

    def key(self, name: str) -> None:
        self.x("key", "--clearmodifiers", name)

    def playerctl(self, *args: str) -> str:
        return subprocess.run(["playerctl", "--player", APP_ID, *args], env=self.env,
                              capture_output=True, text=True, timeout=TIMEOUT,
                              check=True).stdout.strip()  # fmt: skip

    def call(self, method: str, interface: str = "org.mpris.MediaPlayer2.Player") -> str:
        assert self.bus is not None
        return gdbus(self.bus, "call", "--dest", NAME, "--object-path", PATH,
                     "--method", f"{interface}.{method}")  # fmt: skip

    def get(self, prop: str, interface: str = "org.mpris.MediaPlayer2.Player") -> str:
        assert self.bus is not None
        return gdbus(self.bus, "call", "--dest", NAME, "--object-path", PATH, "--method",
                     "org.freedesktop.DBus.Properties.Get", interface, prop).strip()  # fmt: skip

    def calls(self) -> list[dict[str, Any]]:
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text().splitlines()]

    def status_is(self, status: str) -> bool:
        return self.playerctl("status") == status

    def log(self) -> str:
        return (self.home / "app.log").read_text() + "".join(
            p.read_text() for p in (self.home / "xdg_state_home").rglob("*.log")
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
            process.communicate(timeout=TIMEOUT)
        for file in self.files:
            file.close()


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb() as number:
        yield number


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[str]:
    with session_bus(tmp_path / "bus") as address:
        yield address


@pytest.fixture
def desktop(tmp_path: Path, display: str, bus: str) -> Iterator[Desktop]:
    running = Desktop(tmp_path, display, bus)
    yield running
    running.stop()


def _check_at_rest(desktop: Desktop) -> None:
    """The player before a session: stopped, ready to play, and who it is."""
    assert desktop.playerctl("status") == "Stopped"
    assert desktop.get("CanPlay") == "(<true>,)" and desktop.get("CanGoNext") == "(<false>,)"
    assert desktop.get("CanControl") == "(<true>,)"
    root = "org.mpris.MediaPlayer2"
    assert desktop.get("Identity", root) == "(<'StretchCoach'>,)"
    assert desktop.get("DesktopEntry", root) == f"(<'{APP_ID}'>,)"
    assert desktop.get("CanRaise", root) == desktop.get("CanQuit", root) == "(<true>,)"


def _check_announcements(announced: str) -> None:
    """Every change the test made was announced with PropertiesChanged, in order."""
    changes = [line for line in announced.splitlines() if "PropertiesChanged" in line]
    statuses = [s for line in changes for s in ("Playing", "Paused", "Stopped")
                if f"'PlaybackStatus': <'{s}'>" in line]  # fmt: skip
    assert statuses == ["Playing", "Paused", "Playing", "Paused", "Playing", "Stopped"]
    assert any(f"'xesam:title': <'{STEPS[1]}'>" in line for line in changes)
    assert any("'mpris:artUrl': <'file://" in line for line in changes)


def _calls(desktop: Desktop) -> list[str]:
    return [c["call"] for c in desktop.calls()]


def test_media_keys_drive_the_unfocused_coach_and_the_screen_stays_on_while_it_runs(
    desktop: Desktop,
) -> None:
    desktop.serve("screensaver")
    monitor = desktop.monitor()
    desktop.start_app()
    assert desktop.bus is not None
    gdbus(desktop.bus, "wait", "--timeout", str(int(TIMEOUT)), NAME)
    desktop.unfocus()
    _check_at_rest(desktop)
    assert _calls(desktop) == []  # nothing runs: the screen may blank

    desktop.playerctl("play-pause")  # on the picker, as the key: start the routine
    wait_for("the session", lambda: desktop.status_is("Playing"))
    assert desktop.playerctl("metadata", "xesam:title") == STEPS[0]
    assert desktop.playerctl("metadata", "xesam:album") == "Mpris check"
    length = int(desktop.playerctl("metadata", "mpris:length"))
    assert length > 20 * 3 * 1_000_000  # 20 breaths of 3 s, and the step's introduction
    trackid = desktop.playerctl("metadata", "mpris:trackid")
    assert trackid == "'/io/github/stretchcoach/StretchCoach/step/mpris_check/0'"
    assert desktop.get("CanGoNext") == "(<true>,)" and desktop.get("CanPause") == "(<true>,)"
    wait_for("the screen kept on", lambda: _calls(desktop) == ["Inhibit"])
    (inhibit,) = desktop.calls()
    assert inhibit["application"] == APP_ID and inhibit["reason"]

    desktop.playerctl("play-pause")
    wait_for("a pause", lambda: desktop.status_is("Paused"))
    wait_for("the screen let go", lambda: _calls(desktop) == ["Inhibit", "UnInhibit"])
    assert desktop.calls()[1]["cookie"] == inhibit["cookie"]
    desktop.playerctl("play-pause")
    wait_for("going on", lambda: desktop.status_is("Playing"))
    desktop.playerctl("next")
    wait_for("the next step", lambda: desktop.playerctl("metadata", "xesam:title") == STEPS[1])
    assert desktop.playerctl("metadata", "mpris:trackid") != trackid
    desktop.call("Pause")
    wait_for("a pause", lambda: desktop.status_is("Paused"))
    desktop.call("Pause")  # the Pause key never goes on
    desktop.call("Play")
    wait_for("going on", lambda: desktop.status_is("Playing"))
    desktop.call("Play")  # already playing: nothing
    assert desktop.x("getwindowfocus") != desktop.window  # all of it without focus

    def art() -> str:
        return desktop.playerctl("metadata", "mpris:artUrl")

    wait_for("the step's picture", lambda: art().startswith("file://"))
    assert Path(art().removeprefix("file://")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert 0 <= int(desktop.get("Position").strip("(<int64 >,)")) <= length

    desktop.call("Raise", "org.mpris.MediaPlayer2")
    wait_for("the window raised", lambda: desktop.x("getwindowfocus") == desktop.window)
    desktop.call("Quit", "org.mpris.MediaPlayer2")
    assert desktop.app is not None and desktop.app.wait(timeout=TIMEOUT) == 0
    expected = ["Inhibit", "UnInhibit"] * 3  # running, paused, on, paused, on, quit
    assert _calls(desktop) == expected

    _check_announcements(monitor.read_text())


def _started(desktop: Desktop) -> None:
    desktop.start_app()
    assert desktop.bus is not None
    gdbus(desktop.bus, "wait", "--timeout", str(int(TIMEOUT)), NAME)
    desktop.unfocus()


def test_the_portal_is_asked_first_and_stop_completion_and_a_crash_let_the_screen_go(
    desktop: Desktop,
) -> None:
    desktop.serve("portal", "screensaver")
    _started(desktop)
    desktop.playerctl("play-pause")
    wait_for("the screen kept on", lambda: _calls(desktop) == ["Inhibit"])
    (inhibit,) = desktop.calls()
    assert inhibit["signature"] == "sua{sv}"  # as the portal wants it, and nothing else
    assert inhibit["flags"] == 4 | 8 and inhibit["window"] == ""  # suspend and idle
    request = f"/org/freedesktop/portal/desktop/request/{inhibit['sender'][1:].replace('.', '_')}"

    desktop.playerctl("stop")  # as Esc: "Stop this session?", paused while it asks
    dialog = desktop.x("search", "--sync", "--onlyvisible", "--name", "Stop the session")
    wait_for("the screen let go", lambda: _calls(desktop) == ["Inhibit", "Close"])
    assert desktop.calls()[1]["handle"] == f"{request}/stretchcoach1"  # the portal's rule
    desktop.x("windowfocus", "--sync", dialog.split()[0])
    desktop.key("s")
    wait_for("the end", lambda: desktop.x("getwindowname", desktop.window).startswith("Session"))
    assert desktop.status_is("Stopped") and _calls(desktop) == ["Inhibit", "Close"]

    desktop.unfocus()
    desktop.playerctl("play-pause")  # on the completion screen, as the key: again
    wait_for("the screen kept on", lambda: _calls(desktop)[2:] == ["Inhibit"])
    desktop.playerctl("next")
    desktop.playerctl("next")  # past the last step: completed
    wait_for("the end", lambda: desktop.x("getwindowname", desktop.window).startswith("Well"))
    wait_for("the screen let go", lambda: _calls(desktop)[2:] == ["Inhibit", "Close"])

    desktop.playerctl("play-pause")
    wait_for("the screen kept on", lambda: _calls(desktop)[4:] == ["Inhibit"])
    sender = desktop.calls()[-1]["sender"]
    assert desktop.app is not None
    desktop.app.kill()  # a crash: the inhibition was the app's bus connection's, gone with it
    desktop.app.wait(timeout=TIMEOUT)
    assert desktop.bus is not None
    owner = gdbus(desktop.bus, "call", "--dest", "org.freedesktop.DBus", "--object-path",
                  "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.NameHasOwner",
                  sender)  # fmt: skip
    assert owner.strip() == "(false,)"


def _desktop_lines(desktop: Desktop) -> list[str]:
    return [line for line in desktop.log().splitlines() if "stretchcoach.ui.desktop" in line]


def test_without_a_screen_saver_or_portal_the_coach_runs_and_says_so_once(
    desktop: Desktop,
) -> None:
    _started(desktop)
    for status in ("Playing", "Paused", "Playing"):
        desktop.playerctl("play-pause")
        wait_for(status, lambda s=status: desktop.status_is(s))  # type: ignore[misc]
    desktop.call("Quit", "org.mpris.MediaPlayer2")
    assert desktop.app is not None and desktop.app.wait(timeout=TIMEOUT) == 0
    (line,) = _desktop_lines(desktop)
    assert "neither the desktop portal nor a screen saver can keep the screen on" in line


def test_without_a_session_bus_the_keys_still_drive_the_coach_with_one_log_line(
    tmp_path: Path, display: str
) -> None:
    desktop = Desktop(tmp_path, display, bus=None)
    try:
        desktop.start_app()
        desktop.x("windowfocus", "--sync", desktop.window)
        desktop.key("space")
        wait_for("the session", lambda: desktop.x("getwindowname", desktop.window).startswith(
            STEPS[0]))  # fmt: skip
        desktop.key("ctrl+q")
        assert desktop.app is not None and desktop.app.wait(timeout=TIMEOUT) == 0
    finally:
        desktop.stop()
    (line,) = _desktop_lines(desktop)
    assert "no session bus" in line and "no media keys without focus" in line
