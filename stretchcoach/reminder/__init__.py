"""The daily reminder: "Remind me" at a time on chosen weekdays, while StretchCoach is closed.

What the Settings dialog needs is here: ``apply(settings)`` (after saving the settings, off
the GUI thread: it runs ``systemctl``) makes what is installed match them and returns the
``Status``; ``status(settings)`` only looks; ``Status.words()`` says it for the person;
``ReminderError`` is raised, in words, when the reminder cannot be set or removed.

- ``schedule``: when it comes, in systemd's calendar and in words; the rule deciding, at a
  moment, whether to remind now, wait, or not today. Pure;
- ``install``: the systemd user timer or the login (autostart) entry that brings it;
- ``systemd``: ``systemctl --user``;
- ``reminded``: the day it last came, so it comes at most once a day;
- ``command``: ``stretchcoach remind`` (show it; ``--at``, ``--off``, ``--status``).

The notification itself is Qt's (``stretchcoach.ui.desktop.notify``): ``cli`` hands it to
``command.remind``, which imports it only when one is shown.
"""

from stretchcoach.reminder.install import ReminderError, Status, apply, status

__all__ = ["ReminderError", "Status", "apply", "status"]
