"""Glossary screen: the terms in French alphabetical order, A–Z letters and a filter."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fiche_desktop.content import Term, TextVersion
from fiche_desktop.presentation import french_sorted, initial
from fiche_desktop.render import RenderContext, glossary_html
from fiche_desktop.search import fold
from fiche_desktop.views import accessibility
from fiche_desktop.views.fiche_view import FicheBrowser

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def matches(term: Term, query: str) -> bool:
    """True when every word of query is in the term, its expansion, aliases or definition."""
    hay = fold(" ".join([term.term, term.expansion, *term.aliases, term.definition]))
    return all(word in hay for word in fold(query).split())


class GlossaryView(QWidget):
    """A filter field, A–Z buttons, the terms; links go back to the main window."""

    link_activated = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.terms: list[Term] = []
        self.version = TextVersion.STANDARD
        self.context = RenderContext()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.setContentsMargins(16, 10, 16, 4)
        label = QLabel("&Filtrer :")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("un sigle ou un mot, ex. : ACI, coordination")
        self.filter.setAccessibleName("Filtrer les termes du glossaire")
        self.filter.setClearButtonEnabled(True)
        accessibility.name_clear_button(self.filter, "Effacer le filtre")
        self.filter.textChanged.connect(lambda _t: self.refresh())
        label.setBuddy(self.filter)
        top.addWidget(label)
        top.addWidget(self.filter, 1)
        layout.addLayout(top)
        letters = QHBoxLayout()
        letters.setContentsMargins(16, 0, 16, 4)
        letters.setSpacing(2)
        self.letter_buttons: dict[str, QPushButton] = {}
        for letter in LETTERS:
            button = QPushButton(letter)
            button.setObjectName("letterButton")
            button.setAccessibleName(f"Termes commençant par {letter}")
            button.clicked.connect(lambda _=False, x=letter: self.go_to_letter(x))
            letters.addWidget(button)
            self.letter_buttons[letter] = button
        letters.addStretch(1)
        layout.addLayout(letters)
        self.browser = FicheBrowser(copy_with_source=False)
        self.browser.setAccessibleName("Glossaire")
        self.browser.internal_link.connect(self.link_activated)
        layout.addWidget(self.browser, 1)

    def show_terms(
        self, terms: list[Term], version: TextVersion, context: RenderContext, anchor: str | None = None
    ) -> None:
        from PySide6.QtGui import QFontMetricsF

        from fiche_desktop.views.fiche_view import MAX_LINE_CHARS

        self.browser.max_text_px = int(QFontMetricsF(self.browser.font()).averageCharWidth() * MAX_LINE_CHARS)
        self.terms = french_sorted(terms, key=lambda t: t.term)  # the paper's order and letters too
        self.version = version
        self.context = context
        self.refresh()
        if anchor:
            self.browser.scrollToAnchor(anchor)

    def shown_terms(self) -> list[Term]:
        query = self.filter.text().strip()
        return [t for t in self.terms if matches(t, query)] if query else list(self.terms)

    def refresh(self) -> None:
        shown = self.shown_terms()
        present = {initial(t.term) for t in shown}
        for letter, button in self.letter_buttons.items():
            button.setEnabled(letter in present)
        self.browser.setHtml(glossary_html(shown, self.context, self.version, filtered=bool(self.filter.text())))

    def go_to_letter(self, letter: str) -> None:
        self.browser.scrollToAnchor(f"lettre-{letter}")

    def text(self) -> str:
        return self.browser.toPlainText()
