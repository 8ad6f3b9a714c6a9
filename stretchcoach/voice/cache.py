"""Synthesized cues kept on disk, so a routine is synthesized once, not at every session.

A WAV is found by a hash of everything that changes its sound: the text, the voice, the
rate, the volume and the engine (its version included, so an upgraded eSpeak never serves
old audio). Files appear by rename, so a reader never sees half a WAV; the folder stays
under a size bound by removing the least recently used files (a hit refreshes the mtime).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from stretchcoach.settings import cache_dir

DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # about 25 minutes of speech at 22 kHz


@dataclass(frozen=True)
class VoiceSetting:
    """What the worker is started with: one worker, one setting."""

    voice: str | None = None
    rate: int = 150
    volume: float = 1.0


@dataclass(frozen=True)
class Clip:
    """A cue ready to play: its WAV file and its length."""

    path: Path
    seconds: float


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


class SpeechCache:
    """A folder of WAVs named by the hash of what made them, bounded in size."""

    def __init__(self, folder: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = folder or cache_dir() / "speech"
        self.max_bytes = max_bytes

    @staticmethod
    def key(text: str, setting: VoiceSetting, engine: str) -> str:
        fields = [text, setting.voice, setting.rate, round(setting.volume, 3), engine]
        return hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:32]

    def get(self, key: str) -> Clip | None:
        path = self.folder / f"{key}.wav"
        try:
            seconds = wav_seconds(path)
            os.utime(path)  # recently used: evicted last
        except (OSError, EOFError, wave.Error):
            return None
        return Clip(path, seconds)

    def scratch(self) -> Path:
        """A fresh file name in the cache folder for the worker to write into."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".synth-", suffix=".wav", dir=self.folder)
        os.close(fd)
        return Path(name)

    def put(self, key: str, scratch: Path, seconds: float) -> Clip:
        """Move a finished ``scratch`` file into place, then keep the folder within bounds."""
        path = self.folder / f"{key}.wav"
        scratch.replace(path)
        self.evict(keep=path)
        return Clip(path, seconds)

    def evict(self, keep: Path | None = None) -> None:
        """Remove the least recently used WAVs until the folder fits ``max_bytes``."""
        files = []
        for path in self.folder.glob("[!.]*.wav"):  # not the scratch files being written
            with contextlib.suppress(OSError):
                st = path.stat()
                files.append((st.st_mtime_ns, st.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            if path == keep:
                continue
            with contextlib.suppress(OSError):  # Windows: a file being played stays
                path.unlink()
                total -= size
