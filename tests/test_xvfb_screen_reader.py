"""What a screen reader gets from the running app, through the real accessibility stack:
AT-SPI's bus launcher and registry on a private session bus, the app on its own X server
with Qt's AT-SPI bridge on (``QT_LINUX_ACCESSIBILITY_ALWAYS_ON``), and an AT-SPI client
(``atspi_client.py``, Debian's pyatspi under the system's Python) reading it as Orca would.

The client reads the first-run safety note and a notice by their texts, hears the new
step and the first cue announced when a session starts, and reads the caption then.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from dbus_helpers import session_bus, wait_for
from desktop_helpers import app_environment, xvfb

from stretchcoach.routine.safety import SAFETY_NOTE
from stretchcoach.settings import Settings
from stretchcoach.ui.output import NO_OUTPUT

HERE = Path(__file__).resolve().parent
LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
SYSTEM_PYTHON = "/usr/bin/python3"
TIMEOUT = 60.0


def has_pyatspi() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    command = [SYSTEM_PYTHON, "-c", "import pyatspi"]
    found = subprocess.run(command, capture_output=True, check=False)
    return found.returncode == 0


pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(
        not (LAUNCHER.exists() and shutil.which("Xvfb") and shutil.which("xdotool")),
        reason="needs at-spi2-core, Xvfb and xdotool (apt-get install at-spi2-core xvfb xdotool)",
    ),
    pytest.mark.skipif(not has_pyatspi(), reason="needs python3-pyatspi (apt-get install)"),
]


class Desktop:
    """The app on an X server with the accessibility bus, and the person's keys."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def x(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True,
            timeout=TIMEOUT, check=True,
        )  # fmt: skip
        return done.stdout.strip()

    def client(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [SYSTEM_PYTHON, str(HERE / "atspi_client.py"), *args],
            env=self.env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def labels(self) -> list[list[str]]:
        dump = self.client("dump")
        out, _ = dump.communicate(timeout=TIMEOUT)
        assert dump.returncode == 0, out
        labels: list[list[str]] = json.loads(out)["labels"]
        return labels


@contextmanager
def desktop(home: Path) -> Iterator[Desktop]:
    with session_bus(home / "bus") as address, xvfb() as display:
        env = app_environment(display, home, Settings(seen_safety_note=False, mute=True))
        env.update(DBUS_SESSION_BUS_ADDRESS=address, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
        with (home / "atspi.log").open("w") as log:
            launcher = subprocess.Popen(
                [str(LAUNCHER), "--launch-immediately"], env=env, stdout=log, stderr=log
            )
            app = subprocess.Popen(
                [sys.executable, "-m", "stretchcoach"], env=env, stdout=log, stderr=log
            )
        try:
            place = Desktop(env)
            window = place.x("search", "--sync", "--onlyvisible", "--name", "StretchCoach")
            place.x("windowfocus", "--sync", window.split()[0])
            yield place
        finally:
            for process in (app, launcher):
                process.terminate()
                process.wait(timeout=TIMEOUT)


def texts(labels: list[list[str]], description: str) -> list[str]:
    return [name for name, what in labels if what == description]


def test_a_screen_reader_reads_the_notes_and_hears_the_step_and_the_cue(tmp_path: Path) -> None:
    with desktop(tmp_path) as place:
        shown: list[list[str]] = []

        def notice_shown() -> bool:
            shown[:] = place.labels()  # the notice comes once the app finds no sound
            return any(name == "No voice: captions only" for name, _what in shown)

        wait_for("the no-voice notice", notice_shown)
        assert texts(shown, "Safety note") == [SAFETY_NOTE]
        notices = [what for name, what in shown if name == "No voice: captions only"]
        assert NO_OUTPUT in notices[0]  # the short line, and the whole notice
        with place.client("listen", "--events", "2", "--timeout", str(TIMEOUT)) as listener:
            assert listener.stdout is not None
            assert json.loads(listener.stdout.readline()) == {"ready": True}
            place.x("key", "--clearmodifiers", "space")  # I understand
            wait_for("the note acknowledged", lambda: not texts(place.labels(), "Safety note"))
            place.x("key", "--clearmodifiers", "space")  # start
            heard: list[dict[str, Any]] = [json.loads(line) for line in listener.stdout]
        assert listener.returncode == 0, heard
    step, cue = (event["announcement"] for event in heard)
    assert "Step 1 of " in step and step.endswith(": Fold two blankets")
    assert cue.startswith("Press space at any time to pause")
    assert texts(heard[1]["labels"], "Spoken cue") == [f"“{cue}”"]
