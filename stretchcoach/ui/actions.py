"""Every action a person can take in the window, with its keys.

One ``QAction`` per action: the keyboard shortcut and the big button trigger the same
object, so they can never disagree, and the button's tooltip and accessible description
show the keys. The media keys (Play/Pause, Next, Previous, Stop) are shortcuts like any
other, so they work whenever the window has focus; without focus, the desktop sends them
over MPRIS and ``ui.desktop_link`` triggers the action whose shortcut is that key.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

K = Qt.Key


class Actions:
    """Every action of the window, by name, with its keys."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window  # its actions() are every key, these and any added later
        def make(text: str, *keys: QKeySequence | K, what: str = "") -> QAction:
            action = QAction(text, window)
            action.setShortcuts(
                [k if isinstance(k, QKeySequence) else QKeySequence(k) for k in keys]
            )
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setAutoRepeat(False)
            action.setWhatsThis(what or text)  # the key help's words for it
            window.addAction(action)
            return action

        play = (K.Key_MediaPlay, K.Key_MediaTogglePlayPause)
        self.start = make("Start", K.Key_Space, *play, what="Start the chosen routine")
        self.acknowledge = make("I understand")
        self.settings = make(
            "Settings", QKeySequence("Ctrl+,"), K.Key_S,
            what="Settings: breath pace, voice, sound and more",
        )  # fmt: skip
        self.help = make(
            "Keys", QKeySequence("?"), K.Key_F1, what="This list of keys, and the safety note"
        )
        self.toggle = make(
            "Pause", K.Key_Space, *play,
            what="Pause, and go on; once a set-up step is explained: I'm ready",
        )  # fmt: skip
        self.media_pause = make("Pause", K.Key_MediaPause)
        self.previous = make(
            "Previous", K.Key_Left, K.Key_MediaPrevious,
            what="The previous step; after the first breath, this step again",
        )  # fmt: skip
        self.repeat_step = make("Repeat step", K.Key_R, what="This step again from its start")
        self.next = make("Next", K.Key_Right, K.Key_MediaNext, what="The next step")
        self.skip_stretch = make(
            "Skip stretch", K.Key_X, QKeySequence("Shift+Right"),
            what="Skip the rest of this stretch, all its steps and sides",
        )  # fmt: skip
        self.repeat_cue = make("Repeat cue", K.Key_C, what="Say the last cue again")
        self.stop = make(
            "Stop", K.Key_Escape, K.Key_MediaStop, what="Stop the session (asks first)"
        )
        self.tap = make(
            "Tap pace", K.Key_T, what="Tap on each breath out, four times: the pace follows"
        )
        self.hurt = make(
            "This hurt", K.Key_H, what="This hurt: marks this step in your journal"
        )
        self.longer = make(
            "Longer breaths", K.Key_Plus, K.Key_Equal, what="Longer breaths (half a second)"
        )
        self.shorter = make(
            "Shorter breaths", K.Key_Minus, K.Key_Underscore,
            what="Shorter breaths (half a second)",
        )  # fmt: skip
        self.again = make("Again", K.Key_Space, *play, what="The same routine again")
        self.choose = make("Choose another", K.Key_Escape, what="Back to the list of routines")
        self.full_screen = make("Full screen", K.Key_F, K.Key_F11, what="Full screen, or not")
        self.quit = make("Quit", QKeySequence("Ctrl+Q"), what="Quit StretchCoach")
        self.progress = make(
            "Progress", K.Key_P, what="Your progress: days practised, streak, pain over time"
        )
        self.back = make(
            "Back", K.Key_Escape, what="Back to where you came from (← and → change the span)"
        )
        self.offer_skip = make("Skip it this time", K.Key_1, what="Skip that step this time")
        self.offer_gentler = make("Gentler routine", K.Key_2, what="The gentler routine instead")
        self.offer_keep = make("Keep it", K.Key_3, what="Keep that step")
        self.picker = (self.start, self.settings, self.progress)
        self.session = (
            self.toggle, self.media_pause, self.previous, self.repeat_step, self.next,
            self.skip_stretch, self.repeat_cue, self.stop, self.tap, self.longer, self.shorter,
            self.hurt,
        )  # fmt: skip
        self.completion = (self.again, self.choose, self.progress)
        self.progress_screen = (self.back,)
        self.offer = (self.offer_skip, self.offer_gentler, self.offer_keep, self.choose)
