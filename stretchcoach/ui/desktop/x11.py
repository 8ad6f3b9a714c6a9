"""Giving a window the keyboard on X11 with the time the person asked for it.

X11 window managers with focus-stealing prevention (Mutter, KWin, Xfwm) grant an
activation request only if its timestamp is later than the person's last input elsewhere.
Qt stamps its request with the last event *it* saw, which for a window raised by another
launch is older than the person's click in the launcher: the window would only blink in the
task bar. The launcher's startup id (``DESKTOP_STARTUP_ID``, forwarded by the later launch)
carries the click's time (``..._TIME<ms>``, the startup-notification specification), so
this module asks with that time, as GTK does, through Xlib on Qt's own display connection:

- with a window manager: ``_NET_STARTUP_ID`` and ``_NET_WM_USER_TIME`` on the window, and
  a ``_NET_ACTIVE_WINDOW`` message (source 1, an application) to the root window; the
  manager decides;
- with none (``_NET_SUPPORTING_WM_CHECK`` unset, as on a bare X server): the input focus
  itself (``XSetInputFocus``), which the X server also refuses if the time is older.

Without a startup id the time is ``CurrentTime`` (0), which managers treat as "unknown".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import re
from ctypes import POINTER, byref, c_int, c_long, c_ubyte, c_ulong, c_void_p
from functools import cache

log = logging.getLogger(__name__)
_TIME = re.compile(r"_TIME(\d+)$")
CLIENT_MESSAGE = 33
SUBSTRUCTURE_NOTIFY_AND_REDIRECT = (1 << 19) | (1 << 20)
REVERT_TO_PARENT = 2
PROP_MODE_REPLACE = 0
XA_CARDINAL = 6
XA_WINDOW = 33
FROM_AN_APPLICATION = 1


class _ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", c_int),
        ("serial", c_ulong),
        ("send_event", c_int),
        ("display", c_void_p),
        ("window", c_ulong),
        ("message_type", c_ulong),
        ("format", c_int),
        ("data", c_long * 5),
    ]


class _Event(ctypes.Union):
    _fields_ = [("xclient", _ClientMessage), ("pad", c_long * 24)]


def startup_time(token: str | None) -> int:
    """The X server time in a startup id; 0 (``CurrentTime``) when it has none."""
    found = _TIME.search(token or "")
    return int(found[1]) & 0xFFFFFFFF if found else 0


@cache
def _xlib() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("X11")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    lib.XDefaultRootWindow.restype = c_ulong
    lib.XDefaultRootWindow.argtypes = [c_void_p]
    lib.XInternAtom.restype = c_ulong
    lib.XInternAtom.argtypes = [c_void_p, ctypes.c_char_p, c_int]
    lib.XGetWindowProperty.argtypes = [
        c_void_p, c_ulong, c_ulong, c_long, c_long, c_int, c_ulong,
        POINTER(c_ulong), POINTER(c_int), POINTER(c_ulong), POINTER(c_ulong),
        POINTER(POINTER(c_ubyte)),
    ]  # fmt: skip
    lib.XFree.argtypes = [c_void_p]
    lib.XSendEvent.argtypes = [c_void_p, c_ulong, c_int, c_long, POINTER(_Event)]
    lib.XSetInputFocus.argtypes = [c_void_p, c_ulong, c_int, c_ulong]
    lib.XChangeProperty.argtypes = [
        c_void_p, c_ulong, c_ulong, c_ulong, c_int, c_int, c_void_p, c_int
    ]  # fmt: skip
    lib.XFlush.argtypes = [c_void_p]
    return lib


def _has_window_manager(lib: ctypes.CDLL, display: int, root: int) -> bool:
    check = lib.XInternAtom(display, b"_NET_SUPPORTING_WM_CHECK", 0)
    kind, fmt, count, after = c_ulong(), c_int(), c_ulong(), c_ulong()
    data = POINTER(c_ubyte)()
    lib.XGetWindowProperty(
        display, root, check, 0, 1, 0, XA_WINDOW,
        byref(kind), byref(fmt), byref(count), byref(after), byref(data),
    )  # fmt: skip
    if data:
        lib.XFree(data)
    return count.value > 0


def activate(display: int, window: int, startup_id: str | None) -> bool:
    """Ask for ``window`` to get the keyboard for the launch ``startup_id`` (see the module
    docstring); False when Xlib cannot be loaded (the caller then asks Qt)."""
    lib = _xlib()
    if lib is None:
        return False
    root = lib.XDefaultRootWindow(display)
    timestamp = startup_time(startup_id)
    if startup_id:  # the window manager ties the launch (and its busy cursor) to the window
        text = startup_id.encode()
        atom = lib.XInternAtom(display, b"_NET_STARTUP_ID", 0)
        utf8 = lib.XInternAtom(display, b"UTF8_STRING", 0)
        lib.XChangeProperty(display, window, atom, utf8, 8, PROP_MODE_REPLACE, text, len(text))
    if timestamp:
        user_time = c_ulong(timestamp)
        atom = lib.XInternAtom(display, b"_NET_WM_USER_TIME", 0)
        lib.XChangeProperty(
            display, window, atom, XA_CARDINAL, 32, PROP_MODE_REPLACE, byref(user_time), 1
        )
    if _has_window_manager(lib, display, root):
        event = _Event()
        message = event.xclient
        message.type, message.send_event, message.format = CLIENT_MESSAGE, 1, 32
        message.display, message.window = display, window
        message.message_type = lib.XInternAtom(display, b"_NET_ACTIVE_WINDOW", 0)
        message.data[0], message.data[1] = FROM_AN_APPLICATION, timestamp
        lib.XSendEvent(display, root, 0, SUBSTRUCTURE_NOTIFY_AND_REDIRECT, byref(event))
    else:
        lib.XSetInputFocus(display, window, REVERT_TO_PARENT, timestamp)
    lib.XFlush(display)
    return True
