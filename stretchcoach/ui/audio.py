"""The voice in the window: plays each cue's WAV as the coach reaches its phase.

Synthesis happens ahead, in ``stretchcoach.voice.planner``'s thread and worker process;
this side only hands finished WAV files to the app's one sound output
(``stretchcoach.ui.output``, a process of its own that mixes the cue and the chime into a
single stream), so nothing here blocks the GUI thread: results from the planner's thread
arrive as queued signals, and the output's events as signals from its process.

Rules it keeps: one cue sounds at a time (a new cue, Pause, a step change or the end stops
the one before); a cue whose WAV is not ready yet is asked for first and played as soon
as it arrives, unless its phase has passed; the chime marks breath turns when the setting
is on, even when the voice is muted, and never cuts a word (it has a channel of its own).
When it cannot speak (no engine, a crashed or hung engine, no sound output) the session
goes on, captions carry the words, and ``notice`` says what is wrong and how to fix it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance

from stretchcoach.coach.ports import (
    CueRepeated,
    Event,
    Finished,
    Pace,
    PaceChanged,
    Paused,
    PhaseStarted,
    Resumed,
    SpeechTimes,
    StepStarted,
)
from stretchcoach.coach.session import stepped_pace
from stretchcoach.coach.timeline import pace_cue
from stretchcoach.settings import Settings, SettingsStore
from stretchcoach.voice.cache import Clip
from stretchcoach.voice.chime import CHIME_PHASES, chime_path
from stretchcoach.voice.mixer import Channel
from stretchcoach.voice.planner import VoicePlanner
from stretchcoach.voice.synth import Synthesizer

BAD_CLIP = (
    "The sound output could not play the voice, so cues are shown but not spoken. "
    "The cue is being made again."
)


class Output(Protocol):
    """Where sound goes: ``ui.output.SoundOutput`` in the app, a recording fake in tests."""

    started: SignalInstance  # (tag, channel, at): a sound's first samples went out
    badClip: SignalInstance  # (tag, message)
    noticeChanged: SignalInstance  # (text): "" when sound works

    @property
    def notice(self) -> str: ...

    def play(self, channel: Channel, path: Path, gain: float = 1.0) -> int | None: ...

    def stop(self, channel: Channel | None = None) -> None: ...

    def wake(self) -> None: ...

    def close(self) -> None: ...


class VoicePlayer(QObject):
    """Speaks the coach's events. Call ``on_event`` on the GUI thread (a ports.Listener).

    Signals: ``noticeChanged(str)``, a message for the person ("" when all is well);
    ``prepared()``, the cues given to ``prepare`` are synthesized (a session built after
    it plans with their real lengths); ``voicesListed(VoiceList)``, the answer to
    ``list_voices()``; ``previewed(str)``, the answer to ``preview()``: "" when the sample
    is playing, or why it cannot; ``cueStarted(text, at)``, a cue's first samples went to
    the sound output at ``at`` on the monotonic clock (for the benchmark and the end-to-end
    tests). ``output`` is the sound output it plays through.
    """

    noticeChanged = Signal(str)
    prepared = Signal()
    voicesListed = Signal(object)
    previewed = Signal(str)
    cueStarted = Signal(str, float)
    # The planner calls back on its own thread: these hand its news to the GUI thread.
    _ready = Signal(str, object)
    _synthesis_notice = Signal(object)
    _voices = Signal(object)
    _idle = Signal()
    _preview = Signal(object, str)

    def __init__(
        self,
        store: SettingsStore,
        *,
        synthesizer: Synthesizer | None = None,
        output: Output | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        settings = store.current
        self._prepared: list[str] = []
        self._waiting_for: str | None = None  # the cue to play as soon as its WAV is ready
        self._sounding: dict[int, str] = {}  # the cue handed to the output, by its tag
        self._paused = False
        # in the order they are shown: no sound at all first, then a clip, then synthesis
        self._notices: dict[str, str | None] = {"output": None, "clip": None, "synthesis": None}
        queued = Qt.ConnectionType.QueuedConnection
        self._ready.connect(self._clip_ready, queued)
        self._synthesis_notice.connect(self._set_synthesis_notice, queued)
        self._voices.connect(self.voicesListed, queued)
        self._idle.connect(self.prepared, queued)
        self._preview.connect(self._play_preview, queued)
        self.planner = VoicePlanner(
            settings.voice_setting,
            synthesizer,
            muted=settings.mute,
            on_ready=self._ready.emit,
            on_notice=self._synthesis_notice.emit,
            on_voices=self._voices.emit,
            on_idle=self._idle.emit,
            on_preview=self._preview.emit,
        )
        if output is None:
            from stretchcoach.ui.output import SoundOutput

            output = SoundOutput(self)
        self.output = output
        output.started.connect(self._started)
        output.badClip.connect(self._bad_clip)
        output.noticeChanged.connect(lambda text: self._set_notice("output", text or None))
        self._notices["output"] = output.notice or None
        store.subscribe(self._apply)

    # --- what the window uses ---------------------------------------------------------

    @property
    def times(self) -> SpeechTimes:
        """How long cues take to say, for the engine (real WAV lengths once synthesized)."""
        return self.planner

    @property
    def notice(self) -> str:
        """Why the voice is not speaking, and how to fix it; "" when it speaks."""
        return next((text for text in self._notices.values() if text), "")

    def prepare(self, texts: list[str]) -> None:
        """Synthesize these cues ahead, in order (e.g. a routine's cues when it is chosen),
        then what + and − would make the voice say next."""
        self._prepared = list(texts)
        self._prefetch(self._store.current.pace)

    def _prefetch(self, pace: Pace) -> None:
        """The prepared cues, then the words of the paces one + or − away from ``pace``
        (a pace the T key measures is made when it comes: it cannot be known ahead)."""
        near = [pace_cue(stepped_pace(pace, direction)) for direction in (+1, -1)]
        self.planner.prefetch(dict.fromkeys([*self._prepared, *near]))

    def say(self, text: str) -> None:
        """Say ``text`` now, beside the session's own cues (the offer before a session,
        "Noted.", the end's questions); quiet when muted or paused, as every cue."""
        self._say(text)

    def _apply(self, old: Settings, new: Settings) -> None:
        """New voice, rate, volume, mute or chime settings: they apply from the next cue.

        A new voice, rate or volume needs new WAVs: the prepared cues are made again.
        """
        self.planner.configure(new.voice_setting, muted=new.mute)
        if old.voice_setting != new.voice_setting:
            self._prefetch(new.pace)

    def list_voices(self) -> None:
        """List the voices there are (natural, then system); ``voicesListed`` answers with a
        ``VoiceList``: each voice's id, engine, language and name, the id of the one that
        speaks now, and a notice for each voice file that cannot be used."""
        self.planner.list_voices()

    def preview(self, settings: Settings) -> None:
        """Say a sample cue now with these settings' voice, rate and volume (the Settings
        dialog's, before they are applied); ``previewed`` answers."""
        self.planner.preview(settings.voice_setting)

    def close(self) -> None:
        """Stop all sound and the synthesis thread and process."""
        self._silence()
        self.output.close()
        self.planner.close()

    # --- the coach's events -----------------------------------------------------------

    def on_event(self, event: Event) -> None:
        if isinstance(event, PhaseStarted):
            # A cue still being synthesized belongs to a phase that is over. One still
            # sounding is let finish unless this phase has its own: the timeline made room
            # for it, and cutting a word short is worse than a chime over its tail.
            self._waiting_for = None
            if self._store.current.chime and event.kind in CHIME_PHASES:
                self.output.play(Channel.CHIME, chime_path(), self._store.current.volume)
            if event.cue:
                self._say(event.cue)
        elif isinstance(event, CueRepeated):
            self._say(event.text)
        elif isinstance(event, PaceChanged):  # +, − or T: the new pace, said at once
            self._say(pace_cue(event.pace))
            self._prefetch(event.pace)
        elif isinstance(event, Paused):
            self._paused = True
            self._silence()
        elif isinstance(event, Resumed):
            self._paused = False  # the engine restarts the phase: its PhaseStarted speaks
            self.output.wake()
        elif isinstance(event, Finished):
            self._silence()
            # A session stopped while paused (the stop question pauses it) is over: the
            # next one, and what is said between them, must not start silent.
            self._paused = False
            if event.cue:  # the person stopped early: how to get up, after all else
                self.output.wake()
                self._say(event.cue)
        elif isinstance(event, StepStarted):
            self._silence()

    def _silence(self) -> None:
        self._waiting_for = None
        self.output.stop()

    def _say(self, text: str) -> None:
        """Play ``text`` now (it replaces the cue before), or stop the cue before and play
        ``text`` as soon as it is synthesized."""
        self._waiting_for = None
        clip = None if self._store.current.mute or self._paused else self.planner.clip(text)
        if clip is not None:
            self._play(text, clip)
            return
        self.output.stop(Channel.VOICE)
        if not (self._store.current.mute or self._paused):
            self._waiting_for = text
            self.planner.want(text)

    def _play(self, text: str, clip: Clip) -> None:
        self._waiting_for = None
        tag = self.output.play(Channel.VOICE, clip.path)
        self._sounding.clear()  # the one before was stopped: only this one can still start
        if tag is not None:
            self._sounding[tag] = text

    def _started(self, tag: int, _channel: str, at: float) -> None:
        text = self._sounding.get(tag)
        if text is not None:
            self._set_notice("clip", None)
            self.cueStarted.emit(text, at)

    def _bad_clip(self, tag: int, message: str) -> None:
        """Perhaps a damaged file: make it again when next needed, and say so meanwhile."""
        text = self._sounding.pop(tag, None)
        if text is not None:
            self.planner.forget(text)
            self._set_notice("clip", f"{BAD_CLIP} ({message})")

    def _play_preview(self, clip: Clip | None, problem: str) -> None:
        if clip is not None:
            self.output.play(Channel.VOICE, clip.path)
        self.previewed.emit(problem)

    def _clip_ready(self, text: str, clip: Clip) -> None:
        if text == self._waiting_for and not self._paused and not self._store.current.mute:
            self._play(text, clip)

    # --- notices ----------------------------------------------------------------------

    def _set_notice(self, source: str, message: str | None) -> None:
        before = self.notice
        self._notices[source] = message
        if self.notice != before:
            self.noticeChanged.emit(self.notice)

    def _set_synthesis_notice(self, message: str | None) -> None:
        self._set_notice("synthesis", message)

