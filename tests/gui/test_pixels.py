"""The contrast measure of tests/gui/pixels.py on labels drawn in known colours."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from fiche_desktop.theme import contrast_ratio
from tests.gui.pixels import contrast_of_widget, dominant_colours


@pytest.mark.parametrize(("fg", "bg"), [("#1b1b1b", "#ffffff"), ("#ffffff", "#fff4d6"), ("#ffd400", "#000000")])
def test_a_label_measures_its_text_and_background_colours(qtbot, fg: str, bg: str) -> None:
    label = QLabel("Maison de santé pluriprofessionnelle")
    label.setStyleSheet(f"color: {fg}; background: {bg}; font-size: 14pt; padding: 6px;")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    assert dominant_colours(label.grab().toImage()) == (bg, fg)
    assert contrast_of_widget(label) == pytest.approx(contrast_ratio(fg, bg))


def test_a_region_without_text_measures_1(qtbot) -> None:
    label = QLabel("")
    label.setStyleSheet("background: #000000;")
    qtbot.addWidget(label)
    label.resize(50, 20)
    label.show()
    qtbot.waitExposed(label)
    assert contrast_of_widget(label) == 1.0
