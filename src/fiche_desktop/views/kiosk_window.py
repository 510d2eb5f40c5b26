"""Kiosk window: the home and fiche screens for a waiting room, big touch targets and overlays."""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QHideEvent,
    QMoveEvent,
    QResizeEvent,
    QScreen,
    QShowEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QListView,
    QScroller,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop import config
from fiche_desktop.content import Fiche, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.gui.fonts import app_font
from fiche_desktop.gui.lockdown import IdleWatcher, LockDown
from fiche_desktop.gui.speech import SpeechService
from fiche_desktop.gui.watchdog import WindowWatchdog
from fiche_desktop.kiosk import session as kiosk
from fiche_desktop.kiosk.session import ADMIN_CORNER_PX, EXIT_OK
from fiche_desktop.presentation import term_origin
from fiche_desktop.render import ACCENT, INK, MUTED, RenderContext, make_context
from fiche_desktop.views import accessibility
from fiche_desktop.views.fiche_view import FicheView
from fiche_desktop.views.home import HomeView
from fiche_desktop.views.kiosk_bar import BAR_BG, KioskBar
from fiche_desktop.views.kiosk_overlays import (
    ATTRACT_LINES,
    ATTRACT_LINES_STANDARD,
    AttractScreen,
    CountdownOverlay,
    InfoOverlay,
    Overlay,
    PinOverlay,
    QrOverlay,
)
from fiche_desktop.views.style import BASE_PT, style_sheet

log = logging.getLogger("fiche_desktop.kiosk")

BACKGROUND = "#ffffff"
HOME_HINT = "Touchez une carte pour lire la fiche."
TERM_HINT = "Touchez un mot souligné pour savoir ce qu’il veut dire."


# --- The reused desk views, adapted to touch --------------------------------------------


class KioskHome(HomeView):
    """The desk home screen without the buttons to pages the kiosk does not have, swipe to scroll."""

    def __init__(self, db: ContentDB, columns: int = 3, fiches: list[str] | None = None) -> None:
        super().__init__(db, columns=columns, fiches=fiches, page_buttons=False, hint=HOME_HINT)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)


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


# --- The window -------------------------------------------------------------------------


class KioskWindow(QWidget):
    """The waiting-room kiosk: full screen, locked down, forgets each visitor.

    exit_requested(status) is emitted when the admin leaves with the right PIN."""

    exit_requested = Signal(int)
    session_reset = Signal()

    def __init__(
        self,
        db: ContentDB,
        cfg: config.KioskConfig | None = None,
        *,
        idle_ms: int | None = None,
        tick_ms: int = 1000,
        cursor_hide_ms: int = 4000,
        pin_delay_ms: int = 1000,
        speech_engine: str = "",
        start_idle: bool = True,
    ) -> None:
        super().__init__(
            None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        self.db = db
        self.config = cfg or config.KioskConfig()
        self.session = kiosk.new_session(self.config)
        self.start_idle = start_idle
        self.state = "active"  # active | warning | attract
        self._allow_close = False
        self._started = False
        self._kiosk_shown = False
        self._cursor_hidden = False
        self.remaining = 0
        self.setObjectName("kioskWindow")
        self.setWindowTitle("Fiche Desktop – kiosque")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.chrome_pt = BASE_PT * min(self.config.font_scale, 2.0)
        self.setFont(app_font(self.chrome_pt))

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._build_bar())
        self._screen: QScreen | None = None
        self._screens_watched = False
        self.prints = kiosk.PrintLedger()
        self.content = QWidget()
        self.content.setObjectName("kioskContent")
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        content_layout.addWidget(self.stack)
        self.home = KioskHome(db, columns=3, fiches=self.config.fiches or None)
        self.fiche_view = KioskFicheView()
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.fiche_view)
        root.addWidget(self.content, 1)
        self.home.open_fiche.connect(self.open_fiche)
        self.fiche_view.link_activated.connect(self.follow_link)

        self.countdown = CountdownOverlay(self)
        self.countdown.stay.connect(self.stay)
        self.qr_overlay = QrOverlay(self)
        self.info_overlay = InfoOverlay(self)
        self.pin_overlay = PinOverlay(self)
        self.pin_overlay.submitted.connect(self._on_pin)
        falc_default = self.session.version is TextVersion.FALC
        self.attract = AttractScreen(self, ATTRACT_LINES if falc_default else ATTRACT_LINES_STANDARD)
        self.attract.dismissed.connect(self.leave_attract)
        self.overlays: list[Overlay | AttractScreen] = [
            self.qr_overlay,
            self.info_overlay,
            self.pin_overlay,
            self.countdown,
            self.attract,
        ]

        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(max(1, tick_ms))
        self.tick_timer.timeout.connect(self._tick)
        self.cursor_timer = QTimer(self)
        self.cursor_timer.setSingleShot(True)
        self.cursor_timer.setInterval(max(1, cursor_hide_ms))
        self.cursor_timer.timeout.connect(self.hide_cursor)

        timeout = idle_ms if idle_ms is not None else int(self.config.idle_timeout_seconds * 1000)
        self.idle = IdleWatcher(timeout, self)
        self.idle.timed_out.connect(self._on_idle)
        self.idle.activity.connect(self._on_activity)
        self.lockdown = LockDown(self, corner=self.admin_zone)
        self.lockdown.admin_gesture.connect(self._on_admin_gesture)
        self.lockdown.zoom_step.connect(self._zoom_by)
        self.watchdog = WindowWatchdog(self, self.show_kiosk, self.kiosk_geometry)
        self.lockdown.install()  # before the idle watcher: the last filter installed runs first
        self.pin_guard = kiosk.PinGuard(self.config.admin_pin_hash, base_delay_ms=pin_delay_ms)
        self.speech: SpeechService | None = None
        if self.config.read_aloud:
            self.speech = SpeechService(speech_engine, self)
            self.speech.availability_changed.connect(self._on_speech_availability)
            self.speech.speaking_changed.connect(self._on_speaking)

        self.setStyleSheet(self._chrome_css())
        self._apply_session()

    # --- construction

    def _build_bar(self) -> KioskBar:
        self.bar = bar = KioskBar(ADMIN_CORNER_PX)
        self.home_button = bar.home_button
        self.standard_button = bar.standard_button
        self.falc_button = bar.falc_button
        self.version_group = bar.version_group
        self.zoom_out_button = bar.zoom_out_button
        self.zoom_in_button = bar.zoom_in_button
        self.listen_button = bar.listen_button
        self.print_button = bar.print_button
        self.home_button.clicked.connect(self.go_home)
        self.standard_button.clicked.connect(lambda: self.set_version(TextVersion.STANDARD))
        self.falc_button.clicked.connect(lambda: self.set_version(TextVersion.FALC))
        bar.setAccessibleName("Barre d’outils")
        accessibility.mark(bar, "toolbar")
        # A touch never moves the focus (no focus ring under a finger); Tab reaches every button.
        for button in (
            self.home_button,
            self.standard_button,
            self.falc_button,
            self.zoom_out_button,
            self.zoom_in_button,
            self.listen_button,
            self.print_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        accessibility.radio_pair([self.standard_button, self.falc_button])  # Tab: the one shown; arrows choose
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.listen_button.clicked.connect(self.toggle_read_aloud)
        self.print_button.clicked.connect(self.print_current)
        return bar

    # --- keyboard

    def focus_ring(self) -> list[QWidget]:
        """What Tab goes through, in reading order: an open overlay's controls alone; else the
        bar's buttons, then the page shown (a new page's widgets would otherwise come last in
        Qt's chain, and Tab would never come back to the bar)."""

        def takes_tab(w: QWidget) -> bool:
            return w.isVisible() and w.isEnabled() and bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)

        def chain_within(root: QWidget) -> list[QWidget]:
            found: list[QWidget] = [root] if takes_tab(root) else []
            w = root.nextInFocusChain()
            while w is not None and w is not root and len(found) < 2000:
                if root.isAncestorOf(w) and takes_tab(w) and w not in found:
                    found.append(w)
                w = w.nextInFocusChain()
            return found

        overlay = next((o for o in reversed(self.overlays) if o.isVisible()), None)
        if overlay is not None:
            return chain_within(overlay)
        pair = (self.standard_button, self.falc_button)  # a radio pair: Tab stops on the one shown
        bar = [w for w in chain_within(self.bar) if w not in pair or w.isChecked()]
        page = self.stack.currentWidget()
        return bar + (chain_within(page) if page is not None else [])

    def focusNextPrevChild(self, next: bool) -> bool:
        ring = self.focus_ring()
        if not ring:
            return super().focusNextPrevChild(next)
        current = QApplication.focusWidget()
        at = next_index = 0
        if current in ring:
            at = ring.index(current)
            next_index = (at + (1 if next else -1)) % len(ring)
        ring[next_index].setFocus(Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
        return True

    def admin_zone(self) -> QRect:
        """The administrator's zone in window coordinates: the left end of the bar, no button."""
        return self.bar.corner_rect().translated(self.bar.pos())

    def _chrome_css(self) -> str:
        pt = self.chrome_pt
        return f"""
        QWidget#kioskWindow {{ background: {BACKGROUND}; }}
        QFrame#overlayCard {{ background: #ffffff; border: 3px solid {ACCENT}; border-radius: 28px; }}
        QLabel#overlayTitle {{ color: {ACCENT}; font-size: {pt * 2.1:.1f}pt; font-weight: bold; }}
        QLabel#overlayText {{ color: {INK}; font-size: {pt * 1.45:.1f}pt; }}
        QLabel#overlayMuted {{ color: {MUTED}; font-size: {pt * 1.0:.1f}pt; }}
        QLabel#countdownNumber {{ color: {ACCENT}; font-size: {pt * 3.6:.1f}pt; font-weight: bold; }}
        QLabel#pinDots {{ color: {INK}; font-size: {pt * 2.4:.1f}pt; }}
        QLabel#pinMessage {{ color: {INK}; font-size: {pt * 1.2:.1f}pt; }}
        QPushButton#primaryButton {{ background: {ACCENT}; color: #ffffff; font-size: {pt * 1.8:.1f}pt;
            font-weight: bold; border: none; border-radius: 18px; padding: 16px 64px; min-height: 88px; }}
        QPushButton#primaryButton:pressed {{ background: #082c50; }}
        QPushButton#secondaryButton {{ background: #ffffff; color: {ACCENT}; font-size: {pt * 1.4:.1f}pt;
            font-weight: bold; border: 3px solid {ACCENT}; border-radius: 16px; padding: 12px 48px;
            min-height: 72px; }}
        QPushButton#keypadButton {{ background: #ffffff; color: {INK}; font-weight: bold;
            border: 2px solid #8aa0b8; border-radius: 16px; padding: 0px; }}
        QPushButton#keypadButton:pressed {{ background: #dbe7f3; }}
        QPushButton#keypadButton:disabled {{ color: #9a9a9a; border-color: #d0d7df; }}
        QLabel#attractTitle {{ color: {ACCENT}; font-size: {pt * 4.2:.1f}pt; font-weight: bold; }}
        QLabel#attractText {{ color: {INK}; font-size: {pt * 2.0:.1f}pt; }}
        """

    @property
    def label_pt(self) -> float:
        """The contents list and the line over the fiche grow up to the 120 % step only: the
        text itself grows further (the visitor zooms to read it)."""
        return min(self.content_pt, BASE_PT * self.config.font_scale * 1.2)

    def _content_css(self, pt: float) -> str:
        lpt = self.label_pt
        return (
            style_sheet(pt, kiosk=True)
            + f"""
        QScrollBar:vertical {{ width: 40px; background: #eef2f6; margin: 0px; border: none; }}
        QScrollBar::handle:vertical {{ background: #7f94ab; min-height: 110px; border-radius: 12px; margin: 5px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; border: none; }}
        QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
        QScrollBar:horizontal {{ height: 0px; }}
        QListWidget {{ background: {BAR_BG}; border: none; border-right: 1px solid #c9d3de; font-size: {lpt:.1f}pt;
            padding: 0px 4px 0px 12px; }}
        QListWidget::item {{ padding: 14px 0px; }}
        QTextBrowser {{ border: none; background: #ffffff; }}
        QFrame#card {{ border: 2px solid #8aa0b8; border-radius: 14px; }}
        QFrame#card:hover, QFrame#card:focus {{ border: 3px solid {ACCENT}; }}
        QLabel#muted {{ color: {MUTED}; }}
        QLabel#homeHint {{ color: {INK}; font-size: {pt * 1.3:.1f}pt; font-weight: bold; }}
        QLabel#kioskHeading {{ color: {ACCENT}; font-size: {lpt * 1.1:.1f}pt; font-weight: bold; padding: 4px 8px; }}
        QLabel#cardTitle {{ font-size: {pt * 1.15:.1f}pt; }}
        QLabel#termHint {{ color: {INK}; font-size: {lpt:.1f}pt; padding: 4px 12px; }}
        """
        )

    # --- showing, closing

    def _live_screen(self) -> QScreen | None:
        """The screen the window covers, re-read whenever the one it knew has gone: an X
        server that reconfigures its outputs (xrandr, a monitor unplugged) deletes the
        QScreen, and a deleted one must never be touched again."""
        if self._screen is not None:
            try:
                self._screen.geometry()
            except RuntimeError:
                self._screen = None
        if self._screen is None:
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                self._screen = screen
                screen.geometryChanged.connect(self._on_screen_changed)
        return self._screen

    def kiosk_geometry(self) -> QRect:
        """The rectangle the window always covers: its screen's."""
        screen = self._live_screen()
        return screen.geometry() if screen is not None else self.geometry()

    def show_kiosk(self) -> None:
        """Full screen and frameless, at exactly the screen's geometry and a fixed size: set
        explicitly (without a window manager, showFullScreen alone leaves a small window), and
        fixed so that neither a child's minimum size nor a window manager changes it. The
        watchdog then puts it back whenever something else does."""
        if not self._screens_watched:
            self._screens_watched = True
            app = QGuiApplication.instance()
            if isinstance(app, QGuiApplication):
                app.screenRemoved.connect(self._on_screen_removed)
                app.primaryScreenChanged.connect(self._on_screen_removed)
        rect = self.kiosk_geometry()
        self.setFixedSize(rect.size())
        self.setGeometry(rect)
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self._kiosk_shown = True
        if not self._allow_close:
            self.watchdog.start()

    def _on_screen_changed(self, _rect: object) -> None:
        if self._kiosk_shown and not self._allow_close:
            log.info("Taille de l’écran changée : %s", self.kiosk_geometry())
            self.show_kiosk()

    def _on_screen_removed(self, _screen: QScreen) -> None:
        # Forget the screen (it may be deleted right after this signal) and cover whichever
        # one Qt now puts the window on.
        self._screen = None
        if self._kiosk_shown and not self._allow_close:
            QTimer.singleShot(0, self.show_kiosk)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._started:
            return
        self._started = True
        self.idle.start()
        self.cursor_timer.start()
        if self.start_idle:
            self.enter_attract()
        if self.speech is not None:
            # Never at start-up on the GUI thread: the engine is built later, in its own thread.
            QTimer.singleShot(0, self.speech.start)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._allow_close:
            log.info("Demande de fermeture refusée (mode kiosque)")
            event.ignore()
            return
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.WindowStateChange, QEvent.Type.ActivationChange):
            self._watch()

    def _watch(self) -> None:
        """Something changed the window: the watchdog looks at once (it also looks every 200 ms)."""
        if self._kiosk_shown and not self._allow_close:
            self.watchdog.soon()

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self._watch()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._watch()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_layout()
        self._watch()

    def shutdown(self) -> bool:
        """Lets the window close and removes the application-wide filters; False when the
        speech thread could not be stopped."""
        self._allow_close = True
        self.watchdog.stop()
        for timer in (self.tick_timer, self.cursor_timer, self.attract.pulse, self.pin_overlay.unlock_timer):
            timer.stop()
        self.idle.stop()
        self.lockdown.uninstall()
        self.show_cursor()
        return self.speech.shutdown() if self.speech is not None else True

    def quit_kiosk(self, status: int = EXIT_OK) -> None:
        log.info("Sortie du kiosque par l’administrateur")
        self._allow_close = True
        self.watchdog.stop()
        self.exit_requested.emit(status)

    # --- session

    @property
    def version(self) -> TextVersion:
        return self.session.version

    @property
    def content_pt(self) -> float:
        return BASE_PT * self.config.font_scale * self.session.zoom / 100

    @property
    def bar_pt(self) -> float:
        """The bar grows a little with the text (up to 1.3 times), then fits by its own layouts."""
        return self.chrome_pt * max(1.0, min(1.3, self.session.zoom / 100))

    def _apply_session(self) -> None:
        self._sync_version_buttons()
        self.home.version = self.session.version
        self._apply_zoom()
        self.stack.setCurrentWidget(self.home)
        self.home.verticalScrollBar().setValue(0)
        self._update_bar()

    def reset_session(self) -> None:
        """Forgets the visitor: home screen, default version and size, no fiche, no history,
        no overlay, print count back to zero."""
        log.info("Session remise à zéro (session reset)")
        self.tick_timer.stop()
        for overlay in (self.countdown, self.qr_overlay, self.info_overlay, self.pin_overlay):
            overlay.dismiss()
        self.pin_overlay.clear()
        if self.speech is not None:
            self.speech.stop()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        self.session = kiosk.new_session(self.config)
        self.fiche_view.clear()
        self._apply_session()
        focus = QApplication.focusWidget()
        if focus is not None:
            focus.clearFocus()
        self.state = "active"
        self.session_reset.emit()

    # --- idle, countdown, attract

    def _on_idle(self) -> None:
        if self.state != "active":
            return
        speech = self.speech
        if (
            speech is not None
            and speech.speaking
            and kiosk.monotonic_ms() - speech.speaking_since < kiosk.MAX_LISTENING_MS
        ):
            self.idle.restart()  # someone is listening
            return
        self.enter_warning()

    def enter_warning(self) -> None:
        self.state = "warning"
        self.remaining = max(1, math.ceil(self.config.warning_seconds))
        self.countdown.set_remaining(self.remaining)
        self.countdown.open()
        self.tick_timer.start()
        log.info("Inactivité : avertissement affiché (%d s)", self.remaining)

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining > 0:
            self.countdown.set_remaining(self.remaining)
            return
        self.tick_timer.stop()
        self.reset_session()
        self.enter_attract()

    def stay(self) -> None:
        """'Je suis là': the countdown stops and the visitor keeps the screen."""
        if self.state != "warning":
            return
        self.tick_timer.stop()
        self.countdown.dismiss()
        self.state = "active"
        self.idle.restart()

    def enter_attract(self) -> None:
        self.state = "attract"
        self.attract.open()
        self.hide_cursor()

    def leave_attract(self) -> None:
        if self.state != "attract":
            return
        self.attract.dismiss()
        self.state = "active"
        self.idle.restart()
        self.setFocus()
        log.info("Écran d’attente touché : nouvelle visite")

    def _on_activity(self, kind: str) -> None:
        if self._cursor_hidden and self.state != "attract":
            self.show_cursor()
        if kind in ("move", "press"):
            self.show_cursor()
        self.cursor_timer.start()
        if self.state == "warning" and kind in ("key", "wheel", "move"):
            self.stay()  # presses are taken by the overlay itself, which then calls stay()

    def hide_cursor(self) -> None:
        if not self._cursor_hidden:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self._cursor_hidden = True

    def show_cursor(self) -> None:
        if self._cursor_hidden:
            QApplication.restoreOverrideCursor()
            self._cursor_hidden = False

    # --- navigation

    def _allowed(self, slug: str) -> bool:
        return not self.config.fiches or slug in self.config.fiches

    def render_context(self) -> RenderContext:
        return make_context(self.db, base_pt=self.content_pt)

    def open_fiche(self, slug: str) -> bool:
        """Shows a fiche; False for an unknown fiche or one the configuration leaves out."""
        fiche = self.db.fiche(slug) if self._allowed(slug) else None
        if fiche is None:
            log.info("Fiche non disponible dans le kiosque : %s", slug)
            return False
        self._stop_speech()
        self.fiche_view.show_fiche(fiche, self.version, self.render_context())
        self.stack.setCurrentWidget(self.fiche_view)
        self.session.fiches_opened += 1
        self._update_bar()
        return True

    @property
    def current_fiche(self) -> Fiche | None:
        """The fiche on screen (as stored in the database), or None on the home screen."""
        if self.stack.currentWidget() is not self.fiche_view or self.fiche_view.fiche is None:
            return None
        return self.db.fiche(self.fiche_view.fiche.slug)

    def go_home(self) -> None:
        self._stop_speech()
        for overlay in (self.qr_overlay, self.info_overlay):
            overlay.dismiss()
        self.stack.setCurrentWidget(self.home)
        self.home.verticalScrollBar().setValue(0)
        self._update_bar()

    def follow_link(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme in ("http", "https"):
            self.show_qr(url.toString())
        elif scheme == "glossaire":
            self.show_term(url.path())
        elif scheme == "fiche":
            self.open_fiche(url.path())
        else:
            log.info("Lien ignoré en mode kiosque : %s", url.toString())

    def show_qr(self, url: str) -> None:
        """An external link is never opened: its QR code is shown instead."""
        fiche = self.current_fiche
        label = next((lk.label for lk in fiche.links if lk.url == url and lk.label), None) if fiche else None
        self.qr_overlay.show_url(url, label)

    def show_term(self, name: str) -> None:
        term = next((t for t in self.db.terms() if t.term == name), None)
        if term is None:
            return
        lines = [term.expansion] if term.expansion else []
        lines.append(term.definition)
        origin = term_origin(term, self.db.sources())
        self.info_overlay.show_message(term.term, lines, "Fermer", muted=[origin])

    # --- text version and size

    def set_version(self, version: TextVersion) -> None:
        if version is self.session.version:
            self._sync_version_buttons()
            return
        self._stop_speech()
        self.session.version = version
        self._sync_version_buttons()
        self.home.set_version(version)
        self._rerender_fiche()

    def toggle_version(self) -> None:
        self.set_version(TextVersion.STANDARD if self.version is TextVersion.FALC else TextVersion.FALC)

    def _sync_version_buttons(self) -> None:
        falc = self.session.version is TextVersion.FALC
        self.falc_button.setChecked(falc)
        self.standard_button.setChecked(not falc)

    def _zoom_by(self, step: int) -> None:
        """Ctrl + wheel or a pinch: the same steps as A− / A+, within the same bounds."""
        if self.state == "active":
            self.zoom_in() if step > 0 else self.zoom_out()

    def zoom_in(self) -> None:
        self._set_zoom(next((z for z in kiosk.ZOOM_STEPS if z > self.session.zoom), self.session.zoom))

    def zoom_out(self) -> None:
        self._set_zoom(next((z for z in reversed(kiosk.ZOOM_STEPS) if z < self.session.zoom), self.session.zoom))

    def _set_zoom(self, zoom: int) -> None:
        if zoom == self.session.zoom:
            return
        self.session.zoom = zoom
        self._apply_zoom()
        self._rerender_fiche()

    def _apply_zoom(self) -> None:
        pt = self.content_pt
        font = app_font(pt)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setFont(font)  # HomeView sizes some labels from the application font
        self.content.setFont(font)
        self.content.setStyleSheet(self._content_css(pt))
        self.zoom_out_button.setEnabled(self.session.zoom > kiosk.ZOOM_STEPS[0])
        self.zoom_in_button.setEnabled(self.session.zoom < kiosk.ZOOM_STEPS[-1])
        self.home.columns = self._home_columns()
        self.home.render_when_shown()
        self._fit_layout()

    def _home_columns(self) -> int:
        """As many columns of cards as fit about 15 characters' width each, 1 to 3."""
        px = self.content_pt * 96 / 72
        return max(1, min(3, int(self.width() / (px * 15))))

    def _fit_home(self) -> None:
        columns = self._home_columns()
        if columns != self.home.columns:
            self.home.columns = columns
            self.home.render_when_shown()
        # A card whose longest word is wider than its column (another content pack): fewer columns.
        page = self.home.widget()
        while (
            self.home.isVisible()
            and self.home.columns > 1
            and page is not None
            and page.minimumSizeHint().width() > self.home.viewport().width()
        ):
            self.home.columns -= 1
            self.home.rebuild()
            page = self.home.widget()

    def _fit_layout(self) -> None:
        """Everything within the window's width, at the current text size: the bar picks its
        layout, the fiche its contents' width and line length (about 65 characters of standard
        text), the home screen its columns; overlays stay clear of the bar."""
        width = self.width()
        self.bar.fit(width, self.bar_pt)
        self.fiche_view.fit(width, int(self.content_pt * 96 / 72 * 34))
        self._fit_home()
        reserve = self.bar.sizeHint().height()
        for overlay in self.overlays:
            overlay.top_reserve = reserve
            if overlay.isVisible():
                overlay.place()

    def _rerender_fiche(self) -> None:
        fiche = self.current_fiche
        if fiche is None:
            return
        section = self.fiche_view.current_section()
        self.fiche_view.show_fiche(fiche, self.version, self.render_context(), section)
        self._update_bar()

    def _update_bar(self) -> None:
        on_fiche = self.current_fiche is not None
        self.print_button.setVisible(self.config.printing and on_fiche)
        speech_ok = self.speech is not None and self.speech.available
        self.listen_button.setVisible(speech_ok and bool(self.read_aloud_text()))
        self.bar.fit(self.width(), self.bar_pt)

    # --- read aloud

    def read_aloud_text(self) -> str:
        """The FALC text of the screen: the fiche's FALC parts, or the home screen's."""
        fiche = self.current_fiche
        lines: list[str] = []
        if fiche is not None:
            parts = [s for s in fiche.sections if s.has_falc]
            if not parts:
                return ""
            lines.append(fiche.display_title(TextVersion.FALC))
            for s in parts:
                lines.append(s.display_title(TextVersion.FALC))
                lines.extend(line for line in s.falc if line)
        else:
            overview = self.db.fiche("dispositifs")
            pivot = overview.section("pivot") if overview else None
            if pivot is not None and pivot.has_falc:
                lines.extend(line for line in pivot.falc if line)
            headers = {f.slug: f for f in self.db.fiche_headers()}
            for group in self.db.groups():
                members = [headers[m] for m in group.members if m in headers and self._allowed(m)]
                if members:
                    lines.append(group.display_title(TextVersion.FALC))
                    lines.extend(f.display_title(TextVersion.FALC) for f in members)
        cleaned = [line.lstrip("•-– ").strip() for line in lines]
        return "\n".join(line for line in cleaned if line)

    def toggle_read_aloud(self) -> None:
        if self.speech is None or not self.speech.available:
            return
        if self.speech.speaking:
            self.speech.stop()
        else:
            self.speech.say(self.read_aloud_text())

    def _stop_speech(self) -> None:
        if self.speech is not None and self.speech.speaking:
            self.speech.stop()

    def _on_speech_availability(self, available: bool) -> None:
        self.attract.show_speech_line(available)
        self._update_bar()

    def _on_speaking(self, speaking: bool) -> None:
        self.bar.set_listening(speaking)
        self.bar.fit(self.width(), self.bar_pt)
        if not speaking:
            self.idle.restart()

    # --- printing

    def print_current(self) -> None:
        """Prints the fiche on screen, within the visit's and the day's page allowances (the
        day's counts every visit, across restarts: waiting for the reset gives nothing more)."""
        fiche = self.current_fiche
        if not self.config.printing or fiche is None:
            return
        printer = self._make_printer()
        if printer is None:
            log.warning("Impression demandée, mais aucune imprimante n’est installée")
            self.info_overlay.show_message(
                "L’imprimante ne marche pas", ["Vous ne pouvez pas imprimer pour le moment.", "Demandez à l’accueil."]
            )
            return
        left_visit = max(0, self.config.max_pages_per_session - self.session.pages_printed)
        today = self.prints.printed_today()
        left_day = max(0, self.config.max_pages_per_day - today)
        left = min(left_visit, left_day)
        try:
            pages = self._count_pages(printer) if left else 0
            if not left or pages > left:
                self._refuse_print(pages, left, by_day=left_day < left_visit)
                return
            printed = self._print_current(printer)
        except Exception:
            log.exception("Échec de l’impression")
            self.info_overlay.show_message(
                "L’impression n’a pas marché", ["Votre fiche n’est pas imprimée.", "Demandez à l’accueil."]
            )
            return
        self.session.pages_printed += printed
        today = self.prints.add(printed)
        log.info(
            "Impression : %d page(s) (%d sur %d pour cette visite, %d sur %d aujourd’hui)",
            printed,
            self.session.pages_printed,
            self.config.max_pages_per_session,
            today,
            self.config.max_pages_per_day,
        )
        self.info_overlay.show_message(
            "Votre fiche est imprimée",
            ["Prenez votre feuille à l’imprimante." if printed <= 1 else "Prenez vos feuilles à l’imprimante."],
        )

    def _refuse_print(self, pages: int, left: int, *, by_day: bool) -> None:
        log.info(
            "Impression refusée : %s page(s) demandée(s), %d restante(s) %s",
            pages or "?",
            left,
            "aujourd’hui" if by_day else "pour cette visite",
        )
        lines = []
        if pages:
            lines.append(f"Cette fiche a {pages} pages." if pages > 1 else "Cette fiche a 1 page.")
        if left:
            more = f"{left} page{'s' if left > 1 else ''}"
            lines.append(
                f"Aujourd’hui, on peut encore imprimer {more}." if by_day else f"Vous pouvez encore imprimer {more}."
            )
        elif by_day:
            lines.append("Toutes les pages permises aujourd’hui sont imprimées.")
        else:
            lines.append("Vous avez déjà imprimé toutes les pages permises.")
        lines.append("Demandez à l’accueil si vous avez besoin de cette fiche.")
        self.info_overlay.show_message("Impression impossible", lines)

    def _make_printer(self) -> object | None:
        """The system's default printer, or None when there is none (tests replace this)."""
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        info = QPrinterInfo.defaultPrinter()
        if info.isNull():
            return None
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Fiche Desktop")
        return printer

    def _document(self) -> object | None:
        """The current fiche as typst sets it for paper (the FALC handout in FALC)."""
        from fiche_desktop import printing

        fiche = self.current_fiche
        if fiche is None:
            return None
        return printing.fiches_document(self.db, [fiche.slug], self.version)

    def _count_pages(self, printer: object) -> int:
        """How many pages the fiche takes: the typst document's own page count."""
        document = self._document()
        return 0 if document is None else int(document.page_count)  # type: ignore[attr-defined]

    def _print_current(self, printer: object) -> int:
        """Prints the current fiche on printer (typst's pages, painted by printing.paper); the page count."""
        from fiche_desktop.gui import paper

        document = self._document()
        if document is None:
            return 0
        return paper.print_document(document, printer)  # type: ignore[arg-type]

    # --- admin exit

    def _on_admin_gesture(self) -> None:
        if not self.pin_guard.enabled:
            log.info("Geste administrateur reçu, mais aucun code n’est configuré : sortie impossible")
            return
        log.info("Geste administrateur : clavier du code affiché")
        if self.state == "attract":
            self.leave_attract()
        self.pin_overlay.open()

    def _on_pin(self, pin: str) -> None:
        if self.pin_guard.check(pin):
            for warning in self.config.warnings:  # for the administrator, beside the exit in the journal
                log.warning("Configuration (à corriger par l’administrateur) : %s", warning)
            self.pin_overlay.dismiss()
            self.quit_kiosk(EXIT_OK)
        else:
            self.pin_overlay.refuse(self.pin_guard.delay_ms())
