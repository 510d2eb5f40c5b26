"""The soak run: open fiche / toggle / search / compare / reset, thousands of times in one process.

Shared by the performance harness (benchmarks/child.py soak DB N: 10,000 cycles) and by the
test suite (tests/gui/test_soak.py: a shorter run). Returns what grew; the caller judges.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from fiche_desktop import config
from fiche_desktop.content import TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.views.kiosk_window import KioskWindow
from fiche_desktop.views.main_window import MainWindow

SEARCHES = ["msp", "48h", "tiers payant", "cpts", "maison de sante", "teleconsultation", "é'\"*(", "zzzz"]
STRUCTURES = ["esp", "msp", "cds", "cpts", "dac", "sas"]
# Offscreen and minimal platforms say this once per top-level window; it is not the app's warning.
HARMLESS = ("propagateSizeHints",)


@dataclass
class SoakFigures:
    cycles: int
    seconds: float
    rss_growth: float  # bytes, current RSS after the run minus after the warm-up
    objects_growth: int  # live QObjects and widgets, after minus after the warm-up
    true_drift: int  # sys.getrefcount(True), after minus before: a refcount leak in the bindings
    none_drift: int
    warnings: list[str] = field(default_factory=list)  # during the measured cycles
    # During the warm-up: one-time messages of the environment, such as QtMultimedia looking for
    # PipeWire or VA-API when the kiosk probes for a speech engine on a machine without them.
    startup_warnings: list[str] = field(default_factory=list)


def current_rss() -> float:
    """Current resident set size in bytes (Linux /proc; Windows: the working set), else the peak."""
    if sys.platform == "win32":
        return _windows_working_set()
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource  # POSIX only

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0


def _windows_working_set() -> float:
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):  # PROCESS_MEMORY_COUNTERS
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
            (name, ctypes.c_size_t)
            for name in (
                "PeakWorkingSetSize",
                "WorkingSetSize",
                "QuotaPeakPagedPoolUsage",
                "QuotaPagedPoolUsage",
                "QuotaPeakNonPagedPoolUsage",
                "QuotaNonPagedPoolUsage",
                "PagefileUsage",
                "PeakPagefileUsage",
            )
        ]

    counters = Counters()
    counters.cb = ctypes.sizeof(counters)
    windll = ctypes.windll  # type: ignore[attr-defined]
    windll.psapi.GetProcessMemoryInfo(windll.kernel32.GetCurrentProcess(), ctypes.byref(counters), counters.cb)
    return float(counters.WorkingSetSize)


def run_soak(db: ContentDB, cycles: int, warm: int | None = None) -> SoakFigures:
    """Drives a desk window and a kiosk window through `cycles` cycles. Needs a QApplication."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    warnings: list[str] = []

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg and not any(h in message for h in HARMLESS):
            warnings.append(message)

    previous = qInstallMessageHandler(handler)
    desk = MainWindow(db, config.Settings(), save_settings=lambda s: None, search_delay_ms=0)
    desk.show()
    booth = KioskWindow(db, config.KioskConfig(), start_idle=False)
    booth.resize(1280, 800)
    booth.show()
    slugs = db.slugs()

    def cycle(i: int) -> None:
        desk.open_fiche(slugs[i % len(slugs)])
        desk.set_version(TextVersion.FALC if i % 2 == 0 else TextVersion.STANDARD)
        query = SEARCHES[i % len(SEARCHES)]
        desk.search_field.setText(query)
        desk.search.run()
        deadline = time.perf_counter() + 5
        while desk.search_view.query != query and time.perf_counter() < deadline:
            app.processEvents()
        desk.open_compare(STRUCTURES[i % len(STRUCTURES)])
        desk.clear_search()
        desk.go_home()
        desk.history.clear()
        booth.open_fiche(slugs[(i + 3) % len(slugs)])
        booth.toggle_version()
        booth.reset_session()
        app.processEvents()
        # What a running event loop does between two user actions: delete the objects Qt and the
        # app released with deleteLater() (processEvents() alone never does).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def live_objects() -> int:
        return len(desk.findChildren(QObject)) + len(booth.findChildren(QObject)) + len(QApplication.allWidgets())

    try:
        warm = warm if warm is not None else max(10, cycles // 10)
        t0 = time.perf_counter()
        for i in range(warm):
            cycle(i)
        # Both measures follow the same cycle, so that they compare the same screens: what
        # the last cycle showed (an empty search's suggestions, a comparison) is not a leak.
        cycle(0)
        gc.collect()
        app.processEvents()
        startup_warnings = warnings[:]
        warnings.clear()
        rss0, obj0 = current_rss(), live_objects()
        true0, none0 = sys.getrefcount(True), sys.getrefcount(None)
        for i in range(warm, cycles):
            cycle(i)
        cycle(0)
        gc.collect()
        app.processEvents()
        return SoakFigures(
            cycles=cycles,
            seconds=time.perf_counter() - t0,
            rss_growth=max(0.0, current_rss() - rss0),
            objects_growth=live_objects() - obj0,
            true_drift=sys.getrefcount(True) - true0,
            none_drift=sys.getrefcount(None) - none0,
            warnings=warnings,
            startup_warnings=startup_warnings,
        )
    finally:
        booth.shutdown()
        booth.close()
        desk.search.searcher.shutdown()
        desk.close()
        qInstallMessageHandler(previous)


def main(db_path: str, cycles: str) -> None:
    """Prints the figures as `key = value` lines (benchmarks/child.py soak DB CYCLES)."""
    from fiche_desktop.gui.fonts import register_fonts

    app = QApplication(sys.argv[:1])
    register_fonts()
    figures = run_soak(ContentDB(Path(db_path)), int(cycles))
    print(f"seconds = {figures.seconds}")
    print(f"rss_growth = {figures.rss_growth}")
    print(f"objects_growth = {figures.objects_growth}")
    print(f"true_drift = {figures.true_drift}")
    print(f"none_drift = {figures.none_drift}")
    print(f"warnings = {len(figures.warnings)}")
    print(f"startup_warnings = {len(figures.startup_warnings)}")
    for message in figures.warnings[:5] + figures.startup_warnings[:5]:
        print(f"# {message}", file=sys.stderr)
    del app


if __name__ == "__main__":
    main(*sys.argv[1:3])
