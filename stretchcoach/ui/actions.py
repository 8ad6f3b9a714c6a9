"""Every action a person can take in the window, with its keys.

One ``QAction`` per action: the keyboard shortcut and the big button trigger the same
object, so they can never disagree, and the button's tooltip and accessible description
show the keys. The media keys (Play/Pause, Next, Previous) are shortcuts like any other,
so they work whenever the window has focus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

K = Qt.Key


class Actions:
    """Every action of the window, by name, with its keys."""

    def __init__(self, window: QMainWindow) -> None:
        def make(text: str, *keys: QKeySequence | K) -> QAction:
            action = QAction(text, window)
            action.setShortcuts(
                [k if isinstance(k, QKeySequence) else QKeySequence(k) for k in keys]
            )
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setAutoRepeat(False)
            window.addAction(action)
            return action

        play = (K.Key_MediaPlay, K.Key_MediaTogglePlayPause)
        self.start = make("Start", K.Key_Space, *play)
        self.acknowledge = make("I understand")
        self.settings = make("Settings", QKeySequence("Ctrl+,"), K.Key_S)
        self.toggle = make("Pause", K.Key_Space, *play)
        self.media_pause = make("Pause", K.Key_MediaPause)
        self.previous = make("Previous", K.Key_Left, K.Key_MediaPrevious)
        self.repeat_step = make("Repeat step", K.Key_R)
        self.next = make("Next", K.Key_Right, K.Key_MediaNext)
        self.repeat_cue = make("Repeat cue", K.Key_C)
        self.stop = make("Stop", K.Key_Escape)
        self.tap = make("Tap pace", K.Key_T)
        self.hurt = make("This hurt", K.Key_H)  # marks the current step in the journal
        self.longer = make("Longer breaths", K.Key_Plus, K.Key_Equal)
        self.shorter = make("Shorter breaths", K.Key_Minus, K.Key_Underscore)
        self.again = make("Again", K.Key_Space, *play)
        self.choose = make("Choose another", K.Key_Escape)
        self.full_screen = make("Full screen", K.Key_F, K.Key_F11)
        self.quit = make("Quit", QKeySequence("Ctrl+Q"))
        self.progress = make("Progress", K.Key_P)
        self.back = make("Back", K.Key_Escape)
        self.offer_skip = make("Skip it this time", K.Key_1)
        self.offer_gentler = make("Gentler routine", K.Key_2)
        self.offer_keep = make("Keep it", K.Key_3)
        self.picker = (self.start, self.settings, self.progress)
        self.session = (
            self.toggle, self.media_pause, self.previous, self.repeat_step, self.next,
            self.repeat_cue, self.stop, self.tap, self.longer, self.shorter, self.hurt,
        )  # fmt: skip
        self.completion = (self.again, self.choose, self.progress)
        self.progress_screen = (self.back,)
        self.offer = (self.offer_skip, self.offer_gentler, self.offer_keep, self.choose)
