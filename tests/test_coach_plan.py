"""``stretchcoach plan``: the real session on simulated time, printed cue by cue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_coach_support import ROUTINE, SPEECH, steps

from stretchcoach import resources
from stretchcoach.cli import main
from stretchcoach.coach.plan import clock_time
from stretchcoach.coach.ports import Pace
from stretchcoach.coach.timeline import (
    HOW_TO_PAUSE,
    STOPPED_CUE,
    Timing,
    format_duration,
    plan_routine,
    total_length,
)
from stretchcoach.settings import Settings, save
from stretchcoach.voice.cache import VoiceSetting
from stretchcoach.voice.times import cue_texts, synthesized_times

LINE = re.compile(r"^ *\d+:\d\d\.\d  \d/4 .+  (get-ready|intro|wait|(inhale|exhale|hold) \d/\d)")


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test routine as the only bundled routine, with its illustrations."""
    routines, assets = tmp_path / "routines", tmp_path / "assets"
    routines.mkdir()
    assets.mkdir()
    for name in ("blankets", "arch", "slide"):
        (assets / f"{name}.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    path = routines / "test-routine.yaml"
    path.write_text(json.dumps({**ROUTINE, "default": True}, indent=2))  # JSON is YAML
    monkeypatch.setattr(resources, "routines_dir", lambda: routines)
    monkeypatch.setattr(resources, "assets_dir", lambda: assets)
    return path


def expected_total(pace: Pace, timing: Timing) -> str:
    """The total the timeline gives with the real lengths of the synthesized cues."""
    speech = synthesized_times(cue_texts(steps(), timing), VoiceSetting())
    plans = plan_routine(steps(), pace, speech, timing)
    return format_duration(total_length(plans))


def test_plan_prints_every_phase_and_the_total(
    bundled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "test-routine", "--manual-wait", "15"]) == 0
    lines = capsys.readouterr().out.splitlines()
    phases = sum(len(p.phases) for p in plan_routine(steps(), Pace(), SPEECH, Timing()))
    assert len(lines) == phases + 2
    assert all(LINE.match(line) for line in lines[:-2]), lines
    assert lines[-2] == f"{'':>7}  if stopped early: {STOPPED_CUE}"
    assert "roll onto your side" in STOPPED_CUE and "with your arms" in STOPPED_CUE
    # the welcome (how to pause) and "Get ready." take longer than the 5 s get-ready
    assert lines[0] == f" 0:00.0  1/4 Blankets           get-ready   {HOW_TO_PAUSE} Get ready."
    assert lines[1].endswith("1/4 Blankets           intro       Fold the blankets and lie down.")
    assert lines[2].endswith("wait        (Next)")
    assert "2/4 Passive back arch  exhale 1/3  Let go" in lines[5]
    timing = Timing(manual_wait=15, welcome=HOW_TO_PAUSE)
    assert lines[-1] == f"total: {expected_total(Pace(), timing)}"
    assert re.fullmatch(r"total: \d+:\d\d", lines[-1])


def test_plan_follows_the_pace_options_and_the_settings(
    bundled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save(Settings(get_ready=0.0, auto_advance=9.0))
    assert main(["plan", str(bundled), "--inhale", "3", "--exhale", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "get-ready" not in lines[0]
    assert any(line.endswith("wait        (moves on by itself)") for line in lines)
    assert lines[0].endswith(f"intro       {HOW_TO_PAUSE} Fold the blankets and lie down.")
    timing = Timing(0.0, 9.0, welcome=HOW_TO_PAUSE)  # set-up steps: their own estimate
    assert lines[-1] == f"total: {expected_total(Pace(3, 5), timing)}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["test-routin"], "is no routine id and no file (did you mean 'test-routine'?"),
    ],
)
def test_plan_explains_what_is_wrong(
    bundled: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["plan", *args]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--inhale", "1", "argument --inhale: 1 is outside 1.5-15 seconds"),
        ("--exhale", "16", "argument --exhale: 16 is outside 1.5-15 seconds"),
        ("--exhale", "nan", "argument --exhale: nan is outside 1.5-15 seconds"),
        ("--inhale", "slow", "argument --inhale: 'slow' is not a number of seconds"),
        ("--manual-wait", "0", "argument --manual-wait: 0 is outside 1-600 seconds"),
    ],
)
def test_a_pace_outside_the_engines_bounds_is_a_usage_error(
    bundled: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["plan", "test-routine", option, value])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err


def test_plan_of_a_broken_file_names_the_file_and_line(
    bundled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(bundled.read_text().replace('"cycles": 3', '"cycles": 300'))
    assert main(["plan", str(broken)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert re.search(rf"{re.escape(str(broken))}:\d+: steps\[1\]\.breaths\.cycles", err), err


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.0, "0:00.0"), (59.96, "1:00.0"), (61.04, "1:01.0"), (2405.25, "40:05.2")],
)
def test_clock_time(seconds: float, text: str) -> None:
    assert clock_time(seconds) == text
