"""The voice in the window: plays each cue's WAV as the coach reaches its phase.

Synthesis happens ahead, in ``stretchcoach.voice.planner``'s thread and worker process;
this side only plays finished WAV files, with ``QSoundEffect``, which loads a short WAV in
a few milliseconds and stops at once (``QMediaPlayer`` streams through a decoder and lags
both ways). So a cue starts within milliseconds of its phase boundary, Pause silences it
within one event-loop turn, and nothing here blocks the GUI thread: results from the
planner's thread arrive as queued signals.

Rules it keeps: one cue sounds at a time (a new cue, Pause, a step change or the end stops
the one before); a cue whose WAV is not ready yet is asked for first and played as soon
as it arrives, unless its phase has passed; the chime marks breath turns when the setting
is on, even when the voice is muted. When it cannot speak (no engine, a crashed or hung
engine, no sound output) the session goes on, captions carry the words, and ``notice``
says what is wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

from stretchcoach.coach.ports import (
    CueRepeated,
    Event,
    Finished,
    Paused,
    PhaseStarted,
    Resumed,
    SpeechTimes,
    StepStarted,
)
from stretchcoach.settings import Settings
from stretchcoach.voice.cache import Clip
from stretchcoach.voice.chime import CHIME_PHASES, chime_path
from stretchcoach.voice.planner import VoicePlanner
from stretchcoach.voice.synth import Synthesizer
from stretchcoach.voice.times import voice_setting

NO_OUTPUT = (
    "No sound output was found, so cues are shown but not spoken. Connect speakers or "
    "headphones, or check the system's sound settings (on Linux: is PulseAudio or "
    "PipeWire running?)."
)


class Player(Protocol):
    """Where sound goes: Qt's audio in the app, a recording fake in tests."""

    def play(self, path: Path) -> None: ...

    def stop(self) -> None: ...


class SoundPlayer(QObject):
    """One ``QSoundEffect``: plays a WAV from its start, stops at once.

    ``started`` fires when sound really begins. ``problem`` carries a message when the
    output cannot play, and "" when it plays again. With no output device at all it does
    not try (Qt would only log an error per cue); the ``VoicePlayer`` says so instead.
    """

    started = Signal()
    problem = Signal(str)

    def __init__(self, volume: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effect = QSoundEffect(self)
        self._effect.setVolume(volume)
        self._effect.playingChanged.connect(self._playing_changed)
        self._effect.statusChanged.connect(self._status_changed)
        self.follow_default_output()

    def play(self, path: Path) -> None:
        self._effect.stop()
        if self._has_output:
            self._effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effect.play()

    def stop(self) -> None:
        self._effect.stop()

    def set_volume(self, volume: float) -> None:
        self._effect.setVolume(volume)

    def follow_default_output(self) -> None:
        """Play to the system's default output (it changes when headphones come and go)."""
        device = QMediaDevices.defaultAudioOutput()
        self._has_output = not device.isNull()
        if self._has_output:
            self._effect.setAudioDevice(device)

    def _playing_changed(self) -> None:
        if self._effect.isPlaying():
            self.started.emit()
            self.problem.emit("")

    def _status_changed(self) -> None:
        if self._effect.status() == QSoundEffect.Status.Error:
            self.problem.emit(
                "The sound output could not play the voice, so cues are shown but not "
                "spoken. Check the system's sound settings and the output device."
            )


class VoicePlayer(QObject):
    """Speaks the coach's events. Call ``on_event`` on the GUI thread (a ports.Listener).

    Signals: ``noticeChanged(str)``, a message for the person ("" when all is well);
    ``prepared()``, the cues given to ``prepare`` are synthesized (a session built after
    it plans with their real lengths); ``voicesListed(list[VoiceInfo])``, the answer to
    ``list_voices()``; ``cueStarted(str)``, a cue handed to the output (for the benchmark,
    or captions in step with the voice).
    """

    noticeChanged = Signal(str)
    prepared = Signal()
    voicesListed = Signal(list)
    cueStarted = Signal(str)
    _ready = Signal(str, object)
    _synthesis_notice = Signal(object)

    def __init__(
        self,
        settings: Settings,
        *,
        synthesizer: Synthesizer | None = None,
        voice: Player | None = None,
        chime: Player | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._prepared: list[str] = []
        self._waiting_for: str | None = None  # the cue to play as soon as its WAV is ready
        self._playing: str | None = None  # the cue last handed to the output
        self._paused = False
        self._notices: dict[str, str | None] = {"synthesis": None, "output": None}
        self._ready.connect(self._clip_ready, Qt.ConnectionType.QueuedConnection)
        self._synthesis_notice.connect(
            self._set_synthesis_notice, Qt.ConnectionType.QueuedConnection
        )
        self.planner = VoicePlanner(
            settings,
            synthesizer,
            on_ready=self._ready.emit,
            on_notice=self._synthesis_notice.emit,
            on_voices=self.voicesListed.emit,
            on_idle=self.prepared.emit,
        )
        self._devices = QMediaDevices(self)
        self._voice = voice or self._sound_player(1.0, self._voice_problem)
        self._chime = chime or self._sound_player(settings.volume, self._output_problem)
        self._devices.audioOutputsChanged.connect(self._outputs_changed)
        self._outputs_changed()

    def _sound_player(self, volume: float, on_problem: Callable[[str], None]) -> SoundPlayer:
        player = SoundPlayer(volume, self)
        player.problem.connect(on_problem)
        return player

    # --- what the window uses ---------------------------------------------------------

    @property
    def times(self) -> SpeechTimes:
        """How long cues take to say, for the engine (real WAV lengths once synthesized)."""
        return self.planner

    @property
    def notice(self) -> str:
        """Why the voice is not speaking, and how to fix it; "" when it speaks."""
        return self._notices["synthesis"] or self._notices["output"] or ""

    def prepare(self, texts: list[str]) -> None:
        """Synthesize these cues ahead, in order (e.g. a routine's cues when it is chosen)."""
        self._prepared = list(texts)
        self.planner.prefetch(texts)

    def apply(self, settings: Settings) -> None:
        """New voice, rate, volume, mute or chime settings: they apply from the next cue.

        A new voice, rate or volume needs new WAVs: the prepared cues are made again.
        """
        old, self._settings = self._settings, settings
        self.planner.configure(settings)
        if voice_setting(old) != voice_setting(settings):
            self.planner.prefetch(self._prepared)
        if isinstance(self._chime, SoundPlayer):
            self._chime.set_volume(settings.volume)

    def list_voices(self) -> None:
        """Ask the engine for its voices; ``voicesListed`` answers."""
        self.planner.list_voices()

    def close(self) -> None:
        """Stop all sound and the synthesis thread and process."""
        self._silence()
        self.planner.close()

    # --- the coach's events -----------------------------------------------------------

    def on_event(self, event: Event) -> None:
        if isinstance(event, PhaseStarted):
            # A cue still being synthesized belongs to a phase that is over. One still
            # sounding is let finish unless this phase has its own: the timeline made room
            # for it, and cutting a word short is worse than a chime over its tail.
            self._waiting_for = None
            if self._settings.chime and event.kind in CHIME_PHASES:
                self._chime.stop()
                self._chime.play(chime_path())
            if event.cue:
                self._say(event.cue)
        elif isinstance(event, CueRepeated):
            self._say(event.text)
        elif isinstance(event, Paused):
            self._paused = True
            self._silence()
        elif isinstance(event, Resumed):
            self._paused = False  # the engine restarts the phase: its PhaseStarted speaks
        elif isinstance(event, Finished | StepStarted):
            self._silence()

    def _silence(self) -> None:
        self._waiting_for = None
        self._voice.stop()
        self._chime.stop()

    def _say(self, text: str) -> None:
        """Stop the cue before, then play ``text`` now or as soon as it is synthesized."""
        self._waiting_for = None
        self._voice.stop()
        if self._settings.mute or self._paused:
            return
        clip = self.planner.clip(text)
        if clip is None:
            self._waiting_for = text
            self.planner.want(text)
        else:
            self._play(text, clip)

    def _play(self, text: str, clip: Clip) -> None:
        self._waiting_for = None
        self._playing = text
        self._voice.play(clip.path)
        self.cueStarted.emit(text)

    def _clip_ready(self, text: str, clip: Clip) -> None:
        if text == self._waiting_for and not self._paused and not self._settings.mute:
            self._play(text, clip)

    # --- notices ----------------------------------------------------------------------

    def _set_notice(self, source: str, message: str | None) -> None:
        before = self.notice
        self._notices[source] = message
        if self.notice != before:
            self.noticeChanged.emit(self.notice)

    def _set_synthesis_notice(self, message: str | None) -> None:
        self._set_notice("synthesis", message)

    def _output_problem(self, message: str) -> None:
        self._set_notice("output", message or None)

    def _voice_problem(self, message: str) -> None:
        if message and self._playing is not None:  # perhaps a damaged file: make it again
            self.planner.forget(self._playing)
        self._output_problem(message)

    def _outputs_changed(self) -> None:
        for player in (self._voice, self._chime):
            if isinstance(player, SoundPlayer):
                player.follow_default_output()
        self._set_notice("output", None if QMediaDevices.audioOutputs() else NO_OUTPUT)
