"""Reading one routine file: every kind of bad input gets a located error, and nothing else.

Each test writes a real file and loads it through the real loader and pydantic models;
the assertions name the file, the place in it and the line, as the person would read them.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from stretchcoach.routine.catalog import resolve_steps
from stretchcoach.routine.loader import Source, load_file
from stretchcoach.routine.problems import Problem, RoutineError
from stretchcoach.routine.safeyaml import MAX_ALIASES, MAX_BYTES, MAX_DEPTH

VALID = """\
id: test-routine
title: Test routine
summary: A routine for the tests.
steps:
  - id: settle
    title: Settle
    instruction: Lie on your back.
    intro: Lie on your back.
    illustration: illustrations/rest.svg
    breaths:
      cycles: 2
      cues:
        - on: 1
          exhale: Breathe out.
"""


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    folder = tmp_path / "assets" / "illustrations"
    folder.mkdir(parents=True)
    (folder / "rest.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    return folder.parent


def write(tmp_path: Path, content: str | bytes, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load(tmp_path: Path, assets: Path, content: str | bytes) -> Source:
    return load_file(write(tmp_path, content), assets=assets)


def problems(tmp_path: Path, assets: Path, content: str | bytes) -> list[Problem]:
    with pytest.raises(RoutineError) as info:
        load(tmp_path, assets, content)
    found = info.value.problems
    assert found and all(p.file == str(tmp_path / "mine.yaml") for p in found)
    return found


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_a_valid_file_loads_with_the_line_of_every_value(tmp_path: Path, assets: Path) -> None:
    source = load(tmp_path, assets, VALID)
    assert source.routine.id == "test-routine"
    assert source.lines[("steps", 0)] == 5
    assert source.lines[("steps", 0, "breaths", "cycles")] == 11
    assert source.lines[("steps", 0, "breaths", "cues", 0, "on")] == 13


def test_on_stays_a_key_and_is_not_read_as_yes(tmp_path: Path, assets: Path) -> None:
    step = load(tmp_path, assets, VALID).routine.steps[0]
    assert step.breaths is not None and step.breaths.cues[0].on == 1  # type: ignore[union-attr]


def test_malformed_yaml_names_line_and_column(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, VALID.replace("cycles: 2", "cycles: [2")))
    assert problem.line == 12
    assert "not valid YAML" in problem.message and "column" in problem.message
    assert str(problem).startswith(f"{tmp_path / 'mine.yaml'}:12: ")


@pytest.mark.parametrize("content", ["", "# only a comment\n", "\n\n   \n"])
def test_an_empty_file_says_it_is_empty(tmp_path: Path, assets: Path, content: str) -> None:
    assert "is empty" in only(problems(tmp_path, assets, content)).message


def test_a_list_where_the_routine_mapping_belongs(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, "- id: a\n- id: b\n"))
    assert problem.line == 1 and "holds a list" in problem.message and "mapping" in problem.message


def test_a_list_where_a_nested_mapping_belongs(tmp_path: Path, assets: Path) -> None:
    text = VALID.replace("    breaths:\n      cycles: 2", "    breaths:\n      - cycles: 2")
    problem = only(problems(tmp_path, assets, text.split("      cues:")[0]))
    assert (problem.path, problem.line) == ("steps[0].breaths", 10)
    assert "should be a mapping" in problem.message and "not a list" in problem.message


def test_a_wrong_type_is_located(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, VALID.replace("cycles: 2", "cycles: many")))
    assert (problem.path, problem.line) == ("steps[0].breaths.cycles", 11)
    assert "whole number" in problem.message and "'many'" in problem.message


@pytest.mark.parametrize(
    ("written", "misspelt", "path", "line", "meant"),
    [
        ("title: Test", "tilte: Test", "tilte", 2, "title"),
        ("    intro: Lie", "    itnro: Lie", "steps[0].itnro", 8, "intro"),
        ("      cycles: 2", "      cylces: 2", "steps[0].breaths.cylces", 11, "cycles"),
        ("exhale: Breathe", "exhael: Breathe", "steps[0].breaths.cues[0].exhael", 14, "exhale"),
    ],
)
def test_unknown_keys_suggest_the_key_meant_at_that_place(
    tmp_path: Path, assets: Path, *, written: str, misspelt: str, path: str, line: int, meant: str
) -> None:
    unknown = only(problems(tmp_path, assets, VALID.replace(written, misspelt, 1)))
    assert (unknown.path, unknown.line) == (path, line)  # and not also "'title' is missing"
    assert f"did you mean '{meant}'?" in unknown.message


def test_an_unknown_key_with_nothing_close_lists_the_allowed_keys(
    tmp_path: Path, assets: Path
) -> None:
    text = VALID.replace("      cycles: 2", "      cycles: 2\n      zzz: 1")
    problem = only(problems(tmp_path, assets, text))
    assert problem.path == "steps[0].breaths.zzz" and problem.line == 12
    assert "allowed here: cycles, pace, hold, cues" in problem.message


def test_a_missing_field_is_located_at_its_parent(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, VALID.replace("    intro: Lie on your back.\n", "")))
    assert (problem.path, problem.line) == ("steps[0].intro", 5)
    assert "is missing" in problem.message and "Spoken when the step starts" in problem.message


def test_an_empty_step_list(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, VALID.partition("steps:")[0] + "steps: []\n"))
    assert (problem.path, problem.line) == ("steps", 4)
    assert "at least 1" in problem.message


@pytest.mark.parametrize(
    ("before", "after", "path", "words"),
    [
        ("cycles: 2", "cycles: 0", "steps[0].breaths.cycles", "at least 1"),
        ("cycles: 2", "cycles: -3", "steps[0].breaths.cycles", "at least 1"),
        ("cycles: 2", "cycles: 100000", "steps[0].breaths.cycles", "at most 30"),
        ("cycles: 2", "cycles: 2.5", "steps[0].breaths.cycles", "whole number"),
        ("cycles: 2", "cycles: yes", "steps[0].breaths.cycles", "whole number, not true"),
        ("cycles: 2", "cycles: 2\n      pace: 0", "steps[0].breaths.pace", "at least 0.5"),
        ("cycles: 2", "cycles: 2\n      pace: .inf", "steps[0].breaths.pace", "at most 2.0"),
        ("cycles: 2", "cycles: 2\n      hold: 99", "steps[0].breaths.hold", "at most 5"),
        ("on: 1", "on: 7", "steps[0].breaths", "names cycle 7"),
        ("on: 1", "on: []", "steps[0].breaths.cues[0].on", "at least one cycle"),
        ("on: 1", "on: sometimes", "steps[0].breaths.cues[0].on", "'every' or 'rest'"),
        ("title: Settle", "title: " + "x" * 81, "steps[0].title", "at most 80"),
        ("title: Settle", "title: Settle\n    caution: " + "x" * 241, "steps[0].caution", "240"),
        ("title: Settle", "title: Settle\n    stretch: Not An Id", "steps[0].stretch", "hyphens"),
        ("title: Settle", "title: Settle\n    solo: 1", "steps[0].solo", "true or false"),
    ],
)
def test_zero_negative_and_absurd_values(
    tmp_path: Path, assets: Path, *, before: str, after: str, path: str, words: str
) -> None:
    problem = only(problems(tmp_path, assets, VALID.replace(before, after, 1)))
    assert problem.path == path and words in problem.message
    assert problem.line is not None and 4 <= problem.line <= 14


def test_the_opening_is_as_short_as_a_cue(tmp_path: Path, assets: Path) -> None:
    text = VALID.replace("steps:", f"opening: {'x' * 241}\nsteps:")
    problem = only(problems(tmp_path, assets, text))
    assert (problem.path, problem.line) == ("opening", 4) and "at most 240" in problem.message


def test_a_routine_is_not_its_own_gentler_version(tmp_path: Path, assets: Path) -> None:
    problem = only(
        problems(tmp_path, assets, VALID.replace("steps:", "gentler: test-routine\nsteps:"))
    )
    assert problem.line == 1 and "names this routine itself" in problem.message


GROUP = """\
id: test-routine
title: Test routine
summary: A routine for the tests.
steps:
  - group: pair
    sides: both
    steps:
      - id: settle
        title: Settle
        instruction: Lie on your back.
        intro: Lie on your left side.
        illustration: illustrations/rest.svg
        manual: {}
"""


def test_steps_in_a_side_group_leave_stretch_and_solo_to_the_group(
    tmp_path: Path, assets: Path
) -> None:
    assert load(tmp_path, assets, GROUP).routine.steps  # the group as such is valid
    for key, words in (
        ("stretch: mine", "cannot declare 'stretch' themselves; give 'stretch' to the group"),
        ("solo: true", "cannot be 'solo'"),
    ):
        text = GROUP.replace("        title: Settle", f"        title: Settle\n        {key}")
        problem = only(problems(tmp_path, assets, text))
        assert (problem.path, problem.line) == ("steps[0].steps", 7)
        assert words in problem.message


def test_not_a_number_is_refused(tmp_path: Path, assets: Path) -> None:
    text = VALID.replace("cycles: 2", "cycles: 2\n      pace: .nan")
    problem = only(problems(tmp_path, assets, text))
    assert (problem.path, problem.line) == ("steps[0].breaths.pace", 12)


def test_a_step_with_no_way_to_advance(tmp_path: Path, assets: Path) -> None:
    text = VALID.partition("    breaths:")[0]
    problem = only(problems(tmp_path, assets, text))
    assert (problem.path, problem.line) == ("steps[0]", 5)
    assert "give exactly one" in problem.message


def test_a_step_item_of_the_wrong_kind(tmp_path: Path, assets: Path) -> None:
    text = VALID + "  - just-a-word\n"
    problem = only(problems(tmp_path, assets, text))
    assert (problem.path, problem.line) == ("steps[1]", 15)
    assert "include: ROUTINE-ID" in problem.message


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path, assets: Path) -> None:
    text = VALID.replace("title: Test routine", "title: ''").replace("cycles: 2", "cycles: 0")
    found = problems(tmp_path, assets, text.replace("id: settle", "id: Not An Id"))
    assert [(p.path, p.line) for p in found] == [
        ("title", 2),
        ("steps[0].id", 5),
        ("steps[0].breaths.cycles", 11),
    ]
    assert "lowercase letters, digits and single hyphens" in found[1].message


def test_file_checks_and_model_checks_are_reported_together(tmp_path: Path, assets: Path) -> None:
    text = VALID.replace("rest.svg", "gone.svg").replace("cycles: 2", "cycles: 0")
    found = problems(tmp_path, assets, text)
    assert [(p.path, p.line) for p in found] == [
        ("steps[0].illustration", 9),
        ("steps[0].breaths.cycles", 11),
    ]


def test_duplicate_step_ids_name_the_first_use(tmp_path: Path, assets: Path) -> None:
    step = VALID.split("steps:\n")[1]
    problem = only(problems(tmp_path, assets, VALID + step))
    assert (problem.path, problem.line) == ("steps[1].id", 15)
    assert "already used at steps[0] (line 5)" in problem.message


def test_a_key_given_twice(tmp_path: Path, assets: Path) -> None:
    problem = only(
        problems(tmp_path, assets, VALID.replace("title: Settle", "title: A\n    title: B"))
    )
    assert (problem.path, problem.line) == ("steps[0].title", 7)
    assert "given twice (first on line 6)" in problem.message


def test_a_missing_illustration_suggests_the_file_meant(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, VALID.replace("rest.svg", "rst.svg")))
    assert (problem.path, problem.line) == ("steps[0].illustration", 9)
    assert "no file assets/illustrations/rst.svg" in problem.message
    assert "did you mean 'illustrations/rest.svg'?" in problem.message


@pytest.mark.parametrize(
    ("reference", "words"),
    [
        ("../outside.svg", "leaves the assets folder"),
        ("illustrations/../../outside.svg", "leaves the assets folder"),
        ("/etc/outside.svg", "absolute path"),
    ],
)
def test_an_illustration_outside_assets(
    tmp_path: Path, assets: Path, reference: str, words: str
) -> None:
    (tmp_path / "outside.svg").write_text("<svg/>")
    problem = only(problems(tmp_path, assets, VALID.replace("illustrations/rest.svg", reference)))
    assert problem.path == "steps[0].illustration" and words in problem.message


def test_an_illustration_that_is_a_symbolic_link_out_of_assets(
    tmp_path: Path, assets: Path
) -> None:
    (tmp_path / "secret.svg").write_text("<svg/>")
    (assets / "illustrations" / "link.svg").symlink_to(tmp_path / "secret.svg")
    problem = only(problems(tmp_path, assets, VALID.replace("rest.svg", "link.svg")))
    assert problem.path == "steps[0].illustration" and "symbolic link" in problem.message


def test_a_file_over_one_mebibyte_is_refused_before_parsing(tmp_path: Path, assets: Path) -> None:
    # Unparseable if it were read: the size must be what is reported.
    problem = only(problems(tmp_path, assets, "[" * (MAX_BYTES + 1)))
    assert problem.line is None and "larger than 1024 KiB" in problem.message


def test_non_utf8_bytes_are_located(tmp_path: Path, assets: Path) -> None:
    content = VALID.replace("Lie on your back.", "Lie on the caf\xe9 floor.", 1).encode("latin-1")
    problem = only(problems(tmp_path, assets, content))
    assert problem.line == 7 and "0xe9 is not UTF-8" in problem.message


def test_control_characters_are_located(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, VALID.replace("Settle", "Set\x07tle")))
    assert problem.line == 6 and "U+0007" in problem.message


def test_a_billion_laughs_alias_bomb_is_refused(tmp_path: Path, assets: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        previous, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    problem = only(problems(tmp_path, assets, "\n".join(lines) + "\n"))
    assert problem.line is not None and "values once aliases are expanded" in problem.message


def test_too_many_aliases_are_refused(tmp_path: Path, assets: Path) -> None:
    many = ", ".join(["*x"] * (MAX_ALIASES + 1))
    problem = only(problems(tmp_path, assets, f"x: &x 1\ny: [{many}]\n"))
    assert problem.line == 2 and f"more than {MAX_ALIASES} aliases" in problem.message


def test_an_alias_with_no_anchor(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, "id: *nowhere\n"))
    assert problem.line == 1 and "names no anchor" in problem.message


def test_anchors_and_aliases_within_the_limits_work(tmp_path: Path, assets: Path) -> None:
    text = VALID.replace(
        "exhale: Breathe out.", "exhale: &out Breathe out.\n          inhale: *out"
    )
    cue = load(tmp_path, assets, text).routine.steps[0].breaths.cues[0]  # type: ignore[union-attr]
    assert cue.inhale is not None and cue.inhale.say == "Breathe out."


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_deep_flow_nesting_is_refused(tmp_path: Path, assets: Path, opening: str) -> None:
    problem = only(problems(tmp_path, assets, opening * 100_000))
    assert problem.line == 1 and "nest" in problem.message


def test_deep_block_nesting_is_refused_at_the_line_too_deep(tmp_path: Path, assets: Path) -> None:
    text = "".join(f"{' ' * level}k{level}:\n" for level in range(100))
    problem = only(problems(tmp_path, assets, text))
    assert problem.line == MAX_DEPTH + 1 and f"more than {MAX_DEPTH} levels" in problem.message


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/object/new:pathlib.Path ['{marker}']",
        "!custom {marker}",
        "!!binary aGVsbG8=",
    ],
)
def test_yaml_tags_that_would_construct_objects_never_run(
    tmp_path: Path, assets: Path, tagged: str
) -> None:
    marker = tmp_path / "ran"
    text = VALID.replace("Test routine", tagged.format(marker=marker), 1)
    problem = only(problems(tmp_path, assets, text))
    assert problem.line == 2 and "tag" in problem.message and "not allowed" in problem.message
    assert not marker.exists()


def test_a_tag_on_a_mapping_is_refused(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, "!!python/object:os.Path\nid: x\n"))
    assert problem.line == 1 and "not allowed" in problem.message


def test_more_than_one_document(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, VALID + "---\n" + VALID))
    assert problem.line == 15 and "more than one YAML document" in problem.message


def test_a_key_that_is_not_text(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, "? [a, b]\n: 1\n"))
    assert problem.line == 1 and "key must be plain text" in problem.message


def test_a_number_too_long_to_read(tmp_path: Path, assets: Path) -> None:
    problem = only(problems(tmp_path, assets, VALID.replace("cycles: 2", "cycles: " + "9" * 5000)))
    assert problem.line == 11 and "far too long" in problem.message


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path, assets: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    with pytest.raises(RoutineError) as info:
        load_file(pipe, assets=assets)
    assert "is not a regular file" in str(info.value)


def test_merge_keys_are_named_as_unsupported(tmp_path: Path, assets: Path) -> None:
    text = VALID.replace("    title: Settle\n", "    <<: {title: Settle}\n")
    found = problems(tmp_path, assets, text)
    assert ("steps[0].<<", 6) in [(p.path, p.line) for p in found]
    assert any("merge keys (<<) are not supported" in p.message for p in found)


def test_a_folder_and_a_missing_file(tmp_path: Path, assets: Path) -> None:
    for path, words in ((tmp_path, "is a folder"), (tmp_path / "nope.yaml", "no such file")):
        with pytest.raises(RoutineError) as info:
            load_file(path, assets=assets)
        assert words in str(info.value)


# Random documents: whatever the input, the result is a routine or located problems.

_KEYS = st.sampled_from(
    [
        "id", "title", "summary", "steps", "include", "group", "sides", "instruction", "intro",
        "illustration", "manual", "breaths", "cycles", "pace", "hold", "cues", "on", "inhale",
        "exhale", "say", "move", "estimate", "default", "level", "props", "safety",
    ]
) | st.text(string.ascii_letters + "-_ ", min_size=1, max_size=8)  # fmt: skip
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["both", "every", "rest", "end", "illustrations/rest.svg", "a-b"])
    | st.text(max_size=30)
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=6),
    max_leaves=40,
)


# The line breaks YAML counts (PyYAML's reader): a lone \r starts a new line too.
YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _result(tmp_path: Path, assets: Path, content: str | bytes) -> None:
    path = write(tmp_path, content)
    try:
        source = load_file(path, assets=assets)
    except RoutineError as err:
        text = content.decode(errors="replace") if isinstance(content, bytes) else content
        lines = len(YAML_LINE_BREAK.split(text)) + 1  # YAML also breaks lines at \r and more
        assert err.problems
        for problem in err.problems:
            assert problem.file == str(path) and problem.message
            assert problem.line is None or 1 <= problem.line <= lines
    else:
        assert source.routine.steps


_settings = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_settings
@given(document=_DOCUMENTS)
def test_random_documents_give_a_routine_or_located_problems(
    tmp_path: Path, assets: Path, document: object
) -> None:
    _result(tmp_path, assets, yaml.safe_dump(document, allow_unicode=True))


@_settings
@given(data=st.data())
def test_random_edits_of_a_valid_file_give_a_routine_or_located_problems(
    tmp_path: Path, assets: Path, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(VALID)))
    cut = data.draw(st.integers(0, 20))
    inserted = data.draw(
        st.text(alphabet=string.printable + "&*!|>-:[]{}#'\"\xe9\x00", max_size=12)
    )
    _result(tmp_path, assets, VALID[:at] + inserted + VALID[at + cut :])


@_settings
@given(content=st.binary(max_size=200))
def test_random_bytes_give_a_routine_or_located_problems(
    tmp_path: Path, assets: Path, content: bytes
) -> None:
    _result(tmp_path, assets, content)


def test_thousands_of_errors_are_cut_to_the_first_fifty_and_a_count(
    tmp_path: Path, assets: Path
) -> None:
    keys = ", ".join(f"zz{k}: 1" for k in range(40))
    text = VALID.partition("steps:")[0] + "steps:\n" + f"  - {{{keys}}}\n" * 30
    found = problems(tmp_path, assets, text)
    assert len(found) == 51 and all(p.line for p in found[:50])
    assert found[-1].line is None and found[-1].message.startswith("... and up to ")


# Routine-shaped documents, often right and sometimes wrong, to reach the deeper checks
# (cue patterns, sides, groups, includes) that random documents rarely get to.
_text = st.sampled_from(["Breathe in.", "Rest", "Slide your left heel."]) | st.text(max_size=8)
_cue = _text | st.fixed_dictionaries(
    {}, optional={"say": _text, "move": st.sampled_from(["start", "end", "up"])}
)
_entry = st.fixed_dictionaries(
    {
        "on": st.integers(1, 3)
        | st.lists(st.integers(0, 4), max_size=3)
        | st.sampled_from(["every", "rest", "x"])
    },
    optional={"inhale": _cue, "exhale": _cue, "hold": _cue},
)
_breaths = st.fixed_dictionaries(
    {"cycles": st.integers(3, 5) | st.integers(-1, 40)},
    optional={
        "pace": st.floats(0.5, 2) | st.floats(allow_nan=True),
        "hold": st.integers(0, 6),
        "cues": st.lists(_entry, max_size=3),
    },
)
_advance: st.SearchStrategy[Mapping[str, object]] = st.fixed_dictionaries(
    {"manual": st.just({})}
) | st.fixed_dictionaries({"breaths": _breaths})
_step = st.tuples(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(["a", "b", "c", "a-right", "Bad Id"]),
            "title": _text,
            "instruction": _text,
            "intro": _text,
            "illustration": st.sampled_from(["illustrations/rest.svg", "x.svg", "../a.svg"]),
        },
        optional={"sides": st.sampled_from(["both", "one"])},
    ),
    _advance,
).map(lambda parts: {**parts[0], **parts[1]})
_item = (
    _step
    | st.fixed_dictionaries(
        {"group": st.just("g"), "sides": st.just("both"), "steps": st.lists(_step, max_size=2)}
    )
    | st.fixed_dictionaries({"include": st.sampled_from(["test-routine", "other"])})
)
_ROUTINE_LIKE = st.fixed_dictionaries(
    {
        "id": st.just("test-routine"),
        "title": _text,
        "summary": _text,
        "steps": st.lists(_item, min_size=1, max_size=3),
    },
    optional={"default": st.booleans(), "level": st.sampled_from(["gentle", "moderate", "hard"])},
)


@_settings
@given(document=_ROUTINE_LIKE)
def test_routine_shaped_documents_give_steps_or_located_problems(
    tmp_path: Path, assets: Path, document: object
) -> None:
    _result(tmp_path, assets, yaml.safe_dump(document))
    try:
        source = load_file(tmp_path / "mine.yaml", assets=assets)
        steps = resolve_steps(source, {})
    except RoutineError as err:
        assert all(p.file == str(tmp_path / "mine.yaml") and p.message for p in err.problems)
    else:
        event("valid routine")
        assert steps and len({s.key for s in steps}) == len(steps)
