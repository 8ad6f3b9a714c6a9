"""How long a cue takes to say, estimated from its words and the speaking rate.

It stands in for the real synthesized lengths until the voice can measure them; both
implement ``ports.SpeechTimes``, so swapping one for the other changes one line.
"""

from __future__ import annotations

from dataclasses import dataclass

LEAD_SECONDS = 0.2
"""What a speech engine adds to every utterance: start-up and the trailing silence."""


@dataclass(frozen=True)
class WordRateSpeechTimes:
    rate_wpm: float = 150.0

    def duration(self, text: str) -> float:
        words = len(text.split())
        return words * 60.0 / self.rate_wpm + LEAD_SECONDS if words else 0.0
