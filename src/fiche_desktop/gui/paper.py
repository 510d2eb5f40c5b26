"""typst's SVG pages -> a QPrinter (paper, or the print preview's printer), page by page, as vectors.

The one Qt module of printing/: what the printer and the preview show are the pages of the PDF,
painted by QSvgRenderer, on A4 portrait (A4 landscape for the standard comparison).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMarginsF, QRectF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtSvg import QSvgRenderer

from fiche_desktop import __version__
from fiche_desktop.printing.data import AUTHOR, PrintError
from fiche_desktop.printing.typeset import Document


def without_default_stroke(svg: bytes) -> bytes:
    """WORKAROUND: QtSvg gives every shape a default pen with no brush, and Qt's PDF engine (QPrinter's,
    for paper as for files) strokes such a pen in the fill colour: every letter comes out bold. A
    stroke width of 0 on the root makes QtSvg use no pen at all; typst's own strokes set their width."""
    return svg.replace(b"<svg ", b'<svg stroke-width="0" ', 1)


def prepare_printer(printer: QPrinter, document: Document) -> None:
    """A4 in the document's orientation, no printer margins (the pages carry their own), its title."""
    orientation = QPageLayout.Orientation.Landscape if document.landscape else QPageLayout.Orientation.Portrait
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    )
    printer.setDocName(document.title)
    printer.setCreator(f"{AUTHOR} {__version__}")


def print_document(document: Document, printer: QPrinter) -> int:
    """Paints every page of document on printer; returns the page count. Raises PrintError."""
    pages = document.svg_pages()
    prepare_printer(printer, document)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(
            "l’imprimante ou le fichier de sortie n’accepte pas les pages "
            "(imprimante débranchée, dossier absent ou protégé)."
        )
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for number, svg in enumerate(pages):
            if number and not printer.newPage():
                raise PrintError("l’imprimante n’a pas accepté la page suivante.")
            renderer = QSvgRenderer(QByteArray(without_default_stroke(svg)))
            if not renderer.isValid():
                raise PrintError("une page du document n’a pas pu être dessinée.")
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            renderer.render(painter, QRectF(0, 0, paper.width(), paper.height()))
    finally:
        painter.end()
    return len(pages)
