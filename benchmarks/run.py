"""Performance harness: start-up, search, rendering, export, memory, against a bare Qt window.

Usage: make bench   (or: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run.py [--quick] [--write])
       benchmarks/run.py --search-only [--write]   (the search figures alone; --write replaces their rows)

Every figure is printed next to its budget; ratios are taken against a baseline measured in
the same run, so the machine's speed cancels out. --write updates benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))  # xframe
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CHILD = Path(__file__).with_name("child.py")
BARE = Path(__file__).with_name("bare_window.py")
FROZEN = ROOT / "dist" / "fiche-desktop" / ("fiche-desktop.exe" if os.name == "nt" else "fiche-desktop")


@dataclass
class Figure:
    name: str
    value: str
    budget: str
    ok: bool | None  # None: reported only
    note: str = ""


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)

    def add(self, name: str, value: str, budget: str = "", ok: bool | None = None, note: str = "") -> None:
        self.figures.append(Figure(name, value, budget, ok, note))
        status = {True: "OK", False: "DÉPASSÉ", None: ""}[ok]
        print(f"{name:<58} {value:>16}   budget : {budget or '—':<22} {status} {note}", flush=True)


def child(mode: str, *args: str, timeout: float = 600) -> dict[str, float]:
    """Runs benchmarks/child.py in a fresh process; returns the figures it prints."""
    t0 = time.perf_counter()
    env = {**os.environ, "FICHE_DESKTOP_CONFIG_DIR": tempfile.mkdtemp(prefix="bench-cfg-")}
    out = subprocess.run(
        [sys.executable, str(CHILD), mode, *args], capture_output=True, text=True, env=env, timeout=timeout
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(f"{mode} failed: {out.stderr[-2000:]}")
    figures = {"wall": wall}
    for line in out.stdout.splitlines():
        if "=" in line and not line.startswith("#"):  # '#' lines are notes (a missed query)
            key, value = line.split("=", 1)
            figures[key.strip()] = float(value)
    return figures


def startup(
    cmd: list[str], runs: int, base_env: dict[str, str] | None = None, ready: list[float] | None = None
) -> float:
    """Median seconds from process start to 'SHOWN' on stdout (the window's first paint); the
    times to 'READY' (what was deferred after the paint is built), when printed, go to ready."""
    times = []
    for _ in range(runs):
        env = {
            **(base_env or os.environ),
            "FICHE_DESKTOP_CONFIG_DIR": tempfile.mkdtemp(prefix="bench-cfg-"),
            "FICHE_DESKTOP_BENCH_EXIT_WHEN_SHOWN": "1",
        }
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("SHOWN"):
                times.append(time.perf_counter() - t0)
            elif line.startswith("READY") and ready is not None:
                ready.append(time.perf_counter() - t0)
        proc.wait(timeout=60)
    return statistics.median(times)


@contextlib.contextmanager
def x_server() -> Iterator[str | None]:
    """A private Xvfb display for the start-up runs (display 100 + random, one per run; its root
    painted black, so that a window not yet drawn is uniform), or None without Xvfb."""
    if not shutil.which("Xvfb"):
        yield None
        return
    display = f":{100 + random.randrange(400)}"
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x900x24", "-nolisten", "tcp", "-br"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    try:
        yield display
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def fresh_env(display: str) -> dict[str, str]:
    """A first start: a new empty HOME (no XDG_* folder of the caller), the X server, Qt on xcb;
    QtWebEngine (Zeal, Kiwix) without its sandbox, which refuses to run as root."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.pop("FICHE_DESKTOP_CONFIG_DIR", None)
    env.pop("FICHE_DESKTOP_BENCH_EXIT_WHEN_SHOWN", None)
    env.update(
        HOME=tempfile.mkdtemp(prefix="bench-home-"),
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QTWEBENGINE_DISABLE_SANDBOX="1",
    )
    return env


def app_command() -> list[str]:
    """Fiche Desktop as installed: the `fiche-desktop` launcher beside this interpreter (pip's
    console script), else `python -m fiche_desktop`."""
    launcher = Path(sys.executable).with_name("fiche-desktop")
    return [str(launcher)] if launcher.exists() else [sys.executable, "-m", "fiche_desktop"]


def first_frames(report: Report, display: str, runs: int) -> None:
    """From outside: spawn to the first non-uniform frame of the program's window (xframe.py),
    alternated rounds (one of each program per round, one uncounted warm-up round), medians,
    ratios against the bare PySide6 window of the same run."""
    from xframe import time_to_first_frame

    programs = {
        "bare": [sys.executable, str(BARE)],
        "app": app_command(),
        "Zeal": ["zeal"],
        "Kiwix": ["kiwix-desktop"],
    }
    programs = {k: v for k, v in programs.items() if k in ("bare", "app") or shutil.which(v[0])}
    if FROZEN.exists():  # make frozen's folder, as the .deb installs it
        programs = {"bare": programs["bare"], "app": programs["app"], "frozen": [str(FROZEN)], **programs}
    frames: dict[str, list[float]] = {name: [] for name in programs}
    maps: dict[str, list[float]] = {name: [] for name in programs}
    grabs, grab_seconds = 0, 0.0
    for round_ in range(runs + 1):
        for name, cmd in programs.items():
            frame = time_to_first_frame(cmd, fresh_env(display))
            if round_:  # the first round warms the disk cache, uncounted
                frames[name].append(frame.painted)
                maps[name].append(frame.mapped)
                grabs += frame.grabs
                grab_seconds += frame.grab_seconds
    med = {name: statistics.median(values) for name, values in frames.items()}
    mapped = {name: statistics.median(values) for name, values in maps.items()}
    label = {"bare": "Fenêtre nue PySide6", "app": "Application (fiche-desktop)", "frozen": "Application figée"}
    poll = grab_seconds / max(1, grabs) * 1000
    best = {name: min(values) for name, values in frames.items()}  # the least disturbed passage
    for name in programs:
        note = f"(fenêtre affichée, MapNotify : {mapped[name] * 1000:.0f} ms"
        if name != "bare":
            note += f" ; ratio {med[name] / med['bare']:.2f}"
        if name not in ("bare", "app", "frozen"):
            note += f" ; application / {name} : {med['app'] / med[name]:.2f}"
        note += f" ; meilleur passage {best[name] * 1000:.0f} ms"
        if name != "bare":
            note += f", ratio {best[name] / best['bare']:.2f}"
        note += ")"
        if name == "bare":
            budget, ok = "référence", None
        elif name in ("app", "frozen") and "Zeal" in med:
            budget, ok = "≤ Zeal", med[name] <= med["Zeal"]
        else:
            budget, ok = "rapporté", None
        report.add(
            f"{label.get(name, name)} : première image, vue de l'extérieur (médiane de {runs})",
            f"{med[name] * 1000:.0f} ms",
            budget,
            ok,
            note,
        )
    if not {"Zeal", "Kiwix"} & set(programs):
        report.add("Zeal et Kiwix", "non installés", "", None, "(scripts/install-system-deps.sh bench)")
    unpacked = shiboken_support_unpacked()
    report.add(
        "Environnement : modules de PySide6 (shibokensupport) décompressés",
        "oui" if unpacked else "non",
        "rapporté",
        note="(scripts/prepare_start.py, lancé par make setup)" if unpacked else "(python scripts/prepare_start.py)",
    )
    report.add(
        "Première image : durée moyenne d’une capture (à l’affichage, à chaque changement, toutes les 20 ms)",
        f"{poll:.1f} ms",
        "rapporté",
        note=f"(serveur X Xvfb {display}, {grabs} captures)",
    )


def shiboken_support_unpacked() -> bool:
    """Whether scripts/prepare_start.py has written shiboken6/files.dir in this environment (every
    PySide6 program, the bare window included, then starts without decoding and compiling it)."""
    import importlib.util

    spec = importlib.util.find_spec("shiboken6")
    return spec is not None and spec.origin is not None and (Path(spec.origin).parent / "files.dir").is_dir()


def startups(report: Report, runs: int, big: Path) -> None:
    """From outside (first_frames), then from inside: the time to the 'SHOWN' line the
    application prints at its first paint (the bare window prints it too), for the deferred
    part ('READY'), the 10,000-fiche base and the frozen folder, alternated on the same X server."""
    with x_server() as display:
        # Measured on a quiet disk and warm caches: the 10,000-fiche base (and `make frozen`'s
        # folder) just written would otherwise be flushed during the first rounds.
        if hasattr(os, "sync"):
            os.sync()
        if display:
            first_frames(report, display, max(3, runs // 2 + 1))
            import a11y_buses  # no bus, a bus killed, a frozen bus: against a working one

            a11y_buses.report_rows(report, app_command(), fresh_env(display), max(3, runs // 4 + 1))
        env_x = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display} if display else None
        platform_env = env_x or {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        programs = {
            "bare": [sys.executable, str(CHILD), "bare-window"],
            "app": [sys.executable, "-m", "fiche_desktop"],
            "real-db": [sys.executable, "-m", "fiche_desktop", "--db", str(ROOT / "data.db")],
            "big-db": [sys.executable, "-m", "fiche_desktop", "--db", str(big)],
        }
        paint: dict[str, list[float]] = {name: [] for name in programs}
        ready: dict[str, list[float]] = {name: [] for name in programs}
        for cmd in programs.values():  # the warm-up is not counted
            startup(cmd, 1, platform_env)
        for _ in range(runs):  # alternated: each program once per round
            for name, cmd in programs.items():
                paint[name].append(startup(cmd, 1, platform_env, ready[name]))
        # On the same X server as the others, while it still runs.
        fz = startup([str(FROZEN)], runs, platform_env) if FROZEN.exists() else None
    med = {name: statistics.median(values) for name, values in paint.items()}
    where = f"serveur X Xvfb {display}" if display else "Qt offscreen"
    report.add(
        f"Mesure interne, fenêtre nue : premier affichage signalé (médiane, {where})",
        f"{med['bare'] * 1000:.0f} ms",
        "référence",
    )
    ratio = med["app"] / med["bare"]
    report.add(
        "Mesure interne, application : premier affichage signalé",
        f"{med['app'] * 1000:.0f} ms",
        "≤ 1,3 × fenêtre nue",
        ratio <= 1.3,
        f"(ratio {ratio:.2f})",
    )
    if ready["app"]:
        ready_app = statistics.median(ready["app"])
        report.add(
            "Mesure interne, application : prête (menus, raccourcis, traductions de Qt construits après l’affichage)",
            f"{ready_app * 1000:.0f} ms",
            "rapporté",
            note=f"(ratio {ready_app / med['bare']:.2f})",
        )
    ratio_big = med["big-db"] / med["real-db"]
    report.add(
        "Premier affichage, base de 10 000 fiches",
        f"{med['big-db'] * 1000:.0f} ms",
        "≤ 1,5 × data.db",
        ratio_big <= 1.5,
        f"(data.db : {med['real-db'] * 1000:.0f} ms ; ratio {ratio_big:.2f})",
    )
    if fz is not None:
        report.add(
            "Application figée : premier affichage",
            f"{fz * 1000:.0f} ms",
            "≤ 1,3 × fenêtre nue",
            fz / med["bare"] <= 1.3,
            f"(ratio {fz / med['bare']:.2f})",
        )
        size = folder_size(FROZEN.parent)
        report.add("Dossier figé : taille", f"{size / 1e6:.0f} Mo", "≤ 230 Mo", size <= 230e6)
    else:
        report.add("Application figée", "non construite", "", None, "(make frozen)")


def instructions(report: Report) -> None:
    """Instructions executed from the start to the first paint, under valgrind's callgrind, for
    the bare window and the application: deterministic (0.2 % between runs), where the times
    above move by ±10 % from one run to the next on a shared machine."""
    if not shutil.which("valgrind"):
        report.add("Instructions jusqu’au premier affichage", "valgrind absent", "rapporté", note="(paquet valgrind)")
        return
    counts: dict[str, float] = {}
    for name, mode in (("bare", "bare-first-paint"), ("app", "app-first-paint")):
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "FICHE_DESKTOP_CONFIG_DIR": tempfile.mkdtemp(prefix="bench-cfg-"),
        }
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(CHILD), mode],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )
        found = re.search(r"Collected : (\d+)", out.stderr)
        if out.returncode != 0 or "SHOWN" not in out.stdout or not found:
            report.add("Instructions jusqu’au premier affichage", "échec", "rapporté", note=out.stderr[-200:])
            return
        counts[name] = float(found.group(1))
    bare = f"{counts['bare'] / 1e6:.0f} M"
    report.add("Fenêtre nue : instructions jusqu’au premier affichage (callgrind)", bare, "référence")
    report.add(
        "Application : instructions jusqu’au premier affichage (callgrind)",
        f"{counts['app'] / 1e6:.0f} M",
        "rapporté",
        note=f"(ratio {counts['app'] / counts['bare']:.2f}, déterministe)",
    )


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def folder_size(path: Path) -> int:
    """Bytes in the folder, each file once (PyInstaller links some libraries by symlink)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    parser.add_argument(
        "--soak",
        type=int,
        default=0,
        metavar="CYCLES",
        help="soak cycles in the full run (default 1,000, 200 with --quick)",
    )
    parser.add_argument(
        "--long-soak",
        type=int,
        default=0,
        metavar="CYCLES",
        help="run only the soak (e.g. 10000, about 40 minutes); --write keeps it in SOAK.md",
    )
    parser.add_argument(
        "--startup-only", action="store_true", help="only the start-up measures, printed (nothing written)"
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="only the search measures (latency, precision@1); --write replaces their rows in RESULTS.md",
    )
    parser.add_argument(
        "--first-frame-only",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="only the outside measure (first frame from the spawn), this many rounds, printed",
    )
    args = parser.parse_args()
    runs = 3 if args.quick else 21  # start-up medians: this much noise (±10 %) needs many rounds
    report = Report()
    print(
        f"Fiche Desktop – mesures du {dt.date.today().isoformat()} sur {platform.node()} "
        f"({os.cpu_count()} cœurs, Python {platform.python_version()})\n"
    )
    # --- start-up against a bare PySide6 window, measured the same way. Python's bytecode is
    # compiled first and used, as after a real installation (pip and PyInstaller compile it;
    # PYTHONDONTWRITEBYTECODE, set on some machines, would make every start recompile the app:
    # about 20 ms more to its first frame).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    if args.first_frame_only:
        with x_server() as display:
            if display is None:
                print("Xvfb absent : scripts/install-system-deps.sh bench")
                return 1
            first_frames(report, display, args.first_frame_only)
        return 0
    if args.long_soak:
        soak(report, args.long_soak)
        if args.write:
            write_soak(report)
        return 0
    if args.search_only:
        with tempfile.TemporaryDirectory() as tmp:
            big = Path(tmp) / "big.db"
            search_figures(report, big, child("generate", str(big), "10000"))
        if args.write:
            replace_rows(report)
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.db"
        gen = child("generate", str(big), "10000")
        startups(report, runs, big)
        instructions(report)
        if args.startup_only:  # printed line by line above
            return 0

        search_figures(report, big, gen)
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "fiche_desktop", "--smoke-test", "--db", str(big)],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        smoke = time.perf_counter() - t0
        report.add(
            "Test de fonctionnement (--smoke-test), 10 000 fiches",
            f"{smoke:.1f} s" if out.returncode == 0 else "échec",
            "≤ 10 s",
            out.returncode == 0 and smoke <= 10,
        )

    # --- rendering, toggle and memory
    ui = child("ui", str(ROOT / "data.db"))
    report.add("Afficher une fiche (médiane)", f"{ui['render'] * 1000:.1f} ms", "rapporté")
    report.add(
        "Basculer standard ↔ FALC (p99 sur les fiches)",
        f"{ui['toggle_p99'] * 1000:.1f} ms",
        "≤ 50 ms",
        ui["toggle_p99"] <= 0.050,
    )
    bare_mem = child("bare-memory")
    ratio_mem = ui["rss"] / bare_mem["rss"]
    report.add("Mémoire, fenêtre nue (pic RSS)", f"{bare_mem['rss'] / 1e6:.0f} Mo", "référence")
    report.add(
        "Mémoire, toutes les fiches ouvertes (pic RSS)",
        f"{ui['rss'] / 1e6:.0f} Mo",
        "≤ 1,5 × fenêtre nue",
        ratio_mem <= 1.5,
        f"(ratio {ratio_mem:.2f} ; paquet livré, sans l’extra « speech »)",
    )
    with_speech = child("ui", str(ROOT / "data.db"), "with-speech")
    report.add(
        "Mémoire, avec l’extra « speech » (lecture à voix haute)",
        f"{with_speech['rss'] / 1e6:.0f} Mo",
        "rapporté",
        note=f"(ratio {with_speech['rss'] / bare_mem['rss']:.2f} : QtMultimedia et le moteur de synthèse)",
    )

    # --- PDF export
    try:
        ex = child("export", str(ROOT / "data.db"))
        report.add("Export PDF : une fiche (MSP)", f"{ex['one'] * 1000:.0f} ms", "≤ 150 ms", ex["one"] <= 0.150)
        report.add("Export PDF : fiche FALC pour le patient (MSP)", f"{ex['handout'] * 1000:.0f} ms", "rapporté")
        report.add("Export PDF : livret complet", f"{ex['booklet'] * 1000:.0f} ms", "≤ 1 s", ex["booklet"] <= 1.0)
        report.add(
            "Export PDF : comparaison de 6 structures",
            f"{ex['compare'] * 1000:.0f} ms",
            "≤ 300 ms",
            ex["compare"] <= 0.300,
        )
    except RuntimeError as e:
        report.add("Export PDF", "non mesuré", "", None, f"({str(e).splitlines()[-1][:80]})")

    soak(report, args.soak or (200 if args.quick else 1000))

    missed = [f for f in report.figures if f.ok is False]
    print(f"\n{len(missed)} budget(s) dépassé(s).")
    if args.write:
        write_results(report)
    return 0


def search_figures(report: Report, big: Path, gen: dict[str, float]) -> None:
    """Search latency on the real data.db and on 10,000 generated fiches (big), and precision@1."""
    real = child("search", str(ROOT / "data.db"))
    report.add("Recherche, data.db réel : p50", f"{real['p50'] * 1000:.2f} ms", "rapporté")
    report.add("Recherche, data.db réel : p99", f"{real['p99'] * 1000:.2f} ms", "≤ 16 ms", real["p99"] <= 0.016)
    found = child("precision", str(ROOT / "data.db"))
    hits, total = int(found["hits"]), int(found["queries"])
    report.add(
        "Recherche : précision@1 (requêtes fixes : fautes, féminins, mots courants, questions)",
        f"{hits}/{total} ({hits / total:.0%})".replace("%", " %"),
        "rapporté",
        note="(benchmarks/precision_queries.toml)",
    )
    report.add("Base générée de 10 000 fiches : construction", f"{gen['seconds']:.1f} s", "rapporté")
    large = child("search", str(big))
    report.add("Recherche, 10 000 fiches : p50", f"{large['p50'] * 1000:.2f} ms", "rapporté")
    report.add("Recherche, 10 000 fiches : p99", f"{large['p99'] * 1000:.2f} ms", "≤ 16 ms", large["p99"] <= 0.016)


def replace_rows(report: Report) -> None:
    """RESULTS.md with the rows of these figures replaced (the others keep their own run's date)."""
    path = ROOT / "benchmarks" / "RESULTS.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    stamp = f"mesure de la recherche seule, {dt.date.today().isoformat()}"
    for f, row in zip(report.figures, table(report)[2:], strict=True):
        row = row.replace(f" {f.note} |", f" {f.note} ({stamp}) |".replace("  (", " ("), 1)
        found = [i for i, line in enumerate(lines) if line.startswith(f"| {f.name} |")]
        old = re.escape(f.name.split(" (")[0])
        found = found or [i for i, line in enumerate(lines) if re.match(rf"\| {old}[ :(]", line)]
        if found:
            lines[found[0]] = row
        else:
            print(f"(pas de ligne « {f.name} » dans RESULTS.md : ajoutez-la par make bench)")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("benchmarks/RESULTS.md : lignes de la recherche remplacées.")


def soak(report: Report, cycles: int) -> None:
    """open fiche / toggle / search / compare / reset in one process (benchmarks/soak.py)."""
    figures = child("soak", str(ROOT / "data.db"), str(cycles), timeout=60 + cycles * 2.0)
    label = f"Endurance {cycles:,} cycles".replace(",", "\u202f")
    report.add(
        f"{label} : durée",
        f"{figures['seconds'] / 60:.1f} min",
        "rapporté",
        note=f"({figures['seconds'] / cycles * 1000:.0f} ms par cycle)",
    )
    report.add(
        f"{label} : croissance mémoire (RSS)",
        f"{figures['rss_growth'] / 1e6:.1f} Mo",
        "≤ 20 Mo",
        figures["rss_growth"] <= 20e6,
    )
    report.add(
        f"{label} : objets Qt vivants en plus",
        f"{figures['objects_growth']:.0f}",
        "≤ 0",
        figures["objects_growth"] <= 0,
    )
    report.add(
        f"{label} : avertissements Qt",
        f"{figures['warnings']:.0f}",
        "0",
        figures["warnings"] == 0,
        f"(au démarrage, de l'environnement : {figures['startup_warnings']:.0f})"
        if figures["startup_warnings"]
        else "",
    )
    report.add(
        f"{label} : références à True / None perdues",
        f"{max(0, -figures['true_drift']):.0f} / {max(0, -figures['none_drift']):.0f}",
        "0 / 0",
        figures["true_drift"] >= 0 and figures["none_drift"] >= 0,
        f"(None : {figures['none_drift']:+,.0f} références gardées)".replace(",", "\u202f"),
    )


def machine() -> str:
    return (
        f"{dt.date.today().isoformat()}, machine `{platform.node()}` ({platform.machine()}, "
        f"{os.cpu_count()} cœurs, {platform.system()} {platform.release()}, Python {platform.python_version()}), "
        f"Qt en mode `{os.environ.get('QT_QPA_PLATFORM')}`"
    )


def table(report: Report) -> list[str]:
    lines = ["| mesure | valeur | budget | |", "| --- | ---: | --- | --- |"]
    for f in report.figures:
        status = {True: "respecté", False: "**dépassé**", None: ""}[f.ok]
        lines.append(f"| {f.name} | {f.value} {f.note} | {f.budget} | {status} |")
    return lines


def write_soak(report: Report) -> None:
    lines = [
        "## Endurance longue",
        "",
        f"Mesurée le {machine()}. La durée dépend de ce qui tourne à côté ; les autres chiffres, non.",
        "",
        'Reproduire : `make bench BENCH_ARGS="--long-soak 10000"` (environ 40 minutes ; '
        "réécrit ce fichier, `benchmarks/SOAK.md`, que `make bench` reprend dans `RESULTS.md`).",
        "",
        *table(report),
    ]
    (ROOT / "benchmarks" / "SOAK.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("benchmarks/SOAK.md écrit ; RESULTS.md le reprendra à la prochaine mesure (make bench).")


def write_results(report: Report) -> None:
    lines = [
        "# Mesures de performance",
        "",
        f"Dernière mesure : {machine()}.",
        "",
        "Reproduire : `make bench` (ou `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run.py --write`).",
        "",
        *table(report),
    ]
    long_soak = ROOT / "benchmarks" / "SOAK.md"
    if long_soak.exists():
        lines += ["", long_soak.read_text(encoding="utf-8").rstrip("\n")]
    notes = ROOT / "benchmarks" / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8")]
    (ROOT / "benchmarks" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("benchmarks/RESULTS.md écrit.")


if __name__ == "__main__":
    sys.exit(main())
