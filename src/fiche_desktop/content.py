"""Domain types of the content base: fiches, sections, sources, glossary, errata.

The read-only types are NamedTuples rather than frozen dataclasses: the window's first frame
needs them, and a NamedTuple class is about seven times cheaper to create (start-up time).
No `from __future__ import annotations` here: typing.NamedTuple compiles each field's string
annotation into a ForwardRef (about 3 M instructions of the first frame for these types).
"""

import datetime as _dt
import functools
import re
import threading
import unicodedata
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, NamedTuple


class TextVersion(StrEnum):
    """The two versions of every text: standard French or FALC (easy to read)."""

    STANDARD = "standard"
    FALC = "falc"


SCHEMA_VERSION = 1
"""Version of the data.db schema; bumped on every incompatible change."""

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# Comparison criteria, in display order, with their French labels.
CRITERIA: dict[str, str] = {
    "composition": "Composition, équipe minimale",
    "exercice": "Mode d’exercice",
    "lieu": "Lieu physique",
    "hebergement": "Hébergement",
    "recours": "Niveau de soins",
    "echelle": "Échelle",
    "implantation": "Implantation (ville / rural)",
    "statut": "Statut juridique",
    "financement": "Financement",
    "textes": "Textes de référence",
    "perspectives": "Perspectives",
}

FICHE_KINDS = ("overview", "structure", "tool", "topic")
GROUPS = ("soins", "coordination", "outils", "autres")
SECTION_LEVELS = ("summary", "detail", "other")


def date_in_words(iso: str | None) -> str:
    """'2024-09-25' -> '25 septembre 2024'; None or '' -> 'non daté'."""
    if not iso:
        return "non daté"
    d = _dt.date.fromisoformat(iso)
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS_FR[d.month - 1]} {d.year}"


def date_span(sources: Iterable["Source"]) -> str:
    """« sources du 16 juillet 2020 au 25 septembre 2024, 2 non datées »: the span of the
    sources' own dates, never one date that is false for some."""
    sources = list(sources)
    dates = sorted(s.date for s in sources if s.date)
    undated = len(sources) - len(dates)
    if not dates:
        text = "sources non datées"
    elif dates[0] == dates[-1]:
        text = f"sources du {date_in_words(dates[0])}"
    else:
        text = f"sources du {date_in_words(dates[0])} au {date_in_words(dates[-1])}"
    if dates and undated:
        text += f", {undated} non datée{'s' if undated > 1 else ''}"
    return text


class Source(NamedTuple):
    id: str
    file: str
    title: str
    publisher: str
    kind: str
    date: str | None = None
    date_text: str | None = None
    credit: str | None = None
    short: str | None = None

    @property
    def label(self) -> str:
        """A short name for lists of sources."""
        return self.short or self.title


class Erratum(NamedTuple):
    source: str
    fiche: str
    section: str
    original: str
    correction: str
    note: str


class Section(NamedTuple):
    fiche: str
    id: str
    level: str
    title: str
    source: str
    text: str
    position: int
    falc_title: str | None = None
    date: str | None = None
    more: str | None = None
    falc_source: str | None = None
    falc: tuple[str, ...] = ()

    @property
    def has_falc(self) -> bool:
        return bool(self.falc)

    def display_title(self, version: TextVersion) -> str:
        """The title the FALC source gives this part, when it is shown in FALC; else its title."""
        if version is TextVersion.FALC and self.has_falc and self.falc_title:
            return self.falc_title
        return self.title

    def paragraphs(self) -> list[str]:
        """The standard text's lines: one paragraph or one bullet ('- ') each."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class Link(NamedTuple):
    fiche: str
    url: str
    source: str
    label: str | None = None
    section: str | None = None


class Attribute(NamedTuple):
    fiche: str
    criterion: str
    value: str
    source: str
    section: str
    project: bool = False


class Term(NamedTuple):
    term: str
    expansion: str
    definition: str
    source: str | None
    project: bool
    aliases: tuple[str, ...] = ()


class Contact(NamedTuple):
    fiche: str
    sector: str
    name: str
    email: str
    phone: str
    source: str


class Group(NamedTuple):
    id: str
    title: str
    falc_title: str
    members: tuple[str, ...]

    def display_title(self, version: TextVersion) -> str:
        return self.falc_title or self.title if version is TextVersion.FALC else self.title


class Fiche(NamedTuple):
    slug: str
    title: str
    kind: str
    group: str
    order: int
    acronym: str | None = None
    falc_title: str | None = None
    date: str | None = None
    summary: str | None = None
    summary_source: str | None = None
    sections: tuple[Section, ...] = ()
    links: tuple[Link, ...] = ()
    attributes: tuple[Attribute, ...] = ()

    @property
    def label(self) -> str:
        """'MSP – Maison de santé pluriprofessionnelle' or the bare title."""
        return f"{self.acronym} – {self.title}" if self.acronym else self.title

    def display_title(self, version: TextVersion) -> str:
        """The title in that version: the FALC source's wording in FALC when it has one."""
        return self.falc_title or self.title if version is TextVersion.FALC else self.title

    def display_label(self, version: TextVersion) -> str:
        """'MSP – …' with the title in that version."""
        title = self.display_title(version)
        return f"{self.acronym} – {title}" if self.acronym else title

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def source_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.sections:
            seen[s.source] = None
            if s.falc_source:
                seen[s.falc_source] = None
        return list(seen)


class Meta(NamedTuple):
    schema_version: int
    content_version: str
    content_date: str


# --- Spelling (typo tolerance) and the orientation guide --------------------------------


def fold(text: str) -> str:
    """Lower case without diacritics, as the search index sees words: 'Équipe' -> 'equipe'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


WORD_RE = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The folded words of text, as the search index splits them: "l'Équipe 24h/24" -> l, equipe, 24h, 24."""
    return WORD_RE.findall(fold(text))


def deletions(word: str) -> set[str]:
    """The word and every string one character shorter (a symmetric-deletion spelling index)."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


# --- French morphology (the search's stems) -----------------------------------------------

_STEMMER: list[Any] = []  # the Snowball French stemmer, made on first use (its import costs 14 ms)
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer object keeps its state while it works
_STEM_ROUNDS = 4


@functools.lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The search key of a folded word, shared by its feminine, plural and other inflections:
    'infirmiere', 'infirmieres', 'infirmier' -> 'infirm'; 'soins' -> 'soin'.

    Snowball's French stemmer reads accents ('infirmière' -> 'infirmi', but a GP types
    'infirmiere' -> 'infirmier'), while the index and the query are folded. Stemming the folded
    word again until nothing changes brings both spellings to one key (a few rounds at most)."""
    with _STEMMER_LOCK:
        if not _STEMMER:
            # The pure Python algorithm itself, never PyStemmer's C build that snowballstemmer
            # prefers when installed: the build and the search must compute the same keys.
            from snowballstemmer.french_stemmer import FrenchStemmer

            _STEMMER.append(FrenchStemmer())
        stemmer = _STEMMER[0]
        for _ in range(_STEM_ROUNDS):
            shorter = str(stemmer.stemWord(word))
            if shorter == word or not shorter:
                break
            word = shorter
    return word


class VocabularyEntry(NamedTuple):
    """Everyday words a GP may type and the fiches or parts they lead to (the app's own search
    vocabulary, resources/content/vocabulary.toml: indexed, never shown as sourced text)."""

    words: tuple[str, ...]
    targets: tuple[str, ...]  # 'sas' (the fiche) or 'msp#financement' (a part)


class GuideQuote(NamedTuple):
    """A sentence of one section, word for word; its validated FALC lines when it has them."""

    fiche: str
    section: str
    text: str
    falc: tuple[str, ...] = ()


class GuidePath(NamedTuple):
    id: str
    title: str
    intro: str


class GuideQuestion(NamedTuple):
    """A question of the guide and its routing (written by the project), with the quotes that justify it."""

    id: str
    path: str
    question: str
    fiches: tuple[str, ...]
    quotes: tuple[GuideQuote, ...]
