"""A read-only Qt list model over a Python list: one function gives each role's value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
# value(items, row, role): what the row shows for that role (None: nothing).
RoleValue = Callable[[Sequence[T], int, int], Any]


class ListModel(QAbstractListModel, Generic[T]):
    """The rows are `items`; `value(items, row, role)` answers data() (the row's number and the count
    are there for texts such as « Question 2 sur 5 »)."""

    def __init__(self, value: RoleValue[T], items: Sequence[T] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.items: list[T] = list(items)

    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        return self.value(self.items, index.row(), role)
