"""The kiosk's visit cycle on screen: idle, then the « Êtes-vous encore là ? » countdown, then the attract screen.

Which state comes next is decided without Qt by kiosk.state.KioskStateMachine; this module shows
each state (the countdown overlay, the attract screen, the hidden cursor) and feeds the machine
its events (the idle timer, the countdown's ticks, the visitor's input).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from fiche_desktop.gui.lockdown import IdleWatcher
from fiche_desktop.gui.speech import SpeechService
from fiche_desktop.kiosk.session import monotonic_ms
from fiche_desktop.kiosk.state import KioskEvent, KioskState, KioskStateMachine, listening_holds_off_idle
from fiche_desktop.views.kiosk_overlays import AttractScreen, CountdownOverlay

log = logging.getLogger("fiche_desktop.kiosk")


class VisitCycle(QObject):
    """Drives window's countdown and attract screen; visit_over is emitted when the countdown
    runs out (the window then forgets the visitor, and the attract screen shows).

    The cursor hides after cursor_hide_ms without a move, and on the attract screen."""

    visit_over = Signal()

    def __init__(
        self,
        window: QWidget,
        countdown: CountdownOverlay,
        attract: AttractScreen,
        *,
        idle_ms: int,
        warning_seconds: float,
        tick_ms: int,
        cursor_hide_ms: int,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.countdown = countdown
        self.attract = attract
        self.speech: SpeechService | None = None  # while it reads aloud, the idle timeout waits
        self.state_machine = KioskStateMachine(warning_seconds)
        self._cursor_hidden = False
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(max(1, tick_ms))
        self.tick_timer.timeout.connect(self._tick)
        self.cursor_timer = QTimer(self)
        self.cursor_timer.setSingleShot(True)
        self.cursor_timer.setInterval(max(1, cursor_hide_ms))
        self.cursor_timer.timeout.connect(self.hide_cursor)
        self.idle = IdleWatcher(idle_ms, self)
        self.idle.timed_out.connect(self._on_idle)
        self.idle.activity.connect(self._on_activity)
        countdown.stay.connect(self.stay)
        attract.dismissed.connect(self.leave_attract)

    @property
    def state(self) -> KioskState:
        return self.state_machine.state

    def start(self, attract: bool) -> None:
        """Starts watching the visitor's input; on the attract screen when attract."""
        self.idle.start()
        self.cursor_timer.start()
        if attract:
            self.enter_attract()

    def stop(self) -> None:
        """Stops every timer and filter; the cursor shows again."""
        for timer in (self.tick_timer, self.cursor_timer, self.attract.pulse):
            timer.stop()
        self.idle.stop()
        self.show_cursor()

    def reset(self) -> None:
        """The visit is forgotten: no countdown, ACTIVE."""
        self.state_machine.fire(KioskEvent.RESET)
        self.tick_timer.stop()

    def _on_idle(self) -> None:
        speech = self.speech
        if speech is None or not listening_holds_off_idle(speech.speaking, speech.speaking_since, monotonic_ms()):
            self.enter_warning()
        elif self.state is KioskState.ACTIVE:
            self.idle.restart()  # someone is listening: the countdown waits

    def enter_warning(self) -> None:
        """« Êtes-vous encore là ? » and its countdown, over a visit (from ACTIVE only)."""
        if self.state_machine.fire(KioskEvent.IDLE_TIMEOUT) is None:
            return
        self.countdown.set_remaining(self.state_machine.remaining)
        self.countdown.open()
        self.tick_timer.start()
        log.info("Inactivité : avertissement affiché (%d s)", self.state_machine.remaining)

    def _tick(self) -> None:
        state = self.state_machine.fire(KioskEvent.TICK)
        if state is KioskState.WARNING:
            self.countdown.set_remaining(self.state_machine.remaining)
            return
        self.tick_timer.stop()
        if state is KioskState.ATTRACT:  # the countdown ran out
            self.visit_over.emit()
            self._show_attract()

    def stay(self) -> None:
        """« Je suis là », or any input during the countdown: it stops and the visitor keeps the screen."""
        if self.state_machine.fire(KioskEvent.INPUT) is None:
            return
        self.tick_timer.stop()
        self.countdown.dismiss()
        self.idle.restart()

    def enter_attract(self) -> None:
        """The attract screen, between two visits (from ACTIVE only)."""
        if self.state_machine.fire(KioskEvent.SLEEP) is not None:
            self._show_attract()

    def _show_attract(self) -> None:
        self.attract.open()
        self.hide_cursor()

    def leave_attract(self) -> None:
        """The attract screen touched: a new visit."""
        if self.state_machine.fire(KioskEvent.DISMISS) is None:
            return
        self.attract.dismiss()
        self.idle.restart()
        self.window.setFocus()
        log.info("Écran d’attente touché : nouvelle visite")

    def _on_activity(self, kind: str) -> None:
        if self._cursor_hidden and self.state is not KioskState.ATTRACT:
            self.show_cursor()
        if kind in ("move", "press"):
            self.show_cursor()
        self.cursor_timer.start()
        if kind in ("key", "wheel", "move"):
            self.stay()  # in the countdown; presses are taken by the overlay itself, which then calls stay()

    def hide_cursor(self) -> None:
        if not self._cursor_hidden:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self._cursor_hidden = True

    def show_cursor(self) -> None:
        if self._cursor_hidden:
            QApplication.restoreOverrideCursor()
            self._cursor_hidden = False
