"""Every text colour of every theme has a contrast of at least 7:1 on what it is drawn on, every focus
ring and control edge 3:1 on what surrounds it; and no colour is written outside the theme."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fiche_desktop.theme import THEMES, Palette, contrast_ratio, text_pairs, ui_pairs

SRC = Path(__file__).resolve().parents[2] / "src" / "fiche_desktop"
# A colour written in code: '#rgb' / '#rrggbb' (not a style sheet's QFrame#name), QColor("…") /
# QColor(r, g, b), Qt.GlobalColor.x (transparent is no colour), rgb(…) in a style sheet
COLOUR_LITERAL = re.compile(
    r"""(?<![\w&])#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b|QColor\(\s*["'\d]|GlobalColor\.(?!transparent)\w+|rgba?\("""
)


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


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_focus_ring_and_edge_has_a_contrast_of_at_least_3_to_1(name: str) -> None:
    pairs = ui_pairs(THEMES[name])
    low = [(what, round(contrast_ratio(fg, bg), 2)) for what, fg, bg in pairs if contrast_ratio(fg, bg) < 3]
    assert not low, f"thème {name} : {low}"


def test_every_text_colour_of_the_palette_is_in_a_declared_pair() -> None:
    """A colour added to the palette for text is checked: it appears in text_pairs."""
    surfaces = {"background", "bar", "border", "notice_bg", "erratum_bg", "hover", "selected", "mark_bg"}
    surfaces |= {"current_mark_bg", "diff_bg", "group_bg", "focus", "focus_on_accent", "frame", "name"}
    surfaces |= {"rule", "scroll_bg", "scroll_handle", "accent_pressed", "disabled_border", "attract_bg"}
    for p in THEMES.values():
        used = {fg for _, fg, _ in text_pairs(p)}
        for field in Palette._fields:
            if field not in surfaces:
                assert getattr(p, field) in used, f"{p.name}.{field}"


def test_no_colour_is_written_outside_the_theme() -> None:
    """The views, style sheets and HTML take every colour from theme.py's palettes."""
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "theme.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if COLOUR_LITERAL.search(line)
    ]
    assert not found, "\n".join(found)
