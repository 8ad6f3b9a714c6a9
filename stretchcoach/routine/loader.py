"""One routine file, from disk to a validated ``Routine``, or every reason it is not one.

The stages each guard one thing: ``safeyaml`` the bytes and the YAML (size, encoding,
tags, aliases, depth), the pydantic models the shape and the bounds, and this module what
only the file system can tell: that each illustration is a real file inside ``assets/``
(no absolute paths, no ``..``, no symbolic link leading out), and that no step id is
used twice. Includes are checked later, by the catalog, which knows the other routines.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from stretchcoach import resources
from stretchcoach.routine.messages import line_of, locate, problems_from
from stretchcoach.routine.model import ILLUSTRATION_PATTERN, Routine, SideGroup, Step
from stretchcoach.routine.problems import Loc, Problem, RoutineError, Severity, format_loc
from stretchcoach.routine.safeyaml import Lines, parse, read_text


@dataclass(frozen=True)
class Source:
    """A routine file that validated: the model, its file, and the line of each value."""

    path: Path
    name: str  # how problems name the file: as the person typed it, or the full path
    routine: Routine
    lines: Lines

    def problem(self, loc: Loc, message: str, severity: Severity = "error") -> Problem:
        return locate(self.name, self.lines, loc, message, severity)


def steps_with_loc(routine: Routine) -> Iterator[tuple[Loc, Step]]:
    """Every step written in the file (inside side groups too), with its place."""
    for i, item in enumerate(routine.steps):
        if isinstance(item, Step):
            yield ("steps", i), item
        elif isinstance(item, SideGroup):
            for j, step in enumerate(item.steps):
                yield ("steps", i, "steps", j), step


def illustration_problem(ref: str, assets: Path) -> str | None:
    """Why ``ref`` is not an illustration file inside ``assets``, or None if it is one."""
    pure = PurePosixPath(ref)
    if pure.is_absolute() or Path(ref).is_absolute():
        return f"'{ref}' is an absolute path; give a path inside assets/ (illustrations/...)"
    if ".." in pure.parts:
        return f"'{ref}' leaves the assets folder ('..'); give a path inside assets/"
    root = assets.resolve()
    target = root / pure
    try:
        resolved = target.resolve(strict=True)
    except OSError:
        known = sorted(str(p.relative_to(root)) for p in root.rglob("*.svg"))
        close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"there is no file assets/{ref}{hint}"
    if not resolved.is_relative_to(root):
        return f"'{ref}' is a symbolic link to a file outside assets/; copy the file in instead"
    if not resolved.is_file():
        return f"assets/{ref} is not a file"
    return None


def _written_steps(data: dict[str, object]) -> Iterator[tuple[Loc, dict[str, object]]]:
    """The mappings written as steps (inside side groups too), whether valid or not."""
    items = data.get("steps")
    for i, item in enumerate(items if isinstance(items, list) else []):
        inner = item.get("steps") if isinstance(item, dict) else None
        if isinstance(inner, list):  # a side group
            for j, step in enumerate(inner):
                if isinstance(step, dict):
                    yield ("steps", i, "steps", j), step
        elif isinstance(item, dict):
            yield ("steps", i), item


def _file_problems(
    data: dict[str, object], name: str, lines: Lines, assets: Path
) -> Iterator[Problem]:
    """Missing illustrations and repeated step ids.

    Checked on the data as written, so they are reported together with the models'
    problems rather than only once those are fixed; values the models refuse anyway
    (an id that is no text, a malformed path) are left to the models' messages.
    """
    first_seen: dict[str, Loc] = {}
    for loc, step in _written_steps(data):
        ref = step.get("illustration")
        if isinstance(ref, str) and re.fullmatch(ILLUSTRATION_PATTERN, ref.strip()):
            why = illustration_problem(ref.strip(), assets)
            if why:
                yield locate(name, lines, (*loc, "illustration"), why)
        step_id = step.get("id")
        if not isinstance(step_id, str):
            continue
        if step_id.strip() in first_seen:
            earlier = first_seen[step_id.strip()]
            yield locate(
                name,
                lines,
                (*loc, "id"),
                f"the step id '{step_id.strip()}' is already used at {format_loc(earlier)} "
                f"(line {line_of(earlier, lines)}); give each step its own id",
            )
        first_seen.setdefault(step_id.strip(), loc)


def load_file(path: Path, name: str | None = None, assets: Path | None = None) -> Source:
    """The routine in ``path``, validated, or a ``RoutineError`` listing every problem."""
    name = name or str(path)
    document = parse(read_text(path, name), name)
    data, lines = document.data, document.lines
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        message = f"holds {kind}; a routine is a mapping of keys (id:, title:, summary:, steps:)"
        raise RoutineError([Problem(name, "", lines.get((), 1), message)])
    problems = list(_file_problems(data, name, lines, assets or resources.assets_dir()))
    try:
        # Strict: YAML already typed every value, so no coercion (true is not 1).
        routine = Routine.model_validate(data, strict=True)
    except ValidationError as err:
        problems.extend(problems_from(err, name, lines))
    if problems:
        raise RoutineError(sorted(problems, key=lambda p: (p.line is None, p.line or 0)))
    return Source(path, name, routine, lines)
