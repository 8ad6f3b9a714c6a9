"""Every routine the person can choose: the bundled ones and their own, includes resolved.

The window's picker, ``stretchcoach list``, ``plan`` and ``validate`` all start here. A
broken file of the person's never costs them the others: its problems are collected in
``Catalog.problems`` (for the window's notice and the command line) and every other
routine still loads. Bundled routines may include only bundled ones, so nothing the
person writes can break them; the person's routines may include any routine.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from stretchcoach import resources
from stretchcoach.paths import user_routines_dir
from stretchcoach.routine.expand import ConcreteStep, IncludeError, expand
from stretchcoach.routine.loader import Source, load_file
from stretchcoach.routine.model import Include, Routine
from stretchcoach.routine.problems import Loc, Problem, RoutineError

Origin = Literal["bundled", "user", "file"]
PATTERNS = ("*.yaml", "*.yml")


@dataclass(frozen=True)
class Entry:
    """One routine ready to run: what the picker shows, and its concrete steps."""

    source: Origin
    path: Path
    routine: Routine
    steps: list[ConcreteStep]

    @property
    def id(self) -> str:
        return self.routine.id

    @property
    def title(self) -> str:
        return self.routine.title

    @property
    def summary(self) -> str:
        return self.routine.summary

    @property
    def props(self) -> list[str]:
        return self.routine.props

    @property
    def level(self) -> str:
        return self.routine.level


def routine_files(folder: Path) -> list[Path]:
    """The routine files in ``folder`` (none if it is not a folder), in name order."""
    if not folder.is_dir():
        return []
    return sorted({p for pattern in PATTERNS for p in folder.glob(pattern)})


def _load_all(paths: Iterable[Path]) -> tuple[list[Source], list[Problem]]:
    sources, problems = [], []
    for path in paths:
        try:
            sources.append(load_file(path))
        except RoutineError as err:
            problems.extend(err.problems)
    return sources, problems


def _unique(
    sources: list[Source], taken: Mapping[str, Source]
) -> tuple[list[Source], list[Problem]]:
    """The sources whose id is free, and a problem naming both files for each other one."""
    kept: dict[str, Source] = {}
    problems = []
    for source in sources:
        rid = source.routine.id
        other = taken.get(rid) or kept.get(rid)
        if other is None:
            kept[rid] = source
            continue
        owner = "the bundled routine" if rid in taken else "the routine"
        problems.append(
            source.problem(
                ("id",),
                f"the id '{rid}' is already used by {owner} in {other.path}; "
                "give this routine another id",
            )
        )
    return list(kept.values()), problems


def _include_problems(source: Source, known: Mapping[str, Routine]) -> Iterator[Problem]:
    """Includes, and the ``gentler`` link, that name no routine in ``known``."""
    links: list[tuple[Loc, str]] = [
        (("steps", i, "include"), item.include)
        for i, item in enumerate(source.routine.steps)
        if isinstance(item, Include)
    ]
    if source.routine.gentler:
        links.append((("gentler",), source.routine.gentler))
    for loc, rid in links:
        if rid not in known:
            close = difflib.get_close_matches(rid, list(known), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "see 'stretchcoach list'"
            yield source.problem(
                loc,
                f"no routine has the id '{rid}' ({hint}; "
                "a routine whose file has problems cannot be named here)",
            )


def resolve_steps(source: Source, known: Mapping[str, Routine]) -> list[ConcreteStep]:
    """The concrete steps of ``source``, its includes found in ``known``."""
    problems = list(_include_problems(source, known))
    if problems:
        raise RoutineError(problems)
    pool = {**known, source.routine.id: source.routine}
    try:
        return expand(source.routine, pool.__getitem__)
    except IncludeError as err:
        raise RoutineError([source.problem(("steps",), str(err))]) from None


@dataclass(frozen=True)
class Catalog:
    """The routines that loaded, in picker order, and the problems of those that did not."""

    entries: list[Entry]
    problems: list[Problem] = field(default_factory=list)

    @property
    def default(self) -> Entry | None:
        """The bundled routine marked ``default: true`` (the first routine, failing that)."""
        marked = (e for e in self.entries if e.source == "bundled" and e.routine.default)
        return next(marked, self.entries[0] if self.entries else None)

    def get(self, routine_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == routine_id), None)

    def find(self, id_or_path: str) -> Entry:
        """A routine by id, or the routine in a YAML file (its includes found here)."""
        entry = self.get(id_or_path)
        if entry is not None:
            return entry
        path = Path(id_or_path)
        if path.suffix in (".yaml", ".yml") or path.exists():
            source = load_file(path)
            known = {e.id: e.routine for e in self.entries}
            return Entry("file", path, source.routine, resolve_steps(source, known))
        ids = [e.id for e in self.entries]
        close = difflib.get_close_matches(id_or_path, ids, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise RoutineError(
            [
                Problem(
                    id_or_path,
                    "",
                    None,
                    f"is no routine id and no file ({hint}see 'stretchcoach list')",
                )
            ]
        )


def _entries(
    sources: list[Source], known: Mapping[str, Routine], origin: Origin
) -> tuple[list[Entry], list[Problem]]:
    entries, problems = [], []
    for source in sources:
        try:
            entries.append(Entry(origin, source.path, source.routine, resolve_steps(source, known)))
        except RoutineError as err:
            problems.extend(err.problems)
    return entries, problems


def _default_problems(bundled: list[Entry], user: list[Source], folder: Path) -> Iterator[Problem]:
    marked = [e for e in bundled if e.routine.default]
    if len(marked) != 1 and bundled:
        names = ", ".join(e.path.name for e in marked) or "none"
        yield Problem(
            str(folder),
            "",
            None,
            f"exactly one bundled routine must say 'default: true' (now: {names})",
        )
    for source in user:
        if source.routine.default:
            yield source.problem(
                ("default",),
                "'default' is only for bundled routines and is ignored here "
                "(the window remembers the routine you chose last)",
                "warning",
            )


def load_catalog(bundled_dir: Path | None = None, user_dir: Path | None = None) -> Catalog:
    """Load every routine (the folders are given only by tests)."""
    bundled_dir = bundled_dir or resources.routines_dir()
    user_dir = user_dir or user_routines_dir()
    bundled_sources, problems = _load_all(routine_files(bundled_dir))
    user_sources, user_problems = _load_all(routine_files(user_dir))
    problems += user_problems

    bundled, more = _unique(bundled_sources, {})
    problems += more
    user, more = _unique(user_sources, {s.routine.id: s for s in bundled})
    problems += more

    bundled_known = {s.routine.id: s.routine for s in bundled}
    bundled_entries, more = _entries(bundled, bundled_known, "bundled")
    problems += more
    all_known = {**bundled_known, **{s.routine.id: s.routine for s in user}}
    user_entries, more = _entries(user, all_known, "user")
    problems += more
    problems += _default_problems(bundled_entries, user, bundled_dir)

    bundled_entries.sort(key=lambda e: not e.routine.default)
    return Catalog(bundled_entries + user_entries, problems)
