"""The journal file: sessions kept whole, old files migrated, damage moved aside, and a
read-only folder, a full disk or a second copy of the app never stopping a session.

Every test uses real SQLite files; the read-only folder and the full disk are real too
(permissions without root's override, a small tmpfs), in a child process.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import date
from pathlib import Path

import pytest
from journal_helpers import at, integrity, query, raw, session

from stretchcoach.appid import APP_ID
from stretchcoach.journal import schema
from stretchcoach.journal.record import HurtMark, SessionRecord, SkippedStep
from stretchcoach.journal.store import Journal, JournalUnavailable, journal_path

ROOT = Path(__file__).resolve().parent.parent
V1_DUMP = Path(__file__).with_name("journal-v1.sql")
DAY = date(2026, 12, 3)


def _schema_of(path: Path) -> list[tuple[str, str]]:
    conn = raw(path)
    try:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        )
        return [(name, " ".join(sql.split())) for name, sql in rows]
    finally:
        conn.close()


def test_a_session_is_kept_whole_and_saving_again_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    first = session(
        DAY,
        pain_before=5,
        skipped=(SkippedStep(step="easy-bridge", title="Easy bridge"),),
        hurt=(HurtMark(step="heel-slide-right", title="Heel slide", side="right", at=at(DAY)),),
    )
    with Journal(path) as journal:
        assert journal.open() is None
        assert journal.save(first) is None
        answered = first.model_copy(update={"pain": 2, "compared": "better", "note": "looser"})
        assert journal.save(answered) is None
        assert journal.records() == [answered]
    with Journal(path) as reopened:
        assert reopened.records() == [answered]
    assert query(path, "PRAGMA journal_mode") == [("wal",)]
    assert query(path, "PRAGMA user_version") == [(schema.LATEST,)]
    assert query(path, "SELECT count(*) FROM hurt_marks") == [(1,)]


def test_the_journal_lives_in_the_data_folder(private_user_dirs: Path) -> None:
    assert journal_path() == private_user_dirs / "data" / APP_ID / "journal.sqlite3"
    with Journal() as journal:
        assert journal.save(session(DAY)) is None
    assert journal_path().exists()


def test_a_first_schema_file_is_migrated_and_keeps_every_session(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    conn = raw(path)
    conn.executescript(V1_DUMP.read_text(encoding="utf-8"))
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    conn.close()

    with Journal(path) as journal:
        assert journal.open() is None
        old = journal.records()
        assert [r.id for r in old] == [
            "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        ]
        first, logged = old
        assert first.pain == 3 and first.tighter == "left" and first.duration_s == 912.5
        assert first.started == at(date(2026, 11, 30), 7, 30).replace(second=12)
        assert first.skipped == (SkippedStep(step="easy-bridge", title="Easy bridge"),)
        assert first.pain_before is None and first.hurt == ()
        assert logged.started is None and logged.outcome is None and logged.pain == 2
        # What version 2 added works on the migrated file.
        marked = first.model_copy(update={"pain_before": 6, "hurt": (HurtMark(step="heel-slide"),)})
        assert journal.save(marked) is None
        assert journal.records() == [marked, logged]

    fresh = tmp_path / "fresh.sqlite3"
    Journal(fresh).open()
    assert _schema_of(path) == _schema_of(fresh)


@pytest.mark.parametrize("start", range(schema.LATEST))
def test_every_version_migrates_to_the_same_schema_as_a_new_file(
    tmp_path: Path, start: int
) -> None:
    old = tmp_path / "old.sqlite3"
    conn = raw(old)
    schema.migrate(conn, target=start)
    assert schema.version(conn) == start
    conn.close()
    with Journal(old) as journal:
        assert journal.open() is None
    fresh = tmp_path / "fresh.sqlite3"
    with Journal(fresh) as journal:
        journal.open()
    assert _schema_of(old) == _schema_of(fresh)
    assert query(old, "PRAGMA user_version") == [(schema.LATEST,)]


def test_a_failed_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    conn = raw(path)
    schema.migrate(conn, target=1)
    conn.execute("CREATE TABLE hurt_marks (x)")  # the next migration's table, in its way
    with pytest.raises(sqlite3.OperationalError, match="hurt_marks already exists"):
        schema.migrate(conn)
    assert schema.version(conn) == 1
    columns = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
    assert "pain_before" not in columns
    conn.close()


def test_a_file_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        journal.save(session(DAY))
    query(path, f"PRAGMA user_version = {schema.LATEST + 1}")
    before = path.read_bytes()
    with Journal(path) as journal:
        notice = journal.open()
        assert notice is not None and "newer StretchCoach" in notice
        saved = journal.save(session(DAY))
        assert saved is not None and "not recorded" in saved
        with pytest.raises(JournalUnavailable, match="newer StretchCoach"):
            journal.records()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.sqlite3"]


def _aside_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("journal.sqlite3.corrupt-*"))


def _assert_moved_aside(
    notice: str | None, folder: Path, content: bytes, why: str = "was damaged"
) -> None:
    (aside,) = [p for p in _aside_files(folder) if not p.name.endswith(("-wal", "-shm"))]
    assert notice is not None
    assert why in notice and aside.name in notice and "new journal was started" in notice
    assert aside.read_bytes() == content


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    content = b"these are not the pages you are looking for\n" * 200
    path.write_bytes(content)
    with Journal(path) as journal:
        _assert_moved_aside(journal.open(), tmp_path, content)
        assert journal.save(session(DAY)) is None  # the notice was given once
        assert len(journal.records()) == 1


def test_a_damaged_page_is_found_and_the_file_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        for n in range(200):
            journal.save(session(DAY, note=f"session {n} " + "x" * 300))
    [(page_size,)] = query(path, "PRAGMA page_size")
    damaged = bytearray(path.read_bytes())
    middle = len(damaged) // page_size // 2 * page_size  # a page of sessions, not the schema
    damaged[middle : middle + 2 * page_size] = bytes(range(256)) * (page_size * 2 // 256)
    path.write_bytes(damaged)
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):  # SQLite agrees
        integrity(path)

    with Journal(path) as journal:
        notice = journal.save(session(DAY, note="the session in hand"))
        _assert_moved_aside(notice, tmp_path, bytes(damaged))
        assert [r.note for r in journal.records()] == ["the session in hand"]


def test_damage_found_while_saving_moves_the_file_aside_and_saves_anew(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        for n in range(100):
            journal.save(session(DAY, note=f"session {n}"))
    with Journal(path) as journal:
        assert journal.open() is None  # checked and sound
        [(page_size,)] = query(path, "PRAGMA page_size")
        with path.open("r+b") as f:  # damage every page but the first, in place
            f.seek(page_size)
            f.write(b"\xff" * (path.stat().st_size - page_size))
        # Another copy of the app writes: this journal must read the file anew.
        query(path, "PRAGMA user_version = 2")
        notice = journal.save(session(DAY, note="the session in hand"))
        assert notice is not None and "was damaged" in notice and "new journal" in notice
        assert [r.note for r in journal.records()] == ["the session in hand"]
    kept = [p.name for p in _aside_files(tmp_path) if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1


def test_a_database_of_something_else_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    conn = raw(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    content = path.read_bytes()
    with Journal(path) as journal:
        _assert_moved_aside(journal.open(), tmp_path, content, "is not a StretchCoach journal")


CHILD_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}


def _child(
    code: str, prefix: list[str] | None = None, *args: str
) -> subprocess.CompletedProcess[str]:
    """``code`` in a new Python, after ``prefix`` (privileges, mounts), with ``args``."""
    return subprocess.run(
        [*(prefix or []), sys.executable, "-c", textwrap.dedent(code), *args],
        env=CHILD_ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _without_root_override() -> list[str]:
    """A command prefix under which file permissions apply, even to root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and setpriv (util-linux) is missing to drop its override")
    caps = "-dac_override,-dac_read_search,-fowner"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


_SAVE_AND_SAY = """
    import json, sys
    from datetime import date
    from pathlib import Path
    from journal_helpers import session
    from stretchcoach.journal.store import Journal

    journal = Journal(Path(sys.argv[1]))
    opened = journal.open()
    saved = journal.save(session(date(2026, 12, 3)))
    print(json.dumps({"opened": opened, "saved": saved}))
"""


def test_a_read_only_folder_is_reported_and_nothing_raises(tmp_path: Path) -> None:
    prefix = _without_root_override()
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    result = _child(_SAVE_AND_SAY, prefix, str(folder / "journal.sqlite3"))
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout)
    for notice in said.values():
        assert "could not be opened" in notice and "read-only" in notice
    assert "This session was not recorded; the session itself is not affected." in said["saved"]
    assert list(folder.iterdir()) == []


def test_a_journal_made_read_only_keeps_its_sessions_and_says_why(tmp_path: Path) -> None:
    prefix = _without_root_override()
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "journal.sqlite3"
    with Journal(path) as journal:
        journal.save(session(DAY, note="before"))
    path.chmod(0o444)
    folder.chmod(0o555)
    result = _child(_SAVE_AND_SAY, prefix, str(path))
    folder.chmod(0o755)
    path.chmod(0o644)
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout)
    assert said["saved"] is not None and "not recorded" in said["saved"]
    assert "damaged" not in result.stdout
    assert integrity(path) == "ok"
    with Journal(path) as journal:
        assert [r.note for r in journal.records()] == ["before"]


def _tmpfs_prefix(folder: Path, size: str) -> list[str]:
    """A command prefix that runs the command with a small tmpfs mounted on ``folder``
    (a private mount namespace, so nothing outside sees it); skips where that is denied."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is missing: no private tmpfs for a full disk")
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    prefix = [unshare, *user, "--mount", "--propagation", "private", "sh", "-c",
              f'mount -t tmpfs -o size={size} tmpfs "$0" && exec "$@"', str(folder)]  # fmt: skip
    probe = subprocess.run([*prefix, "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a private tmpfs here: {probe.stderr.strip()}")
    return prefix


def test_a_full_disk_is_reported_and_the_journal_stays_whole(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    code = f"""
        import json, sqlite3
        from datetime import date
        from pathlib import Path
        from journal_helpers import session
        from stretchcoach.journal.store import Journal

        folder = Path({str(folder)!r})
        journal = Journal(folder / "journal.sqlite3")
        said = {{"first": journal.save(session(date(2026, 12, 1)))}}
        filler = folder / "filler"
        with filler.open("wb", buffering=0) as f:  # take every free byte
            try:
                while True:
                    f.write(b"x" * 4096)
            except OSError:
                pass
        big = "a long note " * 40
        said["full"] = [journal.save(session(date(2026, 12, 2), note=big)) for _ in range(20)]
        filler.unlink()
        said["after"] = journal.save(session(date(2026, 12, 3)))
        journal.close()
        conn = sqlite3.connect(folder / "journal.sqlite3")
        said["integrity"] = conn.execute("PRAGMA integrity_check").fetchone()[0]
        said["days"] = [d for (d,) in conn.execute("SELECT day FROM sessions ORDER BY day")]
        print(json.dumps(said))
    """
    result = _child(code, _tmpfs_prefix(folder, "256k"))
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout)
    assert said["first"] is None
    assert said["full"][-1] is not None and "the disk is full" in said["full"][-1]
    assert "not recorded" in said["full"][-1]
    assert said["after"] is None
    assert said["integrity"] == "ok"
    assert said["days"][0] == "2026-12-01" and said["days"][-1] == "2026-12-03"


def test_two_copies_of_the_app_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    code = """
        import sys
        from datetime import date, timedelta
        from pathlib import Path
        from journal_helpers import session
        from stretchcoach.journal.store import Journal

        journal = Journal(Path(sys.argv[1]))
        for n in range(150):
            notice = journal.save(session(date(2020, 1, 1) + timedelta(days=n), note=sys.argv[2]))
            if notice:
                sys.exit(notice)
            journal.records()  # reading between writes, as the Progress screen will
    """
    copies = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), str(path), name],
            env=CHILD_ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    for copy in copies:
        _, err = copy.communicate(timeout=120)
        assert copy.returncode == 0, err
    assert integrity(path) == "ok"
    with Journal(path) as journal:
        notes = [r.note for r in journal.records()]
    assert sorted(notes) == sorted(["first"] * 150 + ["second"] * 150)


def test_opening_a_journal_to_read_never_waits_for_a_write(tmp_path: Path) -> None:
    """The Progress screen opens the journal while a session is being saved: reading an
    up-to-date file takes no lock (a write holds its lock for one fsync, longer than the
    busy timeout on a busy disk)."""
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        assert journal.save(session(DAY, note="saved")) is None
    writer = raw(path)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another copy of the app, mid-save
        writer.execute("UPDATE sessions SET note = 'saving'")
        with Journal(path) as reader:
            assert reader.open() is None
            assert [r.note for r in reader.records()] == ["saved"]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_journal_file_with_an_invalid_session_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        journal.save(session(DAY))
    query(path, "UPDATE sessions SET routine = ''")  # edited with a tool, badly
    with Journal(path) as journal, pytest.raises(JournalUnavailable, match="is not valid"):
        journal.records()


def test_records_validate_strictly() -> None:
    with pytest.raises(ValueError, match="valid integer"):
        SessionRecord.model_validate({"day": DAY, "routine": "r", "pain": 3.0})
    with pytest.raises(ValueError, match="timezone"):
        naive = at(DAY).replace(tzinfo=None)
        SessionRecord.model_validate({"day": DAY, "routine": "r", "started": naive})
    with pytest.raises(ValueError, match="is not on 'day'"):
        session(DAY, started=at(date(2026, 12, 4)))
    with pytest.raises(ValueError, match="more than 'steps_total'"):
        session(DAY, steps_done=17)
    assert session(DAY).id != session(DAY).id  # random: unique across computers


def test_a_journal_being_created_is_never_taken_for_a_damaged_one(tmp_path: Path) -> None:
    """One copy of the app creates the journal while another opens it (the window's
    recorder and the picker's reader do, at start): the reader must never catch it between
    the new tables and their version, call it damaged and move it aside."""
    for attempt in range(40):
        path = tmp_path / f"{attempt}" / "journal.sqlite3"
        path.parent.mkdir()
        writing = threading.Event()

        def write(path: Path = path, writing: threading.Event = writing) -> None:
            writing.set()
            with Journal(path) as journal:
                journal.save(session(DAY))

        writer = threading.Thread(target=write)
        writer.start()
        writing.wait()
        while writer.is_alive():
            with Journal(path) as journal:
                journal.records()
        writer.join()
        assert [p.name for p in path.parent.iterdir() if "corrupt" in p.name] == []
        with Journal(path) as journal:
            assert len(journal.records()) == 1
