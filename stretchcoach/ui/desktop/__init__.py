"""The desktop's services over D-Bus (QtDBus): the reminder's notification, one instance
(``instance``), the media player the desktop's media keys reach (MPRIS), and the screen
kept on while a session runs. Each degrades to a log line where the desktop has no such
service."""
