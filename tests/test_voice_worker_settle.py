"""The worker's setting survives an eSpeak that is still busy when a cue starts.

QA found whole caches of cues spoken at pyttsx3's default 200 words a minute instead of
the setting's 150 (about 1.38 times too short) when several windows synthesized at once.
The cause: pyttsx3's espeak driver ends every run by cancelling whatever eSpeak's command
queue still holds, and on a loaded machine that was the rate and volume just set. Here
eSpeak is made busy on purpose (a long text queued straight to it) before the worker's
first cue, which is that loaded machine without the luck: no run may cancel eSpeak's work,
and the cues must come out as long as the ``espeak-ng`` command line says (same library,
same data, same rate).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from voice_helpers import needs_sox, sox_stat

from stretchcoach.voice.engines.system import ESPEAK_ENV

CUES = ("Lie on your back with your knees bent.", "Slowly bring your right knee to your chest.")
RATE = 150

BUSY_WORKER = f"""
import sys
from stretchcoach.voice.engines.system import SystemEngine
worker = SystemEngine(None, {RATE})
from pyttsx3.drivers import _espeak
cancels = []
cancel = _espeak.Cancel
_espeak.Cancel = lambda: cancels.append(1) or cancel()  # counted, still carried out
long_text = "Keep breathing slowly while the stretch settles in. " * 300
_espeak.Synth(long_text.encode(), flags=_espeak.ENDPAUSE | _espeak.CHARS_UTF8)  # nobody listens
assert _espeak.IsPlaying(), "eSpeak finished the long text at once: the test proves nothing"
for i, cue in enumerate({CUES!r}):
    worker.synth(cue, sys.argv[1] + f"/cue{{i}}.wav")
print(len(cancels))
"""


def sample_rate(path: Path) -> int:
    with wave.open(str(path), "rb") as w:
        return w.getframerate()


@needs_sox
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_busy_espeak_is_never_cancelled_and_keeps_the_rate(tmp_path: Path) -> None:
    env = dict(os.environ, **{ESPEAK_ENV: "system"})  # the library the command line uses
    worker = subprocess.run(
        [sys.executable, "-c", BUSY_WORKER, str(tmp_path)],
        env=env,
        check=False,  # its output says what went wrong
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert worker.returncode == 0, worker.stderr
    # pyttsx3 cancels whatever eSpeak is busy with when a run ends; before the fix that
    # was the queued setting (the rate lost) and, once more, the next cue (cut short).
    assert worker.stdout.splitlines()[-1] == "0", "a run cancelled eSpeak's work"
    for i, cue in enumerate(CUES):
        reference = tmp_path / f"cli{i}.wav"
        subprocess.run(
            ["espeak-ng", "-s", str(RATE), "-w", str(reference), cue], check=True, timeout=60
        )
        clip = tmp_path / f"cue{i}.wav"
        # Within 5 %: what eSpeak keeps from the long text moves a cue by up to ~3 %;
        # the lost rate (200 wpm) makes it ~27 % shorter, eSpeak's own default (175) ~15 %.
        assert sample_rate(clip) == sample_rate(reference) == 22050
        assert sox_stat(clip)["Length (seconds)"] == pytest.approx(
            sox_stat(reference)["Length (seconds)"], rel=0.05
        ), cue
