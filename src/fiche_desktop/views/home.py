"""Home screen: the overview as the source presents it, a card per structure and tool, the other
fiches in a list (a model, not a widget per fiche: the base may hold thousands)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop.content import Fiche, TextVersion, date_in_words
from fiche_desktop.db import ContentDB
from fiche_desktop.render import esc

OTHER_TITLE = "Autres fiches"
SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
# The list of other fiches shows at most this many rows before scrolling on its own.
OTHER_ROWS_VISIBLE = 12
Index = QModelIndex | QPersistentModelIndex


class FicheListModel(QAbstractListModel):
    """A thin list model over fiche headers: the label, the summary as tooltip, the slug."""

    def __init__(self, fiches: list[Fiche], version: TextVersion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fiches = fiches
        self.version = version

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fiches)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.fiches):
            return None
        fiche = self.fiches[index.row()]
        falc = self.version is TextVersion.FALC
        if role == Qt.ItemDataRole.DisplayRole:
            return fiche.display_label(self.version)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{fiche.label} : ouvrir la fiche"
        if role == Qt.ItemDataRole.ToolTipRole:
            return None if falc else fiche.summary
        if role == SLUG_ROLE:
            return fiche.slug
        return None


class FicheList(QListView):
    """The other fiches: click, Enter or Space opens one."""

    activated_slug = Signal(str)

    def __init__(self, model: FicheListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName("ficheList")
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(OTHER_TITLE)
        self.clicked.connect(self._emit)
        self.activated.connect(self._emit)

    def _emit(self, index: QModelIndex) -> None:
        slug = index.data(SLUG_ROLE)
        if slug:
            self.activated_slug.emit(str(slug))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt virtual)
        if event.key() == Qt.Key.Key_Space and self.currentIndex().isValid():
            self._emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt virtual)
        rows = min(self.model().rowCount(), OTHER_ROWS_VISIBLE)
        row = self.sizeHintForRow(0) if rows else 0
        return QSize(super().sizeHint().width(), rows * row + 2 * self.frameWidth() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt virtual)
        return self.sizeHint()


class Card(QFrame):
    """A focusable card that opens a fiche on click, Enter or Space."""

    activated = Signal(str)

    def __init__(self, fiche: Fiche, version: TextVersion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slug = fiche.slug
        self.setObjectName("card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        falc = version is TextVersion.FALC
        title = fiche.display_title(version)
        if fiche.acronym:
            acronym = QLabel(fiche.acronym)
            acronym.setObjectName("cardAcronym")
            layout.addWidget(acronym)
        title_label = QLabel(title)
        title_label.setObjectName("cardTitle")
        title_label.setWordWrap(True)
        layout.addWidget(title_label)
        summary = "" if falc else (fiche.summary or "")
        if summary:
            text = QLabel(summary)
            text.setWordWrap(True)
            layout.addWidget(text)
        layout.addStretch(1)
        more = QLabel("Lire la fiche →")
        more.setObjectName("muted")
        layout.addWidget(more)
        self.setAccessibleName(f"{fiche.label} : ouvrir la fiche")
        self.setAccessibleDescription(summary)
        self.setToolTip(summary)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt virtual)
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.slug)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt virtual)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.slug)
            return
        super().keyPressEvent(event)


class HomeView(QScrollArea):
    """The overview: pivot, acteurs de soins, acteurs de coordination, tools, other fiches."""

    open_fiche = Signal(str)
    open_page = Signal(str)  # "guide", "compare", "glossary", "sources"

    def __init__(
        self,
        db: ContentDB,
        parent: QWidget | None = None,
        columns: int = 3,
        fiches: list[str] | None = None,
        version: TextVersion = TextVersion.STANDARD,
        *,
        page_buttons: bool = True,
        hint: str = "",
    ) -> None:
        """fiches: only these (the kiosk's choice); page_buttons: the buttons to the comparison,
        the glossary and the sources; hint: a line under the title (the kiosk's « Touchez… »)."""
        super().__init__(parent)
        self.db = db
        self.page_buttons = page_buttons
        self.hint = hint
        self.other_list: FicheList | None = None
        self.columns = columns
        self.allowed = set(fiches) if fiches else None
        self.version = version
        self.cards: list[Card] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Accueil")
        self._stale = False
        self.render()

    def set_version(self, version: TextVersion) -> None:
        """Re-renders now if shown, else when next shown (a toggle elsewhere stays fast)."""
        self.version = version
        self.render_when_shown()

    def render_when_shown(self) -> None:
        if self.isVisible():
            self.render()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt virtual)
        if self._stale:
            self.render()
        super().showEvent(event)

    def render(self) -> None:
        self._stale = False
        falc = self.version is TextVersion.FALC
        overview = self.db.fiche("dispositifs")
        headers = {f.slug: f for f in self.db.fiche_headers()}
        page = QWidget()
        page.setObjectName("homePage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 20, 28, 28)
        layout.setSpacing(14)
        self.cards = []

        title = QLabel(overview.title if overview else "Dispositifs de soins primaires et de coordination")
        title.setObjectName("pageTitle")
        title.setWordWrap(True)
        layout.addWidget(title)

        if self.hint:
            hint = QLabel(self.hint)
            hint.setObjectName("homeHint")
            hint.setWordWrap(True)
            layout.addWidget(hint)

        pivot = overview.section("pivot") if overview else None
        if pivot is not None:
            frame = QFrame()
            frame.setObjectName("pivot")
            box = QVBoxLayout(frame)
            box.setContentsMargins(16, 12, 16, 12)
            text = "\n".join(x for x in pivot.falc if x) if falc and pivot.falc else pivot.text
            label = QLabel(text)
            label.setWordWrap(True)
            label.setObjectName("pivotText")
            font = label.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * (1.3 if falc else 1.15))
            label.setFont(font)
            box.addWidget(label)
            layout.addWidget(frame)

        if self.page_buttons:
            actions = QHBoxLayout()
            for key, text in (
                ("guide", "Quelle structure ?"),
                ("compare", "Comparer les structures"),
                ("glossary", "Glossaire"),
                ("sources", "Sources et erratum"),
            ):
                button = QPushButton(text)
                button.setAccessibleName(text)
                button.clicked.connect(lambda _=False, k=key: self.open_page.emit(k))
                actions.addWidget(button)
            actions.addStretch(1)
            layout.addLayout(actions)

        grouped: set[str] = {"dispositifs"}
        for group in self.db.groups():
            members = [headers[m] for m in group.members if m in headers and self._allowed(m)]
            grouped.update(group.members)
            if members:
                self._add_group(layout, group.display_title(self.version), members)
        others = [f for f in headers.values() if f.slug not in grouped and self._allowed(f.slug)]
        self.other_list = None
        if others:
            label = QLabel(OTHER_TITLE)
            label.setObjectName("groupTitle")
            layout.addWidget(label)
            self.other_list = FicheList(FicheListModel(others, self.version))
            self.other_list.activated_slug.connect(self.open_fiche)
            layout.addWidget(self.other_list)

        clause = overview.section("clause") if overview else None
        if clause is not None:
            lines = [x for x in clause.falc if x] if falc and clause.falc else clause.paragraphs()
            heading = clause.display_title(self.version)
            note = QLabel(f"<b>{esc(heading)}</b><br>" + "<br>".join(esc(x) for x in lines))
            note.setTextFormat(Qt.TextFormat.RichText)
            note.setWordWrap(True)
            note.setObjectName("clause")
            layout.addWidget(note)
        if falc:
            credit = next((s.credit for s in self.db.sources().values() if s.credit), None)
            if credit:
                label = QLabel(credit)
                label.setWordWrap(True)
                label.setObjectName("muted")
                layout.addWidget(label)
        meta = self.db.meta
        footer = QLabel(
            f"Contenu version {meta.content_version} – sources à jour du {date_in_words(meta.content_date)}"
        )
        footer.setObjectName("muted")
        layout.addWidget(footer)
        layout.addStretch(1)
        self.setWidget(page)

    def _allowed(self, slug: str) -> bool:
        return self.allowed is None or slug in self.allowed

    def _add_group(self, layout: QVBoxLayout, title: str, fiches: list[Fiche]) -> None:
        label = QLabel(title)
        label.setObjectName("groupTitle")
        layout.addWidget(label)
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, fiche in enumerate(fiches):
            card = Card(fiche, self.version)
            card.activated.connect(self.open_fiche)
            grid.addWidget(card, i // self.columns, i % self.columns)
            self.cards.append(card)
        for c in range(self.columns):
            grid.setColumnStretch(c, 1)
        layout.addLayout(grid)

    def card(self, slug: str) -> Card | None:
        return next((c for c in self.cards if c.slug == slug), None)
