"""The window's side of the desktop services: media keys without focus (MPRIS) and the
screen kept on while a session runs.

One derived picture drives both: ``player_state`` reads what the session and the window
say now (the session's state, the screen shown, which actions are enabled), after every
event of the session and every change of screen. The player shows it, and the screen is
kept on exactly while it says "Playing" (a session running: not paused, not on the picker
or the completion screen).

An MPRIS method is answered as the media key of the same name (``MEDIA_KEYS``): the
enabled action whose shortcut is that key is triggered, and from there it is the key's path
(window → controller → ``Session``, where ``primary_meaning`` decides what Play/Pause
does). Nothing here knows what a key means.

The step's illustration, as the window draws it, is saved as a PNG for the desktop's
media controls (``mpris:artUrl``), in the background.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence

from stretchcoach import paths
from stretchcoach.appid import APP_ID
from stretchcoach.coach.ports import StepStarted
from stretchcoach.coach.states import RUNNING, State
from stretchcoach.ui.controller import Controller
from stretchcoach.ui.desktop.background import Background
from stretchcoach.ui.desktop.inhibit import Inhibitor
from stretchcoach.ui.desktop.mpris import MediaPlayer, PlayerState, Track
from stretchcoach.ui.window import MainWindow

K = Qt.Key
MEDIA_KEYS = {
    "PlayPause": K.Key_MediaTogglePlayPause,
    "Play": K.Key_MediaPlay,
    "Pause": K.Key_MediaPause,
    "Next": K.Key_MediaNext,
    "Previous": K.Key_MediaPrevious,
    "Stop": K.Key_MediaStop,
}
TRACKS = "/" + APP_ID.replace(".", "/") + "/step"
ART_SIZE = 512  # pixels, the longer side: what a lock screen shows at most


class DesktopLink(QObject):
    """Connects the window and its controller to the desktop's player and inhibitor."""

    def __init__(self, window: MainWindow, controller: Controller) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.background = Background(self)
        self.player = MediaPlayer(self.background, self)
        self.inhibitor = Inhibitor(self.background, self)
        self._step: StepStarted | None = None
        self._art: str | None = None
        self.player.asked.connect(self.press)
        self.player.raise_requested.connect(self._raise)
        self.player.quit_requested.connect(window.close)
        s = controller.signals
        s.step_started.connect(self._on_step)
        for signal in (s.paused, s.resumed, s.finished):
            signal.connect(lambda _event: self.refresh())
        window.stack.currentChanged.connect(lambda _index: self.refresh())
        self.refresh()

    def press(self, method: str) -> None:
        """Do what the media key named by ``method`` does now (Play does nothing while
        playing, as MPRIS says; the Play key itself is Play/Pause)."""
        if method == "Play" and self.player.state.status == "Playing":
            return
        key = QKeySequence(MEDIA_KEYS[method])
        for action in self.window.actions():
            if action.isEnabled() and key in action.shortcuts():
                action.trigger()
                return

    def _enabled_for(self, method: str) -> bool:
        key = QKeySequence(MEDIA_KEYS[method])
        return any(a.isEnabled() and key in a.shortcuts() for a in self.window.actions())

    def refresh(self) -> None:
        state = self.player_state()
        self.player.show(state)
        self.inhibitor.hold(state.status == "Playing")

    def player_state(self) -> PlayerState:
        session = self.controller.session
        shown = self.window.current_screen() is self.window.session_view
        status = "Stopped"
        if session is not None and shown:
            status = (
                "Playing" if session.state in RUNNING
                else "Paused" if session.state is State.PAUSED else "Stopped"
            )  # fmt: skip
        track = self._track() if status != "Stopped" else None
        return PlayerState(
            status=status,
            can_play=self._enabled_for("Play"),
            can_pause=self._enabled_for("Pause"),
            can_next=self._enabled_for("Next"),
            can_previous=self._enabled_for("Previous"),
            track=track,
            position_us=self._position_us,
        )

    def _track(self) -> Track | None:
        session, step = self.controller.session, self._step
        if session is None or step is None:
            return None
        routine = _path_safe(self.controller.routine_id)
        return Track(
            trackid=f"{TRACKS}/{routine}/{step.index}",
            title=step.step.title,
            album=self.controller.routine_title,
            length_us=round(session.plans[step.index].length * 1e6),
            art_url=self._art,
        )

    def _position_us(self) -> int:
        session = self.controller.session
        if session is None or session.state in (State.IDLE, State.FINISHED):
            return 0
        plan = session.plans[session.step_index]
        return round(session.progress().step_fraction * plan.length * 1e6)

    def _on_step(self, event: StepStarted) -> None:
        self._step, self._art = event, None
        self.refresh()
        if self.player.serving:  # a picture for the desktop's media controls
            QTimer.singleShot(0, self, lambda: self._save_art(event))  # once the figure shows it

    def _save_art(self, event: StepStarted) -> None:
        view = self.window.session_view
        folder = paths.runtime_dir() or paths.cache_dir()
        if view is None or self._step is not event:
            return
        image = view.figure.grab().toImage().scaled(
            ART_SIZE, ART_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )  # fmt: skip
        routine = _path_safe(self.controller.routine_id)
        path = folder / "art" / f"{routine}-{event.index}.png"  # a new name, a new picture

        def save() -> str | None:
            path.parent.mkdir(parents=True, exist_ok=True)
            return path.as_uri() if image.save(str(path)) else None  # PNG, by its name

        def saved(url: str | None) -> None:
            if url and self._step is event:
                self._art = url
                self.refresh()

        self.background.run(save, saved)

    def _raise(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    def close(self) -> None:
        """Release the screen (the last call of the background thread), then stop it."""
        self.inhibitor.hold(False)
        self.background.close()


def _path_safe(routine_id: str | None) -> str:
    """A routine id as one element of a D-Bus object path (letters, digits, _)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", routine_id or "routine")
