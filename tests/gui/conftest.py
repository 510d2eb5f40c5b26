"""Fixtures of the tests that drive real windows."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


@pytest.fixture(scope="session", autouse=True)
def _french_qt(qapp):
    """Qt's French catalogue, as the application installs it (dialogs, shortcut names)."""
    from fiche_desktop.app import install_french_translations

    assert install_french_translations(qapp)


@pytest.fixture
def window_size() -> tuple[int, int] | None:
    """The desk window's size in `window`; a module that needs one overrides this fixture."""
    return None


@pytest.fixture
def window(qtbot, real_db, window_size: tuple[int, int] | None):
    """The desk window on the real content, with the settings a first start loads (saved into the
    test's throwaway profile), shown; its export dialog and itself closed after the test."""
    from fiche_desktop import config
    from fiche_desktop.views.main_window import MainWindow

    settings, _ = config.load_settings()
    w = MainWindow(real_db, settings, search_delay_ms=20)
    qtbot.addWidget(w)
    if window_size is not None:
        w.resize(*window_size)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if w.export_dialog is not None:
        w.export_dialog.close()
    w.close()


@pytest.fixture
def kiosk_logging():
    """run_kiosk sets up the kiosk's log handler: take it away after the test."""
    logger = logging.getLogger("fiche_desktop")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)
    if hasattr(logger, "_kiosk_handler"):
        del logger._kiosk_handler


@pytest.fixture
def safety_net():
    """arm(ms, status) ends a hung event loop after ms. The timers stop with the test: a safety net
    left pending would call exit() in the middle of a later test (and stall its timers)."""
    timers: list[QTimer] = []

    def arm(ms: int, status: int) -> None:
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: QApplication.exit(status))
        timer.start(ms)
        timers.append(timer)

    yield arm
    for timer in timers:
        timer.stop()
