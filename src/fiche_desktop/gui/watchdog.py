"""The kiosk window's watchdog: whatever another program changes about the window, put back.

Unmapped (`xdotool windowunmap`), minimised, out of full screen, resized or moved, no longer
above the others, sent to another desktop, the desktop shown instead (Super+D), covered by
another client's window (an override-redirect one under a window manager too), or the keyboard
taken away: a timer (and the window's own events) check it several times a second, restore it,
and log one line per change noticed, and one more once it is back.

What cannot be put back ends the kiosk, so that its supervisor starts it afresh: a window that
another client destroyed (`xdotool windowclose`), or one still off the screen (hidden, unmapped,
minimised, covered, too small) after several restorations in a row. failed(reason) is emitted
once; the window then exits with a non-zero status.

Qt's own view of the window covers every platform; on X11, the window manager's properties
that Qt does not follow are read through gui.x11.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from fiche_desktop.gui.x11 import ALL_DESKTOPS, WANTED_STATES, X11
from fiche_desktop.kiosk.session import log, monotonic_ms

INTERVAL_MS = 200
REMAP_GRACE_MS = 400  # after showing the window again, let the server and window manager map it
START_GRACE_MS = 1500  # at start-up (a compositor's first configure may come late)
# Still wrong this long after it was first noticed, after at least this many restorations: given up.
GIVE_UP_MS = 4000
GIVE_UP_RESTORATIONS = 5
WANTED_FLAGS = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint

GONE = "détruite par un autre programme"
HIDDEN, UNMAPPED, MINIMISED, NOT_FULL_SCREEN, GEOMETRY, FLAGS, NOT_ABOVE, DESKTOP, SHOWING_DESKTOP, COVERED, FOCUS = (
    "cachée",
    "plus affichée",
    "réduite",
    "sortie du plein écran",
    "déplacée ou redimensionnée",
    "cadre ou premier plan changé",
    "plus au premier plan",
    "plus sur tous les bureaux",
    "bureau affiché à sa place",
    "recouverte par une autre fenêtre",
    "clavier pris par une autre fenêtre",
)


class WindowWatchdog(QObject):
    """Keeps window full screen on target() and on top; full_screen() puts it back there.

    restored(problems) is emitted after each restoration attempt, with what was wrong;
    failed(reason) once, when the window is gone or cannot be put back (the kiosk then exits)."""

    restored = Signal(list)
    failed = Signal(str)

    def __init__(self, window: QWidget, full_screen: Callable[[], None], target: Callable[[], QRect]) -> None:
        super().__init__(window)
        self.window = window
        self.full_screen = full_screen
        self.target = target
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(30)
        self._soon.timeout.connect(self.check)
        self._grace = QTimer(self)
        self._grace.setSingleShot(True)
        self._grace.setInterval(REMAP_GRACE_MS)
        self._grace.timeout.connect(self._settle)
        self.x11: X11 | None = None
        self._reported: tuple[str, ...] = ()
        self._restored_at = -1e9
        self.restorations = 0
        self._wm_checked = False
        self._covering: int | None = None  # the override-redirect window over the kiosk, under a window manager
        self.gave_up = ""
        self._pending: set[str] = set()  # what was wrong since the window was last found right
        self._streak_since = -1.0  # since when the screen has been without the kiosk
        self._streak_restorations = 0

    @property
    def active(self) -> bool:
        return self.timer.isActive()

    def start(self) -> None:
        if self.timer.isActive():
            return
        if QGuiApplication.platformName() == "xcb" and self.x11 is None:
            self.x11 = X11.connect()
            if self.x11 is None:
                log.warning("Surveillance de la fenêtre : connexion X11 impossible, contrôles de Qt seulement")
        if self.x11 is not None and self.x11.window_manager():
            self._check_window_manager(self.x11)
            self.x11.move_to_desktop(int(self.window.winId()), ALL_DESKTOPS)  # on every desktop
        self._grace.start(START_GRACE_MS)  # the window system is still taking the window in
        self.timer.start()

    def _check_window_manager(self, x: X11) -> None:
        """Says, loudly and once, when the window manager is not the shipped locked-down openbox
        of fiche-desktop-kiosk-x11-session (which sets FICHE_DESKTOP_KIOSK_SHIPPED_WM): another's
        menus, key bindings and run dialogs may open a way out of the kiosk."""
        if self._wm_checked:
            return
        self._wm_checked = True
        name = x.window_manager_name() or "sans nom"
        if name == "Openbox" and os.environ.get("FICHE_DESKTOP_KIOSK_SHIPPED_WM") == "openbox":
            log.info("Gestionnaire de fenêtres : l’openbox verrouillé du kiosque")
            return
        log.error(
            "Gestionnaire de fenêtres « %s » : pas la session verrouillée du kiosque "
            "(fiche-desktop-kiosk-x11-session) ; ses menus, raccourcis et fenêtres d’exécution peuvent "
            "ouvrir une sortie : lancez le kiosque par son service (voir installer/kiosk/README.md)",
            name,
        )

    def stop(self) -> None:
        self.timer.stop()
        self._soon.stop()
        if self.x11 is not None:
            self.x11.close()
            self.x11 = None

    def _settle(self) -> None:
        """After the window was shown again: what a window manager forgets about a window it
        takes in afresh (above, every desktop) and the keyboard, asked for at once."""
        x = self.x11
        if x is not None and x.alive and self.window.isVisible() and x.window_manager():
            wid = int(self.window.winId())
            x.add_states(wid, list(WANTED_STATES))
            x.move_to_desktop(wid, ALL_DESKTOPS)
        if self.window.isVisible():
            self.window.activateWindow()

    def soon(self) -> None:
        """Checks right after the current event (a state change the window was told about)."""
        if self.timer.isActive() and not self._soon.isActive():
            self._soon.start()

    # --- what is wrong

    def problems(self) -> list[str]:
        w = self.window
        found: list[str] = []
        handle = w.windowHandle()
        if not w.isVisible():
            found.append(HIDDEN)
        if self._grace.isActive():
            # Just shown (at start, or again): until the window system shows it full screen
            # (on Wayland the state comes with a configure event), at most for the grace time.
            settled = (
                w.isVisible()
                and handle is not None
                and handle.isExposed()
                and w.isFullScreen()
                and w.geometry() == self.target()
            )
            if not settled:
                return found
            self._grace.stop()
            self._settle()
        if handle is not None and not handle.isExposed() and HIDDEN not in found:
            found.append(UNMAPPED)
        state = w.windowState()
        if state & Qt.WindowState.WindowMinimized:
            found.append(MINIMISED)
        if not state & Qt.WindowState.WindowFullScreen:
            found.append(NOT_FULL_SCREEN)
        if w.geometry() != self.target():
            found.append(GEOMETRY)
        if handle is not None and (handle.flags() & WANTED_FLAGS) != WANTED_FLAGS:
            found.append(FLAGS)
        x = self.x11
        if x is not None and x.alive and w.isVisible():
            wid = int(w.winId())
            if not x.exists(wid):
                return [GONE]  # nothing to put back: Qt's handle names a window that is no more
            if not x.viewable(wid) and UNMAPPED not in found:
                found.append(UNMAPPED)
            if x.window_manager():
                states = x.states(wid)
                if "_NET_WM_STATE_HIDDEN" in states and MINIMISED not in found:
                    found.append(MINIMISED)
                if "_NET_WM_STATE_FULLSCREEN" not in states and NOT_FULL_SCREEN not in found:
                    found.append(NOT_FULL_SCREEN)
                if "_NET_WM_STATE_ABOVE" not in states:
                    found.append(NOT_ABOVE)
                desktop = x.desktop(wid)
                if desktop is not None and desktop != ALL_DESKTOPS:
                    found.append(DESKTOP)
                if x.showing_desktop():
                    found.append(SHOWING_DESKTOP)
                # A window manager stacks the managed windows; an override-redirect window of
                # another client (a menu, a splash screen) it leaves wherever that client put it.
                if QApplication.activePopupWidget() is None:
                    self._covering = x.covered_by(wid, override_redirect_only=True)
                    if self._covering is not None:
                        found.append(COVERED)
            elif x.covered_by(wid) is not None:
                found.append(COVERED)
        if w.isVisible() and not found and not w.isActiveWindow():
            if QApplication.activePopupWidget() is None and QApplication.activeModalWidget() is None:
                found.append(FOCUS)
        return found

    # --- putting it back

    def check(self) -> list[str]:
        if self.gave_up:
            return [self.gave_up]
        found = self.problems()
        if GONE in found:
            self._give_up("fenêtre détruite par un autre programme, impossible de la rétablir")
            return found
        now = monotonic_ms()
        # The keyboard coming back to the window just after it was shown again is part of that
        # restoration, not news: one line in the log per change, not two.
        echo = found == [FOCUS] and now - self._restored_at < 2000
        key = tuple(found)
        if key != self._reported:
            if found and not echo:
                log.warning(
                    "Fenêtre du kiosque modifiée par un autre programme (%s) : remise en place demandée",
                    ", ".join(found),
                )
            self._reported = key
        settled = not self._grace.isActive()  # a check right after showing it again proves nothing
        if found and found != [FOCUS]:
            self._pending |= set(found)
        elif self._pending and settled:
            log.info("Fenêtre du kiosque rétablie (%s)", ", ".join(sorted(self._pending)))
            self._pending = set()
        if self._screen_lost(found):
            if self._streak_since < 0:
                self._streak_since = now
            if now - self._streak_since >= GIVE_UP_MS and self._streak_restorations >= GIVE_UP_RESTORATIONS:
                self._give_up(
                    f"toujours {', '.join(found)} après {self._streak_restorations} remises en place en "
                    f"{(now - self._streak_since) / 1000:.1f} s"
                )
                return found
            self._streak_restorations += 1
        elif settled:
            self._streak_since = -1.0
            self._streak_restorations = 0
        if found:
            self.restore(found)
        return found

    def _screen_lost(self, found: list[str]) -> bool:
        """True when what is wrong leaves the screen without the kiosk (what giving up and
        restarting may cure). A window manager's state, the frame flags, or a size a compositor
        rounds while the window still covers the screen, are put back, never given up on: a
        restart would not change them, and systemd stops restarting a kiosk that keeps exiting."""
        if {HIDDEN, UNMAPPED, MINIMISED, SHOWING_DESKTOP, COVERED} & set(found):
            return True
        return GEOMETRY in found and not self.window.geometry().contains(self.target())

    def _give_up(self, reason: str) -> None:
        """Nothing more to try here: the kiosk ends, and its supervisor starts it afresh."""
        self.gave_up = reason
        self.timer.stop()
        self._soon.stop()
        self._grace.stop()
        log.error("Fenêtre du kiosque perdue (%s) : le kiosque s’arrête pour être relancé", reason)
        self.failed.emit(reason)

    def restore(self, found: list[str]) -> None:
        w = self.window
        x = self.x11 if self.x11 is not None and self.x11.alive else None
        wid = int(w.winId())
        if HIDDEN in found or UNMAPPED in found:
            # Show it again through Qt, which sets every property (full screen, above, no frame)
            # before mapping: a window manager that forgot the window manages it afresh.
            if w.isVisible():
                w.hide()
            self._grace.start(REMAP_GRACE_MS)
            self.full_screen()
        elif {MINIMISED, NOT_FULL_SCREEN, GEOMETRY} & set(found):
            self.full_screen()
        if FLAGS in found and w.windowHandle() is not None:
            handle = w.windowHandle()
            handle.setFlags(handle.flags() | WANTED_FLAGS)
        if x is not None:
            if NOT_ABOVE in found or NOT_FULL_SCREEN in found:
                x.add_states(wid, list(WANTED_STATES))
            if DESKTOP in found:
                x.move_to_desktop(wid, ALL_DESKTOPS)
            if SHOWING_DESKTOP in found:
                x.stop_showing_desktop()
            if COVERED in found and self._covering is not None and x.window_manager():
                x.lower_window(self._covering)  # the window manager would refuse to restack its frame
            elif COVERED in found:
                x.raise_window(wid)
        if FOCUS in found or COVERED in found or NOT_ABOVE in found:
            w.raise_()
            w.activateWindow()
        if found != [FOCUS]:
            self._restored_at = monotonic_ms()
        self.restorations += 1
        self.restored.emit(list(found))
