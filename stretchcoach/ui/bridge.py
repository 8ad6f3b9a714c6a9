"""The adapter between the Qt-free engine and the window: core events in, Qt signals out.

The engine calls its listeners with plain ``Event`` values and knows nothing of Qt; this
small QObject is one such listener and re-emits each event as a typed signal. It is
composition, not inheritance: no core class becomes a QObject. Qt's automatic connections
make the hop safe should an event ever come from another thread (they are queued then).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from stretchcoach.coach.ports import (
    CueRepeated,
    Event,
    Finished,
    HurtMarked,
    PaceChanged,
    Paused,
    PhaseStarted,
    Resumed,
    StepStarted,
)


class CoachSignals(QObject):
    step_started = Signal(object)  # StepStarted
    phase_started = Signal(object)  # PhaseStarted
    cue_repeated = Signal(object)  # CueRepeated
    paused = Signal(object)  # Paused
    resumed = Signal(object)  # Resumed
    pace_changed = Signal(object)  # PaceChanged
    finished = Signal(object)  # Finished
    hurt_marked = Signal(object)  # HurtMarked

    def __call__(self, event: Event) -> None:
        """The engine's listener: one signal per kind of event."""
        match event:
            case StepStarted():
                self.step_started.emit(event)
            case PhaseStarted():
                self.phase_started.emit(event)
            case CueRepeated():
                self.cue_repeated.emit(event)
            case Paused():
                self.paused.emit(event)
            case Resumed():
                self.resumed.emit(event)
            case PaceChanged():
                self.pace_changed.emit(event)
            case Finished():
                self.finished.emit(event)
            case HurtMarked():
                self.hurt_marked.emit(event)
