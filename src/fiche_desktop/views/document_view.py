"""Reference pages as one HTML document: the sources with the errata, the help, « À propos »."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from fiche_desktop.views.fiche_view import FicheBrowser


class DocumentView(QWidget):
    """One HTML page with anchors; links go back to the main window."""

    link_activated = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.browser = FicheBrowser()
        self.browser.setAccessibleName("Page de référence")
        self.browser.internal_link.connect(self.link_activated)
        layout.addWidget(self.browser)

    def show_page(self, page: str, html: str, anchor: str | None = None) -> None:
        from PySide6.QtGui import QFontMetricsF

        from fiche_desktop.views.fiche_view import MAX_LINE_CHARS

        self.page = page
        self.browser.max_text_px = int(QFontMetricsF(self.browser.font()).averageCharWidth() * MAX_LINE_CHARS)
        self.browser.setHtml(html)
        self.browser.setAccessibleName(
            {"glossary": "Glossaire", "sources": "Sources et erratum", "help": "Aide"}.get(page, "Page de référence")
        )
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)

    def text(self) -> str:
        return self.browser.toPlainText()
