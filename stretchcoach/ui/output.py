"""The app's side of the sound output process (``stretchcoach.ui.output_process``).

``SoundOutput`` starts the process, hands it sounds to play and stops, and keeps it alive:
a process that says its stream is stuck, exits, crashes or stops answering pings is
replaced by a fresh one, after a short back-off that grows while it keeps failing, and at
once when the session needs the voice again (``wake``) — so the voice comes back as soon
as the sound server does. Meanwhile ``noticeChanged`` tells the person, in words, that
cues are shown but not spoken, and "" once sound plays again.

Nothing here waits on the process: requests are written to its stdin (``QProcess``
buffers them) and its events arrive as signals on the GUI thread.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from stretchcoach.children import environment, module_command
from stretchcoach.voice.mixer import Channel

OUTPUT_COMMAND = module_command("stretchcoach.ui.output_process")
START_SECONDS = 20.0
"""A new process that has not opened its output by then is hung (a stuck sound server)."""
PING_SECONDS = 2.0
ANSWER_SECONDS = 6.0
"""A process that has not answered a ping for this long is hung: it is killed."""
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
"""Seconds before each further try while the output keeps failing."""
WAKE_AFTER = 10.0
"""``wake`` starts a process at once if the last one started at least this long ago."""

NO_OUTPUT = (
    "No sound output was found, so cues are shown but not spoken. Connect speakers or "
    "headphones, or check the system's sound settings (on Linux: is PulseAudio or "
    "PipeWire running?)."
)
LOST = (
    "The sound output stopped answering, so cues are shown but not spoken. StretchCoach "
    "keeps trying and speaks again as soon as sound works (on Linux: is PulseAudio or "
    "PipeWire running?)."
)

log = logging.getLogger("sound")


class SoundOutput(QObject):
    """Plays WAV clips on two channels (voice, chime) through the output process.

    Signals: ``started(tag, channel, at)`` when a sound's first samples went out (``at``
    on the monotonic clock); ``badClip(tag, message)`` for a file that cannot be played;
    ``noticeChanged(str)``, a message for the person, "" when sound works.
    """

    started = Signal(int, str, float)
    badClip = Signal(int, str)
    noticeChanged = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        command: Sequence[str] = OUTPUT_COMMAND,
        backoff: Sequence[float] = BACKOFF,
    ) -> None:
        super().__init__(parent)
        self._command = tuple(command)
        self._backoff = tuple(backoff)
        self._failures = 0
        self._tags = itertools.count(1)
        self._process: QProcess | None = None
        self._device: str | None = None  # the device the process plays on, once it says
        self._waiting: dict[Channel, dict[str, object]] = {}  # plays for a starting process
        self._spawned_at = 0.0
        self._pinged_at: float | None = None  # a ping not yet answered
        self._notice = ""
        self._closing = False
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._spawn)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(round(PING_SECONDS * 1000))
        self._watchdog.timeout.connect(self._check)
        self._spawn()

    # --- what the voice uses ----------------------------------------------------------

    @property
    def notice(self) -> str:
        return self._notice

    @property
    def device(self) -> str | None:
        """The device the sound plays on; None while there is none (or it is starting)."""
        return self._device

    def play(self, channel: Channel, path: Path, gain: float = 1.0) -> int | None:
        """Play ``path`` on ``channel`` now, replacing what it played; the sound's tag, or
        None when there is no output to play it on. While the process is still opening
        its output, the latest sound of each channel waits for it."""
        if self._process is None:
            self.wake()
            return None
        tag = next(self._tags)
        request = {"op": "play", "channel": str(channel), "path": str(path), "tag": tag,
                   "gain": gain}  # fmt: skip
        if self._device is None:
            self._waiting[channel] = request
        else:
            self._send(request)
        return tag

    def stop(self, channel: Channel | None = None) -> None:
        """Silence one channel, or both."""
        for each in (channel,) if channel else tuple(Channel):
            self._waiting.pop(each, None)
        if self._device is not None:
            self._send({"op": "stop", "channel": str(channel) if channel else None})

    def wake(self) -> None:
        """Sound is wanted now: if the output is down, try again at once rather than at the
        end of its back-off (at most every ``WAKE_AFTER`` seconds)."""
        idle_for = time.monotonic() - self._spawned_at
        if self._process is None and not self._closing and idle_for >= WAKE_AFTER:
            self._retry.stop()
            self._spawn()

    def close(self) -> None:
        """End the process now (it holds nothing worth waiting for), and any replaced one
        still ending. Each is cut off from this object first: a ``QProcess`` destroyed
        while its program runs reports ``finished`` from its destructor, which reached
        this object's slots while it was itself being destroyed, and crashed the app."""
        self._closing = True
        self._retry.stop()
        self._watchdog.stop()
        self._process = None
        for process in self.findChildren(QProcess):
            process.blockSignals(True)  # nothing it says reaches a slot any more
            if process.state() != QProcess.ProcessState.NotRunning:
                process.kill()
                process.waitForFinished(2000)

    # --- the process ------------------------------------------------------------------

    def _spawn(self) -> None:
        if self._closing or self._process is not None:
            return
        process = QProcess(self)
        env = QProcessEnvironment()
        for name, value in environment().items():
            env.insert(name, value)
        process.setProcessEnvironment(env)
        process.readyReadStandardOutput.connect(lambda: self._read_events(process))
        process.readyReadStandardError.connect(lambda: self._read_log(process))
        process.finished.connect(lambda code, _status: self._ended(process, code))
        process.errorOccurred.connect(lambda error: self._failed_to_start(process, error))
        self._process, self._device = process, None
        self._spawned_at = time.monotonic()
        self._pinged_at = self._spawned_at  # the first answer due is its "output" event
        process.start(self._command[0], list(self._command[1:]))
        self._watchdog.start()

    def _send(self, request: dict[str, object]) -> None:
        if self._process is not None:
            self._process.write((json.dumps(request) + "\n").encode())

    def _check(self) -> None:
        """Ping the process; kill it if the last ping (or its start) went unanswered."""
        now = time.monotonic()
        if self._pinged_at is not None:
            limit = START_SECONDS if self._device is None else ANSWER_SECONDS
            if now - self._pinged_at > limit and self._process is not None:
                log.warning("the sound output process stopped answering; starting another")
                self._replace(LOST)
            return
        self._pinged_at = now
        self._send({"op": "ping"})

    def _read_events(self, process: QProcess) -> None:
        while process is self._process and process.canReadLine():
            line = bytes(process.readLine().data()).decode("utf-8", "replace")
            try:
                event = json.loads(line)
            except ValueError:
                log.warning("not an event from the sound output: %r", line[:200])
                continue
            self._on_event(event)

    def _on_event(self, event: dict[str, object]) -> None:
        kind = event.get("event")
        if kind == "pong":
            self._pinged_at = None
        elif kind == "output":
            self._pinged_at = None
            device, problem = event.get("device"), event.get("problem")
            self._device = str(device) if device else None
            if self._device is not None:
                log.info("sound plays on %s", self._device)
                self._failures = 0
                self._set_notice("")
                for request in self._waiting.values():
                    self._send(request)
                self._waiting.clear()
            else:
                if problem:
                    log.warning("sound output: %s", problem)
                self._replace(NO_OUTPUT)  # a fresh process is the one way to find a new server
        elif kind == "started":
            self.started.emit(
                int(str(event["tag"])), str(event["channel"]), float(str(event["at"]))
            )
        elif kind == "bad-clip":
            self.badClip.emit(int(str(event["tag"])), str(event.get("message", "")))
        elif kind == "stuck":
            log.warning("sound output: %s", event.get("message"))
            self._set_notice(LOST)

    def _read_log(self, process: QProcess) -> None:
        text = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            if line.strip():
                log.info("%s", line.removeprefix("stretchcoach: "))

    def _failed_to_start(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart and process is self._process:
            log.warning("the sound output process could not start: %s", process.errorString())
            self._forget(process)
            self._set_notice(LOST)
            self._retry_later()

    def _ended(self, process: QProcess, code: int) -> None:
        if process is not self._process:
            return  # one we replaced or closed
        log.warning("the sound output process ended (status %d); starting another", code)
        self._forget(process)
        if self._notice != NO_OUTPUT:
            self._set_notice(LOST)
        self._retry_later()

    def _replace(self, notice: str) -> None:
        """Give up on this process (kill it if it runs) and try a fresh one later."""
        process = self._process
        if process is not None:
            self._forget(process)
            process.kill()
        self._set_notice(notice)
        self._retry_later()

    def _forget(self, process: QProcess) -> None:
        self._process, self._device, self._pinged_at = None, None, None
        self._waiting.clear()
        self._watchdog.stop()
        process.finished.connect(process.deleteLater)
        if process.state() == QProcess.ProcessState.NotRunning:
            process.deleteLater()

    def _retry_later(self) -> None:
        if self._closing:
            return
        delay = self._backoff[min(self._failures, len(self._backoff) - 1)]
        self._failures += 1
        self._retry.start(round(delay * 1000))

    def _set_notice(self, text: str) -> None:
        if text != self._notice:
            self._notice = text
            self.noticeChanged.emit(text)
