"""Side-by-side comparison of structures: rows of criteria, one cell per structure. No Qt.

The rows are first the short comparison attributes (composition, mode d'exercice, lieu, …), each
value a quotation with its source; then the long texts of the source's summary table (Définition,
Périmètre, Soins), a second level the screen folds. A row differs when the sources give two
different values for it: a structure they say nothing about is not a difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fiche_desktop.content import CRITERIA, Fiche, Section, Source, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.files import clip
from fiche_desktop.presentation import Attribution, part_attribution, quoted_attribution

DEFAULT_SLUGS = ("esp", "msp", "cds", "cpts", "dac", "sas")
STRUCTURE_SLUGS = ("esp", "ess", "msp", "cds", "cpts", "dac", "sas")
MIN_COLUMNS, MAX_COLUMNS = 2, 7

# The three rows of the source's summary table, then the comparison attributes.
SUMMARY_ROWS = (
    ("definition", "Définition", "resume-definition"),
    ("perimetre", "Public / périmètre", "resume-perimetre"),
    ("soins", "Soins et prises en charge", "resume-soins"),
)


# Criteria whose values are items of a list in their section (texts, funding): when the section
# lists more items than the values, the cell says it is an extract.
LIST_CRITERIA = frozenset({"textes", "financement"})
# Lines of a section that are not items: where to read more, addresses, the list's lead-in.
_NOT_ITEMS = re.compile(r"^(pour (en )?aller plus loin|pour en savoir plus|https?://)|:$", re.IGNORECASE)


class ComparisonError(ValueError):
    """A request the comparison cannot honour; the message is French."""


@dataclass(frozen=True)
class Cell:
    lines: tuple[str, ...]  # paragraphs or FALC lines; empty when the sources say nothing
    attributions: tuple[Attribution, ...]  # the source and date of the lines, each once (presentation's rule)
    section: str | None  # the fiche section the cell comes from
    falc: bool = False  # lines are validated FALC text
    notice: bool = False  # FALC was asked for but the cell only has standard text
    partial: bool = False  # the fiche lists more than these values (« extrait — voir la fiche »)
    sections: tuple[str, ...] = ()  # every section the lines are quoted from, in order
    line_attributions: tuple[Attribution, ...] = ()  # each line's, when the lines have different ones

    @property
    def empty(self) -> bool:
        return not self.lines

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the sources the lines are quoted from, each once."""
        return tuple(dict.fromkeys(a.source for a in self.attributions))

    def key(self) -> str:
        """The value, for equality: case, spaces and final punctuation do not count."""
        return " ".join(" ".join(line.rstrip(" .;") for line in self.lines).casefold().split())


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]
    kind: str = "attribute"  # attribute | text (a long text of the summary table)

    @property
    def stated(self) -> int:
        """How many structures the sources give a value for."""
        return sum(not c.empty for c in self.cells)

    @property
    def differs(self) -> bool:
        """True when the sources give at least two different values (silence is no difference)."""
        return len({c.key() for c in self.cells if not c.empty}) > 1

    def runs(self) -> list[tuple[int, int]]:
        """(first column, count) of each run of two or more adjacent columns with the same value."""
        out: list[tuple[int, int]] = []
        start = 0
        for i in range(1, len(self.cells) + 1):
            if i == len(self.cells) or self.cells[i].empty or self.cells[i].key() != self.cells[start].key():
                if i - start > 1 and not self.cells[start].empty:
                    out.append((start, i - start))
                start = i
        return out

    def same_as(self, column: int) -> int | None:
        """An earlier, not adjacent column with the same value as column (shown once, there), or None."""
        cell = self.cells[column]
        if cell.empty:
            return None
        for i in range(column - 1):
            if self.cells[i].key() == cell.key() and not any(
                self.cells[j].key() == cell.key() for j in range(i + 1, column)
            ):
                return i
        return None


@dataclass(frozen=True)
class Comparison:
    fiches: tuple[Fiche, ...]
    version: TextVersion
    rows: tuple[Row, ...]

    @property
    def slugs(self) -> list[str]:
        return [f.slug for f in self.fiches]

    def visible_rows(self, differences_only: bool, texts: bool = True) -> list[Row]:
        """The rows shown: all, or only those that differ; the long texts only when asked."""
        return [r for r in self.rows if (r.differs or not differences_only) and (texts or r.kind == "attribute")]

    @property
    def attribute_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "attribute"]

    @property
    def text_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "text"]


def parse_slugs(text: str) -> list[str]:
    """'esp, MSP,cds' -> ['esp', 'msp', 'cds']."""
    return [s.strip().lower() for s in text.split(",") if s.strip()]


def build_comparison(db: ContentDB, slugs: list[str], version: TextVersion) -> Comparison:
    """The comparison of 2 to 7 structures. Raises ComparisonError on a bad choice."""
    unknown = [s for s in slugs if s not in STRUCTURE_SLUGS]
    if unknown:
        raise ComparisonError(
            f"Structure inconnue : {clip(', '.join(unknown))}. Choisissez parmi : {', '.join(STRUCTURE_SLUGS)}"
        )
    if len(set(slugs)) != len(slugs):
        raise ComparisonError("Chaque structure ne peut être choisie qu’une fois.")
    if not MIN_COLUMNS <= len(slugs) <= MAX_COLUMNS:
        raise ComparisonError(f"Choisissez de {MIN_COLUMNS} à {MAX_COLUMNS} structures à comparer.")
    fiches = []
    for slug in slugs:
        fiche = db.fiche(slug)
        if fiche is None:
            raise ComparisonError(f"Fiche absente de la base : {clip(slug)}")
        fiches.append(fiche)
    sources = db.sources()
    rows = []
    for criterion, label in CRITERIA.items():
        cells = tuple(_attribute_cell(f, criterion, version, sources) for f in fiches)
        if any(not c.empty for c in cells):
            rows.append(Row(criterion, label, cells))
    for key, label, sid in SUMMARY_ROWS:
        rows.append(Row(key, label, tuple(_summary_cell(f, sid, version, sources) for f in fiches), kind="text"))
    return Comparison(tuple(fiches), version, tuple(rows))


def _summary_cell(fiche: Fiche, section_id: str, version: TextVersion, sources: dict[str, Source]) -> Cell:
    section = fiche.section(section_id)
    if section is None:
        if section_id == "resume-definition" and fiche.summary and fiche.summary_source:
            # ESS has no summary table row: its short definition is a quoted sentence.
            first = next((s.id for s in fiche.sections if fiche.summary in s.text), None)
            return Cell(
                (fiche.summary,),
                (quoted_attribution(fiche, first, fiche.summary_source, sources),),
                first,
                notice=version is TextVersion.FALC,
                sections=(first,) if first else (),
            )
        return Cell((), (), None)
    shown = (part_attribution(section, version, sources),)
    if version is TextVersion.FALC and section.has_falc:
        return Cell(tuple(section.falc), shown, section.id, falc=True, sections=(section.id,))
    lines = tuple(p[2:] if p.startswith("- ") else p for p in section.paragraphs())
    return Cell(lines, shown, section.id, notice=version is TextVersion.FALC, sections=(section.id,))


def _attribute_cell(fiche: Fiche, criterion: str, version: TextVersion, sources: dict[str, Source]) -> Cell:
    """The values the sources give fiche for criterion (standard text: no value has FALC wording)."""
    attrs = [a for a in fiche.attributes if a.criterion == criterion]
    if not attrs:
        return Cell((), (), None)
    each = tuple(quoted_attribution(fiche, a.section, a.source, sources) for a in attrs)
    shown = tuple(dict.fromkeys(each))
    sections = tuple(dict.fromkeys(a.section for a in attrs))
    values = tuple(a.value for a in attrs)
    partial = criterion in LIST_CRITERIA and any(
        _uncovered_items(fiche.section(sid), values) for sid in sections if fiche.section(sid)
    )
    return Cell(
        values,
        shown,
        attrs[0].section,
        notice=version is TextVersion.FALC,
        partial=partial,
        sections=sections,
        line_attributions=each if len(shown) > 1 else (),
    )


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .;,")


def list_items(section: Section) -> list[str]:
    """The items a section lists: its lines (bullets included) and the parts of a line cut by « ; »,
    without lead-ins, addresses and « pour en savoir plus »."""
    items = []
    for line in section.paragraphs():
        line = line[2:] if line.startswith("- ") else line
        for item in line.split(" ; "):
            if item.strip() and not _NOT_ITEMS.search(item.strip()):
                items.append(item)
    return items


def _uncovered_items(section: Section | None, values: tuple[str, ...]) -> list[str]:
    """The items of section that none of values quotes (nor is quoted in)."""
    if section is None:
        return []
    norm_values = [_norm(v) for v in values]
    return [
        item for item in list_items(section) if not any(v in _norm(item) or _norm(item) in v for v in norm_values if v)
    ]


@dataclass(frozen=True)
class Passage:
    """A whole section behind a cell, for the cell's full view."""

    fiche: str
    section: str
    title: str
    level: str
    lines: tuple[str, ...]  # paragraphs ('- ' bullets kept) or FALC lines
    attribution: Attribution  # its source and date in the version shown
    falc: bool


def passages(fiche: Fiche, cell: Cell, version: TextVersion, sources: dict[str, Source]) -> list[Passage]:
    """The sections a cell quotes, whole, in the version shown (FALC only where validated)."""
    out = []
    for sid in cell.sections:
        s = fiche.section(sid)
        if s is None:
            continue
        if version is TextVersion.FALC and s.has_falc and (cell.falc or not cell.lines):
            shown = TextVersion.FALC
            out.append(
                Passage(
                    fiche.slug,
                    s.id,
                    s.display_title(version),
                    s.level,
                    s.falc,
                    part_attribution(s, shown, sources),
                    True,
                )
            )
        else:
            shown = TextVersion.STANDARD
            title, lines = s.title, tuple(s.paragraphs())
            out.append(Passage(fiche.slug, s.id, title, s.level, lines, part_attribution(s, shown, sources), False))
    return out
