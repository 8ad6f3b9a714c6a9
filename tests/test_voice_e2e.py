"""End to end on a real audio device: a PulseAudio null sink, recorded with parec.

The app's voice runs in a child process (its own QApplication, its sound output process
talking to a private PulseAudio daemon), driven by a real session on the Qt scheduler, with
the default voice: the natural one.
The test records what reached the device and reads the sound back: the intro begins,
Pause cuts it mid-word, the device stays silent while paused, and Resume brings "Ready."
and then the intro again, whole, from its beginning. The chime is off here so that every
burst of sound is speech; ``test_desktop_e2e.py`` runs whole routines with it on.

Run as a script (``python tests/test_voice_e2e.py pause|broken-clip``) it is that child
process. A second child damages a cue's WAV on disk: the output reports it, the
session goes on, the cue is made again, and the notice goes once it plays.
"""

from __future__ import annotations

import array
import json
import os
import subprocess
import sys
import time
import wave
from pathlib import Path
from typing import Any

import pytest
from voice_helpers import Recorder, needs_pulseaudio, pcm_bursts, pulse_null_sink, routine_steps

RATE = 22050
ROOT = Path(__file__).resolve().parent.parent
PAUSE_AFTER_MS = 400
PAUSED_MS = 1500
KINDS = ("cue", "pause", "resume")


def scenario() -> None:
    """The child: speak the intro, pause it 0.4 s in, resume 1.5 s later, then quit."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from stretchcoach.coach.ports import Pace
    from stretchcoach.coach.session import Session
    from stretchcoach.coach.timeline import Timing
    from stretchcoach.settings import Settings, SettingsStore
    from stretchcoach.ui.audio import VoicePlayer
    from stretchcoach.ui.scheduler import QtScheduler
    from stretchcoach.voice.times import cue_texts

    app = QApplication([])
    log: list[tuple[str, float, str]] = []
    voice = VoicePlayer(SettingsStore(Settings(breath_cues="silent")))
    steps = routine_steps()
    scheduler = QtScheduler()
    session = Session(steps, scheduler, voice.times, Pace(4.0, 4.0), Timing(get_ready=0.0))

    def started(text: str, at: float) -> None:
        log.append(("cue", at, text))
        if len([e for e in log if e[0] == "cue"]) == 1:
            QTimer.singleShot(PAUSE_AFTER_MS, pause)
        elif text == steps[0].intro:  # said again after "Ready.": let it finish
            QTimer.singleShot(int(voice.times.duration(text) * 1000) + 500, app.quit)

    def pause() -> None:
        log.append(("pause", time.monotonic(), ""))
        session.pause()
        QTimer.singleShot(PAUSED_MS, resume)

    def resume() -> None:
        log.append(("resume", time.monotonic(), ""))
        session.resume()

    voice.cueStarted.connect(started)
    voice.prepared.connect(session.start, Qt.ConnectionType.SingleShotConnection)
    session.subscribe(voice.on_event)
    voice.prepare(cue_texts(steps, Timing(get_ready=0.0)))
    QTimer.singleShot(60_000, app.quit)  # a safety net: never hang the test
    app.exec()
    session.stop()
    voice.close()
    clip = voice.planner.clip(steps[0].intro)
    print(
        json.dumps(
            {"log": log, "intro_wav": str(clip.path) if clip else "", "notice": voice.notice}
        )
    )


def broken_clip_scenario() -> None:
    """The child: the intro's WAV is damaged on disk; the session must go on and say so."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from stretchcoach.coach.ports import Pace
    from stretchcoach.coach.session import Session
    from stretchcoach.coach.timeline import Timing
    from stretchcoach.settings import Settings, SettingsStore
    from stretchcoach.ui.audio import VoicePlayer
    from stretchcoach.ui.scheduler import QtScheduler
    from stretchcoach.voice.times import cue_texts

    app = QApplication([])
    voice = VoicePlayer(SettingsStore(Settings(breath_cues="silent")))
    steps = routine_steps()
    session = Session(steps, QtScheduler(), voice.times, Pace(1.5, 1.5), Timing(get_ready=0.0))
    notices: list[str] = []
    said: list[str] = []

    def start() -> None:
        clip = voice.planner.clip(steps[0].intro)
        assert clip is not None
        clip.path.write_bytes(b"RIFF, but not a WAV any more")
        session.start()

    def noticed(text: str) -> None:
        notices.append(text)
        if "could not play" in text:  # the damaged intro: start the step again
            session.repeat_step()

    def started(text: str, _at: float) -> None:
        said.append(text)
        if len(said) == 2:
            QTimer.singleShot(500, app.quit)

    voice.noticeChanged.connect(noticed)
    voice.cueStarted.connect(started)
    voice.prepared.connect(start, Qt.ConnectionType.SingleShotConnection)  # not when remade
    session.subscribe(voice.on_event)
    voice.prepare(cue_texts(steps, Timing(get_ready=0.0)))
    QTimer.singleShot(60_000, app.quit)  # a safety net: never hang the test
    app.exec()
    session.stop()
    voice.close()
    print(json.dumps({"notices": notices, "said": said, "now": voice.notice}))


def _child(scenario: str, env: dict[str, str]) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, __file__, scenario],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


@needs_pulseaudio
def test_a_clip_the_output_cannot_play_gives_a_notice_and_the_session_goes_on(
    tmp_path: Path,
) -> None:
    with pulse_null_sink(tmp_path) as env:
        env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
        result = _child("broken-clip", env)
    intro = routine_steps()[0].intro
    # the damaged intro is not said; the step repeated, it is remade and said, and on we go
    assert result["said"] == [intro, "Breathe in."], result["said"]
    assert "could not play the voice" in result["notices"][0]
    assert result["notices"][1:] == [""] and result["now"] == ""  # once: remade, it plays


@needs_pulseaudio
@pytest.mark.slow
def test_the_voice_goes_silent_on_pause_and_comes_back_on_resume(tmp_path: Path) -> None:
    with pulse_null_sink(tmp_path) as env:
        env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
        recorder = Recorder(env)
        try:
            assert recorder.live.wait(timeout=30), "parec recorded nothing"
            result = _child("pause", env)
        finally:
            recorder.stop()
    assert result["notice"] == ""  # the natural voice spoke: no other stood in
    log = result["log"]
    said = [text for kind, _, text in log if kind == "cue"]
    assert said[:3] == [said[0], "Ready.", said[0]], said
    first, paused, resumed = (next(t for kind, t, _ in log if kind == k) for k in KINDS)

    with wave.open(result["intro_wav"]) as w:
        intro = pcm_bursts(array.array("h", w.readframes(w.getnframes())), RATE)
    bursts = pcm_bursts(recorder.samples(), RATE)
    assert len(bursts) >= 3, bursts
    (cut_start, cut_end), (ready_start, _), (again_start, again_end) = bursts[:3]
    # the intro sounded until Pause, and not 100 ms longer: cut mid-word
    assert 0.2 < cut_end - cut_start <= paused - first + 0.1
    assert cut_end - cut_start < intro[-1][1] - intro[0][0] - 0.3
    # silence for as long as the pause lasted
    assert ready_start - cut_end == pytest.approx(resumed - paused, abs=0.15)
    # after "Ready.", the intro again, whole, from its beginning
    assert again_end - again_start >= intro[0][1] - intro[0][0] - 0.1


if __name__ == "__main__":
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.symbolsresolver=false")
    {"pause": scenario, "broken-clip": broken_clip_scenario}[sys.argv[1]]()
