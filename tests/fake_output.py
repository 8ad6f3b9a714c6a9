"""A sound output for tests without a sound card: it remembers every play and stop.

It stands in for ``stretchcoach.ui.output.SoundOutput`` (the same signals and methods) and
keeps a log per channel, at the time of an injected clock, so tests can check what was
audible when. A played sound reports that it started from the event loop, as the real
output does (its report comes from another process).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from stretchcoach.voice.cache import wav_seconds
from stretchcoach.voice.mixer import Channel

Entry = tuple[float, str, Path | None]  # (time, "play" | "stop", path)


class ChannelLog:
    """What one channel was asked to do."""

    def __init__(self) -> None:
        self.log: list[Entry] = []

    @property
    def calls(self) -> list[str]:
        return [f"play {p.name}" if p else what for _, what, p in self.log]

    def plays(self) -> list[tuple[float, Path]]:
        return [(t, p) for t, what, p in self.log if what == "play" and p is not None]

    def sounding(self, at: float) -> Path | None:
        """The file audible at ``at``: played, not yet stopped or replaced by the next play,
        not yet at its end."""
        playing: tuple[float, Path] | None = None
        for t, what, path in self.log:
            if t > at:
                break
            playing = (t, path) if what == "play" and path else None
        if playing and at < playing[0] + wav_seconds(playing[1]):
            return playing[1]
        return None


class FakeOutput(QObject):
    started = Signal(int, str, float)
    badClip = Signal(int, str)
    noticeChanged = Signal(str)

    def __init__(self, clock: Callable[[], float] = lambda: 0.0) -> None:
        super().__init__()
        self.clock = clock
        self.channels = {channel: ChannelLog() for channel in Channel}
        self.gains: list[float] = []
        self.notice = ""
        self.woken = 0
        self.closed = False
        self._tags = itertools.count(1)

    @property
    def voice(self) -> ChannelLog:
        return self.channels[Channel.VOICE]

    @property
    def chime(self) -> ChannelLog:
        return self.channels[Channel.CHIME]

    def play(self, channel: Channel, path: Path, gain: float = 1.0) -> int | None:
        tag = next(self._tags)
        self.channels[channel].log.append((self.clock(), "play", path))
        self.gains.append(gain)
        at = self.clock()
        QTimer.singleShot(0, self, lambda: self.started.emit(tag, str(channel), at))
        return tag

    def stop(self, channel: Channel | None = None) -> None:
        for each in (channel,) if channel else tuple(Channel):
            self.channels[each].log.append((self.clock(), "stop", None))

    def wake(self) -> None:
        self.woken += 1

    def close(self) -> None:
        self.closed = True


class SilentOutput(QObject):
    """A sound output that plays nothing and remembers nothing (for benchmarks measuring
    everything but the sound, and for screenshots)."""

    started = Signal(int, str, float)
    badClip = Signal(int, str)
    noticeChanged = Signal(str)
    notice = ""

    def play(self, channel: Channel, path: Path, gain: float = 1.0) -> int | None:
        return None

    def stop(self, channel: Channel | None = None) -> None:
        pass

    def wake(self) -> None:
        pass

    def close(self) -> None:
        pass
