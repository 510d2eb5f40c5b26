"""Start-up without a screen reader's bus, or with a bus that is dead or hung: the time to the
first frame (xframe.py, from outside) against the same start with a working session bus, in the
same run, and what the application writes on its error output meanwhile (it should say nothing
alarming: a blind user's colleague without Orca must not see warnings)."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Lines Qt and the application may write that are not about the bus (no sound card here).
HARMLESS = ("PulseAudioService",)


@contextmanager
def session_bus(env: dict[str, str], then: str = "") -> Iterator[dict[str, str]]:
    """A private dbus-daemon (no AT-SPI registry on it); then: "" keeps it, "killed" kills it once
    its address is known, "stopped" freezes it (SIGSTOP: every call waits for its time-out)."""
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    bus.stdout.close()
    if then == "killed":
        bus.kill()
        bus.wait()
    elif then == "stopped":
        bus.send_signal(signal.SIGSTOP)
    try:
        yield {**env, "DBUS_SESSION_BUS_ADDRESS": address}
    finally:
        if bus.poll() is None:
            bus.send_signal(signal.SIGCONT)
            bus.kill()
            bus.wait()


def _no_bus(env: dict[str, str]) -> Iterator[dict[str, str]]:
    yield {k: v for k, v in env.items() if not k.startswith("DBUS_")}


CASES: dict[str, Callable[[dict[str, str]], object]] = {
    "bus de session (référence)": lambda env: session_bus(env),
    "aucun bus D-Bus": contextmanager(_no_bus),
    "bus arrêté net (processus tué)": lambda env: session_bus(env, "killed"),
    "bus figé (SIGSTOP)": lambda env: session_bus(env, "stopped"),
}


def measure(cmd: list[str], base_env: dict[str, str], runs: int) -> dict[str, tuple[float, list[str]]]:
    """Per case: the median first frame (seconds) and the lines written on stderr (harmless ones
    left out). Rounds alternate the cases; the first round is a warm-up."""
    from xframe import time_to_first_frame

    times: dict[str, list[float]] = {name: [] for name in CASES}
    said: dict[str, list[str]] = {name: [] for name in CASES}
    for round_ in range(runs + 1):
        for name, case in CASES.items():
            with case(dict(base_env)) as env, tempfile.TemporaryFile() as err:  # type: ignore[attr-defined]
                frame = time_to_first_frame(cmd, {**env, "QT_ACCESSIBILITY": "1"}, stderr=err)
                err.seek(0)
                lines = [x for x in err.read().decode(errors="replace").splitlines() if x.strip()]
            if round_:
                times[name].append(frame.painted)
                said[name].extend(x for x in lines if not x.startswith(HARMLESS) and x not in said[name])
    return {name: (statistics.median(values), said[name]) for name, values in times.items()}


def report_rows(report: object, cmd: list[str], base_env: dict[str, str], runs: int) -> None:
    """Adds one row per case to report (run.py's Report): median, ratio to the working bus, and
    whether anything was written on the error output."""
    results = measure(cmd, base_env, runs)
    reference = results["bus de session (référence)"][0]
    for name, (median, lines) in results.items():
        ratio = median / reference
        note = f"(ratio {ratio:.2f} ; sortie d’erreur : {'rien' if not lines else ' | '.join(lines)[:300]})"
        report.add(  # type: ignore[attr-defined]
            f"Première image sans lecteur d’écran – {name} (médiane de {runs})",
            f"{median * 1000:.0f} ms",
            "≤ 1,15 × référence, rien d’alarmant" if name != "bus de session (référence)" else "référence",
            None if name == "bus de session (référence)" else ratio <= 1.15 and not lines,
            note,
        )


if __name__ == "__main__":  # python benchmarks/a11y_buses.py ROUNDS (on $DISPLAY)
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "HOME": tempfile.mkdtemp(prefix="bench-home-")}
    for case, (median, lines) in measure([sys.executable, "-m", "fiche_desktop"], env, rounds).items():
        print(f"{case}: {median * 1000:.0f} ms; stderr: {lines or 'rien'}")
