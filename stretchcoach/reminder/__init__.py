"""The daily reminder: "Remind me" at a time on chosen weekdays, while StretchCoach is closed.

- ``schedule``: when it comes, in systemd's calendar and in words; the rule deciding, at a
  moment, whether to remind now, wait, or not today. Pure;
- ``install``: the systemd user timer or the login (autostart) entry that brings it,
  installed and removed to match the settings (``apply``), and its ``Status`` in words;
- ``systemd``: ``systemctl --user``;
- ``reminded``: the day it last came, so it comes at most once a day;
- ``command``: ``stretchcoach remind`` (show it; ``--at``, ``--off``, ``--status``).

The notification itself is Qt's (``stretchcoach.ui.desktop.notify``), imported only when
one is shown. The Settings dialog calls ``install.apply(settings)`` after saving the
settings, off the GUI thread, and shows ``Status.words()``.
"""
