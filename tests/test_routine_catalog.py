"""The catalog: bundled and user routines together, includes and sides resolved, and a
broken file of the person's reported without costing them the others."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from stretchcoach.paths import user_routines_dir
from stretchcoach.routine.catalog import Catalog, load_catalog
from stretchcoach.routine.expand import RIGHT_SIDE_INTRO
from stretchcoach.routine.problems import RoutineError


def step(step_id: str, sides: bool = False, say: str = "Breathe out, and rest.") -> str:
    return textwrap.indent(
        textwrap.dedent(f"""\
            - id: {step_id}
              title: {step_id.capitalize()} the left leg
              instruction: Slide your LEFT heel away.
              intro: Left knee bent. Now slide your left heel.
              illustration: illustrations/knee-hug.svg
              {"sides: both" if sides else ""}
              breaths:
                cycles: 2
                cues:
                  - on: 1
                    exhale: {{say: "{say}", move: end}}
            """),
        "  ",
    )


def routine(routine_id: str, *items: str, extra: str = "") -> str:
    head = f"id: {routine_id}\ntitle: Routine {routine_id}\nsummary: For the tests.\n{extra}"
    return head + "steps:\n" + "".join(items)


def include(routine_id: str) -> str:
    return f"  - include: {routine_id}\n"


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "bundled"
    folder.mkdir()
    (folder / "main.yaml").write_text(routine("main", step("settle"), extra="default: true\n"))
    return folder


@pytest.fixture
def user(tmp_path: Path) -> Path:
    folder = tmp_path / "user"
    folder.mkdir()
    return folder


def catalog(bundled: Path, user: Path) -> Catalog:
    return load_catalog(bundled_dir=bundled, user_dir=user)


def test_a_two_sided_step_generates_the_right_side(bundled: Path, user: Path) -> None:
    say = "Breathe out, and slide your left heel. Left, LEFT, leftover."
    (bundled / "slide.yaml").write_text(routine("slide", step("slide", sides=True, say=say)))
    left, right = catalog(bundled, user).get("slide").steps  # type: ignore[union-attr]
    assert (left.key, left.side, left.mirrored) == ("slide", "left", False)
    assert (right.key, right.side, right.mirrored) == ("slide-right", "right", True)
    assert right.title == "Slide the right leg"
    assert right.instruction == "Slide your RIGHT heel away."
    assert right.intro == f"{RIGHT_SIDE_INTRO} Right knee bent. Now slide your right heel."
    assert (
        right.cycles[0].exhale.say
        == "Breathe out, and slide your right heel. Right, RIGHT, leftover."
    )
    assert right.cycles[0].exhale.move == "end" and right.illustration == left.illustration


def test_a_side_group_does_all_its_steps_left_then_all_right(bundled: Path, user: Path) -> None:
    group = "  - group: pair\n    sides: both\n    steps:\n" + textwrap.indent(
        step("one") + step("two"), "    "
    )
    (bundled / "pair.yaml").write_text(routine("pair", group))
    steps = catalog(bundled, user).get("pair").steps  # type: ignore[union-attr]
    assert [s.key for s in steps] == ["one", "two", "one-right", "two-right"]
    assert [s.intro.startswith(RIGHT_SIDE_INTRO) for s in steps] == [False, False, True, False]


def test_includes_pull_in_the_steps_of_other_routines(bundled: Path, user: Path) -> None:
    (bundled / "a.yaml").write_text(routine("a", step("a1"), step("a2")))
    (bundled / "both.yaml").write_text(routine("both", include("a"), step("own"), include("main")))
    entry = catalog(bundled, user).get("both")
    assert entry is not None and [s.key for s in entry.steps] == ["a1", "a2", "own", "settle"]


def test_an_unknown_include_is_located_and_the_rest_load(bundled: Path, user: Path) -> None:
    (bundled / "broken.yaml").write_text(routine("broken", step("x"), include("mian")))
    loaded = catalog(bundled, user)
    assert [e.id for e in loaded.entries] == ["main"]
    (problem,) = loaded.problems
    assert problem.file == str(bundled / "broken.yaml")
    assert (problem.path, problem.line) == ("steps[1].include", 16)
    assert "no routine has the id 'mian' (did you mean 'main'?" in problem.message


def test_routines_including_each_other_in_a_circle(bundled: Path, user: Path) -> None:
    (bundled / "a.yaml").write_text(routine("a", include("b")))
    (bundled / "b.yaml").write_text(routine("b", include("a")))
    loaded = catalog(bundled, user)
    assert [e.id for e in loaded.entries] == ["main"]
    assert {p.file for p in loaded.problems} == {str(bundled / "a.yaml"), str(bundled / "b.yaml")}
    assert all("in a circle" in p.message and p.line == 4 for p in loaded.problems)


def test_an_include_that_repeats_step_ids(bundled: Path, user: Path) -> None:
    (bundled / "twice.yaml").write_text(routine("twice", include("main"), include("main")))
    (problem,) = catalog(bundled, user).problems
    assert (
        problem.path == "steps"
        and "settle" in problem.message
        and "more than once" in problem.message
    )


def test_a_bundled_routine_cannot_include_a_users(bundled: Path, user: Path) -> None:
    (user / "mine.yaml").write_text(routine("mine", step("m")))
    (bundled / "uses.yaml").write_text(routine("uses", include("mine")))
    (user / "also.yaml").write_text(routine("also", include("mine"), include("main")))
    loaded = catalog(bundled, user)
    assert [e.id for e in loaded.entries] == ["main", "also", "mine"]
    (problem,) = loaded.problems
    assert problem.file == str(bundled / "uses.yaml") and problem.path == "steps[0].include"


def test_two_bundled_routines_with_one_id_name_both_files(bundled: Path, user: Path) -> None:
    (bundled / "zz-copy.yaml").write_text(routine("main", step("other")))
    (problem,) = catalog(bundled, user).problems
    assert problem.file == str(bundled / "zz-copy.yaml") and (problem.path, problem.line) == (
        "id",
        1,
    )
    assert str(bundled / "main.yaml") in problem.message


def test_a_user_routine_with_a_bundled_id_is_an_error_naming_both_files(
    bundled: Path, user: Path
) -> None:
    (user / "main.yaml").write_text(routine("main", step("mine")))
    loaded = catalog(bundled, user)
    (entry,) = loaded.entries
    assert entry.source == "bundled" and entry.steps[0].key == "settle"
    (problem,) = loaded.problems
    assert problem.file == str(user / "main.yaml") and problem.path == "id"
    assert f"bundled routine in {bundled / 'main.yaml'}" in problem.message


def test_two_user_routines_with_one_id(bundled: Path, user: Path) -> None:
    (user / "a.yaml").write_text(routine("mine", step("a")))
    (user / "b.yaml").write_text(routine("mine", step("b")))
    loaded = catalog(bundled, user)
    assert [e.path.name for e in loaded.entries] == ["main.yaml", "a.yaml"]
    (problem,) = loaded.problems
    assert problem.file == str(user / "b.yaml") and str(user / "a.yaml") in problem.message


def test_a_broken_user_routine_does_not_stop_the_others(bundled: Path, user: Path) -> None:
    (user / "good.yaml").write_text(routine("good", include("main"), step("more")))
    (user / "bad.yaml").write_text(routine("bad", step("x")).replace("cycles: 2", "cycles: lots"))
    (user / "worse.yml").write_bytes(b"\xff\xfe not text")
    (user / "notes.txt").write_text("not a routine file, not read")
    loaded = catalog(bundled, user)
    assert [(e.id, e.source) for e in loaded.entries] == [("main", "bundled"), ("good", "user")]
    assert [(Path(p.file).name, p.path, p.line) for p in loaded.problems] == [
        ("bad.yaml", "steps[0].breaths.cycles", 12),
        ("worse.yml", "", 1),
    ]


def test_exactly_one_bundled_routine_is_the_default(bundled: Path, user: Path) -> None:
    (bundled / "second.yaml").write_text(routine("second", step("s"), extra="default: true\n"))
    (bundled / "third.yaml").write_text(routine("third", step("t")))
    (problem,) = catalog(bundled, user).problems
    assert "exactly one" in problem.message and "main.yaml, second.yaml" in problem.message
    (bundled / "second.yaml").unlink()
    loaded = catalog(bundled, user)
    assert loaded.problems == [] and loaded.default is not None and loaded.default.id == "main"
    assert loaded.entries[0].id == "main"


def test_no_default_is_a_problem(bundled: Path, user: Path) -> None:
    (bundled / "main.yaml").write_text(routine("main", step("settle")))
    loaded = catalog(bundled, user)
    assert "now: none" in loaded.problems[0].message
    assert loaded.default is not None and loaded.default.id == "main"


def test_a_user_default_is_a_warning_and_ignored(bundled: Path, user: Path) -> None:
    (user / "mine.yaml").write_text(routine("mine", step("m"), extra="default: true\n"))
    loaded = catalog(bundled, user)
    (warning,) = loaded.problems
    assert warning.severity == "warning" and (warning.path, warning.line) == ("default", 4)
    assert loaded.default is not None and loaded.default.id == "main"


def test_find_by_id_by_path_or_with_a_suggestion(bundled: Path, user: Path, tmp_path: Path) -> None:
    loaded = catalog(bundled, user)
    assert loaded.find("main").source == "bundled"
    draft = tmp_path / "draft.yaml"
    draft.write_text(routine("draft", include("main"), step("extra")))
    found = loaded.find(str(draft))
    assert (found.source, found.path, [s.key for s in found.steps]) == (
        "file",
        draft,
        ["settle", "extra"],
    )
    with pytest.raises(RoutineError) as info:
        loaded.find("mani")
    assert "did you mean 'main'?" in str(info.value)
    with pytest.raises(RoutineError) as info:
        loaded.find(str(tmp_path / "missing.yaml"))
    assert "no such file" in str(info.value)


def test_the_users_routines_live_in_the_data_folder() -> None:
    folder = user_routines_dir()
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(routine("mine", include("daily-minimum")))
    loaded = load_catalog()
    mine = loaded.get("mine")
    assert loaded.problems == [] and mine is not None and mine.source == "user"
    daily = loaded.find("daily-minimum").steps  # run by itself: with its way down and up
    assert [s.key for s in mine.steps] == [s.key for s in daily[1:-1]]


def with_key(text: str, step_id: str, line: str) -> str:
    """``text`` with ``line`` (a key of the step) added to the step ``step_id``."""
    return text.replace(f"- id: {step_id}\n", f"- id: {step_id}\n    {line}\n", 1)


def test_a_caution_is_said_after_the_intro_on_the_first_side_only(
    bundled: Path, user: Path
) -> None:
    caution = "caution: Only as far as is comfortable with your left knee."
    (bundled / "hug.yaml").write_text(
        routine("hug", with_key(step("hug", sides=True), "hug", caution))
    )
    left, right = catalog(bundled, user).get("hug").steps  # type: ignore[union-attr]
    assert left.intro == "Left knee bent. Now slide your left heel. " + left.caution  # type: ignore[operator]
    assert left.caution == "Only as far as is comfortable with your left knee."
    assert right.caution == "Only as far as is comfortable with your right knee."  # shown
    assert right.intro == f"{RIGHT_SIDE_INTRO} Right knee bent. Now slide your right heel."


def test_every_step_belongs_to_a_stretch_that_skip_would_skip_whole(
    bundled: Path, user: Path
) -> None:
    group = "  - group: pair\n    sides: both\n    steps:\n" + textwrap.indent(
        step("one") + step("two"), "    "
    )
    items = (
        with_key(step("prop"), "prop", "stretch: arch"),
        with_key(step("lie"), "lie", "stretch: arch"),
        step("slide", sides=True),
        group,
        step("rest"),
    )
    (bundled / "all.yaml").write_text(routine("all", *items))
    steps = catalog(bundled, user).get("all").steps  # type: ignore[union-attr]
    assert [(s.key, s.stretch) for s in steps] == [
        ("prop", "arch"),
        ("lie", "arch"),
        ("slide", "slide"),
        ("slide-right", "slide"),
        ("one", "pair"),
        ("two", "pair"),
        ("one-right", "pair"),
        ("two-right", "pair"),
        ("rest", "rest"),
    ]


def test_the_steps_of_one_stretch_must_follow_one_another(bundled: Path, user: Path) -> None:
    items = (
        with_key(step("a"), "a", "stretch: s"),
        step("b"),
        with_key(step("c"), "c", "stretch: s"),
    )
    (bundled / "apart.yaml").write_text(routine("apart", *items))
    (problem,) = catalog(bundled, user).problems
    assert (problem.file, problem.path, problem.line) == (str(bundled / "apart.yaml"), "steps", 4)
    assert "the stretch 's' do not follow one another (again at step 'c')" in problem.message


def test_solo_steps_and_the_opening_are_said_only_when_the_routine_runs_by_itself(
    bundled: Path, user: Path
) -> None:
    opening = "opening: The stretch. Press space at any time to pause.\n"
    items = (
        with_key(step("down"), "down", "solo: true"),
        step("move"),
        with_key(step("up"), "up", "solo: true"),
    )
    (bundled / "alone.yaml").write_text(routine("alone", *items, extra=opening))
    (bundled / "both.yaml").write_text(routine("both", step("first"), include("alone")))
    loaded = catalog(bundled, user)
    alone = loaded.get("alone").steps  # type: ignore[union-attr]
    assert [s.key for s in alone] == ["down", "move", "up"]
    opened = "The stretch. Press space at any time to pause. Left knee bent."
    assert alone[0].intro == f"{opened} Now slide your left heel."
    both = loaded.get("both").steps  # type: ignore[union-attr]
    assert [s.key for s in both] == ["first", "move"]
    assert not any("pause" in s.intro for s in both)


def test_a_routine_left_with_no_step_once_solo_steps_are_left_out(
    bundled: Path, user: Path
) -> None:
    (bundled / "frame.yaml").write_text(
        routine("frame", with_key(step("down"), "down", "solo: true"))
    )
    (bundled / "empty.yaml").write_text(routine("empty", include("frame")))
    loaded = catalog(bundled, user)
    assert [s.key for s in loaded.get("frame").steps] == ["down"]  # type: ignore[union-attr]
    (problem,) = loaded.problems
    assert problem.file == str(bundled / "empty.yaml") and "has no step to run" in problem.message


def test_a_gentler_link_names_a_known_routine(bundled: Path, user: Path) -> None:
    (bundled / "hard.yaml").write_text(routine("hard", step("x"), extra="gentler: mian\n"))
    (bundled / "firm.yaml").write_text(routine("firm", step("y"), extra="gentler: main\n"))
    loaded = catalog(bundled, user)
    assert [e.id for e in loaded.entries] == ["main", "firm"]
    assert loaded.get("firm").routine.gentler == "main"  # type: ignore[union-attr]
    (problem,) = loaded.problems
    assert (problem.path, problem.line) == ("gentler", 4)
    assert "no routine has the id 'mian' (did you mean 'main'?" in problem.message
