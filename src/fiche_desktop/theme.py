"""The application's colours, shared by the screen's HTML (render.py) and Qt style sheets. No Qt.

Every text colour is chosen for a contrast of at least 7:1 on its background (WCAG AAA).
"""

from __future__ import annotations

INK = "#1b1b1b"
MUTED = "#454545"
ACCENT = "#0b3d6e"
NOTICE_BG = "#fff4d6"
ERRATUM_BG = "#eef3f8"
