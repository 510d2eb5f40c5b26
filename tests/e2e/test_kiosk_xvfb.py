"""The kiosk as a real X11 window under Xvfb and openbox: the keys that quit or close are
ignored, the window keeps covering the screen, and an idle session resets by itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.xvfb

WIDTH, HEIGHT = 1920, 1080
TOOLS = ("Xvfb", "openbox", "xdotool", "xwininfo", "xprop")


def free_display() -> int:
    for n in range(90, 200):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display number")


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def run(env: dict[str, str], *args: str, timeout: float = 10) -> str:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=True).stdout


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@pytest.fixture
def x_session() -> Iterator[dict[str, str]]:
    """A 1920×1080 Xvfb display with openbox as window manager."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"missing X11 test tools: {', '.join(missing)} (run scripts/install-system-deps.sh test)"
    n = free_display()
    env = {**os.environ, "DISPLAY": f":{n}"}
    xvfb = openbox = None
    try:
        xvfb = subprocess.Popen(
            ["Xvfb", f":{n}", "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{n}").exists(), 10, "Xvfb")
        openbox = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def wm_ready() -> bool:
            out = subprocess.run(
                ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env, capture_output=True, text=True
            ).stdout
            return "window id" in out

        wait_for(wm_ready, 10, "openbox")
        yield env
    finally:
        stop(openbox)
        stop(xvfb)


def window_geometry(env: dict[str, str], window: str) -> tuple[int, int, int, int, bool]:
    """x, y, width, height and whether the window is viewable, from xwininfo."""
    info = run(env, "xwininfo", "-id", window)

    def field(name: str) -> int:
        match = re.search(rf"{name}:\s+(-?\d+)", info)
        assert match, info
        return int(match.group(1))

    return (
        field("Absolute upper-left X"),
        field("Absolute upper-left Y"),
        field("Width"),
        field("Height"),
        "IsViewable" in info,
    )


def test_kiosk_window_resists_quit_keys_and_resets_by_itself(x_session: dict[str, str], tmp_path: Path) -> None:
    env = x_session
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text("idle_timeout_seconds = 5\nwarning_seconds = 2\n", encoding="utf-8")
    log_file = tmp_path / "kiosk.log"
    app_env = {**env, "QT_QPA_PLATFORM": "xcb"}
    with log_file.open("wb") as log:
        app = subprocess.Popen(
            [sys.executable, "-m", "fiche_desktop", "--kiosk", "--config", str(config_file)],
            env=app_env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        found = run(env, "xdotool", "search", "--sync", "--onlyvisible", "--pid", str(app.pid), timeout=30)
        window = found.split()[0]
        wait_for(lambda: window_geometry(env, window)[:4] == (0, 0, WIDTH, HEIGHT), 10, "a full-screen window")

        # A click dismisses the attract screen; then every key that would quit, close or leave
        # full screen. Alt+F4 is openbox's: it asks the window to close, which the kiosk refuses.
        run(env, "xdotool", "windowactivate", "--sync", window)
        run(env, "xdotool", "mousemove", str(WIDTH // 2), str(HEIGHT // 2), "click", "1")
        wait_for(lambda: "nouvelle visite" in log_file.read_text(encoding="utf-8"), 10, "the attract screen to go")
        for key in ("alt+F4", "ctrl+q", "ctrl+w", "Escape", "F11"):
            run(env, "xdotool", "key", key)
            time.sleep(0.2)
        time.sleep(0.5)
        assert app.poll() is None, log_file.read_text(encoding="utf-8")
        assert window_geometry(env, window) == (0, 0, WIDTH, HEIGHT, True)
        log_text = log_file.read_text(encoding="utf-8")
        assert "Demande de fermeture refusée" in log_text  # openbox's close request arrived
        for shortcut in ("Ctrl+Q", "Ctrl+W", "Esc", "F11"):
            assert f"Touche ignorée en mode kiosque : {shortcut}" in log_text, shortcut

        # Nobody touches it any more: the countdown, then the reset.
        wait_for(lambda: "session reset" in log_file.read_text(encoding="utf-8"), 20, "the idle reset")
        log_text = log_file.read_text(encoding="utf-8")
        assert log_text.index("avertissement affiché") < log_text.index("session reset")
        assert app.poll() is None
        assert window_geometry(env, window) == (0, 0, WIDTH, HEIGHT, True)
    finally:
        stop(app)
