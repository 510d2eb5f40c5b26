"""Registers the bundled fonts with Qt and hands out fonts with ligatures off."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from fiche_desktop import paths

FAMILY = "Andika"
_registered: list[str] = []


def register_fonts() -> str:
    """Registers resources/fonts/*.ttf once; returns the family to use everywhere."""
    if not _registered:
        for name in paths.FONT_FILES:
            ttf = paths.require(paths.fonts_dir() / name)
            font_id = QFontDatabase.addApplicationFont(str(ttf))
            if font_id >= 0:
                _registered.extend(QFontDatabase.applicationFontFamilies(font_id))
    return _registered[0] if _registered else FAMILY


def no_ligatures(font: QFont) -> QFont:
    """WORKAROUND: ligatures ('fi') break PDF text extraction; turn them off."""
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def app_font(point_size: float) -> QFont:
    font = QFont(register_fonts())
    font.setPointSizeF(point_size)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return no_ligatures(font)
