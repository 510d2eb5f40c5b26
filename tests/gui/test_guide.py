"""« Quelle structure ? » in the desk window: reachable, each path ends on its fiches, every statement
shown is either the project's own (and marked as such) or a quotation found in data.db with its source."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from fiche_desktop import guide
from fiche_desktop.content import TextVersion, date_in_words
from fiche_desktop.views.guide_view import ANSWER_HEADING, FALC_NOTICE, SOURCES_HEADING, GuideView
from fiche_desktop.views.main_window import MainWindow
from tests.unit.test_guide import EXPECTED


@pytest.fixture
def window_size() -> tuple[int, int]:
    return (1300, 850)


def blocks(view: GuideView) -> list[str]:
    doc = view.browser.document()
    out = []
    block = doc.begin()
    while block.isValid():
        if block.text().strip():
            out.append(block.text().replace("\u2028", "\n").strip())
        block = block.next()
    return out


def norm(text: str) -> str:
    return " ".join(text.split())


def test_the_guide_is_reachable_from_home_the_menu_and_a_shortcut(qtbot, window: MainWindow) -> None:
    button = next(b for b in window.home.findChildren(QPushButton) if b.text() == "Quelle structure ?")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.location.page == "guide" and window.stack.currentWidget() is window.guide_view
    window.go_home()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.location.page == "guide"
    go_menu = next(m for m in window.menus if m.title() == "A&ller à")
    assert window.desk_actions.guide in go_menu.actions()
    assert "Ctrl+O" in window.pages.help_html()


@pytest.mark.parametrize("path", EXPECTED)
def test_each_path_ends_on_the_expected_fiches_with_a_way_to_each(qtbot, window: MainWindow, path: str) -> None:
    window.open_page("guide")
    view = window.guide_view
    qtbot.mouseClick(view.path_buttons[path], Qt.MouseButton.LeftButton)
    assert [q.id for q in view.model.items] == list(EXPECTED[path])
    view.list.setFocus()
    for row, (question, slugs) in enumerate(EXPECTED[path].items()):
        view.list.setCurrentIndex(view.model.index(row))
        assert view.current_question() == question
        labels = [b.text() for b in view.action_buttons]
        for slug in slugs:
            fiche = window.db.fiche(slug)
            assert f"Ouvrir : {fiche.acronym or fiche.title}" in labels
            assert fiche.label in view.text()
        structures = [s for s in slugs if s in ("esp", "ess", "msp", "cds", "cpts", "dac", "sas")]
        assert any(lbl.startswith("Comparer") for lbl in labels) == bool(structures)


def test_opening_a_fiche_and_the_comparison_from_an_answer_and_coming_back(qtbot, window: MainWindow) -> None:
    window.open_page("guide")
    view = window.guide_view
    assert view.select_question("soins-48h")
    qtbot.mouseClick(view.action_buttons[0], Qt.MouseButton.LeftButton)  # Ouvrir : SAS
    assert window.location.page == "fiche" and window.location.slug == "sas"
    window.back()
    assert window.location.page == "guide" and view.current_question() == "soins-48h"
    compare = next(b for b in view.action_buttons if b.text() == "Comparer SAS et CPTS")
    qtbot.mouseClick(compare, Qt.MouseButton.LeftButton)
    assert window.location.page == "compare" and window.compare_view.column_titles() == ["SAS", "CPTS"]
    window.back()
    view.open_fiche.emit("sas", "resume-definition")  # a quote's « lire dans la fiche »
    assert (window.location.slug, window.location.section) == ("sas", "resume-definition")


@pytest.mark.parametrize("version", [TextVersion.STANDARD, TextVersion.FALC])
def test_every_statement_shown_is_the_projects_marked_or_a_quotation_in_data_db(
    qtbot, window: MainWindow, version: TextVersion
) -> None:
    window.set_version(version)
    window.open_page("guide")
    view = window.guide_view
    db = window.db
    sources = db.sources()
    titles = {s.title for s in sources.values()}
    for question in guide.questions(db):
        assert view.select_question(question.id)
        answer = view.answer
        labels = {f.display_label(version) for f in answer.fiches}
        fiche = None
        quoted_blocks = sources_seen = 0
        shown = blocks(view)
        assert guide.PROJECT_MARK in shown[1]  # right under the question
        for text in shown:
            if text == question.question or guide.PROJECT_MARK in text:
                continue  # written by the project, and said so
            if text in (ANSWER_HEADING, SOURCES_HEADING, FALC_NOTICE, view.compare_label(answer)):
                continue
            if version is TextVersion.FALC and text in {s.credit for s in sources.values()}:
                continue  # the FALC source's own credit line
            if text in labels:
                fiche = next(f for f in answer.fiches if f.display_label(version) == text)
                continue
            if text.startswith("Source : "):
                assert any(text.startswith(f"Source : {t} – ") for t in titles), text
                assert any(date_in_words(q.date) in text for q in answer.quotes), text
                sources_seen += 1
                continue
            assert fiche is not None, text
            if text.startswith("« ") and text.endswith(" »"):
                quoted = norm(text[2:-2])
                assert any(quoted in norm(s.text) for s in fiche.sections), (question.id, text)
                quoted_blocks += 1
            else:  # validated FALC lines, as the FALC source writes them
                assert version is TextVersion.FALC, (question.id, text)
                lines = [x for s in fiche.sections for x in s.falc]
                assert all(line in lines for line in text.split("\n")), (question.id, text)
                quoted_blocks += 1
        assert sources_seen == len(answer.quotes)  # every quotation with its source
        assert quoted_blocks >= len(answer.quotes)


def test_the_questions_model_passes_the_qt_model_checks(qtmodeltester, real_db, qtbot) -> None:
    view = GuideView(real_db)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    view.select_path("exercice")
    qtmodeltester.check(view.model)


def test_falc_mode_says_the_questions_are_not_falc_and_shows_falc_lines(qtbot, window: MainWindow) -> None:
    window.set_version(TextVersion.FALC)
    window.open_page("guide")
    view = window.guide_view
    view.select_question("soins-48h")
    text = view.text()
    assert guide.FALC_NOTE in text
    assert "Le SAS est un service téléphonique pour l'aide médicale d'urgence." in text
    assert FALC_NOTICE in text  # before the quotes that have no FALC version
    assert "Label Qualité FALC" in text
