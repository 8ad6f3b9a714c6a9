"""How long cues take to say, for the engine to stretch phases around them.

The lengths are those of the synthesized WAVs themselves, so the plan, the live session
and the exported audio agree to the sample. Before a cue is synthesized (or when no engine
can speak) a word-rate estimate stands in; when the voice is muted nothing is said and
every cue takes no time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence

from stretchcoach.coach.ports import Pace
from stretchcoach.coach.timeline import (
    READY_CUE,
    SKIPPING_CUE,
    STOPPED_CUE,
    Timing,
    plan_routine,
)
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.voice.cache import SpeechCache, VoiceSetting
from stretchcoach.voice.synth import SpeechUnavailable, Synthesizer

# eSpeak NG speaks a little faster than its nominal words per minute and ends each
# utterance with a short pause; measured on the bundled cues, this errs on the long side.
_WORD_FACTOR = 0.9
_END_PAUSE = 0.35


def estimate(text: str, rate: int) -> float:
    """Seconds to say ``text`` at ``rate`` words per minute, without synthesizing it."""
    return len(text.split()) * 60.0 / rate * _WORD_FACTOR + _END_PAUSE


def cue_texts(steps: Sequence[ConcreteStep], timing: Timing) -> list[str]:
    """Every text a routine says at this timing, each once, in the order it first says
    them (the timeline's own: its steps' planned cues), then what resuming, skipping and
    stopping say."""
    plans = plan_routine(steps, Pace(), ClipTimes({}, rate=150, muted=True), timing)
    texts = [cue for plan in plans for cue in plan.cues]
    return list(dict.fromkeys([*texts, READY_CUE, SKIPPING_CUE, STOPPED_CUE]))


class ClipTimes:
    """A ``SpeechTimes`` from known WAV lengths, estimating the others."""

    def __init__(self, seconds: Mapping[str, float], rate: int, muted: bool = False) -> None:
        self.seconds = dict(seconds)
        self.rate = rate
        self.muted = muted

    def duration(self, text: str) -> float:
        if self.muted:
            return 0.0
        known = self.seconds.get(text)
        return known if known is not None else estimate(text, self.rate)


def _stderr(message: str) -> None:
    print(f"stretchcoach: {message}", file=sys.stderr)


def known_times(setting: VoiceSetting, muted: bool, cache: SpeechCache | None = None) -> ClipTimes:
    """The lengths of the cues last synthesized for ``setting``, estimated for the others:
    what a routine's length is shown with before anything is synthesized this time."""
    return ClipTimes((cache or SpeechCache()).lengths(setting), setting.rate, muted)


def synthesized_times(
    texts: Iterable[str],
    setting: VoiceSetting,
    muted: bool = False,
    synthesizer: Synthesizer | None = None,
    warn: Callable[[str], None] = _stderr,
) -> ClipTimes:
    """Synthesize ``texts`` (from the cache when it can) and return their real lengths.

    For the command line, where blocking is fine: eSpeak works about 200 times faster than
    real time and cached cues cost a file header read. If the engine cannot speak, ``warn``
    is told once and the estimates are used.
    """
    owned = synthesizer is None
    synth = synthesizer or Synthesizer()
    seconds: dict[str, float] = {}
    try:
        for text in texts:
            seconds[text] = synth.clip(text, setting).seconds
    except SpeechUnavailable as err:
        warn(f"{err} Cue lengths are estimated from their words.")
    else:
        if synth.fallback:  # the lengths are another voice's than the one chosen
            warn(synth.fallback)
    finally:
        synth.cache.keep_lengths(setting, seconds)
        if owned:
            synth.close()
    return ClipTimes(seconds, setting.rate, muted)
