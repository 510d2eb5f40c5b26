"""The desk window driven through its real widgets, offscreen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel

from fiche_desktop import config, paths
from fiche_desktop.content import TextVersion
from fiche_desktop.views import accessibility
from fiche_desktop.views.main_window import MainWindow
from fiche_desktop.views.search_view import NO_RESULT
from tests.gui.helpers import type_text


def search_for(qtbot, w: MainWindow, text: str) -> None:
    w.focus_search()
    w.search_field.clear()
    type_text(w.search_field, text)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.search_view and w.search_view.query == text, timeout=3000)


def test_home_shows_pivot_and_cards_of_both_groups(window: MainWindow) -> None:
    home = window.home
    labels = [c.accessibleName() for c in home.cards]
    for acronym in ("ESP", "MSP", "CDS", "CPTS", "DAC", "SAS"):
        assert any(name.startswith(acronym + " ") for name in labels), acronym
    texts = " ".join(lbl.text() for lbl in home.findChildren(QLabel))
    assert "Acteurs de soins" in texts and "Acteurs de coordination" in texts
    assert "médecin traitant" in texts.lower()
    assert "Clause de flexibilité" in texts


def test_opening_a_card_shows_the_fiche_with_date_and_source(qtbot, window: MainWindow) -> None:
    card = window.home.card("msp")
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.fiche_view
    text = window.fiche_view.text()
    assert "MSP – Maison de santé pluriprofessionnelle" in text
    assert "Fiche du 17 septembre 2024" in text
    assert "Source : FICHE 2" in text
    assert "Association ou obligatoirement une SISA" in text
    assert "susceptibles d’évoluer" in text  # the flexibility clause


def test_falc_toggle_shows_falc_lines_and_keeps_the_section(qtbot, window: MainWindow) -> None:
    window.open_fiche("msp", "resume-soins")
    assert window.fiche_view.current_section() == "resume-soins"
    qtbot.mouseClick(window.falc_button, Qt.MouseButton.LeftButton)
    assert window.version is TextVersion.FALC
    text = window.fiche_view.text()
    assert "Les professionnels libéraux sont des travailleurs indépendants." in text
    assert "Label Qualité FALC" in text
    assert window.fiche_view.current_section() == "resume-soins"
    # The detailed sections have no validated FALC: gathered once, at the end, folded.
    assert text.count("Pour en savoir plus (version standard, non FALC)") == 1
    assert "Pas de version FALC validée pour cette partie" not in text and "SISA" not in text
    # The choice is remembered.
    saved = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert saved["text_version"] == "falc"


def test_falc_shortcut_toggles_back_and_forth(qtbot, window: MainWindow) -> None:
    window.open_fiche("sas")
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.version is TextVersion.FALC and window.falc_button.isChecked()
    assert "Le SAS est un service téléphonique pour l'aide médicale d'urgence." in window.fiche_view.text()
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.version is TextVersion.STANDARD and window.standard_button.isChecked()


def test_falc_text_is_large_and_uses_the_bundled_font(window: MainWindow) -> None:
    window.set_version(TextVersion.FALC)
    window.open_fiche("esp")
    doc = window.fiche_view.browser.document()
    cursor_found = False
    block = doc.begin()
    while block.isValid():
        if block.text().startswith("L’ESP est une structure"):
            fmt = block.begin().fragment().charFormat()
            size = fmt.fontPointSize() or doc.defaultFont().pointSizeF()
            assert size >= 14
            assert block.blockFormat().lineHeight() >= 150
            assert not fmt.fontItalic()
            cursor_found = True
        block = block.next()
    assert cursor_found
    assert QApplication.font().family() == "Andika"


def test_search_with_accents_opens_the_best_hit_on_enter(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "maison de santé")
    best = window.search_view.best()
    assert best is not None and best.slug == "msp"
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.fiche_view
    assert window.location.slug == "msp"


def test_search_results_show_fiche_section_and_snippet(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "hebergement")
    model = window.search_view.model
    assert model.rowCount() > 0
    shown = model.data(model.index(0), Qt.ItemDataRole.DisplayRole)
    assert "›" in shown or "–" in shown
    assert "hébergement" in shown.lower()


def test_junk_input_says_no_result_and_offers_a_way_on(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, '"*) AND NOT zzqx')
    assert window.search_view.status.text().startswith(NO_RESULT)
    assert window.search_view.suggestion_box.isVisible()
    assert window.search_view.suggestion_labels() == ["Parcourir le glossaire", "Voir toutes les fiches"]
    qtbot.mouseClick(window.search_view.suggestion_buttons[0], Qt.MouseButton.LeftButton)
    assert window.location.page == "glossary" and window.search_field.text() == ""


def test_an_empty_result_suggests_the_closest_word_and_searches_it(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "cooordinnation")
    view = window.search_view
    assert "coordination" in view.suggestion_labels()
    button = next(b for b in view.suggestion_buttons if b.text() == "coordination")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.query == "coordination" and view.model.rowCount() > 0, timeout=3000)
    assert not view.suggestion_box.isVisible()


def test_a_typo_shows_the_corrected_query_and_the_right_fiche_first(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "maisn de santé")
    assert "« maison de santé »" in window.search_view.status.text()
    assert window.search_view.correction.isVisible()
    assert window.search_view.best().slug == "msp"


def test_opening_a_hit_scrolls_to_it_and_highlights_it(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "tiers payant")
    best = window.search_view.best()
    assert (best.slug, best.section) == ("cds", "definition")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.location.slug == "cds"
    assert window.fiche_view.highlighted_texts() == ["tiers", "payant"]
    browser = window.fiche_view.browser
    selections = browser.extraSelections()
    hit = browser.cursorRect(selections[0].cursor)
    assert 0 <= hit.top() and hit.bottom() <= browser.viewport().height()  # in view


def test_a_hit_only_in_falc_opens_the_falc_view_highlighted(qtbot, window: MainWindow) -> None:
    window.set_version(TextVersion.STANDARD)
    search_for(qtbot, window, "travailleurs indépendants")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.version is TextVersion.FALC and window.falc_button.isChecked()
    assert (window.location.slug, window.location.section) == ("msp", "resume-definition")
    assert window.fiche_view.highlighted_texts() == ["travailleurs", "indépendants"]


def test_a_feminine_opens_the_fiche_with_the_masculine_lit_and_never_a_stop_word(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "qui est l'infirmiere")
    best = window.search_view.best()
    assert window.search_view.model.rowCount() > 1 and best.part  # a part of a fiche, not « Aucun résultat »
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert (window.location.slug, window.location.section) == (best.slug, best.section)
    lit = window.fiche_view.highlighted_texts()
    assert lit and {t.lower() for t in lit} <= {"infirmier", "infirmiers"}, lit


def test_the_box_clears_after_opening_a_hit_and_back_brings_the_results_back(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "cpts")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.location.page == "fiche" and window.search_field.text() == ""
    window.back()
    assert window.search_field.text() == "cpts"
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.search_view, timeout=3000)
    assert window.search_view.best().slug == "cpts"
    window.forward()
    assert window.location.slug == "cpts" and window.stack.currentWidget() is window.fiche_view


def test_enter_before_results_arrive_opens_best_hit(qtbot, window: MainWindow) -> None:
    window.focus_search()
    type_text(window.search_field, "48h")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.fiche_view, timeout=3000)
    assert window.location.slug == "sas"


def test_results_list_is_reachable_with_down_and_enter(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "cpts")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    assert window.search_view.list.hasFocus()
    qtbot.keyClick(window.search_view.list, Qt.Key.Key_Return)
    assert window.location.page == "fiche" and window.location.slug == "cpts"


def test_glossary_page_and_term_link(qtbot, window: MainWindow) -> None:
    window.open_fiche("msp")
    window.follow_link(QUrl("glossaire:SISA"))
    assert window.location.page == "glossary"
    text = window.glossary_view.text()
    assert "SISA" in text and "Définition rédigée par Fiche Desktop" in text
    window.back()
    assert window.location.page == "fiche" and window.location.slug == "msp"
    window.forward()
    assert window.location.page == "glossary"


def test_sources_page_lists_sources_and_errata(window: MainWindow) -> None:
    window.open_page("sources")
    text = window.document_view.text()
    assert "Kit à l'attention des Élus du département du Doubs" in text
    assert "Erratum" in text and "La source indique" in text
    assert "Les professionnels d’une Maison de Santé Pluriprofessionnelle" in text


def test_zoom_shortcuts_change_and_remember_the_size(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 110
    assert QApplication.font().pointSizeF() == pytest.approx(12.1, abs=0.05)
    window.set_zoom(130)  # between two steps (saved by an older version): the next step down
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 125
    assert json.loads(paths.settings_file().read_text(encoding="utf-8"))["zoom"] == 125
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 100


def test_zoom_reaches_200_percent_in_five_presses_and_300_at_most_and_says_its_level(qtbot, window: MainWindow) -> None:
    seen = []
    for _ in range(5):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        seen.append(window.zoom)
    assert seen == [110, 125, 150, 175, 200]
    assert window.zoom_label.isVisible() and window.zoom_label.text() == "Zoom 200\u00a0%"
    assert accessibility.announcements[-1] == "Zoom 200 %"  # said to a screen reader
    for _ in range(5):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 300 and window.zoom_label.text() == "Zoom 300\u00a0%"
    steps = [*seen, 250, 300]
    assert all(1.10 <= b / a <= 1.25 for a, b in zip([100, *steps], steps, strict=False))
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom_label.text() == "Zoom 100\u00a0%"


def test_keyboard_path_from_home_to_a_fiche(qtbot, window: MainWindow) -> None:
    card = window.home.card("cds")
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)
    assert window.location.slug == "cds"
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.location.page == "home"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_field.hasFocus()


def test_help_and_shortcuts_exist(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.location.page == "help"
    assert "Ctrl+T" in window.document_view.text()
    keys = {a.shortcut().toString() for a in window.actions()}
    assert {"Ctrl+Q", "Ctrl+F", "Ctrl+T", "Ctrl+0"} <= keys | {QKeySequence(QKeySequence.StandardKey.Find).toString()}


def test_every_interactive_widget_has_an_accessible_name(window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QTextBrowser

    window.open_fiche("msp")
    for kind in (QAbstractButton, QLineEdit, QAbstractItemView, QTextBrowser):
        for w in window.findChildren(kind):
            if w.isVisible():
                name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
                assert name, repr(w)


@pytest.mark.parametrize("screen", ["compare", "guide", "search"])
def test_every_interactive_widget_of_compare_guide_and_search_is_named(qtbot, window: MainWindow, screen: str) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QTextBrowser

    if screen == "compare":
        window.open_compare()
        view = window.compare_view
        view.open_full(view.model.index(0, 0))  # the side panel and its buttons
    elif screen == "guide":
        window.open_page("guide")
    else:
        search_for(qtbot, window, "cooordinnation")  # suggestions as buttons
    for kind in (QAbstractButton, QLineEdit, QAbstractItemView, QTextBrowser):
        for w in window.findChildren(kind):
            if w.isVisible():
                name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
                assert name, repr(w)


def test_unknown_link_schemes_are_never_followed(window: MainWindow) -> None:
    window.open_fiche("msp")
    window.follow_link(QUrl("file:///etc/passwd"))
    assert window.location.slug == "msp"


def test_corrupt_settings_file_is_moved_aside_with_a_warning(qtbot, real_db) -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    settings, warnings = config.load_settings()
    assert warnings and "illisible" in warnings[0]
    aside = [p for p in Path(path.parent).iterdir() if ".corrompu-" in p.name]
    assert aside and aside[0].read_text(encoding="utf-8") == "{not json"
    w = MainWindow(real_db, settings, warnings=warnings)
    qtbot.addWidget(w)
    assert "illisible" in w.statusBar().currentMessage()


def test_a_status_message_gets_the_whole_bar_then_the_content_version_comes_back(qtbot, window) -> None:
    """At 1024 px a long message (a content set aside) was cut in the middle by the content
    version beside it: while a message shows, the version steps aside."""
    window.resize(1024, 700)
    assert window.content_label.isVisible()
    window.statusBar().showMessage("Paquet de contenu installé pour tous inutilisable, contenu suivant utilisé")
    assert window.content_label.isHidden()
    window.statusBar().clearMessage()
    assert window.content_label.isVisible()


def test_every_page_opens_with_its_screen_and_title_and_back_walks_them_in_reverse(qtbot, window: MainWindow) -> None:
    """The page table: each page shows its own screen and title, and Back / Forward return to it."""
    from fiche_desktop.navigation import Page

    titles = {
        Page.HOME: "Dispositifs de soins primaires et de coordination",
        Page.FICHE: "MSP – Maison de santé pluriprofessionnelle",
        Page.GLOSSARY: "Glossaire",
        Page.SOURCES: "Sources et erratum",
        Page.HELP: "Aide",
        Page.ABOUT: "À propos",
        Page.COMPARE: "Comparer les structures",
        Page.GUIDE: "Quelle structure ?",
        Page.SEARCH: "Recherche « maison de santé »",
    }
    assert set(window.pages.table) == set(titles) == set(Page)
    screens = {}
    for page in Page:
        if page is Page.FICHE:
            window.open_fiche("msp", "resume-definition")
        elif page is Page.COMPARE:
            window.open_compare("cpts")
        elif page is Page.SEARCH:
            search_for(qtbot, window, "maison de santé")
        else:
            window.open_page(page)
        screens[page] = window.stack.currentWidget()
        assert window.location.page == page and window.windowTitle() == titles[page] + " – Fiche Desktop"
    assert screens[Page.FICHE] is window.fiche_view and screens[Page.GUIDE] is window.guide_view
    assert screens[Page.HELP] is screens[Page.ABOUT] is window.document_view
    assert screens[Page.SEARCH] is window.search_view
    for page in reversed(list(Page)[:-1]):
        window.back()
        assert window.location.page == page and window.stack.currentWidget() is screens[page]
        assert window.windowTitle() == titles[page] + " – Fiche Desktop"
        assert window.search_field.text() == ""  # the search's words only on its results page
    assert not window.desk_actions.back.isEnabled()
    window.forward()
    assert (window.location.page, window.location.slug) == (Page.FICHE, "msp")
    assert window.compare_view.slugs[0] == "cpts"  # the comparison kept what it showed


def test_menu_mnemonics_are_one_letter_each(window) -> None:
    """Alt+letter opens one menu: no two menu titles share their underlined letter."""
    letters = [m.title()[m.title().index("&") + 1].lower() for m in window.menus]
    assert len(letters) == len(set(letters)) == 7


def test_the_window_title_names_the_falc_version(qtbot, window) -> None:
    from fiche_desktop.content import TextVersion

    window.open_fiche("msp")
    assert "FALC" not in window.windowTitle()
    window.set_version(TextVersion.FALC)
    assert "(version FALC) – Fiche Desktop" in window.windowTitle()
    window.set_version(TextVersion.STANDARD)
    assert "FALC" not in window.windowTitle()


def test_opening_a_fiche_puts_the_keyboard_in_its_text(qtbot, window) -> None:
    """The text takes the focus, named after the fiche and its version: a screen reader says them."""
    window.search_field.setFocus()
    window.open_fiche("cpts")
    browser = window.fiche_view.browser
    qtbot.waitUntil(browser.hasFocus, timeout=2000)
    assert browser.accessibleName() == f"{window.db.fiche('cpts').label}, version standard"
    assert browser.textCursor().position() == 0


def test_an_error_is_in_a_line_the_keyboard_reaches_and_takes_the_focus(qtbot, window) -> None:
    """A status-bar message alone is never heard: an error (a link to a fiche that does not exist)
    is shown in a focusable line that takes the focus, named « Message : … »; it stays while read."""
    window.open_fiche("msp")
    qtbot.waitUntil(lambda: window.fiche_view.browser.hasFocus(), timeout=3000)
    window.open_fiche("fiche-inexistante")
    line = window.statusBar().line
    qtbot.waitUntil(line.hasFocus, timeout=3000)
    assert line.text() == "Fiche introuvable : fiche-inexistante"
    assert line.accessibleName() == "Message : Fiche introuvable : fiche-inexistante"
    window.statusBar().clearMessage()  # its time runs out while it is read: it stays
    assert line.text() == "Fiche introuvable : fiche-inexistante"
    window.fiche_view.browser.setFocus()
    qtbot.waitUntil(lambda: line.text() == "", timeout=3000)  # and goes when the focus leaves it
    window.statusBar().showMessage("PDF enregistré : /tmp/x.pdf", 5000)  # a result: shown, reachable, no jump
    assert window.fiche_view.browser.hasFocus() and line.focusPolicy() != line.focusPolicy().NoFocus
