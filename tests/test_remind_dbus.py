"""``stretchcoach remind`` on a real D-Bus: the notification is shown by a stand-in server
on a private session bus (``dbus_helpers``; it needs PySide6, as the reminder's QtDBus
does), the person's hand is ``gdbus``, "Start" starts the stand-in app
(``reminder_helpers``), and each missing piece (no server, no bus, no QtDBus) ends in one
log line and exit status 69. Last, the whole chain under a real systemd user manager: the
timer's service shows the reminder, and "Start" starts the app in a unit of its own."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from dbus_helpers import Notifications, notifications, session_bus, wait_for
from reminder_helpers import Home
from systemd_helpers import systemctl, user_manager

from stretchcoach.appid import APP_ID
from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.store import Journal
from stretchcoach.settings import WEEKDAYS, Settings

EX_UNAVAILABLE = 69
NOQT = Path(__file__).resolve().parent / "noqt"
SERVICE = f"{APP_ID}-reminder.service"


@pytest.fixture
def home(private_user_dirs: Path) -> Home:
    return Home(private_user_dirs)


def _settings(home: Home, settings: Settings) -> None:
    path = home.config / APP_ID / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(settings.model_dump_json(), encoding="utf-8")


@pytest.fixture
def bus(home: Home) -> Iterator[str]:
    with session_bus(home.root / "bus") as address:
        home.env["DBUS_SESSION_BUS_ADDRESS"] = address
        yield address


@pytest.fixture
def server(home: Home, bus: str) -> Iterator[Notifications]:
    with notifications(bus, home.root / "notifications.jsonl") as running:
        yield running


def _ends(process: subprocess.Popen[str]) -> tuple[int, str]:
    _out, err = process.communicate(timeout=60)
    return process.returncode, err


def test_start_opens_the_app(home: Home, server: Notifications) -> None:
    _settings(home, Settings(remind_at="00:00"))  # due all day, every day
    reminder = home.start("remind", "--if-due")
    shown = server.shown()
    assert shown["app_name"] == "StretchCoach" and shown["replaces_id"] == 0
    assert shown["app_icon"] == APP_ID and shown["hints"] == {"desktop-entry": APP_ID}
    assert shown["summary"] == "Time for your stretches"
    assert shown["actions"] == ["default", "Start", "start", "Start"]
    assert shown["expire_timeout"] == -1

    server.invoke(shown["id"], "start")
    assert _ends(reminder) == (0, "")
    wait_for("the app to start", home.windows)
    (started,) = home.windows()
    token = f"token-{shown['id']}"
    assert (started["argv"], started["token"], started["startup_id"]) == (["--start"], token, token)
    assert (home.root / f"state/{APP_ID}/reminded").read_text() == f"{date.today()}\n"
    again = home.run("remind", "--if-due")  # once a day
    assert again.returncode == 0 and len(server.calls("Notify")) == 1
    assert "no reminder now: already reminded today" in home.log()


def test_a_click_on_the_notification_itself_opens_the_app_too(
    home: Home, server: Notifications
) -> None:
    reminder = home.start("remind")
    server.invoke(server.shown()["id"], "default")
    assert _ends(reminder) == (0, "")
    wait_for("the app to start", home.windows)


def test_dismissed_it_ends_and_opens_nothing(home: Home, server: Notifications) -> None:
    reminder = home.start("remind")
    server.dismiss(server.shown()["id"])
    assert _ends(reminder) == (0, "")
    assert home.windows() == []
    assert "reminder: it was dismissed without an answer" in home.log()


def test_unanswered_it_is_withdrawn(home: Home, server: Notifications) -> None:
    reminder = home.start("remind", "--wait", "1")
    shown = server.shown()
    assert _ends(reminder) == (0, "")
    assert server.calls("CloseNotification") == [{"call": "CloseNotification", "id": shown["id"]}]
    assert home.windows() == []


def test_no_reminder_once_todays_session_is_in_the_journal(
    home: Home, server: Notifications
) -> None:
    with Journal() as journal:
        journal.save(SessionRecord(day=date.today(), routine="daily-minimum"))
    result = home.run("remind")
    assert (result.returncode, result.stderr) == (0, "")
    assert server.calls() == []  # the command has ended: it would have called by now
    assert "today's session is in the journal: no reminder" in home.log()


def test_the_streak_a_session_today_would_make_is_said(home: Home, server: Notifications) -> None:
    with Journal() as journal:
        for days_ago in (1, 2, 3):
            day = date.today() - timedelta(days=days_ago)
            journal.save(SessionRecord(day=day, routine="daily-minimum"))
    reminder = home.start("remind")
    shown = server.shown()
    assert shown["body"].endswith("A session today makes 4 days in a row.")
    server.dismiss(shown["id"])
    assert _ends(reminder)[0] == 0


def test_not_on_a_day_it_is_not_set_for(home: Home, server: Notifications) -> None:
    today = WEEKDAYS[date.today().weekday()]
    _settings(home, Settings(remind_at="00:00", remind_days=[d for d in WEEKDAYS if d != today]))
    result = home.run("remind", "--if-due")
    assert (result.returncode, server.calls()) == (0, [])
    assert f"no reminder now: no reminder on {date.today():%A}s" in home.log()


def test_a_server_that_comes_up_late_is_waited_for(home: Home, bus: str) -> None:
    reminder = home.start("remind")
    wait_for("the reminder to wait", lambda: "no notification service yet" in home.log())
    with notifications(bus, home.root / "late.jsonl") as late:
        late.dismiss(late.shown()["id"])
        assert _ends(reminder) == (0, "")


# --- each piece missing: one log line, status 69 -----------------------------------------


def test_no_notification_server_on_the_bus(home: Home, bus: str) -> None:
    code, err = _ends(home.start("remind", "--wait", "1"))
    assert code == EX_UNAVAILABLE
    assert err.splitlines() == [
        "stretchcoach: stretchcoach.reminder.command: the reminder could not be shown: "
        "no notification service on the session bus (waited 1 s)"
    ]


def test_no_session_bus(home: Home) -> None:
    home.env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={home.root / 'no-bus'}"
    code, err = _ends(home.start("remind"))
    assert code == EX_UNAVAILABLE
    assert "the reminder could not be shown: no session bus" in err
    assert len([line for line in err.splitlines() if line.startswith("stretchcoach:")]) == 1


def test_no_qtdbus(home: Home, server: Notifications) -> None:
    home.env["PYTHONPATH"] = f"{NOQT}:{home.env['PYTHONPATH']}"
    code, err = _ends(home.start("remind"))
    assert code == EX_UNAVAILABLE
    assert err.strip().startswith(
        "stretchcoach: stretchcoach.reminder.command: the reminder could not be shown: no QtDBus"
    )
    assert server.calls() == []


# --- the whole chain, under a real systemd user manager -----------------------------------


def test_the_timer_service_reminds_and_start_opens_the_app_in_its_own_unit(home: Home) -> None:
    with user_manager(home.env, home.root / "manager.log") as managed:
        turned_on = home.run("remind", "--at", "00:00", env=managed)
        assert turned_on.returncode == 0 and "systemd user timer" in turned_on.stdout
        (home.root / f"state/{APP_ID}/reminded").unlink()  # as if set yesterday
        record = home.root / "notifications.jsonl"
        with notifications(managed["DBUS_SESSION_BUS_ADDRESS"], record) as server:
            assert systemctl(managed, "start", "--no-block", SERVICE).returncode == 0
            shown = server.shown()  # from the service, on the manager's session bus
            server.invoke(shown["id"], "start")
            wait_for("the app to start", home.windows)
        wait_for(
            "the service to end",
            lambda: systemctl(managed, "is-active", SERVICE).stdout.strip() == "inactive",
        )
        result = systemctl(managed, "show", "--property=Result", SERVICE).stdout.strip()
        assert result == "Result=success"
        (started,) = home.windows()
        assert started["token"] == f"token-{shown['id']}"
        # In a unit of its own (so the reminder's ending does not end it), named as the
        # desktop-app convention asks: app-<id>@<random>.service.
        (unified,) = [line for line in started["cgroup"].splitlines() if line.startswith("0::")]
        assert re.search(rf"/app-{re.escape(APP_ID)}@[0-9a-f]+\.service$", unified), unified

        # A reminder that could not be shown: the service fails, and --status says so.
        systemctl(managed, "set-environment", f"DBUS_SESSION_BUS_ADDRESS=unix:path={home.root}/x")
        (home.root / f"state/{APP_ID}/reminded").unlink()
        systemctl(managed, "start", SERVICE)
        wait_for(
            "the service to fail",
            lambda: systemctl(managed, "is-failed", SERVICE).stdout.strip() == "failed",
        )
        failed = systemctl(managed, "show", "--property=Result,ExecMainStatus", SERVICE)
        assert sorted(failed.stdout.split()) == ["ExecMainStatus=69", "Result=exit-code"]
        status = home.run("remind", "--status", env=managed)
        assert "could not be shown: no notification service answered." in status.stdout
        assert home.run("remind", "--off", env=managed).returncode == 0
