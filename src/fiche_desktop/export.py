"""HTML -> paginated QTextDocument -> QPdfWriter / QPrinter: fiches, the booklet and comparisons.

Each part (a fiche, the cover, the table of contents, the glossary...) is one QTextDocument laid out
against the paint device, so that it starts on a new page. Pages are painted one by one: the header,
the part's slice of the document, the footer. Blocks that would straddle two pages (a FALC sentence,
a paragraph, a table) get a page break before them, and headings stay with what follows.
"""

from __future__ import annotations

import datetime as _dt
import html
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QObject, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPyTextObject,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
    QTextTable,
)

from fiche_desktop import __version__, files, fonts, render
from fiche_desktop.compare import Cell, ComparisonError, build_comparison
from fiche_desktop.content import Fiche, Source, TextVersion, date_in_words
from fiche_desktop.db import ContentDB

log = logging.getLogger(__name__)

AUTHOR = "Fiche Desktop"
LANGUAGE = "fr-FR"
SUBJECT = "Dispositifs de soins primaires et de coordination : fiches de référence, mot pour mot d’après leurs sources"
KEYWORDS = ("soins primaires", "exercice coordonné", "ESP", "MSP", "CDS", "CPTS", "DAC", "SAS", "FALC")
BOOKLET_TITLE = "Dispositifs de soins primaires et de coordination"
VERSION_LABELS = {TextVersion.STANDARD: "Version standard", TextVersion.FALC: "Version FALC"}

PRINT_PT = 10.5  # standard body text on paper; FALC text is at least 14 pt (render.RenderContext.falc_print)
RESOLUTION = 1200
QR_OBJECT = int(QTextFormat.ObjectTypes.UserObject) + 1
QR_QUIET_MODULES = 2  # plus the cell's padding: white all around
MAX_FIX_PASSES = 2000

RULE = QColor(render.ACCENT)
HEADER_INK = QColor(render.ACCENT)
FOOTER_INK = QColor(render.MUTED)


class ExportError(Exception):
    """An export or a print that cannot be done; the message is one line of French for the user."""


# --- Page styles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageStyle:
    """Paper orientation, body margins (mm: left, top, right, bottom) and header / footer sizes (pt)."""

    orientation: QPageLayout.Orientation
    margins_mm: tuple[float, float, float, float]
    header_pt: float
    footer_pt: float
    source_lines: int  # the footer's source text wraps over at most this many lines


PORTRAIT = QPageLayout.Orientation.Portrait
LANDSCAPE = QPageLayout.Orientation.Landscape
STANDARD_STYLE = PageStyle(PORTRAIT, (20, 27, 20, 27), 9.0, 8.5, 2)
FALC_STYLE = PageStyle(PORTRAIT, (25, 30, 25, 35), 12.0, 11.0, 3)  # wide margins, larger header and footer
COMPARISON_STYLE = PageStyle(LANDSCAPE, (15, 24, 15, 24), 9.0, 8.5, 2)
FALC_COMPARISON_STYLE = PageStyle(LANDSCAPE, (18, 27, 18, 31), 12.0, 11.0, 2)


def _version_words(version: TextVersion) -> str:
    """'version standard' or 'version FALC', for titles."""
    return "version FALC" if version is TextVersion.FALC else "version standard"


def page_style(version: TextVersion, comparison: bool = False) -> PageStyle:
    falc = version is TextVersion.FALC
    if comparison:
        return FALC_COMPARISON_STYLE if falc else COMPARISON_STYLE
    return FALC_STYLE if falc else STANDARD_STYLE


@dataclass(frozen=True)
class Geometry:
    """Where things go on one page, in device pixels."""

    page: QRectF
    body: QRectF
    mm: float

    @classmethod
    def of(cls, device: QPagedPaintDevice, style: PageStyle) -> Geometry:
        dpi = device.logicalDpiX()
        page = QRectF(device.pageLayout().fullRectPixels(dpi))
        mm = dpi / 25.4
        left, top, right, bottom = (m * mm for m in style.margins_mm)
        body = QRectF(left, top, page.width() - left - right, page.height() - top - bottom)
        return cls(page, body, mm)


# --- Parts: one document each, each starting on a new page ---------------------------------------


@dataclass
class Part:
    """One run of pages: its HTML and what the header and footer say on each of its pages."""

    title: str
    html: str
    source: str
    base_pt: float = PRINT_PT
    top_html: str = ""  # painted at the top of the body on every page (the comparison's header row)
    slug: str = ""
    doc: QTextDocument | None = None
    top_doc: QTextDocument | None = None
    pages: int = 0
    keep: list[QObject] = field(default_factory=list)  # Qt objects that must live as long as doc
    # Builds html once the page size is known (the comparison cuts rows taller than a page).
    prepare: Callable[[Part, QPagedPaintDevice, Geometry], None] | None = None


@dataclass(frozen=True)
class DocInfo:
    """The PDF's metadata."""

    title: str
    subject: str = SUBJECT
    keywords: tuple[str, ...] = KEYWORDS


# --- QR codes: vector squares from segno's matrix ------------------------------------------------


def qr_path(url: str, rect: QRectF) -> QPainterPath:
    """The dark modules of url's QR code as one path of rectangles filling rect (a square)."""
    matrix = render.qr_matrix(url)
    n = len(matrix)
    side = min(rect.width(), rect.height())
    module = side / (n + 2 * QR_QUIET_MODULES)
    x0 = rect.left() + QR_QUIET_MODULES * module
    y0 = rect.top() + QR_QUIET_MODULES * module
    path = QPainterPath()
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < n and row[x]:
                x += 1
            path.addRect(QRectF(x0 + start * module, y0 + y * module, (x - start) * module, module))
    return path


class QrCodeObject(QPyTextObject):
    """Draws the placeholder images of the print HTML ('qr:URL') as QR codes, in vectors."""

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:  # noqa: N802 (Qt)
        image = fmt.toImageFormat()
        device = doc.documentLayout().paintDevice()
        scale = (device.logicalDpiX() if device is not None else 96) / 96  # HTML sizes are CSS pixels
        side = (image.width() or render.QR_SIDE_PX) * scale
        return QSizeF(side, side)

    def drawObject(
        self,
        painter: QPainter,
        rect: QRectF,
        doc: QTextDocument,
        pos: int,  # noqa: N802 (Qt)
        fmt: QTextFormat,
    ) -> None:
        url = fmt.toImageFormat().name()[len(render.QR_PREFIX) :]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(rect, QColor("#ffffff"))
        painter.fillPath(qr_path(url, rect), QColor("#000000"))
        painter.restore()


def _install_qr_codes(doc: QTextDocument, owner: Part) -> int:
    """Turns the 'qr:' placeholder images into QR code objects; returns how many."""
    found: list[tuple[int, QTextCharFormat]] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat() and fmt.toImageFormat().name().startswith(render.QR_PREFIX):
                found.append((fragment.position(), fmt))
            it += 1
        block = block.next()
    if not found:
        return 0
    handler = QrCodeObject(doc)
    owner.keep.append(handler)
    doc.documentLayout().registerHandler(QR_OBJECT, handler)
    for position, fmt in found:
        cursor = QTextCursor(doc)
        cursor.setPosition(position)
        cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
        qr_format = QTextCharFormat(fmt)
        qr_format.setObjectType(QR_OBJECT)
        cursor.setCharFormat(qr_format)
    return len(found)


# --- Layout --------------------------------------------------------------------------------------


def _new_document(device: QPagedPaintDevice, base_pt: float) -> QTextDocument:
    doc = QTextDocument()
    doc.setUseDesignMetrics(True)
    doc.documentLayout().setPaintDevice(device)
    # WORKAROUND: ligatures ('fi') break PDF text extraction: the default font has them off.
    doc.setDefaultFont(fonts.app_font(base_pt))
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # long URLs wrap
    option.setAlignment(Qt.AlignmentFlag.AlignLeft)
    doc.setDefaultTextOption(option)
    doc.setDocumentMargin(0)
    return doc


def layout_part(part: Part, device: QPagedPaintDevice, geometry: Geometry) -> int:
    """Lays part out against device, keeps blocks whole; returns its page count."""
    if part.prepare is not None:
        part.prepare(part, device, geometry)
    top = 0.0
    if part.top_html:
        part.top_doc = _new_document(device, part.base_pt)
        part.top_doc.setHtml(part.top_html)
        part.top_doc.setTextWidth(geometry.body.width())
        top = part.top_doc.size().height()
    doc = _new_document(device, part.base_pt)
    doc.setHtml(part.html)
    _install_qr_codes(doc, part)
    doc.setPageSize(QSizeF(geometry.body.width(), geometry.body.height() - top))
    keep_blocks_whole(doc)
    part.doc = doc
    part.pages = max(1, doc.pageCount())
    return part.pages


@dataclass
class _Unit:
    """A top-level piece of the flow that must not be split: a block or a whole table."""

    top: float
    bottom: float
    block: QTextBlock | None = None
    table: QTextTable | None = None

    @property
    def heading(self) -> bool:
        return self.block is not None and self.block.blockFormat().headingLevel() > 0

    @property
    def key(self) -> int:
        """Where the unit starts in the document: stable while page breaks come and go."""
        if self.table is not None:
            return self.table.firstPosition()
        return self.block.position() if self.block is not None else -1

    @property
    def keeps_with_next(self) -> bool:
        """Headings, and the 'no validated FALC' notice, stay on the page of what follows them."""
        if self.table is not None:
            return self.table.format().background().color().name() == NOTICE_NAME
        return self.heading

    @property
    def muted(self) -> bool:
        """A source line (muted text): it stays with the block above it."""
        if self.block is None or self.heading:
            return False
        it = self.block.begin()
        return not it.atEnd() and it.fragment().charFormat().foreground().color().name() == MUTED_NAME

    @property
    def has_break(self) -> bool:
        policy = (
            self.block.blockFormat().pageBreakPolicy()
            if self.block is not None
            else self.table.format().pageBreakPolicy()
            if self.table is not None
            else 0
        )
        return bool(policy & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)

    def set_break(self, on: bool = True) -> None:
        """A page break before this unit (on), or none (off)."""
        policy = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore if on else QTextFormat.PageBreakFlag.PageBreak_Auto
        if self.table is not None:
            fmt = self.table.format()
            fmt.setPageBreakPolicy(policy)
            self.table.setFormat(fmt)
        elif self.block is not None:
            block_format = QTextBlockFormat()
            block_format.setPageBreakPolicy(policy)
            QTextCursor(self.block).mergeBlockFormat(block_format)


MUTED_NAME = QColor(render.MUTED).name()
NOTICE_NAME = QColor(render.NOTICE_BG).name()


def _units(doc: QTextDocument) -> list[_Unit]:
    layout = doc.documentLayout()
    units: list[_Unit] = []
    seen_tables: set[int] = set()
    block = doc.begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None:
            while isinstance(table.parentFrame(), QTextTable):
                table = table.parentFrame()  # nested tables move with their outer table
            if table.firstPosition() not in seen_tables:
                seen_tables.add(table.firstPosition())
                rect = layout.frameBoundingRect(table)
                units.append(_Unit(rect.top(), rect.bottom(), table=table))
        elif block.text().strip() or block.blockFormat().headingLevel() > 0:
            rect = layout.blockBoundingRect(block)
            units.append(_Unit(rect.top(), rect.bottom(), block=block))
        block = block.next()
    return units


def _page_of(y: float, height: float) -> int:
    return int(y // height)


def _straddles(unit: _Unit, height: float, tolerance: float = 0.5) -> bool:
    return _page_of(unit.top + tolerance, height) != _page_of(unit.bottom - tolerance, height)


def _first_problem(doc: QTextDocument, skip: set[int]) -> tuple[list[_Unit], int, int] | None:
    """(units, t, i): units[t] must go to the next page because of units[i]: the first unit that
    straddles two pages, leaves a heading at the bottom of a page, or leaves a source line alone at
    the top of one. Headings directly above the unit move with it (t <= i). Units whose key is in
    skip were found too tall to move. None when all is well."""
    height = doc.pageSize().height()
    tolerance = 0.5
    units = _units(doc)

    def first_page(u: _Unit) -> int:
        return _page_of(u.top + tolerance, height)

    def last_page(u: _Unit) -> int:
        return _page_of(u.bottom - tolerance, height)

    def at_top(k: int) -> bool:
        """Nothing above units[k] on its page: moving it would not help."""
        return k == 0 or last_page(units[k - 1]) < first_page(units[k])

    def may_fit(u: _Unit) -> bool:
        # Straddling adds the foot of a page to a unit's height: try anything not far above one page.
        return u.key not in skip and u.bottom - u.top <= height * 1.5

    def with_headings(k: int) -> int | None:
        """k, or the first of the headings (and notices) directly above units[k]; None if nothing can move."""
        j = k
        while j > 0 and units[j - 1].keeps_with_next:
            j -= 1
        if not at_top(j):
            return j
        return k if not at_top(k) else None

    for i, unit in enumerate(units):
        target: int | None = None
        if _straddles(unit, height) and may_fit(unit):
            if unit.muted and i > 0 and may_fit(units[i - 1]):
                target = with_headings(i - 1)  # a source line goes with the text it cites
            if target is None:
                target = with_headings(i)
        elif unit.keeps_with_next and i + 1 < len(units) and first_page(units[i + 1]) != last_page(unit):
            target = with_headings(i)
        elif unit.muted and i > 0 and at_top(i) and may_fit(units[i - 1]) and not at_top(i - 1):
            target = with_headings(i - 1)
        if target is not None:
            return units, target, i
    return None


def keep_blocks_whole(doc: QTextDocument) -> int:
    """Pushes straddling blocks and tables to the next page, headings with them; returns the breaks made.

    A unit that still straddles once moved (taller than a page) gets its old place back and is left
    to split: nothing better can be done with it."""
    height = doc.pageSize().height()
    if height <= 0:
        return 0
    made = 0
    skip: set[int] = set()
    for _ in range(MAX_FIX_PASSES):
        problem = _first_problem(doc, skip)
        if problem is None:
            break
        units, target, i = problem
        if units[target].has_break:
            log.warning("page layout: cannot keep a block whole")
            break
        cleared = [u for u in units[target + 1 : i + 1] if u.has_break]
        units[target].set_break(True)
        for unit in cleared:
            unit.set_break(False)  # it now follows the unit moved before it
        after = {u.key: u for u in _units(doc)}
        moved = after.get(units[i].key)
        if moved is not None and _straddles(units[i], height) and _straddles(moved, height):
            after[units[target].key].set_break(False)  # too tall for any page: put it back
            for unit in cleared:
                after[unit.key].set_break(True)
            skip.add(units[i].key)
            continue
        made += 1
    return made


# --- Painting ------------------------------------------------------------------------------------


def _fit_lines(painter: QPainter, text: str, width: float, max_lines: int) -> list[str]:
    """text word-wrapped into at most max_lines lines of width (the last one elided)."""
    metrics = painter.fontMetrics()
    lines: list[str] = []
    words = text.split()
    current = ""
    for i, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if metrics.horizontalAdvance(candidate) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[i:])
            break
    if current:
        lines.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, int(width)))
    return lines[:max_lines]


def _device_font(point_size: float, bold: bool = False) -> QFont:
    font = fonts.app_font(point_size)  # ligatures off: header and footer text extracts cleanly
    font.setBold(bold)
    return font


def _paint_header(painter: QPainter, geometry: Geometry, style: PageStyle, title: str, version: TextVersion) -> None:
    mm = geometry.mm
    body = geometry.body
    base = body.top() - 9 * mm
    label = VERSION_LABELS[version]
    painter.setFont(_device_font(style.header_pt))
    label_width = painter.fontMetrics().horizontalAdvance(label)
    painter.setPen(FOOTER_INK)
    painter.drawText(
        QRectF(body.right() - label_width - mm, base - 8 * mm, label_width + mm, 8 * mm),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
        label,
    )
    painter.setFont(_device_font(style.header_pt, bold=True))
    painter.setPen(HEADER_INK)
    room = body.width() - label_width - 6 * mm
    shown = painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, int(room))
    painter.drawText(
        QRectF(body.left(), base - 8 * mm, room, 8 * mm),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
        shown,
    )
    painter.setPen(QPen(RULE, 0.35 * mm))
    rule_y = base + 2 * mm
    painter.drawLine(body.left(), rule_y, body.right(), rule_y)


def _paint_footer(
    painter: QPainter, geometry: Geometry, style: PageStyle, source: str, date_line: str, number: int, total: int
) -> None:
    mm = geometry.mm
    body = geometry.body
    rule_y = body.bottom() + 5 * mm
    painter.setPen(QPen(QColor("#b8c4d2"), 0.25 * mm))
    painter.drawLine(body.left(), rule_y, body.right(), rule_y)
    page_label = f"page {number} / {total}"
    painter.setFont(_device_font(style.footer_pt + 1, bold=True))
    page_width = painter.fontMetrics().horizontalAdvance(page_label)
    line_height = painter.fontMetrics().height()
    painter.setPen(QColor(render.INK))
    painter.drawText(
        QRectF(body.right() - page_width - mm, rule_y + 1.5 * mm, page_width + mm, line_height),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
        page_label,
    )
    painter.setFont(_device_font(style.footer_pt))
    painter.setPen(FOOTER_INK)
    room = body.width() - page_width - 8 * mm
    line_height = painter.fontMetrics().height()
    y = rule_y + 1.5 * mm
    for line in [*_fit_lines(painter, source, room, style.source_lines), date_line]:
        painter.drawText(
            QRectF(body.left(), y, room, line_height), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), line
        )
        y += line_height


def paint_parts(
    device: QPagedPaintDevice,
    parts: Sequence[Part],
    style: PageStyle,
    version: TextVersion,
    date_line: str,
    after_layout: Callable[[Sequence[Part]], None] | None = None,
) -> int:
    """Lays every part out on device and paints all pages; returns the page count."""
    geometry = Geometry.of(device, style)
    for part in parts:
        layout_part(part, device, geometry)
    if after_layout is not None:
        after_layout(parts)  # e.g. the table of contents, now that page numbers are known
    total = sum(p.pages for p in parts)
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError(
            "l’imprimante ou le fichier de sortie n’accepte pas les pages "
            "(imprimante débranchée, dossier absent ou protégé)."
        )
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        number = 0
        for part in parts:
            assert part.doc is not None
            height = part.doc.pageSize().height()
            width = part.doc.pageSize().width()
            top = part.top_doc.size().height() if part.top_doc is not None else 0.0
            for index in range(part.pages):
                if number and not device.newPage():
                    raise ExportError("l’imprimante n’a pas accepté la page suivante.")
                number += 1
                _paint_header(painter, geometry, style, part.title, version)
                if part.top_doc is not None:
                    painter.save()
                    painter.translate(geometry.body.topLeft())
                    part.top_doc.drawContents(painter)
                    painter.restore()
                painter.save()
                painter.translate(geometry.body.left(), geometry.body.top() + top - index * height)
                part.doc.drawContents(painter, QRectF(0, index * height, width, height))
                painter.restore()
                _paint_footer(painter, geometry, style, part.source, date_line, number, total)
    finally:
        painter.end()
    return total


# --- Fiches and the booklet ----------------------------------------------------------------------


def print_context(
    db: ContentDB, version: TextVersion, contact: tuple[str, str, str] | None = None, base_pt: float = PRINT_PT
) -> render.RenderContext:
    return render.make_context(
        db, base_pt=base_pt, for_print=True, contact=contact, falc_print=version is TextVersion.FALC
    )


def _source_labels(ids: Iterable[str], sources: dict[str, Source]) -> str:
    return render.sources_label(ids, sources)


def _fiches(db: ContentDB, slugs: Sequence[str]) -> list[Fiche]:
    if not slugs:
        raise ExportError("Aucune fiche choisie : indiquez au moins une fiche (ou le livret complet).")
    fiches: list[Fiche] = []
    unknown: list[str] = []
    for slug in slugs:
        fiche = db.fiche(slug)
        if fiche is None:
            unknown.append(slug)
        elif fiche not in fiches:
            fiches.append(fiche)
    if unknown:
        quoted = ", ".join(f"« {s} »" for s in unknown)
        raise ExportError(f"Fiche inconnue : {quoted}. Fiches disponibles : {', '.join(db.slugs())}")
    return fiches


def body_pt(ctx: render.RenderContext) -> float:
    """The document's default size. WORKAROUND: Qt ignores a style sheet's font-size on h1-h3 and
    sizes headings relative to the default font, so the default font must be the body size."""
    return max(ctx.base_pt, 14.0) if ctx.falc_print else ctx.base_pt


def fiche_part(fiche: Fiche, version: TextVersion, ctx: render.RenderContext) -> Part:
    return Part(
        title=render.fiche_title(fiche, version),
        html=render.fiche_html(fiche, version, ctx),
        source=_source_labels(fiche.source_ids(), ctx.sources),
        base_pt=body_pt(ctx),
        slug=fiche.slug,
    )


def _page(body: str, ctx: render.RenderContext, extra_css: str = "") -> str:
    return f"<html><head><style>{render._css(ctx)}{extra_css}</style></head><body>{body}</body></html>"


def cover_html(db: ContentDB, version: TextVersion, ctx: render.RenderContext, fiches: Sequence[Fiche]) -> str:
    """The booklet's cover: a title band, what the booklet holds, its date, the contact if any."""
    esc = render.esc
    meta = db.meta
    overview = db.fiche("dispositifs")
    title = overview.title if overview else BOOKLET_TITLE
    size = body_pt(ctx)
    falc = version is TextVersion.FALC
    if falc:
        kind = "Livret en version FALC : facile à lire et à comprendre"
    else:
        kind = "Livret complet, version standard"
    acronyms = ", ".join(f.acronym for f in fiches if f.acronym)
    white = "#ffffff"
    parts = [
        f'<p style="margin-top:{20 if falc else 60}px">&nbsp;</p>',
        f'<table width="100%" cellspacing="0" cellpadding="24" bgcolor="{render.ACCENT}"><tr><td>'
        f'<p style="color:{white}; font-size:{size * 1.1:.1f}pt; margin-bottom:14px">Fiche Desktop</p>'
        f'<p style="color:{white}; font-size:{size * (2.1 if falc else 2.6):.1f}pt; font-weight:bold; '
        'line-height:80%">'
        f"{esc(title)}</p>"
        f'<p style="color:{white}; font-size:{size * 1.4:.1f}pt; margin-top:10px">{esc(kind)}</p>'
        "</td></tr></table>",
        '<p style="margin-top:28px">&nbsp;</p>',
        f"<p><b>{len(fiches)} fiches</b>"
        + (f" ({esc(acronyms)}…)" if acronyms and version is TextVersion.STANDARD else "")
        + ", un sommaire, le glossaire, les sources et l’erratum.</p>",
        f"<p>Contenu {esc(meta.content_version)}, sources à jour du "
        f"<b>{esc(date_in_words(meta.content_date))}</b>.</p>",
        "<p>Chaque phrase est reprise mot pour mot de l’une des sources citées, "
        "indiquée sous chaque partie de fiche.</p>",
    ]
    if ctx.contact:
        parts.append(render.contact_html(ctx.contact, version, ctx))
    return _page("".join(parts), ctx)


def toc_html(entries: Sequence[tuple[str, int]], ctx: render.RenderContext) -> str:
    esc = render.esc
    rule = "border-bottom: 1px solid #d5dde6"
    rows = "".join(
        f'<tr><td style="padding:5px 0px; {rule}">{esc(title)}</td>'
        f'<td align="right" width="70" style="padding:5px 0px; {rule}"><b>{page}</b></td></tr>'
        for title, page in entries
    )
    return _page(
        f'<h1>Sommaire</h1><table width="100%" cellspacing="0" style="border-collapse:collapse">{rows}</table>', ctx
    )


def booklet_parts(
    db: ContentDB, fiches: Sequence[Fiche], version: TextVersion, ctx: render.RenderContext
) -> tuple[list[Part], Callable[[Sequence[Part]], None]]:
    """Cover, table of contents, every fiche, glossary, sources; and the hook that numbers the contents."""
    booklet_source = _source_labels((s for f in fiches for s in f.source_ids()), ctx.sources)
    fiche_ctx = print_context(db, version, None)  # the contact goes once, on the cover
    size = body_pt(ctx)
    parts = [
        Part(
            title=f"Livret – {BOOKLET_TITLE}",
            html=cover_html(db, version, ctx, fiches),
            source=booklet_source,
            base_pt=size,
            slug="couverture",
        )
    ]
    toc = Part(title="Sommaire", html="", source=booklet_source, base_pt=size, slug="sommaire")
    parts.append(toc)
    parts += [fiche_part(f, version, fiche_ctx) for f in fiches]
    parts.append(
        Part(
            title="Glossaire",
            html=render.glossary_html(db.terms(), fiche_ctx),
            source="Sources : indiquées sous chaque définition",
            base_pt=size,
            slug="glossaire",
        )
    )
    parts.append(
        Part(
            title="Sources et erratum",
            html=render.sources_html(
                db.sources().values(), db.errata(), fiche_ctx, db.meta.content_version, db.meta.content_date
            ),
            source=_source_labels(db.sources(), ctx.sources),
            base_pt=size,
            slug="sources",
        )
    )
    titles = [p.title for p in parts[2:]]
    toc.html = toc_html([(t, 999) for t in titles], fiche_ctx)  # same length as the real one

    def number_contents(laid_out: Sequence[Part]) -> None:
        first = 1
        starts: list[int] = []
        for part in laid_out:
            starts.append(first)
            first += part.pages
        toc.html = toc_html(list(zip(titles, starts[2:], strict=True)), fiche_ctx)
        pages = toc.pages
        device = toc.doc.documentLayout().paintDevice() if toc.doc is not None else None
        if device is not None:
            layout_part(toc, device, Geometry.of(device, page_style(version)))
        if toc.pages != pages:  # cannot happen with 3-digit placeholders; never print wrong numbers
            raise ExportError("Sommaire impossible à mettre en page.")

    return parts, number_contents


def _fiche_job(
    db: ContentDB, slugs: Sequence[str], version: TextVersion, booklet: bool, contact: tuple[str, str, str] | None
) -> tuple[list[Part], Callable[[Sequence[Part]], None] | None, DocInfo]:
    ctx = print_context(db, version, contact)
    if booklet:
        fiches = _fiches(db, slugs or db.slugs())
        parts, hook = booklet_parts(db, fiches, version, ctx)
        title = f"{BOOKLET_TITLE} – livret complet ({_version_words(version)})"
        return parts, hook, DocInfo(title)
    fiches = _fiches(db, slugs)
    parts = [fiche_part(f, version, ctx) for f in fiches]
    names = " ; ".join(p.title for p in parts)
    title = f"{names} ({_version_words(version)})"
    keywords = tuple(dict.fromkeys([*(f.acronym for f in fiches if f.acronym), *KEYWORDS]))
    return parts, None, DocInfo(title, keywords=keywords)


def _date_line(db: ContentDB) -> str:
    return f"Contenu à jour du {date_in_words(db.meta.content_date)}"


def export_fiches_pdf(
    db: ContentDB,
    slugs: Sequence[str],
    version: TextVersion,
    path: Path,
    *,
    booklet: bool = False,
    contact: tuple[str, str, str] | None = None,
) -> int:
    """Writes the fiches (or the booklet of them) to path as PDF; returns the page count. Raises ExportError."""
    fonts.register_fonts()  # the caller (app.py) made the QGuiApplication
    parts, hook, info = _fiche_job(db, slugs, version, booklet, contact)
    style = page_style(version)
    return _write_pdf(
        Path(path), info, style, lambda writer: paint_parts(writer, parts, style, version, _date_line(db), hook)
    )


def print_fiches(
    db: ContentDB,
    slugs: Sequence[str],
    version: TextVersion,
    printer: QPagedPaintDevice,
    *,
    booklet: bool = False,
    contact: tuple[str, str, str] | None = None,
) -> int:
    """Prints the fiches (or the booklet) on printer (a QPrinter); returns the page count. Raises ExportError."""
    parts, hook, info = _fiche_job(db, slugs, version, booklet, contact)
    _prepare_printer(printer, info)
    return paint_parts(printer, parts, page_style(version), version, _date_line(db), hook)


# --- Comparison ----------------------------------------------------------------------------------


def _cell_pieces(cell: Cell, sources: dict[str, Source], falc_pt: float, falc: bool) -> list[str]:
    """A cell's content as paragraphs that may go to different pages: FALC sentences or standard
    paragraphs, then the source line."""
    esc = render.esc
    if cell.empty:
        return [f'<p style="color:{render.MUTED}">{esc(render.NO_VALUE)}</p>']
    if cell.notice and falc:
        return [f'<p style="font-size:{falc_pt:.1f}pt; background:{render.NOTICE_BG}">Pas de version FALC validée</p>']
    if cell.falc:
        pieces = [
            f'<p style="font-size:{falc_pt:.1f}pt; margin-bottom:{falc_pt * 0.35 * 4 / 3:.0f}px">'
            + "<br>".join(esc(line) for line in sentence)
            + "</p>"
            for sentence in render.falc_sentences(cell.lines)
            if sentence
        ]
    else:
        pieces = [f"<p>{esc(line)}</p>" for line in cell.lines]
    return [*pieces, f'<p class="meta">{esc(render.sources_label(cell.sources, sources))}</p>']


def _column_title(fiche: Fiche, version: TextVersion) -> str:
    return fiche.display_title(version)


def _split_cells(
    pieces: list[list[str]], bounds: list[list[tuple[float, float]]], room: float
) -> list[list[list[str]]]:
    """Cuts a row whose cells are taller than room into rows that fit: each cell's paragraphs are
    dealt out in order, a paragraph never cut. Returns chunks, each a list of cells' paragraphs."""
    per_cell: list[list[list[str]]] = []
    for cell_pieces, cell_bounds in zip(pieces, bounds, strict=True):
        chunks: list[list[str]] = []
        start = 0
        while start < len(cell_pieces):
            end = start + 1
            while end < len(cell_pieces) and cell_bounds[end][1] - cell_bounds[start][0] <= room:
                end += 1
            chunks.append(cell_pieces[start:end])
            start = end
        per_cell.append(chunks or [[]])
    count = max(len(c) for c in per_cell)
    return [[c[i] if i < len(c) else [] for c in per_cell] for i in range(count)]


def _piece_bounds(
    device: QPagedPaintDevice, base_pt: float, page: Callable[[str], str], pieces: list[str], width: float
) -> list[tuple[float, float]]:
    """Top and bottom of each paragraph of a cell laid out alone at width (device pixels)."""
    doc = _new_document(device, base_pt)
    doc.setHtml(page("".join(pieces)))
    doc.setTextWidth(max(1.0, width))
    layout = doc.documentLayout()
    bounds: list[tuple[float, float]] = []
    block = doc.begin()
    while block.isValid() and len(bounds) < len(pieces):
        rect = layout.blockBoundingRect(block)
        bounds.append((rect.top(), rect.bottom()))
        block = block.next()
    while len(bounds) < len(pieces):  # never expected: count the rest as zero height
        bounds.append(bounds[-1] if bounds else (0.0, 0.0))
    return bounds


def comparison_part(db: ContentDB, slugs: Sequence[str], version: TextVersion) -> Part:
    """The comparison as one part: a header row painted on every page, one table per criterion (a
    criterion taller than a page continues in a second table, '(suite)', cut between paragraphs)."""
    try:
        comparison = build_comparison(db, list(slugs), version)
    except ComparisonError as e:
        raise ExportError(str(e)) from None
    falc = version is TextVersion.FALC
    columns = len(comparison.fiches)
    base_pt = 14.0 if falc else (10.0 if columns <= 3 else 9.0 if columns <= 5 else 8.5)
    ctx = render.RenderContext(sources=db.sources(), base_pt=base_pt, for_print=True, link_terms=False, falc_print=falc)
    sources = db.sources()
    esc = render.esc
    white = "#ffffff"
    label_pct = 16 if columns <= 5 else 14
    cell_pct = (100 - label_pct) / columns
    padding_px = 5
    # Dense cells: tighter lines than the fiches' (FALC keeps Andika's own 1.6 spacing).
    css = "" if falc else "p { line-height: 85%; margin-bottom: 3px; }"
    table = (
        f'<table width="100%" cellspacing="0" cellpadding="{padding_px}" border="1" '
        f'style="border-collapse:collapse; border-color:#b8c4d2; margin:0px">'
    )
    titles_in_header = not falc or columns <= 4

    def page(body: str) -> str:
        return _page(body, ctx, css)

    def row_html(label: str, cells: list[list[str]]) -> str:
        tds = "".join(f'<td width="{cell_pct:.2f}%" valign="top">{"".join(c)}</td>' for c in cells)
        return (
            f'{table}<tr><td width="{label_pct}%" bgcolor="{render.ERRATUM_BG}" valign="top">'
            f'<p style="font-weight:bold">{esc(label)}</p></td>{tds}</tr></table>'
        )

    head = "".join(
        f'<td width="{cell_pct:.2f}%" bgcolor="{render.ACCENT}" valign="top">'
        f'<p style="color:{white}; font-size:{base_pt * 1.35:.1f}pt; font-weight:bold">{esc(f.acronym or f.title)}</p>'
        + (f'<p style="color:{white}">{esc(_column_title(f, version))}</p>' if titles_in_header else "")
        + "</td>"
        for f in comparison.fiches
    )
    top_html = page(
        f'{table}<tr><td width="{label_pct}%" bgcolor="{render.ACCENT}" valign="top">'
        f'<p style="color:{white}; font-weight:bold">Critère</p></td>{head}</tr></table>'
    )
    legend = (
        ""
        if titles_in_header
        else "".join(
            f"<p><b>{esc(f.acronym or f.title)}</b> : {esc(_column_title(f, version))}</p>" for f in comparison.fiches
        )
    )
    credit = render.credit_html(ctx) if any(c.falc for r in comparison.rows for c in r.cells) else ""
    acronyms = ", ".join(f.acronym or f.title for f in comparison.fiches)
    source_ids = [s for r in comparison.rows for c in r.cells for s in c.sources]
    part = Part(
        title=f"Comparaison : {acronyms}",
        html="",
        top_html=top_html,
        source=_source_labels(source_ids, sources),
        base_pt=base_pt,
        slug="comparaison",
    )

    def prepare(part: Part, device: QPagedPaintDevice, geometry: Geometry) -> None:
        px = device.logicalDpiX() / 96
        header = _new_document(device, base_pt)
        header.setHtml(top_html)
        header.setTextWidth(geometry.body.width())
        available = (geometry.body.height() - header.size().height()) * 0.98
        width = geometry.body.width() * cell_pct / 100 - 2 * (padding_px + 1) * px

        def height(html: str) -> float:
            doc = _new_document(device, base_pt)
            doc.setHtml(page(html))
            doc.setTextWidth(geometry.body.width())
            return float(doc.size().height())

        rows: list[str] = [legend]
        for row in comparison.rows:
            pieces = [_cell_pieces(c, sources, ctx.falc_pt, falc) for c in row.cells]
            bounds = [_piece_bounds(device, base_pt, page, p, width) for p in pieces]
            tables: list[str] = []
            for share in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):  # the cells alone underestimate a row a little
                chunks = _split_cells(pieces, bounds, available * share - 2 * (padding_px + 1) * px)
                tables = [
                    row_html(row.label if n == 0 else f"{row.label} (suite)", chunk) for n, chunk in enumerate(chunks)
                ]
                if len(tables) == 1 and share == 1.0 and height(tables[0]) <= available:
                    break
                if all(height(t) <= available for t in tables):
                    break
            rows += tables
        part.html = page("".join(rows) + credit)

    part.prepare = prepare
    return part


def export_comparison_pdf(db: ContentDB, slugs: Sequence[str], version: TextVersion, path: Path) -> int:
    """Writes the comparison of slugs (2 to 7 structures) to path: landscape A4; returns the page count."""
    fonts.register_fonts()  # the caller (app.py) made the QGuiApplication
    part = comparison_part(db, slugs, version)
    style = page_style(version, comparison=True)
    info = DocInfo(
        f"{part.title} ({_version_words(version)})",
        keywords=tuple(dict.fromkeys([*(s.upper() for s in slugs), *KEYWORDS])),
    )
    return _write_pdf(
        Path(path), info, style, lambda writer: paint_parts(writer, [part], style, version, _date_line(db))
    )


def print_comparison(db: ContentDB, slugs: Sequence[str], version: TextVersion, printer: QPagedPaintDevice) -> int:
    """Prints the comparison on printer (a QPrinter); returns the page count. Raises ExportError."""
    part = comparison_part(db, slugs, version)
    _prepare_printer(printer, DocInfo(part.title))
    return paint_parts(printer, [part], page_style(version, comparison=True), version, _date_line(db))


# --- Writing files -------------------------------------------------------------------------------


def _prepare_printer(printer: QPagedPaintDevice, info: DocInfo) -> None:
    from PySide6.QtPrintSupport import QPrinter

    if isinstance(printer, QPrinter):
        printer.setFullPage(True)  # our own margins; the origin is the paper's corner
        printer.setDocName(info.title)
        printer.setCreator(f"{AUTHOR} {__version__}")


def _xml(text: str) -> str:
    return html.escape(text, quote=True)


def xmp_metadata(info: DocInfo, when: _dt.datetime, document_id: str) -> bytes:
    """XMP packet: title, author, subject, keywords, creator tool and the language (fr-FR)."""
    stamp = when.isoformat(timespec="seconds")
    bag = "".join(f"<rdf:li>{_xml(k)}</rdf:li>" for k in info.keywords)
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(info.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{AUTHOR}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_xml(info.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:subject><rdf:Bag>{bag}</rdf:Bag></dc:subject>
   <dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{_xml(", ".join(info.keywords))}</pdf:Keywords>
   <pdf:Producer>Qt {_xml(_qt_version())}</pdf:Producer>
   <xmp:CreatorTool>{AUTHOR} {__version__}</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")


def _qt_version() -> str:
    from PySide6 import QtCore

    return str(QtCore.qVersion())


def _pdf_text(text: str) -> bytes:
    """A PDF text string in UTF-16BE hex, safe for any character."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _pdf_date(when: _dt.datetime) -> bytes:
    return when.strftime("(D:%Y%m%d%H%M%SZ)").encode("ascii")


def _dictionary_at(data: bytes, number: int) -> bytes | None:
    """The body of object number's dictionary (between its outer << >>), or None."""
    matches = list(re.finditer(rb"(?:^|[\r\n])%d 0 obj\s*<<" % number, data))
    if not matches:
        return None
    start = matches[-1].end()  # the last definition wins (a file may already hold an update)
    depth, i = 1, start
    while i < len(data) - 1 and depth:
        pair = data[i : i + 2]
        if pair == b"<<":
            depth, i = depth + 1, i + 2
        elif pair == b">>":
            depth, i = depth - 1, i + 2
        else:
            i += 1
    return data[start : i - 2] if depth == 0 else None


def add_document_info(data: bytes, info: DocInfo, when: _dt.datetime) -> bytes:
    """Appends an incremental update: a full Info dictionary (subject and keywords, which QPdfWriter
    cannot write) and the catalog's /Lang (fr-FR). Returns data unchanged if the file is not as expected."""
    try:
        startxref = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)[-1])
        trailer = data[data.rindex(b"trailer") :]
        size = int(re.search(rb"/Size\s+(\d+)", trailer).group(1))  # type: ignore[union-attr]
        root = int(re.search(rb"/Root\s+(\d+)\s+0\s+R", trailer).group(1))  # type: ignore[union-attr]
        info_ref = re.search(rb"/Info\s+(\d+)\s+0\s+R", trailer)
        ids = re.search(rb"/ID\s*(\[[^\]]*\])", trailer)
    except (ValueError, IndexError, AttributeError):
        log.warning("PDF metadata not updated: unexpected trailer")
        return data
    catalog = _dictionary_at(data, root)
    if catalog is None or b"/Lang" in catalog:
        return data
    info_number = int(info_ref.group(1)) if info_ref else size
    new_size = max(size, info_number + 1)
    entries = [
        (b"/Title", _pdf_text(info.title)),
        (b"/Author", _pdf_text(AUTHOR)),
        (b"/Subject", _pdf_text(info.subject)),
        (b"/Keywords", _pdf_text(", ".join(info.keywords))),
        (b"/Creator", _pdf_text(f"{AUTHOR} {__version__}")),
        (b"/Producer", _pdf_text(f"Qt {_qt_version()}")),
        (b"/CreationDate", _pdf_date(when)),
        (b"/ModDate", _pdf_date(when)),
    ]
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, int] = {}
    offsets[info_number] = len(out)
    out += b"%d 0 obj\n<<\n" % info_number + b"".join(k + b" " + v + b"\n" for k, v in entries) + b">>\nendobj\n"
    offsets[root] = len(out)
    out += b"%d 0 obj\n<<" % root + catalog.rstrip() + b"\n/Lang (" + LANGUAGE.encode() + b")\n>>\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for number in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    out += b"trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n/Prev %d\n" % (new_size, root, info_number, startxref)
    if ids:
        out += b"/ID " + ids.group(1) + b"\n"
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _check_output(path: Path) -> Path:
    """path if a PDF may be written there (files.check_output's rules); else ExportError."""
    try:
        return files.check_output(path)
    except files.OutputError as e:
        raise ExportError(str(e)) from None


def os_error_message(error: OSError, path: Path) -> str:
    """A one-line French message for a failed write of path (files.french_os_error)."""
    return files.french_os_error(error, path)


def _write_pdf(path: Path, info: DocInfo, style: PageStyle, paint: Callable[[QPdfWriter], int]) -> int:
    """Paints into an in-memory PDF, then files.write_output: no partial file, nothing clobbered."""
    path = _check_output(path)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    when = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), style.orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter
        )
    )
    writer.setTitle(info.title)
    writer.setAuthor(AUTHOR)
    writer.setCreator(f"{AUTHOR} {__version__}")
    writer.setDocumentXmpMetadata(QByteArray(xmp_metadata(info, when, str(uuid.uuid4()))))
    pages = paint(writer)
    del writer  # flushes the end of the file into the buffer
    data = add_document_info(bytes(buffer.data().data()), info, when)
    buffer.close()
    if not data.startswith(b"%PDF"):
        raise ExportError("Le PDF n’a pas pu être produit.")
    try:
        files.write_output(path, data)
    except files.OutputError as e:
        raise ExportError(str(e)) from None
    return pages
