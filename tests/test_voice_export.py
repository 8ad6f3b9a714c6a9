"""``stretchcoach export-audio``: a real routine rendered with the default voice (the natural
one; real synthesis), measured with sox."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from voice_helpers import fake_worker, needs_sox, sox_stat, soxi

from stretchcoach.coach.plan import simulate
from stretchcoach.coach.ports import Pace, PhaseKind
from stretchcoach.coach.timeline import Timing
from stretchcoach.commands.export import export_audio
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.settings import Settings
from stretchcoach.voice.cache import SpeechCache, VoiceSetting
from stretchcoach.voice.synth import Synthesizer
from stretchcoach.voice.times import cue_texts, synthesized_times

ROUTINE = "hip-stretch"
ROOT = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _export(out: Path, **options: float) -> tuple[int, str]:
    err = Terminal()
    code = export_audio(
        ROUTINE,
        out,
        options.get("inhale"),
        options.get("exhale"),
        options.get("manual_wait", 20.0),
        err=err,
    )
    return code, err.getvalue()


@needs_sox
def test_the_export_lasts_what_the_plan_says_with_the_voice_at_each_cue(tmp_path: Path) -> None:
    out = tmp_path / "hip.wav"
    code, err = _export(out, inhale=3.0, exhale=5.0, manual_wait=12.0)
    assert code == 0, err
    assert soxi(out, "-r") == "22050" and soxi(out, "-c") == "1" and soxi(out, "-b") == "16"

    steps = load_catalog().find(ROUTINE).steps
    timing = Timing(Settings().get_ready, None, 12.0)
    times = synthesized_times(cue_texts(steps, timing), VoiceSetting())
    phases, total = simulate(steps, Pace(3.0, 5.0), timing, times)
    length = float(soxi(out, "-D"))
    assert length == pytest.approx(total, rel=0.01)
    assert abs(length - total) < 1 / 22050 + 1e-6  # in fact to the sample

    def rms(start: float, seconds: float) -> float:
        trimmed = tmp_path / "part.wav"
        subprocess.run(
            ["sox", str(out), str(trimmed), "trim", f"{start}", f"{seconds}"],
            check=True,
            timeout=60,
        )
        return sox_stat(trimmed)["RMS     amplitude"]

    assert sox_stat(out)["RMS     amplitude"] > 0.01
    for phase in phases:
        if phase.cue:  # the cue is heard right at its phase's start
            assert rms(phase.start, 0.4) > 0.02, phase
    waits = [p for p in phases if p.kind is PhaseKind.WAIT]
    for wait in waits:  # and a manual step's wait is silence
        assert rms(wait.start + 0.5, 5.0) == 0.0, wait
    assert "Rendering    [" in err and "100%" in err and f"Wrote {out}" in err


def test_an_unknown_routine_or_a_bad_place_is_a_clear_error(tmp_path: Path) -> None:
    err = Terminal()
    assert export_audio("no-such-routine", tmp_path / "x.wav", None, None, 20.0, err=err) == 1
    assert "cannot export 'no-such-routine'" in err.getvalue()
    code, message = _export(tmp_path / "missing-folder" / "x.wav")
    assert code == 1 and "does not exist" in message
    code, message = _export(tmp_path)
    assert code == 1 and "is a folder" in message
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind


def test_a_failed_export_leaves_the_previous_file_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "hip.wav"
    out.write_bytes(b"the previous export")
    command = fake_worker(
        tmp_path,
        "reply({'ready': False, 'error': 'no-engine', "
        "'message': 'Install it: sudo apt-get install libespeak-ng1'})\n",
    )
    err = Terminal()
    synth = Synthesizer(SpeechCache(tmp_path / "speech"), command)
    code = export_audio(ROUTINE, out, None, None, 20.0, err=err, synthesizer=synth)
    synth.close()
    assert code == 1 and "apt-get install libespeak-ng1" in err.getvalue()
    assert out.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake_worker.py", "hip.wav"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )


@pytest.mark.usefixtures("warm_speech")
def test_the_command_line_export_matches_the_printed_plan(tmp_path: Path) -> None:
    out = tmp_path / "lbr.wav"
    exported = _cli("export-audio", "lower-back-relief", str(out), "--inhale", "3")
    assert exported.returncode == 0, exported.stderr
    assert "Traceback" not in exported.stderr
    plan = _cli("plan", "lower-back-relief", "--inhale", "3")
    minutes, seconds = re.search(r"total: (\d+):(\d\d)", plan.stdout).groups()  # type: ignore[union-attr]
    planned = 60 * int(minutes) + int(seconds)
    assert float(soxi(out, "-D")) == pytest.approx(planned, rel=0.01, abs=0.5)
