"""The routine subcommands of ``stretchcoach``: ``list``, ``validate`` and ``schema``.

Each takes the stream to write to and returns the exit code, so tests call them through
``stretchcoach.cli.main`` and read what they print. Nothing here ever lets a traceback
out for a bad file: every problem is printed, located, and the exit code says the rest.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from stretchcoach import resources
from stretchcoach.paths import user_routines_dir
from stretchcoach.routine.catalog import (
    PATTERNS,
    Catalog,
    load_catalog,
    resolve_steps,
    routine_files,
)
from stretchcoach.routine.checks import WARNINGS, Check
from stretchcoach.routine.loader import Source, load_file
from stretchcoach.routine.model import Routine
from stretchcoach.routine.problems import Problem, RoutineError, errors_in

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def list_routines(out: TextIO, err: TextIO | None = None) -> int:
    """One routine per line: id, title, steps, length at the person's pace, whose."""
    from stretchcoach.coach.timeline import format_duration
    from stretchcoach.settings import load, routine_seconds

    err = err or sys.stderr
    loaded = load()
    if loaded.notice:
        err.write(f"{loaded.notice}\n")
    catalog = load_catalog()
    default = catalog.default
    rows = [
        (
            entry.id,
            entry.title,
            f"{len(entry.steps)} steps",
            format_duration(routine_seconds(entry.steps, loaded.settings)),
            ("bundled" if entry.source == "bundled" else "yours")
            + (", default" if entry is default else ""),
        )
        for entry in catalog.entries
    ]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(5)]
    for row in rows:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
    for problem in catalog.problems:
        err.write(f"{problem}\n")
    return 0 if rows else 1


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _clash(source: Source, catalog: Catalog) -> Iterable[Problem]:
    """Another file already has this id: an error in the routines folder, else a warning."""
    other = catalog.get(source.routine.id)
    if other is None or _same_file(other.path, source.path):
        return []
    inside = source.path.resolve().is_relative_to(user_routines_dir().resolve())
    message = f"the id '{source.routine.id}' is already used by {other.path}" + (
        "; give this routine another id"
        if inside
        else "; give it another id before you put it in your routines folder"
    )
    return [source.problem(("id",), message, "error" if inside else "warning")]


def default_checks() -> tuple[Check, ...]:
    """The routine's own warnings, and the voice's: a cue too long for its breath phase.

    Imported here, when a file is validated, because only this command needs speech
    lengths; loading routines for the window or the plan never pulls in the voice.
    """
    from stretchcoach.commands.fit import cue_fit

    return (*WARNINGS, cue_fit)


def check_file(path: Path, catalog: Catalog, checks: Sequence[Check] = WARNINGS) -> list[Problem]:
    """Every problem of one file, errors and warnings, located."""
    name = str(path)
    bundled = path.resolve().is_relative_to(resources.routines_dir().resolve())
    known = {e.id: e.routine for e in catalog.entries if e.source == "bundled" or not bundled}
    try:
        source = load_file(path, name=name)
        resolve_steps(source, known)  # a bundled file may include only bundled routines
    except RoutineError as err:
        return err.problems
    problems = list(_clash(source, catalog))
    for check in checks:
        problems.extend(check(source))
    return problems


def _expand(paths: Sequence[Path]) -> Iterable[tuple[Path, list[Problem]]]:
    """Each file to check, a folder giving every routine file in it; a folder without
    any gives a problem of its own."""
    for path in paths:
        if not path.is_dir():
            yield path, []
            continue
        files = routine_files(path)
        if not files:
            message = f"has no routine files ({' or '.join(PATTERNS)})"
            yield path, [Problem(str(path), "", None, message)]
        for file in files:
            yield file, []


def validate(paths: Sequence[Path], out: TextIO, checks: Sequence[Check] | None = None) -> int:
    """``OK <file>`` for each valid file (warnings under it); every problem otherwise.
    A folder stands for every routine file in it."""
    checks = default_checks() if checks is None else checks
    catalog = load_catalog()
    failed = False
    for path, found in _expand(paths):
        problems = found or check_file(path, catalog, checks)
        errors = errors_in(problems)
        failed = failed or bool(errors)
        if not errors:
            out.write(f"OK {path}\n")
        for problem in problems:
            out.write(f"{problem}\n")
    return 1 if failed else 0


def validate_command(path: Path) -> str:
    """The command that checks ``path`` (a file or a folder), ready to paste into a
    terminal: quoted when it needs to be (macOS's "Application Support" has a space)."""
    word = subprocess.list2cmdline([str(path)]) if os.name == "nt" else shlex.quote(str(path))
    return f"stretchcoach validate {word}"


def routine_schema() -> dict[str, Any]:
    """The JSON Schema of routine files, generated from the models."""
    return {"$schema": JSON_SCHEMA_DIALECT, **Routine.model_json_schema()}


def schema_text() -> str:
    return json.dumps(routine_schema(), indent=2, ensure_ascii=False) + "\n"


def schema(out: TextIO) -> int:
    out.write(schema_text())
    return 0
