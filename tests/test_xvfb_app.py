"""The real app in a real X window, driven by real key presses.

The test starts its own X server (Xvfb, on a display it picks with ``-displayfd``), runs
``python -m stretchcoach`` on it as a person would, presses keys with ``xdotool`` and
looks at the screen with ImageMagick's ``import``. Settings come from a private config
folder, with the fastest breath pace, so a breath phase lasts 1.5 seconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from desktop_helpers import app_environment, xvfb
from faults import children
from journal_helpers import years_of_daily_sessions

from stretchcoach.appid import APP_ID
from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.store import Journal
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.settings import Settings
from stretchcoach.ui import theme

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("Xvfb", "xdotool", "import")
pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(
        not all(shutil.which(t) for t in TOOLS),
        reason="needs Xvfb, xdotool and ImageMagick (apt-get install xvfb xdotool imagemagick)",
    ),
]
TIMEOUT = 20.0
STEPS = ("First breaths", "Second breaths")
TITLES = tuple(f"{step} · Xvfb check — StretchCoach" for step in STEPS)  # step · routine


def routine_yaml() -> str:
    """A routine of the person's own: two breath steps, drawn with a bundled illustration."""
    default = load_catalog().default
    assert default is not None
    picture = default.steps[-1].illustration
    steps = "".join(
        f"  - id: step-{n}\n    title: {title}\n    instruction: Breathe slowly.\n"
        f"    intro: Breathe.\n    illustration: {picture}\n    breaths:\n      cycles: 20\n"
        for n, title in enumerate(STEPS)
    )
    return f"id: xvfb-check\ntitle: Xvfb check\nsummary: Two breath steps.\nsteps:\n{steps}"


def wait_for(what: str, predicate: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    """Poll ``predicate`` until it holds (the X equivalent of ``qtbot.waitUntil``)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb() as number:
        yield number


class App:
    def __init__(self, display: str, home: Path) -> None:
        fast = Settings(
            inhale=1.5, exhale=1.5, get_ready=0.0, seen_safety_note=True, mute=True,
            breath_cues="silent",
        )
        self.env = app_environment(display, home, fast)
        routines = home / "xdg_data_home" / APP_ID / "routines"
        routines.mkdir(parents=True)
        (routines / "xvfb-check.yaml").write_text(routine_yaml(), encoding="utf-8")
        self.log = (home / "app.log").open("w")
        command = [sys.executable, "-m", "stretchcoach", "--routine", "xvfb-check"]
        self.home = home
        self.process = subprocess.Popen(  # its own process group, as a terminal gives it
            command,
            env=self.env,
            cwd=home,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        found = self.x("search", "--sync", "--onlyvisible", "--name", "StretchCoach")
        self.window = found.split()[0]

    def x(self, *args: str) -> str:
        result = subprocess.run(
            ["xdotool", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=True,
        )
        return result.stdout.strip()

    def key(self, name: str) -> None:
        self.x("key", "--clearmodifiers", name)

    def shows(self, name: str) -> bool:
        """Whether a window whose title contains ``name`` is on screen."""
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", name],
            env=self.env, capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )  # fmt: skip
        return found.returncode == 0 and bool(found.stdout.strip())

    def focused(self) -> str:
        """The title of the window that has the keyboard."""
        return self.x("getwindowfocus", "getwindowname")

    def title(self) -> str:
        return self.x("getwindowname", self.window)

    def shot(self) -> bytes:
        """The whole screen's pixels."""
        return subprocess.run(
            ["import", "-window", "root", "-depth", "8", "rgb:-"],
            env=self.env, capture_output=True, timeout=TIMEOUT, check=True,
        ).stdout  # fmt: skip

    def notice_pixels(self) -> int:
        """How many pixels on screen have the notices' (and the paused badge's) background,
        in either palette."""
        pixels = self.shot()  # counted in C: a colour this rare hardly matches across pixels
        return sum(pixels.count(bytes.fromhex(c.notice[1:])) for c in (theme.LIGHT, theme.DARK))

    def children(self) -> list[int]:
        """The app's child processes (its speech worker)."""
        return children(self.process.pid)

    def output(self) -> str:
        self.log.flush()
        return (self.home / "app.log").read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def app(display: str, tmp_path: Path) -> Iterator[App]:
    running = App(display, tmp_path)
    yield running
    running.stop()


def test_keys_drive_the_real_window(app: App, tmp_path: Path) -> None:
    assert app.title() == "StretchCoach"
    app.x("windowfocus", "--sync", app.window)

    app.key("space")  # Space starts the selected routine
    wait_for("the first step in the title", lambda: app.title() == TITLES[0])
    wait_for("the screen to move while running", lambda: app.shot() != app.shot())

    app.key("space")  # pause
    wait_for("a still screen", lambda: app.shot() == app.shot())
    paused = app.shot()
    for _ in range(3):  # the breath pacer's phases last 1.5 s: it would have moved by now
        assert app.shot() == paused, "the view moved while paused"

    app.key("space")  # resume
    wait_for("the screen to move after resume", lambda: app.shot() != paused)

    app.key("Right")
    wait_for("Right to skip to step 2", lambda: app.title() == TITLES[1])

    app.key("ctrl+q")
    assert app.process.wait(timeout=TIMEOUT) == 0, (tmp_path / "app.log").read_text()


def test_keys_still_reach_the_window_after_the_stop_question(app: App, tmp_path: Path) -> None:
    """With no window manager to hand focus back, a closed dialog must not swallow the
    keyboard: Esc asks, Esc keeps going, and every key after it still works."""
    app.x("windowfocus", "--sync", app.window)
    app.key("space")
    wait_for("the first step in the title", lambda: app.title() == TITLES[0])

    def question_shown() -> bool:  # and has the keyboard: a key sent sooner goes elsewhere
        return app.focused().startswith("Stop the session")

    app.key("Escape")
    wait_for("the stop question", question_shown)
    app.key("Escape")  # keep going
    wait_for("the question to close", lambda: not app.shows("Stop the session"))
    wait_for("the keyboard back", lambda: app.focused() == TITLES[0])
    app.key("Escape")
    wait_for("the stop question again", question_shown)
    app.key("s")  # stop
    wait_for("the end screen", lambda: app.title() == "Session ended — StretchCoach")

    app.key("ctrl+q")
    assert app.process.wait(timeout=TIMEOUT) == 0, (tmp_path / "app.log").read_text()


def test_space_after_again_pauses_the_new_session_once(app: App, tmp_path: Path) -> None:
    """Issue 14, item 1, as a person meets it: pause, stop, Again; the new session runs
    (the screen moves) with no paused badge on screen, Space pauses it (the screen stands
    still, and only now the badge shows: more pixels of its colour), Space goes on."""
    app.x("windowfocus", "--sync", app.window)
    app.key("space")
    wait_for("the first step in the title", lambda: app.title() == TITLES[0])
    wait_for("the screen to move while running", lambda: app.shot() != app.shot())
    running = app.notice_pixels()
    app.key("space")  # pause
    wait_for("a still screen", lambda: app.shot() == app.shot())
    assert app.notice_pixels() > running, "the paused badge shows"
    app.key("Escape")
    wait_for("the stop question", lambda: app.focused().startswith("Stop the session"))
    app.key("s")  # stop, from the question
    wait_for("the end screen", lambda: app.title() == "Session ended — StretchCoach")
    ended = app.shot()
    app.key("space")  # Again
    wait_for("the first step again", lambda: app.title() == TITLES[0])
    wait_for("the new session to run", lambda: app.shot() != app.shot())
    assert app.shot() != ended
    running = app.notice_pixels()
    app.key("space")  # pauses the running session: one press
    wait_for("a still screen", lambda: app.shot() == app.shot())
    assert app.notice_pixels() > running, "the badge shows only now: none while running"
    paused = app.shot()
    for _ in range(3):
        assert app.shot() == paused, "the view moved while paused"
    app.key("space")
    wait_for("the screen to move after resume", lambda: app.shot() != paused)

    app.key("ctrl+q")
    assert app.process.wait(timeout=TIMEOUT) == 0, (tmp_path / "app.log").read_text()


def test_question_mark_and_f1_show_the_keys_on_a_real_keyboard(app: App, tmp_path: Path) -> None:
    """? is Shift+/ on this keyboard: the shortcut must still match it."""
    app.x("windowfocus", "--sync", app.window)
    for key in ("question", "F1"):
        app.key(key)
        wait_for(f"the keys after {key}", lambda: app.focused() == "Keys — StretchCoach")
        app.key("Escape")
        wait_for("the keyboard back", lambda: app.focused() == "StretchCoach")
    app.key("space")  # and the window has the keyboard again
    wait_for("the first step in the title", lambda: app.title() == TITLES[0])


def test_this_hurt_and_the_end_questions_by_real_key_presses(app: App, tmp_path: Path) -> None:
    """H marks the step; after stopping, the questions are answered with digits, arrows,
    Enter and typed text, reaching the journal file as a second reader sees it."""
    path = app.home / "xdg_data_home" / APP_ID / "journal.sqlite3"

    def recorded() -> SessionRecord | None:
        if not path.exists():
            return None
        with Journal(path) as journal:
            found = journal.records()
        return found[0] if found else None

    app.x("windowfocus", "--sync", app.window)
    app.key("space")
    wait_for("the first step in the title", lambda: app.title() == TITLES[0])
    app.key("h")
    wait_for("the mark in the journal", lambda: (r := recorded()) is not None and bool(r.hurt))
    app.key("Escape")
    question = app.x("search", "--sync", "--onlyvisible", "--name", "Stop the session")
    app.x("windowfocus", "--sync", question.split()[0])  # S there, not Settings behind it
    app.key("s")  # stop, in the question Esc asks
    wait_for("the end screen", lambda: app.title() == "Session ended — StretchCoach")
    for key in ("1", "0", "Return", "Right", "Return", "2", "Return"):
        app.key(key)
    app.x("type", "--delay", "20", "calm")
    app.key("Return")
    wait_for("the answers in the journal", lambda: (r := recorded()) is not None and bool(r.note))
    record = recorded()
    assert record is not None
    assert (record.pain, record.compared, record.tighter, record.note) == (
        10, "better", "right", "calm",
    )  # fmt: skip
    assert record.outcome == "stopped" and record.hurt[0].step == "step-0"
    app.key("ctrl+q")
    assert app.process.wait(timeout=TIMEOUT) == 0, (tmp_path / "app.log").read_text()


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] == "Z"  # unreaped
    except (FileNotFoundError, ProcessLookupError):
        return True


def _plant_leftovers(app: App) -> None:
    """What another instance, killed meanwhile, would have left: gone when this one exits."""
    speech = app.home / "xdg_cache_home" / APP_ID / "speech"
    wait_for("the speech cache", speech.is_dir)
    planted = [
        app.home / "xdg_config_home" / APP_ID / ".settings.json.killed.tmp",
        speech / ".synth-killed.wav",
    ]
    for path in planted:
        path.write_bytes(b"half written")


def _quits_cleanly(app: App, status: int, worker: list[int]) -> None:
    assert app.process.wait(timeout=TIMEOUT) == status, app.output()
    output = app.output()
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
    for pid in worker:
        wait_for(f"the speech worker {pid} to end", lambda pid=pid: _gone(pid))
    left = [
        p
        for folder in (app.home / "xdg_config_home", app.home / "xdg_cache_home")
        for p in folder.rglob(".*")
    ]
    assert left == [], f"left behind: {left}"


@pytest.mark.faults
def test_ctrl_c_on_the_picker_quits_cleanly(app: App) -> None:
    wait_for("the speech worker", lambda: bool(app.children()))  # built after the first frame
    worker = app.children()
    _plant_leftovers(app)
    app.process.send_signal(signal.SIGINT)  # kill -INT: the app alone
    _quits_cleanly(app, 130, worker)


@pytest.mark.faults
@pytest.mark.parametrize(("name", "status"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_mid_session_quits_cleanly(app: App, name: str, status: int) -> None:
    app.x("windowfocus", "--sync", app.window)
    app.key("space")
    wait_for("the first step in the title", lambda: app.title() == TITLES[0])
    wait_for("the speech worker", lambda: bool(app.children()))
    worker = app.children()
    _plant_leftovers(app)
    # As a terminal does on Ctrl+C: to the whole process group, the worker too.
    os.killpg(app.process.pid, getattr(signal, name))
    _quits_cleanly(app, status, worker)


def test_p_opens_progress_and_esc_returns(app: App, tmp_path: Path) -> None:
    """The Progress screen with a year of sessions in the person's journal, by real keys."""
    journal = tmp_path / "xdg_data_home" / APP_ID / "journal.sqlite3"
    with Journal(journal) as opened:
        opened.merge(years_of_daily_sessions(date.today(), years=1))
    app.x("windowfocus", "--sync", app.window)
    picker = app.shot()
    app.key("p")
    wait_for("the Progress screen", lambda: app.title() == "Progress — StretchCoach")
    wait_for("the Progress screen drawn", lambda: app.shot() != picker)
    app.key("Escape")
    wait_for("the picker again", lambda: app.title() == "StretchCoach")
    app.key("ctrl+q")
    assert app.process.wait(timeout=TIMEOUT) == 0, app.output()
