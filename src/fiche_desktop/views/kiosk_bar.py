"""The kiosk's top bar: big touch buttons that always fit the screen's width.

The bar tries its layouts from the roomiest to the tightest (full labels, then shorter
padding, short labels, pictograms only with their accessible names, then a smaller font)
and keeps the first whose buttons all fit, labels whole. On the left, a dedicated zone for
the administrator's hidden gesture: no button is ever under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)

from fiche_desktop import paths
from fiche_desktop.content import TextVersion
from fiche_desktop.views import accessibility
from fiche_desktop.views.kiosk_overlays import pictogram
from fiche_desktop.views.style import kiosk_bar_sheet

# key: (full label, short label, pictogram-only label, pictogram)
LABELS: dict[str, tuple[str, str, str, str | None]] = {
    "home": ("Accueil", "Accueil", "", "home"),
    "standard": ("Standard", "Standard", "Standard", None),
    "falc": ("FALC – facile à lire", "FALC", "FALC", None),
    "zoom_out": ("A−", "A−", "A−", None),
    "zoom_in": ("A+", "A+", "A+", None),
    "listen": ("Écouter", "Écouter", "", "speaker"),
    "stop": ("Arrêter", "Arrêter", "", "stop"),
    "print": ("Imprimer cette fiche", "Imprimer", "", "printer"),
}
ACCESSIBLE = {
    "home": "Revenir à l’accueil",
    "standard": "Afficher le texte standard",
    "falc": "Afficher le texte facile à lire et à comprendre",
    "zoom_out": "Texte plus petit",
    "zoom_in": "Texte plus grand",
    "listen": "Écouter le texte à voix haute",
    "stop": "Arrêter la lecture",
    "print": "Imprimer cette fiche",
}


@dataclass(frozen=True)
class BarMode:
    labels: int  # 0 full, 1 short, 2 pictograms only (where there is one)
    padding: int  # horizontal padding inside a button, px
    gap: int  # the wider gaps between groups, px
    scale: float  # of the bar's font


MODES = (
    BarMode(0, 24, 24, 1.0),
    BarMode(0, 14, 16, 1.0),
    BarMode(1, 14, 16, 1.0),
    BarMode(1, 10, 8, 1.0),
    BarMode(2, 10, 8, 1.0),
    BarMode(2, 8, 6, 0.85),
    BarMode(2, 6, 4, 0.72),
)


class KioskBar(QFrame):
    """Accueil, Standard / FALC, A− / A+, Écouter, Imprimer; fit(width, pt) picks the layout."""

    def __init__(self, corner_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskBar")
        self.corner_px = corner_px
        self.mode = MODES[0]
        self.pt = 0.0
        self.listening = False
        self._key: tuple[BarMode, float, bool] | None = None
        self._layout = layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 14, 16, 14)
        layout.setSpacing(12)
        self.corner = QLabel()
        self.corner.setObjectName("adminCorner")
        self.corner.setFixedWidth(corner_px)
        self.corner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        logo = QPixmap(str(paths.icon_file()))
        if not logo.isNull():
            self.corner.setPixmap(
                logo.scaled(56, 56, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )
        layout.addWidget(self.corner)
        self.buttons: dict[str, QPushButton] = {}
        self.home_button = self._button("home")
        layout.addWidget(self.home_button)
        self._gaps = [QSpacerItem(0, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)]
        layout.addSpacerItem(self._gaps[0])
        self.version_group = QButtonGroup(self)
        self.version_group.setExclusive(True)
        self.standard_button = self._button("standard")
        self.standard_button.setObjectName("versionLeft")
        self.falc_button = self._button("falc")
        self.falc_button.setObjectName("versionRight")
        self._versions = versions = QHBoxLayout()
        versions.setSpacing(0)
        for b in (self.standard_button, self.falc_button):
            b.setCheckable(True)
            self.version_group.addButton(b)
            versions.addWidget(b)
        layout.addLayout(versions)
        layout.addStretch(1)
        self.zoom_out_button = self._button("zoom_out")
        self.zoom_out_button.setObjectName("zoomSmall")
        self.zoom_in_button = self._button("zoom_in")
        self.zoom_in_button.setObjectName("zoomBig")
        layout.addWidget(self.zoom_out_button)
        layout.addWidget(self.zoom_in_button)
        self._gaps.append(QSpacerItem(0, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))
        layout.addSpacerItem(self._gaps[1])
        self.listen_button = self._button("listen")
        self.listen_button.hide()
        layout.addWidget(self.listen_button)
        self.print_button = self._button("print")
        self.print_button.hide()
        layout.addWidget(self.print_button)
        self.setAccessibleName("Barre d’outils")
        accessibility.mark(self, "toolbar")
        accessibility.radio_pair([self.standard_button, self.falc_button])  # Tab: the one shown; arrows choose

    def show_version(self, version: TextVersion) -> None:
        """Checks FALC or Standard: the version on screen."""
        falc = version is TextVersion.FALC
        self.falc_button.setChecked(falc)
        self.standard_button.setChecked(not falc)

    def _button(self, key: str) -> QPushButton:
        b = QPushButton()
        b.setAccessibleName(ACCESSIBLE[key])
        b.setCursor(Qt.CursorShape.PointingHandCursor)
        b.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a touch never moves the focus (no ring under a finger)
        b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.buttons[key] = b
        return b

    def corner_rect(self) -> QRect:
        """The administrator's zone, in the bar's coordinates (its top-left corner)."""
        return QRect(0, 0, self.corner_px, self.height())

    def set_listening(self, listening: bool) -> None:
        self.listening = listening
        self.listen_button.setAccessibleName(ACCESSIBLE["stop" if listening else "listen"])
        self._key = None
        self._apply(self.mode, self.pt)

    # --- fitting

    def fit(self, width: int, pt: float) -> BarMode:
        """Applies the roomiest layout whose buttons fit in width at font size pt."""
        for mode in MODES:
            self._apply(mode, pt)
            if self.needed_width() <= width:
                return mode
        return self.mode

    def needed_width(self) -> int:
        """The width at which every button gets its size hint (its whole label and padding).

        Summed here from the buttons' own size hints: the layout's minimum is no use (the
        style sheet's min-width is an explicit minimum size, below which Qt would squeeze a
        button and clip its label), and its cached size hint lags behind a new style sheet."""
        margins = self._layout.contentsMargins()
        shown = [
            w for w in (self.corner, self.home_button, self.zoom_out_button, self.zoom_in_button) if not w.isHidden()
        ]
        shown += [w for w in (self.listen_button, self.print_button) if not w.isHidden()]
        versions = [b for b in (self.standard_button, self.falc_button) if not b.isHidden()]
        total = margins.left() + margins.right() + sum(gap.sizeHint().width() for gap in self._gaps)
        total += sum(max(w.sizeHint().width(), w.minimumWidth()) for w in shown)
        items = len(shown)
        if versions:
            total += sum(b.sizeHint().width() for b in versions) + self._versions.spacing() * (len(versions) - 1)
            items += 1
        return total + self._layout.spacing() * max(0, items - 1)

    def _apply(self, mode: BarMode, pt: float) -> None:
        key = (mode, round(pt, 2), self.listening)
        if key == self._key:
            return
        self._key = key
        self.mode, self.pt = mode, pt
        icon_px = max(28, int(44 * mode.scale))
        for name, b in self.buttons.items():
            label_key = "stop" if name == "listen" and self.listening else name
            full, short, bare, icon = LABELS[label_key]
            b.setText((full, short, bare)[mode.labels])
            if icon:
                b.setIcon(pictogram(icon))
                b.setIconSize(QSize(icon_px, icon_px))
        for gap in self._gaps:
            gap.changeSize(mode.gap, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        self._layout.invalidate()
        self._layout.setSpacing(max(4, mode.gap // 2 + 4))
        self.setStyleSheet(kiosk_bar_sheet(pt * mode.scale, mode.padding))
        for b in self.buttons.values():
            # The new padding now, not at the next event loop: needed_width() measures at once.
            QApplication.sendEvent(b, QEvent(QEvent.Type.StyleChange))
