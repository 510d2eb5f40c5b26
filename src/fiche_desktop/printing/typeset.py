"""Data -> typst -> PDF bytes or SVG pages; PDF files written whole or not at all. No Qt.

The content reaches the templates as JSON through `sys.inputs` (read with `json()`), never as generated
markup: no character of the content can be read as typst syntax. Fonts come from resources/fonts only,
so that a document is set the same on every machine. Every PDF is tagged PDF/UA-1.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import typst

if TYPE_CHECKING:
    from typst import PDFStandard

from fiche_desktop import files, paths
from fiche_desktop.printing.data import PrintError

log = logging.getLogger(__name__)

PDF_STANDARDS: list[PDFStandard] = ["ua-1"]
TEMPLATES = ("fiche.typ", "handout.typ", "booklet.typ", "comparison.typ")

_lock = threading.Lock()
_compilers: dict[tuple[str, str], typst.Compiler] = {}


def templates_dir() -> Path:
    return paths.resources_dir() / "typst"


def _compiler() -> typst.Compiler:
    """One compiler per resources folder: it keeps the fonts loaded and caches what did not change."""
    key = (str(templates_dir()), str(paths.fonts_dir()))
    compiler = _compilers.get(key)
    if compiler is None:
        for name in paths.FONT_FILES:  # a broken installation is named, not typeset in another font
            paths.require(paths.fonts_dir() / name)
        fonts = typst.Fonts(
            include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(paths.fonts_dir())]
        )
        compiler = typst.Compiler(root=str(templates_dir()), font_paths=fonts, ignore_system_fonts=True)
        _compilers[key] = compiler
    return compiler


def compile_template(template: str, data: dict[str, Any], fmt: Literal["pdf", "svg"]) -> bytes | list[bytes]:
    """Sets data with template ('fiche.typ'...) as 'pdf' (bytes) or 'svg' (one SVG per page). Raises PrintError."""
    path = templates_dir() / template
    if not path.is_file():
        raise PrintError(f"Mise en page impossible : le modèle d’impression « {template} » est introuvable.")
    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    try:
        with _lock:
            result = _compiler().compile(
                input=str(path),
                format=fmt,
                sys_inputs=inputs,
                pdf_standards=PDF_STANDARDS if fmt == "pdf" else None,
                timestamp=_dt.datetime.now(_dt.UTC).replace(microsecond=0),
            )
    except typst.TypstError as e:
        log.error("typst could not set %s: %s %s", template, e.message, " | ".join(e.hints or []))
        raise PrintError(
            f"Mise en page impossible : le modèle d’impression « {template} » contient une erreur."
        ) from None
    except (RuntimeError, OSError) as e:
        log.error("typst failed on %s: %s", template, e)
        raise PrintError(f"Mise en page impossible avec le modèle d’impression « {template} ».") from None
    if fmt == "svg":
        pages = result if isinstance(result, list) else [result]
        return [bytes(p) for p in pages if p is not None]
    assert isinstance(result, bytes)
    return result


def part_page_counts(template: str, data: dict[str, Any]) -> list[int]:
    """The pages each part of a document of parts (fiches, handouts, booklet) takes, in the order of
    data["parts"]: read from the markers that style.typ's part-pages leaves. Raises PrintError."""
    path = templates_dir() / template
    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    try:
        with _lock:
            _compiler()  # the fonts checked, as for a compilation
            found = typst.query(
                str(path),
                "<part-pages>",
                field="value",
                root=str(templates_dir()),
                font_paths=[str(paths.fonts_dir())],
                ignore_system_fonts=True,
                sys_inputs=inputs,
            )
    except (typst.TypstError, RuntimeError, OSError) as e:
        log.error("typst could not measure %s: %s", template, e)
        raise PrintError(f"Mise en page impossible avec le modèle d’impression « {template} ».") from None
    marks = json.loads(found)
    starts = [m["start"] for m in marks if "start" in m]
    ends = [m["end"] for m in marks if "end" in m]
    return [end - start + 1 for start, end in zip(starts, ends, strict=True)]


_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF that typst wrote (its page objects are never compressed in object streams)."""
    return len(_PAGE.findall(pdf))


@dataclass
class Document:
    """One document to set: a template and its data; PDF and SVG pages made on demand, once."""

    template: str
    data: dict[str, Any]
    landscape: bool = False
    _pdf: bytes | None = field(default=None, repr=False)
    _svg: list[bytes] | None = field(default=None, repr=False)

    @property
    def title(self) -> str:
        return str(self.data["meta"]["title"])

    def pdf(self) -> bytes:
        if self._pdf is None:
            result = compile_template(self.template, self.data, "pdf")
            assert isinstance(result, bytes)
            self._pdf = result
        return self._pdf

    def svg_pages(self) -> list[bytes]:
        if self._svg is None:
            result = compile_template(self.template, self.data, "svg")
            assert isinstance(result, list)
            self._svg = result
        return self._svg

    def part_page_counts(self) -> list[int]:
        """The pages each of data["parts"] takes (templates that set each part with part-pages)."""
        return part_page_counts(self.template, self.data)

    @property
    def page_count(self) -> int:
        if self._svg is not None:
            return len(self._svg)
        if self._pdf is not None:
            return pdf_page_count(self._pdf)
        return len(self.svg_pages())

    def write_pdf(self, target: Path) -> int:
        """Writes the PDF to target (whole, or not at all); returns its page count. Raises PrintError."""
        target = check_output(Path(target))
        data = self.pdf()
        write_file(target, data)
        return pdf_page_count(data)


# --- Writing files --------------------------------------------------------------------------------


def check_output(path: Path) -> Path:
    """path, expanded, if a PDF may be written there (files.check_output); else PrintError."""
    try:
        return files.check_output(path)
    except files.OutputError as e:
        raise PrintError(str(e)) from None


def os_error_message(error: OSError, path: Path) -> str:
    """A one-line French message for a failed write of path (never the system's English text)."""
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"Espace disque insuffisant : « {path.name} » n’a pas été enregistré."
    if code == errno.EROFS:
        return f"Impossible d’écrire dans le dossier « {path.parent} » : le disque est en lecture seule."
    if isinstance(error, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return f"Impossible d’écrire dans le dossier « {path.parent} » : accès refusé."
    if isinstance(error, IsADirectoryError) or code == errno.EISDIR:
        return f"« {path} » est un dossier : indiquez un nom de fichier PDF."
    if isinstance(error, FileNotFoundError | NotADirectoryError) or code in (errno.ENOENT, errno.ENOTDIR):
        return f"Dossier introuvable ou invalide : « {path.parent} »."
    if code == errno.ENAMETOOLONG:
        return f"Nom de fichier trop long : « {path.name} »."
    return f"Impossible d’enregistrer « {path} » (erreur système {code or 'inconnue'})."


def write_file(target: Path, data: bytes) -> None:
    """Writes data through files.write_output (an exclusive temporary beside target, renamed over
    it): no file at target on failure, an existing target kept until the new one is complete,
    nothing that is not a plain writable file replaced. Raises PrintError."""
    try:
        files.write_output(target, data)
    except files.OutputError as e:
        raise PrintError(str(e)) from None
