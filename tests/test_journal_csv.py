"""CSV export and import: lossless round trips, every bad row located, nothing half-done."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from journal_helpers import records, years_of_daily_sessions

from stretchcoach.journal import csvfile
from stretchcoach.journal.cells import COLUMNS, WHAT, decode, encode
from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.store import Journal


def _texts(found: list[SessionRecord]) -> list[dict[str, str]]:
    """Records as their cells: equal only if every value, offsets included, is equal."""
    return sorted((encode(r) for r in found), key=lambda cells: cells["id"])


@given(records())
def test_a_record_survives_its_cells(record: SessionRecord) -> None:
    assert decode(encode(record)) == record
    assert encode(decode(encode(record))) == encode(record)  # type: ignore[arg-type]


_operations = st.lists(
    st.one_of(
        st.tuples(st.just("log"), records()),
        st.tuples(st.just("import"), st.lists(records(), max_size=3)),
        st.tuples(st.just("reimport"), st.integers(0, 10)),  # some sessions it already has
        st.tuples(st.just("export"), st.none()),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(_operations)
def test_any_sequence_of_log_import_export_round_trips_losslessly(
    operations: list[tuple[str, object]],
) -> None:
    """A model of the journal (id to record) against the real one, through real files."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        model: dict[str, SessionRecord] = {}
        with Journal(folder / "journal.sqlite3") as journal:
            for n, (operation, argument) in enumerate(operations):
                if operation == "log":
                    assert isinstance(argument, SessionRecord)
                    assert journal.save(argument) is None
                    model[argument.id] = argument
                elif operation in ("import", "reimport"):
                    if operation == "import":
                        batch = list(argument)  # type: ignore[call-overload]
                    else:
                        batch = list(model.values())[: int(argument)]  # type: ignore[call-overload]
                    path = folder / f"in-{n}.csv"
                    path.write_text(csvfile.to_text(batch), encoding="utf-8", newline="")
                    merged = journal.merge(csvfile.read(path))
                    new = [r for r in batch if r.id not in model]
                    assert (merged.added, merged.already) == (len(new), len(batch) - len(new))
                    model.update((r.id, r) for r in new)
                else:
                    path = folder / f"out-{n}.csv"
                    assert csvfile.export(journal, path) == len(model)
                    with Journal(folder / f"elsewhere-{n}.sqlite3") as elsewhere:
                        elsewhere.merge(csvfile.read(path))
                        assert _texts(elsewhere.records()) == _texts(list(model.values()))
                assert _texts(journal.records()) == _texts(list(model.values()))


def test_five_years_export_and_import_whole(tmp_path: Path) -> None:
    history = years_of_daily_sessions(date(2026, 12, 3))
    path = tmp_path / "journal.csv"
    with Journal(tmp_path / "here.sqlite3") as here:
        here.merge(history)
        assert csvfile.export(here, path) == len(history)
    text = path.read_bytes()
    assert text.startswith(b"id,day,started,routine,") and text.count(b"\r\n") >= len(history)
    with Journal(tmp_path / "there.sqlite3") as there:
        merged = there.merge(csvfile.read(path))
        assert (merged.added, merged.already) == (len(history), 0)
        assert there.records() == history
        again = there.merge(csvfile.read(path))
        assert (again.added, again.already, again.differing) == (0, len(history), 0)


HEADER = ",".join(COLUMNS)
GOOD = "0f1e2d3c4b5a69788796a5b4c3d2e1f0,2026-12-03,,lower-back-relief" + "," * 14


def _row(**cells: str) -> str:
    values = dict.fromkeys(COLUMNS, "")
    values.update(id="a" * 32, day="2026-12-03", routine="lower-back-relief")
    values.update(cells)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([values[c] for c in COLUMNS])
    return buffer.getvalue()


def _problems(tmp_path: Path, text: str | bytes) -> list[str]:
    path = tmp_path / "FILE.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    with pytest.raises(csvfile.CsvProblems) as caught:
        csvfile.read(path, name="FILE.csv")
    return [str(problem) for problem in caught.value.problems]


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        HEADER
        + "\r\n"
        + _row(id="1" * 32, pain="3", note="two\nlines")  # lines 2-3
        + _row(id="2" * 32, pain="11")  # line 4
        + "\r\n"  # line 5: blank, skipped
        + _row(id="3" * 32, pain="3.0", tighter="up", day="2026-02-30")  # line 6
        + _row(id="4" * 32, hurt='[{"step": "a", "side": "middle"}]')  # line 7
        + _row(id="5" * 32, steps_done="5", steps_total="3")  # line 8
        + _row(id="1" * 32)  # line 9
        + _row(id="", started="2026-12-03T07:00:00")  # line 10
    )
    assert _problems(tmp_path, text) == [
        'FILE.csv:4: pain: must be 0–10, not "11"',
        'FILE.csv:6: day: must be a date like 2026-12-03, not "2026-02-30"',
        'FILE.csv:6: pain: must be 0–10, not "3.0"',
        'FILE.csv:6: tighter: must be left, right or same, not "up"',
        'FILE.csv:7: hurt[0].side: must be left or right, not "middle"',
        "FILE.csv:8: 'steps_done' (5) is more than 'steps_total' (3)",
        "FILE.csv:9: id: the same session as on line 2",
        f"FILE.csv:10: id: must be {WHAT['id']} (it is missing)",
        f'FILE.csv:10: started: must be {WHAT["started"]}, not "2026-12-03T07:00:00"',
    ]


def test_nothing_is_imported_from_a_file_with_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "FILE.csv"
    path.write_text(HEADER + "\r\n" + _row() + _row(id="b" * 32, pain="-1"), encoding="utf-8")
    with Journal(tmp_path / "journal.sqlite3") as journal:
        with pytest.raises(csvfile.CsvProblems, match=r"FILE.csv:3: pain: must be 0–10"):
            journal.merge(csvfile.read(path))
        assert journal.records() == []


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (HEADER.replace("pain,", "pian,"), "unknown column 'pian' (did you mean 'pain'?"),
        (HEADER.replace("routine,", ""), "the column 'routine' is missing"),
        (HEADER + ",note", "the column 'note' is there twice"),
    ],
)
def test_header_problems_are_named(tmp_path: Path, header: str, problem: str) -> None:
    (found,) = _problems(tmp_path, header + "\r\n")
    assert found.startswith(f"FILE.csv:1: {problem}")


def test_the_header_may_come_in_any_order_and_lack_optional_columns(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("routine,day,id,pain\r\nhip-stretch,2026-12-01," + "c" * 32 + ",4\r\n")
    (record,) = csvfile.read(path)
    assert (record.routine, record.pain, record.note) == ("hip-stretch", 4, None)


def test_rows_of_the_wrong_length_and_broken_quotes_are_located(tmp_path: Path) -> None:
    assert _problems(tmp_path, HEADER + "\r\n" + GOOD + ",extra\r\n") == [
        "FILE.csv:2: has 19 cells, but the header names 18 columns"
    ]
    (broken,) = _problems(tmp_path, HEADER + '\r\n"abc"def,x\r\n')
    assert broken.startswith("FILE.csv:2: is not valid CSV")


def test_a_file_that_is_not_utf8_empty_or_too_big_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    latin1 = (HEADER + "\r\n" + _row(note="café")).encode("latin-1")
    assert _problems(tmp_path, latin1) == [
        "FILE.csv:2: is not UTF-8 text (byte 0xe9); save it as UTF-8 CSV"
    ]
    assert _problems(tmp_path, "") == ["FILE.csv: is empty (an export starts with a header line)"]
    monkeypatch.setattr(csvfile, "MAX_BYTES", 100)
    (big,) = _problems(tmp_path, HEADER + "\r\n" + _row())
    assert "is too big to be a journal export" in big


def test_a_spreadsheets_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "from-a-spreadsheet.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "\r\n" + _row(note="café")).encode())
    (record,) = csvfile.read(path)
    assert record.note == "café"
