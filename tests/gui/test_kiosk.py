"""The waiting-room kiosk driven through its real widgets, offscreen, with 50 ms timers."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextCursor
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fiche_desktop import app, config, printing
from fiche_desktop.content import TextVersion
from fiche_desktop.exit_codes import ExitCode
from fiche_desktop.gui import speech
from fiche_desktop.kiosk import pin as admin_pin
from fiche_desktop.kiosk import session as kiosk
from fiche_desktop.views.kiosk_window import KioskWindow
from tests.gui.helpers import running_kiosk

PIN = "2468"
FAST_HASH = admin_pin.hash_pin(PIN, iterations=admin_pin.PIN_MIN_ITERATIONS)  # the fastest accepted hash
QUIET = 60_000  # an idle timeout that never fires during a test


@pytest.fixture
def make_window(qtbot, real_db):
    def make(cfg: config.KioskConfig | None = None, **options: object) -> KioskWindow:
        for key, value in (
            ("idle_ms", QUIET),
            ("tick_ms", 10),
            ("pin_delay_ms", 50),
            ("cursor_hide_ms", 50),
            ("start_idle", False),
        ):
            options.setdefault(key, value)
        w = KioskWindow(real_db, cfg or config.KioskConfig(warning_seconds=3), **options)  # type: ignore[arg-type]
        qtbot.addWidget(w, before_close_func=lambda widget: widget.shutdown())
        w.resize(1280, 800)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


def click(qtbot, widget, pos: QPoint | None = None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos if pos is not None else widget.rect().center())


def tap_corner(qtbot, w: KioskWindow, times: int = kiosk.ADMIN_TAPS) -> None:
    for _ in range(times):
        click(qtbot, w, QPoint(12, 12))


def enter_pin(qtbot, w: KioskWindow, pin: str) -> None:
    for digit in pin:
        click(qtbot, w.pin_overlay.digit_buttons[digit])
    click(qtbot, w.pin_overlay.ok_button)


def link_position(w: KioskWindow, href_prefix: str) -> tuple[str, QPoint]:
    """The first link whose href starts with href_prefix, scrolled into view: (href, point)."""
    browser = w.fiche_view.browser
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            href = fragment.charFormat().anchorHref()
            if href.startswith(href_prefix):
                cursor = QTextCursor(browser.document())
                cursor.setPosition(fragment.position() + 1)
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                return href, browser.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise AssertionError(f"no link starting with {href_prefix}")


# --- Idle, countdown, reset, attract ---------------------------------------------------


def test_idle_reset_forgets_the_visitor(qtbot, make_window) -> None:
    w = make_window(idle_ms=200)
    assert w.version is TextVersion.FALC  # the configured default
    click(qtbot, w.home.card("msp"))
    assert w.current_fiche is not None and w.current_fiche.slug == "msp"
    click(qtbot, w.bar.standard_button)
    click(qtbot, w.bar.zoom_in_button)
    click(qtbot, w.bar.zoom_in_button)
    assert (w.version, w.session.zoom) == (TextVersion.STANDARD, 140)
    with qtbot.waitSignal(w.session_reset, timeout=3000):
        pass
    assert w.stack.currentWidget() is w.home
    assert w.version is TextVersion.FALC and w.bar.falc_button.isChecked() and not w.bar.standard_button.isChecked()
    assert w.session.zoom == kiosk.ZOOM_DEFAULT and w.session.fiches_opened == 0
    assert w.current_fiche is None and w.fiche_view.fiche is None
    assert w.fiche_view.text() == "" and w.fiche_view.toc.count() == 0
    assert not w.fiche_view.browser.isBackwardAvailable()
    assert w.attract.isVisible() and not w.countdown.isVisible()


def test_countdown_shows_and_je_suis_la_cancels_it(qtbot, make_window) -> None:
    w = make_window(idle_ms=50, tick_ms=1000)
    w.open_fiche("cds")
    qtbot.waitUntil(w.countdown.isVisible, timeout=2000)
    assert w.countdown.title.text() == "Êtes-vous encore là ?"
    assert w.countdown.number.text() == "3 secondes"
    click(qtbot, w.countdown.button_stay)
    assert not w.countdown.isVisible() and w.state == "active"
    assert w.current_fiche is not None and w.current_fiche.slug == "cds"  # nothing was reset


def test_countdown_counts_down_visibly(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(warning_seconds=4), idle_ms=50, tick_ms=150)
    qtbot.waitUntil(w.countdown.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: w.countdown.number.text() == "2 secondes", timeout=2000)
    qtbot.waitUntil(lambda: w.countdown.number.text() == "1 seconde", timeout=2000)
    qtbot.waitUntil(w.attract.isVisible, timeout=2000)


def test_a_tap_beside_the_countdown_also_keeps_the_screen(qtbot, make_window) -> None:
    w = make_window(idle_ms=50, tick_ms=1000)
    w.open_fiche("msp")
    qtbot.waitUntil(w.countdown.isVisible, timeout=2000)
    click(qtbot, w.countdown, QPoint(20, w.height() - 20))
    assert not w.countdown.isVisible()
    assert w.current_fiche is not None and w.current_fiche.slug == "msp"


def test_attract_screen_shows_while_idle_and_a_click_dismisses_it(qtbot, make_window) -> None:
    w = make_window(start_idle=True)
    assert w.attract.isVisible()
    assert w.attract.title.text() == "Touchez l’écran"
    assert QApplication.overrideCursor() is not None
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor  # cursor hidden
    # The click lands on the attract screen, not on the card underneath.
    card = w.home.card("msp")
    click(qtbot, w.attract, card.mapTo(w, card.rect().center()))
    assert not w.attract.isVisible() and w.state == "active"
    assert w.stack.currentWidget() is w.home


def test_a_quick_double_tap_on_the_attract_screen_opens_nothing_under_the_finger(qtbot, make_window) -> None:
    w = make_window(start_idle=True)
    card = w.home.card("msp")
    click(qtbot, w.attract, card.mapTo(w, card.rect().center()))  # the first tap dismisses it...
    assert not w.attract.isVisible()
    click(qtbot, card)  # ...the second, right after, on the card now under the finger: nothing
    qtbot.mouseDClick(card, Qt.MouseButton.LeftButton, pos=card.rect().center())
    assert w.stack.currentWidget() is w.home and w.current_fiche is None
    qtbot.wait(w.attract.SHIELD_MS + 100)
    click(qtbot, card)  # a tap once the shield is down opens the fiche
    assert w.current_fiche is not None and w.current_fiche.slug == "msp"


def test_a_touch_dismisses_the_attract_screen(qtbot, make_window) -> None:
    w = make_window(start_idle=True)
    device = QTest.createTouchDevice()
    QTest.touchEvent(w, device).press(0, w.rect().center(), w)
    QTest.touchEvent(w, device).release(0, w.rect().center(), w)
    qtbot.waitUntil(lambda: not w.attract.isVisible(), timeout=1000)
    assert w.state == "active"


def test_cursor_hides_when_idle_and_comes_back_on_move(qtbot, make_window) -> None:
    w = make_window(cursor_hide_ms=50)
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is not None, timeout=1000)
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    qtbot.mouseMove(w, QPoint(400, 400))
    qtbot.mouseMove(w, QPoint(600, 500))
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is None, timeout=1000)


# --- Lock-down ---------------------------------------------------------------------------


class Counter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    @Slot()
    def hit(self) -> None:
        self.count += 1


@pytest.mark.parametrize("sequence", ["Alt+F4", "Ctrl+Q", "Ctrl+W", "Escape", "F11"])
def test_quit_close_and_fullscreen_keys_are_ignored(qtbot, make_window, sequence: str) -> None:
    w = make_window()
    w.open_fiche("msp")
    counter = Counter()
    probe = QShortcut(QKeySequence(sequence), w)  # what a shortcut bound to that key would see
    probe.activated.connect(counter.hit)
    combo = QKeySequence(sequence)[0]
    qtbot.keyClick(w.fiche_view.browser, combo.key(), combo.keyboardModifiers())
    assert counter.count == 0
    assert w.isVisible() and w.current_fiche is not None


def test_close_requests_are_refused(qtbot, make_window) -> None:
    w = make_window()
    assert w.close() is False
    assert w.isVisible()


def test_context_menus_never_open(qtbot, make_window) -> None:
    w = make_window()
    w.open_fiche("msp")
    viewport = w.fiche_view.browser.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=QPoint(200, 200))
    from PySide6.QtGui import QContextMenuEvent

    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(200, 200), viewport.mapToGlobal(QPoint(200, 200)))
    QApplication.sendEvent(viewport, event)
    assert QApplication.activePopupWidget() is None


# --- Admin exit --------------------------------------------------------------------------


def test_five_corner_taps_then_the_right_pin_exit_with_status_0(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(admin_pin_hash=FAST_HASH))
    tap_corner(qtbot, w)
    assert w.pin_overlay.isVisible()
    with qtbot.waitSignal(w.exit_requested, timeout=2000) as blocker:
        enter_pin(qtbot, w, PIN)
    assert blocker.args == [0]
    assert w.close() is True  # the admin may close it now


def test_a_wrong_pin_is_refused_and_each_one_waits_longer(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(admin_pin_hash=FAST_HASH))
    tap_corner(qtbot, w)
    with qtbot.assertNotEmitted(w.exit_requested):
        enter_pin(qtbot, w, "1111")
        assert "Code incorrect" in w.pin_overlay.message.text()
        assert w.pin_overlay.locked and not w.pin_overlay.digit_buttons["1"].isEnabled()
        first = w.pin_overlay.locked_ms
        qtbot.waitUntil(lambda: w.pin_overlay.digit_buttons["1"].isEnabled(), timeout=2000)
        enter_pin(qtbot, w, "1357")
        second = w.pin_overlay.locked_ms
    assert first == 50 and second == 100
    # While locked, the keypad takes nothing.
    click(qtbot, w.pin_overlay.digit_buttons["2"])
    assert w.pin_overlay.pin == ""
    assert w.isVisible()


def test_the_pin_lockout_counts_down_on_screen(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(admin_pin_hash=FAST_HASH), pin_delay_ms=2500)
    tap_corner(qtbot, w)
    enter_pin(qtbot, w, "1111")
    message = w.pin_overlay.message
    assert message.text() == "Code incorrect. Attendez 3\u00a0secondes."
    qtbot.waitUntil(lambda: message.text() == "Code incorrect. Attendez 2\u00a0secondes.", timeout=3000)
    qtbot.waitUntil(lambda: message.text() == "Code incorrect. Attendez 1\u00a0seconde.", timeout=3000)
    qtbot.waitUntil(lambda: message.text() == "Code incorrect. Vous pouvez réessayer.", timeout=3000)
    assert w.pin_overlay.digit_buttons["1"].isEnabled()
    enter_pin(qtbot, w, "1357")  # the second wait is twice the first: 5 s, shown whole, then less
    assert message.text() == "Code incorrect. Attendez 5\u00a0secondes."
    qtbot.waitUntil(lambda: message.text() == "Code incorrect. Attendez 4\u00a0secondes.", timeout=3000)


def test_without_a_pin_hash_the_admin_exit_is_impossible(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(admin_pin_hash=""))
    tap_corner(qtbot, w)
    assert not w.pin_overlay.isVisible()


def test_taps_elsewhere_do_not_count(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(admin_pin_hash=FAST_HASH))
    tap_corner(qtbot, w, 3)
    click(qtbot, w, QPoint(600, 400))
    tap_corner(qtbot, w, 2)
    assert not w.pin_overlay.isVisible()


# --- Links, glossary ---------------------------------------------------------------------


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_a_web_link_shows_a_qr_code_and_is_never_opened(qtbot, make_window) -> None:
    w = make_window()
    catcher = UrlCatcher()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, catcher, "catch")
    try:
        w.open_fiche("msp")
        w.fiche_view.unfold()  # in FALC the web pages are in the standard parts, folded at the end
        href, point = link_position(w, "http")
        click(qtbot, w.fiche_view.browser.viewport(), point)
        assert w.qr_overlay.isVisible()
        assert w.qr_overlay.code.data == href and w.qr_overlay.code.matrix
        assert w.qr_overlay.title.text() == "Scannez ce code avec votre téléphone"
        assert catcher.urls == []
        click(qtbot, w.qr_overlay.close_button)
        assert not w.qr_overlay.isVisible()
    finally:
        for scheme in ("http", "https"):
            QDesktopServices.unsetUrlHandler(scheme)


def test_a_glossary_link_shows_the_definition_large(qtbot, make_window, real_db) -> None:
    w = make_window()
    w.open_fiche("msp")
    href, point = link_position(w, "glossaire:")
    click(qtbot, w.fiche_view.browser.viewport(), point)
    term = next(t for t in real_db.terms() if t.term == QUrl(href).path())
    assert w.info_overlay.isVisible()
    assert w.info_overlay.title.text() == term.term
    assert term.definition in w.info_overlay.text()


# --- Content shown -------------------------------------------------------------------------


def test_home_is_touch_only_and_filtered_by_the_configuration(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(fiches=["msp", "cds"]))
    assert sorted(c.slug for c in w.home.cards) == ["cds", "msp"]
    assert not w.open_fiche("sas")
    from PySide6.QtWidgets import QLineEdit, QMenuBar

    assert not w.findChildren(QLineEdit) and not w.findChildren(QMenuBar)
    visible = [b.text() for b in w.home.widget().findChildren(type(w.bar.home_button)) if b.isVisible()]
    assert "Glossaire" not in visible and "Comparer les structures" not in visible
    bar = w.bar
    for button in (bar.home_button, bar.standard_button, bar.falc_button, bar.zoom_in_button, bar.zoom_out_button):
        assert button.height() >= 48 and button.width() >= 48, button.text()


def test_falc_toggle_and_zoom_buttons(qtbot, make_window) -> None:
    w = make_window()
    w.open_fiche("msp")
    assert "Les professionnels libéraux sont des travailleurs indépendants." in w.fiche_view.text()
    click(qtbot, w.bar.standard_button)
    assert "Les professionnels libéraux sont des travailleurs indépendants." not in w.fiche_view.text()
    for _ in range(len(kiosk.ZOOM_STEPS)):
        click(qtbot, w.bar.zoom_in_button)
    assert w.session.zoom == kiosk.ZOOM_STEPS[-1] and not w.bar.zoom_in_button.isEnabled()
    assert not w.fiche_view.compare_button.isVisible()


# --- Printing ----------------------------------------------------------------------------


def test_print_button_only_when_printing_is_on(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(printing=False))
    w.open_fiche("msp")
    assert not w.bar.print_button.isVisible() and not w.fiche_view.print_button.isVisible()


@pytest.mark.skipif(sys.platform == "win32", reason="reads the printed PDF with poppler's pdfinfo (Debian package)")
def test_the_page_cap_refuses_a_print_that_would_exceed_it(qtbot, make_window, tmp_path: Path) -> None:
    """The pages counted are typst's pages of the fiche, the ones the printer then gets."""
    w = make_window(cfg=config.KioskConfig(printing=True, max_pages_per_session=3))
    w.printing.make_printer = lambda: pdf_printer(tmp_path / "out.pdf")  # type: ignore[method-assign]
    w.open_fiche("msp")
    pages = printing.fiches_document(w.db, ["msp"], w.version).page_count
    # The FALC handout, at the kiosk's start.
    assert pages == 2 and w.printing.count_pages(w.current_fiche, w.version) == pages
    assert w.bar.print_button.isVisible() and w.bar.print_button.accessibleName() == "Imprimer cette fiche"
    assert w.bar.print_button.text() in ("Imprimer cette fiche", "Imprimer", "")  # as the bar's width allows
    click(qtbot, w.bar.print_button)
    assert w.info_overlay.title.text() == "Votre fiche est imprimée"
    assert w.session.pages_printed == pages and pdf_pages(tmp_path / "out.pdf") == pages
    click(qtbot, w.info_overlay.ok_button)
    click(qtbot, w.bar.print_button)
    assert w.info_overlay.title.text() == "Impression impossible"
    assert f"Cette fiche a {pages} pages." in w.info_overlay.text()
    assert "Vous pouvez encore imprimer 1 page." in w.info_overlay.text()
    assert w.session.pages_printed == pages
    w.reset_session()
    assert w.session.pages_printed == 0
    w.open_fiche("msp")
    click(qtbot, w.bar.print_button)
    assert w.info_overlay.title.text() == "Votre fiche est imprimée"


def test_the_day_limit_survives_the_reset_and_a_restart(qtbot, make_window, tmp_path: Path) -> None:
    cfg = config.KioskConfig(printing=True, max_pages_per_session=5, max_pages_per_day=5)
    w = make_window(cfg=cfg)
    w.printing.make_printer = lambda: pdf_printer(tmp_path / "out.pdf")  # type: ignore[method-assign]
    pages = printing.fiches_document(w.db, ["msp"], w.version).page_count
    assert pages == 2
    for _ in range(2):  # two visits of 2 pages: 4 of the day's 5
        w.open_fiche("msp")
        click(qtbot, w.bar.print_button)
        assert w.info_overlay.title.text() == "Votre fiche est imprimée"
        w.reset_session()  # waiting for the reset...
    w.cycle.leave_attract()
    w.open_fiche("msp")
    click(qtbot, w.bar.print_button)  # ...gives no new daily allowance
    assert w.info_overlay.title.text() == "Impression impossible"
    assert "Cette fiche a 2 pages." in w.info_overlay.text()
    assert "Aujourd’hui, on peut encore imprimer 1 page." in w.info_overlay.text()
    assert w.session.pages_printed == 0
    w.shutdown()
    w.close()
    again = make_window(cfg=cfg)  # the kiosk restarted (the same state folder)
    again.printing.make_printer = lambda: pdf_printer(tmp_path / "out.pdf")  # type: ignore[method-assign]
    again.open_fiche("msp")
    click(qtbot, again.bar.print_button)
    assert again.info_overlay.title.text() == "Impression impossible"
    assert "Aujourd’hui, on peut encore imprimer 1 page." in again.info_overlay.text()
    again.printing.quota.ledger.add(1)  # the day's last page, printed by another visit
    click(qtbot, again.info_overlay.ok_button)
    click(qtbot, again.bar.print_button)
    assert "Toutes les pages permises aujourd’hui sont imprimées." in again.info_overlay.text()


def test_no_printer_gives_a_plain_message(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(printing=True))
    w.printing.make_printer = lambda: None  # type: ignore[method-assign]
    w.open_fiche("msp")
    click(qtbot, w.bar.print_button)
    assert w.info_overlay.title.text() == "L’imprimante ne marche pas"


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))  # type: ignore[union-attr]


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


# --- Read aloud --------------------------------------------------------------------------


def test_listen_button_hidden_without_a_speech_engine(qtbot, make_window, monkeypatch) -> None:
    """Without the optional QtTextToSpeech module (the « speech » extra not installed)."""
    monkeypatch.setattr(speech, "speech_module_present", lambda: False)
    w = make_window()
    w.open_fiche("msp")
    assert w.speech is not None
    qtbot.waitUntil(lambda: w.speech.reason != "pas encore démarrée", timeout=5000)
    assert not w.speech.available and "QtTextToSpeech absent" in w.speech.reason
    assert not w.bar.listen_button.isVisible()
    assert "Les professionnels libéraux sont des travailleurs indépendants." in w.read_aloud_text()


def test_listen_reads_the_falc_text_with_the_mock_engine(qtbot, make_window) -> None:
    assert speech.speech_module_present()  # the dev extra installs PySide6-Addons: absent is a failure

    w = make_window(speech_engine="mock")
    qtbot.waitUntil(lambda: w.speech.available, timeout=5000)
    w.open_fiche("msp")
    assert w.bar.listen_button.isVisible()
    click(qtbot, w.bar.listen_button)
    qtbot.waitUntil(lambda: w.bar.listen_button.text() == "Arrêter", timeout=5000)
    click(qtbot, w.bar.listen_button)
    qtbot.waitUntil(lambda: w.bar.listen_button.text() == "Écouter", timeout=5000)


@pytest.mark.skipif(sys.platform == "win32", reason="stops the engine with SIGSTOP: POSIX signals")
def test_a_stuck_speech_engine_never_blocks_the_kiosk_and_is_said_on_screen(qtbot, make_window) -> None:
    """The engine's process stopped dead (SIGSTOP: a wedged speech-dispatcher blocks it the same
    way): « Écouter » asks it to read, the window goes on answering, and once the engine misses
    its deadline « Écouter » is gone and the screen says so."""
    import os
    import signal

    w = make_window(speech_engine="mock")
    qtbot.waitUntil(lambda: w.speech.available, timeout=10_000)
    w.open_fiche("msp")
    engine = w.speech._process.processId()
    os.kill(engine, signal.SIGSTOP)
    try:
        click(qtbot, w.bar.listen_button)
        zoom = w.session.zoom
        click(qtbot, w.bar.zoom_in_button)  # the window answers at once, engine or not
        assert w.session.zoom > zoom
        qtbot.waitUntil(lambda: w.info_overlay.isVisible(), timeout=speech.COMMAND_DEADLINE_MS + 3000)
        shown = [label.text() for label in w.info_overlay.lines]
        assert w.info_overlay.title.text() == "Écouter ne marche pas"
        assert shown == speech.STUCK_LINES
        assert not w.bar.listen_button.isVisible() and not w.speech.available and w.speech.stuck
        click(qtbot, w.bar.home_button)
        assert w.current_fiche is None
    finally:
        try:
            os.kill(engine, signal.SIGCONT)
        except ProcessLookupError:
            pass  # killed at its deadline, as it should be


def test_read_aloud_can_be_turned_off(qtbot, make_window) -> None:
    w = make_window(cfg=config.KioskConfig(read_aloud=False))
    assert w.speech is None and not w.bar.listen_button.isVisible()


# --- Configuration, start-up, failures ---------------------------------------------------


def test_config_errors_give_safe_defaults_with_a_warning(qtbot, make_window, tmp_path: Path, caplog) -> None:
    broken = tmp_path / "kiosk.toml"
    broken.write_text("idle_timeout_seconds = \nprinting = [", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="fiche_desktop.kiosk"):
        cfg = kiosk.load_config(broken)
        missing = kiosk.load_config(tmp_path / "absent.toml")
    assert cfg == config.KioskConfig() and missing == config.KioskConfig()
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "TOML invalide" in messages and "fichier absent" in messages
    assert "sortie administrateur est impossible" in messages
    w = make_window(cfg=cfg)  # still locked down
    assert w.close() is False and not w.bar.print_button.isVisible()


def test_wrong_values_are_replaced_one_by_one(tmp_path: Path, caplog) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('idle_timeout_seconds = 1\nprinting = "oui"\nwarning_seconds = 5\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="fiche_desktop.kiosk"):
        cfg = kiosk.load_config(path)
    assert (cfg.idle_timeout_seconds, cfg.printing, cfg.warning_seconds) == (120, False, 5)
    assert "idle_timeout_seconds hors limites" in caplog.text and "« printing »" in caplog.text


def test_unusable_database_exits_1_with_a_french_message(
    qtbot, tmp_path: Path, monkeypatch, capsys, kiosk_logging
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(app, "show_fatal_error", lambda message, timeout_ms=0: shown.append(message))
    status = app.main(["--kiosk", "--db", str(tmp_path / "absent.db"), "--config", str(tmp_path / "k.toml")])
    assert status == ExitCode.ERROR
    assert shown and shown[0].startswith("Base de données introuvable")
    assert "Base de données introuvable" in capsys.readouterr().err  # in the log too


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_ends_the_kiosk_with_a_non_zero_status(qapp, safety_net) -> None:
    def boom() -> None:
        raise RuntimeError("boom")

    with app.CrashGuard(qapp, fatal=True) as guard:
        QTimer.singleShot(0, boom)
        safety_net(3000, 0)  # the test must not hang
        status = qapp.exec()
    assert status == ExitCode.ERROR and guard.crashed


def test_thousands_of_inputs_do_not_wear_out_python(qtbot, make_window) -> None:
    """A kiosk gets thousands of inputs a day. PySide6 6.12.0 lost a reference to True per Python-side
    Signal.emit() and aborted the interpreter after a few thousand ("bool_dealloc"): the pin must not."""
    import sys

    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QMouseEvent

    w = make_window()
    before = sys.getrefcount(True)
    for i in range(5000):
        pos = QPointF(100 + 40 * (i % 2), 100)
        move = QMouseEvent(
            QMouseEvent.Type.MouseMove,
            pos,
            w.mapToGlobal(pos),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(w, move)
    assert abs(sys.getrefcount(True) - before) < 100


def test_a_new_message_replaces_the_previous_one_on_screen(qtbot, make_window) -> None:
    w = make_window()
    w.show_term("ACI")
    first = list(w.info_overlay.lines)
    w.info_overlay.show_message("Impression impossible", ["Cette fiche a 6 pages."])
    shown = [
        label.text() for label in w.info_overlay.card.findChildren(type(w.info_overlay.title)) if label.isVisible()
    ]
    assert shown == ["Impression impossible", "Cette fiche a 6 pages."]
    assert all(not label.isVisible() for label in first)


def test_listen_is_offered_only_with_an_audio_output(qtbot, make_window) -> None:
    """Without a sound output (the tests have no sound server: tests/conftest.py) « Écouter » never
    shows with the system's engine; the mock engine, which needs none, shows it (tests above)."""
    w = make_window()  # the system's default engine
    qtbot.waitUntil(lambda: w.speech.reason != "pas encore démarrée", timeout=10_000)
    from PySide6.QtMultimedia import QMediaDevices  # once the service has quietened QtMultimedia

    assert not QMediaDevices.audioOutputs()
    w.open_fiche("msp")
    assert not w.speech.available and "sortie audio" in w.speech.reason
    assert not w.bar.listen_button.isVisible()


def test_run_kiosk_returns_0_when_the_admin_leaves(qtbot, tmp_path: Path, kiosk_logging, safety_net) -> None:
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(f'admin_pin_hash = "{FAST_HASH}"\n', encoding="utf-8")

    def admin() -> None:
        w = running_kiosk()
        assert w.isFullScreen() and w.geometry() == w.screen().geometry()
        assert w.attract.isVisible()  # the kiosk starts idle
        tap_corner(qtbot, w)
        enter_pin(qtbot, w, PIN)

    QTimer.singleShot(300, admin)
    safety_net(15_000, 99)
    assert app.main(["--kiosk", "--config", str(config_file)]) == ExitCode.OK


@pytest.mark.qt_no_exception_capture
def test_run_kiosk_exits_non_zero_after_an_unexpected_error(qtbot, tmp_path: Path, kiosk_logging, safety_net) -> None:
    def break_it() -> None:
        running_kiosk()
        raise RuntimeError("boom")

    QTimer.singleShot(300, break_it)
    safety_net(15_000, 99)
    assert app.main(["--kiosk", "--config", str(tmp_path / "absent.toml")]) == ExitCode.ERROR


@pytest.mark.skipif(sys.platform == "win32", reason="reads the printed PDF with poppler's pdfinfo (Debian package)")
def test_printing_paints_the_typst_pages_of_the_fiche(qtbot, make_window, tmp_path: Path) -> None:
    w = make_window(cfg=config.KioskConfig(printing=True))
    w.open_fiche("msp")
    w.set_version(TextVersion.STANDARD)  # the professional fiche: more pages than the handout
    out = tmp_path / "msp.pdf"
    expected = printing.fiches_document(w.db, ["msp"], w.version).page_count
    fiche = w.current_fiche
    assert fiche is not None and w.printing.count_pages(fiche, w.version) == expected
    assert w.printing.print_on(pdf_printer(out), fiche, w.version) == expected == pdf_pages(out)
