"""Fiche screen: the contents, the fiche in either text version, find in page, glossary popups."""

from __future__ import annotations

import time
import unicodedata

from PySide6.QtCore import QPoint, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QCursor,
    QFontMetricsF,
    QGuiApplication,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop.content import Fiche, Section, Term, TextVersion
from fiche_desktop.presentation import NEAR_YOU, part_attribution, structure_contacts, term_origin, version_words
from fiche_desktop.render import (
    FOLD_URL,
    LEVEL_TITLES,
    MORE_TITLE,
    RenderContext,
    clause_applies,
    falc_parts,
    fiche_html,
)
from fiche_desktop.search import CONTACT_SECTION, hit_spans
from fiche_desktop.theme import Palette
from fiche_desktop.views import accessibility
from fiche_desktop.views.flow_layout import FlowBar

SECTION_PREFIX = "section-"
SECTION_ROLE = 256  # Qt.ItemDataRole.UserRole: the section id of a contents entry
# A comfortable line length on wide windows, in average characters.
MAX_LINE_CHARS = 78


def mark_format(palette: Palette, current: bool = False) -> QTextCharFormat:
    """How a search hit or a find-in-page match is marked: the theme's mark colours, text and
    background (the current match in its own background)."""
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(palette.current_mark_bg if current else palette.mark_bg))
    fmt.setForeground(QColor(palette.mark_ink))
    return fmt


def nbsp(text: str) -> str:
    """French typography: no line break before « ? », « : », « ! », « ; » (never a lone « ? »)."""
    for mark in ("?", ":", "!", ";", "»"):
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text.replace("« ", "«\u00a0")


def fold_same_length(text: str) -> str:
    """Lower case without accents, one character for one (positions stay those of text)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[:1] or ch
        low = base.casefold()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


def section_range(browser: QTextBrowser, section: str) -> tuple[int, int] | None:
    """The document positions from the section's title to the next section's, or None."""
    doc = browser.document()
    start: int | None = None
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                if not name.startswith(SECTION_PREFIX):
                    continue
                if start is None and name == SECTION_PREFIX + section:
                    start = block.position()
                elif start is not None and block.position() > start:
                    return start, block.position()
            it += 1
        block = block.next()
    return (start, doc.characterCount()) if start is not None else None


def section_at_top(browser: QTextBrowser) -> str | None:
    """The id of the last section whose title is at or above the top of the viewport."""
    doc = browser.document()
    layout = doc.documentLayout()
    top = browser.verticalScrollBar().value() + 4
    current: str | None = None
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                if name.startswith(SECTION_PREFIX):
                    if layout.blockBoundingRect(block).top() <= top:
                        current = name[len(SECTION_PREFIX) :]
                    else:
                        return current
            it += 1
        block = block.next()
    return current


def section_at(doc: QTextDocument, position: int) -> str | None:
    """The id of the section whose anchor comes last before position."""
    current: str | None = None
    block = doc.begin()
    while block.isValid() and block.position() <= position:
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.position() > position:
                return current
            for name in fragment.charFormat().anchorNames():
                if name.startswith(SECTION_PREFIX):
                    current = name[len(SECTION_PREFIX) :]
            it += 1
        block = block.next()
    return current


class FicheBrowser(QTextBrowser):
    """Shows rendered HTML; links go to the owner; a readable line length on wide windows."""

    internal_link = Signal(QUrl)
    copy_with_source_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, copy_with_source: bool = True) -> None:
        super().__init__(parent)
        # Qt's own text interface (say-all, caret reading) and a read-only keyboard caret.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.margin = 24
        self.document().setDocumentMargin(self.margin)
        self.max_text_px = 0  # 0: no limit
        self.anchorClicked.connect(self.internal_link)
        self.highlighted.connect(self._on_hover)
        self.term_definitions: dict[str, str] = {}
        self.copy_with_source = copy_with_source
        self.last_press = (0.0, QPoint())

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab / Shift+Tab select the next link; Qt tells a screen reader nothing of that selection,
        so the event is sent here (Orca then reads the link's text, « … selected »)."""
        moved = super().focusNextPrevChild(next)
        cursor = self.textCursor()
        if self.hasFocus() and cursor.selectedText().strip() and cursor.charFormat().anchorHref():
            from PySide6.QtGui import QAccessible, QAccessibleTextSelectionEvent

            event = QAccessibleTextSelectionEvent(self, cursor.selectionStart(), cursor.selectionEnd())
            QAccessible.updateAccessibility(event)
        return moved

    def _on_hover(self, url: QUrl) -> None:
        if url.scheme() == "glossaire":
            text = self.term_definitions.get(url.path())
            if text:
                QToolTip.showText(QCursor.pos(), text, self)
                return
        QToolTip.hideText()

    def anchor_positions(self) -> dict[str, int]:
        """Each anchor of the text and where its block starts (the first place, when named twice)."""
        positions: dict[str, int] = {}
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                for name in it.fragment().charFormat().anchorNames():
                    positions.setdefault(name, block.position())
                it += 1
            block = block.next()
        return positions

    def place_caret(self, position: int) -> None:
        """The reading caret at position (a screen reader reads on from there)."""
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(position, self.document().characterCount() - 1)))
        self.setTextCursor(cursor)

    def setHtml(self, text: str) -> None:
        # WORKAROUND: the caret's move to the new text's start reaches Orca as an event of its own,
        # read after the focus has come to the text, and Orca then takes the text as already
        # focused and stays silent; the text's control keeps quiet while the text is replaced.
        control = next((c for c in self.children() if c.metaObject().className() == "QWidgetTextControl"), None)
        blocked = control.blockSignals(True) if control is not None else False
        try:
            super().setHtml(text)
        finally:
            if control is not None:
                control.blockSignals(blocked)
        self.fit_line_length()

    def fit_line_length(self) -> None:
        """Centres a column of at most max_text_px: lines of 70–80 characters, not 1,450 px."""
        doc = self.document()
        frame = doc.rootFrame()
        fmt = frame.frameFormat()
        width = self.viewport().width()
        side = self.margin
        if self.max_text_px and width - 2 * self.margin > self.max_text_px:
            side = int((width - self.max_text_px) / 2)
        if fmt.leftMargin() != side or fmt.rightMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            frame.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_line_length()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.last_press = (time.monotonic(), event.globalPosition().toPoint())
        super().mouseReleaseEvent(event)

    def link_point(self) -> QPoint:
        """Where the link just activated is on screen: the mouse, or the keyboard's cursor."""
        when, where = self.last_press
        if time.monotonic() - when < 1.0:
            return where
        rect = self.cursorRect(self.textCursor())
        return self.viewport().mapToGlobal(rect.bottomLeft())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.copy_with_source:
            action = menu.addAction("Copier avec la source")
            action.setEnabled(self.textCursor().hasSelection())
            action.triggered.connect(self.copy_with_source_requested)
        menu.exec(event.globalPos())
        menu.deleteLater()


class TermPopup(QFrame):
    """A glossary definition beside the word, without leaving the fiche; Échap or « Fermer » closes it."""

    open_glossary = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("termPopup")
        self.setFrameShape(QFrame.Shape.Box)
        self.setAccessibleName("Définition")
        accessibility.mark(self, "dialog")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        self.title = QLabel()
        self.title.setObjectName("popupTitle")
        self.title.setWordWrap(True)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.origin = QLabel()
        self.origin.setObjectName("muted")
        self.origin.setWordWrap(True)
        for label in (self.title, self.body, self.origin):
            layout.addWidget(label)
        buttons = QHBoxLayout()
        self.glossary_button = QPushButton("Voir dans le glossaire")
        self.glossary_button.clicked.connect(self._open_glossary)
        self.close_button = QPushButton("Fermer")
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.glossary_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.term = ""
        self.setMaximumWidth(520)

    def _open_glossary(self) -> None:
        self.close()
        self.open_glossary.emit(self.term)

    def show_term(self, term: Term, origin: str, note: str, at: QPoint) -> None:
        self.term = term.term
        head = f"{term.term} – {term.expansion}" if term.expansion else term.term
        self.title.setText(head)
        self.body.setText(term.definition)
        self.origin.setText(f"{note}\n{origin}".strip())
        self.setAccessibleName(f"Définition : {head}")
        self.setAccessibleDescription(f"{head}. {term.definition}")
        self.adjustSize()
        screen = QGuiApplication.screenAt(at) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen else QRect(0, 0, 1920, 1080)
        x = max(area.left(), min(at.x(), area.right() - self.width()))
        y = at.y() + 8 if at.y() + 8 + self.height() <= area.bottom() else at.y() - self.height() - 24
        self.move(x, max(area.top(), y))
        self.show()
        self.close_button.setFocus()
        # The focus goes to « Fermer »: the definition itself is said once, beside it.
        accessibility.announce(self, f"{head}. {term.definition} {note}")


class FindBar(QWidget):
    """Find in the open fiche: every match highlighted, next / previous, « n sur N »."""

    def __init__(self, view: FicheView) -> None:
        super().__init__(view)
        self.view = view
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        label = QLabel("Rechercher dans la fiche :")
        self.field = QLineEdit()
        self.field.setAccessibleName("Rechercher dans la fiche")
        self.field.setClearButtonEnabled(True)
        accessibility.name_clear_button(self.field, "Effacer le mot recherché")
        label.setBuddy(self.field)
        self.count = QLabel()
        self.count.setAccessibleName("Nombre de résultats dans la fiche")
        self.previous_button = QPushButton("Précédent")
        self.previous_button.setAccessibleName("Résultat précédent dans la fiche")
        self.next_button = QPushButton("Suivant")
        self.next_button.setAccessibleName("Résultat suivant dans la fiche")
        self.close_button = QPushButton("Fermer")
        self.close_button.setAccessibleName("Fermer la recherche dans la fiche")
        for w in (label, self.field, self.count, self.previous_button, self.next_button, self.close_button):
            layout.addWidget(w)
        layout.setStretch(1, 1)
        self.field.textChanged.connect(view.find_in_page)
        self.field.returnPressed.connect(lambda: view.find_next(1))
        self.next_button.clicked.connect(lambda: view.find_next(1))
        self.previous_button.clicked.connect(lambda: view.find_next(-1))
        self.close_button.clicked.connect(view.close_find)
        QShortcut(QKeySequence("Escape"), self.field, view.close_find)
        QShortcut(QKeySequence("Shift+Return"), self.field, lambda: view.find_next(-1))
        self.hide()


class FicheView(QWidget):
    """The contents on the left, the fiche on the right, a find bar above."""

    link_activated = Signal(QUrl)
    compare_requested = Signal(str)
    print_requested = Signal()
    favourite_toggled = Signal(str, bool)
    read_aloud_requested = Signal(str)
    status_message = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, buttons: bool = True, hint: str = "", term_popups: bool = True
    ) -> None:
        """buttons: favourite, read aloud, compare, print; hint: a line beside the heading (the
        kiosk's); term_popups: a glossary word opens its definition in a popup (the kiosk shows
        its own overlay instead: then link_activated carries the glossaire: link)."""
        super().__init__(parent)
        self.buttons = buttons
        self.term_popups = term_popups
        self.fiche: Fiche | None = None
        self.version = TextVersion.STANDARD
        self.context = RenderContext()
        self.unfolded = False
        self._unfolded_text = ("", "")  # (fiche, its FALC page unfolded as plain text, folded for find)
        self._finding = False  # find in page is unfolding the page: it finds once the page is shown
        self._refolded = False  # the reader folded the standard parts again: find does not reopen them
        self.matches: list[QTextCursor] = []
        self.match_index = -1
        self.speech_available = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = FlowBar(spacing=4, margin=6)  # wraps at a large zoom instead of widening the window
        self.heading = QLabel()  # the kiosk's heading; at the desk the page's own title says it
        self.heading.setObjectName("muted")
        bar.add(self.heading, grow=True)
        self.heading.setVisible(not buttons)
        self.favourite_button = QPushButton("☆ Favori")
        self.favourite_button.setCheckable(True)
        self.favourite_button.setAccessibleName("Ajouter cette fiche aux favoris")
        self.favourite_button.toggled.connect(self._on_favourite)
        self.listen_button = QPushButton("Écouter")
        self.listen_button.setAccessibleName("Écouter la partie affichée ou le texte choisi")
        self.listen_button.clicked.connect(lambda: self.read_aloud_requested.emit(self.read_aloud_text()))
        self.compare_button = QPushButton("Comparer")
        self.compare_button.setAccessibleName("Comparer cette structure avec d’autres")
        self.compare_button.clicked.connect(lambda: self.fiche and self.compare_requested.emit(self.fiche.slug))
        self.print_button = QPushButton("Imprimer / PDF")
        self.print_button.setAccessibleName("Imprimer ou exporter cette fiche en PDF")
        self.print_button.clicked.connect(self.print_requested)
        for button in (self.favourite_button, self.listen_button, self.compare_button, self.print_button):
            bar.add(button)
            button.setVisible(buttons)
        self.listen_button.hide()
        self.hint = QLabel(hint)
        self.hint.setObjectName("termHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(hint))
        bar.add(self.hint)
        self.header_bar = bar
        layout.addWidget(bar)
        self.find_bar = FindBar(self)  # the desk's (the kiosk has no text field)
        if buttons:
            layout.addWidget(self.find_bar)
        else:
            self.find_bar.setParent(None)
        self.splitter = splitter = QSplitter()
        self.toc = QListWidget()
        self.toc.setAccessibleName("Sommaire de la fiche")
        self.toc.setWordWrap(True)
        self.toc.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Entrée on a part: the caret and the focus go to its heading, where reading goes on.
        self.toc.itemActivated.connect(lambda item: self._toc_activated(item, focus=True))
        self.toc.itemClicked.connect(self._toc_activated)
        self.browser = FicheBrowser(copy_with_source=buttons)
        self.browser.setAccessibleName("Texte de la fiche")
        self.browser.internal_link.connect(self._on_link)
        self.browser.copy_with_source_requested.connect(self.copy_with_source)
        self.toc_timer = QTimer(self)
        self.toc_timer.setSingleShot(True)
        self.toc_timer.setInterval(60)
        self.toc_timer.timeout.connect(self._sync_toc)
        self.browser.verticalScrollBar().valueChanged.connect(lambda _v: self.toc_timer.start())
        splitter.addWidget(self.toc)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 900])
        layout.addWidget(splitter, 1)
        self.popup: TermPopup | None = None

    # --- showing

    def show_fiche(
        self, fiche: Fiche, version: TextVersion, context: RenderContext, section: str | None = None
    ) -> None:
        if self.fiche is None or fiche.slug != self.fiche.slug:
            self.unfolded = False
        self.fiche = fiche
        self.version = version
        self.context = context
        self.browser.term_definitions = {
            t.term: f"{t.term}{' : ' + t.expansion if t.expansion else ''}\n{t.definition}" for t in context.terms
        }
        self.compare_button.setVisible(self.buttons and fiche.kind == "structure")
        self.browser.max_text_px = int(QFontMetricsF(self.browser.font()).averageCharWidth() * MAX_LINE_CHARS)
        self.browser.setExtraSelections([])
        self.browser.setHtml(fiche_html(fiche, version, context, unfolded=self.unfolded))
        self._fill_toc()
        self.heading.setText(fiche.display_label(version))
        # What a screen reader says when the text takes the focus: the fiche and its version.
        self.browser.setAccessibleName(f"{fiche.display_label(version)}, {version_words(version)}")
        self.header_bar.relayout()
        if section and self.has_section(section):
            self.scroll_to(section)
        else:
            self.browser.place_caret(0)
            self.browser.verticalScrollBar().setValue(0)
        if self.find_bar.isVisible() and self.find_bar.field.text() and not self._finding:
            self.find_in_page(self.find_bar.field.text(), may_unfold=not self._refolded)
        self.toc_timer.start()  # once the new text is laid out

    def rerender(self, version: TextVersion, context: RenderContext) -> None:
        """Re-renders in another version or size, keeping the section at the top in view."""
        if self.fiche is None:
            return
        section = self.current_section()
        # The search hits stay marked through a change of theme or size (the text is the same), in the
        # new colours; find in page marks its matches again itself.
        hits = [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in self.browser.extraSelections()]
        same_text = version is self.version
        self.show_fiche(self.fiche, version, context, section)
        if same_text and hits and not self.matches:
            self.browser.setExtraSelections([self._mark(start, end) for start, end in hits])

    def _mark(self, start: int, end: int) -> QTextEdit.ExtraSelection:
        """A search hit's mark from start to end, in the theme's colours."""
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = mark_format(self.context.palette)
        return selection

    def has_section(self, section: str) -> bool:
        """True when the page shows that section (a standard part is hidden while folded in FALC)."""
        return SECTION_PREFIX + section in self.browser.anchor_positions()

    def unfold(self, unfolded: bool = True) -> None:
        """Shows (or folds again) the standard parts of a FALC page."""
        if self.fiche is None or self.unfolded == unfolded:
            return
        self.unfolded = unfolded
        self._refolded = not unfolded
        try:
            self.show_fiche(self.fiche, self.version, self.context, "plus")
        finally:
            self._refolded = False

    def current_section(self) -> str | None:
        return section_at_top(self.browser)

    def focus_text(self) -> None:
        """Puts the keyboard in the text: a screen reader speaks the fiche's name, then reads from the
        caret (at the top, or at the part opened) line by line or to the end."""
        self.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    def scroll_to(self, section: str) -> None:
        if (
            self.version is TextVersion.FALC
            and not self.unfolded
            and self.fiche is not None
            and not self.has_section(section)
        ):
            self.unfold()
        position = self.browser.anchor_positions().get(SECTION_PREFIX + section)
        if position is not None:
            self.browser.place_caret(position)
        self.browser.scrollToAnchor(SECTION_PREFIX + section)

    def text(self) -> str:
        return self.browser.toPlainText()

    def set_favourite(self, favourite: bool) -> None:
        self.favourite_button.blockSignals(True)
        self.favourite_button.setChecked(favourite)
        self.favourite_button.blockSignals(False)
        self._label_favourite(favourite)

    def set_speech_available(self, available: bool) -> None:
        self.speech_available = available
        self.listen_button.setVisible(self.buttons and available)

    def _on_favourite(self, checked: bool) -> None:
        self._label_favourite(checked)
        if self.fiche is not None:
            self.favourite_toggled.emit(self.fiche.slug, checked)

    def _label_favourite(self, favourite: bool) -> None:
        self.favourite_button.setText("★ Favori" if favourite else "☆ Favori")
        self.favourite_button.setAccessibleName(
            "Retirer cette fiche des favoris" if favourite else "Ajouter cette fiche aux favoris"
        )

    # --- contents

    def _fill_toc(self) -> None:
        self.toc.clear()
        fiche = self.fiche
        if fiche is None:
            return

        def header(text: str, anchor: str | None = None) -> None:
            item = QListWidgetItem(nbsp(text))
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            if anchor:
                item.setData(SECTION_ROLE, anchor)
            else:
                item.setFlags(Qt.ItemFlag.NoItemFlags | Qt.ItemFlag.ItemIsEnabled)
            self.toc.addItem(item)

        def entry(section_id: str, title: str) -> None:
            item = QListWidgetItem(nbsp(title))
            item.setData(SECTION_ROLE, section_id)
            item.setToolTip(title)
            self.toc.addItem(item)

        def standard(sections: list[Section]) -> None:
            level = ""
            for s in sections:
                if s.level != level and fiche.kind != "overview":
                    level = s.level
                    header(LEVEL_TITLES[level])
                entry(s.id, s.title)

        clause = self.context.clause if clause_applies(fiche, self.context) else None
        if self.version is TextVersion.FALC:
            with_falc, rest = falc_parts(fiche)
            for s in with_falc:
                entry(s.id, s.display_title(self.version))
            if clause is not None and clause.has_falc:
                entry(clause.id, clause.display_title(self.version))
            elif clause is not None:
                rest = [*rest, clause]
            if rest or fiche.links:
                header(MORE_TITLE, "plus")
                if self.unfolded:
                    standard(rest)
                    if fiche.links:
                        entry("liens", "Liens utiles")
        else:
            standard(list(fiche.sections))
            if fiche.links:
                entry("liens", "Liens utiles")
            if clause is not None:
                entry(clause.id, clause.title)
        if structure_contacts(self.context.useful, fiche.slug):  # the practice's contacts, last
            entry(CONTACT_SECTION, NEAR_YOU)

    def _sync_toc(self) -> None:
        """Highlights the contents entry of the section in view."""
        current = self.current_section()
        if current is None:  # above the first part: the first entry
            first = next(
                (self.toc.item(r) for r in range(self.toc.count()) if self.toc.item(r).data(SECTION_ROLE)), None
            )
            current = str(first.data(SECTION_ROLE)) if first is not None else None
        for row in range(self.toc.count()):
            item = self.toc.item(row)
            if current is not None and item.data(SECTION_ROLE) == current:
                self.toc.blockSignals(True)
                self.toc.setCurrentItem(item)
                self.toc.blockSignals(False)
                self.toc.scrollToItem(item)
                return

    def current_toc_title(self) -> str:
        item = self.toc.currentItem()
        return item.text() if item is not None else ""

    def _toc_activated(self, item: QListWidgetItem, focus: bool = False) -> None:
        if item.data(SECTION_ROLE):
            self.scroll_to(str(item.data(SECTION_ROLE)))
            if focus:
                self.focus_text()

    # --- links and the glossary popup

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == "section":
            self.scroll_to(url.path())
        elif url.toString() == FOLD_URL:
            self.unfold(not self.unfolded)
        elif url.scheme() == "glossaire" and self.term_popups:
            self.show_term(url.path())
        else:
            self.link_activated.emit(url)

    def show_term(self, name: str) -> TermPopup | None:
        term = next((t for t in self.context.terms if t.term == name), None)
        if term is None:
            return None
        origin = term_origin(term, self.context.sources)
        note = "Pas de définition en version FALC pour ce mot." if self.version is TextVersion.FALC else ""
        if self.popup is None:
            self.popup = TermPopup(self)
            self.popup.open_glossary.connect(lambda t: self.link_activated.emit(QUrl(f"glossaire-page:{t}")))
        self.popup.show_term(term, origin, note, self.browser.link_point())
        return self.popup

    # --- find in page

    def open_find(self) -> None:
        if not self.buttons:
            return
        self.find_bar.show()
        self.find_bar.field.setFocus()
        self.find_bar.field.selectAll()
        if self.find_bar.field.text():
            self.find_in_page(self.find_bar.field.text())

    def close_find(self) -> None:
        self.find_bar.hide()
        self.matches = []
        self.match_index = -1
        self.browser.setExtraSelections([])
        self.browser.setFocus()

    def find_in_page(self, text: str, *, may_unfold: bool = True) -> int:
        """Highlights every occurrence of text (accents and case ignored) in the whole page: when the
        folded standard parts of a FALC page hold some, they are unfolded first (may_unfold); returns
        how many."""
        needle = fold_same_length(text.strip())
        doc = self.browser.document()
        if needle and may_unfold and self._folded_text_has(needle):
            self.unfolded = True
            self._finding = True  # the matches are found below, once
            try:
                self.show_fiche(self.fiche, self.version, self.context, "plus")  # type: ignore[arg-type]
            finally:
                self._finding = False
            doc = self.browser.document()
            self.status_message.emit("Parties en version standard dépliées : le mot y figure.")
        self.matches = []
        if needle:
            hay = fold_same_length(doc.toPlainText())
            start = hay.find(needle)
            while start >= 0:
                cursor = QTextCursor(doc)
                cursor.setPosition(start)
                cursor.setPosition(start + len(needle), QTextCursor.MoveMode.KeepAnchor)
                self.matches.append(cursor)
                start = hay.find(needle, start + len(needle))
        self.match_index = 0 if self.matches else -1
        self._paint_matches()
        n = len(self.matches)
        if not needle:
            self.find_bar.count.setText("")
        else:
            self.find_bar.count.setText(f"1 sur {n}" if n else "Aucun résultat")
            accessibility.announce(self.find_bar.field, f"Résultat 1 sur {n}" if n else "Aucun résultat")
        return n

    def _folded_text_has(self, needle: str) -> bool:
        """True when the page's folded standard parts (a FALC page) hold needle (folded: accents and
        case ignored): the page unfolded has more of it than the page shown."""
        if self.fiche is None or self.version is not TextVersion.FALC or self.unfolded:
            return False
        if self._unfolded_text[0] != self.fiche.slug:
            whole = QTextDocument()
            whole.setHtml(fiche_html(self.fiche, self.version, self.context, unfolded=True))
            self._unfolded_text = (self.fiche.slug, fold_same_length(whole.toPlainText()))
        shown = fold_same_length(self.browser.document().toPlainText())
        return self._unfolded_text[1].count(needle) > shown.count(needle)

    def find_next(self, step: int = 1) -> None:
        if not self.matches:
            return
        self.match_index = (self.match_index + step) % len(self.matches)
        self._paint_matches()
        self.find_bar.count.setText(f"{self.match_index + 1} sur {len(self.matches)}")
        accessibility.announce(self.find_bar.field, f"Résultat {self.match_index + 1} sur {len(self.matches)}")

    def _paint_matches(self) -> None:
        selections = []
        for i, cursor in enumerate(self.matches):
            selection = QTextEdit.ExtraSelection()
            selection.format = mark_format(self.context.palette, current=i == self.match_index)
            selection.cursor = cursor
            selections.append(selection)
        self.browser.setExtraSelections(selections)
        if 0 <= self.match_index < len(self.matches):
            cursor = QTextCursor(self.matches[self.match_index])
            cursor.clearSelection()
            self.browser.setTextCursor(cursor)
            self.browser.ensureCursorVisible()

    def highlighted_texts(self) -> list[str]:
        """The texts highlighted in the fiche (what a reader sees marked)."""
        return [s.cursor.selectedText() for s in self.browser.extraSelections()]

    # --- copying and reading aloud

    def selection_with_source(self) -> str:
        """The selected text, then its source and date (the section's, in the version shown)."""
        cursor = self.browser.textCursor()
        text = cursor.selectedText().replace("\u2029", "\n").strip()
        if not text or self.fiche is None:
            return text
        section_id = section_at(self.browser.document(), cursor.selectionStart())
        section = self.fiche.section(section_id) if section_id else None
        if section is None and self.context.clause is not None and section_id == self.context.clause.id:
            section = self.context.clause
        if section is None:
            return f"{text}\n\n— {self.fiche.label}, Fiche Desktop"
        shown = part_attribution(section, self.version, self.context.sources)
        return f"{text}\n\n— {shown.line()}, cité par Fiche Desktop, fiche « {self.fiche.label} »"

    def copy_with_source(self) -> None:
        text = self.selection_with_source()
        if not text:
            self.status_message.emit("Choisissez d’abord le texte à copier.")
            return
        QGuiApplication.clipboard().setText(text)
        self.status_message.emit("Texte copié avec sa source.")

    def read_aloud_text(self) -> str:
        """The selection, or else the text of the section in view (the version shown)."""
        cursor = self.browser.textCursor()
        if cursor.hasSelection():
            return cursor.selectedText().replace("\u2029", "\n")
        if self.fiche is None:
            return ""
        section_id = self.current_section() or (self.fiche.sections[0].id if self.fiche.sections else "")
        section = self.fiche.section(section_id)
        if section is None:
            return ""
        if self.version is TextVersion.FALC and section.has_falc:
            lines = [section.display_title(self.version), *section.falc]
        else:
            lines = [section.title, *(p.removeprefix("- ") for p in section.paragraphs())]
        return "\n".join(x.lstrip("• ") for x in lines if x)

    # --- search hits

    def highlight_hit(self, section: str, terms: tuple[str, ...], prefix: str = "") -> list[str]:
        """Highlights the search hits in the section (anywhere in the fiche when the section, as shown,
        has none) and brings the first into view; returns the highlighted texts."""
        doc = self.browser.document()
        bounds = section_range(self.browser, section) if section else None
        selections: list[QTextEdit.ExtraSelection] = []
        for start, end in ([bounds] if bounds else []) + [(0, doc.characterCount())]:
            block = doc.findBlock(start)
            while block.isValid() and block.position() < end:
                for s, e in hit_spans(block.text(), terms, prefix):
                    selections.append(self._mark(block.position() + s, block.position() + e))
                block = block.next()
            if selections:
                break
        self.browser.setExtraSelections(selections)
        if selections:
            first = QTextCursor(selections[0].cursor)
            first.setPosition(first.selectionStart())
            self.browser.setTextCursor(first)
            rect = self.browser.cursorRect(first)
            viewport = self.browser.viewport().height()
            if rect.top() < 0 or rect.bottom() > viewport:
                bar = self.browser.verticalScrollBar()
                bar.setValue(bar.value() + rect.top() - viewport // 3)
        return [s.cursor.selectedText() for s in selections]

    def find_text(self, text: str) -> bool:
        return self.browser.find(text, QTextDocument.FindFlag(0))
