"""Content -> plain data (dicts, lists, strings: JSON-able) that the typst templates read. No Qt.

One builder per kind of document: the professional fiche (standard), the FALC patient handout, the
booklet and the comparison. Every string is content, never markup: the templates show it as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from fiche_desktop import __version__, render
from fiche_desktop.compare import Cell, ComparisonError, build_comparison
from fiche_desktop.contacts import UsefulContact
from fiche_desktop.content import CRITERIA, Erratum, Fiche, Section, Source, Term, TextVersion, date_in_words
from fiche_desktop.db import ContentDB
from fiche_desktop.presentation import (
    CONTACT_QR_HINT,
    PAPER_TITLE,
    attributions_line,
    contact_label,
    contact_lines,
    erratum_version,
    falc_text_date,
    fiche_header,
    french_sorted,
    initial,
    keep_together,
    part_attribution,
    part_errata,
    qr_runs,
    source_title,
    sources_label,
    structure_contacts,
    term_origin,
    version_attributions,
    version_words,
)

Data = dict[str, Any]
MAX_PAPER_CONTACTS = 3  # per structure, in the « Qui contacter ? » box of page 1
Contact = tuple[str, str, str] | None  # name, address, phone

AUTHOR = "Fiche Desktop"
SUBJECT = "Dispositifs de soins primaires et de coordination : fiches de référence, mot pour mot d’après leurs sources"
KEYWORDS = ("soins primaires", "exercice coordonné", "ESP", "MSP", "CDS", "CPTS", "DAC", "SAS", "FALC")
BOOKLET_TITLE = "Dispositifs de soins primaires et de coordination"
VERSION_LABELS = {TextVersion.STANDARD: "Version standard", TextVersion.FALC: "Version FALC"}

# Plain sentences of the FALC handout (written by the project, in plain words; not FALC-validated).
STANDARD_EXISTS = "La fiche complète existe en version standard : demandez-la à votre professionnel de santé."
NO_FALC_YET = "Cette fiche n’a pas encore de texte facile à lire et à comprendre."
CORRECTED_NOTE = "Texte corrigé : une erreur de la fiche d’origine est corrigée."
FALC_QR_HINT = "Pour voir la page sur internet, scannez le code avec un téléphone."
NO_FALC_CELL = "Pas de texte FALC pour cette structure."
STANDARD_GIVEN = "Cette fiche n’a pas de version facile à lire et à comprendre (FALC). Voici sa version standard."
PROFESSIONALS = "Pour les professionnels (version standard)"
PROFESSIONALS_INTRO = "Ces pages sont écrites pour les professionnels : elles ne sont pas en version FALC."

SOURCE_KINDS = {
    "FALC": "version FALC (facile à lire et à comprendre), validée",
    "standard": "version standard",
    "standard, tiers": "version standard, publiée par un tiers",
    "standard, officiel": "version standard, document officiel",
}


class PrintError(Exception):
    """A document that cannot be made, printed or written; the message is one line of French for the user."""


# --- Small pieces ---------------------------------------------------------------------------------

_URL = re.compile(render.URL_PATTERN)


def runs(text: str) -> list[Data]:
    """text as runs: plain text ({'t'}) and web addresses ({'t', 'url'}), which the template links."""
    out: list[Data] = []
    pos = 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:")
        if m.start() > pos:
            out.append({"t": keep_together(text[pos : m.start()])})
        out.append({"t": url, "url": url})
        pos = m.start() + len(url)
    if pos < len(text):
        out.append({"t": keep_together(text[pos:])})
    return out


def link_label(url: str) -> str:
    """A plain name for a web page the content gives no name: « Site ameli.fr », « Page du site
    ameli.fr » (written by the app from the address; the QR code's alternative text gives the address)."""
    parts = urlsplit(url)
    site = parts.netloc.removeprefix("www.")
    return f"Page du site {site}" if parts.path.strip("/") else f"Site {site}"


def link_data(url: str, label: str | None) -> Data:
    return {
        "url": url,
        "label": label or link_label(url),
        "qr": [[list(r) for r in row] for row in qr_runs(url)],
        "alt": f"Code QR qui ouvre la page {url}",
    }


def contact_data(contact: Contact) -> Data | None:
    if not contact:
        return None
    lines = [x.strip() for x in contact if x and x.strip()]
    return {"title": "Votre contact", "lines": lines} if lines else None


def useful_data(contacts: Sequence[UsefulContact], slug: str) -> Data | None:
    """The practice's contacts for the structure slug, for page 1 of its fiche or handout: each
    with its lines, the label saying who gave it and when, and its web address's QR code."""
    near = structure_contacts(contacts, slug)
    if not near:
        return None
    more = len(near) - MAX_PAPER_CONTACTS
    near = near[:MAX_PAPER_CONTACTS]  # the box stays within page 1
    return {
        "title": PAPER_TITLE,
        "qr_hint": CONTACT_QR_HINT,
        "more": f"Et {more} autre{'s' if more > 1 else ''} contact{'s' if more > 1 else ''} dans Fiche Desktop."
        if more > 0
        else None,
        "contacts": [
            {
                "name": c.name,
                "lines": [
                    {"label": line.label, "value": line.value} for line in contact_lines(c) if line.label != "Site"
                ],
                "web": link_data(c.web, None) if c.web else None,
                "label": contact_label(c),
            }
            for c in near
        ],
    }


def _useful(db: ContentDB, useful: Sequence[UsefulContact] | None) -> Sequence[UsefulContact]:
    """useful, or the contacts files' (contacts.current for db's content pack) when None."""
    if useful is not None:
        return useful
    from fiche_desktop import contacts

    return contacts.current(db.path).contacts


def content_date_line(db: ContentDB) -> str:
    return f"Contenu à jour du {date_in_words(db.meta.content_date)}"


def meta(title: str, keywords: Iterable[str] = KEYWORDS) -> Data:
    return {
        "title": title,
        "author": AUTHOR,
        "subject": SUBJECT,
        "keywords": list(dict.fromkeys(keywords)),
        "creator": f"{AUTHOR} {__version__}",
    }


# --- The professional fiche (standard) ------------------------------------------------------------


def standard_section(section: Section, sources: dict[str, Source], errata: Sequence[Erratum]) -> Data:
    blocks: list[Data] = []
    bullets: list[list[Data]] = []

    intro: list[str] = []  # the paragraph just before, when it ends with « : »

    def flush() -> None:
        if bullets:
            # A list keeps the line that introduces it (printed together, never split from it).
            lead = blocks.pop()["p"] if intro and blocks and "p" in blocks[-1] else None
            blocks.append({"list": list(bullets), "intro": lead})
            bullets.clear()

    for line in section.paragraphs():
        if line.startswith("- "):
            bullets.append(runs(line[2:]))
        else:
            flush()
            blocks.append({"p": runs(line)})
            intro[:] = [line] if line.rstrip().endswith(":") else []
    flush()
    notes = [
        f"Texte corrigé : la source indique « {e.original} » ; corrigé en « {e.correction} ». {e.note}"
        for e in part_errata(section, TextVersion.STANDARD, errata)
    ]
    return {
        "id": section.id,
        "title": section.title,
        "blocks": blocks,
        "source": part_attribution(section, TextVersion.STANDARD, sources).line(short=True),
        "errata": notes,
    }


def fiche_data(fiche: Fiche, db: ContentDB, contact: Contact, useful: Sequence[UsefulContact] = ()) -> Data:
    """The professional fiche: every part, by level, its links with QR codes, the clause, the contact."""
    sources = db.sources()
    errata = db.errata()
    groups: list[Data] = []
    for level in ("summary", "detail", "other"):
        sections = [s for s in fiche.sections if s.level == level]
        if sections:
            groups.append(
                {
                    "title": render.LEVEL_TITLES[level] if fiche.kind != "overview" else None,
                    "sections": [standard_section(s, sources, errata) for s in sections],
                }
            )
    overview = db.fiche("dispositifs")
    clause = overview.section("clause") if overview else None
    date, source_names = fiche_header(fiche, TextVersion.STANDARD, sources)
    return {
        "type": "fiche",
        "version_label": VERSION_LABELS[TextVersion.STANDARD],
        "notice": None,
        "slug": fiche.slug,
        "acronym": fiche.acronym or fiche.title,
        "title": render.fiche_title(fiche, TextVersion.STANDARD),
        "date": date,
        "sources": source_names,
        "source_list": _source_list(fiche, sources),
        "groups": groups,
        "links_title": "Liens utiles",
        "links_hint": render.QR_HINT,
        "links": [link_data(url, label) for url, label in render.unique_links(fiche)],
        "clause": standard_section(clause, sources, errata) if clause and fiche.slug != clause.fiche else None,
        "contact": contact_data(contact),
        "useful": useful_data(useful, fiche.slug),
    }


def _source_list(fiche: Fiche, sources: dict[str, Source]) -> list[str]:
    """Each source of the fiche's parts with the dates they carry: « FICHE 2 – …, 25 septembre 2024
    et 31 juillet 2024 » (the dates printed under the parts, never the document's alone)."""
    dates: dict[str, list[str]] = {}
    for a in version_attributions(fiche, TextVersion.STANDARD, sources):
        dates.setdefault(a.title, []).append(a.when)
    return [f"{title}, {' et '.join(whens)}" for title, whens in dates.items()]


# --- The FALC patient handout ---------------------------------------------------------------------


FALC_BULLET = "• "


def falc_blocks(lines: Sequence[str]) -> list[Data]:
    """Validated FALC lines as blocks, each line kept as it is: {'p': lines} one paragraph per sentence;
    {'list': items, 'intro': lines or None} the sentences that start with « • » as one list, with the
    sentence ending in « : » that introduces it; {'gap': True} a blank gap. A line is a list of runs."""
    blocks: list[Data] = []
    for sentence in render.falc_sentences(lines):
        if not sentence:
            blocks.append({"gap": True})
        elif sentence[0].startswith(FALC_BULLET):
            item = [runs(sentence[0].removeprefix(FALC_BULLET)), *(runs(line) for line in sentence[1:])]
            if blocks and "list" in blocks[-1]:
                blocks[-1]["list"].append(item)
            else:
                intro = None
                last = blocks[-1] if blocks else None
                if last and "p" in last and last["text"].rstrip().endswith(":"):
                    intro = blocks.pop()["p"]
                blocks.append({"list": [item], "intro": intro})
        else:
            blocks.append({"p": [runs(line) for line in sentence], "text": sentence[-1]})
    while blocks and "gap" in blocks[-1]:
        blocks.pop()
    for b in blocks:
        b.pop("text", None)
    return blocks


def falc_section(section: Section, errata: Sequence[Erratum]) -> Data:
    return {
        "id": section.id,
        "title": section.falc_title or section.title,
        "blocks": falc_blocks(section.falc),
        "corrected": CORRECTED_NOTE if part_errata(section, TextVersion.FALC, errata) else None,
    }


def handout_data(fiche: Fiche, db: ContentDB, contact: Contact, useful: Sequence[UsefulContact] = ()) -> Data:
    """The FALC handout: the validated FALC text only, line for line; the rest left out, said once."""
    sources = db.sources()
    errata = db.errata()
    sections = [falc_section(s, errata) for s in fiche.sections if s.has_falc]
    standard_only = any(not s.has_falc for s in fiche.sections)
    overview = db.fiche("dispositifs")
    clause = overview.section("clause") if overview else None
    with_clause = bool(sections) and clause is not None and clause.has_falc and fiche.slug != clause.fiche
    credits = [s.credit for s in sources.values() if s.credit] if sections else []
    if not sections:
        notice = [NO_FALC_YET, STANDARD_EXISTS]
    elif standard_only:
        notice = [STANDARD_EXISTS]
    else:
        notice = []
    # The FALC text's own date (its parts'); a fiche without FALC text has its standard date.
    when = date_in_words(falc_text_date(fiche, sources) or fiche.date)
    return {
        "type": "handout",
        "version_label": VERSION_LABELS[TextVersion.FALC],
        "slug": fiche.slug,
        "acronym": fiche.acronym or fiche.falc_title or fiche.title,
        "title": render.fiche_title(fiche, TextVersion.FALC),
        "kind_line": "Facile à lire et à comprendre (FALC)",
        "date": f"texte du {when}",
        "footer": f"Texte FALC du {when}" if sections else content_date_line(db),
        "sections": sections,
        "clause": falc_section(clause, errata) if with_clause and clause is not None else None,
        "notice": notice,
        "credit": " ".join(credits) if credits else None,
        "links_title": "Sur internet",
        "links_hint": FALC_QR_HINT,
        "links": [link_data(url, label) for url, label in render.unique_links(fiche)],
        "contact": contact_data(contact),
        "useful": useful_data(useful, fiche.slug),
    }


# --- Documents: fiches, handouts, the booklet -----------------------------------------------------


def fiches_of(db: ContentDB, slugs: Sequence[str]) -> list[Fiche]:
    if not slugs:
        raise PrintError("Aucune fiche choisie : indiquez au moins une fiche (ou le livret complet).")
    fiches: list[Fiche] = []
    unknown: list[str] = []
    for slug in slugs:
        fiche = db.fiche(slug)
        if fiche is None:
            unknown.append(slug)
        elif fiche not in fiches:
            fiches.append(fiche)
    if unknown:
        from fiche_desktop.files import clip

        quoted = ", ".join(f"« {clip(s)} »" for s in unknown[:10]) + (" …" if len(unknown) > 10 else "")
        raise PrintError(f"Fiche inconnue : {quoted}. Fiches disponibles : {', '.join(db.slugs())}")
    return fiches


def has_falc(fiche: Fiche) -> bool:
    return any(s.has_falc for s in fiche.sections)


def fiches_doc(
    db: ContentDB,
    slugs: Sequence[str],
    version: TextVersion,
    contact: Contact = None,
    useful: Sequence[UsefulContact] | None = None,
) -> Data:
    """Standard: the professional fiches; FALC: each fiche's patient handout. One after the other.
    useful: the practice's contacts (None: read from the contacts files)."""
    fiches = fiches_of(db, slugs)
    falc = version is TextVersion.FALC
    near = _useful(db, useful)
    parts = [
        handout_data(f, db, contact, near) if falc and has_falc(f) else fiche_data(f, db, contact, near) for f in fiches
    ]
    for part in parts:
        if falc and part["type"] == "fiche":  # no FALC text: its standard version, and a sentence that says so
            part["notice"] = STANDARD_GIVEN
    names = " ; ".join(p["title"] for p in parts)
    handouts = any(p["type"] == "handout" for p in parts)  # FALC asked for, and some FALC text to give
    return {
        "meta": meta(
            f"{names} ({'fiche pour le patient, FALC' if handouts else 'version standard'})",
            [*(f.acronym for f in fiches if f.acronym), *KEYWORDS],
        ),
        "version": version.value,
        "version_label": VERSION_LABELS[version],
        "date_line": content_date_line(db),
        "parts": parts,
    }


def glossary_data(terms: Sequence[Term], sources: dict[str, Source]) -> Data:
    letters: dict[str, list[Data]] = {}
    for t in french_sorted(terms, key=lambda t: t.term):
        origin = term_origin(t, sources, short=True)
        letters.setdefault(initial(t.term), []).append(
            {"term": t.term, "expansion": t.expansion or None, "definition": t.definition, "origin": origin}
        )
    return {
        "title": "Glossaire",
        "intro": "Les définitions marquées « rédigée par Fiche Desktop » ne viennent pas des sources ; "
        "les autres sont citées mot pour mot.",
        "letters": [{"letter": k, "terms": v} for k, v in letters.items()],
    }


def sources_data(db: ContentDB) -> Data:
    sources = db.sources()
    items = []
    for s in sources.values():
        rows = [("Éditeur", s.publisher), ("Date", date_in_words(s.date)), ("Nature", SOURCE_KINDS.get(s.kind, s.kind))]
        if s.date_text:
            rows.append(("Mention de date dans la source", s.date_text))
        if s.credit:
            rows.append(("Crédit", s.credit))
        items.append({"title": s.title, "rows": [{"k": k, "v": v} for k, v in rows]})
    errata = []
    for e in db.errata():
        fiche = db.fiche(e.fiche)
        section = fiche.section(e.section) if fiche else None
        part = section.display_title(erratum_version(e, section)) if section else e.section
        errata.append(
            {
                "where": f"Fiche « {render.fiche_title(fiche, TextVersion.STANDARD) if fiche else e.fiche} », "
                f"partie « {part} »",
                "source": f"Source : {source_title(e.source, sources)}",
                "original": e.original,
                "correction": e.correction,
                "note": e.note,
            }
        )
    return {
        "title": "Sources et erratum",
        "intro": f"Contenu version {db.meta.content_version}, à jour des sources du "
        f"{date_in_words(db.meta.content_date)}. Chaque phrase de Fiche Desktop est reprise mot pour mot "
        "de l’une de ces sources, indiquée sous chaque partie de fiche.",
        "sources": items,
        "errata_title": "Erratum",
        "errata_intro": "Erreurs évidentes des sources, corrigées dans l’application :",
        "errata": errata,
    }


def _contents_groups(db: ContentDB, slugs: Sequence[str], falc: bool) -> list[Data]:
    """The contents' groups: the overview (in no group) first, then each group, then the other fiches."""
    groups: list[Data] = []
    placed: set[str] = set()
    for g in db.groups():
        members = [m for m in g.members if m in slugs and m not in placed]
        placed.update(members)
        if members:
            groups.append({"title": g.falc_title if falc else g.title, "slugs": members})
    rest = [s for s in slugs if s not in placed]
    first = [s for s in rest if s == "dispositifs"]
    others = [s for s in rest if s != "dispositifs"]
    if first:
        groups.insert(0, {"title": None, "slugs": first})
    if others:
        groups.append({"title": "Autres fiches", "slugs": others})
    return groups


def booklet_doc(
    db: ContentDB,
    slugs: Sequence[str],
    version: TextVersion,
    contact: Contact = None,
    useful: Sequence[UsefulContact] | None = None,
) -> Data:
    """Cover, contents, every fiche (standard) or every FALC handout (FALC), glossary, sources and errata."""
    fiches = fiches_of(db, slugs or db.slugs())
    near = _useful(db, useful)
    falc = version is TextVersion.FALC
    sources = db.sources()
    if falc:
        with_falc = [f for f in fiches if has_falc(f)]
        left_out = [f for f in fiches if f not in with_falc]
        parts = [handout_data(f, db, None, near) for f in with_falc]
    else:
        left_out = []
        parts = [fiche_data(f, db, None, near) for f in fiches]
    groups = _contents_groups(db, [p["slug"] for p in parts], falc)
    order = {slug: i for i, slug in enumerate(s for g in groups for s in g["slugs"])}
    parts.sort(key=lambda p: order[p["slug"]])  # the pages follow the contents
    overview = db.fiche("dispositifs")
    title = overview.title if overview else BOOKLET_TITLE
    kind = "Livret en version FALC : facile à lire et à comprendre" if falc else "Livret complet, version standard"
    return {
        "meta": meta(f"{BOOKLET_TITLE} – livret complet ({version_words(version)})"),
        "version": version.value,
        "version_label": VERSION_LABELS[version],
        "date_line": content_date_line(db),
        "cover": {
            "brand": "Fiche Desktop",
            "title": title,
            "kind": kind,
            "holds": f"{len(parts)} fiches, un sommaire, le glossaire, les sources et l’erratum.",
            "date": f"Sources à jour du {date_in_words(db.meta.content_date)}",
            "content_version": f"Contenu {db.meta.content_version}",
            "verbatim": "Chaque phrase est reprise mot pour mot de l’une des sources citées, "
            "indiquée sous chaque partie de fiche.",
            "contact": contact_data(contact),
        },
        "contents": {
            "title": "Sommaire",
            "groups": groups,
            "left_out": (
                "Ces fiches n’ont pas de version FALC : "
                + ", ".join(render.fiche_title(f, TextVersion.STANDARD) for f in left_out)
                + ". Elles existent en version standard : demandez-les à votre professionnel de santé."
            )
            if left_out
            else None,
        },
        "parts": parts,
        "glossary": glossary_data(db.terms(), sources),
        "sources": sources_data(db),
        # FALC: the glossary and the sources are standard text, for professionals: a part of their own,
        # under its own heading, with the standard running header (never « Version FALC » over them).
        "professionals": {"title": PROFESSIONALS, "intro": PROFESSIONALS_INTRO} if falc else None,
        "standard_label": VERSION_LABELS[TextVersion.STANDARD],
        # Footers of the booklet's own pages (the fiches carry theirs); FALC keeps the contents' to one line.
        "footers": {
            "contents": [content_date_line(db)] if falc else [sources_label(sources, sources), content_date_line(db)],
            "glossary": ["Sources : indiquées sous chaque définition", content_date_line(db)],
            "sources": [sources_label(sources, sources), content_date_line(db)],
        },
    }


# --- The comparison -------------------------------------------------------------------------------


def _cell(cell: Cell, falc: bool) -> Data:
    if cell.empty:
        return {"empty": render.NO_VALUE}
    if falc and not cell.falc:
        return {"empty": NO_FALC_CELL}
    # Each value's source and the date that source gives the part it is quoted from.
    source = " ; ".join(dict.fromkeys(a.named(short=True) for a in cell.attributions))
    if cell.falc:
        sentences = [[runs(line) for line in s] for s in render.falc_sentences(cell.lines)]
        return {"sentences": [s for s in sentences if s], "source": source}
    return {"lines": [runs(line) for line in cell.lines], "source": source}


def _falc_structure(fiche: Fiche, index: int, rows: Sequence[Any]) -> Data:
    criteria = [{"label": r.label, "blocks": falc_blocks(r.cells[index].lines)} for r in rows if r.cells[index].falc]
    return {
        "acronym": fiche.acronym or fiche.title,
        "title": render.fiche_title(fiche, TextVersion.FALC),
        "criteria": criteria,
        "notice": None if criteria else [NO_FALC_CELL, STANDARD_EXISTS],
    }


def comparison_doc(db: ContentDB, slugs: Sequence[str], version: TextVersion) -> Data:
    """The comparison: the short attributes first (content.CRITERIA order), the long summary texts after.
    In FALC, only the rows that have validated FALC text for the chosen structures."""
    try:
        comparison = build_comparison(db, list(slugs), version)
    except ComparisonError as e:
        raise PrintError(str(e)) from None
    falc = version is TextVersion.FALC
    sources = db.sources()
    short = [r for r in comparison.rows if r.key in CRITERIA]
    long = [r for r in comparison.rows if r.key not in CRITERIA]
    rows = [*short, *long]
    if falc:
        rows = [r for r in rows if any(c.falc for c in r.cells)]
    acronyms = [f.acronym or f.title for f in comparison.fiches]
    # The sources of the cells printed; in FALC (whose cells name no source) with the FALC text's date.
    used = [a for r in rows for c in r.cells if c.falc or not falc for a in c.attributions]
    return {
        "meta": meta(
            f"Comparaison : {', '.join(acronyms)} ({version_words(version)})",
            [*(a.upper() for a in acronyms), *KEYWORDS],
        ),
        "version": version.value,
        "version_label": VERSION_LABELS[version],
        "date_line": content_date_line(db),
        "title": f"Comparaison : {', '.join(acronyms)}",
        "corner": "Critère",
        "columns": [
            {
                "acronym": f.acronym or f.title,
                "title": (f.falc_title or f.title) if falc else f.title,
            }
            for f in comparison.fiches
        ],
        "rows": [] if falc else [{"label": r.label, "cells": [_cell(c, falc) for c in r.cells]} for r in rows],
        # FALC: one block per structure, one after the other, its criteria as headings (no table: portrait).
        "structures": [_falc_structure(f, i, rows) for i, f in enumerate(comparison.fiches)] if falc else [],
        "credit": " ".join(s.credit for s in sources.values() if s.credit)
        if any(c.falc for r in rows for c in r.cells)
        else None,
        "sources": attributions_line(used, short=True) if falc else sources_label((a.source for a in used), sources),
    }
