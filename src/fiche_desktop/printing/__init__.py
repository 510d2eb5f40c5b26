"""Every PDF and printout, set by typst from templates fed with the content as data. No Qt here:
gui/paper.py, the one module that paints on a QPrinter, lives with the Qt services.

    fiches_document(db, slugs, version, booklet=..., contact=...) -> Document (.pdf(), .svg_pages(), .page_count)
    comparison_document(db, slugs, version) -> Document
    export_fiches_pdf(...) / export_comparison_pdf(...) -> pages written
    send_to_printer(document, printer=..., copies=...) -> spool.Job (CUPS gets the PDF itself)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fiche_desktop.content import TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.printing import data, spool
from fiche_desktop.printing.data import Contact, PrintError
from fiche_desktop.printing.typeset import Document, check_output, os_error_message, write_file

__all__ = [
    "Document",
    "PrintError",
    "check_output",
    "comparison_document",
    "export_comparison_pdf",
    "export_fiches_pdf",
    "fiches_document",
    "os_error_message",
    "printed_message",
    "send_to_printer",
    "write_file",
]


def fiches_document(
    db: ContentDB,
    slugs: Sequence[str],
    version: TextVersion,
    *,
    booklet: bool = False,
    contact: Contact = None,
) -> Document:
    """The fiches as one document: standard, the professional fiches; FALC, each one's patient handout;
    booklet, the whole booklet (cover, contents, fiches, glossary, sources). Raises PrintError."""
    if booklet:
        return fitted(Document("booklet.typ", data.booklet_doc(db, slugs, version, contact)))
    template = "handout.typ" if version is TextVersion.FALC else "fiche.typ"
    return fitted(Document(template, data.fiches_doc(db, slugs, version, contact)))


def fitted(document: Document) -> Document:
    """document, whose useful-contact boxes (page 1 of their fiche) add no page to their part when it
    can be helped: each part's pages counted with and without its box, and the box of each part that
    it makes longer is made compact (name, phone and label); the other parts keep their whole box.
    Documents without a box are set once, as before."""
    parts = document.data["parts"]
    if not any(p.get("useful") for p in parts):
        return document
    bare = {**document.data, "parts": [{**p, "useful": None} for p in parts]}
    without = Document(document.template, bare, document.landscape).part_page_counts()
    grown = [
        p for p, n, m in zip(parts, document.part_page_counts(), without, strict=True) if p.get("useful") and n > m
    ]
    if not grown:
        return document
    for p in grown:
        p["useful"] = {**p["useful"], "compact": True}
    return Document(document.template, document.data, document.landscape)


def comparison_document(db: ContentDB, slugs: Sequence[str], version: TextVersion) -> Document:
    """The comparison of 2 to 7 structures: standard, a table on A4 landscape; FALC, one block per
    structure on A4 portrait. Raises PrintError."""
    landscape = version is not TextVersion.FALC
    return Document("comparison.typ", data.comparison_doc(db, slugs, version), landscape=landscape)


def export_fiches_pdf(
    db: ContentDB,
    slugs: Sequence[str],
    version: TextVersion,
    path: Path,
    *,
    booklet: bool = False,
    contact: Contact = None,
) -> int:
    """Writes the fiches (or the booklet) to path as a PDF; returns the pages written. Raises PrintError."""
    target = check_output(Path(path))
    return fiches_document(db, slugs, version, booklet=booklet, contact=contact).write_pdf(target)


def export_comparison_pdf(db: ContentDB, slugs: Sequence[str], version: TextVersion, path: Path) -> int:
    """Writes the comparison to path as a PDF; returns the pages written. Raises PrintError."""
    target = check_output(Path(path))
    return comparison_document(db, slugs, version).write_pdf(target)


def send_to_printer(
    document: Document,
    *,
    printer: str | None = None,
    copies: int = 1,
    sides: str | None = None,
    page_ranges: str | None = None,
) -> spool.Job:
    """Sends the document's PDF itself to a CUPS queue (the default one when printer is None) and
    returns the job. Raises PrintError (French) when the queue refuses or stops on it."""
    pdf = document.pdf()
    pages = document.page_count
    return spool.send_pdf(
        pdf, title=document.title, pages=pages, printer=printer, copies=copies, sides=sides, page_ranges=page_ranges
    )


def printed_message(job: spool.Job) -> str:
    """What the window and the command line say once the printer has the job."""
    pages = f"{job.pages} page{'s' if job.pages > 1 else ''}"
    copies = f", {job.copies} exemplaires" if job.copies > 1 else ""
    if job.waiting:
        return (
            f"Impression en attente sur « {job.printer} » ({pages}{copies}) : l’imprimante ne l’a pas encore "
            "prise. Vérifiez qu’elle est allumée et reliée."
        )
    return f"Impression envoyée à « {job.printer} » ({pages}{copies})."
