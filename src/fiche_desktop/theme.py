"""The application's colours, shared by the screen's HTML (render.py) and the Qt style sheets. No Qt.

Two themes: the standard one (dark text on white) and a high-contrast one (white and yellow on
black). Every text colour is chosen for a contrast of at least 7:1 (WCAG AAA) on the background
it is drawn on, every focus ring and control edge 3:1 on what surrounds it; text_pairs() and
ui_pairs() declare them and tests/unit/test_theme.py computes them. No colour is written anywhere
else: the views, the style sheets and the screen's HTML draw from the palette. (No `from __future__ import
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
    notice_bg: str  # the pivot box
    erratum_bg: str  # errata notes
    hover: str  # hovered cards and buttons
    selected: str  # selected list rows, the contents' current entry
    mark_bg: str  # search hits and find-in-page matches (text in mark_ink)
    current_mark_bg: str  # the current find-in-page match (text in mark_ink)
    mark_ink: str  # text on a mark
    diff_bg: str  # the comparison's rows where the structures differ
    group_bg: str  # the comparison's folded group row
    error: str  # error messages
    focus: str  # the focus ring
    focus_on_accent: str  # the focus ring of a checked control (filled in accent, on the bar)
    disabled: str  # disabled text
    frame: str  # the edge of menus, popups and check boxes (at least 3:1 on what surrounds it)
    # The kiosk's own surfaces (it draws in the standard theme only)
    rule: str  # light separators
    scroll_bg: str  # the kiosk's wide scroll bar's groove
    scroll_handle: str  # and its handle
    accent_pressed: str  # a primary button while pressed
    disabled_border: str  # the edge of a disabled kiosk button
    attract_bg: str  # the attract screen


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
    mark_bg="#ffd84d",
    current_mark_bg="#ffb347",
    mark_ink="#1b1b1b",
    diff_bg="#fffaeb",
    group_bg="#eef3f8",
    error="#8a1c1c",
    focus="#0b3d6e",
    focus_on_accent="#eb5523",
    disabled="#505050",
    frame="#454545",
    rule="#c9d3de",
    scroll_bg="#eef2f6",
    scroll_handle="#7f94ab",
    accent_pressed="#082c50",
    disabled_border="#b8c4d2",
    attract_bg="#eaf2fb",
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
    mark_bg="#ffd400",
    current_mark_bg="#5ce1ff",
    mark_ink="#000000",
    diff_bg="#262626",
    group_bg="#1a1a1a",
    error="#ff8a80",
    focus="#ffd400",
    focus_on_accent="#2559f5",
    disabled="#c8c8c8",
    frame="#ffffff",
    rule="#ffffff",
    scroll_bg="#1a1a1a",
    scroll_handle="#e6e6e6",
    accent_pressed="#e6bf00",
    disabled_border="#c8c8c8",
    attract_bg="#000000",
)

THEMES = {p.name: p for p in (STANDARD, CONTRAST)}

# Colours that are no theme's: a QR code is black on white for the phone that scans it, and the veil
# behind a kiosk overlay is black (its opacity says how much it dims).
QR_DARK = "#000000"
QR_LIGHT = "#ffffff"
SCRIM = "#000000"

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
        ("ligne choisie, texte secondaire", p.muted, p.selected),
        ("lien dans un encadré", p.accent, p.notice_bg),
        ("lien dans un erratum ou une citation", p.accent, p.erratum_bg),
        ("mot trouvé", p.mark_ink, p.mark_bg),
        ("mot trouvé courant", p.mark_ink, p.current_mark_bg),
        ("sélection de texte", p.on_accent, p.accent),
        ("case différente", p.ink, p.diff_bg),
        ("case différente, renvoi [n]", p.muted, p.diff_bg),
        ("titre de groupe du tableau", p.accent, p.group_bg),
        ("erreur", p.error, p.background),
        ("texte désactivé", p.disabled, p.background),
        ("texte désactivé, barre", p.disabled, p.bar),
    ]


def ui_pairs(p: Palette) -> list[tuple[str, str, str]]:
    """Every (what, edge colour, what surrounds it) pair of the controls' edges and focus rings:
    WCAG asks 3:1 of them."""
    return [
        ("anneau de focus", p.focus, p.background),
        ("anneau de focus, barre", p.focus, p.bar),
        ("anneau de focus, survol", p.focus, p.hover),
        ("anneau de focus, ligne choisie", p.focus, p.selected),
        ("anneau de focus, case différente", p.focus, p.diff_bg),
        ("anneau de focus d’un bouton choisi, dedans", p.focus_on_accent, p.accent),
        ("anneau de focus d’un bouton choisi, barre", p.focus_on_accent, p.bar),
        ("anneau de focus d’un bouton choisi, fond", p.focus_on_accent, p.background),
        ("bord des menus et des cases à cocher", p.frame, p.background),
        ("bord des menus, barre", p.frame, p.bar),
    ]
