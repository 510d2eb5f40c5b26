"""Kiosk overlays: countdown, attract screen, QR code, messages, the admin exit's PIN keypad; drawn pictograms."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop.kiosk.pin import PIN_MAX_DIGITS, PinGuard
from fiche_desktop.presentation import qr_matrix
from fiche_desktop.theme import QR_DARK, QR_LIGHT, SCRIM, STANDARD
from fiche_desktop.views import accessibility

log = logging.getLogger("fiche_desktop.kiosk")

ATTRACT_BG = STANDARD.attract_bg
ATTRACT_TITLE = "Touchez l’écran"
ATTRACT_LINES = ("Découvrez les équipes de soins près de chez vous.", "Les textes sont faciles à lire.")
ATTRACT_LINES_STANDARD = (
    "Découvrez les équipes de soins près de chez vous.",
    "Les textes existent aussi en version facile à lire.",
)
ATTRACT_SPEECH_LINE = "Vous pouvez aussi écouter les textes."
QR_TITLE = "Scannez ce code avec votre téléphone"
QR_HINT = "Le lien s’ouvre sur votre téléphone."


# --- Drawn pictograms (no icon font, no emoji: the kiosk may have neither) ----------------


def pictogram(kind: str, color: str = STANDARD.ink, size: int = 64) -> QIcon:
    """A simple line pictogram: home, speaker, stop, printer."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(color), size * 0.08, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    s = float(size)
    if kind == "home":
        roof = QPainterPath(QPointF(0.1 * s, 0.52 * s))
        roof.lineTo(0.5 * s, 0.14 * s)
        roof.lineTo(0.9 * s, 0.52 * s)
        p.drawPath(roof)
        p.drawRect(QRectF(0.22 * s, 0.46 * s, 0.56 * s, 0.42 * s))
        p.drawRect(QRectF(0.43 * s, 0.62 * s, 0.14 * s, 0.26 * s))
    elif kind == "speaker":
        body = QPainterPath(QPointF(0.1 * s, 0.38 * s))
        for x, y in ((0.28, 0.38), (0.5, 0.18), (0.5, 0.82), (0.28, 0.62), (0.1, 0.62)):
            body.lineTo(x * s, y * s)
        body.closeSubpath()
        p.drawPath(body)
        for r in (0.16, 0.3):
            p.drawArc(QRectF((0.5 - r) * s, (0.5 - r) * s, 2 * r * s, 2 * r * s), -45 * 16, 90 * 16)
    elif kind == "stop":
        p.setBrush(QColor(color))
        p.drawRoundedRect(QRectF(0.24 * s, 0.24 * s, 0.52 * s, 0.52 * s), 0.06 * s, 0.06 * s)
    elif kind == "printer":
        p.drawRect(QRectF(0.28 * s, 0.1 * s, 0.44 * s, 0.26 * s))
        p.drawRoundedRect(QRectF(0.1 * s, 0.36 * s, 0.8 * s, 0.34 * s), 0.06 * s, 0.06 * s)
        p.setBrush(QColor(STANDARD.background))
        p.drawRect(QRectF(0.28 * s, 0.58 * s, 0.44 * s, 0.32 * s))
    p.end()
    return QIcon(pixmap)


# --- Overlays ---------------------------------------------------------------------------


MARGIN = 24


class Overlay(QWidget):
    """A layer over the whole window: a dimmed backdrop and a white card, centred below the
    top_reserve pixels of the bar (so the card never covers the administrator's zone).

    It takes every press, so nothing underneath reacts; tapped(outside_card) tells the owner."""

    tapped = Signal(bool)

    def __init__(self, parent: QWidget, width: int = 1100, dim: int = 165) -> None:
        super().__init__(parent)
        self.preferred_width = width
        self.dim = dim
        self.top_reserve = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.outer = outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.card = QFrame()
        self.card.setObjectName("overlayCard")
        row.addWidget(self.card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.body = QVBoxLayout(self.card)
        self.body.setContentsMargins(56, 44, 56, 44)
        self.body.setSpacing(22)
        self._press_outside: bool | None = None
        accessibility.mark(self, "dialog")
        self.hide()

    def spoken(self) -> str:
        """What a screen reader says when the overlay opens: its title and its lines."""
        labels = [w for w in self.card.findChildren(QLabel) if not w.isHidden() and w.text()]
        return " ".join(w.text().replace("\u200b", "") for w in labels)

    def available(self) -> QSize:
        """The room for the card: the window less the bar's height above and the margins."""
        parent = self.parentWidget()
        size = parent.size() if parent is not None else self.size()
        return QSize(size.width() - 2 * MARGIN, size.height() - self.top_reserve - 2 * MARGIN)

    def card_width(self) -> int:
        return min(self.preferred_width, max(320, self.available().width()))

    def place(self) -> None:
        """Covers the parent; the card as wide as it may be, below the bar."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.outer.setContentsMargins(MARGIN, self.top_reserve + MARGIN, MARGIN, MARGIN)
        self.card.setFixedWidth(self.card_width())

    def open(self) -> None:
        self.place()
        self.show()
        self.raise_()
        self.setFocus()
        title = getattr(self, "title", None)
        if isinstance(title, QLabel) and title.text():
            self.setAccessibleName(title.text())
        text = self.spoken()
        self.setAccessibleDescription(text)
        # The overlay takes the focus but a screen reader would only say its name: its words are
        # announced (« Votre fiche est imprimée », « Êtes-vous encore là ? … 30 secondes »).
        accessibility.announce(self, text, assertive=True)

    def dismiss(self) -> None:
        self.hide()

    def _tapped(self, outside: bool) -> None:
        if outside:
            self.dismiss()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        veil = QColor(SCRIM)
        veil.setAlpha(self.dim)
        painter.fillRect(self.rect(), veil)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_outside = not self.card.geometry().contains(event.position().toPoint())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press_outside is not None:
            self.tapped.emit(self._press_outside)
        self._press_outside = None
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.accept()

    def label(self, text: str, name: str = "overlayText") -> QLabel:
        lbl = QLabel(text)
        lbl.setObjectName(name)
        lbl.setWordWrap(True)
        lbl.setTextFormat(Qt.TextFormat.PlainText)
        return lbl

    def button(self, text: str, name: str = "primaryButton") -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setAccessibleName(text)
        b.setCursor(Qt.CursorShape.PointingHandCursor)
        return b


class CountdownOverlay(Overlay):
    """'Êtes-vous encore là ?' with the seconds left and a big 'Je suis là' button."""

    stay = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, width=1000)
        self.title = self.label("Êtes-vous encore là ?", "overlayTitle")
        self.setAccessibleName(self.title.text())
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = self.label("Touchez « Je suis là » pour continuer.")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lead = self.label("Sinon, l’écran revient au début dans :")
        self.lead.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = self.label("", "countdownNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button_stay = self.button("Je suis là")
        self.button_stay.setAccessibleDescription("Garder l’écran tel qu’il est")
        self.button_stay.clicked.connect(self.stay)
        self.tapped.connect(self._tapped)
        for w in (self.title, self.hint, self.lead, self.number):
            self.body.addWidget(w)
        self.body.addWidget(self.button_stay, 0, Qt.AlignmentFlag.AlignHCenter)
        self.remaining = 0

    def _tapped(self, _outside: bool) -> None:
        self.stay.emit()

    def set_remaining(self, seconds: int) -> None:
        self.remaining = seconds
        self.number.setText(f"{seconds} seconde" if seconds <= 1 else f"{seconds} secondes")
        if self.isVisible() and (seconds % 10 == 0 or seconds == 5):
            # Every ten seconds and at five, not every second: the countdown is heard, not shouted.
            accessibility.announce(self, f"Encore {self.number.text()}. Touchez « Je suis là » pour continuer.")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.stay.emit()
        event.accept()


_MOUSE = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick})
_SHIELDED = _MOUSE | {QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd}


class AttractScreen(QWidget):
    """The screen shown while nobody uses the kiosk; any touch, click or key dismisses it."""

    dismissed = Signal()

    # After a touch dismisses it, the next touches within this time reach nothing (but the admin
    # corner): a quick double tap does not open the fiche that was under the finger.
    SHIELD_MS = 600

    def __init__(self, parent: QWidget, lines: tuple[str, ...] = ATTRACT_LINES) -> None:
        super().__init__(parent)
        self.setObjectName("attract")
        self.exempt: Callable[[QPoint], bool] = lambda _global_pos: False  # the admin corner (the window sets it)
        self.shield = QTimer(self)
        self.shield.setSingleShot(True)
        self.shield.timeout.connect(self.drop_shield)
        self._shielding = False
        self.top_reserve = 0  # as the overlays' (unused: the attract screen covers everything)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(ATTRACT_TITLE)
        self.setAccessibleDescription(" ".join(lines))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 60, 80, 80)
        layout.addStretch(3)
        self.picture_height = 300
        layout.addSpacing(self.picture_height)
        layout.addStretch(1)
        self.title = QLabel(ATTRACT_TITLE)
        self.title.setObjectName("attractTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        layout.addSpacing(30)
        self.lines: list[QLabel] = []
        for text in lines:
            self.lines.append(self._line(text))
            layout.addWidget(self.lines[-1])
        self.speech_label = self._line(ATTRACT_SPEECH_LINE)
        self.speech_label.hide()
        layout.addWidget(self.speech_label)
        layout.addStretch(3)
        self._phase = 0
        self.pulse = QTimer(self)
        self.pulse.setInterval(80)
        self.pulse.timeout.connect(self._step)
        self._pressed = False
        self.hide()

    def _line(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("attractText")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    def show_speech_line(self, visible: bool) -> None:
        self.speech_label.setVisible(visible)

    def place(self) -> None:
        """Covers the whole parent (the bar too: nothing to touch but the screen itself)."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    def open(self) -> None:
        self.place()
        self.show()
        self.raise_()
        self.setFocus()
        self.pulse.start()

    def dismiss(self) -> None:
        self.pulse.stop()
        self.hide()

    def _picture_rect(self) -> QRectF:
        top = self.title.geometry().top() - 30 - self.picture_height
        side = float(self.picture_height)
        return QRectF(self.width() / 2 - side / 2, max(0.0, top), side, side)

    def _step(self) -> None:
        self._phase = (self._phase + 1) % 30
        self.update(self._picture_rect().toAlignedRect().adjusted(-4, -4, 4, 4))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(ATTRACT_BG))
        # A "touch here" pictogram: a fingertip dot inside rings, the outer ring pulsing gently.
        r = self._picture_rect()
        c = r.center()
        accent = QColor(STANDARD.accent)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(accent)
        p.drawEllipse(c, r.width() * 0.12, r.width() * 0.12)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for i, radius in enumerate((0.24, 0.36)):
            ring = QColor(accent)
            ring.setAlpha(200 - 70 * i)
            p.setPen(QPen(ring, r.width() * 0.03))
            p.drawEllipse(c, r.width() * radius, r.width() * radius)
        grow = 0.36 + 0.12 * (self._phase / 30)
        ring = QColor(accent)
        ring.setAlpha(int(140 * (1 - self._phase / 30)))
        p.setPen(QPen(ring, r.width() * 0.025))
        p.drawEllipse(c, r.width() * grow, r.width() * grow)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = True
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pressed:
            self._pressed = False
            self._raise_shield()
            self.dismissed.emit()
        event.accept()

    def _raise_shield(self) -> None:
        app = QApplication.instance()
        if app is None:
            return
        if not self._shielding:
            app.installEventFilter(self)  # the last installed runs first: before the lock-down's
            self._shielding = True
        self.shield.start(max(self.SHIELD_MS, QApplication.doubleClickInterval()))

    def drop_shield(self) -> None:
        app = QApplication.instance()
        if app is not None and self._shielding:
            app.removeEventFilter(self)
        self._shielding = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _SHIELDED or not self._shielding:
            return False
        position = getattr(event, "globalPosition", None)
        if position is not None and event.type() in _MOUSE and self.exempt(position().toPoint()):
            return False
        event.accept()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()
        self.dismissed.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.accept()
        self.dismissed.emit()


class QrCode(QWidget):
    """A QR code painted as vector squares from segno's matrix, with its quiet zone."""

    QUIET = 4

    def __init__(self, side: int = 440) -> None:
        super().__init__()
        self.matrix: tuple[tuple[bool, ...], ...] = ()
        self.data = ""
        self.setFixedSize(side, side)

    def set_data(self, data: str) -> None:
        self.data = data
        self.matrix = qr_matrix(data)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(QR_LIGHT))
        n = len(self.matrix)
        if not n:
            return
        module = min(self.width(), self.height()) // (n + 2 * self.QUIET)
        size = module * n
        x0 = (self.width() - size) // 2
        y0 = (self.height() - size) // 2
        black = QColor(QR_DARK)
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    p.fillRect(x0 + x * module, y0 + y * module, module, module, black)


def _breakable(url: str) -> str:
    """The URL with zero-width spaces after / . - ? & = so that a label can wrap it."""
    out = []
    for ch in url:
        out.append(ch)
        if ch in "/.-?&=_":
            out.append("\u200b")
    return "".join(out)


class QrOverlay(Overlay):
    """An external link, never opened here: its QR code, to scan with a phone."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, width=1400)
        row = QHBoxLayout()
        row.setSpacing(48)
        self.code = QrCode()
        self.code.setAccessibleName("Code QR du lien")
        accessibility.mark(self.code, "image")
        row.addWidget(self.code, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(22)
        self.title = self.label(QR_TITLE, "overlayTitle")
        self.setAccessibleName(QR_TITLE)
        self.hint = self.label(QR_HINT)
        self.link_label = self.label("", "overlayText")
        self.url_label = self.label("", "overlayMuted")
        self.close_button = self.button("Fermer", "secondaryButton")
        self.close_button.clicked.connect(self.dismiss)
        for w in (self.title, self.hint, self.link_label, self.url_label):
            column.addWidget(w)
        column.addStretch(1)
        column.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignLeft)
        row.addLayout(column, 1)
        self.body.addLayout(row)
        self.tapped.connect(self._tapped)
        self.url = ""

    def place(self) -> None:
        room = self.available()
        inner = self.card_width() - 112
        side = max(200, min(440, room.height() - 88, int((inner - 48) * 0.45)))
        self.code.setFixedSize(side, side)
        super().place()

    def show_url(self, url: str, label: str | None = None) -> None:
        self.url = url
        self.code.set_data(url)
        self.code.setAccessibleDescription(f"Le code ouvre {url} sur un téléphone.")
        self.link_label.setText(label[:1].upper() + label[1:] if label else "")
        self.link_label.setVisible(bool(label))
        self.url_label.setText(f"Adresse du lien : {_breakable(url)}")
        self.url_label.setAccessibleName(f"Adresse du lien : {url}")  # without the break points
        self.open()


class InfoOverlay(Overlay):
    """A big message: a title, a few short lines, one button."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, width=1100)
        self.title = self.label("", "overlayTitle")
        self.body.addWidget(self.title)
        self.setAccessibleName("Message")
        self.lines_box = QVBoxLayout()
        self.lines_box.setSpacing(16)
        self.body.addLayout(self.lines_box)
        self.ok_button = self.button("D’accord")
        self.ok_button.clicked.connect(self.dismiss)
        self.body.addWidget(self.ok_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.tapped.connect(self._tapped)
        self.lines: list[QLabel] = []

    def show_message(
        self,
        title: str,
        lines: list[str] | tuple[str, ...],
        button: str = "D’accord",
        muted: list[str] | tuple[str, ...] = (),
    ) -> None:
        self.title.setText(title)
        for old in self.lines:
            self.lines_box.removeWidget(old)
            old.hide()  # deleteLater waits for the event loop: never show both messages at once
            old.deleteLater()
        self.lines = [self.label(t) for t in lines] + [self.label(t, "overlayMuted") for t in muted]
        for lbl in self.lines:
            self.lines_box.addWidget(lbl)
            lbl.show()
        self.ok_button.setText(button)
        self.ok_button.setAccessibleName(button)
        self.open()

    def text(self) -> str:
        return "\n".join([self.title.text()] + [lbl.text() for lbl in self.lines])


class PinOverlay(Overlay):
    """The admin PIN on a big digit keypad: no keyboard, no typing.

    The keys sit in a grid with fixed gaps, their size derived from the room below the bar
    (never under 60 px, never overlapping); the title and messages in a column beside them."""

    submitted = Signal(str)
    GAP = 16
    KEY_MIN, KEY_MAX_H, KEY_MAX_W = 60, 104, 160
    BODY_H, BODY_V = 40, 32

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, width=1000)
        self.body.setContentsMargins(self.BODY_H, self.BODY_V, self.BODY_H, self.BODY_V)
        self.title = self.label("Code administrateur", "overlayTitle")
        self.setAccessibleName(self.title.text())
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = self.label("", "pinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = self.label("", "pinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row = QHBoxLayout()
        row.setSpacing(40)
        self.side = QVBoxLayout()
        self.side.setSpacing(18)
        self.side.addWidget(self.title)
        self.side.addWidget(self.dots)
        self.side.addWidget(self.message)
        self.side.addStretch(1)
        self.grid = grid = QGridLayout()
        grid.setSpacing(self.GAP)
        grid.setContentsMargins(0, 0, 0, 0)
        self.digit_buttons: dict[str, QPushButton] = {}
        for i, digit in enumerate("123456789"):
            self.digit_buttons[digit] = self._key(digit)
            grid.addWidget(self.digit_buttons[digit], i // 3, i % 3)
        self.clear_button = self._key("Effacer")
        self.digit_buttons["0"] = self._key("0")
        self.ok_button = self._key("Valider")
        grid.addWidget(self.clear_button, 3, 0)
        grid.addWidget(self.digit_buttons["0"], 3, 1)
        grid.addWidget(self.ok_button, 3, 2)
        for digit, b in self.digit_buttons.items():
            b.clicked.connect(lambda _=False, d=digit: self.press(d))
        self.clear_button.clicked.connect(self.clear)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button = self.button("Annuler", "secondaryButton")
        self.cancel_button.clicked.connect(self.dismiss)
        self.side.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        row.addLayout(self.side, 1)
        row.addLayout(grid, 0)
        self.body.addLayout(row)
        self.key_size = QSize(self.KEY_MIN, self.KEY_MIN)
        self.pin = ""
        self.locked_ms = 0
        self.unlock_timer = QTimer(self)
        self.unlock_timer.setSingleShot(True)
        self.unlock_timer.timeout.connect(self._unlock)
        self.unlock_timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may end 5 % late: « 6 s » for 5
        self.countdown_timer = QTimer(self)  # the wait shown counts down while the keypad is locked
        self.countdown_timer.setInterval(200)
        self.countdown_timer.timeout.connect(self._show_wait)
        self._show_dots()

    @property
    def keys(self) -> list[QPushButton]:
        return [*self.digit_buttons.values(), self.clear_button, self.ok_button]

    def place(self) -> None:
        """Key size from the room: four rows and three gaps in the card's height, three keys
        beside a column for the title at least as wide as the keypad's half."""
        room = self.available()
        inner_h = room.height() - 2 * self.BODY_V
        key_h = (inner_h - 3 * self.GAP) // 4
        card_w = min(self.preferred_width, max(320, room.width()))
        inner_w = card_w - 2 * self.BODY_H - 40
        key_w = min(int(key_h * 1.5), (inner_w * 2 // 3 - 2 * self.GAP) // 3)
        key_h = max(self.KEY_MIN, min(self.KEY_MAX_H, key_h))
        key_w = max(self.KEY_MIN, min(self.KEY_MAX_W, key_w))
        self.key_size = QSize(key_w, key_h)
        digit_px = max(18, min(int(key_h * 0.45), int(key_w * 0.5)))
        for b in self.keys:
            b.setFixedSize(self.key_size)
            font = QFont(b.font())
            if len(b.text()) == 1:
                font.setPixelSize(digit_px)
            else:  # « Effacer », « Valider »: as large as fits in the key, never wider
                font.setPixelSize(digit_px)
                while font.pixelSize() > 10 and QFontMetrics(font).horizontalAdvance(b.text()) > key_w - 16:
                    font.setPixelSize(font.pixelSize() - 1)
            font.setBold(True)
            b.setFont(font)
        super().place()

    def _key(self, text: str) -> QPushButton:
        b = self.button(text, "keypadButton")
        # Tab reaches the keys (a keyboard or a switch), a touch does not move the focus.
        b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        if text.isdigit():
            b.setAccessibleName(f"Chiffre {text}")
        return b

    @property
    def locked(self) -> bool:
        return self.unlock_timer.isActive()

    def open(self) -> None:
        self.pin = ""
        if not self.locked:
            self.message.setText("Tapez le code sur les touches.")
        self._show_dots()
        super().open()

    def press(self, digit: str) -> None:
        if self.locked or len(self.pin) >= PIN_MAX_DIGITS:
            return
        self.pin += digit
        self._show_dots()

    def clear(self) -> None:
        self.pin = ""
        self._show_dots()

    def submit(self) -> None:
        if self.locked or not self.pin:
            return
        pin, self.pin = self.pin, ""
        self._show_dots()
        self.submitted.emit(pin)

    def refuse(self, delay_ms: int) -> None:
        """A wrong PIN: 'Code incorrect', and the keypad locked for delay_ms."""
        self.locked_ms = delay_ms
        self._set_keys_enabled(False)
        self.unlock_timer.start(max(1, delay_ms))
        self._show_wait()
        accessibility.announce(self, self.message.text(), assertive=True)  # once, not at each second
        self.countdown_timer.start()

    def _show_wait(self) -> None:
        """« Code incorrect. Attendez N secondes. », N the seconds left, counting down."""
        remaining = self.unlock_timer.remainingTime()
        if remaining < 0:  # not locked (any more)
            return
        seconds = max(1, math.ceil(remaining / 1000))
        minutes, rest = divmod(seconds, 60)
        # A no-break space binds each number to its unit: « 6 » never ends a line without « secondes ».
        if minutes:
            wait = f"{minutes}\u00a0minute{'s' if minutes > 1 else ''}" + (
                f" et {rest}\u00a0seconde{'s' if rest > 1 else ''}" if rest else ""
            )
        else:
            wait = f"{seconds}\u00a0seconde{'s' if seconds > 1 else ''}"
        text = f"Code incorrect. Attendez {wait}."
        if self.message.text() != text:
            self.message.setText(text)

    def _unlock(self) -> None:
        self.countdown_timer.stop()
        self._set_keys_enabled(True)
        self.message.setText("Code incorrect. Vous pouvez réessayer.")
        accessibility.announce(self, self.message.text())

    def _set_keys_enabled(self, enabled: bool) -> None:
        for b in (*self.digit_buttons.values(), self.clear_button, self.ok_button):
            b.setEnabled(enabled)

    def _show_dots(self) -> None:
        self.dots.setText(" ".join("●" for _ in self.pin) if self.pin else "–")
        n = len(self.pin)
        self.dots.setAccessibleName(f"{n} chiffre{'s' if n > 1 else ''} tapé{'s' if n > 1 else ''}")


class AdminExit(QObject):
    """The administrator's way out: the hidden gesture opens the PIN keypad (when a PIN is set);
    the right PIN emits granted, each wrong one locks the keypad longer (guard's delays)."""

    opening = Signal()  # the keypad is about to show: whatever covers the window makes way
    granted = Signal()

    def __init__(self, window: QWidget, guard: PinGuard) -> None:
        super().__init__(window)
        self.guard = guard
        self.keypad = PinOverlay(window)
        self.keypad.submitted.connect(self._on_pin)

    def on_gesture(self) -> None:
        if not self.guard.enabled:
            log.info("Geste administrateur reçu, mais aucun code n’est configuré : sortie impossible")
            return
        log.info("Geste administrateur : clavier du code affiché")
        self.opening.emit()
        self.keypad.open()

    def _on_pin(self, pin: str) -> None:
        if self.guard.check(pin):
            self.keypad.dismiss()
            self.granted.emit()
        else:
            self.keypad.refuse(self.guard.delay_ms())
