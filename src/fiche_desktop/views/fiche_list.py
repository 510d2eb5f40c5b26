"""A list of fiches as a model and a view (no widget per fiche: the base may hold thousands)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from fiche_desktop.content import Fiche, TextVersion
from fiche_desktop.views.list_model import ListModel, RoleValue

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
# The list shows at most this many rows before scrolling on its own.
ROWS_VISIBLE = 12


def fiche_value(version: TextVersion) -> RoleValue[Fiche]:
    """A fiche header's row: the label, the summary as tooltip (none in FALC), the slug."""
    falc = version is TextVersion.FALC

    def value(fiches: Sequence[Fiche], row: int, role: int) -> Any:
        fiche = fiches[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return fiche.display_label(version)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{fiche.label} : ouvrir la fiche"
        if role == Qt.ItemDataRole.ToolTipRole:
            return None if falc else fiche.summary
        if role == SLUG_ROLE:
            return fiche.slug
        return None

    return value


def fiche_list_model(fiches: Sequence[Fiche], version: TextVersion, parent: QObject | None = None) -> ListModel[Fiche]:
    """A list model over fiche headers."""
    return ListModel(fiche_value(version), fiches, parent)


class FicheList(QListView):
    """The other fiches: click, Enter or Space opens one."""

    activated_slug = Signal(str)

    def __init__(self, model: ListModel[Fiche], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName("ficheList")
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(name)
        self.clicked.connect(self._emit)
        self.activated.connect(self._emit)

    def _emit(self, index: QModelIndex) -> None:
        slug = index.data(SLUG_ROLE)
        if slug:
            self.activated_slug.emit(str(slug))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentIndex().isValid():
            self._emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:
        rows = min(self.model().rowCount(), ROWS_VISIBLE)
        row = self.sizeHintForRow(0) if rows else 0
        return QSize(super().sizeHint().width(), rows * row + 2 * self.frameWidth() + 4)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()
