"""pydantic's validation errors, said the way a person editing a routine file needs them.

pydantic reports ``('steps', 3, 'Step', 'breaths', 'cycles')`` and "Input should be less
than or equal to 30". People need ``steps[3].breaths.cycles``, the line, what is there,
what would be right and, for a misspelt key, the key they probably meant. This module
does that translation and nothing else.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from stretchcoach.routine import model
from stretchcoach.routine.problems import Loc, Problem, Severity, format_loc
from stretchcoach.routine.safeyaml import Lines

MAX_REPORTED = 50
# The step kinds of the tagged union in ``model.StepItem``: they appear in pydantic's
# locations after a list index, and name no key of the file.
_KINDS: dict[str, type[BaseModel]] = {
    "Step": model.Step,
    "SideGroup": model.SideGroup,
    "Include": model.Include,
}
_ID_HINT = "lowercase letters, digits and single hyphens, like 'heel-slide'"
_PATTERN_HINTS = {
    **dict.fromkeys(("id", "group", "include", "stretch", "gentler"), _ID_HINT),
    "illustration": "a path to an .svg file under assets/, like 'illustrations/knee-hug.svg'",
}


def file_loc(loc: Sequence[str | int]) -> Loc:
    """pydantic's location without the union kinds: the path of keys in the file."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if part in _KINDS and i > 0 and isinstance(loc[i - 1], int):
            continue
        out.append(part)
    return tuple(out)


def line_of(loc: Loc, lines: Lines) -> int | None:
    """The line of the value at ``loc``, or of its nearest enclosing value that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def locate(
    file: str, lines: Lines, loc: Loc, message: str, severity: Severity = "error"
) -> Problem:
    """A problem at ``loc``, with the line of that place in the file."""
    return Problem(file, format_loc(loc), line_of(loc, lines), message, severity)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation can hold (through Optional, list, Annotated and unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


def _model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model whose keys live at ``loc`` (pydantic's location, union kinds included)."""
    current: type[BaseModel] | None = model.Routine
    for part in loc:
        if isinstance(part, int):
            continue
        if part in _KINDS:
            current = _KINDS[part]
        elif current is not None:
            field = current.model_fields.get(part)
            candidates = _models_in(field.annotation) if field else []
            # Several candidates: a tagged union, whose kind the location names next.
            current = candidates[0] if len(candidates) == 1 else None
    return current


def _field_info(loc: Sequence[str | int]) -> Any:
    owner = _model_at(loc[:-1])
    name = loc[-1] if loc else None
    return owner.model_fields.get(name) if owner and isinstance(name, str) else None


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _allowed(loc: Sequence[str | int]) -> list[str]:
    """The keys allowed in the mapping at ``loc``."""
    owner = _model_at(loc)
    return list(owner.model_fields) if owner else []


def _meant(loc: Sequence[str | int]) -> str | None:
    """The allowed key most like the unknown key at ``loc``, if one is close."""
    close = difflib.get_close_matches(str(loc[-1]), _allowed(loc[:-1]), n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_key(loc: Sequence[str | int]) -> str:
    key, meant = str(loc[-1]), _meant(loc)
    if key == "<<":
        return "merge keys (<<) are not supported: write the keys out"
    if meant:
        return f"unknown key '{key}' (did you mean '{meant}'?)"
    return f"unknown key '{key}' (allowed here: {', '.join(_allowed(loc[:-1]))})"


def _message(error: ErrorDetails) -> str:
    kind, loc, ctx = error["type"], error["loc"], error.get("ctx", {})
    found = _describe(error.get("input"))
    if kind == "missing":
        info = _field_info(loc)
        why = f": {info.description}" if info is not None and info.description else ""
        return f"is missing (required{why})"
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"should be a whole number, not {found}"
    if kind in ("float_type", "float_parsing"):
        return f"should be a number, not {found}"
    if kind in ("bool_type", "bool_parsing"):
        return f"should be true or false, not {found}"
    if kind == "string_type":
        quote = " (put it in quotes)" if not isinstance(error.get("input"), list | dict) else ""
        return f"should be text, not {found}{quote}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"should be a mapping (lines of 'key: value'), not {found}"
    if kind == "list_type":
        return f"should be a list (lines starting with '- '), not {found}"
    if kind == "string_too_short":
        return "is empty (write something)"
    if kind == "string_too_long":
        length = len(str(error.get("input")))
        return f"is {length} characters long; at most {ctx['max_length']} (shorten it)"
    if kind == "too_short":
        return f"has {ctx['actual_length']} items; it needs at least {ctx['min_length']}"
    if kind == "too_long":
        return f"has {ctx['actual_length']} items; at most {ctx['max_length']} are allowed"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"is {error.get('input')}; it must be {words} {ctx[key]}"
    if kind == "finite_number":
        return "should be an ordinary number (not infinity or NaN)"
    if kind == "literal_error":
        return f"is {found}; it should be {ctx['expected']}"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(loc[-1]), f"text matching {ctx['pattern']}")
        return f"{found} is not valid here; write {hint}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def problems_from(err: ValidationError, file: str, lines: Lines) -> Iterator[Problem]:
    """One located problem per validation error (at most ``MAX_REPORTED``, then a count).

    A misspelt key also makes the real one "missing"; only the unknown key is reported,
    as its did-you-mean says both. The work per reported problem is bounded, so a file
    with thousands of errors is answered as fast as one with a few.
    """
    errors = err.errors(include_url=False)
    unknown: dict[tuple[str | int, ...], list[str]] = {}
    for error in errors:
        if error["type"] == "extra_forbidden":
            unknown.setdefault(error["loc"][:-1], []).append(str(error["loc"][-1]))
    shown = 0
    for seen, error in enumerate(errors, start=1):
        loc = error["loc"]
        siblings = unknown.get(loc[:-1], []) if error["type"] == "missing" else []
        if siblings and difflib.get_close_matches(str(loc[-1]), siblings, n=1, cutoff=0.6):
            continue
        yield locate(file, lines, file_loc(loc), _message(error))
        shown += 1
        if shown == MAX_REPORTED and seen < len(errors):
            more = len(errors) - seen
            yield Problem(file, "", None, f"... and up to {more} more problems like these")
            return
