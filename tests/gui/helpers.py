"""Helpers for the tests that drive real widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Types text, accents included (qtbot.keyClicks aborts on non-ASCII characters)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def running_kiosk() -> Any:
    """The kiosk window that app.main is running."""
    from fiche_desktop.views.kiosk_window import KioskWindow

    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow) and w.isVisible())
