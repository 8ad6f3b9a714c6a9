"""Talking to the speech worker process: start it, restart it, kill it when it hangs.

Every call here blocks (up to a timeout) and so runs off the GUI thread: in the voice's
background thread in the app, or in the command line's main thread. A worker that exits
is started again and the request retried once; one that does not answer in time is killed
and treated the same way; a worker that cannot start an engine is remembered, so each cue
does not pay for a doomed start. Failures become ``SpeechUnavailable`` with a message for
the person that says what is wrong and how to fix it.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from stretchcoach.children import environment, module_command
from stretchcoach.voice.cache import Clip, SpeechCache, VoiceSetting

WORKER_COMMAND = module_command("stretchcoach.voice.worker")
START_TIMEOUT = 20.0  # a cold Python start on a busy machine
REPLY_TIMEOUT = 20.0  # eSpeak says a long intro in well under a second


class SpeechUnavailable(Exception):
    """The voice cannot speak; ``str()`` is a message for the person, with the fix."""


@dataclass(frozen=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...]


_EOF = None


class _Process:
    """One running worker and the thread that reads its replies."""

    def __init__(self, command: Sequence[str], setting: VoiceSetting) -> None:
        arg = json.dumps({"voice": setting.voice, "rate": setting.rate, "volume": setting.volume})
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  (closed in close())
        self.proc = subprocess.Popen(
            [*command, arg],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=environment(),
            text=True,
            encoding="utf-8",
        )
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, name="speech-worker-reader", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                self.replies.put(json.loads(line))
            except json.JSONDecodeError:
                continue  # not a reply: the protocol has its own pipe, so this is noise
        self.replies.put(_EOF)

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
        self.stderr.seek(0)
        lines = self.stderr.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {self.proc.poll()}"

    def close(self, grace: float = 2.0) -> None:
        with contextlib.suppress(OSError):
            if self.proc.stdin:
                self.proc.stdin.close()
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.stderr.close()


class WorkerClient:
    """A worker for one voice setting, started on first use and restarted on failure."""

    def __init__(
        self,
        setting: VoiceSetting,
        command: Sequence[str] = WORKER_COMMAND,
        start_timeout: float = START_TIMEOUT,
        reply_timeout: float = REPLY_TIMEOUT,
    ) -> None:
        self.setting = setting
        self._command = tuple(command)
        self._start_timeout = start_timeout
        self._reply_timeout = reply_timeout
        self._process: _Process | None = None
        self._engine: str | None = None
        self._missing: str | None = None
        self._aborted = False

    def _start(self) -> _Process:
        if self._aborted:
            raise SpeechUnavailable("The voice was closed.")
        if self._missing:
            raise SpeechUnavailable(self._missing)
        if self._process is not None:
            return self._process
        process = self._process = _Process(self._command, self.setting)  # abort() sees it
        timed_out = False
        try:
            hello = process.reply(self._start_timeout)
        except queue.Empty:
            hello, timed_out = None, True
        if not (hello and hello.get("ready")):
            self._process = None
            why = process.why_it_died()
            process.close(grace=0)
            if timed_out:
                raise SpeechUnavailable(
                    f"The speech engine did not start within {self._start_timeout:.0f} s, "
                    "so cues are shown but not spoken. Restart StretchCoach to try again."
                )
            if hello is None:
                raise SpeechUnavailable(
                    f"The speech engine crashed as it started ({why}), "
                    "so cues are shown but not spoken. Reinstalling eSpeak NG may help: "
                    "sudo apt-get install --reinstall libespeak-ng1"
                )
            self._missing = f"{hello.get('message')} Until then cues are shown, not spoken."
            raise SpeechUnavailable(self._missing)
        self._engine = str(hello["engine"])
        return process

    @property
    def engine(self) -> str:
        """The engine and its version, as the worker reports it (starts the worker)."""
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
                    problem = f"crashed ({process.why_it_died()})"
                    process.close()
            if answer is not None:
                if not answer.get("ok"):
                    raise SpeechUnavailable(f"The speech engine failed: {answer.get('message')}")
                return answer
            self._process = None
        raise SpeechUnavailable(
            f"The speech engine {problem} twice, so this cue is shown but not spoken. "
            "The next cue will try again."
        )

    def synth(self, text: str, path: Path) -> float:
        """Write ``text`` as a WAV to ``path``; return its length in seconds."""
        return float(self._ask({"op": "synth", "text": text, "path": str(path)})["seconds"])

    def voices(self) -> list[VoiceInfo]:
        return [
            VoiceInfo(v["id"], v["name"], tuple(v["languages"]))
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


class Synthesizer:
    """Cues as WAV clips: from the cache, or from a worker for the cue's voice setting.

    Keeps one worker alive (the one for the latest setting): a new setting gets a fresh
    worker, so its rate and volume are set before that engine's first run.
    """

    def __init__(
        self,
        cache: SpeechCache | None = None,
        command: Sequence[str] = WORKER_COMMAND,
        reply_timeout: float = REPLY_TIMEOUT,
    ) -> None:
        self.cache = cache or SpeechCache()
        self.command = tuple(command)
        self.reply_timeout = reply_timeout
        self._client: WorkerClient | None = None
        self._aborted = False

    def client(self, setting: VoiceSetting) -> WorkerClient:
        if self._client is None or self._client.setting != setting:
            self.close()
            self._client = WorkerClient(setting, self.command, reply_timeout=self.reply_timeout)
            if self._aborted:
                self._client.abort()
        return self._client

    def clip(self, text: str, setting: VoiceSetting) -> Clip:
        client = self.client(setting)
        key = SpeechCache.key(text, setting, client.engine)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        scratch = self.cache.scratch()
        try:
            seconds = client.synth(text, scratch)
        except BaseException:
            scratch.unlink(missing_ok=True)
            raise
        return self.cache.put(key, scratch, seconds)

    def voices(self, setting: VoiceSetting) -> list[VoiceInfo]:
        return self.client(setting).voices()

    def abort(self) -> None:
        """Kill the running worker without waiting (see ``WorkerClient.abort``)."""
        self._aborted = True
        client = self._client
        if client is not None:
            client.abort()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
