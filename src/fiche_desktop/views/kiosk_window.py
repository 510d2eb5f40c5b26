"""Kiosk window: the waiting room's full-screen reader, made of the bar, the pages and the overlays.

Its parts: kiosk_bar, kiosk_pages (home, fiche), kiosk_overlays, kiosk_cycle (idle, countdown,
attract screen), kiosk_print; gui.fullscreen keeps it on the screen; the rules without Qt
(the visit's states, the print allowance, the text read aloud) are in kiosk/.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from fiche_desktop import config
from fiche_desktop.content import Fiche, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.exit_codes import ExitCode
from fiche_desktop.gui.fonts import app_font
from fiche_desktop.gui.fullscreen import ScreenKeeper
from fiche_desktop.gui.lockdown import LockDown
from fiche_desktop.gui.speech import STUCK_LINES, SpeechService
from fiche_desktop.kiosk import session as kiosk
from fiche_desktop.kiosk.pin import PinGuard
from fiche_desktop.kiosk.reading import read_aloud_text
from fiche_desktop.kiosk.session import ADMIN_CORNER_PX
from fiche_desktop.kiosk.sizes import TextSizes, zoom_step
from fiche_desktop.kiosk.state import KioskState
from fiche_desktop.presentation import term_origin
from fiche_desktop.render import RenderContext, make_context
from fiche_desktop.views import accessibility
from fiche_desktop.views.kiosk_bar import KioskBar
from fiche_desktop.views.kiosk_cycle import VisitCycle
from fiche_desktop.views.kiosk_overlays import (
    ATTRACT_LINES,
    ATTRACT_LINES_STANDARD,
    AdminExit,
    AttractScreen,
    CountdownOverlay,
    InfoOverlay,
    Overlay,
    QrOverlay,
)
from fiche_desktop.views.kiosk_pages import KioskFicheView, KioskHome
from fiche_desktop.views.kiosk_print import KioskPrinting
from fiche_desktop.views.style import BASE_PT, kiosk_chrome_sheet, kiosk_content_sheet

log = logging.getLogger("fiche_desktop.kiosk")


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
        self._started = False
        self.setObjectName("kioskWindow")
        self.setWindowTitle("Fiche Desktop – kiosque")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setFont(app_font(self.sizes.chrome_pt))

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._build_bar())
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
        self.qr_overlay = QrOverlay(self)
        self.info_overlay = InfoOverlay(self)
        self.admin_exit = AdminExit(self, PinGuard(self.config.admin_pin_hash, base_delay_ms=pin_delay_ms))
        self.admin_exit.granted.connect(self._on_admin_exit)
        self.pin_overlay = self.admin_exit.keypad
        falc_default = self.session.version is TextVersion.FALC
        self.attract = AttractScreen(self, ATTRACT_LINES if falc_default else ATTRACT_LINES_STANDARD)
        self.attract.exempt = lambda global_pos: self.admin_zone().contains(self.mapFromGlobal(global_pos))
        self.overlays: list[Overlay | AttractScreen] = [
            self.qr_overlay,
            self.info_overlay,
            self.pin_overlay,
            self.countdown,
            self.attract,
        ]
        self.printing = KioskPrinting(db, self.config, self.info_overlay)

        self.cycle = VisitCycle(
            self,
            self.countdown,
            self.attract,
            idle_ms=idle_ms if idle_ms is not None else int(self.config.idle_timeout_seconds * 1000),
            warning_seconds=self.config.warning_seconds,
            tick_ms=tick_ms,
            cursor_hide_ms=cursor_hide_ms,
        )
        self.cycle.visit_over.connect(self._forget_visitor)
        self.lockdown = LockDown(self, corner=self.admin_zone)
        self.lockdown.admin_gesture.connect(self.admin_exit.on_gesture)
        self.admin_exit.opening.connect(self.cycle.leave_attract)
        self.lockdown.zoom_step.connect(self._zoom_by)
        self.screen_keeper = ScreenKeeper(self)
        self.screen_keeper.watchdog.failed.connect(self._on_window_lost)
        self.lockdown.install()  # before the idle watcher: the last filter installed runs first
        self.speech: SpeechService | None = None
        if self.config.read_aloud:
            self.speech = SpeechService(speech_engine, self)
            self.speech.availability_changed.connect(self._on_speech_availability)
            self.speech.speaking_changed.connect(self._on_speaking)
            self.cycle.speech = self.speech

        self.setStyleSheet(kiosk_chrome_sheet(self.sizes.chrome_pt))
        self._apply_session()

    def _build_bar(self) -> KioskBar:
        self.bar = bar = KioskBar(ADMIN_CORNER_PX)
        bar.home_button.clicked.connect(self.go_home)
        bar.standard_button.clicked.connect(lambda: self.set_version(TextVersion.STANDARD))
        bar.falc_button.clicked.connect(lambda: self.set_version(TextVersion.FALC))
        bar.zoom_out_button.clicked.connect(self.zoom_out)
        bar.zoom_in_button.clicked.connect(self.zoom_in)
        bar.listen_button.clicked.connect(self.toggle_read_aloud)
        bar.print_button.clicked.connect(self.print_current)
        return bar

    # --- keyboard

    def focus_ring(self) -> list[QWidget]:
        """What Tab goes through, in reading order: an open overlay's controls alone; else the
        bar's buttons, then the page shown (a new page's widgets would otherwise come last in
        Qt's chain, and Tab would never come back to the bar)."""
        overlay = next((o for o in reversed(self.overlays) if o.isVisible()), None)
        if overlay is not None:
            return accessibility.tab_chain(overlay)
        pair = (self.bar.standard_button, self.bar.falc_button)  # a radio pair: Tab stops on the one shown
        bar = [w for w in accessibility.tab_chain(self.bar) if w not in pair or w.isChecked()]
        page = self.stack.currentWidget()
        return bar + (accessibility.tab_chain(page) if page is not None else [])

    def focusNextPrevChild(self, next: bool) -> bool:
        return accessibility.step_focus(self.focus_ring(), next) or super().focusNextPrevChild(next)

    def admin_zone(self) -> QRect:
        """The administrator's zone in window coordinates: the left end of the bar, no button."""
        return self.bar.corner_rect().translated(self.bar.pos())

    # --- showing, closing

    def kiosk_geometry(self) -> QRect:
        """The rectangle the window always covers: its screen's."""
        return self.screen_keeper.geometry()

    def show_kiosk(self) -> None:
        """Full screen over the whole screen, kept there (gui.fullscreen.ScreenKeeper)."""
        self.screen_keeper.show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._started:
            return
        self._started = True
        self.cycle.start(attract=self.start_idle)
        if self.speech is not None:
            # Never at start-up on the GUI thread: the engine is built later, in its own thread.
            QTimer.singleShot(0, self.speech.start)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_layout()

    def shutdown(self) -> bool:
        """Lets the window close and removes the application-wide filters; False when the
        speech thread could not be stopped."""
        self.screen_keeper.release()
        self.cycle.stop()
        self.pin_overlay.unlock_timer.stop()
        self.pin_overlay.countdown_timer.stop()
        self.attract.shield.stop()
        self.attract.drop_shield()
        self.lockdown.uninstall()
        return self.speech.shutdown() if self.speech is not None else True

    def quit_kiosk(self, status: int = ExitCode.OK) -> None:
        log.info("Sortie du kiosque par l’administrateur")
        self.screen_keeper.release()
        self.exit_requested.emit(status)

    def _on_window_lost(self, _reason: str) -> None:
        """The window is gone or cannot be put back (the watchdog logged why): the kiosk ends
        with a failure status, and its supervisor (systemd's Restart=always) starts it afresh."""
        self.screen_keeper.release()
        self.exit_requested.emit(ExitCode.ERROR)

    # --- session

    @property
    def version(self) -> TextVersion:
        return self.session.version

    @property
    def sizes(self) -> TextSizes:
        """The text's, the bar's and the labels' point sizes at the visitor's zoom step."""
        return TextSizes(BASE_PT, self.config.font_scale, self.session.zoom)

    def _apply_session(self) -> None:
        self.bar.show_version(self.version)
        self.home.version = self.session.version
        self._apply_zoom()
        self.stack.setCurrentWidget(self.home)
        self.home.verticalScrollBar().setValue(0)
        self._update_bar()

    def reset_session(self) -> None:
        """Forgets the visitor: home screen, default version and size, no fiche, no history,
        no overlay, print count back to zero."""
        self.cycle.reset()
        self._forget_visitor()

    def _forget_visitor(self) -> None:
        log.info("Session remise à zéro (session reset)")
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
        self.session_reset.emit()

    @property
    def state(self) -> KioskState:
        """Where the visit cycle is (views.kiosk_cycle): active, warning or attract."""
        return self.cycle.state

    # --- navigation

    def _allowed(self, slug: str) -> bool:
        return not self.config.fiches or slug in self.config.fiches

    def render_context(self) -> RenderContext:
        return make_context(self.db, base_pt=self.sizes.content_pt, contact_qr=True)

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
            self.bar.show_version(self.version)
            return
        self._stop_speech()
        self.session.version = version
        self.bar.show_version(self.version)
        self.home.set_version(version)
        self._rerender_fiche()

    def toggle_version(self) -> None:
        self.set_version(TextVersion.STANDARD if self.version is TextVersion.FALC else TextVersion.FALC)

    def _zoom_by(self, step: int) -> None:
        """Ctrl + wheel or a pinch: the same steps as A− / A+, within the same bounds."""
        if self.state is KioskState.ACTIVE:
            self.zoom_in() if step > 0 else self.zoom_out()

    def zoom_in(self) -> None:
        self._set_zoom(zoom_step(self.session.zoom, +1))

    def zoom_out(self) -> None:
        self._set_zoom(zoom_step(self.session.zoom, -1))

    def _set_zoom(self, zoom: int) -> None:
        if zoom == self.session.zoom:
            return
        self.session.zoom = zoom
        self._apply_zoom()
        self._rerender_fiche()

    def _apply_zoom(self) -> None:
        pt = self.sizes.content_pt
        font = app_font(pt)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setFont(font)  # HomeView sizes some labels from the application font
        self.content.setFont(font)
        self.content.setStyleSheet(kiosk_content_sheet(pt, self.sizes.label_pt))
        self.bar.zoom_out_button.setEnabled(self.session.zoom > kiosk.ZOOM_STEPS[0])
        self.bar.zoom_in_button.setEnabled(self.session.zoom < kiosk.ZOOM_STEPS[-1])
        self.home.columns = self.home.columns_for(self.width(), self.sizes.content_pt)
        self.home.render_when_shown()
        self._fit_layout()

    def _fit_layout(self) -> None:
        """Everything within the window's width, at the current text size: the bar picks its
        layout, the fiche its contents' width and line length (about 65 characters of standard
        text), the home screen its columns; overlays stay clear of the bar."""
        width = self.width()
        self.bar.fit(width, self.sizes.bar_pt)
        self.fiche_view.fit(width, int(self.sizes.content_pt * 96 / 72 * 34))
        self.home.fit(width, self.sizes.content_pt)
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
        self.bar.print_button.setVisible(self.config.printing and on_fiche)
        speech_ok = self.speech is not None and self.speech.available
        self.bar.listen_button.setVisible(speech_ok and bool(self.read_aloud_text()))
        self.bar.fit(self.width(), self.sizes.bar_pt)

    # --- read aloud

    def read_aloud_text(self) -> str:
        """The FALC text of the screen: the fiche's FALC parts, or the home screen's."""
        return read_aloud_text(self.db, self.current_fiche, self._allowed)

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
        if not available and self.speech is not None and self.speech.stuck:
            # The engine stopped answering (gui.speech killed it): « Écouter » is gone, and why is said.
            self.bar.set_listening(False)
            self.info_overlay.show_message("Écouter ne marche pas", list(STUCK_LINES))

    def _on_speaking(self, speaking: bool) -> None:
        self.bar.set_listening(speaking)
        self.bar.fit(self.width(), self.sizes.bar_pt)
        if not speaking:
            self.cycle.idle.restart()

    # --- printing

    def print_current(self) -> None:
        """Prints the fiche on screen, within the visit's and the day's page allowances (the
        day's counts every visit, across restarts: waiting for the reset gives nothing more)."""
        fiche = self.current_fiche
        if self.config.printing and fiche is not None:
            self.printing.print_fiche(fiche, self.version, self.session)

    # --- admin exit (the gesture and the PIN: kiosk_overlays.AdminExit)

    def _on_admin_exit(self) -> None:
        for warning in self.config.warnings:  # for the administrator, beside the exit in the journal
            log.warning("Configuration (à corriger par l’administrateur) : %s", warning)
        self.quit_kiosk(ExitCode.OK)
