"""Give the C heap back to the system: glibc's allocator keeps what was freed.

The window's process frees a good deal it never needs again: building the app (the
routines' validation, the first frame, pydantic's schemas) and each session (its
timeline, cues, the screens' text) leave freed blocks in glibc's heap, which stay
resident until the process ends. And every thread that allocates (the speech thread,
the journal's, the D-Bus and reader threads) gets an arena of its own, which holds its
freed blocks apart from the main heap. Measured with ``bench/memory.py``: one arena for
the whole process and a trim after the app is built and after each session keep 3-4 MB
less resident, for no time anyone can see (a trim takes well under a millisecond here).

Both are glibc's (``mallopt``, ``malloc_trim``); elsewhere (musl, macOS) they do nothing.
"""

from __future__ import annotations

import ctypes
import functools

M_ARENA_MAX = -8  # mallopt(3)'s parameter number, from glibc's <malloc.h>


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library if it is glibc (it has ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    except (OSError, AttributeError):
        return None
    return libc


def one_arena() -> bool:
    """Have every thread started from now on allocate from the same heap (threads'
    arenas each keep their own freed memory; this app's threads allocate little and
    seldom, so sharing one costs nothing). True if glibc took it."""
    libc = _glibc()
    return libc is not None and libc.mallopt(M_ARENA_MAX, 1) == 1


def trim() -> bool:
    """Return the heap's free memory to the system. True if glibc did (it had some)."""
    libc = _glibc()
    return libc is not None and libc.malloc_trim(0) == 1
