"""Search results screen: ranked hits with their fiche, section and a highlighted snippet."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop.render import esc, highlight
from fiche_desktop.search import Result

HTML_ROLE = Qt.ItemDataRole.UserRole + 1
RESULT_ROLE = Qt.ItemDataRole.UserRole + 2
NO_RESULT = "Aucun résultat"

Index = QModelIndex | QPersistentModelIndex


class ResultsModel(QAbstractListModel):
    """A thin list model over search results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: list[Result] = []

    def set_results(self, results: list[Result]) -> None:
        self.beginResetModel()
        self.results = list(results)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.results)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.results):
            return None
        r = self.results[index.row()]
        where = f"{r.fiche_title} › {r.section_title}" if r.section_title else r.fiche_title
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{where} : {r.plain_snippet}"
        if role == HTML_ROLE:
            return f"<b>{esc(where)}</b><br><span>{highlight(r.snippet)}</span>"
        if role == RESULT_ROLE:
            return r
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Paints HTML_ROLE as rich text."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(str(index.data(HTML_ROLE) or ""))
        doc.setTextWidth(max(100, option.rect.width() - 16))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        painter.save()
        painter.translate(option.rect.left() + 8, option.rect.top() + 6)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()) + 16, int(doc.size().height()) + 12)


class ResultsList(QListView):
    activated_result = Signal(object)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt virtual)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.activated_result.emit(index.data(RESULT_ROLE))
                return
        super().keyPressEvent(event)


class SearchView(QWidget):
    """The list of results for the text typed in the main window's search field."""

    open_result = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        self.status = QLabel()
        self.status.setObjectName("groupTitle")
        self.status.setAccessibleName("État de la recherche")
        layout.addWidget(self.status)
        self.model = ResultsModel(self)
        self.list = ResultsList()
        self.list.setModel(self.model)
        self.list.setItemDelegate(HtmlDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAccessibleName("Résultats de la recherche")
        self.list.activated_result.connect(self.open_result)
        self.list.clicked.connect(lambda index: self.open_result.emit(index.data(RESULT_ROLE)))
        layout.addWidget(self.list, 1)
        self.query = ""

    def show_results(self, query: str, results: list[Result]) -> None:
        self.query = query
        self.model.set_results(results)
        if results:
            n = len(results)
            self.status.setText(f"{n} résultat{'s' if n > 1 else ''} pour « {query.strip()} »")
            self.list.setCurrentIndex(self.model.index(0))
        else:
            self.status.setText(NO_RESULT)

    def best(self) -> Result | None:
        return self.model.results[0] if self.model.results else None

    def focus_results(self) -> None:
        self.list.setFocus()
        if self.model.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0))
