"""The themes as a reader sees them: text contrast measured on the grabbed pixels of the comparison, the
guide's answer and a fiche's search hit, in high contrast saved before the window is built (a restart)
and toggled after, and back in the standard theme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QMenu,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QTextBrowser,
    QToolButton,
    QWidget,
)

from fiche_desktop import config
from fiche_desktop.navigation import Location, Page
from fiche_desktop.theme import CONTRAST, STANDARD, contrast_ratio
from fiche_desktop.views.guide_view import ANSWER_HEADING, SOURCES_HEADING
from fiche_desktop.views.main_window import MainWindow
from tests.gui.pixels import contrast_of_region, dominant_colours, edge_contrast

# (theme saved before the start, toggled once started, the theme shown, the least text contrast)
CASES = [
    pytest.param("contrast", False, CONTRAST, 7.0, id="contraste-au-demarrage"),
    pytest.param("standard", True, CONTRAST, 7.0, id="contraste-active-ensuite"),
    pytest.param("contrast", True, STANDARD, 4.5, id="standard-apres-contraste"),
    pytest.param("standard", False, STANDARD, 4.5, id="standard"),
]


@pytest.fixture
def open_window(qtbot, real_db) -> Iterator:
    """open_window(theme, toggle): the desk window as a restart builds it with theme saved in the
    settings, at 1366×768, then the theme toggled (Ctrl+Maj+H's action) when asked."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved_palette = app.palette()
    windows: list[MainWindow] = []

    def open_window(theme: str, toggle: bool) -> MainWindow:
        settings, _ = config.load_settings()
        settings.theme = theme
        config.save_settings(settings)
        settings, _ = config.load_settings()  # what the next start reads
        w = MainWindow(real_db, settings, search_delay_ms=20)
        qtbot.addWidget(w)
        windows.append(w)
        w.resize(1366, 768)
        w.show()
        qtbot.waitExposed(w)
        if toggle:
            w.toggle_contrast()
        return w

    yield open_window
    for w in windows:
        w.close()
    app.setPalette(saved_palette)  # the next tests' widgets in the default colours


def text_rect(browser: QTextBrowser, cursor: QTextCursor) -> QRect:
    """The viewport rectangle of a selection on one line."""
    start, end = QTextCursor(cursor), QTextCursor(cursor)
    start.setPosition(cursor.selectionStart())
    end.setPosition(cursor.selectionEnd())
    return browser.cursorRect(start).united(browser.cursorRect(end))


def marked(image, rect: QRect, colour: str) -> QRect:
    """The part of rect painted in colour (a mark's background), a line's leading left out."""
    target = QColor(colour).rgb()
    rows = [
        y
        for y in range(rect.top(), rect.bottom() + 1)
        if any(image.pixel(x, y) == target for x in range(rect.left(), rect.right() + 1))
    ]
    assert rows, f"no {colour} in {rect}"
    return QRect(rect.left(), rows[0], rect.width(), rows[-1] - rows[0] + 1)


def block_rect(browser: QTextBrowser, text: str) -> QRect:
    """The viewport rectangle of the first paragraph that says text, brought into view."""
    doc = browser.document()
    block = doc.begin()
    while block.isValid() and block.text().strip() != text:
        block = block.next()
    assert block.isValid(), text
    cursor = QTextCursor(block)
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    r = doc.documentLayout().blockBoundingRect(block).toAlignedRect()
    return r.translated(-browser.horizontalScrollBar().value(), -browser.verticalScrollBar().value())


@pytest.mark.parametrize(("theme", "toggle", "shown", "least"), CASES)
def test_the_comparison_text_and_its_check_box_are_readable(open_window, theme, toggle, shown, least) -> None:
    w = open_window(theme, toggle)
    w.go(Location(Page.COMPARE, "msp,cds"))
    view = w.compare_view
    assert w.theme_palette is shown and view.column_titles() == ["MSP", "CDS"]
    table, model = view.table, view.model
    differs = next(r for r, row in enumerate(model.rows) if row is not None and row.differs)
    same = next(r for r, row in enumerate(model.rows) if row is not None and not row.differs)
    image = table.viewport().grab().toImage()
    for row in (differs, same):
        cell = table.visualRect(model.index(row, 0)).adjusted(3, 3, -3, -3)
        assert contrast_of_region(image, cell) >= least, (model.rows[row].label, dominant_colours(image, cell))
    # « Différences seulement »: its words, and the box one ticks (an edge: 3:1 on what surrounds it)
    box = view.diff_only
    grab = box.grab().toImage()
    option = QStyleOptionButton()
    box.initStyleOption(option)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    words = QRect(indicator.right() + 4, 0, box.width() - indicator.right() - 4, box.height())
    assert contrast_of_region(grab, words) >= least, dominant_colours(grab, words)
    assert contrast_of_region(grab, indicator) >= 3, dominant_colours(grab, indicator)


@pytest.mark.parametrize(("theme", "toggle", "shown", "least"), CASES)
def test_the_guides_answer_headings_and_links_are_readable(open_window, theme, toggle, shown, least) -> None:
    w = open_window(theme, toggle)
    w.open_page("guide")
    view = w.guide_view
    assert view.select_question("soins-48h")
    browser = view.browser
    assert w.theme_palette is shown
    for heading in (view.answer.question.question, ANSWER_HEADING, SOURCES_HEADING):
        rect = block_rect(browser, heading)
        image = browser.viewport().grab().toImage()
        assert contrast_of_region(image, rect) >= least, (heading, dominant_colours(image, rect))
    link = browser.document().find("lire dans la fiche", 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not link.isNull()
    browser.setTextCursor(link)
    browser.ensureCursorVisible()
    rect = text_rect(browser, link).adjusted(2, 0, 0, 0)  # the reading caret left aside
    image = browser.viewport().grab().toImage()
    assert contrast_of_region(image, rect) >= least, dominant_colours(image, rect)


@pytest.mark.parametrize(("theme", "toggle", "shown", "least"), CASES)
def test_a_search_hit_in_a_fiche_is_readable_on_its_highlight(open_window, qtbot, theme, toggle, shown, least) -> None:
    w = open_window(theme, toggle)
    if toggle:  # toggled back to the start's theme, then once more once the hit is shown
        w.toggle_contrast()
    w.focus_search()
    w.search_field.setText("tiers payant")
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.search_view and w.search_view.query == "tiers payant")
    w.search.open_result(w.search_view.best())
    if toggle:
        w.toggle_contrast()
    assert w.theme_palette is shown and w.location.slug == "cds"
    browser = w.fiche_view.browser
    hits = browser.extraSelections()
    assert [h.cursor.selectedText() for h in hits] == ["tiers", "payant"]
    image = browser.viewport().grab().toImage()
    for hit in hits:
        # The caret, at the first hit, left aside; the line's leading above and below the mark too.
        rect = marked(image, text_rect(browser, hit.cursor).adjusted(2, 0, 0, 0), shown.mark_bg)
        background, text = dominant_colours(image, rect)
        assert contrast_of_region(image, rect) >= least, (hit.cursor.selectedText(), background, text)
        assert background == shown.mark_bg  # the highlight is drawn, in the theme's colour


def focusable(window: QWidget) -> list[QWidget]:
    """The controls of the page shown that Tab reaches, wholly in view."""
    return [
        w
        for w in window.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.window() is window
        and w.visibleRegion().boundingRect() == w.rect()
    ]


def rings(window: QWidget) -> list[tuple[QWidget, float]]:
    """Each control of the page given the focus in turn (a control may pass it on: the version pair
    gives it to its checked button), and its edge's contrast once focused."""
    out = []
    for control in focusable(window):
        control.setFocus(Qt.FocusReason.TabFocusReason)
        focused = QApplication.focusWidget()
        assert isinstance(focused, QWidget) and focused.window() is window, control.accessibleName()
        out.append((focused, edge_contrast(window, focused)))
    return out


@pytest.mark.parametrize("theme", ["standard", "contrast"])
def test_every_control_shows_a_focus_ring_of_3_to_1_on_what_surrounds_it(open_window, qtbot, theme: str) -> None:
    """Home, comparison, guide, fiche, the print dialog: each control Tab reaches, checked dark buttons included, gets a
    ring that stands out 3:1 from its inside and from what lies around it."""
    w = open_window(theme, False)
    with qtbot.waitActive(w):
        w.activateWindow()
    measured: list[tuple[QWidget, float]] = []
    for show in (w.go_home, lambda: w.go(Location(Page.COMPARE, "msp,cds")), lambda: w.open_page("guide")):
        show()
        measured += rings(w)
    w.open_fiche("msp")
    measured += rings(w)
    dialog = w.open_print_dialog()  # its radio buttons, check boxes, list and buttons
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    measured += rings(dialog)
    assert {"QRadioButton", "QListWidget"} <= {type(c).__name__ for c, _ in measured}
    checked = [c for c, _ in measured if isinstance(c, QPushButton) and c.isChecked()]
    assert len(checked) >= 4 and len(measured) >= 40  # the version, the columns, the guide's path
    low = [(type(c).__name__, c.accessibleName(), round(ratio, 2)) for c, ratio in measured if ratio < 3]
    assert not low, low


@pytest.mark.parametrize("theme", ["standard", "contrast"])
def test_menus_and_context_menus_have_a_visible_edge(open_window, qtbot, theme: str) -> None:
    """A menu over the page has an edge at 3:1 from its inside and from the page under it."""
    w = open_window(theme, False)
    w.open_fiche("msp")
    context = w.fiche_view.browser.createStandardContextMenu()
    for menu in (w.menus[0], context):
        at = QPoint(300, 300)
        menu.popup(w.mapToGlobal(at))
        qtbot.waitExposed(menu)
        image = menu.grab().toImage()
        band = QRect(menu.width() // 4, 0, menu.width() // 2, 1)
        edge = dominant_colours(image, band)[0]
        inside = dominant_colours(image, menu.rect().adjusted(6, 6, -6, -6))[0]
        under = dominant_colours(w.grab().toImage(), band.translated(at.x(), at.y() - 2))[0]
        menu.close()
        assert isinstance(menu, QMenu)
        assert contrast_ratio(edge, inside) >= 3 and contrast_ratio(edge, under) >= 3, (edge, inside, under)
    context.deleteLater()


@pytest.mark.parametrize(("theme", "toggle", "shown", "least"), CASES)
def test_selected_text_and_disabled_controls_are_readable(open_window, theme, toggle, shown, least) -> None:
    """A selection in a fiche's text, and « Suivant » greyed out before any step back."""
    w = open_window(theme, toggle)
    forward = next(b for b in w.top_bar.findChildren(QToolButton) if b.text() == "Suivant")
    assert not forward.isEnabled() and w.theme_palette is shown
    grab = forward.grab().toImage()
    assert contrast_of_region(grab, forward.rect().adjusted(4, 4, -4, -4)) >= least, dominant_colours(grab)
    w.open_fiche("msp")
    browser = w.fiche_view.browser
    found = browser.document().find("pluriprofessionnelles", 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull()
    browser.setTextCursor(found)
    browser.ensureCursorVisible()
    rect = text_rect(browser, found).adjusted(2, 0, -2, 0)
    image = browser.viewport().grab().toImage()
    assert dominant_colours(image, rect)[0] == shown.accent  # the selection is drawn, in the theme's colour
    assert contrast_of_region(image, rect) >= least, dominant_colours(image, rect)
