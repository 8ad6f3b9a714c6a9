"""A session as text cells and back: the CSV file's columns and ``journal log``'s options.

Each column is one field of ``SessionRecord``, by the same name. Text is read strictly
before pydantic sees it: a whole number is digits only (not "3.0", "+3" or "3_0"), a date
is ``YYYY-MM-DD``, a time has its UTC offset; then the record validates the typed values
in strict mode. Every problem of a row is reported at once as ``(place, message)``, the
message saying what would be right: ``("pain", 'must be 0–10, not "11"')``.

An empty cell is a field the person skipped. The skipped steps and the "this hurt" marks
are JSON lists of objects in their cells (documented in ``docs/journal.md``): unambiguous
whatever the titles hold, and readable in a spreadsheet.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from stretchcoach.coach.ports import Pace
from stretchcoach.journal.record import (
    DURATION_MAX,
    NOTE_MAX,
    PAIN_MAX,
    STEPS_MAX,
    HurtMark,
    SessionRecord,
    SkippedStep,
)
from stretchcoach.routine.problems import format_loc

COLUMNS: tuple[str, ...] = tuple(SessionRecord.model_fields)
_MOMENT_EXAMPLE = "2026-12-03T07:15:00+01:00"
_BREATH = f"seconds, {Pace.MIN_SECONDS:g}–{Pace.MAX_SECONDS:g}"
_LINE = "one line of at most {} characters"

# What would be right, per column and per key of a list item.
WHAT: dict[str, str] = {
    "id": "32 lowercase hexadecimal digits (every exported session has one)",
    "day": "a date like 2026-12-03",
    "started": f"a time with its UTC offset, like {_MOMENT_EXAMPLE}",
    "routine": "a routine id: " + _LINE.format(100),
    "routine_title": _LINE.format(200),
    "outcome": "completed, completed-with-skips or stopped",
    "steps_done": f"a whole number 0–{STEPS_MAX}, at most steps_total",
    "steps_total": f"a whole number 1–{STEPS_MAX}",
    "duration_s": f"seconds, 0–{DURATION_MAX:g}",
    "inhale_s": _BREATH,
    "exhale_s": _BREATH,
    "pain_before": f"0–{PAIN_MAX}",
    "pain": f"0–{PAIN_MAX}",
    "compared": "better, same or worse",
    "tighter": "left, right or same",
    "note": f"text of at most {NOTE_MAX} characters, without control characters",
    "skipped": 'a JSON list like [{"step": "easy-bridge", "title": "Easy bridge"}]',
    "hurt": 'a JSON list like [{"step": "heel-slide", "title": "Heel slide", '
    f'"side": "left", "at": "{_MOMENT_EXAMPLE}"}}]',
}
ITEM_WHAT: dict[str | int, str] = {
    0: 'an object like {"step": "heel-slide"}',  # any list index
    "step": "a step id: " + _LINE.format(100),
    "title": _LINE.format(200),
    "side": "left or right",
    "at": WHAT["started"],
}
_ITEMS: dict[str, type[BaseModel]] = {"skipped": SkippedStep, "hurt": HurtMark}

Problems = list[tuple[str, str]]


class Unreadable(ValueError):
    """A cell's text is not of its column's kind."""


def _match(pattern: str, parse: Callable[[str], Any]) -> Callable[[str], Any]:
    compiled = re.compile(pattern)

    def decode(text: str) -> Any:
        if not compiled.fullmatch(text):
            raise Unreadable(text)
        try:
            return parse(text)
        except ValueError:  # the right shape, an impossible value: 2026-02-30
            raise Unreadable(text) from None

    return decode


_whole = _match(r"[0-9]{1,9}", int)
_real = _match(r"[0-9]{1,15}(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?", float)
_day = _match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date.fromisoformat)
_moment = _match(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?[+-][0-9]{2}:[0-9]{2}",
    datetime.fromisoformat,
)


def _items(text: str) -> tuple[Any, ...]:
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        raise Unreadable(text) from None
    if not isinstance(items, list):
        raise Unreadable(text)
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("at"), str):
            with contextlib.suppress(Unreadable):  # else the record reports it, located
                item["at"] = _moment(item["at"])
    return tuple(items)


def _as_is(text: str) -> str:
    return text


_DECODE: dict[str, Callable[[str], Any]] = {
    "day": _day,
    "started": _moment,
    "steps_done": _whole,
    "steps_total": _whole,
    "duration_s": _real,
    "inhale_s": _real,
    "exhale_s": _real,
    "pain_before": _whole,
    "pain": _whole,
    "skipped": _items,
    "hurt": _items,
}


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return json.dumps(text if len(text) <= 40 else text[:37] + "...", ensure_ascii=False)


def _message(error: Mapping[str, Any], cells: Mapping[str, str]) -> tuple[str, str]:
    loc = tuple(error["loc"])
    if not loc:  # a rule between fields
        return "", str(error["msg"]).removeprefix("Value error, ")
    column = str(loc[0])
    if error["type"] == "extra_forbidden":
        keys = ", ".join(_ITEMS[column].model_fields) if len(loc) > 1 else ", ".join(COLUMNS)
        return format_loc(loc), f"is not a known key (they are: {keys})"
    if len(loc) == 1:
        what, shown = WHAT[column], cells.get(column, "")
    else:
        key = loc[-1] if isinstance(loc[-1], str) else 0
        what, shown = ITEM_WHAT[key], error["input"]
    found = " (it is missing)" if error["type"] == "missing" else f", not {_shown(shown)}"
    return format_loc(loc), f"must be {what}{found}"


def decode(cells: Mapping[str, str]) -> SessionRecord | Problems:
    """The record in ``cells`` (column name to text; absent or empty: skipped), or every
    problem with it."""
    values: dict[str, Any] = {}
    problems: Problems = []
    for column, text in cells.items():
        if text == "":
            continue
        try:
            values[column] = _DECODE.get(column, _as_is)(text)
        except Unreadable:
            problems.append((column, f"must be {WHAT[column]}, not {_shown(text)}"))
    unreadable = {column for column, _ in problems}
    try:
        record = SessionRecord.model_validate(values)
    except ValidationError as err:
        problems += [
            _message(e, cells)
            for e in err.errors()
            if not (e["loc"] and e["loc"][0] in unreadable)  # said already
        ]
    else:
        if not problems:
            return record
    return problems


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _list_cell(items: tuple[BaseModel, ...]) -> str:
    if not items:
        return ""
    dumped = [{k: _cell(v) for k, v in item if v is not None} for item in items]
    return json.dumps(dumped, ensure_ascii=False)


def encode(record: SessionRecord) -> dict[str, str]:
    """The cells of ``record``: ``decode(encode(r)) == r`` for every valid record."""
    cells = {column: _cell(getattr(record, column)) for column in COLUMNS}
    cells["skipped"] = _list_cell(record.skipped)
    cells["hurt"] = _list_cell(record.hurt)
    return cells
