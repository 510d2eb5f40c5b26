"""What a screen reader gets from every screen, read in process through QAccessible: names and
roles of the controls, the fiche as headings, paragraphs, lists and links, the focus order,
keyboard access and the announcements. (tests/e2e/test_atspi.py walks the same tree over AT-SPI.)"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from fiche_desktop import config
from fiche_desktop.content import TextVersion
from fiche_desktop.views import accessibility
from fiche_desktop.views.kiosk_window import KioskWindow
from fiche_desktop.views.main_window import MainWindow
from tests.gui.a11y import Node, Role, tree, unnamed_controls
from tests.gui.helpers import type_text

PRESS = QAccessibleActionInterface.pressAction()


@pytest.fixture
def window_size() -> tuple[int, int]:
    return (1280, 860)


@pytest.fixture
def kiosk(qtbot, real_db):
    cfg = config.KioskConfig(warning_seconds=30, printing=True)
    w = KioskWindow(real_db, cfg, idle_ms=60_000, tick_ms=10, pin_delay_ms=50, cursor_hide_ms=60_000, start_idle=False)
    qtbot.addWidget(w, before_close_func=lambda widget: widget.shutdown())
    w.resize(1920, 1080)
    w.show()
    qtbot.waitExposed(w)
    yield w


def settle(qtbot, ms: int = 30) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()


def document(view_browser: QWidget) -> Node:
    node = tree(view_browser)
    assert node.role == Role.Document
    return node


def headings(doc: Node) -> list[tuple[int, str]]:
    return [(n.level, n.name) for n in doc.walk() if n.role == Role.Heading]


def words(text: str) -> str:
    return " ".join(text.split())


# --- Every control has a name and a role ----------------------------------------------------


def _desk_screen(qtbot, w: MainWindow, screen: str) -> QWidget:
    """Opens screen in w; returns the widget whose tree a screen reader reads (window or dialog)."""
    if screen == "fiche-falc":
        w.set_version(TextVersion.FALC)
        w.open_fiche("msp")
        w.fiche_view.unfold()
    elif screen == "fiche":
        w.open_fiche("msp")
        w.open_find_in_page()
    elif screen == "search":
        w.search_field.setFocus()
        type_text(w.search_field, "maison de santé")
        qtbot.waitUntil(lambda: w.search.showing() and w.search_view.model.rowCount() > 0, timeout=5000)
    elif screen == "compare":
        w.open_compare()
    elif screen in ("glossary", "sources", "help", "about"):
        w.open_page(screen)
    elif screen == "print":
        w.open_fiche("msp")
        return w.open_print_dialog()
    elif screen == "contact":
        return w.open_contact_settings()
    elif screen == "popup":
        w.open_fiche("msp")
        popup = w.fiche_view.show_term("MSP")
        assert popup is not None
        return popup
    settle(qtbot)
    return w


DESK_SCREENS = ["home", "fiche", "fiche-falc", "search", "compare", "glossary", "sources", "help", "about"]


@pytest.mark.parametrize("screen", [*DESK_SCREENS, "print", "contact", "popup"])
def test_every_control_of_the_desk_has_a_name(qtbot, window: MainWindow, screen: str) -> None:
    root = tree(_desk_screen(qtbot, window, screen))
    assert unnamed_controls(root) == []
    assert len([n for n in root.walk() if n.interactive]) >= 2


@pytest.mark.parametrize("screen", ["home", "fiche", "countdown", "qr", "info", "pin", "attract"])
def test_every_control_of_the_kiosk_has_a_name(qtbot, kiosk: KioskWindow, screen: str) -> None:
    if screen == "fiche":
        kiosk.set_version(TextVersion.FALC)
        kiosk.open_fiche("msp")
    elif screen == "countdown":
        kiosk.cycle.enter_warning()
    elif screen == "qr":
        kiosk.open_fiche("msp")
        kiosk.show_qr("https://www.ameli.fr")
    elif screen == "info":
        kiosk.info_overlay.show_message("Votre fiche est imprimée", ["Prenez votre feuille à l’imprimante."])
    elif screen == "pin":
        kiosk.pin_overlay.open()
    elif screen == "attract":
        kiosk.cycle.enter_attract()
    settle(qtbot)
    root = tree(kiosk)
    assert unnamed_controls(root) == []
    if screen in ("countdown", "qr", "info", "pin"):
        overlay = {"countdown": kiosk.countdown, "qr": kiosk.qr_overlay, "info": kiosk.info_overlay}.get(
            screen, kiosk.pin_overlay
        )
        node = tree(overlay)
        assert node.role == Role.Dialog and node.name == overlay.title.text()
        assert overlay.title.text() in node.description
    if screen == "qr":
        code = tree(kiosk.qr_overlay.code)
        assert code.role == Role.Graphic and "https://www.ameli.fr" in code.description


def test_every_control_of_the_print_preview_has_a_name(qtbot, window: MainWindow) -> None:
    window.open_fiche("msp")
    dialog = window.open_print_dialog()
    printer = dialog.make_printer()  # the preview does not own it: kept alive here
    preview = dialog.make_preview(printer)
    qtbot.addWidget(preview)
    preview.show()
    settle(qtbot)
    root = tree(preview)
    assert unnamed_controls(root) == []
    extension = [n for n in root.walk() if n.name == "Autres boutons de la barre d’outils"]
    assert len(extension) == 1  # the toolbar's « » » button, unnamed by Qt
    preview.close()


def test_the_clear_buttons_of_the_text_fields_are_named(qtbot, window: MainWindow) -> None:
    window.finish_start()
    window.open_fiche("msp")
    window.open_find_in_page()
    window.open_page("glossary")
    settle(qtbot)
    fields = {
        window.search_field: "Effacer la recherche",
        window.fiche_view.find_bar.field: "Effacer le mot recherché",
        window.glossary_view.filter: "Effacer le filtre",
    }
    for field, name in fields.items():
        buttons = [n for n in tree(field).walk() if n.role == Role.Button]
        assert [b.name for b in buttons] == [name]


def test_the_top_bar_is_a_toolbar_and_the_version_control_a_named_group(window: MainWindow) -> None:
    window.finish_start()
    bar = tree(window.top_bar)
    assert bar.role == Role.ToolBar and bar.name == "Barre d’outils"
    group = tree(window.version_toggle)
    assert group.role == Role.Grouping and group.name == "Version du texte"
    names = [c.name for c in group.children if c.role == Role.RadioButton]
    assert names == ["Afficher la version standard", "Afficher la version FALC, facile à lire et à comprendre"]
    falc = next(c for c in group.children if "FALC" in c.name)
    assert falc.state.focusable and falc.state.checkable and not falc.state.checked
    falc.iface.actionInterface().doAction(PRESS)
    assert window.version is TextVersion.FALC
    assert tree(window.version_toggle).children[1].state.checked


def test_the_arrow_keys_choose_the_version_as_in_a_radio_group(qtbot, window: MainWindow) -> None:
    window.standard_button.setFocus()
    QTest.keyClick(window.standard_button, Qt.Key.Key_Right)
    assert window.version is TextVersion.FALC and QApplication.focusWidget() is window.falc_button
    QTest.keyClick(window.falc_button, Qt.Key.Key_Left)
    assert window.version is TextVersion.STANDARD


# --- The text views keep Qt's own text interface (what Orca reads: tests/e2e/test_orca.py) ------


@pytest.mark.parametrize("page", ["fiche", "glossary", "sources", "help"])
def test_every_text_view_is_read_only_text_with_a_keyboard_caret(qtbot, window: MainWindow, page: str) -> None:
    if page == "fiche":
        window.open_fiche("msp")
        browser = window.fiche_view.browser
    elif page == "glossary":
        window.open_page("glossary")
        browser = window.glossary_view.browser
    else:
        window.open_page(page)
        browser = window.document_view.browser
    settle(qtbot)
    iface = QAccessible.queryAccessibleInterface(browser)
    text = iface.textInterface()
    assert text is not None and iface.state().readOnly
    # The same characters as the page (Qt marks a table's cells with U+FDD0/U+FDD1 there).
    said = re.sub(r"[\s\ufdd0\ufdd1]", "", text.text(0, text.characterCount()))
    assert said == re.sub(r"\s", "", browser.toPlainText()) != ""
    assert browser.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert iface.text(QAccessible.Text.Name)


def _tab_to_link(qtbot, browser: QWidget, scheme: str) -> str:
    """Tabs through the text's links until one of scheme is selected; its text."""
    browser.setFocus()
    settle(qtbot)
    for _ in range(60):
        QTest.keyClick(browser, Qt.Key.Key_Tab)
        cursor = browser.textCursor()
        if cursor.hasSelection() and cursor.charFormat().anchorHref().startswith(scheme + ":"):
            return cursor.selectedText()
    raise AssertionError(f"Tab never reached a {scheme}: link")


def test_a_glossary_link_reached_by_tab_opens_its_definition_with_enter(qtbot, window: MainWindow) -> None:
    window.open_fiche("msp")
    _tab_to_link(qtbot, window.fiche_view.browser, "glossaire")
    QTest.keyClick(window.fiche_view.browser, Qt.Key.Key_Return)
    popup = window.fiche_view.popup
    assert popup is not None and popup.isVisible()
    node = tree(popup)
    assert node.role == Role.Dialog and node.name.startswith("Définition : ")
    assert QApplication.focusWidget() is popup.close_button
    assert popup.body.text() in accessibility.announcements[-1]
    QTest.keyClick(popup.close_button, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_the_falc_fold_link_unfolds_by_keyboard(qtbot, window: MainWindow) -> None:
    window.set_version(TextVersion.FALC)
    window.open_fiche("msp")
    before = window.fiche_view.text()
    browser = window.fiche_view.browser
    browser.setFocus()
    settle(qtbot)
    for _ in range(80):
        QTest.keyClick(browser, Qt.Key.Key_Tab)
        if browser.textCursor().selectedText().startswith("Afficher"):
            break
    else:
        pytest.fail("Tab never reached the « Afficher… » link")
    QTest.keyClick(browser, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.fiche_view.unfolded and len(window.fiche_view.text()) > len(before)
    assert "Masquer" in window.fiche_view.text()


def test_comparison_cells_say_structure_and_criterion(window: MainWindow) -> None:
    window.open_compare("msp")
    table = tree(window.compare_view.table)
    assert table.role == Role.Table and table.name == "Tableau de comparaison"
    cells = [c.name for c in table.walk() if c.role == Role.Cell]
    assert any(name.startswith("MSP, Financement : ") for name in cells)
    assert any(name.startswith("ESP, Composition, équipe minimale : ") for name in cells)


# --- Home: headings and cards -------------------------------------------------------------


def test_home_has_headings_and_cards_that_are_buttons(window: MainWindow) -> None:
    window.finish_start()
    root = tree(window.home)
    found = [(n.level, n.name) for n in root.walk() if n.role == Role.Heading]
    assert found[0] == (1, "Dispositifs de soins primaires et de coordination")
    assert (2, "Acteurs de soins") in found and (2, "Autres fiches") in found
    cards = [n for n in root.walk() if n.role == Role.Button and n.name.endswith(": ouvrir la fiche")]
    assert len(cards) == len(window.home.cards)
    msp = next(n for n in cards if n.name.startswith("MSP"))
    assert msp.state.focusable and not msp.children and msp.description
    msp.iface.actionInterface().doAction(PRESS)
    assert window.location.page == "fiche" and window.location.slug == "msp"


# --- Focus order and the keyboard ---------------------------------------------------------


def tab_cycle(start: QWidget, limit: int = 120) -> list[QWidget]:
    """The widgets Tab gives the focus to, from start until it comes back."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    seen: list[QWidget] = [start]
    for _ in range(limit):
        current = QApplication.focusWidget()
        QTest.keyClick(current, Qt.Key.Key_Tab)
        QApplication.processEvents()
        now = QApplication.focusWidget()
        if now is start:
            return seen
        if now is not None and now is not seen[-1]:
            seen.append(now)
    raise AssertionError(f"Tab never came back: {[w.accessibleName() or type(w).__name__ for w in seen]}")


def place(widget: QWidget, window: QWidget) -> QRect:
    """Where widget is laid out in window, as if every scrolled page were at its top."""
    from PySide6.QtWidgets import QScrollArea

    area = widget.parentWidget()
    while area is not None and not (isinstance(area, QScrollArea) and area.widget().isAncestorOf(widget)):
        area = area.parentWidget()
    if area is None:
        return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    inside = widget.mapTo(area.widget(), QPoint(0, 0))
    return QRect(area.viewport().mapTo(window, QPoint(0, 0)) + inside, widget.size())


def in_reading_order(widgets: list[QWidget], window: QWidget) -> list[str]:
    """The pairs where Tab goes back up or to the left on the same line (empty: reading order)."""
    wrong = []
    for a, b in zip(widgets, widgets[1:], strict=False):
        ra, rb = place(a, window), place(b, window)
        below = rb.top() >= ra.bottom() - 4
        same_line_after = rb.top() < ra.bottom() and rb.bottom() > ra.top() and rb.left() >= ra.left()
        if not (below or same_line_after):
            wrong.append(f"{a.accessibleName() or type(a).__name__} → {b.accessibleName() or type(b).__name__}")
    return wrong


@pytest.mark.parametrize("screen", ["home", "fiche", "compare", "glossary"])
def test_tab_follows_the_visual_order(qtbot, window: MainWindow, screen: str) -> None:
    window.finish_start()
    if screen == "fiche":
        window.open_fiche("msp")
    elif screen == "compare":
        window.open_compare()
    elif screen == "glossary":
        window.open_page("glossary")
    settle(qtbot)
    first = next(w for w, _ in window.top_bar.items if w.isEnabled() and w.focusPolicy() != Qt.FocusPolicy.NoFocus)
    order = tab_cycle(first)
    toolbar = [w for w in order if window.top_bar.isAncestorOf(w)]
    assert order[: len(toolbar)] == toolbar, "the top bar comes first"
    # The version pair is one stop, on the version shown (the arrows choose, see above).
    assert window.search_field in toolbar and window.standard_button in toolbar
    assert window.falc_button not in toolbar
    assert in_reading_order(order, window) == []
    page = window.stack.currentWidget()
    assert [w for w in order if page.isAncestorOf(w)], "Tab reaches the page"


def test_the_comparison_grid_is_walked_with_the_arrow_keys(qtbot, window: MainWindow) -> None:
    window.open_compare()
    table = window.compare_view.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    QTest.keyClick(table, Qt.Key.Key_Right)
    QTest.keyClick(table, Qt.Key.Key_Down)
    assert (table.currentIndex().row(), table.currentIndex().column()) == (1, 1)
    name = table.model().index(1, 1).data(Qt.ItemDataRole.AccessibleTextRole)
    assert name.startswith(f"{window.compare_view.model.comparison.fiches[1].acronym}, ")
    QTest.keyClick(table, Qt.Key.Key_Return)  # the cell in full, beside the grid
    assert window.compare_view.panel.isVisible() and window.location.page == "compare"
    QTest.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # the fiche at that part
    assert window.location.page == "fiche"


def test_the_kiosk_is_reachable_by_keyboard(qtbot, kiosk: KioskWindow) -> None:
    order = tab_cycle(kiosk.bar.home_button)
    shown = kiosk.bar.falc_button if kiosk.version is TextVersion.FALC else kiosk.bar.standard_button
    assert order[:4] == [kiosk.bar.home_button, shown, kiosk.bar.zoom_out_button, kiosk.bar.zoom_in_button]
    cards = [w for w in order if w in kiosk.home.cards]
    assert len(cards) == len(kiosk.home.cards)
    assert in_reading_order(order, kiosk) == []
    QTest.keyClick(cards[0], Qt.Key.Key_Return)
    assert kiosk.current_fiche is not None
    # The admin keypad: every key is reached by Tab (a touch does not move the focus).
    kiosk.pin_overlay.open()
    keys = tab_cycle(kiosk.pin_overlay.digit_buttons["1"])
    pad = kiosk.pin_overlay
    assert set(pad.digit_buttons.values()) | {pad.clear_button, pad.ok_button, pad.cancel_button} <= set(keys)
    assert pad.digit_buttons["1"].focusPolicy() == Qt.FocusPolicy.TabFocus


# --- Announcements: what appears without the focus ----------------------------------------


def test_the_search_results_count_is_announced(qtbot, window: MainWindow) -> None:
    window.search_field.setFocus()
    type_text(window.search_field, "msp")
    qtbot.waitUntil(lambda: window.search.showing() and window.search_view.model.rowCount() > 0, timeout=5000)
    n = window.search_view.model.rowCount()
    assert accessibility.announcements[-1] == f"{n} résultat{'s' if n > 1 else ''} pour « msp »"
    assert QApplication.focusWidget() is window.search_field


def test_the_kiosk_countdown_is_announced_every_ten_seconds(qtbot, kiosk: KioskWindow) -> None:
    accessibility.announcements.clear()
    kiosk.cycle.enter_warning()
    assert accessibility.announcements[-1].startswith("Êtes-vous encore là ?")
    assert "30 secondes" in accessibility.announcements[-1]
    qtbot.waitUntil(lambda: kiosk.cycle.state_machine.remaining <= 4, timeout=5000)
    said = accessibility.announcements
    assert any("Encore 20 secondes" in s for s in said) and any("Encore 5 secondes" in s for s in said)
    assert not any("Encore 29 secondes" in s for s in said)


def test_a_printed_fiche_is_announced(qtbot, window: MainWindow, tmp_path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    window.open_fiche("msp")
    dialog = window.open_print_dialog()

    def pdf_printer() -> QPrinter:  # no printer here: Qt prints to a PDF file
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "imprime.pdf"))
        return printer

    def print_it(preview) -> bool:
        dialog.paint(preview.printer())  # what the preview's Print button does
        return True

    dialog.make_printer = pdf_printer  # type: ignore[method-assign]
    dialog.run_preview = print_it  # type: ignore[method-assign]
    assert dialog.preview_and_print()
    assert accessibility.announcements[-1] == dialog.status.text()
    assert dialog.status.text().startswith("Document enregistré en PDF")


def test_the_kiosks_printed_message_is_announced(qtbot, kiosk: KioskWindow) -> None:
    kiosk.open_fiche("msp")
    kiosk.info_overlay.show_message("Votre fiche est imprimée", ["Prenez votre feuille à l’imprimante."])
    assert accessibility.announcements[-1] == "Votre fiche est imprimée Prenez votre feuille à l’imprimante."
    assert QApplication.focusWidget() is kiosk.info_overlay


def test_status_bar_messages_are_announced(window: MainWindow) -> None:
    window.finish_start()
    window.open_fiche("msp")
    window.toggle_favourite()
    assert accessibility.announcements[-1].endswith("ajoutée aux favoris.")
