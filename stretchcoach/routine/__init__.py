"""Routines: the file format as pydantic models, and finding, loading and validating files.

- ``model``: the format (the single source of truth; ``stretchcoach schema`` prints it);
- ``safeyaml``: bytes to plain data, safely, with the line of every value;
- ``messages``: pydantic's errors as located, helpful problems (``problems``);
- ``loader``: one file to a validated ``Routine``, illustrations checked;
- ``expand``: sides and includes resolved into the steps the coach runs;
- ``catalog``: the bundled routines and the person's own, for the window and the commands;
- ``checks``: warnings for ``validate``;
- ``commands``: ``stretchcoach list``, ``validate`` and ``schema``;
- ``safety``: the first-run safety note.

Importing this package imports none of them, so the command line starts fast.
"""
