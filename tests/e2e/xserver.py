"""The X server of the end-to-end tests: the tools checked, a free display, Xvfb started and
stopped, waiting on X instead of sleeping."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

INSTALL_HINT = "run scripts/install-system-deps.sh test"


def require_tools(tools: Iterable[str], what: str = "X11 test tools", also_missing: Iterable[str] = ()) -> None:
    """Fails the test, naming them, when some of these programs (or the extra items) are missing."""
    missing = [tool for tool in tools if shutil.which(tool) is None] + list(also_missing)
    assert not missing, f"{what} missing: {', '.join(missing)} ({INSTALL_HINT})"


def free_display() -> int:
    """A display number from 100 to 299 with neither a lock nor a socket, from a random start (the
    machines that run this suite are shared)."""
    numbers = list(range(100, 300))
    start = random.randrange(len(numbers))
    for n in numbers[start:] + numbers[:start]:
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display number")


def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def run(env: dict[str, str], *args: str, timeout: float = 10) -> str:
    """The standard output of an X client run on env's display; raises when it fails."""
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


@contextmanager
def xvfb(width: int, height: int) -> Iterator[dict[str, str]]:
    """An Xvfb screen of that size; yields the environment whose DISPLAY is it. Stopped on exit."""
    require_tools(["Xvfb"])
    n = free_display()
    server = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def up() -> bool:
            assert server.poll() is None, f"Xvfb :{n} exited with {server.returncode}"
            return Path(f"/tmp/.X11-unix/X{n}").exists()

        wait_for(up, 10, "Xvfb")
        yield {**os.environ, "DISPLAY": f":{n}"}
    finally:
        stop(server)
