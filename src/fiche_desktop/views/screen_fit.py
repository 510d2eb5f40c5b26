"""Windows kept on their screen: the desk window's first and later places, dialogs that scroll
inside when taller than the screen, the print preview at the screen's size and the page's width.
The rectangles' arithmetic is Qt-free (window_fit).

What the desk's first frame runs (place_main_window, ElidedLabel) stays clear of PySide6's `Qt`
namespace (about 25 ms to build, see views/home.py): the other functions import it themselves."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import QDialog, QFrame, QLayout, QMainWindow, QScrollArea, QVBoxLayout, QWidget

from fiche_desktop import window_fit
from fiche_desktop.window_fit import Rect


def _rect(r: QRect) -> Rect:
    return r.x(), r.y(), r.width(), r.height()


def _screen(widget: QWidget | None) -> QScreen:
    screen = widget.screen() if widget is not None else None
    return screen or QGuiApplication.primaryScreen()


def available(widget: QWidget | None) -> QRect:
    """The screen's area left to windows (without the panels) where widget is."""
    return _screen(widget).availableGeometry()


def place_main_window(window: QMainWindow, saved: str) -> None:
    """The desk window's place: the last one saved, brought back onto the screen it was on (or the
    nearest one's), else the whole available area of the screen at a first start, where it is also
    maximised once the first frame has painted (finish_placement: a window manager then fits its
    frame in too). Once a window manager has framed it, the frame is kept on the screen."""
    rect = window_fit.parse_geometry(saved)
    screens = QGuiApplication.screens()
    if rect is not None and screens:
        screen = max(screens, key=lambda s: window_fit.overlap(rect, _rect(s.availableGeometry())))
        if window_fit.overlap(rect, _rect(screen.availableGeometry())) == 0:
            screen = QGuiApplication.primaryScreen()
        x, y, w, h = window_fit.fit(rect, _rect(screen.availableGeometry()))
    else:
        x, y, w, h = _rect(available(window))
    window.setGeometry(x, y, w, h)
    window.setProperty("maximiseAtStart", rect is None or window_fit.is_maximised(saved))
    _FrameFit(window)


def finish_placement(window: QMainWindow) -> None:
    """Maximises the window at a first start (or when it was left maximised), after the first
    frame: the Qt namespace it needs is not built for that frame."""
    if window.property("maximiseAtStart"):
        from PySide6.QtCore import Qt

        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def saved_geometry(window: QWidget) -> str:
    """The window's place to save (its normal place when maximised)."""
    if window.isMaximized() or window.isFullScreen():
        normal = window.normalGeometry()
        return window_fit.geometry_text(_rect(normal if normal.isValid() else window.geometry()), maximised=True)
    return window_fit.geometry_text(_rect(window.geometry()))


class _FrameFit(QObject):
    """Once the window manager's frame is known (it differs from the window's own geometry), moves
    or shrinks the window so that the frame is inside the available area. Without a window manager
    there is no frame: nothing to do."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The frame is known once the window manager has mapped and activated the window.
        kinds = (QEvent.Type.Show, QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.ActivationChange)
        if watched is self.window and event.type() in kinds and self.window.isVisible():
            frame, inner = self.window.frameGeometry(), self.window.geometry()
            if frame != inner:
                self.window.removeEventFilter(self)
                QTimer.singleShot(0, self.fit)
        return False

    def fit(self) -> None:
        frame, inner = self.window.frameGeometry(), self.window.geometry()
        area = available(self.window)
        if area.contains(frame):
            return
        left, top = inner.x() - frame.x(), inner.y() - frame.y()
        right, bottom = frame.right() - inner.right(), frame.bottom() - inner.bottom()
        room = area.adjusted(left, top, -right, -bottom)
        self.window.setGeometry(*window_fit.fit(_rect(inner), _rect(room)))


def frame_allowance(widget: QWidget | None) -> tuple[int, int]:
    """The width and height a window manager's frame adds, as measured on the desk window."""
    top = widget.window() if widget is not None else None
    if top is None or not top.isVisible():
        return 0, 0
    return top.frameGeometry().width() - top.width(), top.frameGeometry().height() - top.height()


def scrolling_body(dialog: QDialog) -> tuple[QVBoxLayout, QVBoxLayout]:
    """Lays dialog out as a body that scrolls when the screen is too short, above a footer that
    stays in sight (its buttons); returns (body's layout, footer's layout)."""
    from PySide6.QtCore import Qt

    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(0)
    body = QWidget()
    body.setObjectName("dialogBody")
    body_layout = QVBoxLayout(body)
    scroll = QScrollArea(dialog)
    scroll.setObjectName("dialogScroll")
    scroll.setAccessibleName(dialog.windowTitle())
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls, and brings each into sight
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    scroll.setWidget(body)
    outer.addWidget(scroll, 1)
    footer = QVBoxLayout()
    footer.setContentsMargins(9, 6, 9, 9)
    outer.addLayout(footer)
    return body_layout, footer


def fit_dialog(dialog: QDialog, body: QLayout | None = None, footer: QLayout | None = None) -> None:
    """Sizes dialog to its contents (body and footer as laid out by scrolling_body), no larger than
    the available area of its parent's screen (less a window manager's frame): what does not fit
    scrolls inside. Qt centres it on its parent and keeps it on the screen when shown."""
    parent = dialog.parentWidget()
    area = available(parent or dialog)
    extra_w, extra_h = frame_allowance(parent)
    if body is not None and footer is not None:
        want_w = max(body.sizeHint().width(), footer.sizeHint().width()) + 24
        want_h = body.sizeHint().height() + footer.sizeHint().height() + 4
        want_w = max(want_w, dialog.minimumWidth())
    else:
        hint = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
        want_w, want_h = hint.width(), hint.height()
    width = min(want_w, area.width() - extra_w)
    height = min(want_h, area.height() - extra_h)
    dialog.setMinimumWidth(min(dialog.minimumWidth(), width))
    dialog.resize(width, height)
    dialog.setMaximumSize(area.width() - extra_w, area.height() - extra_h)


def fit_preview(preview: QDialog) -> None:
    """Qt's print preview sized to the screen's available area, showing the page at its width."""
    from PySide6.QtGui import QAction

    area = available(preview.parentWidget() or preview)
    extra_w, extra_h = frame_allowance(preview.parentWidget())
    preview.resize(area.width() - extra_w, area.height() - extra_h)
    preview.move(area.topLeft())
    fit_width = preview.findChild(QAction, "fitWidthAction")
    if fit_width is not None:
        fit_width.trigger()


def scrolling_page(page: QWidget, name: str, title: str) -> tuple[QScrollArea, QVBoxLayout]:
    """Lays page out in a scroll area that scrolls up and down only when the window is too short
    for the page (a large zoom on a small screen), never sideways; returns it and the layout to
    fill. keep_share() then keeps the page's main part most of the window's height. The area
    takes no focus (Tab goes to the page's controls, and brings each into sight); a screen reader
    names it with the page's title."""
    from PySide6.QtCore import Qt

    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea(page)
    scroll.setObjectName(name)
    scroll.setAccessibleName(title)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    inner = QWidget()
    scroll.setWidget(inner)
    outer.addWidget(scroll)
    return scroll, QVBoxLayout(inner)


MAIN_SHARE = 0.6  # of a scrolling page's height, at least, for its main part (a table, a list and its answer)


def keep_share(main: QWidget, page_height: int, share: float = MAIN_SHARE) -> None:
    """main keeps at least share of the page's height: what is above and below it scrolls away first."""
    main.setMinimumHeight(max(120, int(page_height * share)))


class ElidedLabel(QWidget):
    """One line of text cut with « … » to the room it is given (the whole in its tooltip and
    accessible name): a status line that never widens the window nor shows half a letter."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QLabel

        super().__init__(parent)
        self._label = QLabel(self)
        self._full = ""
        self.setText(text)

    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._fit()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return self._label.fontMetrics().size(0, self._full) + QSize(4, 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(self._label.fontMetrics().horizontalAdvance("…") * 4, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()
            self.updateGeometry()

    def _fit(self) -> None:
        """The longest start of the text that fits, with « … » (QFontMetrics.elidedText would need
        the Qt namespace in the first frame)."""
        self._label.setGeometry(0, 0, self.width(), self.height())
        metrics = self._label.fontMetrics()
        room = max(0, self.width() - 4)
        text = self._full
        if metrics.horizontalAdvance(text) > room:
            low, high = 0, len(text)
            while low < high:  # the longest start that fits with « … »
                middle = (low + high + 1) // 2
                if metrics.horizontalAdvance(text[:middle].rstrip() + "…") <= room:
                    low = middle
                else:
                    high = middle - 1
            text = text[:low].rstrip() + "…"
        self._label.setText(text)


def shrink_to_screen(dialog: QDialog) -> None:
    """A dialog of Qt's that cannot scroll (the system print dialog) is given a smaller font, step
    by step, until its minimum size fits the available area: at a large zoom it would be wider or
    taller than the screen. Done when it is shown (Qt lays its print dialog out anew then), and
    sized and kept as fit_dialog() does. (A style sheet, not setFont: the window's style sheet
    keeps its children's fonts.)"""
    _ShrinkWhenShown(dialog)


class _ShrinkWhenShown(QObject):
    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.dialog and event.type() == QEvent.Type.Show:
            self.shrink()
        return False

    def shrink(self) -> None:
        dialog = self.dialog
        area = available(dialog.parentWidget() or dialog)
        extra_w, extra_h = frame_allowance(dialog.parentWidget())
        room_w, room_h = area.width() - extra_w, area.height() - extra_h
        points = dialog.font().pointSizeF()
        for _ in range(12):
            hint = dialog.minimumSizeHint()
            if (hint.width() <= room_w and hint.height() <= room_h) or points <= 7:
                break
            points *= 0.9
            dialog.setStyleSheet(f"* {{ font-size: {points:.1f}pt; }}")
            dialog.adjustSize()
        fit_dialog(dialog)
        dialog.move(area.x() + (room_w - dialog.width()) // 2, area.y() + (room_h - dialog.height()) // 2)
