"""A button that folds away a part of a page (its help, its list of sources): the room goes to
what the page is for, and the text is one press away."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

OPEN, CLOSED = "▾", "▸"


class FoldButton(QPushButton):
    """« ▸ title »: pressing it shows or hides target (which may sit anywhere on the page). Folded
    at first unless told otherwise; a screen reader hears the title and whether it is open."""

    def __init__(self, title: str, target: QWidget, *, folded: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.target = target
        self.setObjectName("foldButton")
        self.setCheckable(True)
        self.setAccessibleName(title)
        self.setAccessibleDescription("Afficher ou masquer")
        self.toggled.connect(self._show)
        self.setChecked(not folded)
        self._show(not folded)

    def is_open(self) -> bool:
        return self.isChecked()

    def _show(self, shown: bool) -> None:
        self.setText(f"{OPEN if shown else CLOSED} {self.title}")
        self.target.setVisible(shown)
