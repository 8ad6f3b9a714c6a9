"""The whole app on the offscreen platform, for the window's tests (``test_ui_*.py``).

The app is built exactly as ``stretchcoach`` builds it (``stretchcoach.ui.app.App``), from
the real bundled routines and settings files, with two stand-ins: a simulated clock (time
moves when a test says so) and a recording sound output instead of a sound card. Every key
goes to the window with ``qtbot.keyClick``, so it travels the same shortcut path as a real
key press. The ``make`` fixture (in ``conftest.py``) builds one.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fake_output import ChannelLog, FakeOutput
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from stretchcoach import settings as settings_store
from stretchcoach.coach.session import Session
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.coach.states import State
from stretchcoach.settings import Settings, SettingsStore
from stretchcoach.ui.app import App, Services
from stretchcoach.ui.audio import VoicePlayer
from stretchcoach.ui.session_view import SessionView
from stretchcoach.voice.synth import Synthesizer

# Said by the offscreen platform when a window shows, and by QTest when it types a media
# key; neither is about our code.
QT_NOISE = pytest.mark.qt_log_ignore("does not support propagateSizeHints", "keyToAscii")
K = Qt.Key


class Harness:
    def __init__(self, app: App, clock: SimScheduler, voice: ChannelLog) -> None:
        self.app, self.clock, self.voice = app, clock, voice
        self.window = app.window

    @property
    def session(self) -> Session:
        assert self.app.controller is not None and self.app.controller.session is not None
        return self.app.controller.session

    @property
    def view(self) -> SessionView:
        assert self.window.session_view is not None
        return self.window.session_view

    def press(
        self, qtbot: QtBot, key: K, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        qtbot.keyClick(self.window, key, modifier)

    def saved_settings(self) -> Settings:
        """The settings file as it is once the app's writer has saved every change."""
        writer = self.app.settings_writer
        assert writer is not None, "the settings are loaded"
        writer.flush()
        return settings_store.load().settings

    def played(self, text: str) -> bool:
        """Whether the voice handed ``text``'s clip to the sound output (once synthesized)."""
        services = self.app.services
        clip = services.voice.planner.clip(text) if services else None
        return clip is not None and f"play {clip.path.name}" in self.voice.calls

    def until_breathing(self, qtbot: QtBot) -> None:
        """Skip to a breath-paced step and into its first breath."""
        while self.session.plans[self.session.step_index].step.is_manual:
            self.press(qtbot, K.Key_Right)
        while self.session.state is not State.BREATHING:
            self.clock.advance(0.25)


Make = Callable[..., Harness]


def build(
    qtbot: QtBot,
    made: list[App],
    routine_id: str | None = None,
    *,
    synthesizer: Synthesizer | None = None,
    **changes: object,
) -> Harness:
    """The app with ``routine_id`` selected and these settings saved (a fast pace, no
    get-ready and the safety note seen, unless ``changes`` say otherwise;
    ``seen_safety_note=None``: no settings file at all), speaking with ``synthesizer``
    (the app's own unless given: a fault test's worker)."""
    base = {"seen_safety_note": True, "get_ready": 0.0, "inhale": 2.0, "exhale": 3.0}
    if changes.get("seen_safety_note", True) is not None:
        settings_store.save(Settings.model_validate({**base, **changes}))
    clock = SimScheduler(start=1000.0)
    output = FakeOutput(clock.now)

    def services(store: SettingsStore) -> Services:
        return Services(clock, VoicePlayer(store, synthesizer=synthesizer, output=output))

    app = App(routine_id, services)
    made.append(app)
    qtbot.addWidget(app.window)
    app.show()
    qtbot.waitExposed(app.window)
    app.window.activateWindow()
    qtbot.waitUntil(lambda: app.controller is not None)  # built after the first frame
    return Harness(app, clock, output.voice)


def start(h: Harness, qtbot: QtBot) -> None:
    h.press(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: h.window.current_screen() is h.window.session_view)


def to_first_manual_step(h: Harness, qtbot: QtBot) -> int:
    """Start the default routine and go to its first set-up step (in its introduction)."""
    start(h, qtbot)
    manual = [i for i, p in enumerate(h.session.plans) if p.step.is_manual]
    if not manual:
        pytest.skip("the default routine has no manual step")
    while h.session.step_index != manual[0]:
        h.press(qtbot, K.Key_Right)
    assert h.session.state is State.INTRO
    return manual[0]


def until_waiting(h: Harness) -> None:
    while h.session.state is not State.WAITING:
        h.clock.advance(0.25)


def visible(root: QWidget, kind: type[QWidget]) -> list[QWidget]:
    return [w for w in root.findChildren(kind) if w.isVisibleTo(root) and w.isVisible()]


def cut_texts(root: QWidget) -> list[str]:
    """The visible labels whose text does not fit the space the layout gave them."""
    cut = []
    for label in visible(root, QLabel):
        assert isinstance(label, QLabel)
        if not label.text():
            continue
        if label.wordWrap():
            fits = label.height() >= label.heightForWidth(label.width()) - 1
        else:
            fits = label.width() >= label.sizeHint().width() - 1
        if not fits:
            cut.append(label.text())
    return cut


def overlapping(root: QWidget) -> list[str]:
    """Visible sibling widgets that cover each other (the layouts should never allow it)."""
    found = []
    for parent in [root, *visible(root, QWidget)]:
        children = [
            c for c in parent.children()
            if isinstance(c, QWidget) and c.isVisible() and not c.isWindow()
        ]  # fmt: skip
        for i, first in enumerate(children):
            for second in children[i + 1 :]:
                if first.geometry().intersects(second.geometry()):
                    found.append(
                        f"{first.accessibleName() or type(first).__name__} / "
                        f"{second.accessibleName() or type(second).__name__}"
                    )
    return found
