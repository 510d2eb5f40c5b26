"""The kiosk's watchdog gives up on a window it cannot put back (issue 32): several
restorations in a row that do not hold end with failed(reason) and a journal line saying what
failed, never « rétablie » (tests/e2e/test_kiosk_comes_back.py: the kiosk then exits with 1)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

from fiche_desktop.gui import watchdog as wd


def test_restorations_that_do_not_hold_end_in_failure(qtbot, caplog) -> None:
    """A window system that ignores every request (here: putting back does nothing) leaves the
    window the wrong size: after 5 restorations over 4 s the watchdog gives up."""
    w = QWidget()
    qtbot.addWidget(w)
    w.setGeometry(10, 10, 300, 200)
    w.show()
    qtbot.waitExposed(w)
    dog = wd.WindowWatchdog(w, full_screen=lambda: None, target=lambda: QRect(0, 0, 800, 600))
    dog._grace.stop()
    failures: list[str] = []
    dog.failed.connect(failures.append)
    with caplog.at_level(logging.INFO, logger="fiche_desktop.kiosk"):
        dog.timer.start()  # the checks alone, as start() runs them (no start-up grace)
        qtbot.waitUntil(lambda: bool(failures), timeout=wd.GIVE_UP_MS + 3000)
    assert not dog.active and dog.restorations >= wd.GIVE_UP_RESTORATIONS
    assert wd.GEOMETRY in failures[0] and "remises en place" in failures[0]
    log = caplog.text
    assert "Fenêtre du kiosque perdue (toujours" in log and "le kiosque s’arrête pour être relancé" in log
    assert "rétablie" not in log
