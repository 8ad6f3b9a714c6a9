"""The Qt binding under the window must not crash a long session.

PySide6 6.12.0 on CPython 3.11 returns ``None`` from every void method without taking a
reference to it (harmless from 3.12 on, where ``None`` is immortal). Each call then takes
one reference from ``None`` for good, and after a few thousand calls (about 20 seconds of
a session's animation) the interpreter aborts with "none_dealloc: deallocating None": the
person loses their session mid-stretch. This test makes that combination fail loudly
instead of in someone's living room. A fixed binding (PySide6 < 6.12 on Python 3.11, or
any Python from 3.12) passes it.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_leave_none_referenced(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for n in range(1000):
        label.setText(str(n))
        label.update()
    lost = before - sys.getrefcount(None)
    assert lost < 100, (
        f"{lost} references to None lost in 2000 Qt calls: this PySide6 on Python "
        f"{sys.version_info.major}.{sys.version_info.minor} will abort the app within "
        "seconds of a session (use PySide6 < 6.12 on Python 3.11, or Python >= 3.12)"
    )
