"""The journal as a CSV file, for moving to a new computer or looking at in a spreadsheet.

The file is UTF-8, RFC 4180 (comma-separated, CRLF line ends, quoted where needed), with
a header naming the columns of ``cells.COLUMNS``; one row per session, oldest first. It is
written atomically. Reading checks the whole file before anything is imported and reports
every problem with its line (``FILE.csv:17: pain: must be 0–10, not "11"``); columns may be
in any order, and a byte-order mark (as spreadsheets write) is accepted.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator
from pathlib import Path

from stretchcoach.journal.cells import COLUMNS, WHAT, decode, encode
from stretchcoach.journal.record import SessionRecord
from stretchcoach.journal.store import Journal
from stretchcoach.paths import write_atomically
from stretchcoach.routine.problems import Problem

MAX_BYTES = 32 * 1024 * 1024  # decades of daily sessions fit in a few MB
REQUIRED = ("id", "day", "routine")


class CsvProblems(Exception):
    """The file cannot be imported; ``problems`` says every reason, each located."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def to_text(records: list[SessionRecord]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(encode(record) for record in records)
    return out.getvalue()


def export(journal: Journal, path: Path) -> int:
    """Write every session to ``path``; how many. Raises ``JournalUnavailable`` or
    ``OSError`` (the file could not be written: the old one, if any, is untouched)."""
    records = journal.records()
    write_atomically(path, to_text(records))
    return len(records)


def _text(path: Path, name: str) -> str:
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as err:
        raise CsvProblems([Problem(name, "", None, f"cannot be read ({err.strerror})")]) from err
    if len(raw) > MAX_BYTES:
        message = f"is too big to be a journal export (over {MAX_BYTES // 1024 // 1024} MB)"
        raise CsvProblems([Problem(name, "", None, message)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        message = f"is not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8 CSV"
        raise CsvProblems([Problem(name, "", line, message)]) from None


def _rows(text: str, name: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row with the line it starts on; a CSV syntax error ends the file."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            problems.append(Problem(name, "", line, f"is not valid CSV: {err}"))
            return
        if row:
            yield line, row


def _header(row: list[str], name: str, line: int) -> list[Problem]:
    problems = []
    for column in row:
        if column not in COLUMNS:
            close = difflib.get_close_matches(column, COLUMNS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            message = f"unknown column '{column}' ({hint}the columns are: {', '.join(COLUMNS)})"
            problems.append(Problem(name, "", line, message))
        elif row.count(column) > 1:
            problems.append(Problem(name, "", line, f"the column '{column}' is there twice"))
    problems += [
        Problem(name, "", line, f"the column '{column}' is missing")
        for column in REQUIRED
        if column not in row
    ]
    return list(dict.fromkeys(problems))


def read(path: Path, name: str | None = None) -> list[SessionRecord]:
    """Every session in the CSV file at ``path``, or ``CsvProblems`` with every problem.

    ``name`` is how messages name the file (the path as the person typed it).
    """
    name = name or str(path)
    problems: list[Problem] = []
    rows = _rows(_text(path, name), name, problems)
    first = next(rows, None)
    if first is None:
        empty = Problem(name, "", None, "is empty (an export starts with a header line)")
        raise CsvProblems(problems or [empty])
    line, header = first
    problems += _header(header, name, line)
    if problems:
        raise CsvProblems(problems)
    records: list[SessionRecord] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if len(row) != len(header):
            message = f"has {len(row)} cells, but the header names {len(header)} columns"
            problems.append(Problem(name, "", line, message))
            continue
        cells = dict(zip(header, row, strict=True))
        found = decode(cells)
        wrong = [] if isinstance(found, SessionRecord) else found
        if not cells["id"]:  # a record made without one gets a new id: not from a file
            wrong.insert(0, ("id", f"must be {WHAT['id']} (it is missing)"))
        if wrong or not isinstance(found, SessionRecord):
            problems += [Problem(name, place, line, message) for place, message in wrong]
        elif found.id in seen:
            message = f"the same session as on line {seen[found.id]}"
            problems.append(Problem(name, "id", line, message))
        else:
            seen[found.id] = line
            records.append(found)
    if problems:
        raise CsvProblems(problems)
    return records
