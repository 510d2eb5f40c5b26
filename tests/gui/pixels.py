"""Contrast measured on grabbed pixels: what a reader sees, not what the style sheet says.

`contrast_of_region(image, rect)` takes the region's most frequent colour as its background and
the most frequent other colour as its text (anti-aliased edges spread over many shades, each
rarer than the glyphs' solid core), and returns their WCAG contrast ratio. A region with one
colour only (no text drawn, or text drawn in the background's colour) measures 1.0.
"""

from __future__ import annotations

from array import array
from collections import Counter

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from fiche_desktop.theme import contrast_ratio


def colour_counts(image: QImage, rect: QRect | None = None) -> Counter[str]:
    """How many pixels of each colour ('#rrggbb') the region holds; rect in the image's logical
    pixels (None: the whole image)."""
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    ratio = img.devicePixelRatio()
    if rect is None:
        x0, y0, w, h = 0, 0, img.width(), img.height()
    else:
        x0, y0 = int(rect.x() * ratio), int(rect.y() * ratio)
        w, h = int(rect.width() * ratio), int(rect.height() * ratio)
    x0, y0 = max(0, x0), max(0, y0)
    w, h = min(w, img.width() - x0), min(h, img.height() - y0)
    if w <= 0 or h <= 0:
        return Counter()
    bits = bytes(img.constBits())
    stride = img.bytesPerLine()
    values: Counter[int] = Counter()
    for y in range(y0, y0 + h):
        start = y * stride + x0 * 4
        row = array("I")
        row.frombytes(bits[start : start + w * 4])
        values.update(row)
    return Counter({f"#{v & 0xFFFFFF:06x}": n for v, n in values.items()})


def dominant_colours(image: QImage, rect: QRect | None = None) -> tuple[str, str | None]:
    """(background, text): the region's most frequent colour and the most frequent other one
    (None when the region is one colour)."""
    ranked = [c for c, _ in colour_counts(image, rect).most_common(2)]
    if not ranked:
        raise ValueError("région vide")
    return ranked[0], (ranked[1] if len(ranked) > 1 else None)


def contrast_of_region(image: QImage, rect: QRect | None = None) -> float:
    """WCAG contrast ratio of the region's text against its background, measured on the pixels."""
    background, text = dominant_colours(image, rect)
    return 1.0 if text is None else contrast_ratio(text, background)


def contrast_of_widget(widget: QWidget, rect: QRect | None = None) -> float:
    """contrast_of_region on a fresh grab of widget (rect in the widget's coordinates)."""
    return contrast_of_region(widget.grab().toImage(), rect)


def edge_contrast(window: QWidget, widget: QWidget) -> float:
    """How a widget's outermost edge (its border, its focus ring) stands out, measured on a grab of
    its window: the lower of its contrast against the widget's inside and against what lies just
    outside it. The edge is the middle half of the widget's top row of pixels."""
    image = window.grab().toImage()
    r = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    edge = QRect(r.x() + r.width() // 4, r.y(), r.width() // 2, 1)
    outside = edge.translated(0, -2)
    inside = r.adjusted(6, 6, -6, -6)
    colour = dominant_colours(image, edge)[0]
    return min(
        contrast_ratio(colour, dominant_colours(image, inside)[0]),
        contrast_ratio(colour, dominant_colours(image, outside)[0]),
    )
