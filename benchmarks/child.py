"""One measurement in a fresh process; prints `key = value` lines for benchmarks/run.py."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.helpers: the generated base
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

QUERIES = [
    "maison de sante",
    "msp",
    "teleconsultation",
    "tiers payant",
    "48h",
    "coordination",
    "equipe de soins primaires",
    "financement",
    "hebergement",
    "dispositif d'appui",
    "permanence des soins",
    "association",
    # typos: the exact query finds nothing, the corrected one does
    "maisn de sante",
    "cpst",
    "teleconsultaton",
    "dispositf d'appui",
]


def rss() -> float:
    """Peak resident set size in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0


def bare_window(end_at_paint: bool = False) -> None:
    """A bare PySide6 window that prints SHOWN at its first paint, as the app does, then quits
    (end_at_paint: ends the process there, as counted under callgrind)."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv)
    w = QLabel("Fenêtre nue")
    w.resize(1280, 860)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                w.removeEventFilter(self)
                QTimer.singleShot(0, shown)
            return False

    def shown() -> None:
        print("SHOWN", flush=True)
        if end_at_paint:
            os._exit(0)
        app.quit()

    first = FirstPaint()
    w.installEventFilter(first)
    w.show()
    app.exec()


def bare_first_paint() -> None:
    """The bare window, ended right after its first paint (counted under callgrind)."""
    bare_window(end_at_paint=True)


def app_first_paint() -> None:
    """`fiche-desktop` as started from the menu, ended right after its first paint (counted
    under callgrind): what follows the paint (menus' contents, translations...) is left out,
    as it is for the bare window."""
    os.environ["FICHE_DESKTOP_BENCH_EXIT_WHEN_SHOWN"] = "1"  # prints SHOWN, then finishes the window
    from fiche_desktop import app

    def end(_app: object) -> None:
        sys.stdout.flush()
        os._exit(0)

    app.finish_application = end  # type: ignore[assignment]  # the first thing done after the paint
    app.main([])


def bare_memory() -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv)
    w = QLabel("Fenêtre nue")
    w.resize(1280, 860)
    w.show()
    for _ in range(10):
        app.processEvents()
    print(f"rss = {rss()}")


def search_latency(db_path: str) -> None:
    from fiche_desktop.db import ContentDB
    from fiche_desktop.search import search

    db = ContentDB(Path(db_path))
    prefixes = [q[:i] for q in QUERIES for i in range(2, len(q) + 1)]
    for p in prefixes[:20]:  # warm-up
        search(db, p)
    times = []
    for _ in range(3):
        for p in prefixes:
            t0 = time.perf_counter()
            search(db, p)
            times.append(time.perf_counter() - t0)
    times.sort()
    print(f"p50 = {times[len(times) // 2]}")
    print(f"p99 = {times[min(len(times) - 1, int(len(times) * 0.99))]}")


def precision(db_path: str) -> None:
    """precision@1 on the fixed query set of benchmarks/precision_queries.toml (typos included)."""
    import tomllib

    from fiche_desktop.db import ContentDB
    from fiche_desktop.search import search

    db = ContentDB(Path(db_path))
    queries = tomllib.loads((ROOT / "benchmarks" / "precision_queries.toml").read_text(encoding="utf-8"))["queries"]
    hits = 0
    for case in queries:
        results = search(db, case["query"])
        if results and results[0].slug == case["fiche"]:
            hits += 1
        else:
            print(f"# miss: {case['query']!r} -> {results[0].slug if results else None}, expected {case['fiche']}")
    print(f"hits = {hits}")
    print(f"queries = {len(queries)}")


def generate(out: str, count: str) -> None:
    """A database of `count` fiches made from the real content with the project's build code."""
    from tests.helpers import generated_base

    from fiche_desktop.build import write_database

    t0 = time.perf_counter()
    base = generated_base(int(count))
    Path(out).unlink(missing_ok=True)
    write_database(base, Path(out))
    print(f"seconds = {time.perf_counter() - t0}")


def ui(db_path: str, speech: str = "without-speech") -> None:
    """Every fiche opened and toggled in the desk window. without-speech: as the package ships
    (reading aloud is the optional "speech" extra, PySide6-Addons, which the dev install has);
    with-speech: with that extra, whose engine and QtMultimedia start after the first paint."""
    from PySide6.QtWidgets import QApplication

    if speech == "without-speech":
        from fiche_desktop.gui import speech as speech_module

        speech_module.speech_module_present = lambda: False

    from fiche_desktop import config
    from fiche_desktop.content import TextVersion
    from fiche_desktop.db import ContentDB
    from fiche_desktop.gui.fonts import register_fonts
    from fiche_desktop.views.main_window import MainWindow

    app = QApplication(sys.argv)
    register_fonts()
    db = ContentDB(Path(db_path))
    w = MainWindow(db, config.Settings(), save_settings=lambda s: None)
    w.show()
    app.processEvents()
    renders, toggles = [], []
    for slug in db.slugs():
        t0 = time.perf_counter()
        w.open_fiche(slug)
        app.processEvents()
        renders.append(time.perf_counter() - t0)
        for version in (TextVersion.FALC, TextVersion.STANDARD):
            t0 = time.perf_counter()
            w.set_version(version)
            app.processEvents()
            toggles.append(time.perf_counter() - t0)
    toggles.sort()
    print(f"render = {sorted(renders)[len(renders) // 2]}")
    print(f"toggle_p99 = {toggles[min(len(toggles) - 1, int(len(toggles) * 0.99))]}")
    print(f"rss = {rss()}")
    w.close()


def export(db_path: str) -> None:
    """Typesets and writes the PDFs with typst (printing/), as `fiche-desktop export` does: no Qt."""
    import tempfile

    from fiche_desktop import printing
    from fiche_desktop.content import TextVersion
    from fiche_desktop.db import ContentDB

    db = ContentDB(Path(db_path))
    out = Path(tempfile.mkdtemp()) / "x.pdf"
    # Warm-up on another fiche (fonts, templates): typst would answer the same document from its cache.
    printing.export_fiches_pdf(db, ["cds"], TextVersion.STANDARD, out)
    t0 = time.perf_counter()
    printing.export_fiches_pdf(db, ["msp"], TextVersion.STANDARD, out)
    print(f"one = {time.perf_counter() - t0}")
    t0 = time.perf_counter()
    printing.export_fiches_pdf(db, ["msp"], TextVersion.FALC, out)
    print(f"handout = {time.perf_counter() - t0}")
    t0 = time.perf_counter()
    printing.export_fiches_pdf(db, db.slugs(), TextVersion.STANDARD, out, booklet=True)
    print(f"booklet = {time.perf_counter() - t0}")
    t0 = time.perf_counter()
    printing.export_comparison_pdf(db, ["esp", "msp", "cds", "cpts", "dac", "sas"], TextVersion.STANDARD, out)
    print(f"compare = {time.perf_counter() - t0}")


def soak(db_path: str, cycles: str) -> None:
    """open fiche / toggle / search / compare / reset, in one process (benchmarks/soak.py)."""
    import soak as soak_run

    soak_run.main(db_path, cycles)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    modes: dict[str, Callable[..., None]] = {
        "bare-window": bare_window,
        "bare-first-paint": bare_first_paint,
        "app-first-paint": app_first_paint,
        "bare-memory": bare_memory,
        "search": search_latency,
        "precision": precision,
        "generate": generate,
        "ui": ui,
        "export": export,
        "soak": soak,
    }
    modes[mode](*args)
