"""Located problems: what the person is told when a routine file is wrong.

Every check (YAML syntax, the models, illustrations, includes, warnings) reports the same
``Problem``: the file, the place inside it (``steps[3].breaths.cycles``), the line, what is
wrong and what would be right. A ``RoutineError`` carries all of a file's problems at once,
so one run of ``stretchcoach validate`` shows everything to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """``("steps", 3, "breaths")`` as ``steps[3].breaths``, the way people read paths."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a second look, for a warning) in one routine file."""

    file: str
    path: str
    line: int | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.path}: {self.message}" if self.path else self.message
        tag = "warning: " if self.severity == "warning" else ""
        return f"{where}: {tag}{what}"


class RoutineError(Exception):
    """A routine could not be loaded; ``problems`` says every reason, each located."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
