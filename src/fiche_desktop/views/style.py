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
    QToolButton:disabled {{ color: {p.disabled}; }}
    QToolButton:focus, QPushButton:focus, QLineEdit:focus, QListView:focus, QListWidget:focus,
    QTextBrowser:focus, QTableView:focus, QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {p.focus}; }}
    QPushButton {{ border: 1px solid {p.border}; background: {p.background}; }}
    QPushButton:hover {{ background: {p.hover}; }}
    QPushButton:disabled {{ color: {p.disabled}; border-style: dashed; }}
    QPushButton:checked {{ background: {p.accent}; color: {p.on_accent}; border-color: {p.accent}; }}
    QPushButton:checked:focus, QToolButton:checked:focus {{ border: 3px solid {p.focus_on_accent}; }}
    QScrollArea {{ border: 2px solid transparent; }}
    QScrollArea:focus {{ border-color: {p.focus}; }}
    QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 4px; padding: 2px; spacing: 8px; }}
    QCheckBox::indicator, QRadioButton::indicator, QAbstractItemView::indicator {{ width: {int(pt * 1.2)}px;
        height: {int(pt * 1.2)}px; border: 2px solid {p.frame}; background: {p.background}; padding: 2px; }}
    QRadioButton::indicator {{ border-radius: {int(pt * 0.6) + 2}px; }}
    QCheckBox::indicator:checked, QRadioButton::indicator:checked, QAbstractItemView::indicator:checked {{
        background: {p.accent}; background-clip: content; }}
    QRadioButton::indicator:checked {{ background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5,
        fy: 0.5, stop: 0 {p.accent}, stop: 0.6 {p.accent}, stop: 0.65 {p.background}, stop: 1 {p.background});
        background-clip: border; }}
    QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{ border-style: dashed; }}
    QCheckBox:disabled, QRadioButton:disabled, QLabel:disabled {{ color: {p.disabled}; }}
    QMenu, QToolTip {{ border: 1px solid {p.frame}; }}
    QToolTip {{ background: {p.background}; color: {p.ink}; }}
    QMenu::item:disabled {{ color: {p.disabled}; }}
    QMenu::separator {{ height: 1px; background: {p.frame}; margin: 4px 8px; }}
    QLabel#errorText, QLabel[error="true"] {{ color: {p.error}; font-weight: bold; }}
    QLabel#focusableLabel {{ border: 2px solid transparent; }}
    QLabel#focusableLabel:focus {{ border-color: {p.focus}; }}
    QPushButton#versionLeft, QPushButton#versionRight {{ font-weight: bold; padding: {pad // 2}px {pad + 4}px; }}
    QPushButton#versionLeft {{ border-top-right-radius: 0px; border-bottom-right-radius: 0px; }}
    QPushButton#versionRight {{ border-top-left-radius: 0px; border-bottom-left-radius: 0px; border-left: none; }}
    QLineEdit {{ padding: {pad // 2}px; border: 1px solid {p.border}; border-radius: 4px;
        min-height: {target // 2}px; placeholder-text-color: {p.muted}; }}
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


def kiosk_chrome_sheet(pt: float, palette: Palette = STANDARD) -> str:
    """The kiosk window's own sheet at its chrome size pt: the overlays, the keypad, the attract screen."""
    p = palette
    return f"""
        QWidget#kioskWindow {{ background: {p.background}; }}
        QFrame#overlayCard {{ background: {p.background}; border: 3px solid {p.accent}; border-radius: 28px; }}
        QLabel#overlayTitle {{ color: {p.accent}; font-size: {pt * 2.1:.1f}pt; font-weight: bold; }}
        QLabel#overlayText {{ color: {p.ink}; font-size: {pt * 1.45:.1f}pt; }}
        QLabel#overlayMuted {{ color: {p.muted}; font-size: {pt * 1.0:.1f}pt; }}
        QLabel#countdownNumber {{ color: {p.accent}; font-size: {pt * 3.6:.1f}pt; font-weight: bold; }}
        QLabel#pinDots {{ color: {p.ink}; font-size: {pt * 2.4:.1f}pt; }}
        QLabel#pinMessage {{ color: {p.ink}; font-size: {pt * 1.2:.1f}pt; }}
        QPushButton#primaryButton {{ background: {p.accent}; color: {p.on_accent}; font-size: {pt * 1.8:.1f}pt;
            font-weight: bold; border: none; border-radius: 18px; padding: 16px 64px; min-height: 88px; }}
        QPushButton#primaryButton:pressed {{ background: {p.accent_pressed}; }}
        QPushButton#secondaryButton {{ background: {p.background}; color: {p.accent}; font-size: {pt * 1.4:.1f}pt;
            font-weight: bold; border: 3px solid {p.accent}; border-radius: 16px; padding: 12px 48px;
            min-height: 72px; }}
        QPushButton#keypadButton {{ background: {p.background}; color: {p.ink}; font-weight: bold;
            border: 2px solid {p.border}; border-radius: 16px; padding: 0px; }}
        QPushButton#keypadButton:pressed {{ background: {p.selected}; }}
        QPushButton#keypadButton:disabled {{ color: {p.disabled}; border-color: {p.disabled_border}; }}
        QLabel#attractTitle {{ color: {p.accent}; font-size: {pt * 4.2:.1f}pt; font-weight: bold; }}
        QLabel#attractText {{ color: {p.ink}; font-size: {pt * 2.0:.1f}pt; }}
        """


def kiosk_content_sheet(pt: float, label_pt: float, palette: Palette = STANDARD) -> str:
    """The kiosk's pages at text size pt (the desk's sheet for touch, wide scroll bars); the
    contents list and the line over the fiche at label_pt."""
    p, lpt = palette, label_pt
    return (
        style_sheet(pt, kiosk=True, palette=p)
        + f"""
        QScrollBar:vertical {{ width: 40px; background: {p.scroll_bg}; margin: 0px; border: none; }}
        QScrollBar::handle:vertical {{ background: {p.scroll_handle}; min-height: 110px; border-radius: 12px;
            margin: 5px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; border: none; }}
        QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
        QScrollBar:horizontal {{ height: 0px; }}
        QListWidget {{ background: {p.bar}; border: none; border-right: 1px solid {p.rule};
            font-size: {lpt:.1f}pt; padding: 0px 4px 0px 12px; }}
        QListWidget::item {{ padding: 14px 0px; }}
        QTextBrowser {{ border: none; background: {p.background}; }}
        QFrame#card {{ border: 2px solid {p.border}; border-radius: 14px; }}
        QFrame#card:hover, QFrame#card:focus {{ border: 3px solid {p.accent}; }}
        QLabel#muted {{ color: {p.muted}; }}
        QLabel#homeHint {{ color: {p.ink}; font-size: {pt * 1.3:.1f}pt; font-weight: bold; }}
        QLabel#kioskHeading {{ color: {p.accent}; font-size: {lpt * 1.1:.1f}pt; font-weight: bold; padding: 4px 8px; }}
        QLabel#cardTitle {{ font-size: {pt * 1.15:.1f}pt; }}
        QLabel#termHint {{ color: {p.ink}; font-size: {lpt:.1f}pt; padding: 4px 12px; }}
        """
    )


def kiosk_bar_sheet(pt: float, padding: int, palette: Palette = STANDARD) -> str:
    """The kiosk's top bar at text size pt, with padding px inside each button (the bar's layout picks it)."""
    p, pad = palette, padding
    return f"""
        QFrame#kioskBar {{ background: {p.bar}; border-bottom: 2px solid {p.rule}; }}
        QFrame#kioskBar QPushButton {{ font-size: {pt * 1.15:.1f}pt; font-weight: bold; color: {p.ink};
            background: {p.background}; border: 2px solid {p.accent}; border-radius: 14px; padding: 8px {pad}px;
            min-height: {KIOSK_TARGET_PX}px; min-width: {KIOSK_TARGET_PX - 2 * pad - 4}px; }}
        QFrame#kioskBar QPushButton:pressed {{ background: {p.selected}; }}
        QFrame#kioskBar QPushButton:checked {{ background: {p.accent}; color: {p.on_accent}; }}
        QFrame#kioskBar QPushButton:disabled {{ color: {p.disabled}; border-color: {p.disabled_border};
            background: {p.bar}; }}
        QFrame#kioskBar QPushButton:focus, QFrame#kioskBar QPushButton:checked:focus {{
            border-color: {p.focus_on_accent}; }}
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
        (role.LinkVisited, p.accent),
    ):
        palette.setColor(r, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, r, QColor(p.disabled))
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
