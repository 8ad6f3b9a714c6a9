"""The voice in the window, driven by a real session on a simulated clock.

Real synthesis and the real Qt signal hops; the sound card is a recording fake that keeps
the simulated time of every play and stop, so "silent within 100 ms of Pause" and "no cue
cut or talked over" are checked exactly, without waiting on a wall clock.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_output import FakeOutput
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot
from voice_helpers import READY, fake_worker, routine_steps

from stretchcoach.coach.ports import Event, Pace, PhaseKind, PhaseStarted
from stretchcoach.coach.session import Session
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.coach.timeline import READY_CUE, STOPPED_CUE, Timing
from stretchcoach.settings import Settings, SettingsStore
from stretchcoach.ui.audio import BAD_CLIP, VoicePlayer
from stretchcoach.ui.output import NO_OUTPUT
from stretchcoach.voice.cache import SpeechCache, wav_seconds
from stretchcoach.voice.chime import chime_path
from stretchcoach.voice.synth import Synthesizer
from stretchcoach.voice.times import cue_texts

WAIT_MS = 60_000
PACE = Pace(inhale=1.5, exhale=2.0)
TIMING = Timing(get_ready=2.0, auto_advance=5.0)


class Rig:
    def __init__(self, qtbot: QtBot, settings: Settings, synth: Synthesizer | None = None):
        self.qtbot = qtbot
        self.clock = SimScheduler()
        self.output = FakeOutput(self.clock.now)
        self.voice_card = self.output.voice
        self.chime_card = self.output.chime
        self.store = SettingsStore(settings)
        self.player = VoicePlayer(self.store, synthesizer=synth, output=self.output)
        self.events: list[Event] = []
        self.steps = routine_steps()

    def prepare(self) -> None:
        with self.qtbot.waitSignal(self.player.prepared, timeout=WAIT_MS):
            self.player.prepare(cue_texts(self.steps, TIMING))

    def session(self) -> Session:
        session = Session(self.steps, self.clock, self.player.times, PACE, TIMING, strict=True)
        session.subscribe(self.events.append)
        session.subscribe(self.player.on_event)
        return session

    def text_of(self, path: Path) -> str:
        return next(
            t
            for t in cue_texts(self.steps, TIMING)
            if (c := self.player.planner.clip(t)) and c.path == path
        )

    def cues(self) -> list[tuple[float, str]]:
        return [(e.start, e.cue) for e in self.events if isinstance(e, PhaseStarted) and e.cue]


@pytest.fixture
def rig(qtbot: QtBot) -> Iterator[Rig]:
    rig = Rig(qtbot, Settings())
    yield rig
    rig.player.close()


def test_every_cue_plays_at_its_phase_start_whole_and_alone(rig: Rig) -> None:
    rig.prepare()
    session = rig.session()
    session.start()
    rig.clock.run_until_idle()
    plays = rig.voice_card.plays()
    assert [(t, rig.text_of(p)) for t, p in plays] == rig.cues()
    for (t, path), (next_t, _) in itertools.pairwise(plays):
        assert t + wav_seconds(path) <= next_t  # said in full before the next begins


def test_pause_silences_at_once_and_resume_says_ready_then_the_cue_from_its_start(
    rig: Rig,
) -> None:
    rig.prepare()
    session = rig.session()
    session.start()
    rig.clock.advance(2.5)  # half a second into the intro
    intro = rig.voice_card.sounding(2.5)
    assert intro is not None and rig.text_of(intro) == "Lie on your back."
    session.pause()
    assert rig.voice_card.log[-1] == (2.5, "stop", None)  # silent at the same instant
    assert rig.voice_card.sounding(2.5) is None
    rig.clock.advance(30.0)
    assert rig.voice_card.plays()[-1][0] < 2.5  # nothing said while paused
    session.resume()
    ready_at, ready = rig.voice_card.plays()[-1]
    assert (ready_at, rig.text_of(ready)) == (32.5, READY_CUE)
    rig.clock.advance(rig.player.times.duration(READY_CUE) + 1.0)
    again_at, again = rig.voice_card.plays()[-1]
    assert again == intro and again_at > ready_at + wav_seconds(ready)


def test_a_session_stopped_while_paused_leaves_the_next_one_its_voice(rig: Rig) -> None:
    """The stop question pauses the session before stopping it: the next session (Again)
    was silent, every cue of it, until something was paused and resumed."""
    rig.prepare()
    stopped = rig.session()
    stopped.start()
    rig.clock.advance(2.5)
    stopped.pause()
    first = rig.voice_card.plays()
    stopped.stop()
    ended = rig.voice_card.plays()[len(first) :]
    assert [rig.text_of(p) for _t, p in ended] == [STOPPED_CUE]  # how to get up, from a pause
    rig.session().start()
    rig.clock.advance(2.5)
    again = rig.voice_card.plays()[len(first) + 1 :]
    assert [p for _t, p in again] == [p for _t, p in first]  # the same words, said again


def test_repeat_cue_says_it_again_cutting_nothing_else(rig: Rig) -> None:
    rig.prepare()
    session = rig.session()
    session.start()
    rig.clock.advance(0.1)
    session.repeat_cue()
    (_, first), (t2, second) = rig.voice_card.plays()
    assert first == second and rig.text_of(first) == "Get ready." and t2 == 0.1
    assert rig.voice_card.sounding(0.15) == second  # the cue again replaced the first
    assert (0.1, "stop", None) not in rig.chime_card.log  # and nothing else was cut


def test_the_chime_marks_breath_turns_and_speaks_alone_when_the_voice_is_muted(
    qtbot: QtBot,
) -> None:
    rig = Rig(qtbot, Settings(mute=True, breath_cues="chime"))
    try:
        session = rig.session()
        session.start()
        rig.clock.run_until_idle()
    finally:
        rig.player.close()
    assert rig.voice_card.plays() == []
    breath_turns = [
        e.start
        for e in rig.events
        if isinstance(e, PhaseStarted) and e.kind in (PhaseKind.INHALE, PhaseKind.EXHALE)
    ]
    assert [t for t, _ in rig.chime_card.plays()] == breath_turns
    assert {p for _, p in rig.chime_card.plays()} == {chime_path()}
    assert chime_path().is_file()


def test_no_chime_when_it_is_off_and_settings_apply_from_the_next_cue(rig: Rig) -> None:
    rig.store.change(Settings(breath_cues="silent"))
    rig.prepare()
    session = rig.session()
    session.start()
    rig.clock.advance(3.0)
    rig.store.change(Settings(breath_cues="silent", mute=True))
    rig.clock.run_until_idle()
    assert rig.chime_card.plays() == []
    assert [rig.text_of(p) for _, p in rig.voice_card.plays()] == [
        "Get ready.",
        "Lie on your back.",
    ]


def test_a_cue_not_yet_synthesized_plays_when_ready_unless_its_phase_has_passed(
    rig: Rig,
) -> None:
    session = rig.session()  # nothing prepared: every cue is synthesized on demand
    session.start()  # "Get ready." is asked for
    rig.clock.advance(TIMING.get_ready)  # and its phase passes before the worker answers
    assert rig.cues()[-1] == (TIMING.get_ready, "Lie on your back.")
    planner = rig.player.planner
    rig.qtbot.waitUntil(
        lambda: planner.clip("Get ready.") is not None and len(rig.voice_card.plays()) == 1,
        timeout=WAIT_MS,
    )
    QCoreApplication.processEvents()  # deliver any queued "ready" still on its way
    assert [rig.text_of(p) for _, p in rig.voice_card.plays()] == ["Lie on your back."]


def test_with_no_engine_the_session_goes_on_and_the_notice_says_why(
    qtbot: QtBot, tmp_path: Path
) -> None:
    command = fake_worker(
        tmp_path,
        "reply({'ready': False, 'error': 'no-engine', "
        "'message': 'No speech engine. Install it: sudo apt-get install libespeak-ng1'})\n",
    )
    rig = Rig(qtbot, Settings(), Synthesizer(SpeechCache(tmp_path / "s"), command))
    try:
        with qtbot.waitSignal(rig.player.noticeChanged, timeout=WAIT_MS) as notice:
            session = rig.session()
            session.start()
        rig.clock.run_until_idle()
        assert "apt-get install libespeak-ng1" in notice.args[0]
        assert "apt-get install libespeak-ng1" in rig.player.notice
        assert rig.events[-1].completed  # type: ignore[union-attr]
        assert rig.voice_card.plays() == []
    finally:
        rig.player.close()


def test_a_hung_engine_is_given_up_on_with_a_notice_and_the_next_cue_tries_again(
    qtbot: QtBot, tmp_path: Path
) -> None:
    command = fake_worker(tmp_path, READY + "for r in requests:\n    time.sleep(3600)\n")
    synth = Synthesizer(SpeechCache(tmp_path / "s"), command, reply_timeout=0.2)
    rig = Rig(qtbot, Settings(), synth)
    try:
        with qtbot.waitSignal(rig.player.noticeChanged, timeout=WAIT_MS) as notice:
            rig.session().start()
        assert "stopped answering" in notice.args[0]
        assert "next cue will try again" in rig.player.notice
    finally:
        rig.player.close()  # kills the hung worker at once


def test_the_sound_outputs_notice_is_the_voices_notice_until_sound_works(rig: Rig) -> None:
    with rig.qtbot.waitSignal(rig.player.noticeChanged) as changed:
        rig.output.noticeChanged.emit(NO_OUTPUT)
    assert changed.args == [NO_OUTPUT] and rig.player.notice == NO_OUTPUT
    rig.output.noticeChanged.emit("")
    assert rig.player.notice == ""


def test_a_clip_the_output_cannot_play_is_made_again_and_the_notice_says_so(rig: Rig) -> None:
    rig.prepare()
    session = rig.session()
    session.start()
    first = rig.player.planner.clip("Get ready.")
    assert first is not None
    rig.output.badClip.emit(1, "it cannot be read as a WAV file")  # the tag of "Get ready."
    assert rig.player.notice.startswith(BAD_CLIP)
    assert rig.player.planner.clip("Get ready.") is None  # forgotten: made again when needed
    rig.clock.advance(TIMING.get_ready)  # the intro plays, so the output works again
    rig.qtbot.waitUntil(lambda: rig.player.notice == "")


def test_the_chime_follows_the_volume_and_resume_wakes_the_output(qtbot: QtBot) -> None:
    rig = Rig(qtbot, Settings(mute=True, volume=0.4))
    try:
        session = rig.session()
        session.start()
        rig.clock.advance(TIMING.get_ready + 10)
        session.pause()
        assert rig.output.woken == 0
        session.resume()
        assert rig.output.woken == 1  # a lost output is tried again at once
    finally:
        rig.player.close()
    assert rig.output.gains and set(rig.output.gains) == {0.4}
    assert rig.output.closed


def test_a_new_voice_rate_makes_the_prepared_cues_again(rig: Rig) -> None:
    texts = cue_texts(rig.steps, TIMING)

    def spoken() -> float:
        """The seconds of all the routine's cues, each prepared (the natural voice's
        length varies from one making to the next: their sum holds steady)."""
        clips = [rig.player.planner.clip(text) for text in texts]
        assert all(clips)
        return sum(clip.seconds for clip in clips if clip)

    rig.prepare()
    before = spoken()
    with rig.qtbot.waitSignal(rig.player.prepared, timeout=WAIT_MS):
        rig.store.change(Settings(rate=220))
    assert spoken() < before * 0.85  # said faster: 220 words a minute, not 150


def test_a_phase_without_a_cue_lets_the_cue_before_finish(rig: Rig) -> None:
    rig.prepare()
    say = rig.player.on_event
    say(PhaseStarted(0, PhaseKind.INTRO, 0, 2, "Lie on your back.", None, 0.0, 1.0))
    intro = rig.voice_card.plays()[-1][1]
    rig.clock.advance(0.5)
    say(PhaseStarted(0, PhaseKind.INHALE, 1, 2, None, "end", 0.5, 2.0))
    assert rig.voice_card.log[-1] == (0.0, "play", intro)  # no stop since: not cut
    assert rig.voice_card.sounding(0.5) == intro
    assert rig.chime_card.plays() == [(0.5, chime_path())]  # the breath turn is still marked
    rig.clock.advance(0.2)
    say(PhaseStarted(0, PhaseKind.EXHALE, 1, 2, "And out.", "start", 0.7, 2.0))
    assert rig.voice_card.log[-1][:2] == (0.7, "play")  # a new cue does replace it
    assert rig.text_of(rig.voice_card.plays()[-1][1]) == "And out."
