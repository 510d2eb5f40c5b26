"""An item delegate that paints a model's HTML role as rich text (results list, comparison cells)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

Index = QModelIndex | QPersistentModelIndex
HTML_ROLE = Qt.ItemDataRole.UserRole + 1

PAD_X, PAD_Y = 8, 6


class HtmlDelegate(QStyledItemDelegate):
    """Paints HTML_ROLE (falling back to the display text) as rich text, wrapped to the cell's width;
    the size hint is the whole text's height, so that a view sizing rows to contents never clips."""

    def __init__(self, parent: QWidget | None = None, role: int = HTML_ROLE) -> None:
        super().__init__(parent)
        self.role = role

    def document(self, option: QStyleOptionViewItem, index: Index, width: int | None = None) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        text_option = QTextOption()
        text_option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(text_option)
        html = index.data(self.role)
        if html is None:
            doc.setPlainText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        else:
            doc.setHtml(str(html))
        doc.setTextWidth(max(60, (width if width is not None else option.rect.width()) - 2 * PAD_X))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        doc = self.document(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        painter.save()
        painter.translate(option.rect.left() + PAD_X, option.rect.top() + PAD_Y)
        painter.setClipRect(0, 0, option.rect.width() - PAD_X, option.rect.height() - PAD_Y)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 (Qt virtual)
        width = option.rect.width()
        view = option.widget
        if width <= 0 and view is not None:
            width = view.width()
        doc = self.document(option, index, width)
        return QSize(int(doc.idealWidth()) + 2 * PAD_X, int(doc.size().height()) + 2 * PAD_Y)
