"""Fiche screen: every section of one fiche, its sources and date, in either text version."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QCursor, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop.content import Fiche, TextVersion
from fiche_desktop.render import LEVEL_TITLES, RenderContext, fiche_html
from fiche_desktop.search import hit_spans

SECTION_PREFIX = "section-"
# The background of search hits in a fiche (black text on it: contrast above 15:1).
HIT_BG = QColor("#ffd84d")


def section_range(browser: QTextBrowser, section: str) -> tuple[int, int] | None:
    """The document positions from the section's title to the next section's, or None."""
    doc = browser.document()
    start: int | None = None
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                if not name.startswith(SECTION_PREFIX):
                    continue
                if start is None and name == SECTION_PREFIX + section:
                    start = block.position()
                elif start is not None and block.position() > start:
                    return start, block.position()
            it += 1
        block = block.next()
    return (start, doc.characterCount()) if start is not None else None


def section_at_top(browser: QTextBrowser) -> str | None:
    """The id of the last section whose title is at or above the top of the viewport."""
    doc = browser.document()
    layout = doc.documentLayout()
    top = browser.verticalScrollBar().value() + 4
    current: str | None = None
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                if name.startswith(SECTION_PREFIX):
                    if layout.blockBoundingRect(block).top() <= top:
                        current = name[len(SECTION_PREFIX) :]
                    else:
                        return current
            it += 1
        block = block.next()
    return current


class FicheBrowser(QTextBrowser):
    """Shows rendered HTML; internal links are handled by the owner, glossary terms hover."""

    internal_link = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDocumentMargin(24)
        self.anchorClicked.connect(self.internal_link)
        self.highlighted.connect(self._on_hover)
        self.term_definitions: dict[str, str] = {}

    def _on_hover(self, url: QUrl) -> None:
        if url.scheme() == "glossaire":
            text = self.term_definitions.get(url.path())
            if text:
                QToolTip.showText(QCursor.pos(), text, self)
                return
        QToolTip.hideText()


class FicheView(QWidget):
    """Table of contents on the left, the fiche on the right."""

    link_activated = Signal(QUrl)
    compare_requested = Signal(str)
    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, buttons: bool = True, hint: str = "") -> None:
        """buttons: « Comparer » and « Imprimer / PDF »; hint: a line beside the heading (the kiosk's)."""
        super().__init__(parent)
        self.buttons = buttons
        self.fiche: Fiche | None = None
        self.version = TextVersion.STANDARD
        self.context = RenderContext()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(12, 8, 12, 0)
        self.heading = QLabel()
        self.heading.setObjectName("muted")
        bar.addWidget(self.heading, 1)
        self.compare_button = QPushButton("Comparer avec d’autres structures")
        self.compare_button.setAccessibleName("Comparer cette structure avec d’autres")
        self.compare_button.clicked.connect(lambda: self.fiche and self.compare_requested.emit(self.fiche.slug))
        bar.addWidget(self.compare_button)
        self.print_button = QPushButton("Imprimer / PDF")
        self.print_button.setAccessibleName("Imprimer ou exporter cette fiche en PDF")
        self.print_button.clicked.connect(self.print_requested)
        bar.addWidget(self.print_button)
        self.hint = QLabel(hint)
        self.hint.setObjectName("termHint")
        self.hint.setVisible(bool(hint))
        bar.addWidget(self.hint)
        self.compare_button.setVisible(buttons)
        self.print_button.setVisible(buttons)
        layout.addLayout(bar)
        self.splitter = splitter = QSplitter()
        self.toc = QListWidget()
        self.toc.setAccessibleName("Sommaire de la fiche")
        self.toc.setWordWrap(True)
        self.toc.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.toc.itemActivated.connect(self._toc_activated)
        self.toc.itemClicked.connect(self._toc_activated)
        self.browser = FicheBrowser()
        self.browser.setAccessibleName("Texte de la fiche")
        self.browser.internal_link.connect(self._on_link)
        splitter.addWidget(self.toc)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 900])
        layout.addWidget(splitter, 1)

    def show_fiche(
        self, fiche: Fiche, version: TextVersion, context: RenderContext, section: str | None = None
    ) -> None:
        self.fiche = fiche
        self.version = version
        self.context = context
        self.browser.term_definitions = {
            t.term: f"{t.term}{' : ' + t.expansion if t.expansion else ''}\n{t.definition}" for t in context.terms
        }
        self.compare_button.setVisible(self.buttons and fiche.kind == "structure")
        self.browser.setExtraSelections([])
        self.browser.setHtml(fiche_html(fiche, version, context))
        self.browser.document().setDefaultStyleSheet("")
        self._fill_toc()
        self.heading.setText(fiche.label)
        if section:
            self.scroll_to(section)
        else:
            self.browser.verticalScrollBar().setValue(0)

    def rerender(self, version: TextVersion, context: RenderContext) -> None:
        """Re-renders in another version or size, keeping the section at the top in view."""
        if self.fiche is None:
            return
        section = self.current_section()
        self.show_fiche(self.fiche, version, context, section)

    def current_section(self) -> str | None:
        return section_at_top(self.browser)

    def scroll_to(self, section: str) -> None:
        self.browser.scrollToAnchor(SECTION_PREFIX + section)

    def text(self) -> str:
        return self.browser.toPlainText()

    def _fill_toc(self) -> None:
        self.toc.clear()
        if self.fiche is None:
            return
        level = ""
        for s in self.fiche.sections:
            if s.level != level and self.fiche.kind != "overview":
                level = s.level
                header = QListWidgetItem(LEVEL_TITLES[level])
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                font = header.font()
                font.setBold(True)
                header.setFont(font)
                self.toc.addItem(header)
            title = s.display_title(self.version)
            item = QListWidgetItem(title)
            item.setData(256, s.id)
            item.setToolTip(title)
            self.toc.addItem(item)
        if self.fiche.links:
            item = QListWidgetItem("Liens utiles")
            item.setData(256, "liens")
            self.toc.addItem(item)

    def _toc_activated(self, item: QListWidgetItem) -> None:
        if item.data(256):
            self.scroll_to(str(item.data(256)))

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == "section":
            self.scroll_to(url.path())
        else:
            self.link_activated.emit(url)

    def highlight_hit(self, section: str, terms: tuple[str, ...], prefix: str = "") -> list[str]:
        """Highlights the search hits in the section (anywhere in the fiche when the section, as shown,
        has none) and brings the first into view; returns the highlighted texts."""
        doc = self.browser.document()
        bounds = section_range(self.browser, section) if section else None
        selections: list[QTextEdit.ExtraSelection] = []
        for start, end in ([bounds] if bounds else []) + [(0, doc.characterCount())]:
            block = doc.findBlock(start)
            while block.isValid() and block.position() < end:
                for s, e in hit_spans(block.text(), terms, prefix):
                    cursor = QTextCursor(doc)
                    cursor.setPosition(block.position() + s)
                    cursor.setPosition(block.position() + e, QTextCursor.MoveMode.KeepAnchor)
                    selection = QTextEdit.ExtraSelection()
                    selection.cursor = cursor  # type: ignore[attr-defined]
                    selection.format.setBackground(HIT_BG)  # type: ignore[attr-defined]
                    selections.append(selection)
                block = block.next()
            if selections:
                break
        self.browser.setExtraSelections(selections)
        if selections:
            first = QTextCursor(selections[0].cursor)  # type: ignore[attr-defined]
            first.setPosition(first.selectionStart())
            self.browser.setTextCursor(first)
            rect = self.browser.cursorRect(first)
            viewport = self.browser.viewport().height()
            if rect.top() < 0 or rect.bottom() > viewport:
                bar = self.browser.verticalScrollBar()
                bar.setValue(bar.value() + rect.top() - viewport // 3)
        return [s.cursor.selectedText() for s in selections]  # type: ignore[attr-defined]

    def highlighted_texts(self) -> list[str]:
        """The texts highlighted in the fiche now (search hits)."""
        return [s.cursor.selectedText() for s in self.browser.extraSelections()]  # type: ignore[attr-defined]

    def find_text(self, text: str) -> bool:
        return self.browser.find(text, QTextDocument.FindFlag(0))
