"""« Quelle structure ? »: the orientation guide's answers, resolved against the content. No Qt.

The paths, the questions and which fiches answer them are written by the project (and shown as
such). Everything else an answer shows is a quotation: a sentence of a section, word for word,
or in FALC the validated FALC lines of that section, each with its source and date.
"""

from __future__ import annotations

from dataclasses import dataclass

from fiche_desktop.compare import DEFAULT_SLUGS, MAX_COLUMNS, STRUCTURE_SLUGS
from fiche_desktop.content import Fiche, GuidePath, GuideQuestion, GuideQuote, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.presentation import part_attribution

PROJECT_MARK = "rédigé par Fiche Desktop à partir des sources"
PROJECT_NOTE = (
    "Questions et orientation : texte rédigé par Fiche Desktop à partir des sources. "
    "Les réponses sont des citations mot pour mot, avec leur source et leur date."
)
FALC_NOTE = "Les questions ne sont pas du texte FALC validé : elles sont écrites par Fiche Desktop."


@dataclass(frozen=True)
class Quote:
    """A quotation ready to show: the sentence (or validated FALC lines) and where it comes from."""

    fiche: str
    section: str
    section_title: str
    level: str
    lines: tuple[str, ...]
    falc: bool  # the lines are validated FALC text
    source: str  # source id
    date: str | None  # presentation.part_attribution's date: the section's, else its source's


@dataclass(frozen=True)
class GuideAnswer:
    question: GuideQuestion
    fiches: tuple[Fiche, ...]  # the fiches that fit, best first
    quotes: tuple[Quote, ...]
    compare: tuple[str, ...]  # the structures to compare (the candidates, or one and the others), or ()

    def quotes_for(self, slug: str) -> list[Quote]:
        return [q for q in self.quotes if q.fiche == slug]

    @property
    def structures(self) -> list[str]:
        return [f.slug for f in self.fiches if f.slug in STRUCTURE_SLUGS]


class GuideError(LookupError):
    """The guide refers to content this base does not have; the message is French."""


def paths(db: ContentDB) -> list[GuidePath]:
    return db.guide_paths()


def questions(db: ContentDB, path: str | None = None) -> list[GuideQuestion]:
    return [q for q in db.guide_questions() if path is None or q.path == path]


def compare_slugs(structures: list[str]) -> tuple[str, ...]:
    """The comparison behind an answer: its structures; a lone one beside the usual others."""
    if len(structures) >= 2:
        return tuple(structures[:MAX_COLUMNS])
    if len(structures) == 1:
        return tuple([structures[0], *(s for s in DEFAULT_SLUGS if s != structures[0])][:MAX_COLUMNS])
    return ()


def resolve(db: ContentDB, question: GuideQuestion, version: TextVersion) -> GuideAnswer:
    """The answer to show for question in version: FALC lines only where the FALC source has them."""
    fiches: list[Fiche] = []
    for slug in question.fiches:
        fiche = db.fiche(slug)
        if fiche is None:
            raise GuideError(f"Le guide cite une fiche absente de la base : {slug}")
        fiches.append(fiche)
    by_slug = {f.slug: f for f in fiches}
    sources = db.sources()
    quotes: list[Quote] = []
    for q in question.quotes:
        fiche = by_slug.get(q.fiche)
        section = fiche.section(q.section) if fiche else None
        if section is None:
            raise GuideError(f"Le guide cite une partie absente de la base : {q.fiche}, {q.section}")
        falc = version is TextVersion.FALC and bool(q.falc)
        shown = part_attribution(section, TextVersion.FALC if falc else TextVersion.STANDARD, sources)
        title = section.display_title(version) if falc else section.title
        lines = q.falc if falc else (q.text,)
        quotes.append(Quote(q.fiche, q.section, title, section.level, lines, falc, shown.source, shown.date))
    structures = [f.slug for f in fiches if f.slug in STRUCTURE_SLUGS]
    return GuideAnswer(question, tuple(fiches), tuple(quotes), compare_slugs(structures))


def unverified(db: ContentDB) -> list[str]:
    """Every quote of the guide that is not, word for word, in its section of this base: [] expected.
    (The build checks the same at build time; this checks a base as it is read, packs included.)"""
    problems = []
    for question in db.guide_questions():
        for q in question.quotes:
            fiche = db.fiche(q.fiche)
            section = fiche.section(q.section) if fiche else None
            if section is None:
                problems.append(f"{question.id} : partie absente {q.fiche}#{q.section}")
                continue
            if " ".join(q.text.split()) not in " ".join(section.text.split()):
                problems.append(f"{question.id} : citation absente de {q.fiche}#{q.section} : {q.text}")
            if q.falc and not _in_order(q.falc, section.falc):
                problems.append(f"{question.id} : lignes FALC absentes de {q.fiche}#{q.section}")
    return problems


def _in_order(lines: tuple[str, ...], within: tuple[str, ...]) -> bool:
    n = len(lines)
    return any(within[i : i + n] == lines for i in range(len(within) - n + 1))


__all__ = [
    "FALC_NOTE",
    "PROJECT_MARK",
    "PROJECT_NOTE",
    "GuideAnswer",
    "GuideError",
    "GuideQuote",
    "Quote",
    "compare_slugs",
    "paths",
    "questions",
    "resolve",
    "unverified",
]
