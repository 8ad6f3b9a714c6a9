"""The pieces of single instance that need no desktop (but PySide6): what a launch asks for, and the
time in a launcher's startup id (the whole thing runs for real in test_xvfb_instance.py)."""

from __future__ import annotations

import pytest

from stretchcoach.ui.desktop.instance import Request
from stretchcoach.ui.desktop.x11 import startup_time


@pytest.mark.parametrize(
    ("token", "time"),
    [
        ("gnome-shell-1234-host-stretchcoach-1_TIME98765", 98765),
        ("kwin-42_TIME4294967297", 1),  # an X timestamp is 32 bits and wraps
        ("0a1b2c-wayland-token", 0),  # a Wayland token carries no X time
        (None, 0),
    ],
)
def test_the_time_in_a_startup_id(token: str | None, time: int) -> None:
    assert startup_time(token) == time


def test_a_launch_forwards_the_token_its_launcher_gave_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("XDG_ACTIVATION_TOKEN", raising=False)
    monkeypatch.setenv("DESKTOP_STARTUP_ID", "launcher_TIME7")
    request = Request.of_this_launch("warm-up")
    assert request == Request("warm-up", "launcher_TIME7")
    assert request.platform_data() == {
        "activation-token": "launcher_TIME7",
        "desktop-startup-id": "launcher_TIME7",
    }
    monkeypatch.delenv("DESKTOP_STARTUP_ID")
    assert Request.of_this_launch(None).platform_data() == {}
