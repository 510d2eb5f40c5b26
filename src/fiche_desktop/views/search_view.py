"""Search results screen: ranked hits with their fiche, part and a highlighted snippet; suggestions
when nothing is found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop.render import esc, highlight
from fiche_desktop.search import Answer, Result, Suggestion
from fiche_desktop.theme import STANDARD, Palette
from fiche_desktop.views.list_model import ListModel
from fiche_desktop.views.rich_text import HTML_ROLE, HtmlDelegate, WrappingListView

RESULT_ROLE = Qt.ItemDataRole.UserRole + 2
NO_RESULT = "Aucun résultat"


def result_value(results: Sequence[Result], row: int, role: int, palette: Palette = STANDARD) -> Any:
    """A search result's row: where it is and its snippet, plain (read aloud) and highlighted in the
    theme's colours."""
    r = results[row]
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
        return f"{r.where} : {r.plain_snippet}"
    if role == HTML_ROLE:
        return f"<b>{esc(r.where)}</b><br><span>{highlight(r.snippet, palette)}</span>"
    if role == RESULT_ROLE:
        return r
    return None


class ResultsList(WrappingListView):
    activated_result = Signal(object)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.activated_result.emit(index.data(RESULT_ROLE))
                return
        super().keyPressEvent(event)


class SearchView(QWidget):
    """The list of results for the text typed in the main window's search field."""

    open_result = Signal(object)
    suggestion_chosen = Signal(object)  # a Suggestion

    def __init__(self, parent: QWidget | None = None, theme: Palette = STANDARD) -> None:
        super().__init__(parent)
        self.theme = theme  # the theme's colours: the snippets' highlights draw in them
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        self.status = QLabel()
        self.status.setObjectName("groupTitle")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("État de la recherche")
        layout.addWidget(self.status)
        self.correction = QLabel()
        self.correction.setObjectName("muted")
        self.correction.setWordWrap(True)
        self.correction.setVisible(False)
        layout.addWidget(self.correction)

        # Shown when nothing is found: the closest known words, the glossary, every fiche.
        self.suggestion_box = QWidget()
        self.suggestion_box.setAccessibleName("Suggestions")
        box = QVBoxLayout(self.suggestion_box)
        box.setContentsMargins(0, 6, 0, 6)
        self.suggestion_hint = QLabel()
        self.suggestion_hint.setWordWrap(True)
        box.addWidget(self.suggestion_hint)
        self.suggestion_row = QHBoxLayout()
        box.addLayout(self.suggestion_row)
        self.suggestion_box.setVisible(False)
        self.suggestion_buttons: list[QPushButton] = []
        layout.addWidget(self.suggestion_box)

        self.model: ListModel[Result] = ListModel(
            lambda items, row, role: result_value(items, row, role, self.theme), parent=self
        )
        self.list = ResultsList()
        self.list.setModel(self.model)
        self.list.setItemDelegate(HtmlDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAccessibleName("Résultats de la recherche")
        self.list.activated_result.connect(self.open_result)
        self.list.clicked.connect(lambda index: self.open_result.emit(index.data(RESULT_ROLE)))
        layout.addWidget(self.list, 1)
        layout.addStretch(0)  # takes the room when the list is hidden (no result): text stays on top
        self.query = ""
        self.answer = Answer("")

    def show_answer(self, answer: Answer) -> None:
        self.answer = answer
        self.query = answer.text
        results = answer.results
        self.model.set_items(results)
        typed = answer.text.strip()
        if results:
            n = len(results)
            plural = "s" if n > 1 else ""
            if answer.corrected:
                self.status.setText(f"{n} résultat{plural} pour « {answer.corrected} »")
                self.correction.setText(f"Aucun résultat pour « {typed} » tel quel : orthographe corrigée.")
            else:
                self.status.setText(f"{n} résultat{plural} pour « {typed} »")
            self.list.setCurrentIndex(self.model.index(0))
        else:
            self.status.setText(f"{NO_RESULT} pour « {typed} »" if typed else NO_RESULT)
        self.correction.setVisible(bool(results and answer.corrected))
        self._show_suggestions([] if results else answer.suggestions)
        self.list.setVisible(bool(results))
        # The count is the list's name: a screen reader speaks it when the focus reaches the list.
        self.list.setAccessibleName(f"Résultats de la recherche : {self.status.text()}")

    def set_theme(self, palette: Palette) -> None:
        """Draws the results in the theme's colours."""
        if palette is not self.theme:
            self.theme = palette
            self.show_answer(self.answer)

    def show_results(self, query: str, results: list[Result]) -> None:
        """Shows results without a correction or suggestions (results computed elsewhere)."""
        self.show_answer(Answer(query, results))

    def _show_suggestions(self, suggestions: list[Suggestion]) -> None:
        for button in self.suggestion_buttons:
            self.suggestion_row.removeWidget(button)
            button.hide()  # deleteLater waits for the event loop: never leave it painted meanwhile
            button.deleteLater()
        self.suggestion_buttons = []
        while self.suggestion_row.count():
            self.suggestion_row.takeAt(0)
        words = [s for s in suggestions if s.kind == "word"]
        self.suggestion_hint.setText(
            "Mots proches connus de l’application :"
            if words
            else f'<span style="color:{self.theme.muted}">Aucun mot proche. Vous pouvez aussi :</span>'
        )
        for s in suggestions:
            button = QPushButton(s.label)
            button.setAccessibleName(f"Rechercher « {s.label} »" if s.kind == "word" else s.label)
            button.clicked.connect(lambda _=False, chosen=s: self.suggestion_chosen.emit(chosen))
            self.suggestion_row.addWidget(button)
            self.suggestion_buttons.append(button)
        self.suggestion_row.addStretch(1)
        self.suggestion_box.setVisible(bool(suggestions))

    def suggestion_labels(self) -> list[str]:
        return [b.text() for b in self.suggestion_buttons]

    def best(self) -> Result | None:
        return self.model.items[0] if self.model.items else None

    def focus_results(self) -> None:
        if not self.model.rowCount() and self.suggestion_buttons:
            self.suggestion_buttons[0].setFocus()
            return
        self.list.setFocus()
        if self.model.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0))
