"""The kiosk's two pages: the desk's home screen and fiche view, adapted to touch and to the text size."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextBlock, QTextCharFormat, QTextCursor, QTextFormat, QTextOption
from PySide6.QtWidgets import QListView, QScroller, QTextEdit, QWidget

from fiche_desktop.content import Fiche, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.render import RenderContext
from fiche_desktop.views.fiche_view import FicheView
from fiche_desktop.views.home import HomeView

HOME_HINT = "Touchez une carte pour lire la fiche."
TERM_HINT = "Touchez un mot souligné pour savoir ce qu’il veut dire."


class KioskHome(HomeView):
    """The desk home screen without the buttons to pages the kiosk does not have, swipe to scroll."""

    def __init__(self, db: ContentDB, columns: int = 3, fiches: list[str] | None = None) -> None:
        super().__init__(db, columns=columns, fiches=fiches, page_buttons=False, hint=HOME_HINT)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    @staticmethod
    def columns_for(width: int, pt: float) -> int:
        """As many columns of cards as fit about 15 characters' width each (text at pt), 1 to 3."""
        px = pt * 96 / 72
        return max(1, min(3, int(width / (px * 15))))

    def fit(self, width: int, pt: float) -> None:
        """Cards in as many columns as width holds at text size pt."""
        columns = self.columns_for(width, pt)
        if columns != self.columns:
            self.columns = columns
            self.render_when_shown()
        # A card whose longest word is wider than its column (another content pack): fewer columns.
        page = self.widget()
        while (
            self.isVisible()
            and self.columns > 1
            and page is not None
            and page.minimumSizeHint().width() > self.viewport().width()
        ):
            self.columns -= 1
            self.rebuild()
            page = self.widget()


def _cuts_a_word(block: QTextBlock) -> bool:
    """True when the block's layout breaks a line inside a word (no space, no hyphen there)."""
    lines = block.layout()
    text = block.text()
    for i in range(lines.lineCount() - 1):
        end = lines.lineAt(i).textStart() + lines.lineAt(i).textLength()
        if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            return True
    return False


def _scale_block(block: QTextBlock, scale: float, base_pt: float) -> None:
    """Multiplies the point size of every fragment of block by scale. An HTML heading's size
    step (h1: +3), which Qt's layout applies on top of the style sheet's size, is removed
    (cleared: set to 0 it would mean « medium »), so the style sheet's size is the one scaled."""
    fragments = []
    it = block.begin()
    while not it.atEnd():
        fragments.append(it.fragment())
        it += 1
    for fragment in fragments:
        fmt = QTextCharFormat(fragment.charFormat())
        size = fmt.fontPointSize() or base_pt
        fmt.clearProperty(QTextFormat.Property.FontSizeAdjustment)
        fmt.setFontPointSize(max(6.0, size * scale))
        cursor = QTextCursor(block.document())
        cursor.setPosition(fragment.position())
        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)


class KioskFicheView(FicheView):
    """The desk fiche view for touch: no compare / print buttons of its own, no text
    selection, no hover tooltips, swipe to scroll, a readable line length that never runs
    wider than the view (no horizontal scrolling: the text wraps)."""

    TOC_SHARE, TOC_MIN_PX, TOC_MAX_PX = 0.27, 200, 440

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, buttons=False, hint=TERM_HINT, term_popups=False)
        self.term_hint = self.hint
        self.browser.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.browser.highlighted.disconnect()
        self.browser.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
        # A word longer than the line (a title at 200 % on a small screen) breaks, never clips.
        self.browser.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.document().setDocumentMargin(28)
        self.toc.setVerticalScrollMode(self.toc.ScrollMode.ScrollPerPixel)
        self.toc.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.toc.setResizeMode(QListView.ResizeMode.Adjust)  # wrapped items re-laid out at each width
        self.heading.setObjectName("kioskHeading")
        self.heading.setWordWrap(True)
        self.hint.setWordWrap(True)
        for viewport in (self.browser.viewport(), self.toc.viewport()):
            QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.TouchGesture)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(2)
        self.wanted_line_width = 1100
        self.line_width = 1100
        self.width_for = 1280
        self.browser.viewport().installEventFilter(self)

    def fit(self, width: int, wanted_line_width: int) -> None:
        """The contents take a share of width, or what their longest word needs; the text about
        wanted_line_width, within the view."""
        self.width_for = width
        self.wanted_line_width = wanted_line_width
        self._fit_toc()
        self._fit_line()

    def _fit_toc(self) -> None:
        font = QFont(self.toc.font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        words = (word for i in range(self.toc.count()) for word in self.toc.item(i).text().split())
        longest = max((metrics.horizontalAdvance(word) for word in words), default=0)
        needed = longest + 2 * 12 + 40 + 12  # item padding, scroll bar, frame and rounding
        width = self.width_for
        toc = max(self.TOC_MIN_PX, int(width * self.TOC_SHARE), needed)
        toc = min(toc, max(self.TOC_MAX_PX, needed), int(width * 0.4))
        if self.toc.width() != toc or self.toc.minimumWidth() != toc:
            self.toc.setFixedWidth(toc)

    def _fit_line(self) -> None:
        width = min(self.wanted_line_width, max(120, self.browser.viewport().width()))
        if width != self.line_width or self.browser.lineWrapColumnOrWidth() != width:
            self.line_width = width
            self.browser.setLineWrapColumnOrWidth(width)
            if self.fiche is not None:  # words fitted to the old width: lay them out afresh
                self.show_fiche(self.fiche, self.version, self.context, self.current_section())

    def _fit_words(self) -> None:
        """A paragraph or title with a word longer than the line (« Pluriprofessionnelle » in
        a title at 200 % on a small screen) is set just small enough for that word to fit:
        FALC text is never hyphenated, and a word cut anywhere is hard to read. The layout
        itself says where a word was cut; the block shrinks by steps until none is."""
        doc = self.browser.document()
        layout = doc.documentLayout()
        layout.documentSize()  # lays the whole document out now
        base = doc.defaultFont().pointSizeF()
        block = doc.begin()
        while block.isValid():
            for _ in range(12):
                if not _cuts_a_word(block):
                    break
                _scale_block(block, 0.92, base)
                layout.documentSize()
            block = block.next()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.browser.viewport():
            self._fit_line()
        return False

    def show_fiche(
        self, fiche: Fiche, version: TextVersion, context: RenderContext, section: str | None = None
    ) -> None:
        self._fit_line()
        super().show_fiche(fiche, version, context, section)
        self._fit_words()
        self._fit_toc()

    def clear(self) -> None:
        """Forgets the fiche shown: no text, no contents, no history."""
        self.fiche = None
        self.browser.clear()
        self.browser.clearHistory()
        self.toc.clear()
        self.heading.clear()
