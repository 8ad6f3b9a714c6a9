"""Tap pace: the person taps once per breath out, and the pace follows their breathing.

One measurement for the T key in a session and the Settings dialog's "Tap" button: the
intervals between the last ``TAPS`` taps give the breath's period, which is shared
between inhale and exhale in the proportion of the pace they had.
"""

from __future__ import annotations

from stretchcoach.coach.ports import Pace

TAPS = 4
"""Taps (one per exhale) that measure the person's breath; their intervals give the period."""
TAP_TIMEOUT = 2 * Pace.MAX_SECONDS
"""A longer gap than the slowest possible breath starts a new measurement."""


def bounded(seconds: float) -> float:
    """``seconds`` kept within the paces a person can set."""
    return min(Pace.MAX_SECONDS, max(Pace.MIN_SECONDS, seconds))


class TapMeter:
    """Counts taps; every ``TAPS``-th tap in a row gives a pace."""

    def __init__(self) -> None:
        self._taps: list[float] = []

    @property
    def count(self) -> int:
        """Taps counted toward the next pace (0 right after one was given)."""
        return len(self._taps)

    def tap(self, now: float, pace: Pace, scale: float = 1.0) -> Pace | None:
        """A tap at ``now`` (seconds on a monotonic clock): the pace the taps give once there
        are ``TAPS`` of them (then it starts again), else None. ``scale`` is the step's own
        scaling of the breath, which the taps measured along: the pace is the base."""
        if self._taps and now - self._taps[-1] > TAP_TIMEOUT:
            self._taps.clear()
        self._taps.append(now)
        if len(self._taps) < TAPS:
            return None
        period = (self._taps[-1] - self._taps[0]) / (TAPS - 1) / scale
        self._taps.clear()
        share = pace.inhale / (pace.inhale + pace.exhale)
        return Pace(bounded(period * share), bounded(period * (1 - share)))
