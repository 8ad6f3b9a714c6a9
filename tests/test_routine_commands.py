"""``stretchcoach list``, ``validate`` and ``schema``, run through the real command line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from io import StringIO
from pathlib import Path

import pytest

from stretchcoach import settings
from stretchcoach.cli import main
from stretchcoach.coach.timeline import format_duration
from stretchcoach.commands.routines import validate
from stretchcoach.paths import user_routines_dir
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.routine.loader import Source
from stretchcoach.routine.problems import Problem

MINE = """\
id: {id}
title: My own
summary: Mine.
steps:
  - include: hip-stretch
  - id: extra
    title: Extra
    instruction: Rest.
    intro: {intro}
    illustration: illustrations/supine-rest.svg
    manual: {{}}
"""


def mine(folder: Path, name: str = "mine.yaml", id: str = "mine", intro: str = "Rest.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(MINE.format(id=id, intro=intro))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_list_shows_one_routine_per_line_id_first(capsys: pytest.CaptureFixture[str]) -> None:
    mine(user_routines_dir())
    code, out, err = run(capsys, "list")
    assert code == 0 and err == []
    ids = [line.split()[0] for line in out]
    assert ids[0] == "lower-back-relief" and "mine" in ids and "daily-minimum" in ids
    first = out[0].split("  ")
    default = load_catalog().default
    assert default is not None
    assert [c.strip() for c in first if c.strip()][1:] == [
        "Lower back relief",
        f"{len(default.steps)} steps",
        format_duration(settings.routine_seconds(default.steps, settings.Settings())),
        "bundled, default",
    ]
    assert out[ids.index("mine")].split()[-1] == "yours"


def test_list_gives_lengths_at_the_persons_pace(capsys: pytest.CaptureFixture[str]) -> None:
    _, before, _ = run(capsys, "list")
    settings.save(settings.Settings(inhale=6.0, exhale=9.0))
    _, after, _ = run(capsys, "list")

    def minutes(lines: list[str]) -> float:
        line = next(x for x in lines if x.startswith("daily-minimum"))
        m, s = next(w for w in line.split() if ":" in w).split(":")
        return int(m) + int(s) / 60

    assert minutes(after) > minutes(before) + 1.5


def test_list_reports_a_broken_user_routine_and_lists_the_rest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = user_routines_dir()
    mine(folder)
    (folder / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    code, out, err = run(capsys, "list")
    assert code == 0 and any(line.startswith("mine ") for line in out)
    bundled = [e for e in load_catalog().entries if e.source == "bundled"]
    assert len(out) == len(bundled) + 1
    assert err == [f"{folder / 'broken.yaml'}:3: column 1: " + err[0].split(": column 1: ")[1]]


def test_validate_says_ok_for_each_valid_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = mine(tmp_path, "a.yaml", "aaa"), mine(tmp_path, "b.yaml", "bbb")
    code, out, err = run(capsys, "validate", str(first), str(second))
    assert (code, out, err) == (0, [f"OK {first}", f"OK {second}"], [])


def test_validate_lists_every_problem_and_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = mine(tmp_path, "good.yaml", "good")
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINE.format(id="Bad Id", intro="Rest.").replace("manual: {}", "manul: {}"))
    missing = tmp_path / "missing.yaml"
    code, out, err = run(capsys, "validate", str(good), str(bad), str(missing))
    assert code == 1 and err == []
    assert out == [
        f"OK {good}",
        f"{bad}:1: id: the text 'Bad Id' is not valid here; write lowercase letters, digits "
        "and single hyphens, like 'heel-slide'",
        f"{bad}:11: steps[1].manul: unknown key 'manul' (did you mean 'manual'?)",
        f"{missing}: no such file",
    ]


def test_warnings_do_not_fail_validation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = mine(tmp_path, intro="Rest 5 min & breathe, e.g. slowly.")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert out == [
        f"OK {path}",
        f"{path}:9: warning: steps[1].intro: spoken text contains 'min', '&', 'e.g.', which "
        "the voice reads badly; write it out in words",
    ]


def test_a_clash_with_a_bundled_id_is_an_error_only_in_the_routines_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    draft = mine(tmp_path, id="daily-minimum")
    code, out, _ = run(capsys, "validate", str(draft))
    assert code == 0 and out[0] == f"OK {draft}" and "warning: id: the id" in out[1]
    placed = mine(user_routines_dir(), id="daily-minimum")
    code, out, _ = run(capsys, "validate", str(placed))
    assert code == 1 and out[0].startswith(f"{placed}:1: id: the id 'daily-minimum' is already")
    assert "daily-minimum.yaml" in out[0]


def test_more_warning_checks_can_be_plugged_in(tmp_path: Path) -> None:
    def intro_word_count(source: Source) -> Iterable[Problem]:
        yield source.problem(("title",), f"{len(source.routine.title.split())} words", "warning")

    out = StringIO()
    path = mine(tmp_path)
    assert validate([path], out, checks=(intro_word_count,)) == 0
    assert out.getvalue().splitlines() == [f"OK {path}", f"{path}:2: warning: title: 2 words"]


def test_schema_prints_the_json_schema_of_routine_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["schema"])
    schema = json.loads(capsys.readouterr().out)
    assert code == 0 and schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) == {"id", "title", "summary", "steps"}
    assert schema["properties"]["steps"]["maxItems"] == 100
    assert schema["$defs"]["Breaths"]["properties"]["cycles"]["maximum"] == 30


def test_validate_warns_of_a_cue_too_long_for_its_breath_phase(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "chatty.yaml"
    long_cue = "Breathe in slowly and deeply, and while you do, think about your feet, " * 3
    path.write_text(
        MINE.format(id="chatty", intro="Rest.").replace(
            "    manual: {}\n",
            f"    breaths:\n      cycles: 1\n      cues:\n        - on: 1\n"
            f"          inhale: {long_cue.strip()}\n",
        )
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and out[0] == f"OK {path}"
    assert out[1].startswith(f"{path}:15: warning: steps[1].breaths.cues[0].inhale: the cue")
    assert "the inhale lasts 4.0 s" in out[1]


def test_a_bundled_file_may_include_only_bundled_routines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = user_routines_dir()
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        MINE.format(id="mine", intro="Rest.")
        .replace("  - include: hip-stretch\n", "")
        .replace("id: extra", "id: own")
    )
    bundled = tmp_path / "bundled"
    monkeypatch.setattr("stretchcoach.resources.routines_dir", lambda: bundled)
    uses = tmp_path / "bundled" / "uses.yaml"
    text = MINE.format(id="uses", intro="Rest.").replace("include: hip-stretch", "include: mine")
    for path in (uses, tmp_path / "elsewhere.yaml"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    code, out, _ = run(capsys, "validate", str(uses), str(tmp_path / "elsewhere.yaml"))
    assert code == 1
    assert out[0].startswith(f"{uses}:5: steps[0].include: no routine has the id 'mine'")
    assert out[1] == f"OK {tmp_path / 'elsewhere.yaml'}"


def test_validate_takes_a_folder_for_every_routine_file_in_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = mine(tmp_path, "a.yaml", id="a")
    second = mine(tmp_path, "b.yml", id="b")
    (tmp_path / "notes.txt").write_text("not a routine")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 0
    assert out == [f"OK {first}", f"OK {second}"]


def test_validate_says_so_for_a_folder_without_routines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert out == [f"{tmp_path}: has no routine files (*.yaml or *.yml)"]


def test_validate_warns_of_words_that_could_be_heard_as_a_breath_hold(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Said in a breath cue, after a word of breathing, or with nothing left to hold but
    the breath; "never hold your breath" and a hold with a real object elsewhere are fine."""
    path = tmp_path / "holds.yaml"
    path.write_text(
        "id: holds\ntitle: Holds\nsummary: Holds.\n"
        "opening: Breathe slowly and never hold your breath.\n"
        "steps:\n"
        "  - id: hug\n"
        "    title: Hug\n"
        "    instruction: Hug your knee.\n"
        "    intro: Hold behind your thigh with both hands.\n"
        "    caution: Draw the knee in, and hold.\n"
        "    illustration: illustrations/knee-hug.svg\n"
        "    breaths:\n"
        "      cycles: 2\n"
        "      cues:\n"
        "        - on: 1\n"
        "          inhale: Breathe in, and hold behind your thigh.\n"
        "          exhale: Hold the stretch.\n"
        "        - on: 2\n"
        "          inhale: Breathe in, and stay.\n"
        "          exhale: Breathe out, and pause at the bottom.\n"
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and out[0] == f"OK {path}"
    found = [(line.split(": warning: ")[0], line.split(" could be heard")[1]) for line in out[1:]]
    assert found == [
        (f"{path}:10", ' as "hold your breath": \'hold\' has nothing but the breath to hold; '
         "say what to do with other words, like 'stay', 'rest' or 'hands behind your thigh'"),
        (f"{path}:16", ' as "hold your breath": \'hold\' comes after a word of breathing; '
         "say what to do with other words, like 'stay', 'rest' or 'hands behind your thigh'"),
        (f"{path}:17", ' as "hold your breath": \'hold\' is said while the person breathes to '
         "your cues; say what to do with other words, like 'stay', 'rest' or 'hands behind "
         "your thigh'"),
        (f"{path}:20", ' as "hold your breath": \'pause\' comes after a word of breathing; '
         "say what to do with other words, like 'stay', 'rest' or 'hands behind your thigh'"),
    ]  # fmt: skip
    assert f'{path}:10: warning: steps[0].caution: "Draw the knee in, and hold."' in out[1]
