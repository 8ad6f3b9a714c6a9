"""The journal's reads run off the window's thread, and only the latest answer of a kind
is given (a real journal file; the reads are held with events, never timed)."""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from stretchcoach.journal.store import Journal, JournalUnavailable
from stretchcoach.ui.journal_reader import JournalReader


def test_a_read_runs_on_another_thread_and_answers_on_this_one(
    qtbot: QtBot, tmp_path: Path
) -> None:
    reader = JournalReader(lambda: tmp_path / "journal.sqlite3")
    ran_on: list[threading.Thread] = []

    def job(journal: Journal) -> int:
        ran_on.append(threading.current_thread())
        return len(journal.records())

    answers: list[tuple[str, object, threading.Thread]] = []
    reader.answered.connect(
        lambda tag, result: answers.append((tag, result, threading.current_thread()))
    )
    reader.read("count", job)
    qtbot.waitUntil(lambda: bool(answers))
    reader.close()
    assert ran_on and ran_on[0] is not threading.main_thread()
    assert answers == [("count", 0, threading.main_thread())]


def test_only_the_latest_read_of_a_tag_answers(qtbot: QtBot, tmp_path: Path) -> None:
    reader = JournalReader(lambda: tmp_path / "journal.sqlite3")
    release = threading.Event()
    answers: list[object] = []
    reader.answered.connect(lambda _tag, result: answers.append(result))

    def slow(_journal: Journal) -> str:
        release.wait()
        return "older"

    reader.read("figures", slow)
    reader.read("figures", lambda _journal: "newer")
    qtbot.waitUntil(lambda: answers == ["newer"])
    release.set()
    reader.close()
    qtbot.wait(0)  # anything the older read might still have queued is delivered now
    assert answers == ["newer"]


def test_a_journal_that_cannot_be_opened_answers_in_words(qtbot: QtBot, tmp_path: Path) -> None:
    reader = JournalReader(lambda: tmp_path)  # a folder, not a file
    with qtbot.waitSignal(reader.answered) as answered:
        reader.read("count", lambda journal: len(journal.records()))
    reader.close()
    tag, result = answered.args
    assert tag == "count" and isinstance(result, JournalUnavailable)
