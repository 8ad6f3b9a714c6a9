"""The desktop's services over D-Bus (QtDBus): the reminder's notification, one instance
(``instance``); media keys (MPRIS) and screen-saver inhibition to come. Each degrades to
a log line where the desktop has no such service."""
