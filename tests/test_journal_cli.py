"""``stretchcoach journal`` end to end: a real process, the real data folder (a private one,
from conftest), plain words and exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from journal_helpers import query, session

from stretchcoach.appid import APP_ID
from stretchcoach.commands import journal as commands
from stretchcoach.journal import csvfile
from stretchcoach.journal.store import Journal, journal_path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DISPLAY", None)
    if data is not None:
        env["XDG_DATA_HOME"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", "journal", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_empty_journal_says_how_to_start() -> None:
    result = _run()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No sessions in your journal yet.")
    assert "stretchcoach journal log ROUTINE" in result.stdout


def test_log_then_summary() -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    logged = _run("log", "hip-stretch", "--date", yesterday, "--pain", "4", "--tighter", "left")
    assert logged.returncode == 0, logged.stderr
    assert logged.stdout.startswith("Logged Hip Stretch on ")
    assert logged.stdout.rstrip().endswith("(pain 4, tighter: left).")
    today = _run("log", "daily-minimum", "--pain", "3", "--note", "a short one, after work")
    assert today.returncode == 0, today.stderr

    with Journal() as journal:
        older, newer = journal.records()
    assert (older.routine, older.day.isoformat(), older.pain, older.tighter) == (
        "hip-stretch",
        yesterday,
        4,
        "left",
    )
    assert (newer.day, newer.note, newer.started, newer.outcome) == (
        date.today(),
        "a short one, after work",
        None,  # the time of a session done elsewhere is not known
        None,
    )

    summary = _run()
    assert summary.returncode == 0, summary.stderr
    lines = summary.stdout.splitlines()
    assert lines[0].startswith("This week (Monday ")
    assert lines[1].startswith("Streak: 2 days in a row, today included.")
    assert lines[2].startswith("Pain over the last 4 weeks: not enough ratings yet")
    assert lines[3] == f"Your journal holds 2 sessions: {journal_path()}"


def test_bad_options_are_named_and_nothing_is_logged() -> None:
    result = _run(
        "log", "lower-back-relief", "--date", "2026-02-30", "--pain", "11", "--tighter", "up"
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'stretchcoach journal log: --date: must be a date like 2026-12-03, not "2026-02-30"',
        'stretchcoach journal log: --pain: must be 0–10, not "11"',
        'stretchcoach journal log: --tighter: must be left, right or same, not "up"',
    ]
    assert "Traceback" not in result.stderr
    unknown = _run("log", "lower-back-relif", "--pain", "ten")
    assert unknown.returncode == 1
    assert unknown.stderr.splitlines() == [
        "stretchcoach journal log: no routine has the id 'lower-back-relif' "
        "(did you mean 'lower-back-relief'? see 'stretchcoach list')",
        'stretchcoach journal log: --pain: must be 0–10, not "ten"',
    ]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    future = _run("log", "hip-stretch", "--date", tomorrow)
    assert future.returncode == 1
    assert "--date: must not be after today" in future.stderr
    assert not journal_path().exists() or query(journal_path(), "SELECT * FROM sessions") == []


def test_export_and_import_move_a_journal_to_another_computer(tmp_path: Path) -> None:
    with Journal() as journal:
        journal.merge([session(date(2026, 11, d), pain=d % 11) for d in range(1, 31)])
    csv_path = tmp_path / "moving.csv"
    exported = _run("export", str(csv_path))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == f"Wrote 30 sessions to {csv_path}.\n"

    elsewhere = tmp_path / "new-computer"
    first = _run("import", str(csv_path), data=elsewhere)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"Imported 30 sessions from {csv_path}.\n"
    again = _run("import", str(csv_path), data=elsewhere)
    assert again.stdout == (
        f"Imported 0 sessions from {csv_path}; 30 were already in your journal.\n"
    )
    with Journal(elsewhere / APP_ID / "journal.sqlite3") as moved:
        assert [r.pain for r in moved.records()] == [d % 11 for d in range(1, 31)]


def test_import_of_a_bad_file_names_every_problem_and_imports_nothing(tmp_path: Path) -> None:
    good = [session(date(2026, 11, d)) for d in (1, 2, 3)]
    lines = csvfile.to_text(good).split("\r\n")
    lines[1] = lines[1].replace(",16,16,900.0,", ",16,16,nine hundred,")  # line 2
    lines[3] = lines[3].replace("lower-back-relief", "")  # line 4
    bad = tmp_path / "bad.csv"
    bad.write_text("\r\n".join(lines), encoding="utf-8", newline="")
    result = _run("import", str(bad))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f'{bad}:2: duration_s: must be seconds, 0–86400, not "nine hundred"',
        f"{bad}:4: routine: must be a routine id: one line of at most 100 characters "
        "(it is missing)",
        "Nothing was imported: fix the 2 problems above and import the file again.",
    ]
    assert not journal_path().exists() or query(journal_path(), "SELECT * FROM sessions") == []


def test_export_to_a_place_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    result = _run("export", str(folder))
    assert result.returncode == 1
    assert result.stderr == (
        f"stretchcoach journal export: {folder}: cannot be written (Is a directory)\n"
    )
    assert list(folder.iterdir()) == [] and [p.name for p in tmp_path.iterdir()] == [folder.name]


def test_the_journal_commands_never_import_qt() -> None:
    code = (
        "import sys\nfrom stretchcoach.cli import main\n"
        "assert main(['journal']) == 0\n"
        "assert 'PySide6' not in sys.modules, 'Qt was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_summary_in_words() -> None:
    today = date(2026, 12, 3)  # Thursday
    with Journal() as journal:
        journal.merge(
            [session(today - timedelta(days=n), pain=p) for n, p in ((1, 2), (2, 2), (15, 5))]
            + [session(today - timedelta(days=16), pain=5)]
        )

    def said(day: date) -> list[str]:
        out, err = io.StringIO(), io.StringIO()
        assert commands.summary(out, err, today=day) == 0
        assert err.getvalue() == ""
        return out.getvalue().splitlines()

    assert said(today)[:3] == [
        "This week (Monday 30 November to Sunday 6 December): 2 sessions.",
        "Streak: 2 days in a row to yesterday; a session today adds one. "
        "Longest: 2 days, to Wednesday 2 December 2026.",
        "Pain over the last 4 weeks: lower: 2.0 on average in the last 2 weeks (2 ratings), "
        "against 5.0 in the 2 weeks before (2 ratings).",
    ]
    assert said(today - timedelta(days=1))[1].startswith("Streak: 2 days in a row, today included")
    assert said(today + timedelta(days=1))[:2] == [
        "This week (Monday 30 November to Sunday 6 December): 2 sessions.",
        "Streak: none at the moment (a session today starts one). "
        "Longest: 2 days, to Wednesday 2 December 2026.",
    ]
