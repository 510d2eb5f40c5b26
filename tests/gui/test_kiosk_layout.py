"""The kiosk fits its screen at every text size (issue 18): nothing grows the window, no label
is wider than its button, the PIN keys never overlap, the administrator's zone holds no button,
Ctrl + wheel and pinches zoom within the same bounds as A− / A+, and the reset restores every
size. Real widgets, offscreen, measured as a visitor would see them."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QNativeGestureEvent, QPointingDevice, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from fiche_desktop import config
from fiche_desktop.kiosk import pin as admin_pin
from fiche_desktop.kiosk import session as kiosk
from fiche_desktop.views.kiosk_window import KioskWindow

SIZES = [(1024, 768), (1280, 800), (1920, 1080)]
PIN_HASH = admin_pin.hash_pin("2468", iterations=1000)


@pytest.fixture
def kiosk_at(qtbot, real_db):
    """kiosk_at(width, height): a kiosk window of that size, printing and read aloud on."""

    def make(width: int, height: int, **cfg: object) -> KioskWindow:
        options = {"printing": True, "admin_pin_hash": PIN_HASH, **cfg}
        w = KioskWindow(
            real_db,
            config.KioskConfig(**options),  # type: ignore[arg-type]
            idle_ms=60_000,
            tick_ms=10,
            pin_delay_ms=50,
            start_idle=False,
            speech_engine="mock",
        )
        qtbot.addWidget(w, before_close_func=lambda widget: widget.shutdown())
        w.resize(width, height)
        w.show()
        qtbot.waitExposed(w)
        # The widest bar there is: « Écouter » too (the mock engine, built in its own thread).
        qtbot.waitUntil(lambda: w.speech is not None and w.speech.available, timeout=10_000)
        return w

    return make


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def overflow(button: QAbstractButton) -> int:
    """How many pixels the label and pictogram are wider than the button's contents (the box
    the style sheet leaves inside border and padding), measured with QFontMetrics; <= 0 fits."""
    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = button.text()
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    contents = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    needed = QFontMetrics(button.font()).horizontalAdvance(button.text()) if button.text() else 0
    if not button.icon().isNull():
        needed += button.iconSize().width() + (4 if button.text() else 0)
    return needed - contents.width()


def shown_buttons(w: KioskWindow) -> list[QPushButton]:
    return [b for b in w.findChildren(QPushButton) if b.isVisibleTo(w) and b.isVisible()]


def in_window(w: KioskWindow, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(w, QPoint(0, 0)), widget.size())


def check_fits(w: KioskWindow, size: tuple[int, int], where: str) -> None:
    assert (w.width(), w.height()) == size, f"{where}: the window became {w.width()}×{w.height()}"
    hint = w.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], f"{where}: minimum {hint.toTuple()}"
    window = w.rect()
    for b in shown_buttons(w):
        label = b.text() or b.accessibleName()
        assert overflow(b) <= 0, f"{where}: « {label} » is {overflow(b)} px wider than its button"
        assert window.contains(in_window(w, b)), f"{where}: « {label} » is off screen"
        assert b.height() >= 60 and b.width() >= 60, f"{where}: « {label} » is {b.width()}×{b.height()}"
        assert b.accessibleName(), f"{where}: a button without a name"
    page = w.home.widget()
    if w.home.isVisible():
        assert page.width() <= w.home.viewport().width(), f"{where}: the home page is wider than the screen"
    view = w.fiche_view
    if view.isVisible():
        browser = view.browser
        assert browser.lineWrapColumnOrWidth() <= browser.viewport().width(), f"{where}: lines wider than the view"
        assert browser.document().idealWidth() <= browser.viewport().width() + 1, f"{where}: text runs off the view"
        for label in (view.heading, view.hint):
            assert window.contains(in_window(w, label)), f"{where}: « {label.text()[:30]} » is cut"
        font = QFont(view.toc.font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        room = view.toc.viewport().width()
        for i in range(view.toc.count()):
            for word in view.toc.item(i).text().split():
                assert metrics.horizontalAdvance(word) <= room, f"{where}: « {word} » is cut in the contents"


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_zoom_step_fits_the_screen_and_every_label_its_button(kiosk_at, size) -> None:
    w = kiosk_at(*size)
    for screen in ("home", "fiche"):
        w.reset_session()
        w.cycle.leave_attract()
        if screen == "fiche":
            assert w.open_fiche("msp")
        settle()
        while w.session.zoom > kiosk.ZOOM_STEPS[0]:
            w.bar.zoom_out_button.click()
        for zoom in kiosk.ZOOM_STEPS:
            settle()
            assert w.session.zoom == zoom
            assert w.bar.listen_button.isVisible() and (screen == "home" or w.bar.print_button.isVisible())
            # check_fits checks the page that is shown: this one.
            assert (w.home if screen == "home" else w.fiche_view).isVisible() and not (
                w.fiche_view if screen == "home" else w.home
            ).isVisible()
            check_fits(w, size, f"{screen} {size[0]}×{size[1]} {zoom} %")
            w.bar.zoom_in_button.click()
        assert not w.bar.zoom_in_button.isEnabled()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_overlays_fit_and_their_buttons_too(kiosk_at, size) -> None:
    w = kiosk_at(*size)
    w.open_fiche("msp")
    w.bar.zoom_in_button.click()
    w.show_qr("https://www.ameli.fr/exercice-coordonne/une-adresse-assez-longue-pour-etre-coupee")
    settle()
    check_fits(w, size, "QR code")
    assert w.qr_overlay.card.geometry().bottom() < w.height()
    w.qr_overlay.dismiss()
    w.show_term("SAS")
    settle()
    check_fits(w, size, "glossary")
    w.info_overlay.dismiss()
    w.cycle.enter_warning()
    w.cycle.tick_timer.stop()
    settle()
    check_fits(w, size, "countdown")
    w.cycle.stay()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_pin_keys_never_overlap_and_are_big_enough(kiosk_at, size) -> None:
    w = kiosk_at(*size)
    w.open_fiche("msp")
    w.admin_exit.on_gesture()
    settle()
    pin = w.pin_overlay
    assert pin.isVisible()
    keys = {b.text(): in_window(w, b) for b in pin.keys}
    assert len(keys) == 12
    for (a, ra), (b, rb) in itertools.combinations(keys.items(), 2):
        assert not ra.intersects(rb), f"« {a} » and « {b} » overlap"
        gap = max(rb.left() - ra.right(), ra.left() - rb.right(), rb.top() - ra.bottom(), ra.top() - rb.bottom())
        assert gap >= 8, f"« {a} » and « {b} » are {gap} px apart"
    for text, rect in keys.items():
        assert rect.width() >= 60 and rect.height() >= 60, text
        assert w.rect().contains(rect), text
    for b in [*pin.keys, pin.cancel_button]:
        assert overflow(b) <= 0, b.text()
        assert not in_window(w, b).intersects(w.admin_zone()), b.text()
    card = in_window(w, pin.card)
    assert w.rect().contains(card)
    for label in (pin.title, pin.dots, pin.message):
        assert card.contains(in_window(w, label))


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_administrator_zone_holds_no_button(kiosk_at, size) -> None:
    w = kiosk_at(*size)
    zone = w.admin_zone()
    assert zone.width() == kiosk.ADMIN_CORNER_PX and zone.topLeft() == QPoint(0, 0)
    for screen in ("home", "fiche"):
        if screen == "fiche":
            w.open_fiche("msp")
        for _ in kiosk.ZOOM_STEPS:
            settle()
            for b in shown_buttons(w):
                assert not in_window(w, b).intersects(zone), f"{screen}: « {b.accessibleName()} » under the corner"
            w.bar.zoom_in_button.click()
    for overlay in (lambda: w.show_term("SAS"), lambda: w.show_qr("https://example.org/x"), w.pin_overlay.open):
        overlay()
        settle()
        for b in shown_buttons(w):
            assert not in_window(w, b).intersects(zone), b.accessibleName()
        w.reset_session()
    # The corner is still the way out: five taps on it open the keypad.
    w.cycle.leave_attract()
    for _ in range(kiosk.ADMIN_TAPS):
        QTestClick.left(w, zone.center())
    assert w.pin_overlay.isVisible()


class QTestClick:
    @staticmethod
    def left(widget: QWidget, pos: QPoint) -> None:
        from PySide6.QtTest import QTest

        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def size_snapshot(w: KioskWindow) -> dict[str, object]:
    """Every size a visitor sees: the window, the bar and its buttons, the text and labels shown
    (without a keyboard focus ring, which moves with the stack and is not a size)."""
    focus = QApplication.focusWidget()
    if focus is not None:
        focus.clearFocus()
    settle()
    shown = [x for x in w.findChildren(QWidget) if x.isVisible()]
    snap: dict[str, object] = {
        f"{type(x).__name__} {x.objectName()} {i}": (in_window(w, x).getRect(), x.font().pointSizeF())
        for i, x in enumerate([w, *shown])
    }
    snap["document"] = w.fiche_view.browser.document().defaultFont().pointSizeF()
    snap["zoom"] = w.session.zoom
    return snap


def ctrl_wheel(target: QWidget, notches: int) -> None:
    pos = QPointF(200, 200)
    event = QWheelEvent(
        pos,
        QPointF(target.mapToGlobal(pos.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target, event)


def pinch(target: QWidget, value: float) -> None:
    pos = QPointF(200, 200)
    device = QPointingDevice.primaryPointingDevice()
    for kind, amount in (
        (Qt.NativeGestureType.BeginNativeGesture, 0.0),
        (Qt.NativeGestureType.ZoomNativeGesture, value),
        (Qt.NativeGestureType.EndNativeGesture, 0.0),
    ):
        event = QNativeGestureEvent(
            kind, device, 2, pos, pos, QPointF(target.mapToGlobal(pos.toPoint())), amount, QPointF()
        )
        QApplication.sendEvent(target, event)


def test_ctrl_wheel_and_pinch_zoom_within_bounds_and_the_reset_restores_every_size(kiosk_at) -> None:
    w = kiosk_at(1280, 800)
    fresh_home = size_snapshot(w)
    w.open_fiche("msp")
    fresh_fiche = size_snapshot(w)
    viewport = w.fiche_view.browser.viewport()
    document_pt = w.fiche_view.browser.document().defaultFont().pointSizeF()
    ctrl_wheel(viewport, 1)
    assert w.session.zoom == 120  # one notch: one step, as A+
    for _ in range(30):
        ctrl_wheel(viewport, 1)
    assert w.session.zoom == kiosk.ZOOM_STEPS[-1]
    settle()
    check_fits(w, (1280, 800), "after Ctrl + wheel")
    for _ in range(30):
        ctrl_wheel(w.fiche_view.toc.viewport(), -1)
    assert w.session.zoom == kiosk.ZOOM_STEPS[0]
    pinch(viewport, 0.5)  # a spread of 50 %: two steps
    assert w.session.zoom == 120
    for _ in range(20):
        pinch(viewport, 1.0)
    assert w.session.zoom == kiosk.ZOOM_STEPS[-1]
    assert w.fiche_view.browser.document().defaultFont().pointSizeF() > document_pt
    w.reset_session()
    w.cycle.leave_attract()
    assert size_snapshot(w) == fresh_home
    w.open_fiche("msp")
    assert size_snapshot(w) == fresh_fiche


def test_a_wheel_without_ctrl_still_scrolls(kiosk_at) -> None:
    w = kiosk_at(1280, 800)
    w.open_fiche("msp")
    bar = w.fiche_view.browser.verticalScrollBar()
    pos = QPointF(200, 200)
    viewport = w.fiche_view.browser.viewport()
    event = QWheelEvent(
        pos,
        QPointF(viewport.mapToGlobal(pos.toPoint())),
        QPoint(0, 0),
        QPoint(0, -360),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)
    assert bar.value() > 0 and w.session.zoom == kiosk.ZOOM_DEFAULT


def test_the_watchdog_puts_the_window_back_within_a_second(kiosk_at, qtbot, caplog) -> None:
    caplog.set_level("INFO", logger="fiche_desktop.kiosk")
    w = kiosk_at(800, 600)
    w.show_kiosk()
    target = w.kiosk_geometry()
    qtbot.waitUntil(lambda: w.isFullScreen() and w.geometry() == target, timeout=1000)
    assert w.screen_keeper.watchdog.active
    w.cycle.enter_attract()  # what a kiosk shows most of the day
    changes = (w.showMinimized, w.showNormal, lambda: w.setGeometry(10, 10, 300, 200), lambda: w.setFixedSize(640, 480))
    for change in (*changes, w.hide):
        change()
        qtbot.waitUntil(
            lambda: w.isVisible() and w.isFullScreen() and not w.isMinimized() and w.geometry() == target,
            timeout=1000,
        )
    assert "Fenêtre du kiosque modifiée par un autre programme" in caplog.text
    qtbot.waitUntil(lambda: "Fenêtre du kiosque rétablie (" in caplog.text, timeout=2000)  # once found back
    w.shutdown()
    assert not w.screen_keeper.watchdog.active
