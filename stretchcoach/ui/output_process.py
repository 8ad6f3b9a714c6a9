"""The sound output process: every sound the app makes, through one audio stream.

Why a process of its own, and why one stream:

- Qt 6.11's ``QSoundEffect`` (two of them, voice and chime, on one PulseAudio connection)
  froze the app within half a minute: a stopped sound's voice object is destroyed on the
  audio thread, and with it a ``QSocketNotifier`` that belongs to the GUI thread, whose
  event loop then spins on the dead descriptor ("Invalid socket N, disabling...", about
  25 MB of log a second). ``bench/qsoundeffect_freeze.py`` reproduces it. Here there is no
  ``QSoundEffect``: the cue and the chime are mixed (``stretchcoach.voice.mixer``) into a
  single ``QAudioSink`` that this process feeds in push mode from its own event loop.
- A stuck sound server blocks whoever talks to it: ``QAudioSink.start()`` waits for as long
  as the server does not answer, and a server that dies and comes back is never found
  again by the process that knew the old one. Out here, that costs only this process. It
  says when its stream stops moving (``stuck``) and exits; the app (``stretchcoach.ui.
  output``) starts a fresh one, which finds the server again, and kills one that stops
  answering altogether. The window, the keys and the session clock never wait on sound.

Protocol (JSON lines): requests on stdin, events on the process's original stdout (fd 1
is then pointed at stderr, so nothing a library prints can corrupt an event).

Requests::

    {"op": "play", "channel": "voice" | "chime", "path": "...", "tag": n, "gain": 0.0-1.0}
    {"op": "stop", "channel": "voice" | "chime" | null}          (null: both)
    {"op": "ping"}

Events::

    {"event": "output", "device": "name" | null, "problem": "..." | null}
        at start and whenever the output changes (headphones plugged in or out)
    {"event": "started", "tag": n, "channel": "voice" | "chime", "at": monotonic seconds}
        a sound's first samples went out
    {"event": "ended", "tag": n}                              its last samples went out
    {"event": "bad-clip", "tag": n, "message": "..."}         a file that cannot be played
    {"event": "pong"}
    {"event": "stuck", "message": "..."}                      then it exits (status 3)
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSink, QMediaDevices, QtAudio

from stretchcoach import logs
from stretchcoach.children import stay_with_the_app
from stretchcoach.ui import qtlog
from stretchcoach.voice.mixer import RATE, Channel, ClipError, Mixer, read_wav, scaled

BUFFER_SECONDS = 0.04
"""The stream's buffer: what is already on its way out when Pause stops a cue."""
FEED_MS = 10
"""How often the buffer is topped up while something plays (it idles otherwise)."""
STUCK_SECONDS = 4.0
"""A stream that takes no samples for this long, while it has some to play, is stuck. (A
stream can take most of a second to start on a busy machine, a Bluetooth headset longer.)"""
STUCK_STATUS = 3

log = logging.getLogger("sound")


def stream_format() -> QAudioFormat:
    fmt = QAudioFormat()
    fmt.setSampleRate(RATE)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return fmt


class Output(QObject):
    """The mixer, the stream it feeds, and the device the stream plays on."""

    def __init__(self, events: IO[str]) -> None:
        super().__init__()
        self._events = events
        self._mixer = Mixer()
        self._sink: QAudioSink | None = None
        self._stream: Any = None  # the QIODevice the sink reads from (push mode)
        self._device = QAudioDevice()
        self._processed = -1
        self._moved_at = 0.0  # when the stream last took samples
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FEED_MS)
        self._timer.timeout.connect(self._feed)
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._follow_default)
        self._follow_default()

    # --- requests ---------------------------------------------------------------------

    def request(self, line: str) -> None:
        try:
            message = json.loads(line)
            op = message["op"]
        except (ValueError, KeyError, TypeError):
            log.warning("not a request: %r", line[:200])
            return
        if op == "play":
            self._play(Channel(message["channel"]), Path(message["path"]),
                       int(message["tag"]), float(message.get("gain", 1.0)))  # fmt: skip
        elif op == "stop":
            channel = message.get("channel")
            sounding = self._mixer.active
            self._mixer.stop(Channel(channel) if channel else None)
            if sounding and not self._mixer.active:
                self._flush()
        elif op == "ping":
            self._send(event="pong")

    def _play(self, channel: Channel, path: Path, tag: int, gain: float) -> None:
        try:
            samples = scaled(read_wav(path), gain)
        except ClipError as err:
            self._send(event="bad-clip", tag=tag, message=str(err))
            return
        if self._stream is None:
            return  # no device: the window shows the words
        if channel is Channel.VOICE and self._mixer.playing(Channel.VOICE):
            self._flush()  # the cue it replaces stops now, not after the buffer
        self._mixer.play(channel, samples, tag)
        if not self._timer.isActive():
            self._moved_at = time.monotonic()
            self._timer.start()
        # Soon, not at the next tick: a cue starts on its boundary. After the requests
        # that came with this one (a breath turn's chime and cue), so they start together.
        QTimer.singleShot(0, self._feed)

    # --- the stream -------------------------------------------------------------------

    def _feed(self) -> None:
        sink = self._sink
        if sink is None or self._stream is None:
            self._timer.stop()
            return
        room = sink.bytesFree() // 2
        self._check_moving(sink, room)
        if room and self._mixer.active:
            block, marks = self._mixer.read(room)
            self._stream.write(block.tobytes())
            now = time.monotonic()
            for mark in marks:
                if mark.started:
                    self._send(event="started", tag=mark.tag, channel=mark.channel, at=now)
                else:
                    self._send(event="ended", tag=mark.tag)
        if not self._mixer.active:
            self._timer.stop()

    def _flush(self) -> None:
        """Silence now: drop what the stream holds (up to ``BUFFER_SECONDS``) and reopen it,
        rather than let it play out after Pause."""
        if self._sink is None:
            return
        self._sink.reset()
        self._stream = self._sink.start()
        self._processed = -1

    def _check_moving(self, sink: QAudioSink, room: int) -> None:
        """A stream that takes nothing while it has sound to play is stuck (its server is
        stopped or gone): say so and leave, so the app starts a process that reconnects."""
        processed, now = sink.processedUSecs(), time.monotonic()
        if room or processed != self._processed:
            self._processed, self._moved_at = processed, now
        elif self._mixer.active and now - self._moved_at > STUCK_SECONDS:
            self._send(event="stuck", message=f"the sound output took nothing for "
                                              f"{STUCK_SECONDS:g} s")  # fmt: skip
            os._exit(STUCK_STATUS)  # closing the stream could wait on the stuck server

    def _follow_default(self) -> None:
        """Play on the system's default output; it changes as headphones come and go."""
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            self._close()
            self._device = device
            self._send(event="output", device=None, problem=None)
        elif self._stream is None or device.id() != self._device.id():
            self._open(device)

    def _open(self, device: QAudioDevice) -> None:
        self._close()
        self._device = device
        fmt = stream_format()
        if not device.isFormatSupported(fmt):
            log.info("%s does not list %d Hz mono 16-bit; trying it anyway", device.description(),
                     RATE)  # fmt: skip
        sink = QAudioSink(device, fmt, self)
        sink.setBufferSize(round(BUFFER_SECONDS * RATE) * 2)
        stream = sink.start()
        if sink.error() != QtAudio.Error.NoError or stream is None:
            problem = f"{device.description()} could not be opened ({sink.error().name})"
            sink.deleteLater()
            self._send(event="output", device=None, problem=problem)
            return
        self._sink, self._stream = sink, stream
        self._processed = -1
        self._send(event="output", device=device.description(), problem=None)
        if self._mixer.active:  # a cue under way goes on on the new device
            self._timer.start()

    def _close(self) -> None:
        self._timer.stop()
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
        self._sink, self._stream = None, None

    def _send(self, **event: object) -> None:
        self._events.write(json.dumps(event) + "\n")
        self._events.flush()


class _Inbox(QObject):
    """Lines from stdin, read on a thread of their own and handed to the event loop."""

    line = Signal(str)
    closed = Signal()

    def read(self, source: IO[bytes]) -> None:
        for raw in source:
            self.line.emit(raw.decode("utf-8", "replace"))
        self.closed.emit()


def main() -> int:
    stay_with_the_app()
    events = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, not among the events
    sys.stdout = sys.stderr
    logs.configure(to_file=False, stderr_level=logging.INFO)  # the app logs our stderr
    qtlog.install()
    app = QCoreApplication(sys.argv[:1])
    output = Output(events)
    inbox = _Inbox()
    inbox.line.connect(output.request, Qt.ConnectionType.QueuedConnection)
    inbox.closed.connect(app.quit, Qt.ConnectionType.QueuedConnection)
    reader = threading.Thread(
        target=inbox.read, args=(sys.stdin.buffer,), name="requests", daemon=True
    )
    reader.start()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
