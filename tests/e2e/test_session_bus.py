"""Start-up with a session bus that is frozen (a dbus-daemon stopped with SIGSTOP): Qt waits for it
without end when the first window is built; the application leaves it and shows its window."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from fiche_desktop.session_bus import frozen
from tests.e2e.xserver import require_tools, xvfb

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(sys.platform != "linux", reason="the D-Bus session bus is the Linux desktop's"),
]


@contextmanager
def session_bus(stopped: bool) -> Iterator[str]:
    """A private dbus-daemon's address; stopped: frozen with SIGSTOP (it accepts, never answers)."""
    require_tools(["dbus-daemon"])
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    bus.stdout.close()
    if stopped:
        bus.send_signal(signal.SIGSTOP)
    try:
        yield address
    finally:
        bus.send_signal(signal.SIGCONT)
        bus.kill()
        bus.wait(10)


def test_a_frozen_bus_is_told_from_a_live_one_and_a_gone_one(tmp_path) -> None:
    with session_bus(stopped=False) as live:
        assert not frozen(live)
    with session_bus(stopped=True) as stuck:
        assert frozen(stuck)
    assert not frozen(f"unix:path={tmp_path / 'no-bus'}")  # gone: Qt gives up on it at once


def test_the_desk_shows_its_window_with_a_frozen_session_bus(tmp_path) -> None:
    """Before: no window after 120 s. Now: shown, and nothing on the error output but the sound line."""
    with xvfb(1280, 900) as env, session_bus(stopped=True) as stuck:
        out = subprocess.run(
            [sys.executable, "-m", "fiche_desktop"],
            env={
                **env,
                "DBUS_SESSION_BUS_ADDRESS": stuck,
                "QT_QPA_PLATFORM": "xcb",
                "FICHE_DESKTOP_BENCH_EXIT_WHEN_SHOWN": "1",
                "FICHE_DESKTOP_CONFIG_DIR": str(tmp_path),
                "PYTHONPATH": os.pathsep.join(sys.path),
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 0 and "SHOWN" in out.stdout, out.stderr[-2000:]
    assert [line for line in out.stderr.splitlines() if not line.startswith("PulseAudioService")] == []
