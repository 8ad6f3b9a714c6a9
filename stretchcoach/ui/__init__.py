"""Everything Qt: the composition root, the window and its widgets, the Qt scheduler and
the audio player, the desktop's services (``desktop``). The only package that imports
PySide6.

PySide6, once imported, sends every later import through a hook of its own
(``__feature_import__``) that reads the whole source of each module, looking for the word
"PySide6" for its optional ``from __feature__ import`` syntax, which this app does not use.
The sources stay in ``linecache``: 10 MB of the app's memory for its whole life, for
nothing. This package is imported before any Qt module (it is the parent of them all), so
it notes Python's own import function and puts it back once PySide6 is loaded. When
something imported PySide6 first (a test runner), the hook stays, harmlessly.

Being first, it is also where the process's threads are told to share one heap
(``heap.one_arena``): it must come before Qt or the app start any thread.

And where OpenSSL's hashes are not needed: pydantic imports ``secrets``, hence ``hmac``
and ``hashlib``, which load OpenSSL's libcrypto (3.3 MB resident: its relocations) for
nothing this process does with it. Blocking ``_hashlib`` before anything imports it gives
Python's built-in SHA-256 (the cache's keys, a person's voice file hashed once) and leaves
libcrypto out; the speech worker, a process of its own, keeps OpenSSL for the 60 MB model.
"""

import builtins
import sys

from stretchcoach import heap

heap.one_arena()
# None in sys.modules: "import _hashlib" raises ImportError, which hashlib and hmac expect.
sys.modules.setdefault("_hashlib", None)  # type: ignore[arg-type]

_python_import = builtins.__import__
import PySide6.QtCore  # noqa: E402, F401  (installs the hook)

builtins.__import__ = _python_import
