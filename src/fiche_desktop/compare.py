"""Side-by-side comparison of structures: rows of criteria, one cell per structure. No Qt."""

from __future__ import annotations

from dataclasses import dataclass

from fiche_desktop.content import CRITERIA, Fiche, TextVersion
from fiche_desktop.db import ContentDB

DEFAULT_SLUGS = ("esp", "msp", "cds", "cpts", "dac", "sas")
STRUCTURE_SLUGS = ("esp", "ess", "msp", "cds", "cpts", "dac", "sas")
MIN_COLUMNS, MAX_COLUMNS = 2, 7

# The three rows of the source's summary table, then the comparison attributes.
SUMMARY_ROWS = (
    ("definition", "Définition", "resume-definition"),
    ("perimetre", "Public / périmètre", "resume-perimetre"),
    ("soins", "Soins et prises en charge", "resume-soins"),
)


class ComparisonError(ValueError):
    """A request the comparison cannot honour; the message is French."""


@dataclass(frozen=True)
class Cell:
    lines: tuple[str, ...]  # paragraphs or FALC lines; empty when the sources say nothing
    sources: tuple[str, ...]  # source ids
    section: str | None  # the fiche section the cell comes from
    falc: bool = False  # lines are validated FALC text
    notice: bool = False  # FALC was asked for but the cell only has standard text

    @property
    def empty(self) -> bool:
        return not self.lines

    def key(self) -> str:
        return " ".join(" ".join(self.lines).casefold().split())


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]

    @property
    def differs(self) -> bool:
        """True unless every column says the same thing."""
        return len({c.key() for c in self.cells}) > 1


@dataclass(frozen=True)
class Comparison:
    fiches: tuple[Fiche, ...]
    version: TextVersion
    rows: tuple[Row, ...]

    @property
    def slugs(self) -> list[str]:
        return [f.slug for f in self.fiches]

    def visible_rows(self, differences_only: bool) -> list[Row]:
        return [r for r in self.rows if r.differs or not differences_only]


def parse_slugs(text: str) -> list[str]:
    """'esp, MSP,cds' -> ['esp', 'msp', 'cds']."""
    return [s.strip().lower() for s in text.split(",") if s.strip()]


def build_comparison(db: ContentDB, slugs: list[str], version: TextVersion) -> Comparison:
    """The comparison of 2 to 7 structures. Raises ComparisonError on a bad choice."""
    unknown = [s for s in slugs if s not in STRUCTURE_SLUGS]
    if unknown:
        raise ComparisonError(
            f"Structure inconnue : {', '.join(unknown)}. Choisissez parmi : {', '.join(STRUCTURE_SLUGS)}"
        )
    if len(set(slugs)) != len(slugs):
        raise ComparisonError("Chaque structure ne peut être choisie qu’une fois.")
    if not MIN_COLUMNS <= len(slugs) <= MAX_COLUMNS:
        raise ComparisonError(f"Choisissez de {MIN_COLUMNS} à {MAX_COLUMNS} structures à comparer.")
    fiches = []
    for slug in slugs:
        fiche = db.fiche(slug)
        if fiche is None:
            raise ComparisonError(f"Fiche absente de la base : {slug}")
        fiches.append(fiche)
    rows = [Row(key, label, tuple(_summary_cell(f, sid, version) for f in fiches)) for key, label, sid in SUMMARY_ROWS]
    for criterion, label in CRITERIA.items():
        cells = tuple(_attribute_cell(f, criterion, version) for f in fiches)
        if any(not c.empty for c in cells):
            rows.append(Row(criterion, label, cells))
    return Comparison(tuple(fiches), version, tuple(rows))


def _summary_cell(fiche: Fiche, section_id: str, version: TextVersion) -> Cell:
    section = fiche.section(section_id)
    if section is None:
        if section_id == "resume-definition" and fiche.summary and fiche.summary_source:
            # ESS has no summary table row: its short definition is a quoted sentence.
            first = next((s.id for s in fiche.sections), None)
            return Cell((fiche.summary,), (fiche.summary_source,), first, notice=version is TextVersion.FALC)
        return Cell((), (), None)
    if version is TextVersion.FALC and section.has_falc:
        return Cell(tuple(section.falc), (section.falc_source or section.source,), section.id, falc=True)
    lines = tuple(p[2:] if p.startswith("- ") else p for p in section.paragraphs())
    return Cell(lines, (section.source,), section.id, notice=version is TextVersion.FALC)


def _attribute_cell(fiche: Fiche, criterion: str, version: TextVersion) -> Cell:
    attrs = [a for a in fiche.attributes if a.criterion == criterion]
    if not attrs:
        return Cell((), (), None)
    sources = tuple(dict.fromkeys(a.source for a in attrs))
    return Cell(tuple(a.value for a in attrs), sources, attrs[0].section, notice=version is TextVersion.FALC)
