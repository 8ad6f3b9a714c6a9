"""StretchCoach as a media player on the session bus (MPRIS 2), so media keys, a headset's
button and ``playerctl`` drive the coach while the window has no focus.

The desktop (GNOME Shell, KDE's media controller, a headset daemon) sends MPRIS methods to
whichever player is active; the window's shortcuts only see keys while it has focus, and a
person on the mat never gives it focus. ``MediaPlayer`` serves the two interfaces
(``org.mpris.MediaPlayer2`` and ``.Player``) at ``/org/mpris/MediaPlayer2`` and knows
nothing of sessions: each method becomes an ``asked`` signal (the window answers it as the
matching key), and the window tells it what to show (``show(PlayerState)``), which it
announces with ``PropertiesChanged`` when something changed.

Methods are answered at once and acted on at the next turn of the event loop: Stop asks
"Stop this session?" in a modal dialog, and the caller must not wait for the person.

Owning the bus name is a round trip, so it runs in the ``Background`` thread; a second
instance takes ``…StretchCoach.instance<pid>``, as the specification suggests. Without a
session bus the app goes on, with one log line.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import ClassInfo, Property, QObject, QTimer, Signal, Slot
from PySide6.QtDBus import (
    QDBusAbstractAdaptor,
    QDBusConnection,
    QDBusConnectionInterface,
    QDBusMessage,
    QDBusObjectPath,
)

from stretchcoach.appid import APP_ID, DISPLAY_NAME
from stretchcoach.ui.desktop.background import Background
from stretchcoach.ui.desktop.bus import say_there_is_none

log = logging.getLogger(__name__)

PATH = "/org/mpris/MediaPlayer2"
ROOT = "org.mpris.MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
NAME = f"{ROOT}.{APP_ID}"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"  # the specification's "no track"


@dataclass(frozen=True)
class Track:
    """The step playing: ``trackid`` a D-Bus object path that stays the same for the step."""

    trackid: str
    title: str
    album: str
    length_us: int
    art_url: str | None = None

    def metadata(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "mpris:trackid": QDBusObjectPath(self.trackid),
            "xesam:title": self.title,
            "xesam:album": self.album,
            "mpris:length": self.length_us,
        }
        if self.art_url:
            data["mpris:artUrl"] = self.art_url
        return data


@dataclass(frozen=True)
class PlayerState:
    """What the player shows: ``status`` is "Playing", "Paused" or "Stopped"."""

    status: str = "Stopped"
    can_play: bool = False
    can_pause: bool = False
    can_next: bool = False
    can_previous: bool = False
    track: Track | None = None
    position_us: Callable[[], int] = field(default=lambda: 0, compare=False)

    def properties(self) -> dict[str, Any]:
        """The ``.Player`` properties that change (Position is read when asked, as the
        specification wants: it is not announced)."""
        return {
            "PlaybackStatus": self.status,
            "CanPlay": self.can_play,
            "CanPause": self.can_pause,
            "CanGoNext": self.can_next,
            "CanGoPrevious": self.can_previous,
            "Metadata": self.track.metadata() if self.track else {
                "mpris:trackid": QDBusObjectPath(NO_TRACK)
            },
        }  # fmt: skip


def _typed(qt_type: str, getter: Callable[[Any], Any]) -> Property:
    """A property of a Qt type named in words, which QtDBus maps to its D-Bus type
    (``QStringList``: as, ``QVariantMap``: a{sv}, ``qlonglong``: x); PySide's stub knows
    only Python types."""
    return Property(qt_type, getter)  # type: ignore[arg-type]


@ClassInfo({"D-Bus Interface": ROOT})  # type: ignore[call-arg]  # stub: kwargs
class _Root(QDBusAbstractAdaptor):  # type: ignore[operator]  # ClassInfo, as above
    def __init__(self, player: MediaPlayer, host: QObject) -> None:
        super().__init__(host)
        self._player = player

    @Slot()
    def Raise(self) -> None:
        QTimer.singleShot(0, self._player, self._player.raise_requested.emit)

    @Slot()
    def Quit(self) -> None:
        QTimer.singleShot(0, self._player, self._player.quit_requested.emit)

    CanQuit = Property(bool, lambda _self: True)
    CanRaise = Property(bool, lambda _self: True)
    HasTrackList = Property(bool, lambda _self: False)
    Identity = Property(str, lambda _self: DISPLAY_NAME)
    DesktopEntry = Property(str, lambda _self: APP_ID)
    SupportedUriSchemes = _typed("QStringList", lambda _self: [])
    SupportedMimeTypes = _typed("QStringList", lambda _self: [])


@ClassInfo({"D-Bus Interface": PLAYER})  # type: ignore[call-arg]  # stub: kwargs
class _Player(QDBusAbstractAdaptor):  # type: ignore[operator]  # ClassInfo, as above
    def __init__(self, player: MediaPlayer, host: QObject) -> None:
        super().__init__(host)
        self._player = player

    def _ask(self, method: str) -> None:
        QTimer.singleShot(0, self._player, lambda: self._player.asked.emit(method))

    @Slot()
    def PlayPause(self) -> None:
        self._ask("PlayPause")

    @Slot()
    def Play(self) -> None:
        self._ask("Play")

    @Slot()
    def Pause(self) -> None:
        self._ask("Pause")

    @Slot()
    def Next(self) -> None:
        self._ask("Next")

    @Slot()
    def Previous(self) -> None:
        self._ask("Previous")

    @Slot()
    def Stop(self) -> None:
        self._ask("Stop")

    # A coach cannot seek or open files (CanSeek is false); the methods exist, as required.
    @Slot("qlonglong")
    def Seek(self, _offset: int) -> None:
        pass

    @Slot(QDBusObjectPath, "qlonglong")
    def SetPosition(self, _track: QDBusObjectPath, _position: int) -> None:
        pass

    @Slot(str)
    def OpenUri(self, _uri: str) -> None:
        pass

    def _state(self) -> PlayerState:
        return self._player.state

    PlaybackStatus = Property(str, lambda self: self._state().status)
    Metadata = _typed("QVariantMap", lambda self: self._state().properties()["Metadata"])
    Position = _typed("qlonglong", lambda self: self._state().position_us())
    CanPlay = Property(bool, lambda self: self._state().can_play)
    CanPause = Property(bool, lambda self: self._state().can_pause)
    CanGoNext = Property(bool, lambda self: self._state().can_next)
    CanGoPrevious = Property(bool, lambda self: self._state().can_previous)
    CanControl = Property(bool, lambda _self: True)
    CanSeek = Property(bool, lambda _self: False)
    Rate = Property(float, lambda _self: 1.0)
    MinimumRate = Property(float, lambda _self: 1.0)
    MaximumRate = Property(float, lambda _self: 1.0)
    Volume = Property(float, lambda _self: 1.0)


class MediaPlayer(QObject):
    """The MPRIS object of the app; see the module docstring."""

    asked = Signal(str)  # the method: PlayPause, Play, Pause, Next, Previous or Stop
    raise_requested = Signal()
    quit_requested = Signal()

    def __init__(self, background: Background, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = PlayerState()
        self._bus = QDBusConnection.sessionBus()
        self.serving = self._bus.isConnected()  # else nobody can see the player
        self._host = QObject(self)
        self._adaptors = (_Root(self, self._host), _Player(self, self._host))
        if not self._bus.isConnected():
            say_there_is_none(self._bus.lastError().message())
            return
        self._bus.registerObject(PATH, self._host, QDBusConnection.RegisterOption.ExportAdaptors)
        background.run(_own_name)

    def show(self, state: PlayerState) -> None:
        """Show ``state``; what changed is announced to the desktop."""
        before, self.state = self.state.properties(), state
        changed = {k: v for k, v in state.properties().items() if before[k] != v}
        if changed and self._bus.isConnected():
            signal = QDBusMessage.createSignal(
                PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged"
            )
            signal.setArguments([PLAYER, changed, []])
            self._bus.send(signal)  # queued on the bus; nothing waits for it


def _own_name() -> None:
    """Take the player's bus name (in the background thread): the plain one, or, with
    another StretchCoach holding it, one for this instance."""
    bus = QDBusConnection.sessionBus()
    bus_names = bus.interface()
    for name in (NAME, f"{NAME}.instance{os.getpid()}"):
        reply = bus_names.registerService(
            name,
            QDBusConnectionInterface.ServiceQueueOptions.DontQueueService,
            QDBusConnectionInterface.ServiceReplacementOptions.DontAllowReplacement,
        )
        registered = QDBusConnectionInterface.RegisterServiceReply.ServiceRegistered.value
        if reply.isValid() and reply.value() == registered:
            return
    log.info("media keys without focus are off: the bus gave no player name")
