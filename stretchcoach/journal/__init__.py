"""The practice journal: the SQLite store, the Progress screen's queries, the adapting rule and
CSV export and import. No Qt here: the window draws what these return.

- ``record``: one session as the journal keeps it (pydantic, strict), the single set of rules;
- ``schema``: the tables, their migrations (``PRAGMA user_version``), the write transaction;
- ``store``: the journal file: opening, saving, merging, reading; failures as plain words;
- ``progress``: calendar, streaks, pain over time, sides, marks, last done, pain trend;
- ``adapt``: which steps to offer to skip or make gentler, and why;
- ``cells``: a session as text cells and back (the CSV columns, ``journal log``'s options);
- ``csvfile``: export and import of CSV files, every problem located.

Importing this package imports none of them.
"""
