"""Every item model of the application passes pytest-qt's model checks, filled as a user sees it."""

from __future__ import annotations

import pytest

from fiche_desktop import config
from fiche_desktop.content import TextVersion
from fiche_desktop.search import search
from fiche_desktop.views.fiche_list import FicheListModel
from fiche_desktop.views.main_window import MainWindow
from fiche_desktop.views.search_view import ResultsModel


@pytest.mark.parametrize("query", ["maison de santé", "cpst", "zzzzqqqq"])
def test_search_results_model(qtmodeltester, real_db, query: str) -> None:
    model = ResultsModel()
    model.set_results(search(real_db, query))
    qtmodeltester.check(model)


@pytest.mark.parametrize("version", list(TextVersion))
def test_home_fiche_list_model(qtmodeltester, real_db, version: TextVersion) -> None:
    model = FicheListModel(real_db.fiche_headers(), version)
    qtmodeltester.check(model)


def test_every_model_of_the_desk_window(qtmodeltester, qtbot, real_db) -> None:
    """The models behind every list and table the desk shows, after use."""
    w = MainWindow(real_db, config.Settings(), save_settings=lambda s: None, search_delay_ms=20)
    qtbot.addWidget(w)
    w.show()
    w.open_fiche("msp")
    w.open_compare()
    w.open_page("guide")
    dialog = w.open_print_dialog()
    w.search_view.show_results("msp", search(real_db, "msp"))
    models = {
        "home": w.home.other_list.model() if w.home.other_list else None,
        "toc": w.fiche_view.toc.model(),
        "results": w.search_view.model,
        "comparison": w.compare_view.model,
        "guide": w.guide_view.model,
        "print dialog": dialog.fiche_list.model(),
    }
    for name, model in models.items():
        assert model is not None and model.rowCount() > 0, name
        qtmodeltester.check(model)
    dialog.close()
