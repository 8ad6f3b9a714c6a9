"""Installing and removing the daily reminder, for real, against the test's own folders:
a real systemd user manager (``systemd_helpers``) or none reachable, the real command line,
the unit files checked by ``systemd-analyze verify`` and the login entry by
``desktop-file-validate``. Never the person's own units: every environment here has the
test's folders and no way to the person's user manager."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from dbus_helpers import wait_for
from reminder_helpers import Home
from systemd_helpers import no_manager, systemctl, user_manager

from stretchcoach.appid import APP_ID
from stretchcoach.reminder import install, reminded
from stretchcoach.reminder.schedule import Schedule
from stretchcoach.settings import WEEKDAYS, Settings

TIMER = f"{APP_ID}-reminder.timer"
SERVICE = f"{APP_ID}-reminder.service"
UNITS = f"config/systemd/user/{TIMER}", f"config/systemd/user/{SERVICE}"
WANTS = f"config/systemd/user/timers.target.wants/{TIMER}"
ENTRY = f"config/autostart/{APP_ID}-reminder.desktop"
STAMP = f"data/systemd/timers/stamp-{TIMER}"  # systemd's, for Persistent=true


@pytest.fixture(autouse=True)
def nothing_of_the_persons(private_user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process calls must not reach the person's user manager over their session bus,
    nor their state folder (the conftest makes the others private)."""
    for var in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(private_user_dirs / "state"))


@pytest.fixture
def home(private_user_dirs: Path) -> Home:
    return Home(private_user_dirs)


@pytest.fixture
def managed(home: Home) -> Iterator[dict[str, str]]:
    """``home``'s environment with a real systemd user manager running for it."""
    with user_manager(home.env, home.root / "manager.log") as env:
        yield env


def _verify(*units: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("needs systemd-analyze")
    result = subprocess.run(
        ["systemd-analyze", "--user", "verify", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def _exec_start(unit: Path) -> str:
    (line,) = [x for x in unit.read_text().splitlines() if x.startswith("ExecStart=")]
    return line.removeprefix("ExecStart=")


def _next_elapse(env: dict[str, str]) -> datetime:
    listed = systemctl(env, "list-timers", "--all", "--output=json", TIMER)
    (timer,) = json.loads(listed.stdout)
    return datetime.fromtimestamp(timer["next"] / 1e6).astimezone()


# --- with no systemd user manager: the login entry ------------------------------------


def test_without_a_user_manager_a_login_entry_comes_and_goes(home: Home) -> None:
    env = no_manager(home.env)
    before = home.files()

    turned_on = home.run("remind", "--at", "7:30", "--days", "mon,Wednesday,fri", env=env)
    assert turned_on.returncode == 0, turned_on.stderr
    assert "at 07:30 on Mondays, Wednesdays and Fridays" in turned_on.stdout
    assert "login entry (not a systemd timer: there is no systemd user manager" in turned_on.stdout
    assert home.files() == before | {ENTRY}
    entry = home.root / ENTRY
    valid = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
    )
    assert valid.returncode == 0 and not valid.stdout.strip(), valid.stdout
    assert f'Exec="{home.command}" remind --if-due' in entry.read_text().replace("\\\\", "\\")
    saved = json.loads((home.config / APP_ID / "settings.json").read_text())
    assert saved["remind_at"] == "07:30" and saved["remind_days"] == ["mon", "wed", "fri"]

    status = home.run("remind", "--status", env=env)
    assert status.returncode == 0 and status.stdout == turned_on.stdout

    turned_off = home.run("remind", "--off", env=env)
    assert turned_off.returncode == 0, turned_off.stderr
    assert turned_off.stdout.strip() == "The daily reminder is off; nothing is installed for it."
    assert home.files() == before
    saved = json.loads((home.config / APP_ID / "settings.json").read_text())
    assert saved["remind_at"] is None and saved["remind_days"] == ["mon", "wed", "fri"]


def test_gio_runs_the_login_entry_as_written(home: Home) -> None:
    """GLib (what GNOME uses) reads the entry's Exec= back into the command we meant, space
    and all: the stand-in is started with --if-due's arguments (it runs, finds the
    reminder not due on no day of the week it is not on, and ends)."""
    if shutil.which("gio") is None:
        pytest.skip("needs gio (libglib2.0-bin)")
    env = no_manager(home.env)
    today = WEEKDAYS[date.today().weekday()]
    others = ",".join(d for d in WEEKDAYS if d != today)
    assert home.run("remind", "--at", "23:59", "--days", others, env=env).returncode == 0
    launched = subprocess.run(
        ["gio", "launch", str(home.root / ENTRY)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert launched.returncode == 0, launched.stderr
    wait_for("the entry's command to run", lambda: "no reminder now" in home.log())
    assert f"no reminder on {date.today():%A}s" in home.log()


def test_a_setting_that_is_on_but_not_installed_says_so(home: Home) -> None:
    env = no_manager(home.env)
    settings = home.config / APP_ID / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(Settings(remind_at="18:00").model_dump_json(), encoding="utf-8")
    status = home.run("remind", "--status", env=env)
    assert status.returncode == 1
    assert "on: at 18:00 every day" in status.stdout
    assert "nothing is installed to bring it; install it with: stretchcoach remind --at 18:00" in (
        status.stdout
    )


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--at", "7.30"), "--at: '7.30' is not a time of day; give it as HH:MM, like 07:30"),
        (("--at", "24:00"), "--at: '24:00' is not a time of day"),
        (("--at", "07:30", "--days", "mon,funday"), "--days: 'funday' is not a day"),
        (("--at", "07:30", "--days", "t"), "--days: 't' is not a day"),
        (("--days", "mon"), "the reminder is off; give its time too: --at HH:MM"),
    ],
)
def test_bad_options_are_named_and_change_nothing(
    home: Home, args: tuple[str, ...], problem: str
) -> None:
    env = no_manager(home.env)
    before = home.files()
    result = home.run("remind", *args, env=env)
    assert result.returncode == 1
    assert result.stderr.strip().startswith(f"stretchcoach remind: {problem}")
    assert home.files() == before
    assert not (home.config / APP_ID / "settings.json").exists()


def test_days_go_with_a_time_not_with_the_other_options(home: Home) -> None:
    for other in ("--off", "--status", "--if-due"):
        result = home.run("remind", other, "--days", "mon", env=no_manager(home.env))
        assert result.returncode == 2
        assert result.stderr == "stretchcoach remind: --days goes with --at (or alone)\n"


def test_a_time_already_past_today_counts_as_todays_reminder(home: Home) -> None:
    now = datetime.now().astimezone()
    past = Settings(remind_at="00:00")
    install.apply(past, now)
    assert reminded.last_day() == now.date()
    install.apply(Settings(), now)  # off: the stamp goes too
    assert reminded.last_day() is None
    later = (datetime.combine(now.date(), time(23, 59))).astimezone()
    install.apply(past.model_copy(update={"remind_at": "23:59"}), later - timedelta(hours=1))
    assert reminded.last_day() is None
    install.apply(Settings())


# --- with a real systemd user manager: the timer ---------------------------------------


def test_with_a_user_manager_a_timer_comes_and_goes(home: Home, managed: dict[str, str]) -> None:
    before = home.files()
    turned_on = home.run("remind", "--at", "07:30", "--days", "weekdays", env=managed)
    assert turned_on.returncode == 0, turned_on.stderr
    assert home.files() == before | {*UNITS, WANTS, STAMP}
    timer, service = (home.root / unit for unit in UNITS)
    _verify(timer, service)
    assert "OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 07:30:00\nPersistent=true" in timer.read_text()
    assert _exec_start(service) == f'"{home.command}" remind --if-due'
    shown = systemctl(managed, "show", "--property=ExecStart", SERVICE).stdout
    assert f"path={home.command} ; argv[]={home.command} remind --if-due" in shown
    state = systemctl(managed, "show", "--property=UnitFileState,ActiveState", TIMER).stdout
    assert sorted(state.split()) == ["ActiveState=active", "UnitFileState=enabled"]

    now = datetime.now().astimezone()
    expected = Schedule(time(7, 30), frozenset(WEEKDAYS[:5])).next_after(now)
    assert _next_elapse(managed) == expected
    assert turned_on.stdout.splitlines()[:2] == [
        "The daily reminder is on: at 07:30 on weekdays (Monday to Friday).",
        "It is a systemd user timer, enabled and waiting: "
        f"{home.root / UNITS[0]}, {home.root / UNITS[1]}.",
    ]
    assert turned_on.stdout.splitlines()[2].startswith("Next: ")

    changed = home.run("remind", "--days", "sat", env=managed)
    assert changed.returncode == 0, changed.stderr
    assert "OnCalendar=Sat *-*-* 07:30:00" in timer.read_text()
    weekend = Schedule(time(7, 30), frozenset({"sat"})).next_after(datetime.now().astimezone())
    assert _next_elapse(managed) == weekend

    again = home.files()
    assert home.run("remind", "--days", "sat", env=managed).returncode == 0
    assert home.files() == again  # the same settings: nothing rewritten, nothing added

    turned_off = home.run("remind", "--off", env=managed)
    assert turned_off.returncode == 0, turned_off.stderr
    assert home.files() == before  # the link and systemd's stamp of the timer too
    gone = systemctl(managed, "show", "--property=LoadState", TIMER).stdout.strip()
    assert gone == "LoadState=not-found"
    assert systemctl(managed, "list-timers", "--all", "--output=json").stdout.strip() == "[]"


def test_setting_a_time_already_past_today_does_not_pop_up_a_reminder(
    home: Home, managed: dict[str, str]
) -> None:
    """systemd catches up at once on a Persistent= timer whose calendar has a moment
    since it last fired; a person setting 00:01 at noon gets no reminder for it."""
    assert home.run("remind", "--at", "00:00", env=managed).returncode == 0
    yesterday = (datetime.now() - timedelta(days=1)).timestamp()
    os.utime(home.root / STAMP, (yesterday, yesterday))  # it last fired yesterday
    reminded.stamp_path().unlink()
    assert home.run("remind", "--at", "00:01", env=managed).returncode == 0
    wait_for("systemd's catch-up run", lambda: "no reminder now" in home.log())
    assert "no reminder now: already reminded today" in home.log()
    assert "notification" not in home.log()
    assert home.run("remind", "--off", env=managed).returncode == 0


def test_it_moves_between_a_timer_and_a_login_entry(home: Home) -> None:
    before = home.files()
    without = no_manager(home.env)
    assert home.run("remind", "--at", "06:45", env=without).returncode == 0
    assert home.files() == before | {ENTRY}
    with user_manager(home.env, home.root / "manager.log") as managed:
        moved = home.run("remind", "--at", "06:45", env=managed)
        assert moved.returncode == 0, moved.stderr
        assert "systemd user timer, enabled and waiting" in moved.stdout
        assert home.files() == before | {*UNITS, WANTS, STAMP}
    # The manager is gone (a session without systemd now): the entry comes back, and the
    # units go, with the link `enable` made, which no systemctl can remove now.
    back = home.run("remind", "--at", "06:45", env=without)
    assert back.returncode == 0, back.stderr
    assert home.files() == before | {ENTRY}
    assert home.run("remind", "--off", env=without).returncode == 0
    assert home.files() == before


@pytest.mark.parametrize(
    ("ours", "why"),
    [
        (
            {"DBUS_SESSION_BUS_ADDRESS": "unix:abstract=/tmp/dbus-desktop,guid=0123"},
            "systemd's services are not on this desktop's session bus",
        ),
        ({"DISPLAY": ":42"}, "systemd's services do not know this desktop's display"),
    ],
)
def test_a_user_manager_outside_this_desktop_gets_a_login_entry(
    home: Home, managed: dict[str, str], ours: dict[str, str], why: str
) -> None:
    """A manager whose services would not reach this desktop's notifications (another
    session bus, as with dbus-launch) or its display: the login entry, and why."""
    before = home.files()
    env = {**managed, **ours}
    result = home.run("remind", "--at", "07:30", env=env)
    assert result.returncode == 0, result.stderr
    assert f"It is a login entry (not a systemd timer: {why}" in result.stdout
    assert home.files() == before | {ENTRY}
    assert home.run("remind", "--off", env=env).returncode == 0
    assert home.files() == before


def test_a_manager_on_the_same_bus_by_another_address_still_gets_the_timer(
    home: Home, managed: dict[str, str]
) -> None:
    """The bus's guid in our address, none in systemd's: the same bus."""
    env = {**managed, "DBUS_SESSION_BUS_ADDRESS": managed["DBUS_SESSION_BUS_ADDRESS"] + ",guid=42"}
    result = home.run("remind", "--at", "07:30", env=env)
    assert result.returncode == 0 and "systemd user timer" in result.stdout, result.stdout
    assert home.run("remind", "--off", env=env).returncode == 0


def test_status_of_units_left_while_off(home: Home, managed: dict[str, str]) -> None:
    assert home.run("remind", "--at", "07:30", env=managed).returncode == 0
    settings = home.config / APP_ID / "settings.json"
    settings.write_text(Settings().model_dump_json(), encoding="utf-8")  # off, by hand
    status = home.run("remind", "--status", env=managed)
    assert status.returncode == 1
    assert status.stdout.startswith("The daily reminder is off, but these are still installed: ")
    assert "stretchcoach remind --off removes them." in status.stdout
    assert home.run("remind", "--off", env=managed).returncode == 0
    assert home.run("remind", "--status", env=managed).returncode == 0
