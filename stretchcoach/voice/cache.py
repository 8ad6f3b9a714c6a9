"""Synthesized cues kept on disk, so a routine is synthesized once, not at every session.

A WAV is found by a hash of everything that changes its sound: the text, the voice, the
rate, the volume and the engine (its version included, so an upgraded eSpeak never serves
old audio). Its file name also carries a checksum of its bytes, checked before each use: a
clip cut short or overwritten on disk (a full disk, a crash, another program) would play
half a sentence, or full-scale noise into the ears of someone lying with eyes closed, so
a damaged one is removed and made again. Files appear by rename, so a reader never sees
half a WAV; the folder stays under a size bound by removing the least recently used files
(a hit refreshes the mtime, when the folder lets it).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import shutil
import tempfile
import wave
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from stretchcoach.paths import cache_dir, in_use, remove_leftovers, write_atomically

DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # about 25 minutes of speech at 22 kHz
BYTES_PER_SECOND = 22050 * 2  # what the worker writes: 22,050 Hz, mono, 16-bit
SCRATCH = ".synth-*.wav"  # the pattern of the files being written (``scratch``)
_CHECKSUM_CHARS = 16


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


class DamagedClip(Exception):
    """A WAV that is not whole: its header promises more sound than it holds."""


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def pcm_seconds(data: bytes) -> float:
    """The length of the WAV in ``data``, checked to hold every frame its header promises."""
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            frames, rate = w.getnframes(), w.getframerate()
            whole = frames * w.getsampwidth() * w.getnchannels()
            if frames == 0 or len(w.readframes(frames)) != whole:
                raise DamagedClip("the WAV holds less sound than its header says")
    except (EOFError, wave.Error) as err:
        raise DamagedClip(f"not a WAV: {err}") from None
    return frames / rate


def need_room(folder: Path, seconds: float) -> None:
    """Raise ``ENOSPC`` unless the disk holding ``folder`` has room for twice ``seconds`` of
    speech: the engine would fail on less, or fill the disk to its last byte."""
    need_bytes(folder, round(2 * seconds * BYTES_PER_SECOND))


def need_bytes(folder: Path, size: int) -> None:
    """Raise ``ENOSPC`` unless the disk holding ``folder`` has ``size`` bytes free."""
    if shutil.disk_usage(folder).free < size:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))


def checksum(data: bytes) -> str:
    """A clip's checksum, which names it: BLAKE2b, because Python's own (the window's
    process has no OpenSSL: ``stretchcoach.ui``) lets other threads run while it hashes,
    where its SHA-256 holds the GIL (8 ms per MiB here: a long cue checked on the speech
    thread would stall the window). It guards against damage, not against an attacker."""
    return hashlib.blake2b(data, digest_size=_CHECKSUM_CHARS // 2).hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file (hex), read in blocks: a voice model is 60 MB or more.

    The window's process hashes with Python's own SHA-256 (``stretchcoach.ui``), which
    holds the GIL for a whole block: 64 KiB blocks keep that under a millisecond, where a
    1 MiB block kept the window waiting 8-15 ms."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 16):
            digest.update(block)
    return digest.hexdigest()


def converted_voices_dir() -> Path:
    """Where the copies of Piper voices that sherpa-onnx can load are kept (``piper.py``)."""
    return cache_dir() / "voices"


@contextlib.contextmanager
def scratch_file(folder: Path, size: int, prefix: str, suffix: str) -> Iterator[Path]:
    """A fresh empty file in ``folder``, with room checked for ``size`` bytes, to write and
    then rename into place (the rename is what makes a file appear whole); removed
    afterwards unless renamed. While it exists the folder is ``in_use``, so no other
    process takes it for a leftover of a killed one (``remove_scratch``)."""
    folder.mkdir(parents=True, exist_ok=True)
    need_bytes(folder, size)
    with in_use(folder):
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        os.close(fd)
        path = Path(name)
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)


def remove_scratch(folder: Path, pattern: str) -> int:
    """Remove the scratch files matching ``pattern`` that killed processes left in
    ``folder``; how many."""
    return remove_leftovers(folder, pattern) if folder.is_dir() else 0


def check_named(path: Path, data: bytes) -> None:
    """Raise ``DamagedClip`` if ``path`` is named with a checksum (``<key>.<checksum>.wav``,
    as the cache names its clips) that ``data``, its bytes, do not match."""
    parts = path.name.split(".")
    if len(parts) == 3 and len(parts[1]) == _CHECKSUM_CHARS and checksum(data) != parts[1]:
        raise DamagedClip("its bytes do not match its checksum")


class SpeechCache:
    """A folder of WAVs named by the hash of what made them and a checksum, bounded in size."""

    def __init__(self, folder: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = folder or cache_dir() / "speech"
        self.max_bytes = max_bytes

    @staticmethod
    def key(text: str, setting: VoiceSetting, engine: str) -> str:
        fields = [text, setting.voice, setting.rate, round(setting.volume, 3), engine]
        return hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:32]

    def get(self, key: str) -> Clip | None:
        """The clip for ``key`` if one is cached whole; a damaged one is removed."""
        for path in self._entries(key):
            try:
                data = path.read_bytes()
                check_named(path, data)
                seconds = pcm_seconds(data)
            except OSError:
                continue
            except DamagedClip:
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            with contextlib.suppress(OSError):  # a read-only cache still serves its clips
                os.utime(path)  # recently used: evicted last
            return Clip(path, seconds)
        return None

    def _entries(self, key: str) -> list[Path]:
        """The files named for ``key``, ``<key>.<checksum>.wav`` (one, unless another
        process raced this one). Matched by hand: a glob pattern per key would compile."""
        length = len(key) + 1 + _CHECKSUM_CHARS + len(".wav")
        try:
            return [
                path
                for path in self.folder.iterdir()
                if len(path.name) == length
                and path.name.startswith(f"{key}.")
                and path.name.endswith(".wav")
            ]
        except OSError:
            return []

    @contextlib.contextmanager
    def scratch(self, seconds: float) -> Iterator[Path]:
        """A fresh file in the cache folder for the worker to write ``seconds`` of speech
        into, removed afterwards unless ``put`` took it (``scratch_file``).

        Raises ``OSError`` when it cannot be made (``ENOSPC`` without ``need_room``).
        """
        size = round(2 * seconds * BYTES_PER_SECOND)
        with scratch_file(self.folder, size, prefix=".synth-", suffix=".wav") as path:
            yield path

    def put(self, key: str, scratch: Path) -> Clip:
        """Check a finished ``scratch`` file and move it into place, named with its checksum;
        then keep the folder within bounds. Raises ``DamagedClip`` for a WAV that is not
        whole, ``OSError`` when the folder cannot take it."""
        data = scratch.read_bytes()
        seconds = pcm_seconds(data)
        path = self.folder / f"{key}.{checksum(data)}.wav"
        scratch.replace(path)
        self.evict(keep=path)
        return Clip(path, seconds)

    def adopt(self, key: str, clip: Clip) -> Clip:
        """A copy of ``clip`` (made elsewhere) kept here; raises ``OSError`` if it cannot be."""
        with self.scratch(clip.seconds) as scratch:
            shutil.copyfile(clip.path, scratch)
            return self.put(key, scratch)

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

    def lengths(self, setting: VoiceSetting) -> dict[str, float]:
        """The lengths of the cues last made for ``setting``, by text ({} when none are
        known): a routine's length can be shown, as the session will run it, before a
        speech engine is started."""
        try:
            data = json.loads(self._lengths_path(setting).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}

    def keep_lengths(self, setting: VoiceSetting, lengths: Mapping[str, float]) -> None:
        """Remember these cue lengths for ``setting`` (with those known before); a cache
        that cannot be written only means lengths are estimated next time."""
        known = self.lengths(setting)
        if all(known.get(text) == seconds for text, seconds in lengths.items()):
            return
        with contextlib.suppress(OSError):
            write_atomically(self._lengths_path(setting), json.dumps({**known, **lengths}))

    def _lengths_path(self, setting: VoiceSetting) -> Path:
        fields = [setting.voice, setting.rate, round(setting.volume, 3)]
        name = hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:16]
        return self.folder / f"lengths-{name}.json"

    def remove_leftovers(self) -> int:
        """Remove the scratch files of processes killed while synthesizing."""
        return remove_scratch(self.folder, SCRATCH)
