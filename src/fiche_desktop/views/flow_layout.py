"""A bar whose controls wrap onto more rows when they do not fit.

The desk's top bar uses it: at any window width and zoom step, every control stays on screen
(none is hidden behind an overflow chevron). It places its children itself, without a QLayout
subclass: the bar is part of the first frame, and a layout would need PySide6's `Qt` enums
(about 25 ms of start-up, see views/home.py).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget


class FlowBar(QWidget):
    """Children placed left to right, wrapping; one child (the search field) may grow."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6, margin: int = 6) -> None:
        super().__init__(parent)
        self.items: list[tuple[QWidget, bool]] = []
        self.spacing = spacing
        self.margin = margin
        # No height-for-width size policy: _place() fixes the bar's height at every width, which
        # every layout respects (and PySide6 need not build QSizePolicy's enums for the first frame).

    def add(self, widget: QWidget, grow: bool = False, *, place: bool = True) -> QWidget:
        """place=False: the caller adds more, then calls relayout() once."""
        widget.setParent(self)
        if self.isVisible():  # a child given to a shown widget stays hidden until shown
            widget.show()
        self.items.append((widget, grow))
        if place:
            self.relayout()
        return widget

    def clear(self) -> None:
        """Takes every child away (hidden at once, deleted by the event loop)."""
        for widget, _grow in self.items:
            widget.hide()
            widget.deleteLater()
        self.items = []
        self.relayout()

    def add_gap(self, width: int = 12) -> None:
        gap = QWidget(self)
        gap.setFixedSize(width, 1)
        self.items.append((gap, False))

    def relayout(self) -> None:
        """To call when the children's sizes change (zoom, labels)."""
        self.updateGeometry()
        self._place(self.width())

    def rows(self, width: int) -> list[list[tuple[QWidget, int]]]:
        """The children of each row with their widths, for a bar width."""
        inner = max(1, width - 2 * self.margin)
        rows: list[list[tuple[QWidget, int]]] = [[]]
        used = 0
        for widget, _grow in self.items:
            if widget.isHidden():
                continue
            # A gap has a fixed width and no size hint (-1): its width is its minimum.
            w = min(max(widget.sizeHint().width(), widget.minimumWidth()), inner)
            if rows[-1] and used + w > inner:
                rows.append([])
                used = 0
            rows[-1].append((widget, w))
            used += w + self.spacing
        return [row for row in rows if row]

    def _row_height(self, row: list[tuple[QWidget, int]]) -> int:
        return max(widget.sizeHint().height() for widget, _ in row)

    def heightForWidth(self, width: int) -> int:
        rows = self.rows(width)
        if not rows:
            return 2 * self.margin
        return 2 * self.margin + sum(self._row_height(r) for r in rows) + self.spacing * (len(rows) - 1)

    def hasHeightForWidth(self) -> bool:
        """False: the bar's height is fixed by _place() at every width; layouts need not ask."""
        return False

    def sizeHint(self) -> QSize:
        visible = [w for w, _ in self.items if not w.isHidden()]
        width = sum(w.sizeHint().width() for w in visible) + self.spacing * max(0, len(visible) - 1)
        width += 2 * self.margin
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        widest = max((w.sizeHint().width() for w, _ in self.items if not w.isHidden()), default=0)
        return QSize(min(widest + 2 * self.margin, 200), self.heightForWidth(200))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(event.size().width())

    def event(self, event: QEvent) -> bool:
        # A child's size hint changed (a new font at a zoom step, a new label): Qt posts a layout
        # request to the parent of a widget without a layout; the rows are placed anew.
        if event.type() == QEvent.Type.LayoutRequest:
            self._place(self.width())
        return super().event(event)

    def _place(self, width: int) -> None:
        growing = {id(w) for w, grow in self.items if grow}
        inner = max(1, width - 2 * self.margin)
        y = self.margin
        for row in self.rows(width):
            height = self._row_height(row)
            spare = inner - sum(w for _, w in row) - self.spacing * (len(row) - 1)
            x = self.margin
            for widget, w in row:
                if id(widget) in growing and spare > 0:
                    w += spare
                    spare = 0
                h = widget.sizeHint().height()
                widget.setGeometry(QRect(x, y + (height - h) // 2, w, h))
                x += w + self.spacing
            y += height + self.spacing
        # WORKAROUND: QMainWindow's layout does not ask its central widget for a height for its
        # width; a fixed height, recomputed at every width, makes every row get its room.
        needed = self.heightForWidth(width)
        if self.height() != needed or self.minimumHeight() != needed:
            self.setFixedHeight(needed)
