"""The application's look: the desk's and the kiosk's style sheets at their text size, and Qt's palette,
in the theme's colours.

Qt is imported only by the functions that need it: Qt's palette and the system's contrast preference
come after the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fiche_desktop.theme import STANDARD, Palette

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette

BASE_PT = 11.0
KIOSK_BAR_BG = STANDARD.bar
KIOSK_TARGET_PX = 64  # the kiosk bar's touch targets: at least this tall and wide


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


def kiosk_chrome_sheet(pt: float) -> str:
    """The kiosk window's own sheet at its chrome size pt: the overlays, the keypad, the attract screen."""
    p = STANDARD
    return f"""
        QWidget#kioskWindow {{ background: {p.background}; }}
        QFrame#overlayCard {{ background: #ffffff; border: 3px solid {p.accent}; border-radius: 28px; }}
        QLabel#overlayTitle {{ color: {p.accent}; font-size: {pt * 2.1:.1f}pt; font-weight: bold; }}
        QLabel#overlayText {{ color: {p.ink}; font-size: {pt * 1.45:.1f}pt; }}
        QLabel#overlayMuted {{ color: {p.muted}; font-size: {pt * 1.0:.1f}pt; }}
        QLabel#countdownNumber {{ color: {p.accent}; font-size: {pt * 3.6:.1f}pt; font-weight: bold; }}
        QLabel#pinDots {{ color: {p.ink}; font-size: {pt * 2.4:.1f}pt; }}
        QLabel#pinMessage {{ color: {p.ink}; font-size: {pt * 1.2:.1f}pt; }}
        QPushButton#primaryButton {{ background: {p.accent}; color: #ffffff; font-size: {pt * 1.8:.1f}pt;
            font-weight: bold; border: none; border-radius: 18px; padding: 16px 64px; min-height: 88px; }}
        QPushButton#primaryButton:pressed {{ background: #082c50; }}
        QPushButton#secondaryButton {{ background: #ffffff; color: {p.accent}; font-size: {pt * 1.4:.1f}pt;
            font-weight: bold; border: 3px solid {p.accent}; border-radius: 16px; padding: 12px 48px;
            min-height: 72px; }}
        QPushButton#keypadButton {{ background: #ffffff; color: {p.ink}; font-weight: bold;
            border: 2px solid #8aa0b8; border-radius: 16px; padding: 0px; }}
        QPushButton#keypadButton:pressed {{ background: #dbe7f3; }}
        QPushButton#keypadButton:disabled {{ color: #9a9a9a; border-color: #d0d7df; }}
        QLabel#attractTitle {{ color: {p.accent}; font-size: {pt * 4.2:.1f}pt; font-weight: bold; }}
        QLabel#attractText {{ color: {p.ink}; font-size: {pt * 2.0:.1f}pt; }}
        """


def kiosk_content_sheet(pt: float, label_pt: float) -> str:
    """The kiosk's pages at text size pt (the desk's sheet for touch, wide scroll bars); the
    contents list and the line over the fiche at label_pt."""
    p, lpt = STANDARD, label_pt
    return (
        style_sheet(pt, kiosk=True)
        + f"""
        QScrollBar:vertical {{ width: 40px; background: #eef2f6; margin: 0px; border: none; }}
        QScrollBar::handle:vertical {{ background: #7f94ab; min-height: 110px; border-radius: 12px; margin: 5px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; border: none; }}
        QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
        QScrollBar:horizontal {{ height: 0px; }}
        QListWidget {{ background: {KIOSK_BAR_BG}; border: none; border-right: 1px solid #c9d3de;
            font-size: {lpt:.1f}pt; padding: 0px 4px 0px 12px; }}
        QListWidget::item {{ padding: 14px 0px; }}
        QTextBrowser {{ border: none; background: #ffffff; }}
        QFrame#card {{ border: 2px solid #8aa0b8; border-radius: 14px; }}
        QFrame#card:hover, QFrame#card:focus {{ border: 3px solid {p.accent}; }}
        QLabel#muted {{ color: {p.muted}; }}
        QLabel#homeHint {{ color: {p.ink}; font-size: {pt * 1.3:.1f}pt; font-weight: bold; }}
        QLabel#kioskHeading {{ color: {p.accent}; font-size: {lpt * 1.1:.1f}pt; font-weight: bold; padding: 4px 8px; }}
        QLabel#cardTitle {{ font-size: {pt * 1.15:.1f}pt; }}
        QLabel#termHint {{ color: {p.ink}; font-size: {lpt:.1f}pt; padding: 4px 12px; }}
        """
    )


def kiosk_bar_sheet(pt: float, padding: int) -> str:
    """The kiosk's top bar at text size pt, with padding px inside each button (the bar's layout picks it)."""
    p, pad = STANDARD, padding
    return f"""
        QFrame#kioskBar {{ background: {KIOSK_BAR_BG}; border-bottom: 2px solid #c9d3de; }}
        QFrame#kioskBar QPushButton {{ font-size: {pt * 1.15:.1f}pt; font-weight: bold; color: {p.ink};
            background: #ffffff; border: 2px solid {p.accent}; border-radius: 14px; padding: 8px {pad}px;
            min-height: {KIOSK_TARGET_PX}px; min-width: {KIOSK_TARGET_PX - 2 * pad - 4}px; }}
        QFrame#kioskBar QPushButton:pressed {{ background: #dbe7f3; }}
        QFrame#kioskBar QPushButton:checked {{ background: {p.accent}; color: #ffffff; }}
        QFrame#kioskBar QPushButton:disabled {{ color: #6b6b6b; border-color: #b8c4d2; background: {KIOSK_BAR_BG}; }}
        QFrame#kioskBar QPushButton#versionLeft {{ border-top-right-radius: 0px; border-bottom-right-radius: 0px; }}
        QFrame#kioskBar QPushButton#versionRight {{ border-top-left-radius: 0px; border-bottom-left-radius: 0px;
            border-left: none; }}
        QFrame#kioskBar QPushButton#zoomSmall {{ font-size: {pt * 1.0:.1f}pt; min-width: {max(40, 88 - 2 * pad)}px; }}
        QFrame#kioskBar QPushButton#zoomBig {{ font-size: {pt * 1.5:.1f}pt; min-width: {max(40, 88 - 2 * pad)}px; }}
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
