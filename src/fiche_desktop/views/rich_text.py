"""An item delegate that paints a model's HTML role as rich text (results list, comparison cells)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QResizeEvent, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex
HTML_ROLE = Qt.ItemDataRole.UserRole + 1

PAD_X, PAD_Y = 8, 6


class HtmlDelegate(QStyledItemDelegate):
    """Paints HTML_ROLE (falling back to the display text) as rich text, wrapped to the cell's width;
    the size hint is the whole text's height, so that a view sizing rows to contents never clips."""

    def __init__(self, parent: QWidget | None = None, role: int = HTML_ROLE) -> None:
        super().__init__(parent)
        self.role = role
        # Anywhere, past a word too long for the width (a web address in a result); the comparison
        # wraps between words only, its columns kept as wide as its longest word.
        self.wrap_mode = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere

    def document(self, option: QStyleOptionViewItem, index: Index, width: int | None = None) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        text_option = QTextOption()
        text_option.setWrapMode(self.wrap_mode)
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
        # The style sheet gives selected items a pale background: the text keeps its own colour.
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = option.rect.width()
        view = option.widget
        if isinstance(view, QListView):
            # WORKAROUND: a list view asks with rects of different widths (its layout, visualRect):
            # measure every item at the one width it paints them at, the viewport's less spacing.
            width = view.viewport().width() - 2 * view.spacing()
        elif width <= 0 and isinstance(view, QAbstractItemView):
            width = view.viewport().width()
        doc = self.document(option, index, width)
        # The width measured at, not the text's ideal width: a list lays the item out at the width
        # it is given, and a narrower one would wrap more lines than were measured.
        return QSize(max(int(doc.textWidth()), int(doc.idealWidth())) + 2 * PAD_X, int(doc.size().height()) + 2 * PAD_Y)


class WrappingListView(QListView):
    """A list of wrapped rich-text items, laid out again at once when its width changes.

    WORKAROUND: QListView asks the delegate for an item's size each time it needs the item's rect but
    places items where an earlier layout put them, and lays out again only 100 ms after a resize
    (never in its default Fixed mode): meanwhile a taller item would be painted over by the next."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.doItemsLayout()
