"""Screenshots of the real window for the README and docs/screenshots/.

The app is built exactly as ``stretchcoach`` builds it (``stretchcoach.ui.app.App``),
driven by its own keyboard actions, on a simulated clock so every picture shows the same
instant of the same breath. Each screen is shot in the light and the dark palette:

    picker, picker-first-run, settings, manual, manual-paused, breath, paused, keys, complete
    (light-*.png, dark-*.png)

Run it anywhere (it uses Qt's offscreen platform unless a display is set):

    python scripts/screenshots.py [--out docs/screenshots] [--size 1280x800]

Settings, routines of one's own and the speech cache come from a private temporary folder,
so the person's own files are neither read nor changed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QApplication, QWidget

    from stretchcoach.coach.session import Session
    from stretchcoach.coach.simclock import SimScheduler
    from stretchcoach.ui.controller import Controller
    from stretchcoach.ui.window import MainWindow

    Shot = Callable[..., None]  # shot(name, picture=window.grab)

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the tests' silent sound output



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1280x800", help="window size, WxH")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    home = tempfile.mkdtemp(prefix="stretchcoach-shots-")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(Path(home) / var.lower())
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    for dark in (False, True):
        for first_run in (True, False):
            for path in shoot(app, args.out, (width, height), dark=dark, first_run=first_run):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


def shoot(
    app: QApplication, out: Path, size: tuple[int, int], *, dark: bool, first_run: bool
) -> list[Path]:
    """Open the app once and shoot its screens in one palette; the paths of the PNGs."""
    from fake_output import SilentOutput

    from stretchcoach import settings as settings_store
    from stretchcoach.coach.simclock import SimScheduler
    from stretchcoach.settings import Settings, SettingsStore
    from stretchcoach.ui.app import App, Services
    from stretchcoach.ui.audio import VoicePlayer

    settings_store.save(Settings(seen_safety_note=not first_run, get_ready=0, mute=True))
    clock = SimScheduler(start=1000.0)

    def services(store: SettingsStore) -> Services:
        return Services(clock, VoicePlayer(store, output=SilentOutput()))

    stretchcoach = App(None, services)
    window = stretchcoach.window
    stretchcoach.show()
    window.resize(*size)
    window.apply_theme(dark)
    controller = stretchcoach.ready()
    window.show_notice("voice", None)  # a screenshot machine has no sound card; people do
    shots: list[Path] = []

    def shot(name: str, picture: Callable[[], QPixmap] = window.grab) -> None:
        for _ in range(3):
            app.processEvents()
        path = out / f"{'dark' if dark else 'light'}-{name}.png"
        picture().save(str(path))
        shots.append(path)

    if first_run:
        shot("picker-first-run")
    else:
        shot("picker")
        shoot_settings(app, window, controller, shot)
        window.actions_.start.trigger()
        assert controller.session is not None
        shoot_session(window, controller.session, clock, shot)
    stretchcoach.close()
    window.close()
    return shots


def shoot_session(
    window: MainWindow, session: Session, clock: SimScheduler, shot: Shot
) -> None:
    """A set-up step waiting and paused, a breath and its pause, then the end."""
    from stretchcoach.coach.ports import PhaseKind
    from stretchcoach.coach.states import State

    a = window.actions_
    while (phase := session.phase) is None or phase.kind is not PhaseKind.WAIT:
        clock.advance(0.25)
    for name, action in (("manual", a.media_pause), ("manual-paused", a.toggle)):
        shot(name)  # explained, it waits for Space; paused, the badge says what Space does
        action.trigger()
    while session.plans[session.step_index].step.is_manual:
        a.next.trigger()
    while (phase := session.phase) is None or (phase.kind, phase.cycle) != (PhaseKind.EXHALE, 2):
        clock.advance(0.05)
    clock.advance(phase.length * 0.45)
    shot("breath")
    a.toggle.trigger()
    shot("paused")
    a.toggle.trigger()
    shoot_keys(window, shot)
    while session.state is not State.FINISHED:
        clock.advance(600)
        if session.state is State.WAITING:
            a.next.trigger()
    shot("complete")


def shoot_keys(window: MainWindow, shot: Shot) -> None:
    """The key help (? or F1) over the session: shown without its modal loop, and grabbed
    with the window under it."""
    from stretchcoach.routine.safety import SAFETY_NOTE
    from stretchcoach.ui.key_help import KeyHelp

    dialog = KeyHelp(window.actions_, SAFETY_NOTE, window)
    dialog.show()
    shot("keys", lambda: overlaid(window, dialog))
    dialog.close()
    dialog.deleteLater()


def shoot_settings(
    app: QApplication, window: MainWindow, controller: Controller, shot: Shot
) -> None:
    """Settings as S opens it, with the voices listed (natural first, then the system's
    in the routines' language, then the rest), over the picker."""
    import time

    from stretchcoach.ui.settings_dialog import SettingsDialog

    deadline = time.monotonic() + 60
    while not controller.voices and time.monotonic() < deadline:  # listed by the worker
        app.processEvents()
        time.sleep(0.02)
    store = controller.store
    dialog = SettingsDialog(
        store.current,
        controller.voices,
        window,
        tap=lambda: None,
        preview=lambda _settings: None,
        save_reminder=store.update,
    )
    dialog.show()
    for _ in range(50):  # the reminder's state is read in the background
        app.processEvents()
        time.sleep(0.02)
    shot("settings", lambda: overlaid(window, dialog))
    dialog.close()
    dialog.deleteLater()


def overlaid(window: MainWindow, dialog: QWidget) -> QPixmap:
    """The window, shaded, with ``dialog`` in its middle: how a modal dialog is seen."""
    from PySide6.QtGui import QPainter

    picture = window.grab()
    painter = QPainter(picture)
    painter.setOpacity(0.6)
    painter.fillRect(picture.rect(), window.palette().shadow())
    painter.setOpacity(1.0)
    offset = (picture.size() - dialog.size()) / 2
    painter.drawPixmap(offset.width(), offset.height(), dialog.grab())
    painter.end()
    return picture


if __name__ == "__main__":
    raise SystemExit(main())
