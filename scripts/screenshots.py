"""Takes the README's screenshots of the desk app in a real X window (run under Xvfb).

Usage: scripts/screenshots.sh   (starts Xvfb and openbox, then runs this file)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("SHOTS_DIR", ROOT / "docs" / "images"))
os.environ["FICHE_DESKTOP_CONFIG_DIR"] = tempfile.mkdtemp(prefix="shots-")


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    from fiche_desktop import config
    from fiche_desktop.app import make_application, open_content
    from fiche_desktop.content import TextVersion
    from fiche_desktop.views.main_window import MainWindow

    app = make_application()
    db, _warnings = open_content(None)
    w = MainWindow(db, config.Settings(), save_settings=lambda s: None)
    w.setGeometry(0, 0, 1400, 900)
    w.show()

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(name: str) -> None:
        settle()
        screen = QGuiApplication.primaryScreen()
        image = screen.grabWindow(0).copy(0, 0, 1440, 900)
        OUT.mkdir(parents=True, exist_ok=True)
        image.save(str(OUT / f"{name}.png"))
        print(OUT / f"{name}.png")

    only = set(sys.argv[1:])

    def want(name: str) -> bool:
        return not only or name in only

    if want("desk-home"):
        shot("desk-home")
    if want("desk-fiche-standard"):
        w.open_fiche("msp")
        shot("desk-fiche-standard")
    if want("desk-fiche-falc"):
        w.open_fiche("cds", "resume-soins")
        w.set_version(TextVersion.FALC)
        shot("desk-fiche-falc")
        w.set_version(TextVersion.STANDARD)
    if want("desk-home-falc"):
        w.set_version(TextVersion.FALC)
        w.go_home()
        shot("desk-home-falc")
        w.set_version(TextVersion.STANDARD)
    if want("desk-search"):
        w.search_field.setText("maison de santé")
        w._run_search()
        settle(1.0)
        shot("desk-search")
        w.clear_search()
    if want("desk-compare"):
        w.open_compare()
        shot("desk-compare")
    if want("desk-compare-falc"):
        w.set_version(TextVersion.FALC)
        w.open_compare()
        shot("desk-compare-falc")
        w.set_version(TextVersion.STANDARD)
    # Issue 16: search, the comparison at 2, 6 and 7 structures, the guide.
    def search(text: str) -> None:
        w.focus_search()
        w.search_field.setText(text)
        w._run_search()
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
        w.open_result(w.search_view.best())
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
    if want("desk-glossary"):
        w.open_page("glossary")
        shot("desk-glossary")
    if want("desk-sources"):
        w.open_page("sources")
        shot("desk-sources")
    w.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
