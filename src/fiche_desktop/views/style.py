"""The application's look: the style sheet at the zoom level and Qt's palette, in the theme's colours.

Qt is imported only by the functions that need it: Qt's palette and the system's contrast preference
come after the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fiche_desktop.theme import STANDARD, Palette

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette

BASE_PT = 11.0


def style_sheet(pt: float, kiosk: bool = False, palette: Palette = STANDARD) -> str:
    """Qt style sheet for the whole window at base point size pt."""
    p = palette
    pad = max(6, int(pt * 0.7))
    target = int(pt * (6 if kiosk else 3.6))  # touch targets: at least ~48 px in kiosk mode
    return f"""
    QWidget {{ color: {p.ink}; }}
    QMainWindow, QScrollArea, QStackedWidget > QWidget, QWidget#homePage, QWidget#page,
    QTextBrowser, QListView, QListWidget, QTableView, QLineEdit, QDialog, QMenu {{ background: {p.background}; }}
    QWidget#topBar, QMenuBar, QStatusBar {{ background: {p.bar}; }}
    QWidget#topBar {{ border-bottom: 1px solid {p.border}; }}
    QToolButton, QPushButton {{ padding: {pad // 2}px {pad}px; min-height: {target // 2}px; border-radius: 4px; }}
    QToolButton {{ border: 1px solid transparent; background: {p.bar}; }}
    QToolButton:hover {{ border-color: {p.border}; background: {p.hover}; }}
    QToolButton:disabled {{ color: {p.muted}; }}
    QToolButton:focus, QPushButton:focus, QLineEdit:focus, QListView:focus, QListWidget:focus,
    QTextBrowser:focus, QTableView:focus {{ border: 2px solid {p.accent}; }}
    QPushButton {{ border: 1px solid {p.border}; background: {p.background}; }}
    QPushButton:hover {{ background: {p.hover}; }}
    QPushButton:disabled {{ color: {p.muted}; border-style: dashed; }}
    QPushButton:checked {{ background: {p.accent}; color: {p.on_accent}; border-color: {p.accent}; }}
    QPushButton#versionLeft, QPushButton#versionRight {{ font-weight: bold; padding: {pad // 2}px {pad + 4}px; }}
    QPushButton#versionLeft {{ border-top-right-radius: 0px; border-bottom-right-radius: 0px; }}
    QPushButton#versionRight {{ border-top-left-radius: 0px; border-bottom-left-radius: 0px; border-left: none; }}
    QLineEdit {{ padding: {pad // 2}px; border: 1px solid {p.border}; border-radius: 4px;
        min-height: {target // 2}px; }}
    QLabel#muted {{ color: {p.muted}; }}
    QLabel#pageTitle {{ color: {p.accent}; font-size: {pt * 1.9:.1f}pt; font-weight: bold; }}
    QLabel#groupTitle {{ color: {p.accent}; font-size: {pt * 1.4:.1f}pt; font-weight: bold; }}
    QFrame#pivot {{ background: {p.notice_bg}; border-radius: 6px; border: 1px solid {p.border}; }}
    QFrame#card {{ background: {p.background}; border: 1px solid {p.border}; border-radius: 8px; }}
    QFrame#card:hover {{ background: {p.hover}; border-color: {p.accent}; }}
    QFrame#card:focus {{ border: 3px solid {p.accent}; background: {p.hover}; }}
    QLabel#cardHeading {{ color: {p.accent}; font-size: {pt * 1.6:.1f}pt; font-weight: bold; }}
    QLabel#cardTitle, QLabel#clauseTitle {{ font-weight: bold; }}
    QFrame#termPopup {{ background: {p.background}; border: 2px solid {p.accent}; }}
    QLabel#popupTitle {{ color: {p.accent}; font-weight: bold; font-size: {pt * 1.2:.1f}pt; }}
    QListWidget, QListView {{ border: 1px solid {p.border}; }}
    QListWidget::item {{ padding: {pad // 2}px; }}
    QListWidget::item:selected, QListView::item:selected {{ background: {p.selected}; color: {p.ink}; }}
    QMenu::item:selected, QMenuBar::item:selected {{ background: {p.selected}; color: {p.ink}; }}
    """


def qt_palette(p: Palette) -> QPalette:
    """Qt's palette in the theme's colours, for what the style sheet does not reach:
    placeholders, selections, scroll bars."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    role = QPalette.ColorRole
    for r, colour in (
        (role.Window, p.background),
        (role.WindowText, p.ink),
        (role.Base, p.background),
        (role.AlternateBase, p.bar),
        (role.Text, p.ink),
        (role.Button, p.bar),
        (role.ButtonText, p.ink),
        (role.Highlight, p.accent),
        (role.HighlightedText, p.on_accent),
        (role.PlaceholderText, p.muted),
        (role.ToolTipBase, p.background),
        (role.ToolTipText, p.ink),
        (role.Link, p.accent),
    ):
        palette.setColor(r, QColor(colour))
    return palette


def system_wants_contrast() -> bool:
    """True when the system asks for high contrast (Qt 6.10's accessibility hints)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    style_hints = QGuiApplication.styleHints()  # kept: the accessibility hints belong to it
    try:
        preference = style_hints.accessibility().contrastPreference()
    except RuntimeError:  # WORKAROUND: PySide6 can drop the hints' wrapper between two calls
        return False
    return bool(preference == Qt.ContrastPreference.HighContrast)
