"""The kiosk as a real X11 window under Xvfb and openbox: the keys that quit or close are
ignored, the window keeps covering the screen, and an idle session resets by itself."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.xserver import require_tools, run, stop, wait_for, xvfb

pytestmark = pytest.mark.xvfb

WIDTH, HEIGHT = 1920, 1080
TOOLS = ("Xvfb", "openbox", "xdotool", "xwininfo", "xprop", "wmctrl")


@pytest.fixture
def x_session() -> Iterator[dict[str, str]]:
    """A 1920×1080 Xvfb display with openbox as window manager."""
    require_tools(TOOLS)
    openbox = None
    with xvfb(WIDTH, HEIGHT) as env:
        try:
            openbox = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

            def wm_ready() -> bool:
                out = subprocess.run(
                    ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env, capture_output=True, text=True
                ).stdout
                return "window id" in out

            wait_for(wm_ready, 10, "openbox")

            # openbox announces itself before it has grabbed its keys: a key sent in between reaches
            # the focused window instead (a test would then see a window manager doing nothing).
            # Its keys are live once Ctrl+Alt+Right shows the next desktop.
            def keys_grabbed() -> bool:
                try:
                    before = current_desktop(env)
                    run(env, "xdotool", "key", "ctrl+alt+Right")
                    time.sleep(0.1)
                    if current_desktop(env) == before:
                        return False
                    run(env, "wmctrl", "-s", before)
                except (subprocess.CalledProcessError, StopIteration):  # its desktops not set up yet
                    return False
                return True

            wait_for(keys_grabbed, 10, "openbox's key bindings")
            time.sleep(1.5)  # openbox's desktop name popup (shown at each switch) is gone
            yield env
        finally:
            stop(openbox)


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
        # Alt+F4 closed nothing: openbox's close request was refused or, had openbox not
        # grabbed the key (the fixture waits until it has), the kiosk swallowed it.
        assert "Demande de fermeture refusée" in log_text or "Touche ignorée en mode kiosque : Alt+F4" in log_text
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


def kiosk_state(env: dict[str, str], window: str) -> tuple[bool, bool]:
    """(covers the screen and is viewable, openbox keeps it full screen and above)."""
    state = run(env, "xprop", "-id", window, "_NET_WM_STATE")
    return (
        window_geometry(env, window) == (0, 0, WIDTH, HEIGHT, True),
        "_NET_WM_STATE_FULLSCREEN" in state and "_NET_WM_STATE_ABOVE" in state,
    )


def current_desktop(env: dict[str, str]) -> str:
    return next(line.split()[0] for line in run(env, "wmctrl", "-d").splitlines() if line.split()[1] == "*")


def test_a_hostile_window_manager_cannot_take_the_kiosk_away(x_session: dict[str, str], tmp_path: Path) -> None:
    """Openbox as shipped by Debian (Super+D, several desktops, keys that move windows): whatever
    it or another client does to the window, the kiosk is back within a second, on the desktop
    shown, full screen and above."""
    env = x_session
    assert shutil.which("wmctrl"), "missing wmctrl (run scripts/install-system-deps.sh test)"
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text("idle_timeout_seconds = 600\n", encoding="utf-8")
    log_file = tmp_path / "kiosk.log"
    with log_file.open("wb") as log:
        app = subprocess.Popen(
            [sys.executable, "-m", "fiche_desktop", "--kiosk", "--config", str(config_file)],
            env={**env, "QT_QPA_PLATFORM": "xcb"},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        window = run(env, "xdotool", "search", "--sync", "--onlyvisible", "--pid", str(app.pid), timeout=30).split()[0]
        wait_for(lambda: kiosk_state(env, window) == (True, True), 10, "a full-screen kiosk")
        run(env, "xdotool", "mousemove", str(WIDTH // 2), str(HEIGHT // 2), "click", "1")
        # (action, what it does: "window" changes the kiosk window, which the watchdog notices
        # and puts back; "desktop" shows another desktop, where the kiosk, on all desktops, is too)
        actions: list[tuple[list[str], str]] = [
            (["xdotool", "key", "super+d"], "window"),  # openbox: show the desktop
            (["xdotool", "key", "ctrl+alt+Right"], "desktop"),  # openbox: go to the next desktop
            (["xdotool", "key", "shift+alt+Right"], "window"),  # openbox: send the window to the next one
            (["wmctrl", "-i", "-r", window, "-t", "1"], "window"),
            (["wmctrl", "-s", "0"], "desktop"),  # back to the first (the view is on the third)
            (["xdotool", "windowunmap", window], "window"),
            (["xdotool", "windowminimize", window], "window"),
            (["wmctrl", "-i", "-r", window, "-b", "remove,fullscreen"], "window"),
            (["wmctrl", "-i", "-r", window, "-b", "remove,above"], "window"),
        ]
        noticed = "Fenêtre du kiosque modifiée par un autre programme"

        def back() -> bool:
            desktop = run(env, "xprop", "-id", window, "_NET_WM_DESKTOP").split()[-1]
            on_desktop = desktop in ("4294967295", current_desktop(env))  # on every desktop, or this one
            return kiosk_state(env, window) == (True, True) and on_desktop

        for action, kind in actions:
            time.sleep(0.3)
            before = log_file.read_text(encoding="utf-8").count(noticed)
            desktop = current_desktop(env)
            start = time.monotonic()
            run(env, *action)
            if kind == "window":  # the watchdog saw the change: one more line in its log
                wait_for(lambda b=before: log_file.read_text(encoding="utf-8").count(noticed) > b, 2, str(action))
            else:  # another desktop is shown
                wait_for(lambda d=desktop: current_desktop(env) != d, 2, str(action))
            wait_for(back, 2, " ".join(action))
            elapsed = time.monotonic() - start
            assert elapsed <= 1.0, f"{action}: back after {elapsed:.2f} s"
            assert app.poll() is None, log_file.read_text(encoding="utf-8")
    finally:
        stop(app)
