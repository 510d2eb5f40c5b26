"""Home screen: the overview as the source presents it, one card per fiche."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop.content import Fiche, TextVersion, date_in_words
from fiche_desktop.db import ContentDB

OTHER_TITLE = "Autres fiches"


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
        title = (fiche.falc_title or fiche.title) if falc else fiche.title
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
    open_page = Signal(str)  # "compare", "glossary", "sources"

    def __init__(
        self,
        db: ContentDB,
        parent: QWidget | None = None,
        columns: int = 3,
        fiches: list[str] | None = None,
        version: TextVersion = TextVersion.STANDARD,
    ) -> None:
        super().__init__(parent)
        self.db = db
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

        actions = QHBoxLayout()
        for key, text in (
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
                self._add_group(layout, group.falc_title if falc else group.title, members)
        others = [f for f in headers.values() if f.slug not in grouped and self._allowed(f.slug)]
        if others:
            self._add_group(layout, OTHER_TITLE, others)

        clause = overview.section("clause") if overview else None
        if clause is not None:
            lines = [x for x in clause.falc if x] if falc and clause.falc else clause.paragraphs()
            heading = clause.falc_title if falc and clause.falc_title else clause.title
            note = QLabel(f"<b>{heading}</b><br>" + "<br>".join(lines))
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
