"""« Qui contacter ? » on screen: the DAC's contact at the end of its fiche, in the guide's answer, on
the kiosk's DAC page (large, with a QR code), found by search, and edited in Réglages › « Contacts
utiles », refused on entry when its phone does not parse."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QTextDocument

from fiche_desktop import config, contacts
from fiche_desktop.navigation import Page
from fiche_desktop.views.contacts_editor import ContactsEditor, open_editor
from fiche_desktop.views.kiosk_window import KioskWindow
from fiche_desktop.views.main_window import MainWindow
from tests.unit.test_contacts import DAC_AND_SAS, write_system

LABEL = "Contact donné par la Maison de santé des Tilleuls le 30 novembre 2026"


@pytest.fixture
def window_size() -> tuple[int, int]:
    return (1300, 850)


@pytest.fixture(autouse=True)
def _contacts_file() -> Path:
    return write_system(DAC_AND_SAS)


def text_of(doc: QTextDocument) -> str:
    return " ".join(doc.toPlainText().split())


def test_the_dac_fiche_on_screen_ends_with_its_contact_near_you_labelled(qtbot, window: MainWindow) -> None:
    window.open_fiche("dac")
    shown = text_of(window.fiche_view.browser.document())
    near = shown.rindex("Près de chez vous")
    assert "DAC du Val de Loue" in shown[near:] and "03 81 00 00 01" in shown[near:] and LABEL in shown[near:]
    assert "DAC du Val de Loue" not in shown[:near]  # never inside the sourced text
    assert "116 117" not in shown


def test_the_guide_answer_says_how_to_reach_the_dac(qtbot, window: MainWindow) -> None:
    window.open_page(Page.GUIDE)
    view = window.guide_view
    assert view.select_question("situation-complexe")
    shown = text_of(view.browser.document())
    reach = shown.index("Comment les joindre")
    assert reach < shown.index("Ce que disent les sources")
    assert "DAC du Val de Loue" in shown[reach:] and "03 81 00 00 01" in shown[reach:] and LABEL in shown[reach:]
    assert view.select_question("soins-48h")
    assert "116 117" in text_of(view.browser.document())


def test_the_kiosk_dac_page_shows_the_contact_large_with_a_qr_code(qtbot, real_db) -> None:
    w = KioskWindow(
        real_db,
        config.KioskConfig(warning_seconds=3),
        idle_ms=60_000,
        tick_ms=10,
        pin_delay_ms=50,
        cursor_hide_ms=50,
        start_idle=False,
    )
    qtbot.addWidget(w, before_close_func=lambda widget: widget.shutdown())
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_fiche("dac")
    browser = w.fiche_view.browser
    shown = text_of(browser.document())
    assert "Près de chez vous" in shown and "03 81 00 00 01" in shown and LABEL in shown
    # The QR code is an image in the page, about 9 lines of text tall: scroll to it and grab it.
    browser.scrollToAnchor("section-pres-de-chez-vous")
    qtbot.wait(50)
    grab = browser.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    dark = sum(
        1
        for y in range(0, grab.height(), 3)
        for x in range(grab.width() * 2 // 3, grab.width(), 3)
        if grab.pixelColor(x, y).lightness() < 40
    )
    assert dark > 300  # the QR code's black modules, at the right of the contact
    phone_pt = max(
        frag.charFormat().fontPointSize()
        for block in _blocks(browser.document())
        for frag in _fragments(block)
        if "03 81 00 00 01" in frag.text().replace("\u00a0", " ")
    )
    body_pt = browser.document().defaultFont().pointSizeF()
    assert phone_pt >= body_pt * 1.3


def _blocks(doc: QTextDocument):
    block = doc.begin()
    while block.isValid():
        yield block
        block = block.next()


def _fragments(block):
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        if frag.isValid():
            yield frag
        it += 1


def test_search_lists_a_contact_as_contact_utile(qtbot, window: MainWindow) -> None:
    window.search.field.setText("116 117")
    qtbot.waitUntil(lambda: window.search_view.best() is not None, timeout=3000)
    rows = [window.search_view.model.index(i, 0).data() for i in range(window.search_view.model.rowCount())]
    assert any(r.startswith("Contact utile › Service d’accès aux soins (SAS) : 116 117") for r in rows)


def test_the_editor_refuses_a_bad_phone_and_saves_a_good_contact_atomically(qtbot, window: MainWindow) -> None:
    editor = open_editor(window)
    qtbot.addWidget(editor)
    assert isinstance(editor, ContactsEditor)
    assert "2 autre(s) contact(s)" in editor.notes.text()
    editor.structure.setCurrentIndex(editor.structure.findData("cpts"))
    editor.fields["name"].setText("CPTS des Deux Rives")
    editor.fields["phone"].setText("03 81 AB")
    editor.fields["web"].setText("https://cpts-deux-rives.example.org")
    editor.fields["note"].setText("x" * 500)
    assert not editor.save_contact()
    assert "Contact non enregistré. Téléphone :" in editor.message.text()
    assert not contacts.user_file().exists()
    editor.fields["phone"].setText("03 81 00 00 02")
    assert editor.save_contact()
    assert "À savoir : trop long, coupé à 400 caractères." in editor.message.text()
    saved = contacts.load_file(contacts.user_file(), "user")
    assert saved.warnings == [] and [(c.structure, c.phone) for c in saved.contacts] == [("cpts", "03 81 00 00 02")]
    assert sorted(p.name for p in contacts.user_file().parent.iterdir() if "contacts" in p.name) == ["contacts.toml"]
    window.open_fiche("cpts")
    assert "CPTS des Deux Rives" in text_of(window.fiche_view.browser.document())
    editor.close()


def test_a_contact_result_opens_its_fiche_at_near_you_listed_in_the_contents(qtbot, window: MainWindow) -> None:
    window.search.field.setText("Saint-Aubin")
    qtbot.waitUntil(lambda: window.search_view.best() is not None, timeout=3000)
    result = next(r for r in window.search_view.answer.results if r.kind == "contact")
    window.search.open_result(result)
    assert window.fiche_view.fiche is not None and window.fiche_view.fiche.slug == "dac"
    browser = window.fiche_view.browser
    # The caret at « Près de chez vous » (where a screen reader starts), in view.
    qtbot.waitUntil(lambda: browser.textCursor().block().text() == "Près de chez vous", timeout=3000)
    assert browser.viewport().rect().contains(browser.cursorRect().center())
    toc = [window.fiche_view.toc.item(i).text() for i in range(window.fiche_view.toc.count())]
    assert toc[-1].replace("\u00a0", " ") == "Près de chez vous"
