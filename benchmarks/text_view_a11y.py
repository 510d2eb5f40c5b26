"""The MSP fiche for a screen reader, two ways, timed (the figures of the README's choice).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/text_view_a11y.py

A: the QTextBrowser as it is, with views/accessibility.py's interface (its nodes built when a
screen reader asks); B: one QLabel per block (headings, paragraphs, list items) in a scroll
area, what "one widget per block" would cost. Prints medians in ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

RUNS = 15


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> int:
    from PySide6.QtGui import QAccessible, QTextCursor
    from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QVBoxLayout, QWidget

    from fiche_desktop import config
    from fiche_desktop.content import TextVersion
    from fiche_desktop.db import ContentDB
    from fiche_desktop.gui.fonts import register_fonts
    from fiche_desktop.views.accessibility import TextAccessible, build_nodes
    from fiche_desktop.views.main_window import MainWindow

    app = QApplication(sys.argv)
    register_fonts()
    db = ContentDB(ROOT / "data.db")
    w = MainWindow(db, config.Settings(), save_settings=lambda s: None)
    w.resize(1280, 860)
    w.show()
    w.open_fiche("msp")
    app.processEvents()
    view = w.fiche_view
    browser = view.browser

    # A: render and toggle as the desk does them; then the nodes a screen reader gets.
    renders, toggles, builds = [], [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        w.open_fiche("msp")
        app.processEvents()
        renders.append(time.perf_counter() - t0)
        for version in (TextVersion.FALC, TextVersion.STANDARD):
            t0 = time.perf_counter()
            w.set_version(version)
            app.processEvents()
            toggles.append(time.perf_counter() - t0)
        iface = QAccessible.queryAccessibleInterface(browser)
        assert isinstance(iface, TextAccessible)
        iface._stale = True  # as after a new text
        t0 = time.perf_counter()
        count = iface.childCount()
        builds.append(time.perf_counter() - t0)
    nodes = build_nodes(iface)
    total = sum(1 for n in _walk(nodes))
    print(f"A render msp        = {median_ms(renders):.1f} ms")
    print(f"A toggle            = {median_ms(toggles):.1f} ms")
    print(f"A nodes built       = {median_ms(builds):.1f} ms ({count} blocks, {total} nodes)")

    # B: one label per block, rich text (links) in each, in a scroll area; built and laid out.
    document = browser.document()
    blocks = []
    block = document.begin()
    while block.isValid():
        if block.text().strip():
            cursor = QTextCursor(block)
            cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
            blocks.append(cursor.selection().toHtml())
        block = block.next()
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.resize(900, 800)
    area.show()
    builds_b = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        page = QWidget()
        column = QVBoxLayout(page)
        for fragment in blocks:
            label = QLabel(fragment)
            label.setWordWrap(True)
            label.setOpenExternalLinks(False)
            column.addWidget(label)
        area.setWidget(page)
        app.processEvents()
        builds_b.append(time.perf_counter() - t0)
    print(f"B labels built      = {median_ms(builds_b):.1f} ms ({len(blocks)} labels)")
    w.close()
    db.close()
    return 0


def _walk(nodes):  # type: ignore[no-untyped-def]
    for node in nodes:
        yield node
        yield from _walk(node.children)


if __name__ == "__main__":
    sys.exit(main())
