"""The real screen reader for the end-to-end tests: Debian's Orca, speech-dispatcher and espeak-ng,
the AT-SPI bus, openbox and the application, all on one private D-Bus session under Xvfb.

What Orca says is read from its debug log: `SPEECH OUTPUT` lines for what it speaks of focus and
names, `SPEECH DISPATCHER: Speaking` lines for what say-all reads. Keys go through xdotool, as a
keyboard would send them. /work/shared/notes/screen-reader.md has the set-up facts this follows.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.e2e.xserver import free_display, wait_for

LAUNCHER = Path(__file__).with_name("orca_launcher.py")
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
TOOLS = ("Xvfb", "dbus-daemon", "openbox", "xdotool", "orca", "speech-dispatcher", "espeak-ng", "gsettings")
_SPEAKING = re.compile(r"SPEECH DISPATCHER: Speaking '(.*)' ?$")
_OUTPUT = re.compile(r"SPEECH OUTPUT: '(.*)'")


def missing_tools() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    missing += [p for p in (BUS_LAUNCHER, SYSTEM_PYTHON) if not Path(p).exists()]
    if not missing and subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi, orca"], capture_output=True).returncode:
        missing.append("python3-pyatspi / orca")
    return missing


def _ssml_text(ssml: str) -> str:
    """The words of speech-dispatcher's SSML (Orca's marks removed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", ssml)).split())


class Orca:
    """A running session: start(), then app(), key(), spoken(); stop() ends everything."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.log = folder / "orca-debug.log"
        self.env: dict[str, str] = {}
        self._processes: list[subprocess.Popen[bytes]] = []
        self._mark = 0

    # --- set-up

    def start(self) -> None:
        home = self.folder / "home"
        runtime = self.folder / "run"
        config = home / ".config"
        for folder in (home, runtime, config / "speech-dispatcher"):
            folder.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        # No sound card here: an ALSA null device; espeak-ng still synthesises, so say-all advances.
        (home / ".asoundrc").write_text("pcm.!default { type null }\nctl.!default { type hw card 0 }\n")
        (config / "speech-dispatcher" / "speechd.conf").write_text(
            'AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"\nDefaultModule espeak-ng\n'
            'AudioOutputMethod "alsa"\nDefaultLanguage "fr"\n'
        )
        display = free_display()
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "XDG_", "QT_"))}
        self.env = {
            **base,
            "DISPLAY": f":{display}",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(config),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            # A locale that exists: with one that is not generated, speech-dispatcher will not start.
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
        self._spawn(["Xvfb", f":{display}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"])
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{display}").exists(), 15, "Xvfb")
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._processes.append(bus)
        assert bus.stdout is not None
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
        bus.stdout.close()
        self._spawn([BUS_LAUNCHER, "--launch-immediately"])
        time.sleep(0.5)
        subprocess.run(
            ["gsettings", "set", "org.gnome.desktop.interface", "toolkit-accessibility", "true"],
            env=self.env,
            check=True,
            timeout=30,
            capture_output=True,
        )
        self._spawn(["openbox"])
        self._spawn([SYSTEM_PYTHON, str(LAUNCHER), str(self.log)], log="orca.out")
        self.wait_for_speech(lambda said: "Screen reader on." in said, 60, "Orca to start", since=0)

    def app(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Starts the application (a real xcb window, its accessibility on) and waits until Orca
        has spoken of it and gone quiet."""
        mark = self.mark()
        process = self._spawn(
            [sys.executable, "-m", "fiche_desktop", *args],
            log="app.out",
            env={
                **self.env,
                "QT_QPA_PLATFORM": "xcb",
                "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
                "QT_ACCESSIBILITY": "1",
                **(env or {}),
            },
        )
        self.wait_for_speech(lambda said: bool(said.strip()), 60, "the application's window", since=mark)
        self.quiet(1.0)
        return process

    def stop(self) -> None:
        for process in reversed(self._processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self._processes):
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def _spawn(
        self, argv: list[str], *, log: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        if log is None:
            process = subprocess.Popen(argv, env=env or self.env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        else:
            with (self.folder / log).open("ab") as out:  # the child keeps its own copy of the file
                process = subprocess.Popen(argv, env=env or self.env, stdout=out, stderr=subprocess.STDOUT)
        self._processes.append(process)
        return process

    # --- using it

    def key(self, *keys: str, settle: float = 0.0) -> None:
        """Presses keys one after the other (xdotool names: Tab, Return, ctrl+t, KP_Add…)."""
        for key in keys:
            subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=self.env, check=True, timeout=20)
            time.sleep(0.15)
        time.sleep(settle)

    def type(self, text: str) -> None:
        subprocess.run(["xdotool", "type", "--delay", "60", text], env=self.env, check=True, timeout=60)

    def _lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines() if self.log.exists() else []

    def mark(self) -> int:
        """A point in the log: spoken(since=mark) gives what was said after it."""
        return len(self._lines())

    def spoken(self, since: int = 0) -> list[str]:
        """Everything Orca had speech-dispatcher speak since the mark, in order, one utterance a line."""
        return [_ssml_text(m.group(1)) for line in self._lines()[since:] if (m := _SPEAKING.search(line))]

    def outputs(self, since: int = 0) -> list[str]:
        """Orca's SPEECH OUTPUT lines (what it says of focus, names and states) since the mark."""
        return [m.group(1) for line in self._lines()[since:] if (m := _OUTPUT.search(line))]

    def wait_for_speech(
        self, predicate: Callable[[str], bool], timeout: float, what: str, since: int | None = None
    ) -> str:
        """Waits until what was spoken since the mark (joined) satisfies predicate; returns it."""
        start = self.mark() if since is None else since
        deadline = time.monotonic() + timeout
        said = ""
        while time.monotonic() < deadline:
            said = " ".join(self.spoken(start))
            if predicate(said):
                return said
            time.sleep(0.2)
        raise AssertionError(f"Orca did not speak {what} within {timeout} s; it said: {said[-1500:]!r}")

    def quiet(self, seconds: float = 1.0, timeout: float = 30) -> None:
        """Waits until Orca has said nothing new for seconds (say-all finished, focus settled)."""
        deadline = time.monotonic() + timeout
        last, since = self.mark(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now = self.mark()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= seconds:
                return
