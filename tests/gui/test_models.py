"""Every item model of the application passes pytest-qt's model checks, filled as a user sees it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fiche_desktop.content import TextVersion
from fiche_desktop.search import search
from fiche_desktop.views.fiche_list import SLUG_ROLE, fiche_list_model
from fiche_desktop.views.guide_view import QUESTION_ROLE, question_value
from fiche_desktop.views.list_model import ListModel
from fiche_desktop.views.main_window import MainWindow
from fiche_desktop.views.search_view import RESULT_ROLE, result_value


@pytest.mark.parametrize("query", ["maison de santé", "cpst", "zzzzqqqq"])
def test_search_results_model(qtmodeltester, real_db, query: str) -> None:
    model = ListModel(result_value)
    results = search(real_db, query)
    model.set_items(results)
    qtmodeltester.check(model)
    assert [model.index(r).data(RESULT_ROLE) for r in range(model.rowCount())] == results


@pytest.mark.parametrize("version", list(TextVersion))
def test_home_fiche_list_model(qtmodeltester, real_db, version: TextVersion) -> None:
    model = fiche_list_model(real_db.fiche_headers(), version)
    qtmodeltester.check(model)
    assert [model.index(r).data(SLUG_ROLE) for r in range(model.rowCount())] == real_db.slugs()


def test_guide_questions_model_reads_each_question_with_its_place(qtmodeltester, real_db) -> None:
    questions = real_db.guide_questions()
    model = ListModel(question_value, questions)
    qtmodeltester.check(model)
    assert model.rowCount() == len(questions) > 1
    last = model.index(len(questions) - 1)
    assert last.data() == questions[-1].question
    assert last.data(Qt.ItemDataRole.AccessibleTextRole) == (
        f"Question {len(questions)} sur {len(questions)} : {questions[-1].question}"
    )
    assert last.data(QUESTION_ROLE) == questions[-1].id


def test_the_generic_list_model_follows_its_items(qtmodeltester, qtbot) -> None:
    """Replacing the items resets the model; rows past the end and unknown roles give nothing."""
    model = ListModel[str](lambda items, row, role: items[row].upper() if role == Qt.ItemDataRole.DisplayRole else None)
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    with qtbot.waitSignal(model.modelReset):
        model.set_items(["a", "b", "c"])
    qtmodeltester.check(model)
    assert [model.index(r).data() for r in range(3)] == ["A", "B", "C"]
    assert model.index(1).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.data(model.createIndex(5, 0)) is None
    assert model.rowCount(model.index(0)) == 0  # a flat list: no row has children


def test_every_model_of_the_desk_window(qtmodeltester, real_db, window: MainWindow) -> None:
    """The models behind every list and table the desk shows, after use."""
    w = window
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
