"""What the screen, the paper and the kiosk must agree on, decided once here. No Qt.

A part's source and date in the version shown, the errata beside it, the names of sources, the
French order of glossary terms and the letter each is filed under, QR codes. render (the screen and
the kiosk), printing (paper), compare and the views call these and decide none of it themselves.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, TypeVar

from fiche_desktop.contacts import UsefulContact
from fiche_desktop.content import Erratum, Fiche, Section, Source, Term, TextVersion, date_in_words

UNDATED = "source non datée"
NO_SOURCE = "Source : non précisée"
PROJECT_DEFINITION = "Définition rédigée par Fiche Desktop"
NOT_FROM_SOURCES = " (elle ne vient pas des sources)"

T = TypeVar("T")


# --- A passage's source and date -------------------------------------------------------------------


class Attribution(NamedTuple):
    """Where a passage comes from: its source, and the date that source gives the passage."""

    source: str  # the source's id
    title: str  # its full title (the id for a source the base does not describe)
    label: str  # its short name, for lists, legends and paper
    date: str | None  # ISO date; None when the source gives none

    @property
    def when(self) -> str:
        """« 31 juillet 2024 », or « source non datée »."""
        return date_in_words(self.date) if self.date else UNDATED

    def named(self, short: bool = False) -> str:
        """« FICHE 2 – … – 31 juillet 2024 » (short: the source's short name)."""
        return f"{self.label if short else self.title} – {self.when}"

    def line(self, short: bool = False) -> str:
        """« Source : FICHE 2 – … – 31 juillet 2024 »: the line under a part."""
        return f"Source : {self.named(short)}"


def attribution(source_id: str, sources: dict[str, Source], date: str | None = None) -> Attribution:
    """source_id's attribution, dated date or else with the source's own date."""
    src = sources.get(source_id)
    if src is None:
        return Attribution(source_id, source_id, source_id, date)
    return Attribution(source_id, src.title, src.label, date or src.date)


def shows_falc(section: Section, version: TextVersion) -> bool:
    """True when section is shown in its validated FALC text: FALC asked and the section has some."""
    return version is TextVersion.FALC and section.has_falc


def part_source(section: Section, version: TextVersion) -> str:
    """The id of the source of the text shown for section in version."""
    if shows_falc(section, version) and section.falc_source:
        return section.falc_source
    return section.source


def part_attribution(section: Section, version: TextVersion, sources: dict[str, Source]) -> Attribution:
    """The source and date of section as shown in version, the one rule for the screen, the paper,
    the comparison and the guide.

    A section's own date is its standard text's: Fiche 2 dates each detailed fiche on its own (the
    CDS one « 31/07/2024 ») apart from the document (« Mise à jour du 25/09/2024 »). The FALC text
    carries its source's date. Without a date of its own, a part takes its source's date."""
    own = None if shows_falc(section, version) else section.date
    return attribution(part_source(section, version), sources, own)


def quoted_attribution(fiche: Fiche, section_id: str | None, source_id: str, sources: dict[str, Source]) -> Attribution:
    """A standard quotation of source_id taken from a section of fiche (a comparison value): that
    section's attribution when it is the section's source, else the source's own date."""
    section = fiche.section(section_id) if section_id else None
    if section is not None and section.source == source_id:
        return part_attribution(section, TextVersion.STANDARD, sources)
    return attribution(source_id, sources)


def attributions_line(attributions: Iterable[Attribution], short: bool = False, empty: str = NO_SOURCE) -> str:
    """« Source : A – date » or « Sources : A – date ; B – date », each once; empty when there is none.
    One source quoted from parts of two dates is one source: « Source : A – date ; A – other date »."""
    found = list(dict.fromkeys(attributions))
    if not found:
        return empty
    several = len({a.source for a in found}) > 1
    return ("Sources : " if several else "Source : ") + " ; ".join(dict.fromkeys(a.named(short) for a in found))


def version_attributions(fiche: Fiche, version: TextVersion, sources: dict[str, Source]) -> list[Attribution]:
    """The attributions of the parts fiche shows in version, each once, in the fiche's order.
    In FALC, those of its validated FALC parts (none when it has none)."""
    sections = [s for s in fiche.sections if version is TextVersion.STANDARD or s.has_falc]
    return list(dict.fromkeys(part_attribution(s, version, sources) for s in sections))


def falc_text_date(fiche: Fiche, sources: dict[str, Source]) -> str | None:
    """The date of fiche's validated FALC text (the latest of its FALC parts'), None when undated or absent."""
    dates = [a.date for a in version_attributions(fiche, TextVersion.FALC, sources) if a.date]
    return max(dates) if dates else None


def fiche_header(fiche: Fiche, version: TextVersion, sources: dict[str, Source]) -> tuple[str, str]:
    """(« Fiche du 17 septembre 2024 », « Sources : … ») under a fiche's title; in FALC, the FALC
    text's own date and source (« Texte FALC du … »), when the fiche has validated FALC text."""
    if version is TextVersion.FALC:
        falc = version_attributions(fiche, version, sources)
        if falc:
            date = falc_text_date(fiche, sources)
            when = f"Texte FALC du {date_in_words(date)}" if date else "Texte FALC non daté"
            return when, sources_label((a.source for a in falc), sources)
    when = f"Fiche du {date_in_words(fiche.date)}" if fiche.date else "Fiche non datée"
    standard = version_attributions(fiche, TextVersion.STANDARD, sources)
    return when, sources_label((a.source for a in standard), sources)


# --- Errata ----------------------------------------------------------------------------------------


def part_errata(section: Section, version: TextVersion, errata: Sequence[Erratum]) -> list[Erratum]:
    """The corrections of the text shown for section in version: an erratum belongs to the source it
    corrects, so FALC errata go beside the FALC text only and standard errata beside the standard text."""
    source = part_source(section, version)
    return [e for e in errata if e.fiche == section.fiche and e.section == section.id and e.source == source]


def erratum_version(erratum: Erratum, section: Section | None) -> TextVersion:
    """The version an erratum corrects: FALC when it belongs to the part's FALC source."""
    if section is not None and section.has_falc and erratum.source == section.falc_source:
        return TextVersion.FALC
    return TextVersion.STANDARD


# --- Names of sources ------------------------------------------------------------------------------


def source_title(source_id: str, sources: dict[str, Source]) -> str:
    """A source's full title (its id when the base does not describe it)."""
    src = sources.get(source_id)
    return src.title if src else source_id


def source_label(source_id: str, sources: dict[str, Source]) -> str:
    """A source's short name (its id when the base does not describe it)."""
    src = sources.get(source_id)
    return src.label if src else source_id


def sources_label(ids: Iterable[str], sources: dict[str, Source]) -> str:
    """« Source : X » or « Sources : X ; Y » (short names, each once), for title blocks and footers."""
    labels = list(dict.fromkeys(source_label(s, sources) for s in ids))
    if not labels:
        return NO_SOURCE
    return ("Source : " if len(labels) == 1 else "Sources : ") + " ; ".join(labels)


def term_origin(term: Term, sources: dict[str, Source], short: bool = False) -> str:
    """Where a glossary definition comes from: « Source : … », or written by the project (and said so).
    short (paper, whose glossary opens by saying what a project definition is): short names, short words."""
    if term.project:
        return PROJECT_DEFINITION if short else PROJECT_DEFINITION + NOT_FROM_SOURCES
    source = term.source or ""
    return f"Source : {source_label(source, sources) if short else source_title(source, sources)}"


# --- French alphabetical order ---------------------------------------------------------------------

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def french_key(text: str) -> tuple[str, tuple[int, ...], str]:
    """A French dictionary order without ICU (nor Qt): letters and digits with ligatures spelt out
    (Œ as OE, Æ as AE), accents folded and case ignored first (« éducation » among the E, « médecin »
    before « MIG »); on a tie, unaccented before accented, then lower case before upper case. Equal
    keys keep their order (Python's sort is stable)."""
    expanded = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFD", expanded)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    primary = "".join(ch for ch in base.casefold() if ch.isalnum())
    accents = tuple(
        1 if unicodedata.normalize("NFD", ch) != ch else 0
        for ch in unicodedata.normalize("NFC", expanded)
        if ch.isalnum()
    )
    return primary, accents, base.swapcase()


def initial(text: str) -> str:
    """The letter a term is filed under, on screen and on paper: « éducation » under E, « Œdème » under O,
    anything that does not start with a letter under #."""
    first = french_key(text)[0][:1]
    return first.upper() if first.isalpha() and first.isascii() else "#"


def french_sorted(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """items in French order of key(item)."""
    return sorted(items, key=lambda item: french_key(key(item)))


# --- QR codes --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code of url as rows of dark (True) / light modules, without the quiet zone."""
    import segno  # only when a code is drawn: not on the way to the first frame

    qr = segno.make(url, error="m", micro=False)
    return tuple(tuple(bool(v) for v in row) for row in qr.matrix)


@functools.lru_cache(maxsize=128)
def qr_runs(url: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """The same QR code as rows of dark runs (start, length), which the paper draws as rectangles."""
    rows = []
    for row in qr_matrix(url):
        found: list[tuple[int, int]] = []
        x, n = 0, len(row)
        while x < n:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < n and row[x]:
                x += 1
            found.append((start, x - start))
        rows.append(tuple(found))
    return tuple(rows)


@functools.lru_cache(maxsize=32)
def qr_data_uri(url: str) -> str:
    """The QR code of url as a PNG data: URI, which the screen's rich text shows as an image."""
    import base64
    import io

    import segno

    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=8, border=2)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def version_words(version: TextVersion) -> str:
    """« version FALC » or « version standard »: how titles, window and paper name a version."""
    return "version FALC" if version is TextVersion.FALC else "version standard"


# --- The practice's useful contacts (contacts.toml) ---------------------------------------------------

NEAR_YOU = "Près de chez vous"  # the heading at the end of a fiche, on screen and on the kiosk
HOW_TO_REACH = "Comment les joindre"  # the heading in a guide answer
PAPER_TITLE = "Qui contacter ?"
CONTACT_QR_HINT = "Scannez le code pour ouvrir le site."
# Who gave a contact whose file does not say: the practice (its own file, or IT's for it), or
# whoever published the content pack that carried it.
GIVEN_BY_DEFAULT = {"user": "votre cabinet", "system": "votre cabinet", "pack": "l’éditeur du contenu"}


class ContactLine(NamedTuple):
    label: str  # « Téléphone », « Adresse »…
    value: str


def contact_label(contact: UsefulContact) -> str:
    """« Contact donné par la Maison de santé des Tilleuls le 2 décembre 2026 »: what labels a
    useful contact everywhere, on screen, on paper and on the kiosk (always apart from the sources)."""
    who = contact.given_by or GIVEN_BY_DEFAULT.get(contact.origin, "votre cabinet")
    when = f"le {date_in_words(contact.date)}" if contact.date else "(date non précisée)"
    return f"Contact donné par {who} {when}"


def contact_lines(contact: UsefulContact) -> list[ContactLine]:
    """The contact's lines in the order shown everywhere: phone first (the one a person dials)."""
    shown = [
        ("Téléphone", contact.phone),
        ("Adresse", contact.address),
        ("Horaires", contact.hours),
        ("Site", contact.web),
        ("À savoir", contact.note),
    ]
    return [ContactLine(label, value) for label, value in shown if value]


def structure_contacts(contacts: Sequence[UsefulContact], slug: str) -> list[UsefulContact]:
    """The contacts given for the structure slug, in French order of their names."""
    return french_sorted((c for c in contacts if c.structure == slug), key=lambda c: c.name)


# --- Lines that never break inside a number or an amount --------------------------------------

NBSP = "\u00a0"
# A space inside a number (« 50 000 »), or between a number and its unit or currency (« 000 € »,
# « 30 % », « 48 heures »): where a line may not break, on screen and on paper alike.
_UNITS = r"(?:€|%|‰|k€|M€|euros?|h|min|km|m|kg|ans?|mois|jours?|heures?|minutes?|semaines?|habitants)(?![^\W\d_])"
_HELD_SPACE = re.compile(rf"(?<=\d) (?=\d{{3}}(?!\d))|(?<=\d) (?={_UNITS})")


def keep_together(text: str) -> str:
    """text with non-breaking spaces inside numbers and between a number and its unit or currency
    (« 50 000 € » never splits). Only the kind of space changes: the words are the source's."""
    return _HELD_SPACE.sub(NBSP, text) if " " in text else text
