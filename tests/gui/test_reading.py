"""Reading at the desk: FALC first, the toggle in sight, honest dates and errata, the glossary,
favourites, find in page, themes."""

from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtWidgets import QApplication

from fiche_desktop import config, paths
from fiche_desktop.content import TextVersion, date_in_words
from fiche_desktop.exit_codes import ExitCode
from fiche_desktop.printing.data import glossary_data
from fiche_desktop.render import MORE_TITLE
from fiche_desktop.theme import CONTRAST
from fiche_desktop.views.main_window import MainWindow
from tests.gui.helpers import type_text


def fully_visible(w: MainWindow, widget) -> bool:
    """True when widget is shown and its whole rectangle lies inside the window."""
    if not widget.isVisible() or widget.visibleRegion().isEmpty():
        return False
    top_left = widget.mapTo(w, widget.rect().topLeft())
    return QRect(0, 0, w.width(), w.height()).contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", [(800, 600), (1024, 700)])
def test_the_version_toggle_stays_in_sight_at_every_zoom_step(qtbot, window: MainWindow, size) -> None:
    window.resize(*size)
    window.open_fiche("msp")
    for zoom in range(config.ZOOM_MIN, config.ZOOM_MAX + 1, config.ZOOM_STEP):
        window.set_zoom(zoom)
        QApplication.processEvents()
        assert window.width() == size[0], f"the window grew at {zoom} %"
        for button in (window.standard_button, window.falc_button):
            assert fully_visible(window, button), f"{button.text()} hidden at {zoom} % in {size}"
            assert button.accessibleName()
    qtbot.mouseClick(window.falc_button, Qt.MouseButton.LeftButton)
    assert window.version is TextVersion.FALC


@pytest.mark.parametrize("size", [(800, 600), (1024, 700)])
def test_the_home_page_never_scrolls_sideways_at_any_zoom_step(qtbot, window: MainWindow, size) -> None:
    """Cards go one under another and the page's buttons onto more rows as the text grows."""
    window.resize(*size)
    home = window.home
    for zoom in range(config.ZOOM_MIN, config.ZOOM_MAX + 1, config.ZOOM_STEP):
        window.set_zoom(zoom)
        qtbot.wait(10)
        assert not home.horizontalScrollBar().isVisible(), f"the home page scrolls sideways at {zoom} % in {size}"
        assert home.widget().width() <= home.viewport().width()
        for button in home.page_button_widgets:
            right = button.mapTo(home.viewport(), button.rect().topRight()).x()
            assert 0 < right <= home.viewport().width(), f"{button.text()} cut at {zoom} %"
    assert len({c.x() for c in home.cards}) == 1  # at 300 %: one column
    window.set_zoom(config.ZOOM_DEFAULT)
    window.resize(1280, 860)
    qtbot.waitUntil(lambda: len({c.x() for c in home.cards[:3]}) == 3, timeout=3000)  # three columns again


def test_the_msp_falc_page_is_the_validated_text_and_one_folded_block(window: MainWindow, real_db) -> None:
    window.set_version(TextVersion.FALC)
    window.open_fiche("msp")
    text = window.fiche_view.text()
    fiche = real_db.fiche("msp")
    for section in fiche.sections:
        for line in section.falc:
            if line:
                assert line in text, line
    assert text.count(MORE_TITLE) == 1
    assert "Pas de version FALC validée pour cette partie" not in text
    detail = next(s for s in fiche.sections if not s.has_falc)
    assert detail.paragraphs()[0] not in text  # folded
    window.fiche_view.unfold()
    assert detail.paragraphs()[0] in window.fiche_view.text()


def test_a_falc_erratum_is_shown_beside_the_falc_text_only(window: MainWindow) -> None:
    window.open_fiche("cds")
    standard = window.fiche_view.text()
    assert "Texte corrigé par Fiche Desktop" not in standard  # the CDS errata correct FALC sentences
    window.set_version(TextVersion.FALC)
    falc = window.fiche_view.text()
    assert "Texte corrigé par Fiche Desktop" in falc
    assert "Les professionnels d’une Maison de Santé Pluriprofessionnelle" in falc  # what the source says


def test_the_sources_page_names_errata_in_words(window: MainWindow) -> None:
    window.open_page("sources")
    text = window.document_view.text()
    assert "CDS – Centre de santé polyvalent, partie" in text and "(version FALC)" in text
    assert "resume-soins" not in text and ".txt" not in text


def test_each_part_shows_the_date_of_its_own_source(window: MainWindow, real_db) -> None:
    window.open_fiche("ess")
    text = window.fiche_view.text()
    assert "source non datée" in text
    assert "Mise à jour du 25/09/2024" not in text  # Fiche 2's clause is not ESS's
    window.open_fiche("msp")
    text = window.fiche_view.text()
    kit = real_db.sources()["kit-doubs"]
    assert f"{kit.title} – {date_in_words(kit.date)}" in text
    assert "Mise à jour du 25/09/2024" in text  # MSP comes from Fiche 2: its clause closes it
    assert "sources du 16 juillet 2020 au 25 septembre 2024" in window.content_label.text()


def test_the_glossary_follows_french_order_with_letters_and_a_filter(qtbot, window: MainWindow, real_db) -> None:
    window.open_page("glossary")
    view = window.glossary_view
    names = [t.term for t in view.shown_terms()]
    # The paper's order (one rule, presentation.french_key): accents, case and hyphens set aside first.
    assert names == [t["term"] for letter in glossary_data(real_db.terms(), {})["letters"] for t in letter["terms"]]
    assert names.index("EHPAD") < names.index("e-parcours") < names.index("Esat")
    education = next(n for n in names if n.casefold().startswith("éducation"))
    assert names.index(education) < names.index("Unapei")
    assert not view.letter_buttons["Q"].isEnabled() or any(n.upper().startswith("Q") for n in names)
    type_text(view.filter, "coordination")
    shown = view.shown_terms()
    assert 0 < len(shown) < len(names)
    assert all("coordination" in (t.term + t.expansion + t.definition).casefold() for t in shown)
    window.set_version(TextVersion.FALC)
    assert "Pas de version FALC pour ce mot." in view.text()


def test_a_glossary_word_opens_its_definition_beside_it(qtbot, window: MainWindow) -> None:
    window.open_fiche("msp")
    popup = window.fiche_view.show_term("SISA")
    assert popup is not None and popup.isVisible()
    assert window.location.page == "fiche"  # the fiche stays
    assert "SISA" in popup.title.text() and popup.body.text()
    qtbot.keyClick(popup.close_button, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    window.follow_link(QUrl("glossaire-page:SISA"))
    assert window.location.page == "glossary"


def test_a_favourite_survives_a_restart(qtbot, window: MainWindow, real_db) -> None:
    window.open_fiche("cpts")
    qtbot.mouseClick(window.fiche_view.favourite_button, Qt.MouseButton.LeftButton)
    assert window.fiche_view.favourite_button.text() == "★ Favori"
    saved = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert saved["favourites"] == ["cpts"]
    window.close()
    settings, _ = config.load_settings()
    again = MainWindow(real_db, settings)
    qtbot.addWidget(again)
    assert [c.slug for c in again.home.favourite_cards] == ["cpts"]
    labels = [a.text() for a in again.desk_actions.favourites_menu.actions()]
    assert "CPTS – Communauté professionnelle territoriale de santé" in labels
    assert [a.text() for a in again.desk_actions.recent_menu.actions()][0].startswith("CPTS")


def test_find_in_page_finds_and_highlights_every_match(qtbot, window: MainWindow) -> None:
    window.open_fiche("msp")
    window.open_find_in_page()
    assert window.fiche_view.find_bar.isVisible()
    type_text(window.fiche_view.find_bar.field, "medecin")  # accents ignored
    marked = window.fiche_view.highlighted_texts()
    assert len(marked) >= 3 and all(m.casefold() in ("médecin", "médecins"[: len(m)]) for m in marked)
    assert window.fiche_view.find_bar.count.text() == f"1 sur {len(marked)}"
    window.fiche_view.find_next(1)
    assert window.fiche_view.find_bar.count.text() == f"2 sur {len(marked)}"
    window.fiche_view.close_find()
    assert window.fiche_view.highlighted_texts() == []


def test_find_in_page_covers_the_folded_standard_parts_of_a_falc_page(qtbot, window: MainWindow) -> None:
    """In FALC the standard parts are folded at the end: a word only there unfolds them, is found and
    shown. SAS, « régulation »: 2 in the standard page; in FALC the definition's validated FALC text
    replaces its standard text (the first hit), the other hit is in a folded part."""
    window.open_fiche("sas")
    window.open_find_in_page()
    type_text(window.fiche_view.find_bar.field, "régulation")
    assert window.fiche_view.find_bar.count.text() == "1 sur 2"
    window.fiche_view.close_find()
    window.set_version(TextVersion.FALC)
    assert not window.fiche_view.unfolded
    assert "régulation" not in window.fiche_view.text().lower()  # folded: not on the page shown
    window.open_find_in_page()  # the word is still in the bar: found again, in the folded parts
    assert window.fiche_view.find_bar.count.text() == "1 sur 1"
    window.fiche_view.find_bar.field.clear()
    window.fiche_view.unfold(False)  # folded again by the reader: the page stays folded…
    assert not window.fiche_view.unfolded
    type_text(window.fiche_view.find_bar.field, "régulation")  # …until the word is looked for
    assert window.fiche_view.find_bar.count.text() == "1 sur 1"
    assert window.fiche_view.unfolded and window.fiche_view.text().lower().count("régulation") == 1
    assert [t.lower() for t in window.fiche_view.highlighted_texts()] == ["régulation"]
    browser = window.fiche_view.browser
    current = browser.cursorRect(browser.textCursor())
    assert 0 <= current.top() and current.bottom() <= browser.viewport().height()  # the hit in view
    assert window.statusBar().currentMessage() == "Parties en version standard dépliées : le mot y figure."


def test_copy_with_the_source_puts_the_source_and_its_date_on_the_clipboard(window: MainWindow) -> None:
    window.open_fiche("msp")
    browser = window.fiche_view.browser
    assert browser.find("SISA")
    window.copy_with_source()
    copied = QApplication.clipboard().text()
    assert copied.startswith("SISA") and "Source : FICHE 2" in copied and "2024" in copied


def test_home_opens_at_the_top_and_titles_do_not_repeat(qtbot, window: MainWindow) -> None:
    window.home.verticalScrollBar().setValue(window.home.verticalScrollBar().maximum())
    window.open_fiche("msp")
    assert window.windowTitle() == "MSP – Maison de santé pluriprofessionnelle – Fiche Desktop"
    window.go_home()
    assert window.home.verticalScrollBar().value() == 0
    assert window.windowTitle().count("Fiche Desktop") == 1


def test_every_home_card_has_a_heading_and_falc_cards_their_first_falc_line(window: MainWindow, real_db) -> None:
    from PySide6.QtWidgets import QLabel

    for card in window.home.cards:
        assert card.findChild(QLabel, "cardHeading").text()
    window.set_version(TextVersion.FALC)
    msp = window.home.card("msp")
    first = next(x for s in real_db.fiche("msp").sections for x in s.falc if x.strip()).lstrip("• ")
    assert any(label.text() == first for label in msp.findChildren(QLabel))


def test_the_high_contrast_theme_restyles_the_page(qtbot, window: MainWindow) -> None:
    window.open_fiche("msp")
    window.toggle_contrast()
    assert window.theme_palette is CONTRAST and window.desk_actions.contrast.isChecked()
    html = window.fiche_view.browser.toHtml()
    assert CONTRAST.ink in html.lower() or "#ffffff" in html.lower()
    saved = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert saved["theme"] == "contrast"


def test_help_lists_every_shortcut_in_french(window: MainWindow) -> None:
    window.open_page("help")
    text = window.document_view.text()
    assert "Alt+Début" in text and "Alt+Gauche" in text and "Ctrl+Maj+F" in text
    assert "Alt+Home" not in text and "Shift" not in text
    # The keys every keyboard has, as the platform writes them: not the dedicated Aide, Trouver… keys.
    assert "Ctrl+F\nRechercher\n" in text and "F1\nAide\n" in text, text
    assert "Trouver" not in text and "F1 ou Aide" not in text and "Zoom avant" not in text
    window.open_page("about")
    about = window.document_view.text()
    assert "SIL Open Font License" in about and "Contenu" in about and "version" in about


def test_session_restore_reopens_the_last_fiche_in_its_version(qtbot, monkeypatch) -> None:
    from fiche_desktop import app

    settings = config.Settings(restore_session=True, last_fiche="dac", text_version="falc")
    config.save_settings(settings)
    shown: list[MainWindow] = []
    monkeypatch.setattr(MainWindow, "show", lambda self: shown.append(self))
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.exec", lambda *a: 0)
    assert app.main([]) == ExitCode.OK
    w = shown[0]
    assert w.location.page == "fiche" and w.location.slug == "dac" and w.version is TextVersion.FALC


def test_read_aloud_is_offered_only_when_it_can_be_honoured(qtbot, window: MainWindow) -> None:
    """Without a sound output (the tests have no sound server: tests/conftest.py) the desk offers no
    « Écouter » with the system's engine; with the mock engine it does (the next test)."""
    window.open_fiche("msp")
    qtbot.waitUntil(lambda: window.speech is not None and window.speech.reason != "pas encore démarrée", timeout=10_000)
    from PySide6.QtMultimedia import QMediaDevices  # once the service has quietened QtMultimedia

    assert not QMediaDevices.audioOutputs()
    assert not window.speech.available and "sortie audio" in window.speech.reason
    listen = window.desk_actions.read_aloud
    assert not listen.isEnabled() and not window.fiche_view.listen_button.isVisible()
    # Off, it says why: its tooltip (shown in the menu), the status bar as the menu is browsed, the help.
    assert listen.toolTip() == f"{listen.text()} – indisponible : {window.speech.reason}"
    assert listen.statusTip() == "Indisponible : aucune sortie audio"
    view_menu = next(m for m in window.menus if listen in m.actions())
    assert view_menu.toolTipsVisible()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == "Lecture à voix haute indisponible : aucune sortie audio."
    window.open_page("help")
    assert "Écouter (la partie affichée ou le texte choisi) — Indisponible : aucune sortie audio" in (
        window.document_view.text()
    )


def test_read_aloud_at_the_desk_with_a_speech_engine(qtbot, real_db) -> None:
    w = MainWindow(real_db, config.Settings(text_version="falc"), save_settings=lambda s: None, speech_engine="mock")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.speech is not None and w.speech.available, timeout=5000)
    w.open_fiche("msp")
    assert w.fiche_view.listen_button.isVisible() and w.desk_actions.read_aloud.isEnabled()
    assert w.desk_actions.read_aloud.toolTip().endswith("(Ctrl+Maj+E)") and not w.desk_actions.read_aloud.statusTip()
    qtbot.keyClick(w, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: w.speech.speaking, timeout=5000)  # the action's keys, not the message
    assert "indisponible" not in w.statusBar().currentMessage()
    w.stop_reading()
    qtbot.waitUntil(lambda: not w.speech.speaking, timeout=5000)
    assert w.fiche_view.read_aloud_text().startswith("Définition")
    qtbot.mouseClick(w.fiche_view.listen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.speech.speaking, timeout=5000)
    w.stop_reading()
    qtbot.waitUntil(lambda: not w.speech.speaking, timeout=5000)


@pytest.mark.skipif(sys.platform == "win32", reason="stops the engine with SIGSTOP: POSIX signals")
def test_a_stuck_speech_engine_at_the_desk_is_said_and_never_blocks(qtbot, real_db) -> None:
    """The engine's process stopped dead (as a wedged speech-dispatcher leaves it): « Écouter »
    pressed, the window goes on answering; at the engine's deadline the status bar says so and
    the read-aloud controls go."""
    import os
    import signal

    from fiche_desktop.gui import speech

    w = MainWindow(real_db, config.Settings(text_version="falc"), save_settings=lambda s: None, speech_engine="mock")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.speech is not None and w.speech.available, timeout=10_000)
    w.open_fiche("msp")
    engine = w.speech._process.processId()
    os.kill(engine, signal.SIGSTOP)
    try:
        qtbot.mouseClick(w.fiche_view.listen_button, Qt.MouseButton.LeftButton)
        w.open_fiche("dac")  # answered at once
        assert w.location.slug == "dac"
        qtbot.waitUntil(lambda: not w.desk_actions.read_aloud.isEnabled(), timeout=speech.COMMAND_DEADLINE_MS + 3000)
        assert w.statusBar().currentMessage().startswith("La lecture à voix haute ne répond plus")
        assert not w.fiche_view.listen_button.isVisible()
    finally:
        try:
            os.kill(engine, signal.SIGCONT)
        except ProcessLookupError:
            pass  # killed at its deadline, as it should be
