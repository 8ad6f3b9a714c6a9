"""The speech engines the worker process runs, behind one interface.

An engine turns a text into samples; the worker (``voice.worker``) makes every engine's
samples into the same clips (``voice.pcm``). Each engine is imported only in a worker that
runs it, never in the app: ``system`` (pyttsx3: eSpeak NG on Linux, SAPI5 on Windows,
NSSpeechSynthesizer on macOS) and ``sherpa`` (Piper voices, run by sherpa-onnx).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol


class EngineMissing(Exception):
    """The engine cannot start (not installed, a voice file that cannot be used); the
    message says why and, where there is one, how to fix it."""


class Engine(Protocol):
    """A started engine with one voice setting."""

    id: str  # the engine and its versions, the model's checksum: part of the cache key
    voice: str  # the voice it speaks with, as a voice id (``system:gmw/en``, ``piper:...``)

    def speak(self, text: str, scratch: Path) -> tuple[Sequence[float], int]:
        """``text`` as samples in [-1, 1] and their sample rate. ``scratch`` is a file the
        engine may write to on the way (pyttsx3 only writes files)."""
        ...

    def voices(self) -> list[dict[str, Any]]:
        """The voices this engine has (``id``, ``name``, ``languages``)."""
        ...
