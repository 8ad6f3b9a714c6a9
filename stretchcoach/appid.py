"""Who StretchCoach is to the desktop: one application id, used everywhere a name must match.

The id is reverse-DNS (the freedesktop.org and AppStream convention) and is the name of
the ``.desktop`` file, the icon, the AppStream component, the reminder's systemd units and
autostart entry, the data folders and the D-Bus names (one instance's, ``desktop.instance``,
and the MPRIS player's); the window tells Qt it too, so the desktop can match the running
window to its menu entry. Names that must agree are taken from here and the tests check
the files that repeat them.

This module imports nothing of the package: anything may use it, cheaply.
"""

from __future__ import annotations

APP_ID = "io.github.stretchcoach.StretchCoach"
DISPLAY_NAME = "StretchCoach"
# The command ``pip install`` puts on the PATH (pyproject.toml's [project.gui-scripts]).
COMMAND = "stretchcoach"
DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"
