"""A screen reader's view of the running app, for ``test_xvfb_screen_reader.py``.

Run by the system's Python (``/usr/bin/python3``, with Debian's ``python3-pyatspi``), as
an assistive technology is, on the accessibility bus of the session it is given. It prints
one JSON object a line:

- ``dump``: the showing labels' names (their texts) and descriptions, once.
- ``listen``: ``{"ready": true}`` once listening, then each announcement with the labels
  at that moment, until ``--events`` announcements or ``--timeout`` seconds.
"""

import argparse
import json
import sys
import time

import pyatspi
from gi.repository import GLib


def say(**what):
    print(json.dumps(what), flush=True)


def find_app(name, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == name:
                return app
        time.sleep(0.1)
    raise SystemExit(f"no application named {name!r} on the accessibility bus")


def labels(root):
    """The showing labels' names (their texts) and descriptions (what they are)."""
    found = pyatspi.findAllDescendants(
        root,
        lambda a: a.getRoleName() == "label" and a.getState().contains(pyatspi.STATE_SHOWING),
    )
    return [[a.name, a.description] for a in found]


def listen(app, events, timeout):
    heard = []

    def on_announcement(event):
        heard.append(event.any_data)
        say(announcement=event.any_data, labels=labels(app))
        if len(heard) >= events:
            pyatspi.Registry.stop()

    pyatspi.Registry.registerEventListener(on_announcement, "object:announcement")
    GLib.timeout_add(int(timeout * 1000), pyatspi.Registry.stop)
    say(ready=True)
    pyatspi.Registry.start()
    return 0 if len(heard) >= events else 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("dump", "listen"))
    parser.add_argument("--app", default="StretchCoach")
    parser.add_argument("--events", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    app = find_app(args.app, args.timeout)
    if args.mode == "dump":
        say(labels=labels(app))
        return 0
    return listen(app, args.events, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
