"""Screenshots of every desk screen in a real window (run under Xvfb: scripts/screenshots.sh).

Usage: python scripts/screenshots.py [--all] [--out DIR]
Without --all: the README's images (1440×900) in docs/images/. With --all: every screen at
1024×700, 1440×900 and 1920×1080, in standard, FALC and high contrast, in DIR (to look at).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ["FICHE_DESKTOP_CONFIG_DIR"] = tempfile.mkdtemp(prefix="shots-")

SIZES = [(1024, 700), (1440, 900), (1920, 1080)]
README = {  # name: (screen, version, theme)
    "desk-home": ("home", "standard", "standard"),
    "desk-home-falc": ("home", "falc", "standard"),
    "desk-fiche-standard": ("fiche", "standard", "standard"),
    "desk-fiche-falc": ("fiche", "falc", "standard"),
    "desk-contrast": ("fiche", "falc", "contrast"),
    "desk-search": ("search", "standard", "standard"),
    "desk-compare": ("compare", "standard", "standard"),
    "desk-compare-falc": ("compare", "falc", "standard"),
    "desk-glossary": ("glossary", "standard", "standard"),
    "desk-popup": ("popup", "standard", "standard"),
    "desk-find": ("find", "standard", "standard"),
    "desk-sources": ("sources", "standard", "standard"),
    "desk-help": ("help", "standard", "standard"),
}
SCREENS = ["home", "fiche", "search", "compare", "glossary", "popup", "find", "sources", "help", "about"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or (Path(tempfile.gettempdir()) / "desk-shots" if args.all else ROOT / "docs" / "images")
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtGui import QPainter

    from fiche_desktop import config
    from fiche_desktop.app import make_application, open_content
    from fiche_desktop.views.main_window import MainWindow

    app = make_application()
    db, _warnings = open_content(None)

    def settle(seconds: float = 0.35) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shoot(name: str, screen: str, version: str, theme: str, size: tuple[int, int]) -> None:
        w = MainWindow(db, config.Settings(theme=theme, text_version=version), save_settings=lambda s: None)
        w.resize(*size)
        w.show()
        settle()
        popup = None
        if screen in ("fiche", "popup", "find"):
            w.open_fiche("msp" if screen != "fiche" or version == "standard" else "cds")
        elif screen == "search":
            w.search_field.setText("maison de santé")
            w.search.run()
            settle(1.0)
        elif screen == "compare":
            w.open_compare()
        elif screen in ("glossary", "sources", "help", "about"):
            w.open_page(screen)
        if screen == "popup":
            popup = w.fiche_view.show_term("SISA")
        if screen == "find":
            w.open_find_in_page()
            w.fiche_view.find_bar.field.setText("médecin")
        settle()
        picture = w.grab()
        if popup is not None:  # a popup is a window of its own: painted over the grab
            painter = QPainter(picture)
            painter.drawPixmap(w.mapFromGlobal(popup.pos()), popup.grab())
            painter.end()
        picture.save(str(out / f"{name}.png"))
        print(out / f"{name}.png")
        if popup is not None:
            popup.close()
        w.close()
        w.deleteLater()
        settle(0.1)

    if args.all:
        for size in SIZES:
            for theme, version in (("standard", "standard"), ("standard", "falc"), ("contrast", "standard")):
                for screen in SCREENS:
                    shoot(f"{screen}-{version}-{theme}-{size[0]}x{size[1]}", screen, version, theme, size)
    else:
        for name, (screen, version, theme) in README.items():
            shoot(name, screen, version, theme, (1440, 900))
        extra_shots(app, db, out, settle)
    db.close()
    return 0


def extra_shots(app, db, out, settle) -> None:  # type: ignore[no-untyped-def]
    """Search, the comparison at 2, 6 and 7 structures and the guide, in one window (1440×900)."""
    from fiche_desktop import config
    from fiche_desktop.content import TextVersion
    from fiche_desktop.views.main_window import MainWindow

    w = MainWindow(db, config.Settings(), save_settings=lambda s: None)
    w.resize(1440, 900)
    w.show()
    settle()

    def want(name: str) -> bool:
        return True

    def shot(name: str) -> None:
        settle()
        w.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    # Issue 16: search, the comparison at 2, 6 and 7 structures, the guide.
    def search(text: str) -> None:
        w.focus_search()
        w.search_field.setText(text)
        w.search.run()
        settle(1.0)

    if want("desk-search-typo"):
        search("maisn de santé")
        shot("desk-search-typo")
        w.clear_search()
    if want("desk-search-empty"):
        search("cooordinnation")
        shot("desk-search-empty")
        w.clear_search()
    if want("desk-search-hit"):
        search("travailleurs indépendants")  # only in the FALC text: opens the FALC view
        w.search.open_result(w.search_view.best())
        shot("desk-search-hit")
        w.set_version(TextVersion.STANDARD)
    cases = {
        "2": ["msp", "cds"],
        "6": ["esp", "msp", "cds", "cpts", "dac", "sas"],
        "7": ["esp", "ess", "msp", "cds", "cpts", "dac", "sas"],
    }
    for n, slugs in cases.items():
        for version in TextVersion:
            name = f"desk-compare-{n}" + ("-falc" if version is TextVersion.FALC else "")
            if want(name):
                w.set_version(version)
                w.open_compare()
                w.compare_view.set_structures(slugs)
                shot(name)
                w.set_version(TextVersion.STANDARD)
    if want("desk-compare-full"):
        w.open_compare()
        view = w.compare_view
        view.set_structures(cases["6"])
        index = view.model.index(view.criterion_row("textes"), 1)
        view.table.setCurrentIndex(index)
        view.open_full(index)
        shot("desk-compare-full")
        view.close_full()
    if want("desk-compare-diff"):
        w.open_compare()
        w.compare_view.set_structures(cases["2"])
        w.compare_view.diff_only.setChecked(True)
        shot("desk-compare-diff")
        w.compare_view.diff_only.setChecked(False)
    for name, question, version in (
        ("desk-guide-patient", "soins-48h", TextVersion.STANDARD),
        ("desk-guide-exercice", "meme-lieu-liberal", TextVersion.STANDARD),
        ("desk-guide-falc", "situation-complexe", TextVersion.FALC),
    ):
        if want(name):
            w.set_version(version)
            w.open_page("guide")
            w.guide_view.select_question(question)
            shot(name)
            w.set_version(TextVersion.STANDARD)
    w.close()


if __name__ == "__main__":
    sys.exit(main())
