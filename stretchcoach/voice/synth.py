"""Talking to the speech worker processes: start one, restart it, kill it when it hangs,
end it when there is nothing to say, and stand another voice in for one that cannot speak.

Every call here blocks (up to a timeout) and so runs off the GUI thread: in the voice's
background thread in the app, or in the command line's main thread. A worker that exits
is started again and the request retried once; one that does not answer in time is killed
and treated the same way; a worker that cannot start an engine, or crashes as it starts,
is remembered (the latter with a bounded back-off), so each cue does not pay for a doomed
start. Failures become ``SpeechUnavailable`` with a message for the person that says what
is wrong and how to fix it.

A voice that cannot start (the natural voice not installed, its file damaged, a voice file
of the person's that is garbage, a worker that crashes as it loads) gives way to the next
of its ``candidates`` until a setting changes (so one routine is not said by two voices
taking turns), and ``fallback`` says which voice speaks instead and why. Only when the last
one cannot speak either are cues shown but not spoken; then each voice is tried again as
its worker's memory allows (at once after ``retry``, after a back-off for a crash).
"""

from __future__ import annotations

import contextlib
import errno
import json
import queue
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError
from pathlib import Path
from typing import Any, TypeVar

from stretchcoach.children import environment, module_command
from stretchcoach.paths import (
    FULL,
    NOT_ALLOWED,
    how_to_fix,
    in_use,
    remove_if_unused,
    runtime_dir,
    why_not_written,
)
from stretchcoach.voice.cache import (
    Clip,
    DamagedClip,
    SpeechCache,
    VoiceSetting,
    converted_voices_dir,
    need_room,
)
from stretchcoach.voice.piper import engine_id
from stretchcoach.voice.voices import (
    NATURAL,
    PIPER,
    SYSTEM,
    PiperVoices,
    VoiceInfo,
    VoiceList,
    VoiceUnavailable,
    candidates,
    normal,
    routines_language_first,
    system_engine,
)

WORKER_COMMAND = module_command("stretchcoach.voice.worker")
START_TIMEOUT = 20.0  # a cold Python start on a busy machine
REPLY_TIMEOUT = 20.0  # eSpeak says a long intro in well under a second
BACKOFF_FIRST = 2.0  # after a failed start, the first wait before the next try
BACKOFF_MAX = 60.0  # ... doubling up to this: a broken engine costs a start a minute
STAND_IN_PREFIX = "stretchcoach-speech-"
STAND_IN_MAX_BYTES = 32 * 1024 * 1024  # a whole routine's cues, several times over


ESPEAK_ADVICE = "Reinstalling eSpeak NG may help: sudo apt-get install --reinstall libespeak-ng1. "
MAX_CLIENTS = 8  # workers remembered (not running: one runs at a time) with their failures
T = TypeVar("T")


class SpeechUnavailable(Exception):
    """The voice cannot speak; ``str()`` is a message for the person, with the fix."""


class EngineFailed(SpeechUnavailable):
    """The engine did not start for this voice; ``why`` says so in a few words, for the
    notice of the voice that stands in."""

    def __init__(self, message: str, why: str) -> None:
        super().__init__(message)
        self.why = why


def system_spec(setting: VoiceSetting) -> dict[str, Any]:
    """The worker's setting for a system voice (``setting.voice`` None: the default)."""
    voice = normal(setting.voice).removeprefix(SYSTEM) if setting.voice else ""
    return {"engine": "system", "voice": voice or None, "rate": setting.rate,
            "volume": setting.volume}  # fmt: skip


_EOF = None


class _Process:
    """One running worker and the threads that read its replies and its log.

    Its stderr is read into memory (the last lines, for the notice when it dies) rather
    than into a file: a full temporary disk must not make the engine fail on its log.
    """

    LOG_LINES = 20

    def __init__(self, command: Sequence[str], spec: dict[str, Any]) -> None:
        arg = json.dumps(spec)
        try:
            self.proc = subprocess.Popen(
                [*command, arg],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=environment(),
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as err:  # no memory, too many processes, no such program
            raise SpeechUnavailable(
                f"The speech engine could not be started ({why_not_written(err)}), so cues "
                "are shown but not spoken. The next cue will try again."
            ) from None
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.log: deque[str] = deque(maxlen=self.LOG_LINES)
        self.readers = [
            threading.Thread(target=self._read, name="speech-worker-reader", daemon=True),
            threading.Thread(target=self._read_log, name="speech-worker-log", daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                reply = json.loads(line)
            except json.JSONDecodeError:
                continue  # not a reply: the protocol has its own pipe, so this is noise
            if isinstance(reply, dict):
                self.replies.put(reply)
        self.replies.put(_EOF)

    def _read_log(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if line.strip():
                self.log.append(line.strip())

    def send(self, request: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except OSError:
            pass  # it died: the reader sees the end of its output

    def reply(self, timeout: float) -> dict[str, Any] | None:
        """The next reply, or None if the worker exited; raises ``queue.Empty`` on a hang."""
        return self.replies.get(timeout=timeout)

    def why_it_died(self) -> str:
        """The last line it logged (after ``close``, which reads its log to the end)."""
        return self.log[-1] if self.log else f"exit status {self.proc.poll()}"

    def close(self, grace: float = 2.0) -> None:
        with contextlib.suppress(OSError):
            if self.proc.stdin:
                self.proc.stdin.close()
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for reader in self.readers:
            reader.join()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


@dataclass(frozen=True)
class _Failure:
    why: str  # in a few words, for a fallback notice
    message: str  # for the person when no voice stands in


class WorkerClient:
    """A worker for one voice setting, started on first use and restarted on failure.

    ``spec`` is the worker's setting (``voice.worker``; a system voice's by default);
    ``engine`` the engine's id when it is known without starting the worker (a Piper
    voice's), so cached clips are found without one.

    A start that fails (the engine crashes as it starts, or never says it is ready) is
    remembered: until a back-off has passed (2 s, doubling up to a minute) each request
    fails at once with the same notice, instead of paying for another doomed start. An
    engine that is missing is remembered until ``retry``. ``retry`` (the person changed a
    setting, perhaps after fixing the engine) forgets both, so the next request tries.
    """

    def __init__(
        self,
        setting: VoiceSetting,
        command: Sequence[str] = WORKER_COMMAND,
        start_timeout: float = START_TIMEOUT,
        reply_timeout: float = REPLY_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
        *,
        spec: dict[str, Any] | None = None,
        engine: str | None = None,
        advice: str = ESPEAK_ADVICE,
    ) -> None:
        self.setting = setting
        self.voice: str | None = None  # the voice it speaks with, once started
        self._spec = spec or system_spec(setting)
        self._command = tuple(command)
        self._start_timeout = start_timeout
        self._reply_timeout = reply_timeout
        self._clock = clock
        self._advice = advice
        self._process: _Process | None = None
        self._engine = engine
        self._missing: _Failure | None = None
        self._doomed: _Failure | None = None  # why the last start failed, until ``_retry_at``
        self._retry_at = 0.0
        self._backoff = 0.0
        self._aborted = False

    def retry(self) -> None:
        """Forget a missing engine and a failed start: the next request starts a worker."""
        self._missing = self._doomed = None
        self._backoff = 0.0

    def start(self) -> str:
        """Start the worker (if it is not running); the voice it speaks with, as an id.
        Raises ``EngineFailed`` when it cannot start."""
        self._start()
        return self.voice or normal(self.setting.voice or SYSTEM)

    def _start(self) -> _Process:
        if self._aborted:
            raise SpeechUnavailable("The voice was closed.")
        if self._missing:
            raise EngineFailed(self._missing.message, self._missing.why)
        if self._process is not None:
            return self._process
        if self._doomed is not None and self._clock() < self._retry_at:
            raise EngineFailed(self._doomed.message, self._doomed.why)
        process = self._process = _Process(self._command, self._spec)  # abort() sees it
        timed_out = False
        try:
            hello = process.reply(self._start_timeout)
        except queue.Empty:
            hello, timed_out = None, True
        if not (hello and hello.get("ready")):
            self._process = None
            process.close(grace=0)
            if hello is not None:
                why = str(hello.get("message"))
                self._missing = _Failure(why, f"{why} Until then cues are shown, not spoken.")
                raise EngineFailed(self._missing.message, why)
            why = (
                f"the speech engine did not start within {self._start_timeout:.0f} s"
                if timed_out
                else f"the speech engine crashed as it started ({process.why_it_died()})"
            )
            self._doomed = _Failure(
                why,
                why[0].upper() + why[1:] + ", so cues are shown but not spoken. "
                f"{self._advice}StretchCoach tries again now and then, and at once when you "
                "change a setting.",
            )
            self._backoff = min(BACKOFF_MAX, 2 * self._backoff or BACKOFF_FIRST)
            self._retry_at = self._clock() + self._backoff
            raise EngineFailed(self._doomed.message, why)
        self._doomed = None
        self._backoff = 0.0
        self._engine = self._engine or str(hello["engine"])
        self.voice = hello.get("voice")
        return process

    @property
    def engine(self) -> str:
        """The engine and its version (starts the worker unless it is known)."""
        if self._engine is None:
            self._start()
        assert self._engine is not None
        return self._engine

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send ``request``; on a crash or hang, restart the worker and try once more."""
        problem = ""
        for _attempt in range(2):
            process = self._start()
            process.send(request)
            try:
                answer = process.reply(self._reply_timeout)
            except queue.Empty:
                answer, problem = None, f"stopped answering for {self._reply_timeout:.0f} s"
                process.close(grace=0)
            else:
                if answer is None:
                    process.close()
                    problem = f"crashed ({process.why_it_died()})"
            if answer is not None:
                if answer.get("ok"):
                    return answer
                if isinstance(answer.get("errno"), int):  # it could not write the file
                    raise OSError(answer["errno"], str(answer.get("message")), request.get("path"))
                raise SpeechUnavailable(f"The speech engine failed: {answer.get('message')}")
            self._process = None
        raise SpeechUnavailable(
            f"The speech engine {problem} twice, so this cue is shown but not spoken. "
            "The next cue will try again."
        )

    def synth(self, text: str, path: Path) -> float:
        """Write ``text`` as a WAV to ``path``; return its length in seconds.

        Raises ``OSError`` when the worker could not write the file (a full disk), and
        ``SpeechUnavailable`` when the engine cannot speak."""
        return float(self._ask({"op": "synth", "text": text, "path": str(path)})["seconds"])

    def voices(self) -> list[VoiceInfo]:
        """The engine's voices (a system engine's: Piper voices are files)."""
        engine = system_engine()[0]
        return [
            VoiceInfo(v["id"], engine, next(iter(v["languages"]), ""), v["name"])
            for v in self._ask({"op": "voices"})["voices"]
        ]

    def abort(self) -> None:
        """Kill the worker now, from any thread, and start no other: the app is closing."""
        self._aborted = True
        process = self._process
        if process is not None:
            with contextlib.suppress(OSError):
                process.proc.kill()

    def close(self) -> None:
        if self._process is not None:
            self._process.close()
            self._process = None


def _cache_trouble(err: OSError) -> str:
    """What is wrong with the speech cache, as the first words of a notice."""
    if err.errno in FULL:
        return "The disk holding the speech cache is full"
    if err.errno == errno.EROFS:
        return "The speech cache is on a read-only disk"
    if err.errno in NOT_ALLOWED:
        return "StretchCoach is not allowed to write to its speech cache"
    return f"The speech cache cannot be written to ({why_not_written(err)})"


def stand_in_parents() -> list[Path]:
    """Where a stand-in for a speech cache that cannot be written goes: the login
    session's private folder (in memory on most Linux systems, so it has room when the
    disk has none) if there is one, then the system's temporary folder."""
    runtime = runtime_dir()
    return [*([runtime] if runtime else []), Path(tempfile.gettempdir())]


class Synthesizer:
    """Cues as WAV clips: from the cache, or from a worker for the cue's voice setting.

    Runs one worker at a time, for the voice that speaks the latest setting: a new setting
    gets a fresh worker, so its rate and volume are set before that engine's first run;
    ``release`` ends it (the planner does when it has nothing left to make: a neural voice
    holds some 250 MB), and the next clip that is not cached starts one again.

    A voice that cannot start gives way to the next of its ``candidates`` (see the module
    docstring): ``fallback`` says which and why, until ``retry``. ``piper`` finds Piper
    voices' files; ``models`` is where the copies of them that sherpa-onnx loads are made.

    A cache that cannot take new clips (a full disk, a read-only folder, no permission)
    does not cost the voice: new clips go to a stand-in folder that lasts as long as this
    object, and ``problem`` says what is wrong until the cache takes clips again (tried
    with each new clip, and by copying in each clip found in the stand-in). Only when the
    stand-in cannot be written either is the cue unavailable. Leftovers of killed
    processes (scratch files, stand-in folders) are removed at the first clip and at close.
    """

    def __init__(
        self,
        cache: SpeechCache | None = None,
        command: Sequence[str] = WORKER_COMMAND,
        reply_timeout: float = REPLY_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
        *,
        piper: PiperVoices | None = None,
        models: Path | None = None,
    ) -> None:
        self.cache = cache or SpeechCache()
        self.command = tuple(command)
        self.reply_timeout = reply_timeout
        self.clock = clock
        self.piper = piper or PiperVoices()
        self.models = models or converted_voices_dir()
        self.problem: str | None = None  # why new clips are not kept, for the person
        self.fallback: str | None = None  # which voice stands in for the chosen one, and why
        self._clients: dict[VoiceSetting, WorkerClient] = {}
        self._unusable: dict[str, str] = {}  # voice id: why it cannot speak, until retry
        self._system_voices: list[VoiceInfo] | None = None
        self._lister: WorkerClient | None = None  # the worker listing the system's voices
        self._stand_in: SpeechCache | None = None
        self._holding = contextlib.ExitStack()  # the stand-in folder, in use while we live
        self._tidy = True
        self._aborted = False

    @property
    def notice(self) -> str | None:
        """What the person should know about the voice (None when all is well): which voice
        speaks instead of the chosen one and why, and why the cache keeps no clips."""
        return " ".join(part for part in (self.fallback, self.problem) if part) or None

    def clip(self, text: str, setting: VoiceSetting, *, fall_back: bool = True) -> Clip:
        """``text`` said with ``setting``'s voice, or (``fall_back``) the first of its
        candidates that can speak. Raises ``SpeechUnavailable`` when none can."""
        if self._tidy:
            self._tidy = False
            self.remove_leftovers()
        return self._first_that_speaks(setting, fall_back, lambda c: self._clip(c, text))

    def speaking(self, setting: VoiceSetting) -> str | None:
        """The id of the voice that speaks ``setting`` now (starting it, to know that it
        does), or None when none can."""
        try:
            return self._first_that_speaks(setting, True, WorkerClient.start)
        except SpeechUnavailable:
            return None

    def voices(self, setting: VoiceSetting) -> VoiceList:
        """Every voice there is here, natural voices first, and the one that speaks
        ``setting`` now. Starts that voice's worker, and briefly a system engine's."""
        natural, problems = self.piper.listing()
        if self._system_voices is None:
            # A worker of its own, beside the one making cues (which may be a neural voice's,
            # slow to start again); ``abort`` ends it too.
            lister = self._lister = WorkerClient(
                VoiceSetting(SYSTEM), self.command, reply_timeout=self.reply_timeout
            )
            if self._aborted:
                lister.abort()
            try:
                self._system_voices = lister.voices()
            except SpeechUnavailable as err:
                problems.append(f"No system voices: {err}")
            finally:
                lister.close()
                self._lister = None
        system = self._system_voices or []
        return VoiceList(
            tuple(natural + routines_language_first(system)),
            self.speaking(setting),
            tuple(problems),
        )

    def _first_that_speaks(
        self, setting: VoiceSetting, fall_back: bool, act: Callable[[WorkerClient], T]
    ) -> T:
        """``act`` with the worker of the first candidate voice that starts."""
        voices = candidates(setting.voice) if fall_back or setting.voice is None else []
        chain = [replace(setting, voice=v) for v in voices or [normal(setting.voice or SYSTEM)]]
        passed: list[tuple[str, str]] = []  # the voices that cannot speak, and why
        for candidate in chain:
            assert candidate.voice is not None
            last = candidate is chain[-1]
            why = None if last else self._unusable.get(candidate.voice)
            if why is None:
                try:
                    result = act(self._client(candidate))
                except EngineFailed as err:
                    if last:  # none can speak: each is tried again as its worker allows
                        for voice, _why in passed:
                            self._unusable.pop(voice, None)
                        raise SpeechUnavailable(_passed_over(passed) + str(err)) from None
                    why = self._unusable[candidate.voice] = err.why
                else:
                    if fall_back:
                        self.fallback = _stand_in(passed, candidate.voice)
                    return result
            passed.append((candidate.voice, why))
        raise AssertionError("the last candidate either speaks or raises")

    def _client(self, setting: VoiceSetting) -> WorkerClient:
        """The worker client for ``setting`` (a voice, not a choice of voices), made once;
        any other's worker is ended: one runs at a time."""
        client = self._clients.get(setting)
        if client is None:
            spec, engine = self._spec(setting)
            client = WorkerClient(
                setting,
                self.command,
                reply_timeout=self.reply_timeout,
                clock=self.clock,
                spec=spec,
                engine=engine,
                advice="" if engine else ESPEAK_ADVICE,
            )
            if len(self._clients) >= MAX_CLIENTS:
                self._clients.pop(next(iter(self._clients))).close()
            self._clients[setting] = client
            if self._aborted:  # after it is in the list: abort() sees it or this sees abort()
                client.abort()
        for other in self._clients.values():
            if other is not client:
                other.close()
        return client

    def _spec(self, setting: VoiceSetting) -> tuple[dict[str, Any], str | None]:
        """The worker's setting for this voice, and its engine id when known without a
        worker; raises ``EngineFailed`` for a Piper voice that cannot be used here."""
        assert setting.voice is not None
        if not setting.voice.startswith(PIPER):
            return system_spec(setting), None
        try:
            files = self.piper.files(setting.voice)
            sha256 = self.piper.checksum(files)
            engine = engine_id(sha256)
        except (VoiceUnavailable, OSError, PackageNotFoundError) as err:
            why = str(err) if not isinstance(err, PackageNotFoundError) else f"{err} is missing"
            raise EngineFailed(f"{why}.", why) from None
        spec = {
            "engine": "piper",
            "model": str(files.model),
            "sha256": sha256,
            "pinned": files.sha256 is not None,
            "folder": str(self.models),
            "rate": setting.rate,
            "volume": setting.volume,
        }
        return spec, engine

    def _clip(self, client: WorkerClient, text: str) -> Clip:
        setting = client.setting
        key = SpeechCache.key(text, setting, client.engine)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        if self._stand_in is not None and (hit := self._stand_in.get(key)) is not None:
            return self._adopt(key, hit)
        seconds = len(text.split()) * 60 / setting.rate + 2  # more than it will take
        client.start()  # an engine that cannot start makes no scratch file
        try:
            clip = self._make(client, text, key, self.cache, seconds)
        except OSError as err:
            self._cache_failed(err)
            cache_err = err
        else:
            self.problem = None
            return clip
        try:
            stand_in = self._stand_in_cache(seconds)
            return self._make(client, text, key, stand_in, seconds)
        except OSError as err:
            where = err.filename or "the temporary folder"
            raise SpeechUnavailable(
                f"{_cache_trouble(cache_err)} ({self.cache.folder}), and no temporary folder "
                f"can stand in for it ({where}: {why_not_written(err)}), so cues are shown "
                f"but not spoken. {how_to_fix(cache_err, self.cache.folder)} The voice comes "
                "back by itself."
            ) from None

    def _make(
        self, client: WorkerClient, text: str, key: str, cache: SpeechCache, seconds: float
    ) -> Clip:
        with cache.scratch(seconds) as scratch:
            client.synth(text, scratch)
            try:
                return cache.put(key, scratch)
            except DamagedClip as err:
                raise SpeechUnavailable(
                    f"The speech engine wrote a damaged clip ({err}), so this cue is shown "
                    "but not spoken. The next cue will try again."
                ) from None

    def _cache_failed(self, err: OSError) -> None:
        self.problem = (
            f"{_cache_trouble(err)} ({self.cache.folder}), so new cues are made afresh "
            f"each time instead of being kept; the voice is not affected. "
            f"{how_to_fix(err, self.cache.folder)}"
        )

    def _adopt(self, key: str, clip: Clip) -> Clip:
        """``clip`` from the stand-in, kept in the cache if the cache takes it now."""
        try:
            kept = self.cache.adopt(key, clip)
        except OSError as err:
            self._cache_failed(err)
            return clip
        except DamagedClip:  # damaged in the stand-in since: it is made again next time
            return clip
        self.problem = None
        return kept

    def _stand_in_cache(self, seconds: float) -> SpeechCache:
        """The stand-in for the cache: made on first need (again if it was removed), in the
        first of ``stand_in_parents`` with room for ``seconds`` of speech."""
        if self._stand_in is not None and self._stand_in.folder.is_dir():
            return self._stand_in
        self._release_stand_in()
        failure: OSError | None = None
        for parent in stand_in_parents():
            try:
                parent.mkdir(parents=True, exist_ok=True)
                need_room(parent, seconds)
                folder = Path(tempfile.mkdtemp(prefix=STAND_IN_PREFIX, dir=parent))
            except OSError as err:
                failure = err
                continue
            self._holding.enter_context(in_use(folder))
            self._stand_in = SpeechCache(folder, STAND_IN_MAX_BYTES)
            return self._stand_in
        assert failure is not None
        raise failure

    def _release_stand_in(self) -> None:
        self._holding.close()
        if self._stand_in is not None:
            remove_if_unused(self._stand_in.folder)
            self._stand_in = None

    def remove_leftovers(self) -> None:
        """Remove what killed processes left: scratch files in the cache, stand-in folders."""
        with contextlib.suppress(OSError):
            self.cache.remove_leftovers()
        for parent in stand_in_parents():
            for folder in parent.glob(f"{STAND_IN_PREFIX}*"):
                remove_if_unused(folder)

    def retry(self) -> None:
        """Try every voice again at the next cue, however it failed (see ``WorkerClient``)."""
        self._unusable.clear()
        self._system_voices = None
        self.fallback = None
        for client in self._clients.values():
            client.retry()

    def release(self) -> None:
        """End the running worker, giving its memory back; the next clip that is not
        cached starts it again."""
        for client in self._clients.values():
            client.close()

    def abort(self) -> None:
        """Kill the running worker without waiting (see ``WorkerClient.abort``)."""
        self._aborted = True
        for client in [*self._clients.values(), self._lister]:
            if client is not None:
                client.abort()

    def close(self) -> None:
        """Stop the worker, remove the stand-in folder and any leftovers."""
        self.release()
        self._release_stand_in()
        self.remove_leftovers()


def _title(voice: str) -> str:
    """How a notice names ``voice`` as the one that cannot speak."""
    if voice == NATURAL:
        return "Natural voice"
    if voice.startswith(PIPER):
        return f"The voice {voice.removeprefix(PIPER)}"
    name = voice.removeprefix(SYSTEM)
    return f"The {system_engine()[1]} voice" + (f" {name}" if name else "")


def _label(voice: str) -> str:
    """How a notice names ``voice`` as the one that speaks instead."""
    if voice == NATURAL:
        return "the natural voice"
    if voice.startswith(PIPER):
        return f"the voice {voice.removeprefix(PIPER)}"
    name = system_engine()[1]
    return name if voice == SYSTEM else f"{name} ({voice.removeprefix(SYSTEM)})"


def _passed_over(passed: list[tuple[str, str]]) -> str:
    return "".join(f"{_title(voice)} unavailable: {why}. " for voice, why in passed)


def _stand_in(passed: list[tuple[str, str]], voice: str) -> str | None:
    """The notice for ``voice`` speaking because the ones ``passed`` cannot (None: it is
    the chosen one)."""
    if not passed:
        return None
    reasons = "; ".join(f"{_title(v)} unavailable: {why}" for v, why in passed)
    return f"{reasons} — using {_label(voice)}."
