"""Back and Forward at the desk: every page an entry with its state, a search's results included;
the window's title, the search box and the text version follow the page shown."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fiche_desktop.content import TextVersion
from fiche_desktop.views.main_window import MainWindow
from tests.gui.helpers import type_text

SUFFIX = " – Fiche Desktop"


def search_for(qtbot, w: MainWindow, text: str) -> None:
    w.focus_search()
    type_text(w.search_field, text)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.search_view and w.search_view.query == text, timeout=3000)


def test_guide_then_a_search_opened_with_enter_then_back_twice_lands_on_the_guide_with_its_answer(
    qtbot, window: MainWindow
) -> None:
    """The issue's sequence: comparison → guide (an answer shown) → « dac » → Entrée → Back → Back."""
    window.open_compare()
    window.open_page("guide")
    guide = window.guide_view
    assert guide.select_question("soins-48h")
    answer = guide.text()
    assert "SAS" in answer
    search_for(qtbot, window, "dac")
    assert window.windowTitle() == "Recherche « dac »" + SUFFIX  # the results' own title
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.location.page == "fiche" and window.location.slug == "dac"
    assert window.search_field.text() == "" and window.windowTitle().startswith("DAC ")

    window.back()  # the results, as they were
    assert window.location.page == "search" and window.stack.currentWidget() is window.search_view
    assert window.search_field.text() == "dac" and window.windowTitle() == "Recherche « dac »" + SUFFIX
    assert window.search_view.best().slug == "dac"
    assert window.search_view.list.hasFocus()  # the keyboard on the results: a screen reader says them

    window.back()  # the guide, with its question and its answer (not the comparison)
    assert window.location.page == "guide" and window.stack.currentWidget() is guide
    assert guide.current_question() == "soins-48h" and guide.text() == answer
    assert window.search_field.text() == "" and window.windowTitle() == "Quelle structure ?" + SUFFIX

    window.back()
    assert window.location.page == "compare" and window.windowTitle() == "Comparer les structures" + SUFFIX
    window.forward()
    window.forward()  # forward to the results again
    assert window.location.page == "search" and window.search_field.text() == "dac"
    assert window.windowTitle() == "Recherche « dac »" + SUFFIX
    window.forward()
    assert window.location.slug == "dac" and window.search_field.text() == ""


def test_typing_on_updates_the_results_entry_and_escape_goes_back_to_the_page_before(qtbot, window: MainWindow) -> None:
    window.open_fiche("msp")
    search_for(qtbot, window, "cp")
    type_text(window.search_field, "ts")
    qtbot.waitUntil(lambda: window.search_view.query == "cpts", timeout=3000)
    assert window.windowTitle() == "Recherche « cpts »" + SUFFIX
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert window.location.page == "fiche" and window.location.slug == "msp"
    assert window.search_field.text() == "" and window.windowTitle().startswith("MSP ")
    window.forward()  # one entry for the whole search: its last words
    assert window.location.page == "search" and window.search_field.text() == "cpts"
    window.back()
    window.back()
    assert window.location.page == "home"


def test_a_page_opened_from_the_results_clears_the_box_and_back_brings_the_query_back(
    qtbot, window: MainWindow
) -> None:
    search_for(qtbot, window, "sisa")
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)  # the glossary
    assert window.location.page == "glossary" and window.search_field.text() == ""
    assert window.windowTitle() == "Glossaire" + SUFFIX
    window.back()
    assert window.location.page == "search" and window.search_field.text() == "sisa"


def test_a_falc_only_hit_opens_its_fiche_in_falc_for_this_visit_only(qtbot, window: MainWindow) -> None:
    """The reader reads in standard: the hit is shown in FALC, said so; every other page stays standard."""
    window.set_version(TextVersion.STANDARD)
    search_for(qtbot, window, "travailleurs indépendants")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert (window.location.slug, window.version) == ("msp", TextVersion.FALC)
    assert window.falc_button.isChecked() and "(version FALC)" in window.windowTitle()  # what is shown
    assert "Les professionnels libéraux sont des travailleurs indépendants." in window.fiche_view.text()
    assert window.statusBar().currentMessage().startswith("Fiche affichée en version FALC")
    assert window.settings.text_version == "standard"  # the reader's choice, saved, unchanged

    window.back()  # the results, in the reader's version
    assert window.location.page == "search" and window.version is TextVersion.STANDARD
    assert window.standard_button.isChecked() and "FALC" not in window.windowTitle()
    window.forward()  # the visit again, in FALC
    assert window.version is TextVersion.FALC
    window.open_fiche("cpts")  # another fiche: the reader's version
    text = window.fiche_view.text()
    assert window.version is TextVersion.STANDARD and window.standard_button.isChecked()
    assert "Structures regroupant des professionnels" in text and "Les CPTS sont des structures" not in text
    assert "FALC" not in window.windowTitle()


def test_choosing_falc_on_a_visit_in_falc_makes_it_the_readers_choice(qtbot, window: MainWindow) -> None:
    window.set_version(TextVersion.STANDARD)
    search_for(qtbot, window, "travailleurs indépendants")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.version is TextVersion.FALC and window.settings.text_version == "standard"
    qtbot.mouseClick(window.falc_button, Qt.MouseButton.LeftButton)
    assert window.settings.text_version == "falc"
    window.open_fiche("cpts")
    assert window.version is TextVersion.FALC
