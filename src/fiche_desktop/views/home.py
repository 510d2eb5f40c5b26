"""Home screen: the overview as the source presents it, a card per structure and tool, the other
fiches in a list (a model, not a widget per fiche: the base may hold thousands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

# WORKAROUND (start-up time): the first access to PySide6's `Qt` namespace builds its ~110
# enum classes (about 25 ms). The home screen is the first frame, so this module never imports
# `Qt` at its top: what needs it (focus policies, cursors, the list of other fiches) is set up
# in HomeView.finish(), after the first paint.
from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from fiche_desktop.content import Fiche, TextVersion, date_span
from fiche_desktop.db import ContentDB
from fiche_desktop.views.flow_layout import FlowBar

if TYPE_CHECKING:
    from fiche_desktop.views.fiche_list import FicheList

OTHER_TITLE = "Autres fiches"
# A deferred first render builds the groups up to this many cards (what a window shows before
# scrolling); the rest follows the first paint.
FIRST_FRAME_CARDS = 4
# A card column is at least this many average characters wide: at a large text size the cards
# go one under another instead of the page scrolling sideways.
CARD_CHARS = 30


class WrapLabel(QLabel):
    """A word-wrapped label that remembers its height at each width until its font, style or
    text changes. WORKAROUND (start-up time): laying out the home screen asks each wrapped
    label its height about four times per width (244 asks, 64 distinct, at the first frame),
    and QLabel lays its text out again at each ask."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._heights: dict[int, int] = {}

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def changeEvent(self, event: QEvent) -> None:
        self._heights.clear()  # a font, a style sheet, a palette: whatever changed, measure again
        super().changeEvent(event)

    def setText(self, text: str) -> None:
        self._heights.clear()
        super().setText(text)


class Card(QFrame):
    """A focusable card that opens a fiche on click, Enter or Space."""

    activated = Signal(str)

    def __init__(self, fiche: Fiche, version: TextVersion, falc_line: str = "", parent: QWidget | None = None) -> None:
        """The heading is the acronym, or the title when there is none; in FALC the text is the
        fiche's first validated FALC line (falc_line), never a standard summary. Plain-text
        labels: rich text would cost start-up time (the home screen is the first frame)."""
        super().__init__(parent)
        self.slug = fiche.slug
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        falc = version is TextVersion.FALC
        title = fiche.display_title(version)
        heading = WrapLabel(fiche.acronym or title)
        heading.setObjectName("cardHeading")
        layout.addWidget(heading)
        if fiche.acronym:
            title_label = WrapLabel(title)
            title_label.setObjectName("cardTitle")
            layout.addWidget(title_label)
        text = falc_line if falc else (fiche.summary or "")
        if text:
            body = WrapLabel(text)
            layout.addWidget(body)
        layout.addStretch(1)
        more = QLabel("Lire la fiche →")
        more.setObjectName("muted")
        layout.addWidget(more)
        self.setAccessibleName(f"{fiche.display_label(version)} : ouvrir la fiche")
        self.setAccessibleDescription(text)
        self.setToolTip(text)

    def make_focusable(self) -> None:
        """Tab reaches the card, the pointer shows a hand and a screen reader hears a button
        (after the first paint)."""
        from PySide6.QtCore import Qt

        from fiche_desktop.views import accessibility

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        accessibility.mark(self, "button")

    def accessible_press(self) -> None:
        """A screen reader's « press » on the card: as a click."""
        self.activated.emit(self.slug)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        from PySide6.QtCore import Qt

        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.slug)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt

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
        defer: bool = False,
        favourites: list[str] | None = None,
    ) -> None:
        """fiches: only these (the kiosk's choice); page_buttons: the buttons to the comparison,
        the glossary and the sources; hint: a line under the title (the kiosk's « Touchez… »);
        defer: the first render leaves out what the first frame does not need until finish()."""
        super().__init__(parent)
        self.db = db
        self.page_buttons = page_buttons
        self.hint = hint
        self.other_list: FicheList | None = None
        self._deferred = defer
        self.favourites: list[str] = list(favourites or [])  # slugs, shown as « Vos fiches favorites »
        self.columns = columns  # at most; as many as the width holds (_fitting_columns)
        self._grid_columns = columns
        self._grids: list[tuple[QGridLayout, list[Card]]] = []
        self.allowed = set(fiches) if fiches else None
        self.version = version
        self.cards: list[Card] = []
        self.headings: list[tuple[QLabel, int]] = []  # the page's title and group titles, for screen readers
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Accueil")
        self._stale = False
        self.rebuild()

    def set_version(self, version: TextVersion) -> None:
        """Re-renders now if shown, else when next shown (a toggle elsewhere stays fast)."""
        self.version = version
        self.render_when_shown()

    def render_when_shown(self) -> None:
        if self.isVisible():
            self.rebuild()
        else:
            self._stale = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        columns = self._fitting_columns()
        if columns != self._grid_columns:
            self._regrid(columns)

    def _fitting_columns(self) -> int:
        """As many card columns as the width holds at the current text size, at most self.columns
        (before the page is shown its width is not known: resizeEvent fits it then)."""
        if not self.isVisible():
            return self._grid_columns
        card_width = max(1, self.fontMetrics().averageCharWidth() * CARD_CHARS)
        # WORKAROUND (start-up time): not viewport(): handing Qt's own viewport widget to Python
        # the first time makes PySide6 build every QtWidgets class to find its type (60 M
        # instructions, about 10 ms of the first frame).
        return max(1, min(self.columns, self.maximumViewportSize().width() // card_width))

    def _regrid(self, columns: int) -> None:
        for grid, cards in self._grids:
            for card in cards:
                grid.removeWidget(card)
            self._place_cards(grid, cards, columns)
        self._grid_columns = columns

    def _place_cards(self, grid: QGridLayout, cards: list[Card], columns: int) -> None:
        """Cards left to right in columns of equal width, then the next row."""
        for i, card in enumerate(cards):
            grid.addWidget(card, i // columns, i % columns)
        for c in range(self.columns):
            grid.setColumnStretch(c, 1 if c < columns else 0)

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.rebuild()
        super().showEvent(event)

    def rebuild(self) -> None:
        self._stale = False
        falc = self.version is TextVersion.FALC
        overview = self.db.fiche("dispositifs")
        groups = self.db.groups()
        if self._deferred:  # the first frame: only the fiches it shows (the list follows the paint)
            headers = self.db.fiche_headers_of([*self.favourites, *(m for g in groups for m in g.members)])
        else:
            headers = {f.slug: f for f in self.db.fiche_headers()}
        page = QWidget()
        page.setObjectName("homePage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 20, 28, 28)
        layout.setSpacing(14)
        self.cards = []
        self.favourite_cards: list[Card] = []
        self._grids = []
        self._grid_columns = self._fitting_columns()
        self.headings = []

        title = WrapLabel(overview.title if overview else "Dispositifs de soins primaires et de coordination")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.headings.append((title, 1))

        if self.hint:
            hint = WrapLabel(self.hint)
            hint.setObjectName("homeHint")
            layout.addWidget(hint)

        pivot = overview.section("pivot") if overview else None
        if pivot is not None:
            frame = QFrame()
            frame.setObjectName("pivot")
            box = QVBoxLayout(frame)
            box.setContentsMargins(16, 12, 16, 12)
            text = "\n".join(x for x in pivot.falc if x) if falc and pivot.falc else pivot.text
            label = WrapLabel(text)
            label.setObjectName("pivotText")
            font = label.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * (1.3 if falc else 1.15))
            label.setFont(font)
            box.addWidget(label)
            layout.addWidget(frame)

        self.page_button_widgets: list[QPushButton] = []
        if self.page_buttons:
            # A bar that wraps: at a large text size the buttons go onto more rows rather than
            # widen the page past the window.
            actions = FlowBar(page, spacing=layout.spacing(), margin=0)
            for key, text in (
                ("guide", "Quelle structure ?"),
                ("compare", "Comparer les structures"),
                ("glossary", "Glossaire"),
                ("sources", "Sources et erratum"),
            ):
                button = QPushButton(text)
                button.setAccessibleName(text)
                button.clicked.connect(lambda _=False, k=key: self.open_page.emit(k))
                actions.add(button, place=False)
                self.page_button_widgets.append(button)
            actions.relayout()
            layout.addWidget(actions)

        favourites = [headers[s] for s in self.favourites if s in headers and self._allowed(s)]
        if favourites:
            self._add_group(layout, "Vos fiches favorites", favourites, favourite=True)

        grouped: set[str] = {"dispositifs"}
        self._later: list[tuple[str, list[Fiche]]] = []  # groups below the first frame's fold
        for group in groups:
            members = [headers[m] for m in group.members if m in headers and self._allowed(m)]
            grouped.update(group.members)
            if not members:
                continue
            if self._deferred and len(self.cards) >= FIRST_FRAME_CARDS:
                self._later.append((group.display_title(self.version), members))
            else:
                self._add_group(layout, group.display_title(self.version), members)
        self._grouped = grouped
        self.other_list = None
        self._others_at = layout.count()
        self._layout = layout
        if not self._deferred:
            self._add_others()

        self._overview = overview
        if not self._deferred:
            self._add_tail(layout)
        layout.addStretch(1)
        self.setWidget(page)
        if not self._deferred:
            self._finish_accessibility()

    def _add_tail(self, layout: QVBoxLayout, at: int | None = None) -> None:
        """The page's end: the flexibility clause, the FALC credit and the content's version (at
        index at, else at the end). Below the fold of the first frame: a deferred render adds it
        in finish()."""
        falc = self.version is TextVersion.FALC
        overview = self._overview
        widgets: list[QWidget | QVBoxLayout] = []
        clause = overview.section("clause") if overview else None
        if clause is not None:
            lines = [x for x in clause.falc if x] if falc and clause.falc else clause.paragraphs()
            heading = clause.display_title(self.version)
            # Plain text, in two labels: a rich-text label would lay out a whole text document.
            clause_title = WrapLabel(heading)
            clause_title.setObjectName("clauseTitle")
            note = WrapLabel("\n".join(lines))
            note.setObjectName("clause")
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(clause_title)
            box.addWidget(note)
            widgets.append(box)
        if falc:
            credit = next((s.credit for s in self.db.sources().values() if s.credit), None)
            if credit:
                label = WrapLabel(credit)
                label.setObjectName("muted")
                widgets.append(label)
        meta = self.db.meta
        # Wrapped: no label is ever wider than the window, at any text size.
        footer = WrapLabel(f"Contenu version {meta.content_version} – {date_span(self.db.sources().values())}")
        footer.setObjectName("muted")
        widgets.append(footer)
        at = layout.count() if at is None else at
        for i, item in enumerate(widgets):
            if isinstance(item, QVBoxLayout):
                layout.insertLayout(at + i, item)
            else:
                layout.insertWidget(at + i, item)

    def _finish_accessibility(self) -> None:
        """Headings for a screen reader; Tab goes to the page (it scrolls), then its buttons,
        cards and list in reading order (a new page's widgets would come last otherwise)."""
        from fiche_desktop.views import accessibility

        for label, level in self.headings:
            accessibility.mark(label, "heading", level)
        chain: list[QWidget] = [self, *self.page_button_widgets, *self.favourite_cards, *self.cards]
        if self.other_list is not None:
            chain.append(self.other_list)
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _first_falc_line(self, slug: str) -> str:
        """The first validated FALC line of a fiche ('' when it has none)."""
        fiche = self.db.fiche(slug)
        for section in fiche.sections if fiche else ():
            line = next((x.lstrip("• ") for x in section.falc if x.strip()), "")
            if line:
                return line
        return ""

    def finish(self) -> None:
        """Completes a deferred first render: focusable cards, the list of other fiches."""
        if not self._deferred:
            return
        self._deferred = False
        for title, members in self._later:
            self._others_at = self._add_group(self._layout, title, members, at=self._others_at)
        self._later = []
        self._add_tail(self._layout, at=self._layout.count() - 1)  # before the closing stretch
        for card in self.cards + self.favourite_cards:
            card.make_focusable()
        self._add_others()
        self._finish_accessibility()

    def _add_others(self) -> None:
        from fiche_desktop.views.fiche_list import FicheList, fiche_list_model

        others = [f for f in self.db.fiche_headers() if f.slug not in self._grouped and self._allowed(f.slug)]
        if not others:
            return
        label = WrapLabel(OTHER_TITLE)
        label.setObjectName("groupTitle")
        self._layout.insertWidget(self._others_at, label)
        self.headings.append((label, 2))
        self.other_list = FicheList(fiche_list_model(others, self.version), OTHER_TITLE)
        self.other_list.activated_slug.connect(self.open_fiche)
        self._layout.insertWidget(self._others_at + 1, self.other_list)

    def _allowed(self, slug: str) -> bool:
        return self.allowed is None or slug in self.allowed

    def _add_group(
        self, layout: QVBoxLayout, title: str, fiches: list[Fiche], favourite: bool = False, at: int | None = None
    ) -> int:
        """Adds a group's title and cards (at index at, else at the end); returns the index after them."""
        at = layout.count() if at is None else at
        label = WrapLabel(title)
        label.setObjectName("groupTitle")
        layout.insertWidget(at, label)
        self.headings.append((label, 2))
        grid = QGridLayout()
        grid.setSpacing(12)
        cards: list[Card] = []
        for fiche in fiches:
            falc = self.version is TextVersion.FALC
            card = Card(fiche, self.version, self._first_falc_line(fiche.slug) if falc else "")
            if not self._deferred:
                card.make_focusable()
            card.activated.connect(self.open_fiche)
            cards.append(card)
            if favourite:
                card.setAccessibleName("Favori : " + card.accessibleName())
                self.favourite_cards.append(card)
            else:
                self.cards.append(card)
        self._place_cards(grid, cards, self._grid_columns)
        self._grids.append((grid, cards))
        layout.insertLayout(at + 1, grid)
        return at + 2

    def card(self, slug: str) -> Card | None:
        return next((c for c in self.cards if c.slug == slug), None)
