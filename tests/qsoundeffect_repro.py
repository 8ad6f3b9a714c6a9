"""The freeze that made the app's sound a process of its own, reduced to its pattern.

    python tests/qsoundeffect_repro.py old|new SECONDS

At every breath-phase boundary (every 1.5 s) the chime is played and the next cue
replaces the one still sounding, as the app does. ``old`` does it the way StretchCoach
0.1 did: two ``QSoundEffect`` objects in the GUI process. ``new`` goes through the
app's ``SoundOutput``. Run it on a desktop's event loop (the xcb platform, on Xvfb) with a
PulseAudio server: with PySide6 6.11.3 ``old`` freezes within about 20 s -- a stopped
effect's voice is destroyed on PulseAudio's audio thread, taking with it a socket
notifier that belongs to the GUI thread, which then spins on the dead descriptor,
printing "QSocketNotifier: Invalid socket N and type 'Read', disabling..." hundreds of
thousands of times a second. ``new`` does not.

At every boundary it prints a line of JSON: the boundaries reached and the longest
event-loop stall so far (a 10 ms probe; ``stall_ms`` without the time the loop spent
waiting for a CPU other processes held, ``raw_stall_ms`` with it). Qt's own messages go
to stderr as usual (a message handler of ours would change the timing of the race):
whoever runs it counts the "QSocketNotifier" lines there, and stops it once they flood.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from desktop_helpers import MachineShare
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication

CHIME = Path(__file__).resolve().parent.parent / "assets" / "sounds" / "chime.wav"
BOUNDARY_MS = 1500


def main(design: str, seconds: float, cues: list[Path]) -> None:
    app = QApplication(sys.argv[:1])
    state = {"boundaries": 0, "stall_ms": 0.0, "raw_stall_ms": 0.0}
    last, machine = [time.monotonic()], MachineShare()

    def report() -> None:
        print(json.dumps(state), flush=True)

    if design == "old":
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        voice, chime = QSoundEffect(), QSoundEffect()
        for effect in (voice, chime):  # as StretchCoach 0.1 did: on the default device
            effect.setAudioDevice(QMediaDevices.defaultAudioOutput())

        def boundary() -> None:
            chime.stop()
            chime.setSource(QUrl.fromLocalFile(str(CHIME)))
            chime.play()
            voice.stop()
            voice.setSource(QUrl.fromLocalFile(str(cues[state["boundaries"] % len(cues)])))
            voice.play()
    else:
        from stretchcoach.ui.output import SoundOutput
        from stretchcoach.voice.mixer import Channel

        output = SoundOutput()
        app.aboutToQuit.connect(output.close)

        def boundary() -> None:
            output.play(Channel.CHIME, CHIME)
            output.play(Channel.VOICE, cues[state["boundaries"] % len(cues)])

    def tick() -> None:
        now, waited = time.monotonic(), machine.since_last()
        gap = (now - last[0]) * 1000 - 10
        state["raw_stall_ms"] = max(state["raw_stall_ms"], round(gap, 1))
        state["stall_ms"] = max(state["stall_ms"], round(gap - waited, 1))
        last[0] = now

    def next_boundary() -> None:
        state["boundaries"] += 1
        boundary()
        report()

    probe, phases = QTimer(), QTimer()
    probe.timeout.connect(tick)
    probe.start(10)
    phases.timeout.connect(next_boundary)
    phases.start(BOUNDARY_MS)
    QTimer.singleShot(round(seconds * 1000), app.quit)
    app.exec()
    report()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
