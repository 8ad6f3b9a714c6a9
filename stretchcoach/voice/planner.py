"""Synthesis ahead of time, in a background thread, so each cue is ready before its phase.

The window hands over the whole routine's cues when a routine is chosen; the planner
synthesizes them in order (most are cache hits after the first session), and moves a cue
to the front when a phase needs it now. Nothing here blocks its caller: the calls the
window makes (``prefetch``, ``want``, ``clip``, ``duration``) only touch memory, and
results come back through callbacks run on the planner's thread, which the Qt side turns
into queued signals. The planner is also the session's ``SpeechTimes``: the real length of
each synthesized cue, an estimate until then, nothing when muted.

When its queue has been empty for ``release_after`` seconds it ends the worker process
(``Synthesizer.release``): a neural voice holds some 250 MB, and every cue of the routine is
in the cache by then. The next cue that is not cached starts one again (about a second for
the natural voice), so a cue asked for just after the others (one made again, the rate
changed twice) finds the worker still there.

Its thread never dies of an exception: whatever a job raises becomes a notice in plain
words (with the traceback on stderr, for a bug report), and the next job runs as usual.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from stretchcoach import heap
from stretchcoach.voice.cache import Clip, VoiceSetting
from stretchcoach.voice.synth import SpeechUnavailable, Synthesizer
from stretchcoach.voice.times import estimate
from stretchcoach.voice.voices import PREVIEW_TEXT, VoiceList

_VOICES = object()  # the job of listing the engine's voices
_RELEASE = object()  # not a job: the queue has been empty long enough to end the worker
RELEASE_AFTER = 10.0  # seconds


@dataclass(frozen=True)
class _Preview:
    """The job of saying a sample cue with a voice setting the person is trying out."""

    setting: VoiceSetting


def _ignore(*_: object) -> None:
    """The default for callbacks nobody listens to."""


class VoicePlanner:
    """Keeps the cues of the coming phases synthesized for the current voice setting.

    ``on_ready(text, clip)``, ``on_notice(message or None)``, ``on_voices(voice_list)``
    and ``on_preview(clip or None, problem)`` are called on the planner's own thread; they
    must only hand the value over (a queued Qt signal does). ``on_notice`` gets a message
    for the person when the voice cannot speak (or another voice speaks for it, or its
    cache cannot keep what it says), and None when all is well again; ``on_idle`` is
    called whenever the queue runs empty (the cues handed to ``prefetch`` are ready, or
    could not be made).
    """

    def __init__(
        self,
        setting: VoiceSetting,
        synthesizer: Synthesizer | None = None,
        *,
        on_ready: Callable[[str, Clip], None] = _ignore,
        on_notice: Callable[[str | None], None] = _ignore,
        on_voices: Callable[[VoiceList], None] = _ignore,
        on_idle: Callable[[], None] = _ignore,
        on_preview: Callable[[Clip | None, str], None] = _ignore,
        release_after: float = RELEASE_AFTER,
        muted: bool = False,
    ) -> None:
        self._synth = synthesizer or Synthesizer()
        self._on_ready = on_ready
        self._on_notice = on_notice
        self._on_voices = on_voices
        self._on_idle = on_idle
        self._on_preview = on_preview
        self._release_after = release_after
        self._engaged = False  # a job ran since the worker was last released
        self._doing = False  # a job (or the worker's release) is under way
        self._cond = threading.Condition()
        self._jobs: deque[object] = deque()
        self._wanted: set[str] = set()
        self._clips: dict[tuple[VoiceSetting, str], Clip] = {}
        self._notice: str | None = None
        self._closing = False
        self.configure(setting, muted=muted)
        self._thread = threading.Thread(target=self._run, name="voice-planner", daemon=True)
        self._thread.start()

    # --- called from the window's thread: memory only, never blocking -------------------

    def configure(self, setting: VoiceSetting, *, muted: bool) -> None:
        """Use this voice setting from the next cue on (and try an engine that failed
        again: the person may have just fixed it); when ``muted``, cues take no time."""
        with self._cond:
            self._setting = setting
            self.muted = muted
            self._retry = True
            # Clips of other settings are found again in the cache (checked, and made again
            # if the cache has evicted them meanwhile): memory holds one setting's at most.
            self._clips = {k: c for k, c in self._clips.items() if k[0] == self._setting}

    def prefetch(self, texts: Iterable[str]) -> None:
        """Synthesize ``texts`` in this order, after any cue needed now (each queued once)."""
        with self._cond:
            self._jobs = deque(j for j in self._jobs if not isinstance(j, str) or j in self._wanted)
            wanted = {j for j in self._jobs if isinstance(j, str)}
            self._jobs.extend(t for t in dict.fromkeys(texts) if t not in wanted)
            self._cond.notify()

    def want(self, text: str) -> None:
        """A phase needs ``text`` now: synthesize it first and report it with ``on_ready``."""
        with self._cond:
            self._wanted.add(text)
            with contextlib.suppress(ValueError):  # queued once at most: cues come faster
                self._jobs.remove(text)  # than a slow engine makes them (a busy machine)
            self._jobs.appendleft(text)
            self._cond.notify()

    def list_voices(self) -> None:
        """List the voices there are (``Synthesizer.voices``); the list comes back through
        ``on_voices``."""
        with self._cond:
            self._jobs.appendleft(_VOICES)
            self._cond.notify()

    def preview(self, setting: VoiceSetting) -> None:
        """Say a sample cue with ``setting`` (not the current one: the person is choosing)
        before anything else; ``on_preview`` gets the clip to play, or None and why not.
        That voice only: another one standing in would not be what was asked for."""
        with self._cond:
            self._jobs.appendleft(_Preview(setting))
            self._cond.notify()

    def forget(self, text: str) -> None:
        """The output could not play ``text``'s WAV: make it again when next needed (the
        cache checks a file before reusing it, so a damaged one is replaced)."""
        with self._cond:
            for key in [k for k in self._clips if k[1] == text]:
                del self._clips[key]

    def clip(self, text: str) -> Clip | None:
        """The synthesized cue for the current setting, if it is ready."""
        with self._cond:
            return self._clips.get((self._setting, text))

    def duration(self, text: str) -> float:
        """``SpeechTimes``: the cue's real length once synthesized, an estimate before."""
        if self.muted:
            return 0.0
        clip = self.clip(text)
        return clip.seconds if clip is not None else estimate(text, self._setting.rate)

    @property
    def busy(self) -> bool:
        """Whether a job waits or is under way: a bench counting threads and descriptors
        waits for quiet, or it would count a worker being started or a clip being written."""
        with self._cond:
            return bool(self._jobs) or self._doing

    def close(self) -> None:
        """Stop the thread and the worker process at once, whatever it is doing."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._synth.abort()  # a cue being synthesized, or a hung engine, ends now
        self._thread.join()

    # --- the planner's thread ---------------------------------------------------------

    def _next_job(self) -> tuple[object, VoiceSetting] | None:
        with self._cond:
            while not self._jobs and not self._closing:
                if not self._engaged:
                    self._cond.wait()
                elif not self._cond.wait(self._release_after) and not self._jobs:
                    self._engaged = False
                    self._doing = True
                    return _RELEASE, self._setting
            if self._closing:
                return None
            self._engaged = self._doing = True
            if self._retry:
                self._retry = False
                self._synth.retry()
            return self._jobs.popleft(), self._setting

    def _run(self) -> None:
        try:
            while (next_job := self._next_job()) is not None:
                job, setting = next_job
                if job is _RELEASE:
                    self._synth.release()
                    with self._cond:
                        self._doing = False
                    continue
                try:
                    if job is _VOICES:
                        self._on_voices(self._synth.voices(setting))
                    elif isinstance(job, _Preview):
                        self._say_preview(job.setting)
                    elif isinstance(job, str):
                        self._speak(job, setting)
                except SpeechUnavailable as err:
                    self._tell(str(err))
                except Exception as err:  # a bug or an unforeseen fault: never the thread's end
                    traceback.print_exc(file=sys.stderr)
                    self._tell(
                        f"The voice ran into an unexpected problem ({err.__class__.__name__}: "
                        f"{err}), so this cue is shown but not spoken. The next cue will try "
                        "again."
                    )
                with self._cond:
                    idle = not self._jobs
                    lengths = {t: c.seconds for (s, t), c in self._clips.items() if s == setting}
                if idle:
                    self._synth.cache.keep_lengths(setting, lengths)
                    # What making the cues freed (the engine's replies, the WAVs read and
                    # written) goes back to the system now, not after the next session:
                    # 1.5 MB of the window's process (bench/memory.py), for well under a
                    # millisecond of this thread.
                    heap.trim()
                with self._cond:
                    self._doing = False  # busy until the lengths are kept and the heap trimmed
                if idle:
                    self._on_idle()
        finally:
            self._synth.close()

    def _speak(self, text: str, setting: VoiceSetting) -> None:
        with self._cond:
            clip = self._clips.get((setting, text))
            wanted = text in self._wanted
            self._wanted.discard(text)
        # Made again when the cache could not keep it (it may now), or when its file has
        # gone (the cache's size bound evicted it): found now, not when its phase comes.
        if clip is None or self._synth.problem or not clip.path.exists():
            clip = self._synth.clip(text, setting)
            self._tell(self._synth.notice)
            with self._cond:
                self._clips[(setting, text)] = clip
        elif not wanted:
            return
        self._on_ready(text, clip)

    def _say_preview(self, setting: VoiceSetting) -> None:
        try:
            clip = self._synth.clip(PREVIEW_TEXT, setting, fall_back=False)
        except SpeechUnavailable as err:
            self._on_preview(None, str(err))
        else:
            self._on_preview(clip, "")

    def _tell(self, notice: str | None) -> None:
        if notice != self._notice:
            self._notice = notice
            self._on_notice(notice)
