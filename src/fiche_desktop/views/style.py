"""The application's style sheet, scaled with the zoom level."""

from __future__ import annotations

from fiche_desktop.theme import ACCENT, INK, MUTED, NOTICE_BG

BASE_PT = 11.0


def style_sheet(pt: float, kiosk: bool = False) -> str:
    """Qt style sheet for the whole window at base point size pt."""
    pad = max(6, int(pt * 0.7))
    target = int(pt * (6 if kiosk else 3.6))  # touch targets: at least ~48 px in kiosk mode
    return f"""
    QWidget {{ color: {INK}; }}
    QMainWindow, QScrollArea, QStackedWidget > QWidget, QWidget#homePage {{ background: #ffffff; }}
    QToolBar {{ background: #f3f6fa; border-bottom: 1px solid #c9d3de; spacing: {pad}px; padding: {pad // 2}px; }}
    QToolButton, QPushButton {{ padding: {pad // 2}px {pad}px; min-height: {target // 2}px; border-radius: 4px; }}
    QToolButton:focus, QPushButton:focus, QLineEdit:focus, QListView:focus, QTextBrowser:focus {{
        border: 2px solid {ACCENT}; }}
    QPushButton {{ border: 1px solid #8aa0b8; background: #ffffff; }}
    QPushButton:hover {{ background: #e8eef5; }}
    QPushButton:checked {{ background: {ACCENT}; color: #ffffff; border-color: {ACCENT}; }}
    QPushButton#versionButton {{ font-weight: bold; min-width: {int(pt * 6)}px; }}
    QLineEdit {{ padding: {pad // 2}px; border: 1px solid #8aa0b8; border-radius: 4px; min-height: {target // 2}px; }}
    QLabel#muted {{ color: {MUTED}; }}
    QLabel#pageTitle {{ color: {ACCENT}; font-size: {pt * 1.9:.1f}pt; font-weight: bold; }}
    QLabel#groupTitle {{ color: {ACCENT}; font-size: {pt * 1.4:.1f}pt; font-weight: bold; }}
    QFrame#pivot {{ background: {NOTICE_BG}; border-radius: 6px; }}
    QFrame#card {{ background: #ffffff; border: 1px solid #b8c4d2; border-radius: 8px; }}
    QFrame#card:hover {{ background: #f1f6fb; border-color: {ACCENT}; }}
    QFrame#card:focus {{ border: 3px solid {ACCENT}; background: #f1f6fb; }}
    QLabel#cardHeading {{ color: {ACCENT}; font-size: {pt * 1.6:.1f}pt; font-weight: bold; }}
    QLabel#cardTitle {{ font-weight: bold; }}
    QListWidget, QListView {{ border: 1px solid #c9d3de; }}
    QListWidget::item {{ padding: {pad // 2}px; }}
    QListWidget::item:selected, QListView::item:selected {{ background: #dbe7f3; color: {INK}; }}
    """
