"""Routine files from bytes to plain data, safely, remembering the line of every value.

A routine file comes from anywhere, so reading one must never run code, hang or eat
memory, and every complaint must point at a line. PyYAML's own loaders do not promise
that: they construct whatever a tag names, recurse once per nesting level, and expand
aliases without limit. So this module reads the parser's *event stream* (libyaml's C
parser when present, the pure-Python one otherwise) and builds the plain values itself,
with a stack instead of recursion, and refuses early:

- files over ``MAX_BYTES`` (checked before reading them whole), and bytes that are not UTF-8;
- tags (``!!python/object``...): a routine only holds text, numbers, true/false, lists, mappings;
- nesting deeper than ``MAX_DEPTH``, more than ``MAX_ALIASES`` aliases, or more than
  ``MAX_VALUES`` values once aliases are expanded (the "billion laughs" bomb);
- keys that are not plain text, keys given twice, more than one document.

Mapping keys are taken as written, so the YAML 1.1 booleans do not strike there (``on:``
stays the key ``"on"``). Each mapping value and list item's line is kept in ``Lines``,
keyed by its path (``("steps", 3, "breaths")``), for locating validation errors later.
"""

from __future__ import annotations

import codecs
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, cast

import yaml

from stretchcoach.routine.problems import Loc, Problem, RoutineError, format_loc

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_ALIASES = 200
MAX_VALUES = 20_000  # the bundled routines hold a few hundred each
Lines = dict[Loc, int]
Value = object

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)
_PLAIN = (True, False)
# What YAML allows in a file (PyYAML's reader refuses the rest, but without a line number).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_SCALARS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}


class _Mark(Protocol):
    """Where an event is (libyaml's and the pure-Python parser's marks both fit)."""

    line: int
    column: int


def _line(mark: _Mark | None) -> int:
    """1-based; the parsers always give a mark, the fallback only satisfies the types."""
    return mark.line + 1 if mark is not None else 1


@dataclass(frozen=True)
class Document:
    """A parsed file: its plain data and the line (1-based) of each value by path."""

    data: Value
    lines: Lines


def read_text(path: Path, name: str) -> str:
    """The file's text, refusing what is too big, not a file, or not UTF-8."""

    def fail(message: str, line: int | None = None) -> RoutineError:
        return RoutineError([Problem(name, "", line, message)])

    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise fail("is a folder, not a routine file")
        if not stat.S_ISREG(mode):  # a pipe or a device could block or never end
            raise fail("is not a regular file")
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)  # never more, whatever the file claims to be
    except FileNotFoundError:
        raise fail("no such file") from None
    except OSError as err:
        raise fail(f"cannot be read ({err.strerror or err.__class__.__name__})") from None
    if len(raw) > MAX_BYTES:
        raise fail(f"is larger than {MAX_BYTES // 1024} KiB; a routine file is a few KiB")
    try:
        return codecs.decode(raw, "utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise fail(
            f"column {column}: byte 0x{raw[err.start]:02x} is not UTF-8 text "
            "(save the file as UTF-8)",
            line,
        ) from None


@dataclass
class _Open:
    """A list or mapping being filled, with what it needs to place its children."""

    value: list[Value] | dict[str, Value]
    path: Loc
    anchor: str | None
    size: int = 1
    key: str | None = None  # a mapping's key waiting for its value
    key_lines: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Turns parser events into plain values, within the limits above."""

    def __init__(self, name: str, loader: yaml.CSafeLoader | yaml.SafeLoader) -> None:
        self.name = name
        self.loader = loader
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Value, int]] = {}
        self.lines: Lines = {}
        self.root: tuple[Value, int] | None = None
        self.documents = 0
        self.aliases = 0
        self.values = 0

    def fail(self, mark: _Mark | None, message: str, path: Loc = ()) -> RoutineError:
        line = mark.line + 1 if mark is not None else None
        return RoutineError([Problem(self.name, format_loc(path), line, message)])

    def feed(self, event: yaml.Event) -> None:
        mark = event.start_mark
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(mark, "holds more than one YAML document (a second '---')")
        elif isinstance(event, yaml.ScalarEvent):
            if self._wants_key():
                self._key(event)
            else:
                self._forbid_tag(event, event.implicit[0] or event.implicit[1])
                self._count(1, mark)
                self._place(self._scalar(event), 1, mark, event.anchor)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self._open(event)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            done = self.stack.pop()
            self._place(done.value, done.size, None, done.anchor, placed=True)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)

    def _wants_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and isinstance(top.value, dict) and top.key is None

    def _key(self, event: yaml.ScalarEvent) -> None:
        top = self.stack[-1]
        key = event.value
        line = _line(event.start_mark)
        if key in top.key_lines:
            raise self.fail(
                event.start_mark,
                f"'{key}' is given twice (first on line {top.key_lines[key]}); keep one",
                (*top.path, key),
            )
        if event.tag not in (None, "!") or not key:
            raise self.fail(event.start_mark, "a key must be plain text, like 'title:'")
        self._count(1, event.start_mark)
        top.key = key
        top.key_lines[key] = line
        self.lines[(*top.path, key)] = line

    def _forbid_tag(self, event: yaml.NodeEvent, implicit: bool) -> None:
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and not implicit:
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            raise self.fail(
                event.start_mark,
                f"the YAML tag '{shown}' is not allowed: a routine holds only text, numbers, "
                "true/false, lists and mappings (remove the tag)",
            )

    def _count(self, size: int, mark: _Mark | None) -> None:
        self.values += size
        if self.values > MAX_VALUES:
            why = " once aliases are expanded (is an alias repeated too often?)"
            raise self.fail(
                mark,
                f"holds more than {MAX_VALUES} values{why if self.aliases else ''}; "
                "a routine needs a few hundred",
            )

    def _scalar(self, event: yaml.ScalarEvent) -> Value:
        if not event.implicit[0]:  # quoted, or tagged '!': text as written
            return event.value
        tag = self.loader.resolve(yaml.ScalarNode, event.value, _PLAIN)  # type: ignore[no-untyped-call]
        if tag not in _SCALARS:
            return event.value  # text, and dates (kept as written: no field is a date)
        node = yaml.ScalarNode(tag, event.value)
        try:
            return self.loader.construct_object(node)
        except ValueError:
            raise self.fail(
                event.start_mark, f"the number {event.value[:20]}... is far too long"
            ) from None

    def _child_path(self, mark: _Mark | None) -> Loc:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            path: Loc = (*top.path, len(top.value))
            if mark is not None:
                self.lines[path] = _line(mark)
            return path
        assert top.key is not None
        return (*top.path, top.key)

    def _open(self, event: yaml.SequenceStartEvent | yaml.MappingStartEvent) -> None:
        if self._wants_key():
            raise self.fail(event.start_mark, "a key must be plain text, like 'title:'")
        self._forbid_tag(event, event.implicit)
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(
                event.start_mark,
                f"is nested more than {MAX_DEPTH} levels deep; a routine needs about six",
            )
        self._count(1, event.start_mark)
        path = self._child_path(event.start_mark)
        if not self.stack:
            self.lines[()] = _line(event.start_mark)
        value: list[Value] | dict[str, Value] = (
            [] if isinstance(event, yaml.SequenceStartEvent) else {}
        )
        self.stack.append(_Open(value, path, event.anchor))

    def _alias(self, event: yaml.AliasEvent) -> None:
        if self._wants_key():
            raise self.fail(event.start_mark, "a key must be plain text, like 'title:'")
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise self.fail(event.start_mark, f"uses more than {MAX_ALIASES} aliases (*name)")
        anchor = event.anchor or ""
        if anchor not in self.anchors:
            raise self.fail(
                event.start_mark,
                f"the alias *{anchor} names no anchor (&{anchor}) defined before it",
            )
        value, size = self.anchors[anchor]
        self._count(size, event.start_mark)
        self._place(value, size, event.start_mark, None)

    def _place(
        self,
        value: Value,
        size: int,
        mark: _Mark | None,
        anchor: str | None,
        placed: bool = False,
    ) -> None:
        """Put a finished value into its parent (``placed``: its path was taken at its start)."""
        if anchor:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.root = (value, size)
            return
        top = self.stack[-1]
        if not placed:
            self._child_path(mark)
        top.size += size
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            assert top.key is not None
            top.value[top.key] = value
            top.key = None


def parse(text: str, name: str) -> Document:
    """The plain data of a YAML text, or a ``RoutineError`` located at the offending line."""
    bad = _NON_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise RoutineError(
            [
                Problem(
                    name,
                    "",
                    line,
                    f"column {column}: the control character U+{ord(bad.group()):04X} "
                    "is not allowed in YAML (remove it)",
                )
            ]
        )
    loader = _Loader(text)
    builder = _Builder(name, loader)
    try:
        while loader.check_event():
            builder.feed(cast(yaml.Event, loader.get_event()))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(s for s in (err.context, err.problem) if s) or "is not valid YAML"
        where = f"column {mark.column + 1}: " if mark else ""
        raise builder.fail(mark, f"{where}not valid YAML: {what}") from None
    except yaml.YAMLError as err:  # anything else the reader or parser refuses
        raise builder.fail(None, f"not valid YAML: {err}") from None
    finally:
        loader.dispose()
    if builder.root is None:
        raise builder.fail(None, "is empty: a routine is a mapping with id, title, summary, steps")
    return Document(builder.root[0], builder.lines)
