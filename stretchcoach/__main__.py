"""``python -m stretchcoach``: the same entry point as the ``stretchcoach`` command."""

from stretchcoach.cli import main

raise SystemExit(main())
