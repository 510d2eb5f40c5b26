"""Kiosk lock-down: the idle watcher and the filter that swallows quit keys and watches the admin corner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QNativeGestureEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from fiche_desktop.kiosk.session import ADMIN_CORNER_PX, ADMIN_TAP_WINDOW_MS, ADMIN_TAPS, log, monotonic_ms

ET = QEvent.Type
_MOVE_EVENTS = frozenset({ET.MouseMove, ET.TabletMove})
_PRESS_EVENTS = frozenset({ET.MouseButtonPress, ET.MouseButtonDblClick, ET.TouchBegin, ET.TabletPress})
_OTHER_INPUT = frozenset({ET.MouseButtonRelease, ET.TouchUpdate, ET.TouchEnd, ET.TabletRelease})
_KEY_EVENTS = frozenset({ET.KeyPress})
_WHEEL_EVENTS = frozenset({ET.Wheel})
INPUT_EVENTS = _MOVE_EVENTS | _PRESS_EVENTS | _OTHER_INPUT | _KEY_EVENTS | _WHEEL_EVENTS


class IdleWatcher(QObject):
    """An application event filter: any user input restarts a single-shot idle timer.

    Emits activity(kind) on input, kind being "press" (mouse, touch, pen), "key", "wheel",
    "move" (a pointer move of a few pixels or more: sensor jitter does not count) or "other";
    emits timed_out when no input came for timeout_ms.
    """

    activity = Signal(str)
    timed_out = Signal()
    MOVE_THRESHOLD_PX = 8

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(timeout_ms)))
        self.timer.timeout.connect(self.timed_out)
        self._last_move: QPoint | None = None
        self._installed = False

    @property
    def timeout_ms(self) -> int:
        return self.timer.interval()

    def start(self) -> None:
        """Installs the filter (once) and starts counting."""
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.timer.start()

    def restart(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in INPUT_EVENTS:
            return False
        if kind in _MOVE_EVENTS:
            pos = event.globalPosition().toPoint()  # type: ignore[attr-defined]
            last = self._last_move
            if last is not None and (pos - last).manhattanLength() < self.MOVE_THRESHOLD_PX:
                return False
            self._last_move = pos
            name = "move"
        elif kind in _PRESS_EVENTS:
            name = "press"
        elif kind in _KEY_EVENTS:
            name = "key"
        elif kind in _WHEEL_EVENTS:
            name = "wheel"
        else:
            name = "other"
        self.timer.start()
        self.activity.emit(name)
        return False


def is_blocked_key(event: QKeyEvent) -> bool:
    """True for the keys that would quit, close, switch or leave full screen."""
    key = event.key()
    mods = event.modifiers()
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_F11, Qt.Key.Key_Close, Qt.Key.Key_Exit, Qt.Key.Key_Cancel):
        return True
    if key == Qt.Key.Key_F4 and mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier):
        return True
    return bool(mods & Qt.KeyboardModifier.ControlModifier and key in (Qt.Key.Key_Q, Qt.Key.Key_W))


# Ctrl + wheel: one zoom step per notch (120 eighths of a degree); a pinch: one step per 25 %.
WHEEL_STEP = 120
PINCH_STEP = 0.25


class LockDown(QObject):
    """An application event filter that swallows the quit / close / full-screen keys, context
    menus and tooltips, turns Ctrl + wheel and pinches into the kiosk's own bounded zoom
    (zoom_step(+1 / -1): no widget zooms by itself), and watches for the hidden admin gesture
    (taps in the administrator's zone, corner() in window coordinates).

    Close requests are refused by the kiosk window itself (its closeEvent).
    """

    admin_gesture = Signal()
    zoom_step = Signal(int)

    def __init__(
        self,
        window: QWidget,
        *,
        taps: int = ADMIN_TAPS,
        tap_window_ms: int = ADMIN_TAP_WINDOW_MS,
        corner_px: int = ADMIN_CORNER_PX,
        corner: Callable[[], QRect] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.taps = taps
        self.tap_window_ms = tap_window_ms
        self.corner = corner or (lambda: QRect(0, 0, corner_px, corner_px))
        self._clock = clock or monotonic_ms
        self._tap_times: list[float] = []
        self._last_press: tuple[int, int, int] | None = None
        self._wheel = 0
        self._pinch = 0.0
        self._installed = False

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (ET.KeyPress, ET.KeyRelease, ET.ShortcutOverride):
            if is_blocked_key(event):  # type: ignore[arg-type]
                if kind == ET.KeyPress:
                    log.info("Touche ignorée en mode kiosque : %s", _key_name(event))  # type: ignore[arg-type]
                event.accept()
                return True
            return False
        if kind in (ET.ContextMenu, ET.ToolTip, ET.WhatsThis, ET.QueryWhatsThis):
            event.accept()
            return True
        if kind == ET.Wheel and event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # type: ignore[attr-defined]
            self._zoom_wheel(event)  # type: ignore[arg-type]
            return True
        if kind == ET.NativeGesture:
            return self._zoom_gesture(event)  # type: ignore[arg-type]
        if kind == ET.Gesture:  # no widget of the kiosk zooms, rotates or swipes by itself
            event.accept()
            return True
        if kind == ET.MouseButtonPress:
            self._count_tap(event)  # type: ignore[arg-type]
        return False

    def _zoom_wheel(self, event: QWheelEvent) -> None:
        # Filtered out here, the event reaches no widget (a QTextBrowser would zoom unbounded).
        event.accept()
        self._wheel += event.angleDelta().y() or event.angleDelta().x()
        while abs(self._wheel) >= WHEEL_STEP:
            step = 1 if self._wheel > 0 else -1
            self._wheel -= step * WHEEL_STEP
            self.zoom_step.emit(step)

    def _zoom_gesture(self, event: QNativeGestureEvent) -> bool:
        kind = event.gestureType()
        if kind == Qt.NativeGestureType.ZoomNativeGesture:
            self._pinch += event.value()
            while abs(self._pinch) >= PINCH_STEP:
                step = 1 if self._pinch > 0 else -1
                self._pinch -= step * PINCH_STEP
                self.zoom_step.emit(step)
        elif kind == Qt.NativeGestureType.EndNativeGesture:
            self._pinch = 0.0
        elif kind not in (Qt.NativeGestureType.SmartZoomNativeGesture, Qt.NativeGestureType.RotateNativeGesture):
            return False  # begin, pan, swipe: let scrolling have them
        event.accept()
        return True

    def _count_tap(self, event: QMouseEvent) -> None:
        # One physical press reaches the filter several times (window, then each widget it
        # propagates to): count it once.
        global_pos = event.globalPosition().toPoint()
        key = (int(event.timestamp()), global_pos.x(), global_pos.y())
        if key == self._last_press:
            return
        self._last_press = key
        local = self.window.mapFromGlobal(global_pos)
        if not self.corner().contains(local):
            self._tap_times.clear()
            return
        now = self._clock()
        self._tap_times = [t for t in self._tap_times if now - t <= self.tap_window_ms] + [now]
        if len(self._tap_times) >= self.taps:
            self._tap_times.clear()
            self.admin_gesture.emit()


def _key_name(event: QKeyEvent) -> str:
    from PySide6.QtGui import QKeySequence

    return QKeySequence(event.keyCombination()).toString()
