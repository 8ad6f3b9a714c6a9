"""Makes PySide6 unimportable in this interpreter, as on a machine without Qt.

Put this folder on PYTHONPATH to prove that the core (everything but stretchcoach.ui)
imports and runs without Qt.
"""

import importlib.abc
import sys


class _NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name.split(".")[0] in {"PySide6", "shiboken6", "pytestqt"}:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked: Qt-free run)")


sys.meta_path.insert(0, _NoQt())
