"""Keeps the kiosk window on the whole of its screen, full screen and on top, until it is released."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from fiche_desktop.gui.watchdog import WindowWatchdog
from fiche_desktop.kiosk.session import log

# The window's events after which the watchdog looks at once (it also looks every 200 ms).
WATCHED_EVENTS = (
    QEvent.Type.Move,
    QEvent.Type.Resize,
    QEvent.Type.Hide,
    QEvent.Type.WindowStateChange,
    QEvent.Type.ActivationChange,
)


class ScreenKeeper(QObject):
    """Shows window full screen over exactly its screen, again whenever that screen changes or
    goes; its watchdog puts the window back whenever another program changes it, and every
    request to close it (Alt+F4, the window manager's ×) is refused. release() lets the window
    go (the administrator's exit, the shutdown)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.watchdog = WindowWatchdog(window, self.show, self.geometry)
        self.shown = False
        self.released = False
        self._screen: QScreen | None = None
        self._screens_watched = False
        window.installEventFilter(self)

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
            screen = self.window.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                self._screen = screen
                screen.geometryChanged.connect(self._on_screen_changed)
        return self._screen

    def geometry(self) -> QRect:
        """The rectangle the window always covers: its screen's."""
        screen = self._live_screen()
        return screen.geometry() if screen is not None else self.window.geometry()

    def show(self) -> None:
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
        window = self.window
        rect = self.geometry()
        window.setFixedSize(rect.size())
        window.setGeometry(rect)
        window.showFullScreen()
        window.raise_()
        window.activateWindow()
        self.shown = True
        if not self.released:
            self.watchdog.start()

    def release(self) -> None:
        """The window is no longer kept: it may close, and nothing puts it back."""
        self.released = True
        self.watchdog.stop()

    def _on_screen_changed(self, _rect: object) -> None:
        if self.shown and not self.released:
            log.info("Taille de l’écran changée : %s", self.geometry())
            self.show()

    def _on_screen_removed(self, _screen: QScreen) -> None:
        # Forget the screen (it may be deleted right after this signal) and cover whichever
        # one Qt now puts the window on.
        self._screen = None
        if self.shown and not self.released:
            QTimer.singleShot(0, self.show)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window or self.released:
            return False
        if event.type() == QEvent.Type.Close:
            log.info("Demande de fermeture refusée (mode kiosque)")
            event.ignore()
            return True
        if event.type() in WATCHED_EVENTS and self.shown:
            self.watchdog.soon()  # something changed the window: the watchdog looks at once
        return False
