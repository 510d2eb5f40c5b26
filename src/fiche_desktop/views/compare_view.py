"""Comparison screen: chosen structures as columns, short attributes as rows, the long texts folded
below; the same value is shown once across the columns that share it; any cell opens in full."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTextBoundaryFinder,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyleOptionViewItem,
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
    passages,
)
from fiche_desktop.content import Fiche, Source, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.presentation import Attribution, attributions_line, keep_together
from fiche_desktop.render import NO_VALUE, esc, falc_sentences
from fiche_desktop.search import LEVEL_PARTS
from fiche_desktop.theme import STANDARD, Palette
from fiche_desktop.views import screen_fit
from fiche_desktop.views.fiche_view import FicheBrowser
from fiche_desktop.views.flow_layout import FlowBar
from fiche_desktop.views.fold import FoldButton
from fiche_desktop.views.rich_text import HTML_ROLE, PAD_X, HtmlDelegate

Index = QModelIndex | QPersistentModelIndex
CELL_ROLE = Qt.ItemDataRole.UserRole + 10
DIFF_MARK = "≠ "
SAME_MARK = "= "
SINGLE_MARK = "· "
PARTIAL = "extrait — voir la fiche"
NOT_STATED = "Non précisé"  # in the grid; the accessible text and the full view say NO_VALUE
STANDARD_ONLY = "texte standard (pas de version FALC validée)"
GROUP_TITLES = {
    # the folded second level: the long texts in standard, the standard-only attributes in FALC
    TextVersion.STANDARD: "Textes longs du tableau de synthèse",
    TextVersion.FALC: "Pour en savoir plus (version standard, non FALC)",
}


def two_lines(label: str, width: int = 18) -> str:
    """A row label on two lines when long, cut after a comma or before a bracket: the label column
    stays narrow and the structures' columns wide."""
    if len(label) <= width:
        return label
    for sep in (", ", " (", " / "):
        head, found, tail = label.partition(sep)
        if found:
            return f"{head}{found.rstrip()}\n{tail}" if sep == ", " else f"{head}\n{found.strip()}{tail}"
    spaces = [i for i, c in enumerate(label) if c == " "]
    if not spaces:
        return label
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return f"{label[:cut]}\n{label[cut + 1 :]}"


def unbreakable_pieces(text: str) -> list[str]:
    """text cut where a line may break (Unicode line breaking, as Qt lays text out), trailing
    spaces removed: the pieces a line never splits when it wraps between words."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    pieces, start = [], 0
    position = finder.toNextBoundary()
    while position != -1:
        if position > start:
            pieces.append(text[start:position].rstrip())
        start = position
        position = finder.toNextBoundary()
    return pieces


def cell_text(cell: Cell) -> str:
    """What a cell says, as plain text: its lines, « extrait — voir la fiche » when it is one."""
    if cell.empty:
        return NO_VALUE
    body = "\n".join(line for line in cell.lines if line) if cell.falc else "\n".join(cell.lines)
    return f"{body}\n({PARTIAL})" if cell.partial else body


class ComparisonModel(QAbstractTableModel):
    """A thin table model over a Comparison: rows are criteria (None: the header of the folded
    second level), columns structures."""

    def __init__(self, sources: dict[str, Source], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources = sources
        self.comparison: Comparison | None = None
        self.rows: list[Row | None] = []
        self.expanded = False
        self.hidden = 0  # rows left out by « Différences seulement »
        self.numbers: dict[Attribution, int] = {}  # a source and date -> its [n] in the legend
        self.falc_pt = 14.0
        self.theme = STANDARD  # the theme's colours (the view's set_theme)

    # --- content

    def set_comparison(self, comparison: Comparison, differences_only: bool, expanded: bool) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.expanded = expanded
        falc = comparison.version is TextVersion.FALC
        primary = comparison.text_rows if falc else comparison.attribute_rows
        secondary = comparison.attribute_rows if falc else comparison.text_rows
        shown_primary = [r for r in primary if r.differs or not differences_only]
        shown_secondary = [r for r in secondary if r.differs or not differences_only]
        self.rows = list(shown_primary)
        if shown_secondary:
            self.rows.append(None)
            if expanded:
                self.rows += shown_secondary
        self.hidden = len(primary) + len(secondary) - len(shown_primary) - len(shown_secondary)
        # One number per source and date: the legend says which date each [n] carries. In the order of
        # the sources, the newest date first.
        used = {a for r in self.rows if r is not None for c in r.cells for a in c.attributions}
        position = {sid: i for i, sid in enumerate(self.sources)}
        ranked = sorted(used, key=lambda a: a.date or "", reverse=True)
        ranked.sort(key=lambda a: position.get(a.source, len(position)))  # a stable sort: the dates stay in order
        self.numbers = {a: i + 1 for i, a in enumerate(ranked)}
        self.endResetModel()

    def group_title(self) -> str:
        version = self.comparison.version if self.comparison else TextVersion.STANDARD
        return GROUP_TITLES[version]

    def group_row(self) -> int:
        return next((i for i, r in enumerate(self.rows) if r is None), -1)

    def row(self, index: Index) -> Row | None:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        return self.rows[index.row()]

    def fiche(self, column: int) -> Fiche | None:
        if self.comparison is None or not 0 <= column < len(self.comparison.fiches):
            return None
        return self.comparison.fiches[column]

    def cell(self, index: Index) -> Cell | None:
        row = self.row(index)
        if row is None or index.column() >= len(row.cells):
            return None
        return row.cells[index.column()]

    def columns_sharing(self, index: Index) -> list[int]:
        """The columns an index's value is shown across (itself, and those it is merged with)."""
        row = self.row(index)
        if row is None:
            return [index.column()]
        for start, count in row.runs():
            if start <= index.column() < start + count:
                return list(range(start, start + count))
        return [index.column()]

    def covered(self, index: Index) -> bool:
        """True for the columns of a merged cell after its first (the table shows, and reads, the first)."""
        return self.columns_sharing(index)[0] != index.column() if self.row(index) else index.column() != 0

    def shown_cell(self, index: Index) -> Cell | None:
        """The cell as the table shows it: one value across the columns that share it, citing the source
        and date of each column's part (the same words may be dated differently in two fiches)."""
        cell = self.cell(index)
        row = self.row(index)
        columns = self.columns_sharing(index)
        if cell is None or row is None or len(columns) == 1:
            return cell
        cells = [row.cells[c] for c in columns]
        attributions = tuple(dict.fromkeys(a for c in cells for a in c.attributions))
        each = [c.line_attributions if len(c.line_attributions) == len(cell.lines) else () for c in cells]
        per_line = [
            {lines[i] if lines else c.attributions[0] for c, lines in zip(cells, each, strict=True)}
            for i in range(len(cell.lines))
        ]
        one_each = all(len(found) == 1 for found in per_line) and len(attributions) > 1
        line_attributions = tuple(next(iter(found)) for found in per_line) if one_each else ()
        return replace(cell, attributions=attributions, line_attributions=line_attributions)

    def source_text(self, cell: Cell) -> str:
        """« Source : FICHE 2 – … – 31 juillet 2024 »: the cell's sources, with the date of the parts it quotes."""
        return attributions_line(cell.attributions, empty="Les sources ne le précisent pas.")

    def legend(self) -> str:
        """'[1] Fiche 2, version standard (2024) – 31 juillet 2024 · [2] …': the sources and dates the cells cite."""
        return " · ".join(f"[{n}] {a.named(short=True)}" for a, n in self.numbers.items())

    def refs(self, cell: Cell) -> str:
        return " ".join(f"[{self.numbers[a]}]" for a in cell.attributions if a in self.numbers)

    # --- Qt

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.comparison is None else len(self.comparison.fiches)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= self.columnCount():
            return None
        row = self.rows[index.row()]
        if row is None:
            return self._group_data(index, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole) and self.covered(index):
            return ""  # read once, by the first column of the merged cell (Orca reads every column of a row)
        cell = row.cells[index.column()]
        shown = self.shown_cell(index) or cell
        fiche = self.fiche(index.column())
        earlier = row.same_as(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._same_as_text(earlier) if earlier is not None else cell_text(cell)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            sharing = [f for c in self.columns_sharing(index) if (f := self.fiche(c)) is not None]
            names = " et ".join(f.acronym or f.title for f in sharing)
            same = f"comme {self._acronym(earlier)}, " if earlier is not None else ""
            where = f"{names}, {row.label}"
            text = cell_text(cell)
            stop = "" if text.endswith((".", "!", "?", "…")) else "."
            source = f" {self.source_text(shown)}" if shown.attributions else ""  # « non précisé » says it
            return f"{where} : {same}{text}{stop}{source}"
        if role == HTML_ROLE:
            return self._cell_html(row, shown, earlier)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.source_text(shown)}\nEntrée ou double-clic : lire en entier."
        if role == Qt.ItemDataRole.BackgroundRole and row.differs:
            return QBrush(QColor(self.theme.diff_bg))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if role == CELL_ROLE:
            return cell
        if role == Qt.ItemDataRole.UserRole:
            return fiche.slug if fiche else None
        return None

    def _acronym(self, column: int | None) -> str:
        fiche = self.fiche(column if column is not None else -1)
        return (fiche.acronym or fiche.title) if fiche else ""

    def _same_as_text(self, column: int) -> str:
        return f"= comme {self._acronym(column)}"

    def _group_data(self, index: Index, role: int) -> Any:
        if index.column() != 0:  # covered by the group's title, which spans the row
            return "" if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole) else None
        if self.comparison is None:
            return None
        falc = self.comparison.version is TextVersion.FALC
        rows = self.comparison.attribute_rows if falc else self.comparison.text_rows
        names = ", ".join(r.label for r in rows)
        action = "Entrée : replier" if self.expanded else "Entrée : afficher"
        text = f"{'▾' if self.expanded else '▸'} {self.group_title()} : {names} ({action})"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == HTML_ROLE:
            return f'<p style="color:{self.theme.accent}"><b>{esc(text)}</b></p>'
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(self.theme.group_bg))
        return None

    def _cell_html(self, row: Row, cell: Cell, earlier: int | None) -> str:
        muted = f'style="color:{self.theme.muted}"'
        if cell.empty:
            return f"<p {muted}>{esc(NOT_STATED)}</p>"
        if earlier is not None:
            return f"<p {muted}><i>{esc(self._same_as_text(earlier))}</i></p>"
        refs = f" <span {muted}>{esc(self.refs(cell))}</span>" if self.refs(cell) else ""
        parts: list[str] = []
        if cell.falc:
            sentences = [s for s in falc_sentences(cell.lines) if s]
            for i, sentence in enumerate(sentences):
                tail = refs if i == len(sentences) - 1 else ""
                body = "<br>".join(esc(keep_together(line)) for line in sentence)
                parts.append(f'<p style="font-size:{self.falc_pt:.1f}pt; margin-bottom:6px">{body}{tail}</p>')
        else:
            if cell.notice and row.kind == "text":
                parts.append(f"<p {muted}><i>{esc(STANDARD_ONLY)}</i></p>")
            lines = [("• " + x[2:]) if x.startswith("- ") else x for x in cell.lines]
            per_line = cell.line_attributions if len(cell.line_attributions) == len(lines) else ()
            for i, line in enumerate(lines):
                if per_line:  # each value cites its own source, after the last line from it
                    last_of_run = i == len(lines) - 1 or per_line[i + 1] != per_line[i]
                    n = self.numbers.get(per_line[i])
                    tail = f" <span {muted}>[{n}]</span>" if last_of_run and n else ""
                else:
                    tail = refs if i == len(lines) - 1 else ""
                parts.append(f'<p style="margin-bottom:4px">{esc(keep_together(line))}{tail}</p>')
        if cell.partial:
            parts.append(f"<p {muted}><i>{esc(PARTIAL)}</i></p>")
        return "".join(parts)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            fiche = self.fiche(section)
            if fiche is None:
                return None
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.DisplayRole:
                return fiche.label if self.columnCount() <= 3 else (fiche.acronym or fiche.title)
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return fiche.label
            return None
        if not 0 <= section < len(self.rows):
            return None
        row = self.rows[section]
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return ("▾ " if self.expanded else "▸ ") + "Plus"
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.group_title()
            return None
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(row.differs)
            return font
        standard_only = (
            self.comparison is not None and self.comparison.version is TextVersion.FALC and row.kind == "attribute"
        )
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.differs:
                return "Les structures diffèrent sur ce point."
            if row.stated > 1:
                return "Même valeur pour toutes les structures dont les sources parlent."
            return "Une seule structure renseignée par les sources."
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            mark = DIFF_MARK if row.differs else SAME_MARK if row.stated > 1 else SINGLE_MARK
            label = row.label if role == Qt.ItemDataRole.AccessibleTextRole else two_lines(row.label)
            return mark + label + ("\n(texte standard)" if standard_only else "")
        return None


class CompareTable(QTableView):
    """The grid: Enter reads a cell in full (or folds / unfolds the second level), Ctrl+Enter opens
    the fiche at that part, Escape closes the full view."""

    activate_cell = Signal(QModelIndex)
    open_cell = Signal(QModelIndex)
    escape_pressed = Signal()

    def fit_rows(self) -> None:
        """Sizes every row to its whole text at the columns' final widths: the headers are laid out
        first (a wider row-label column narrows the others), until the widths no longer move."""
        header = self.horizontalHeader()
        for _ in range(4):
            widths = [header.sectionSize(i) for i in range(header.count())]
            self.updateGeometries()
            self.resizeRowsToContents()
            self.updateGeometries()
            if widths == [header.sectionSize(i) for i in range(header.count())]:
                break

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_rows()  # wider or narrower columns: every row's height changes

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.open_cell.emit(self.currentIndex())
            else:
                self.activate_cell.emit(self.currentIndex())
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


class CompareView(QWidget):
    """Pick 2 to 7 structures; rows of criteria; differences only; any cell in full; open a section."""

    open_section = Signal(str, str)
    export_requested = Signal(list, object)  # slugs, version

    def __init__(self, db: ContentDB, parent: QWidget | None = None, theme: Palette = STANDARD) -> None:
        super().__init__(parent)
        self.db = db
        self.version = TextVersion.STANDARD
        self.theme = theme  # the theme's colours: the cells and the full view draw in them
        self._stale = False  # the text version changed while hidden: refresh when shown
        self.slugs: list[str] = list(DEFAULT_SLUGS)
        self.expanded = {TextVersion.STANDARD: False, TextVersion.FALC: False}
        self.full_index: QPersistentModelIndex | None = None
        headers = {f.slug: f for f in db.fiche_headers()}
        # The page scrolls up and down only when the window is too short for it (a large zoom): the
        # table then keeps most of the height (resizeEvent), the rest is above and below it.
        self.page_scroll, layout = screen_fit.scrolling_page(self, "comparePage", "Comparer les structures")
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel("Comparer les structures")
        title.setObjectName("pageTitle")
        self.hint = QLabel(
            "Choisissez de 2 à 7 structures. Chaque case cite sa source [n] (liste sous le tableau). "
            "≠ : les structures diffèrent ; une case étendue sur plusieurs colonnes : même texte. "
            "Entrée ou double-clic : lire la case en entier ; Ctrl+Entrée : ouvrir la fiche à cette partie. "
            "Ctrl+Maj+← / → ou glisser un en-tête : déplacer une colonne."
        )
        self.hint.setWordWrap(True)
        self.hint.setObjectName("muted")
        # The help and the list of sources fold away: the table gets the room (the source of the
        # chosen cell stays in sight below it). The title, the folds and the choices wrap at a large zoom.
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setObjectName("muted")
        self.legend.setAccessibleName("Sources citées dans le tableau")
        self.help_fold = FoldButton("Mode d’emploi", self.hint)
        self.sources_fold = FoldButton("Sources citées", self.legend)
        heading = FlowBar(margin=0, spacing=12)
        heading.add(title, place=False)
        heading.add(self.help_fold, place=False)
        heading.add(self.sources_fold, place=False)
        heading.relayout()
        layout.addWidget(heading)
        layout.addWidget(self.hint)

        chooser = FlowBar(margin=0)
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
            chooser.add(button, place=False)
            self.toggles[slug] = button
        chooser.add_gap(16)
        self.diff_only = QCheckBox("Différences seulement")
        self.diff_only.setAccessibleName("Afficher seulement les lignes où les structures diffèrent")
        self.diff_only.toggled.connect(lambda _: self.refresh())
        chooser.add(self.diff_only, place=False)
        chooser.add_gap(16)
        self.export_button = QPushButton("Imprimer / PDF…")
        self.export_button.setAccessibleName("Imprimer ou exporter la comparaison en PDF")
        self.export_button.clicked.connect(lambda: self.export_requested.emit(list(self.slugs), self.version))
        chooser.add(self.export_button, place=False)
        chooser.relayout()
        layout.addWidget(chooser)
        self.bars = (heading, chooser)

        self.message = QLabel()
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message de la comparaison")
        layout.addWidget(self.message)

        self.model = ComparisonModel(db.sources(), self)
        self.model.theme = theme
        self.table = CompareTable()
        self.table.setModel(self.model)
        self.delegate = HtmlDelegate(self.table)
        self.delegate.wrap_mode = QTextOption.WrapMode.WordWrap  # never inside a word (refresh() sizes the columns)
        self.table.setItemDelegate(self.delegate)
        self.table.setAccessibleName("Tableau de comparaison")
        self._style_table()
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setCornerButtonEnabled(False)  # "select all" means nothing with one cell at a time
        corner = self.table.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:
            corner.setAccessibleName("Coin du tableau (sans action)")
        # Row heights are measured at the columns' widths: a scroll bar appearing afterwards would
        # narrow the columns and clip the cells it was measured for.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.setTabKeyNavigation(False)  # the arrows go from cell to cell; Tab leaves the grid
        header = self.table.horizontalHeader()
        header.setAccessibleName("Structures comparées")
        self.table.verticalHeader().setAccessibleName("Critères")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.sectionMoved.connect(self._on_section_moved)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        vertical.setMaximumWidth(220)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table.selectionModel().currentChanged.connect(self._on_current)
        self.table.activate_cell.connect(self.activate)
        self.table.open_cell.connect(self._open_cell)
        self.table.escape_pressed.connect(self.close_full)
        self.table.doubleClicked.connect(self.activate)
        self.table.clicked.connect(self._on_click)

        # The full view of a cell: the whole text of the parts it quotes, with source and date.
        self.panel = QFrame()
        self.panel.setObjectName("comparePanel")
        # No name: Orca would read the panel's name, then the text's name as an « unrelated label »
        # (said twice with the text's own); the text's name says which cell it is.
        panel = QVBoxLayout(self.panel)
        panel.setContentsMargins(8, 0, 0, 0)
        # The fiche's text view: Qt's text interface, a reading caret (a screen reader reads it all).
        self.detail = FicheBrowser(copy_with_source=False)
        self.detail.setAccessibleName("Texte entier de la case et sa source")
        panel.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("Ouvrir la fiche à cette partie")
        self.open_button.setAccessibleName("Ouvrir la fiche à la partie de cette case")
        self.open_button.clicked.connect(lambda: self.full_index is not None and self._open_cell(self.full_index))
        self.close_button = QPushButton("Fermer (Échap)")
        self.close_button.setAccessibleName("Fermer la case en entier")
        self.close_button.clicked.connect(self.close_full)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        panel.addLayout(buttons)
        self.panel.setVisible(False)
        QShortcut(QKeySequence("Escape"), self.panel, self.close_full)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.splitterMoved.connect(lambda *_: self.table.fit_rows())
        layout.addWidget(self.splitter, 1)

        layout.addWidget(self.legend)
        self.source_line = QLabel()
        self.source_line.setWordWrap(True)
        self.source_line.setAccessibleName("Source de la case choisie")
        layout.addWidget(self.source_line)

        QShortcut(QKeySequence("Ctrl+Shift+Left"), self.table, lambda: self.move_current(-1))
        QShortcut(QKeySequence("Ctrl+Shift+Right"), self.table, lambda: self.move_current(1))
        self.set_structures(self.slugs)

    # --- choices

    def set_structures(self, slugs: list[str]) -> None:
        """A new comparison (from a fiche, the guide, the history): it opens at the top."""
        self.slugs = [s for s in slugs if s in self.toggles][:MAX_COLUMNS]
        for slug, button in self.toggles.items():
            button.blockSignals(True)
            button.setChecked(slug in self.slugs)
            button.blockSignals(False)
        self.table.setCurrentIndex(QModelIndex())
        self.close_full()
        self.refresh()
        self.table.scrollToTop()

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
        row = max(0, self.table.currentIndex().row())
        self.refresh()
        self.table.setCurrentIndex(self.model.index(row, target))

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

    def _style_table(self) -> None:
        p = self.theme
        self.table.setStyleSheet(
            f"QTableView::item:selected {{ background: {p.selected}; color: {p.ink}; }}"
            f"QTableView::item:focus {{ border: 2px solid {p.focus}; }}"
        )

    def set_theme(self, palette: Palette) -> None:
        """Draws in the theme's colours: now if shown, else when next shown."""
        if palette is self.theme:
            return
        self.theme = self.model.theme = palette
        self._style_table()
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def set_version(self, version: TextVersion) -> None:
        """Refreshes now if shown, else when next shown (a toggle elsewhere stays fast)."""
        self.version = version
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def set_expanded(self, expanded: bool) -> None:
        """Unfolds (or folds) the second level: the long texts, or in FALC the standard-only rows."""
        self.expanded[self.version] = expanded
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
        current = self.table.currentIndex()
        comparison = build_comparison(self.db, self.slugs, self.version)
        self.model.falc_pt = max(14.0, self.font().pointSizeF() * 1.3)
        self.model.set_comparison(comparison, self.diff_only.isChecked(), self.expanded[self.version])
        self.table.clearSpans()
        columns = self.model.columnCount()
        for r, row in enumerate(self.model.rows):
            if row is None:
                self.table.setSpan(r, 0, 1, columns)
                continue
            for start, count in row.runs():
                self.table.setSpan(r, start, 1, count)
        hidden = self.model.hidden
        parts = [f"{len(self.slugs)} structures comparées"]
        if hidden:
            s = "s" if hidden > 1 else ""
            parts.append(f"{hidden} ligne{s} masquée{s} : même valeur, ou une seule structure renseignée")
        if self.version is TextVersion.FALC:
            parts.append("les valeurs courtes n’ont pas de version FALC validée (texte standard)")
        self.message.setText(" – ".join(parts))
        legend = "Sources : " + self.model.legend() if self.model.numbers else ""
        if any(c.falc for r in self.model.rows if r is not None for c in r.cells):
            credit = next((s.credit for s in self.db.sources().values() if s.credit), None)
            legend += f"\n{credit}" if credit else ""  # the FALC credit goes with the validated text
        self.legend.setText(legend)
        # A column is never narrower than its longest word (a number with its unit counts as one):
        # lines break between words; the table scrolls sideways when the columns need more room.
        self.table.horizontalHeader().setMinimumSectionSize(self._widest_word())
        self.table.fit_rows()
        if current.isValid() and current.row() < self.model.rowCount() and current.column() < columns:
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        self._on_current(self.table.currentIndex())

    def _widest_word(self) -> int:
        """The width of the widest piece of text between two places where a line may break (Unicode's
        rules, as Qt's: « CNAM/2019 » may break after the slash, « 50 000 € » nowhere), with the
        cell's padding."""
        plain = QFontMetrics(self.table.font())
        falc_font = QFont(self.table.font())
        falc_font.setPointSizeF(self.model.falc_pt)
        falc = QFontMetrics(falc_font)
        widest = 0
        for row in self.model.rows:
            for cell in row.cells if row is not None else ():
                metrics = falc if cell.falc else plain
                for line in cell.lines:
                    for piece in unbreakable_pieces(keep_together(line)):
                        widest = max(widest, metrics.horizontalAdvance(piece))
        return widest + 2 * PAD_X + 6

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        screen_fit.keep_share(self.splitter, event.size().height())
        self.table.fit_rows()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            for bar in self.bars:  # a new zoom step: the title and the choices wrap anew
                bar.relayout()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        for bar in self.bars:
            bar.relayout()
        if self._stale:
            self.refresh()
        else:
            self.table.fit_rows()

    # --- cells

    def _on_click(self, index: QModelIndex) -> None:
        if self.model.row(index) is None and index.isValid():
            self.activate(index)

    def _on_current(self, index: Index) -> None:
        self._show_source(index)
        if self.panel.isVisible() and self.model.cell(index) is not None:
            self.open_full(index)

    def activate(self, index: Index) -> None:
        """Enter / double-click: folds or unfolds the second level, or reads the cell in full."""
        if not index.isValid():
            return
        if self.model.row(index) is None:
            self.set_expanded(not self.expanded[self.version])
            group = self.model.group_row()
            if group >= 0:
                self.table.setCurrentIndex(self.model.index(group, 0))
            return
        self.open_full(index)
        self.detail.setFocus(Qt.FocusReason.OtherFocusReason)  # Entrée: read the cell in full

    def open_full(self, index: Index) -> str:
        """Shows the cell in full in the side panel; returns the panel's text."""
        cell = self.model.cell(index)
        fiche = self.model.fiche(index.column())
        row = self.model.row(index)
        if cell is None or fiche is None or row is None:
            return ""
        self.full_index = QPersistentModelIndex(index)
        self.detail.setAccessibleName(f"{fiche.acronym or fiche.title}, {row.label} : texte entier et source")
        self.detail.setHtml(self.full_html(fiche, row, cell))
        self.open_button.setEnabled(bool(cell.section))
        if not self.panel.isVisible():
            self.panel.setVisible(True)
            width = self.splitter.width()
            self.splitter.setSizes([int(width * 0.73), int(width * 0.27)])
            self.table.fit_rows()
        self.table.scrollTo(self.model.index(index.row(), index.column()))
        return self.detail.toPlainText()

    def close_full(self) -> None:
        if self.panel.isVisible():
            self.panel.setVisible(False)
            self.full_index = None
            self.table.setFocus()
            self.table.fit_rows()

    def full_text(self) -> str:
        return self.detail.toPlainText() if self.panel.isVisible() else ""

    def full_html(self, fiche: Fiche, row: Row, cell: Cell) -> str:
        """The whole of a cell: its value with its source, then each part of the fiche it quotes, whole."""
        sources = self.db.sources()
        falc_pt = self.model.falc_pt
        colours = self.theme
        out = [f"<h3 style='color:{colours.accent}'>{esc(fiche.acronym or fiche.title)} – {esc(row.label)}</h3>"]
        if cell.empty:
            out.append(f"<p>{esc(NO_VALUE)}.</p>")
            return "".join(out)
        if row.kind == "attribute":
            label = "Valeurs citées" if len(cell.lines) > 1 else "Valeur citée"
            out.append(f"<p><b>{label} dans la comparaison :</b></p>")
            per_line = (
                cell.line_attributions
                if len(cell.line_attributions) == len(cell.lines)
                else cell.attributions[:1] * len(cell.lines)
            )
            for line, shown in zip(cell.lines, per_line, strict=False):
                name = f" <span style='color:{colours.muted}'>({esc(shown.named(short=True))})</span>"
                out.append(f"<p>« {esc(line)} »{name}</p>")
            if cell.partial:
                out.append(f"<p><i>{esc(PARTIAL.capitalize())} : la fiche en dit plus, ci-dessous.</i></p>")
        for p in passages(fiche, cell, self.version, sources):
            level = LEVEL_PARTS.get(p.level, "")
            out.append(f"<p><b>Dans la fiche : « {esc(p.title)} »{f' ({esc(level)})' if level else ''}</b></p>")
            if p.falc:
                for sentence in falc_sentences(p.lines):
                    if sentence:
                        out.append(
                            f'<p style="font-size:{falc_pt:.1f}pt">' + "<br>".join(esc(x) for x in sentence) + "</p>"
                        )
            else:
                out += [f"<p>{'• ' + esc(x[2:]) if x.startswith('- ') else esc(x)}</p>" for x in p.lines]
            out.append(f'<p style="color:{colours.muted}">{esc(p.attribution.line())}</p>')
        return "".join(out)

    def _show_source(self, index: Index) -> None:
        cell = self.model.shown_cell(index)
        if cell is None:
            self.source_line.setText("Choisissez une case pour voir sa source ; Entrée pour la lire en entier.")
            return
        sharing = [f for c in self.model.columns_sharing(index) if (f := self.model.fiche(c)) is not None]
        row = self.model.row(index)
        where = f"{' et '.join(str(f.acronym or f.title) for f in sharing)} › {row.label if row else ''}"
        self.source_line.setText(f"{where} – {self.model.source_text(cell)}")

    def _open_cell(self, index: Index) -> None:
        cell = self.model.cell(index)
        fiche = self.model.fiche(index.column())
        if cell is not None and cell.section and fiche is not None:
            self.open_section.emit(fiche.slug, cell.section)

    # --- for tests and the accessibility checks

    def column_titles(self) -> list[str]:
        return [str(self.model.fiche(i).acronym) for i in range(self.model.columnCount())]  # type: ignore[union-attr]

    def row_labels(self) -> list[str]:
        return [
            str(self.model.headerData(i, Qt.Orientation.Vertical, Qt.ItemDataRole.AccessibleTextRole)).split("\n")[0]
            for i in range(self.model.rowCount())
        ]

    def clipped_cells(self) -> list[tuple[int, int]]:
        """The cells whose whole text does not fit their height on screen (none are expected)."""
        clipped = []
        for r in range(self.model.rowCount()):
            for c in range(self.model.columnCount()):
                index = self.model.index(r, c)
                rect = self.table.visualRect(index)  # a merged cell's is the whole span's
                if rect.width() <= 0:
                    continue
                option = QStyleOptionViewItem()
                option.initFrom(self.table)
                option.rect = rect
                option.font = self.table.font()
                if self.delegate.sizeHint(option, index).height() > rect.height() + 1:
                    clipped.append((r, c))
        return clipped

    def criterion_row(self, criterion: str) -> int:
        """The model row of a criterion (or a long text's key); -1 when not shown."""
        return next((i for i, r in enumerate(self.model.rows) if r is not None and r.key == criterion), -1)
