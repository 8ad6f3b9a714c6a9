"""Makes sherpa-onnx unimportable in this interpreter and its children (the speech worker
inherits PYTHONPATH), as on a machine where the natural-voice extra is not installed.

Put this folder on PYTHONPATH to prove that StretchCoach then speaks with the system
voice and says why.
"""

import importlib.abc
import sys


class _NoSherpa(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name.split(".")[0] == "sherpa_onnx":
            raise ModuleNotFoundError(f"No module named {name!r} (blocked: no natural voice)")


sys.meta_path.insert(0, _NoSherpa())
