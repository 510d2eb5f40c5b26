"""Every text colour of every theme has a contrast of at least 7:1 on what it is drawn on."""

from __future__ import annotations

import pytest

from fiche_desktop.theme import THEMES, contrast_ratio, text_pairs


def test_contrast_ratio_matches_the_wcag_formula() -> None:
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48
    assert contrast_ratio("#123456", "#123456") == 1.0


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_text_has_a_contrast_of_at_least_7_to_1(name: str) -> None:
    low = [
        (what, round(contrast_ratio(fg, bg), 2))
        for what, fg, bg in text_pairs(THEMES[name])
        if contrast_ratio(fg, bg) < 7
    ]
    assert not low, f"thème {name} : {low}"
