"""The system's voices through pyttsx3: eSpeak NG on Linux, SAPI5 on Windows,
NSSpeechSynthesizer on macOS.

Why the engine keeps to one setting: pyttsx3 applies a rate set after its first run
unreliably, so the voice and rate are set once, before the first utterance, and a new
setting gets a new worker process. The volume is not given to pyttsx3 at all: every clip
is brought to one loudness, the person's volume included, afterwards (``voice.pcm``).

Why it watches for "unraisable" exceptions: pyttsx3's eSpeak driver writes the WAV inside
eSpeak's callback, where an exception (a full disk) is only printed, and the utterance
then never finishes. So a failure there is reported with its errno at once, rather than
after the client's time-outs.

Why it waits for eSpeak before every run: pyttsx3's espeak driver hands eSpeak its
commands through eSpeak's own queue and ends every run by cancelling whatever eSpeak is
still busy with. When a busy machine (several windows synthesizing at once) left the queue
unfinished, that cancel threw away the rate set for the first cue, so the worker spoke
every cue at pyttsx3's 200 words a minute, and cut the next cue short. So the setting is
applied and settled before the first run, and eSpeak is idle whenever a run starts.

Which eSpeak on Linux (``STRETCHCOACH_ESPEAK``): ``auto`` (default) uses the system's
libespeak-ng when it loads and otherwise the ``espeakng-loader`` wheel's copy; ``system``
and ``loader`` force one; any other value is reported, not guessed at. The wheel's library
must be loaded with ``RTLD_GLOBAL`` and ``ESPEAK_DATA_PATH`` set before pyttsx3 loads
eSpeak, which is why this happens here, at the start of a fresh process.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from stretchcoach.voice.engines import EngineMissing
from stretchcoach.voice.pcm import AUDIO_REVISION, read_wav

ESPEAK_ENV = "STRETCHCOACH_ESPEAK"
ESPEAK_MODES = ("auto", "system", "loader")
SYSTEM_LIB = "libespeak-ng.so.1"
PREFIX = "system:"  # a system voice's id is this and pyttsx3's id for it
# pyttsx3 may return from runAndWait before the file is written (macOS, Windows drivers).
FINISH_TIMEOUT = 30.0


def _prepare_espeak(mode: str) -> str:
    """Make eSpeak NG loadable for pyttsx3 and say which copy it will use."""
    mode = mode.strip().lower()
    if mode not in ESPEAK_MODES:  # a typo must not silently choose for the person
        raise EngineMissing(
            f"{ESPEAK_ENV} is set to '{mode}', which is not a choice StretchCoach knows: "
            f"set it to {', '.join(ESPEAK_MODES[:-1])} or {ESPEAK_MODES[-1]}, or unset it."
        )
    if mode in ("auto", "system"):
        try:
            ctypes.CDLL(SYSTEM_LIB, mode=ctypes.RTLD_GLOBAL)
        except OSError:
            if mode == "system":
                raise EngineMissing(
                    "eSpeak NG is not installed. Install it: sudo apt-get install libespeak-ng1"
                ) from None
        else:
            return "system"
    try:
        import espeakng_loader
    except ImportError:
        raise EngineMissing(
            "No speech engine: eSpeak NG is not installed. Install it "
            "(sudo apt-get install libespeak-ng1) or: pip install espeakng-loader"
        ) from None
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    return "loader"


def _engine_id(which: str | None) -> str:
    """Names the engine and its version: cached WAVs from another engine are not reused."""
    name = f"pyttsx3 {version('pyttsx3')} {sys.platform} r{AUDIO_REVISION}"
    if which is None:
        return name
    from pyttsx3.drivers import _espeak

    info = _espeak.Info(None)
    espeak = info.decode() if isinstance(info, bytes) else str(info)
    return f"{name} espeak-ng {espeak} ({which})"


class SystemEngine:
    """One pyttsx3 engine with one fixed voice and rate."""

    def __init__(self, voice: str | None, rate: int) -> None:
        which = None
        if sys.platform.startswith("linux"):
            which = _prepare_espeak(os.environ.get(ESPEAK_ENV, "auto"))
        import pyttsx3

        try:
            self.engine = pyttsx3.init()
        except (RuntimeError, OSError, ImportError) as err:
            raise EngineMissing(f"The speech engine did not start: {err}") from err
        self.id = _engine_id(which)
        self._espeak = which is not None
        self._done = threading.Event()
        self._completed = True
        self._running = False
        self._failure: BaseException | None = None
        sys.unraisablehook = self._callback_failed
        self.engine.connect("finished-utterance", self._finished)
        if voice:
            self.engine.setProperty("voice", voice)
        self.engine.setProperty("rate", rate)
        if self._espeak:
            # pyttsx3 queues the setting until a run; give it to eSpeak now, outside any run,
            # so the run's cancel cannot drop it (see the module docstring).
            self.engine.proxy.setBusy(False)
        self.voice = PREFIX + str(self.engine.getProperty("voice") or "")

    def _finished(self, name: object = None, completed: bool = True) -> None:
        self._completed = completed
        self._done.set()

    def _callback_failed(self, failure: Any) -> None:
        """An exception inside eSpeak's callback (see the module docstring): still logged,
        and, during a run, the end of the utterance, failed."""
        sys.__unraisablehook__(failure)
        if self._running and self._failure is None:
            self._failure = failure.exc_value
            self._done.set()
            # What the driver's callback does after writing the file, which it never
            # reached: end the run. (pyttsx3 2.99 has no public call for it mid-run.)
            driver = getattr(self.engine.proxy, "_driver", None)
            if driver is not None:
                driver.endLoop()

    def _settle(self) -> None:
        """Wait until eSpeak has carried out every command given to it, so the next run's
        closing cancel finds nothing to throw away."""
        if self._espeak:
            from pyttsx3.drivers import _espeak

            _espeak.Synchronize()

    def speak(self, text: str, scratch: Path) -> tuple[Sequence[float], int]:
        self.synth(text, str(scratch))
        return read_wav(scratch)

    def synth(self, text: str, path: str) -> float:
        """Write ``text`` to ``path`` as the engine's WAV, one utterance per run; return
        its seconds."""
        self._settle()
        self._done.clear()
        self._failure = None
        self._running = True
        try:
            self.engine.save_to_file(text, path)
            self.engine.runAndWait()
            finished = self._done.wait(FINISH_TIMEOUT)
        finally:
            self._running = False
        if self._failure is not None:
            raise _cause(self._failure)
        if not finished:
            raise RuntimeError("the engine never finished the utterance")
        if not self._completed:  # cut short: never let it reach the cache
            raise RuntimeError("the engine stopped the utterance before its end")
        if sys.platform == "darwin":
            _aiff_to_wav(path)
        deadline = time.monotonic() + FINISH_TIMEOUT
        while True:  # a driver that writes the file asynchronously finishes it after the event
            try:
                with wave.open(path, "rb") as w:
                    frames, rate = w.getnframes(), w.getframerate()
                if frames > 0:
                    return frames / rate
            except (OSError, EOFError, wave.Error):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the engine wrote no audio")
            time.sleep(0.01)  # a worker process, never the GUI thread

    def voices(self) -> list[dict[str, Any]]:
        return [
            {"id": PREFIX + v.id, "name": v.name, "languages": list(v.languages or [])}
            for v in self.engine.getProperty("voices")
        ]


def _cause(failure: BaseException) -> BaseException:
    """The ``OSError`` behind ``failure`` (pyttsx3 wraps it in a RuntimeError), or itself."""
    seen: BaseException | None = failure
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return failure


def _aiff_to_wav(path: str) -> None:
    """macOS's voices write AIFF whatever the file is called: make it a WAV (the worker
    then makes every WAV the clips' format). (The Linux test suite does not run this;
    afconvert ships with every macOS.)"""
    aiff = f"{path}.aiff"
    Path(path).replace(aiff)
    subprocess.run(
        ["afconvert", "-f", "WAVE", "-d", "LEI16@22050", "-c", "1", aiff, path],
        check=True,
        capture_output=True,
        timeout=FINISH_TIMEOUT,
    )
    Path(aiff).unlink()
