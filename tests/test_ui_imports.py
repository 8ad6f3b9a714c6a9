"""What the window's process does not import: memory it would hold for its whole life."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from app_process import run_offscreen


def test_the_built_app_leaves_out_what_it_does_not_use(tmp_path: Path) -> None:
    """Sound plays in the output process, SVG files are written by commands: the window's
    process loads neither QtMultimedia nor the XML escaping that brings in ``ssl``; and it
    hashes with Python's own SHA-256, without OpenSSL's libcrypto, to the same digests."""
    script = """
        import json, sys
        from PySide6.QtWidgets import QApplication
        qt = QApplication(sys.argv[:1])
        from stretchcoach.ui.app import App
        app = App(None)
        app.show()
        app.ready()
        app.close()
        import hashlib
        with open("/proc/self/maps") as maps:
            crypto = "libcrypto" in maps.read()
        print(json.dumps([hashlib.sha256(b"StretchCoach").hexdigest(), crypto]))
        print(json.dumps(sorted(name for name, m in sys.modules.items() if m is not None)))
        """
    *_, hashed, imported = run_offscreen(script, tmp_path)
    modules = set(json.loads(imported))
    assert "stretchcoach.ui.figure" in modules  # the session screen was built
    unwanted = {"PySide6.QtMultimedia", "ssl", "urllib.request", "stretchcoach.illustration.svg"}
    assert not modules & unwanted
    assert "hashlib" in modules and "_hashlib" not in modules  # pydantic brings hashlib
    digest, crypto = json.loads(hashed)  # this process, pytest's, has OpenSSL
    assert digest == hashlib.sha256(b"StretchCoach").hexdigest() and not crypto
