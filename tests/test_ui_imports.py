"""What the window's process does not import: memory it would hold for its whole life."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_built_app_leaves_out_what_it_does_not_use(tmp_path: Path) -> None:
    """Sound plays in the output process, SVG files are written by commands: the window's
    process loads neither QtMultimedia nor the XML escaping that brings in ``ssl``."""
    script = textwrap.dedent(
        """
        import json, sys
        from PySide6.QtWidgets import QApplication
        qt = QApplication(sys.argv[:1])
        from stretchcoach.ui.app import App
        app = App(None)
        app.show()
        app.ready()
        app.close()
        print(json.dumps(sorted(sys.modules)))
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(tmp_path / var.lower())
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "stretchcoach.ui.figure" in modules  # the session screen was built
    unwanted = {"PySide6.QtMultimedia", "ssl", "urllib.request", "stretchcoach.illustration.svg"}
    assert not modules & unwanted
