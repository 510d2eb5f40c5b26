"""The application's colours, shared by the screen's HTML (render.py) and the Qt style sheets. No Qt.

Two themes: the standard one (dark text on white) and a high-contrast one (white and yellow on
black). Every text colour is chosen for a contrast of at least 7:1 (WCAG AAA) on the background
it is drawn on; tests/unit/test_theme.py computes them. (No `from __future__ import
annotations`: typing.NamedTuple would compile each field's string annotation at start-up.)
"""

from typing import NamedTuple


class Palette(NamedTuple):
    name: str
    ink: str  # body text
    muted: str  # secondary text (sources, dates)
    accent: str  # headings, links, checked buttons
    on_accent: str  # text on an accent background
    background: str  # pages
    bar: str  # the top bar, side panels
    border: str  # card and field borders (not text)
    notice_bg: str  # the pivot box, highlighted snippets
    erratum_bg: str  # errata notes
    hover: str  # hovered cards and buttons
    selected: str  # selected list rows, the contents' current entry


STANDARD = Palette(
    name="standard",
    ink="#1b1b1b",
    muted="#454545",
    accent="#0b3d6e",
    on_accent="#ffffff",
    background="#ffffff",
    bar="#f3f6fa",
    border="#8aa0b8",
    notice_bg="#fff4d6",
    erratum_bg="#eef3f8",
    hover="#e8eef5",
    selected="#dbe7f3",
)

CONTRAST = Palette(
    name="contrast",
    ink="#ffffff",
    muted="#e6e6e6",
    accent="#ffd400",
    on_accent="#000000",
    background="#000000",
    bar="#000000",
    border="#ffffff",
    notice_bg="#1a1a1a",
    erratum_bg="#1a1a1a",
    hover="#333333",
    selected="#333333",
)

THEMES = {p.name: p for p in (STANDARD, CONTRAST)}

# The standard palette's names, kept for the modules that draw in it only (the kiosk, print).
INK = STANDARD.ink
MUTED = STANDARD.muted
ACCENT = STANDARD.accent
NOTICE_BG = STANDARD.notice_bg
ERRATUM_BG = STANDARD.erratum_bg


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_pairs(p: Palette) -> list[tuple[str, str, str]]:
    """Every (what, text colour, background) pair the application draws text with."""
    return [
        ("texte", p.ink, p.background),
        ("texte secondaire", p.muted, p.background),
        ("titres et liens", p.accent, p.background),
        ("bouton choisi", p.on_accent, p.accent),
        ("barre", p.ink, p.bar),
        ("encadré", p.ink, p.notice_bg),
        ("erratum", p.muted, p.erratum_bg),
        ("survol", p.ink, p.hover),
        ("ligne choisie", p.ink, p.selected),
    ]
