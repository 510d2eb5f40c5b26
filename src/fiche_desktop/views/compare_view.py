"""Comparison screen: chosen structures as columns, criteria as rows, differences marked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop.compare import (
    DEFAULT_SLUGS,
    MAX_COLUMNS,
    MIN_COLUMNS,
    STRUCTURE_SLUGS,
    Cell,
    Comparison,
    Row,
    build_comparison,
)
from fiche_desktop.content import Source, TextVersion, date_in_words
from fiche_desktop.db import ContentDB
from fiche_desktop.render import FALC_NOTICE, NO_VALUE

Index = QModelIndex | QPersistentModelIndex
CELL_ROLE = Qt.ItemDataRole.UserRole + 1
DIFF_MARK = "≠ "
SAME_MARK = "= "
DIFF_BG = QColor("#fffaeb")


def cell_text(cell: Cell) -> str:
    """What a cell shows: its lines, the FALC notice first when needed."""
    if cell.empty:
        return NO_VALUE
    body = "\n".join(line for line in cell.lines if line) if cell.falc else "\n".join(cell.lines)
    return f"{FALC_NOTICE}\n{body}" if cell.notice else body


class ComparisonModel(QAbstractTableModel):
    """A thin table model over a Comparison: rows are criteria, columns structures."""

    def __init__(self, sources: dict[str, Source], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources = sources
        self.comparison: Comparison | None = None
        self.rows: list[Row] = []

    def set_comparison(self, comparison: Comparison, differences_only: bool) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.rows = comparison.visible_rows(differences_only)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.comparison is None else len(self.comparison.fiches)

    def cell(self, index: Index) -> Cell | None:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        cells = self.rows[index.row()].cells
        return cells[index.column()] if index.column() < len(cells) else None

    def source_text(self, cell: Cell) -> str:
        parts = []
        for sid in cell.sources:
            src = self.sources.get(sid)
            if src:
                parts.append(f"{src.title} ({date_in_words(src.date)})")
        return "Source : " + " ; ".join(parts) if parts else "Les sources ne le précisent pas."

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # A screen reader moving cell to cell hears where it is: « MSP, Financement : … ».
            fiche = self.comparison.fiches[index.column()] if self.comparison is not None else None
            where = f"{fiche.acronym or fiche.title if fiche else ''}, {self.rows[index.row()].label}"
            return f"{where} : {' '.join(cell_text(cell).split())}"
        if role == Qt.ItemDataRole.ToolTipRole:
            hint = "\nEntrée ou double-clic : ouvrir la partie de la fiche." if cell.section else ""
            return self.source_text(cell) + hint
        if role == Qt.ItemDataRole.BackgroundRole and self.rows[index.row()].differs:
            return QBrush(DIFF_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if role == Qt.ItemDataRole.ForegroundRole and cell.empty:
            return QBrush(QColor("#555555"))
        if role == CELL_ROLE:
            return cell
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if self.comparison is None or section >= len(self.comparison.fiches):
                return None
            fiche = self.comparison.fiches[section]
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return fiche.acronym if role == Qt.ItemDataRole.DisplayRole else fiche.label
        if section >= len(self.rows):
            return None
        row = self.rows[section]
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(row.differs)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Les structures diffèrent sur ce point." if row.differs else "Identique pour toutes."
        return (DIFF_MARK if row.differs else SAME_MARK) + row.label


class CompareView(QWidget):
    """Pick 2 to 7 structures; rows of criteria; differences only; open a section from a cell."""

    open_section = Signal(str, str)
    export_requested = Signal(list, object)  # slugs, version

    def __init__(self, db: ContentDB, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.version = TextVersion.STANDARD
        self._stale = False  # the text version changed while hidden: refresh when shown
        self.slugs: list[str] = list(DEFAULT_SLUGS)
        headers = {f.slug: f for f in db.fiche_headers()}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel("Comparer les structures")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        hint = QLabel(
            "Choisissez de 2 à 7 structures. Faites glisser un en-tête de colonne pour la déplacer "
            "(ou Ctrl+Maj+← / →). Entrée ou double-clic sur une case : ouvrir la partie de la fiche."
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        layout.addWidget(hint)

        chooser = QHBoxLayout()
        self.toggles: dict[str, QPushButton] = {}
        for slug in STRUCTURE_SLUGS:
            fiche = headers.get(slug)
            if fiche is None:
                continue
            button = QPushButton(fiche.acronym or slug.upper())
            button.setCheckable(True)
            button.setToolTip(fiche.label)
            button.setAccessibleName(f"Colonne {fiche.label}")
            button.toggled.connect(lambda checked, s=slug: self._toggle(s, checked))
            chooser.addWidget(button)
            self.toggles[slug] = button
        chooser.addSpacing(16)
        self.diff_only = QCheckBox("Différences seulement")
        self.diff_only.setAccessibleName("Afficher seulement les lignes qui diffèrent")
        self.diff_only.toggled.connect(lambda _: self.refresh())
        chooser.addWidget(self.diff_only)
        chooser.addStretch(1)
        self.export_button = QPushButton("Imprimer / PDF…")
        self.export_button.setAccessibleName("Imprimer ou exporter la comparaison en PDF")
        self.export_button.clicked.connect(lambda: self.export_requested.emit(list(self.slugs), self.version))
        chooser.addWidget(self.export_button)
        layout.addLayout(chooser)

        self.message = QLabel()
        self.message.setObjectName("muted")
        self.message.setAccessibleName("Message de la comparaison")
        layout.addWidget(self.message)

        self.model = ComparisonModel(db.sources(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Tableau de comparaison")
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # the arrows go from cell to cell; Tab leaves the grid
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.sectionMoved.connect(self._on_section_moved)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setMaximumWidth(240)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table.selectionModel().currentChanged.connect(self._show_source)
        self.table.activated.connect(self._open_cell)
        self.table.doubleClicked.connect(self._open_cell)
        layout.addWidget(self.table, 1)

        self.source_line = QLabel()
        self.source_line.setWordWrap(True)
        self.source_line.setAccessibleName("Source de la case choisie")
        layout.addWidget(self.source_line)

        QShortcut(QKeySequence("Ctrl+Shift+Left"), self.table, activated=lambda: self.move_current(-1))
        QShortcut(QKeySequence("Ctrl+Shift+Right"), self.table, activated=lambda: self.move_current(1))
        self.set_structures(self.slugs)

    # --- choices

    def set_structures(self, slugs: list[str]) -> None:
        self.slugs = [s for s in slugs if s in self.toggles][:MAX_COLUMNS]
        for slug, button in self.toggles.items():
            button.blockSignals(True)
            button.setChecked(slug in self.slugs)
            button.blockSignals(False)
        self.refresh()

    def _toggle(self, slug: str, checked: bool) -> None:
        if checked and slug not in self.slugs:
            if len(self.slugs) >= MAX_COLUMNS:
                self.toggles[slug].setChecked(False)
                return
            self.slugs.append(slug)
        elif not checked and slug in self.slugs:
            if len(self.slugs) <= MIN_COLUMNS:
                self.message.setText(f"Gardez au moins {MIN_COLUMNS} structures pour comparer.")
                from fiche_desktop.views import accessibility

                accessibility.announce(self.message, self.message.text())
                self.toggles[slug].blockSignals(True)
                self.toggles[slug].setChecked(True)
                self.toggles[slug].blockSignals(False)
                return
            self.slugs.remove(slug)
        self.refresh()

    def remove_column(self, slug: str) -> None:
        if slug in self.toggles:
            self.toggles[slug].setChecked(False)

    def move_column(self, source: int, target: int) -> None:
        """Moves the column at source to target (logical order of the comparison)."""
        if not (0 <= source < len(self.slugs) and 0 <= target < len(self.slugs)) or source == target:
            return
        slug = self.slugs.pop(source)
        self.slugs.insert(target, slug)
        self.refresh()
        self.table.setCurrentIndex(self.model.index(max(0, self.table.currentIndex().row()), target))

    def move_current(self, step: int) -> None:
        column = self.table.currentIndex().column()
        if column >= 0:
            self.move_column(column, column + step)

    def _on_section_moved(self, _logical: int, old_visual: int, new_visual: int) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.moveSection(new_visual, old_visual)  # undo the visual move, then reorder the data
        header.blockSignals(False)
        self.move_column(old_visual, new_visual)

    def set_version(self, version: TextVersion) -> None:
        """Refreshes now if shown, else when next shown (a toggle elsewhere stays fast)."""
        self.version = version
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        self._stale = False
        comparison = build_comparison(self.db, self.slugs, self.version)
        self.model.set_comparison(comparison, self.diff_only.isChecked())
        hidden = len(comparison.rows) - self.model.rowCount()
        parts = [f"{len(self.slugs)} structures comparées"]
        if hidden:
            parts.append(
                f"{hidden} ligne{'s' if hidden > 1 else ''} identique{'s' if hidden > 1 else ''} masquée"
                f"{'s' if hidden > 1 else ''}"
            )
        parts.append("≠ : les structures diffèrent (cases surlignées)")
        self.message.setText(" – ".join(parts))
        self.table.resizeRowsToContents()
        self._show_source(self.table.currentIndex())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt virtual)
        super().resizeEvent(event)
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt virtual)
        super().showEvent(event)
        if self._stale:
            self.refresh()
        else:
            self.table.resizeRowsToContents()

    def _show_source(self, index: Index) -> None:
        cell = self.model.cell(index)
        if cell is None:
            self.source_line.setText("Choisissez une case pour voir sa source.")
            return
        fiche = self.model.comparison.fiches[index.column()] if self.model.comparison else None
        row = self.model.rows[index.row()]
        where = f"{fiche.acronym if fiche else ''} › {row.label}"
        self.source_line.setText(f"{where} – {self.model.source_text(cell)}")

    def _open_cell(self, index: Index) -> None:
        cell = self.model.cell(index)
        if cell is not None and cell.section and self.model.comparison is not None:
            self.open_section.emit(self.model.comparison.fiches[index.column()].slug, cell.section)

    def column_titles(self) -> list[str]:
        return [str(self.model.headerData(i, Qt.Orientation.Horizontal)) for i in range(self.model.columnCount())]

    def row_labels(self) -> list[str]:
        return [str(self.model.headerData(i, Qt.Orientation.Vertical)) for i in range(self.model.rowCount())]
