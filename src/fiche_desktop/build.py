"""resources/content (TOML) -> validated ContentBase -> data.db, deterministic and atomic.

Usage: python -m fiche_desktop.build [CONTENT_DIR] [OUTPUT_DB]
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import sqlite3
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fiche_desktop import schema
from fiche_desktop.content import (
    CRITERIA,
    FICHE_KINDS,
    GROUPS,
    SCHEMA_VERSION,
    SECTION_LEVELS,
    Attribute,
    Contact,
    Erratum,
    Fiche,
    Group,
    GuidePath,
    GuideQuestion,
    GuideQuote,
    Link,
    Meta,
    Section,
    Source,
    Term,
    VocabularyEntry,
    deletions,
    fold,
    search_words,
    stem,
)
from fiche_desktop.exit_codes import ExitCode
from fiche_desktop.schema import FTS_TOKENIZE, SLUG_RE, TABLES, URL_RE  # noqa: F401 (the build's names)


@dataclass
class ContentBase:
    """Everything resources/content holds, validated."""

    meta: Meta
    sources: list[Source] = field(default_factory=list)
    errata: list[Erratum] = field(default_factory=list)
    fiches: list[Fiche] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    guide_paths: list[GuidePath] = field(default_factory=list)
    guide: list[GuideQuestion] = field(default_factory=list)
    vocabulary: list[VocabularyEntry] = field(default_factory=list)


class ContentError(Exception):
    """Invalid content: names the file and the field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        super().__init__(f"{file} : {field} : {message}")
        self.file = file
        self.field = field
        self.message = message


# --- Declarative schema -----------------------------------------------------------------

# field -> (python type, required)
Spec = dict[str, tuple[type | tuple[type, ...], bool]]

SOURCE_SPEC: Spec = {
    "id": (str, True),
    "file": (str, True),
    "title": (str, True),
    "publisher": (str, True),
    "kind": (str, True),
    "date": (str, False),
    "date_text": (str, False),
    "credit": (str, False),
    "short": (str, True),
}
ERRATUM_SPEC: Spec = {
    "source": (str, True),
    "fiche": (str, True),
    "section": (str, True),
    "original": (str, True),
    "correction": (str, True),
    "note": (str, True),
}
SOURCES_FILE_SPEC: Spec = {
    "content_version": (str, True),
    "content_date": (str, True),
    "sources": (list, True),
    "errata": (list, False),
}
FICHE_SPEC: Spec = {
    "slug": (str, True),
    "title": (str, True),
    "kind": (str, True),
    "group": (str, True),
    "order": (int, True),
    "acronym": (str, False),
    "falc_title": (str, False),
    "date": (str, False),
    "summary": (str, False),
    "summary_source": (str, False),
    "sections": (list, True),
    "links": (list, False),
    "attributes": (list, False),
    "groups": (list, False),
    "contacts": (list, False),
}
SECTION_SPEC: Spec = {
    "id": (str, True),
    "level": (str, True),
    "title": (str, True),
    "source": (str, True),
    "text": (str, True),
    "falc_title": (str, False),
    "date": (str, False),
    "more": (str, False),
    "falc_source": (str, False),
    "falc": (list, False),
}
LINK_SPEC: Spec = {
    "url": (str, True),
    "source": (str, True),
    "label": (str, False),
    "section": (str, False),
}
ATTRIBUTE_SPEC: Spec = {
    "criterion": (str, True),
    "value": (str, True),
    "source": (str, True),
    "section": (str, True),
    "project": (bool, False),
}
GROUP_SPEC: Spec = {
    "id": (str, True),
    "title": (str, True),
    "falc_title": (str, True),
    "members": (list, True),
}
CONTACT_SPEC: Spec = {
    "sector": (str, True),
    "name": (str, True),
    "email": (str, True),
    "phone": (str, True),
    "source": (str, True),
}
TERM_SPEC: Spec = {
    "term": (str, True),
    "expansion": (str, False),
    "definition": (str, True),
    "source": (str, False),
    "project": (bool, False),
    "aliases": (list, False),
}

GUIDE_FILE = "guide.toml"
GUIDE_SPEC: Spec = {"paths": (list, True), "questions": (list, True)}
GUIDE_PATH_SPEC: Spec = {"id": (str, True), "title": (str, True), "intro": (str, True)}
GUIDE_QUESTION_SPEC: Spec = {
    "id": (str, True),
    "path": (str, True),
    "question": (str, True),
    "fiches": (list, True),
    "quotes": (list, True),
}
GUIDE_QUOTE_SPEC: Spec = {"fiche": (str, True), "section": (str, True), "text": (str, True), "falc": (list, False)}

# The app's own search vocabulary: everyday words -> fiches or parts (never shown as sourced text).
VOCABULARY_FILE = "vocabulary.toml"
VOCABULARY_SPEC: Spec = {"entries": (list, True)}
VOCABULARY_ENTRY_SPEC: Spec = {"words": (list, True), "targets": (list, True)}

TYPE_NAMES = {str: "un texte", int: "un nombre entier", bool: "vrai ou faux", list: "une liste"}


def check_table(data: Any, spec: Spec, file: str, where: str) -> dict[str, Any]:
    """Checks one TOML table against its spec; returns it. Raises ContentError."""
    if not isinstance(data, dict):
        raise ContentError(file, where, "une table TOML est attendue")
    for key in data:
        if key not in spec:
            raise ContentError(file, f"{where}.{key}".lstrip("."), "champ inconnu")
    for key, (typ, required) in spec.items():
        name = f"{where}.{key}".lstrip(".")
        if key not in data:
            if required:
                raise ContentError(file, name, "champ obligatoire manquant")
            continue
        value = data[key]
        # bool is a subclass of int: refuse it where an int is expected.
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            expected = TYPE_NAMES.get(typ, str(typ)) if isinstance(typ, type) else str(typ)
            raise ContentError(file, name, f"{expected} est attendu")
        if isinstance(value, str) and required and not value.strip():
            raise ContentError(file, name, "ne doit pas être vide")
    return data


def check_date(value: str | None, file: str, field: str) -> None:
    if value is None:
        return
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise ContentError(file, field, f"date invalide « {value} » (format AAAA-MM-JJ)") from None


def check_str_list(value: list[Any], file: str, field: str) -> tuple[str, ...]:
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ContentError(file, f"{field}[{i}]", "un texte est attendu")
    return tuple(value)


def one_of(value: str, allowed: Iterable[str], file: str, field: str) -> None:
    allowed = list(allowed)
    if value not in allowed:
        raise ContentError(file, field, f"« {value} » n'est pas une valeur permise ({', '.join(allowed)})")


# --- Loading ----------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ContentError(path.name, "(syntaxe)", f"TOML invalide : {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ContentError(path.name, "(fichier)", f"illisible : {e}") from None


def load_content(content_dir: Path) -> ContentBase:
    """Reads and validates every TOML file of content_dir."""
    if not content_dir.is_dir():
        raise ContentError(str(content_dir), "(dossier)", "dossier de contenu introuvable")
    sources_path = content_dir / "sources.toml"
    if not sources_path.exists():
        raise ContentError("sources.toml", "(fichier)", "fichier manquant")
    files = {p.name: _read_toml(p) for p in sorted(content_dir.glob("*.toml"))}
    return validate(files)


def validate(files: dict[str, dict[str, Any]]) -> ContentBase:
    """Validates parsed TOML documents (file name -> data) into a ContentBase."""
    if "sources.toml" not in files:
        raise ContentError("sources.toml", "(fichier)", "fichier manquant")
    base = _load_sources(files["sources.toml"])
    source_ids = {s.id for s in base.sources}
    for name, data in files.items():
        if name in ("sources.toml", "glossaire.toml", GUIDE_FILE, VOCABULARY_FILE):
            continue
        base.fiches.append(_load_fiche(name, data, source_ids, base))
    if "glossaire.toml" in files:
        base.terms = _load_terms(files["glossaire.toml"], source_ids)
    _cross_check(base)
    base.fiches.sort(key=lambda f: (f.order, f.slug))
    if GUIDE_FILE in files:
        base.guide_paths, base.guide = _load_guide(files[GUIDE_FILE], base)
    if VOCABULARY_FILE in files:
        base.vocabulary = _load_vocabulary(files[VOCABULARY_FILE], base)
    return base


def _load_sources(data: dict[str, Any]) -> ContentBase:
    file = "sources.toml"
    check_table(data, SOURCES_FILE_SPEC, file, "")
    check_date(data["content_date"], file, "content_date")
    meta = Meta(SCHEMA_VERSION, data["content_version"], data["content_date"])
    base = ContentBase(meta=meta)
    for i, raw in enumerate(data["sources"]):
        where = f"sources[{i}]"
        check_table(raw, SOURCE_SPEC, file, where)
        check_date(raw.get("date"), file, f"{where}.date")
        if any(s.id == raw["id"] for s in base.sources):
            raise ContentError(file, f"{where}.id", f"identifiant en double « {raw['id']} »")
        base.sources.append(Source(**raw))
    for i, raw in enumerate(data.get("errata", [])):
        check_table(raw, ERRATUM_SPEC, file, f"errata[{i}]")
        base.errata.append(Erratum(**raw))
    return base


def _load_fiche(file: str, data: dict[str, Any], source_ids: set[str], base: ContentBase) -> Fiche:
    check_table(data, FICHE_SPEC, file, "")
    slug = data["slug"]
    if not SLUG_RE.match(slug):
        raise ContentError(file, "slug", f"« {slug} » : minuscules, chiffres et tirets seulement")
    if file != f"{slug}.toml":
        raise ContentError(file, "slug", f"le fichier doit s'appeler {slug}.toml")
    one_of(data["kind"], FICHE_KINDS, file, "kind")
    one_of(data["group"], GROUPS, file, "group")
    check_date(data.get("date"), file, "date")
    if data.get("summary") and data.get("summary_source") not in source_ids:
        raise ContentError(file, "summary_source", "source inconnue ou manquante")

    sections: list[Section] = []
    for i, raw in enumerate(data["sections"]):
        where = f"sections[{i}]"
        check_table(raw, SECTION_SPEC, file, where)
        if not SLUG_RE.match(raw["id"]):
            raise ContentError(file, f"{where}.id", "minuscules, chiffres et tirets seulement")
        if any(s.id == raw["id"] for s in sections):
            raise ContentError(file, f"{where}.id", f"section en double « {raw['id']} »")
        one_of(raw["level"], SECTION_LEVELS, file, f"{where}.level")
        one_of(raw["source"], sorted(source_ids), file, f"{where}.source")
        check_date(raw.get("date"), file, f"{where}.date")
        falc = check_str_list(raw.get("falc", []), file, f"{where}.falc")
        if falc:
            if raw.get("falc_source") not in source_ids:
                raise ContentError(file, f"{where}.falc_source", "source FALC inconnue ou manquante")
            if not any(line.strip() for line in falc):
                raise ContentError(file, f"{where}.falc", "liste FALC vide")
            for j, line in enumerate(falc):
                if line != line.strip() or "\n" in line:
                    raise ContentError(
                        file, f"{where}.falc[{j}]", "une ligne FALC ne commence ni ne finit par un espace"
                    )
        elif "falc_source" in raw:
            raise ContentError(file, f"{where}.falc_source", "pas de texte FALC pour cette source")
        sections.append(
            Section(
                fiche=slug,
                id=raw["id"],
                level=raw["level"],
                title=raw["title"],
                source=raw["source"],
                text=raw["text"].strip(),
                position=i,
                falc_title=raw.get("falc_title"),
                date=raw.get("date"),
                more=raw.get("more"),
                falc_source=raw.get("falc_source"),
                falc=falc,
            )
        )
    section_ids = {s.id for s in sections}
    for s in sections:
        if s.more and s.more not in section_ids:
            raise ContentError(file, f"sections[{s.position}].more", f"section inconnue « {s.more} »")

    links: list[Link] = []
    for i, raw in enumerate(data.get("links", [])):
        where = f"links[{i}]"
        check_table(raw, LINK_SPEC, file, where)
        if not URL_RE.match(raw["url"]):
            raise ContentError(file, f"{where}.url", "seuls les liens http(s) sont permis")
        one_of(raw["source"], sorted(source_ids), file, f"{where}.source")
        if raw.get("section") and raw["section"] not in section_ids:
            raise ContentError(file, f"{where}.section", f"section inconnue « {raw['section']} »")
        links.append(Link(fiche=slug, **raw))

    attributes: list[Attribute] = []
    for i, raw in enumerate(data.get("attributes", [])):
        where = f"attributes[{i}]"
        check_table(raw, ATTRIBUTE_SPEC, file, where)
        one_of(raw["criterion"], CRITERIA, file, f"{where}.criterion")
        one_of(raw["source"], sorted(source_ids), file, f"{where}.source")
        section = next((s for s in sections if s.id == raw["section"]), None)
        if section is None:
            raise ContentError(file, f"{where}.section", f"section inconnue « {raw['section']} »")
        if not raw.get("project") and normalize_space(raw["value"]) not in normalize_space(section.text):
            raise ContentError(
                file,
                f"{where}.value",
                f"« {raw['value']} » ne se trouve pas mot pour mot dans la section « {section.id} » "
                "(citez-la exactement, ou ajoutez project = true)",
            )
        attributes.append(Attribute(fiche=slug, **raw))

    for i, raw in enumerate(data.get("groups", [])):
        check_table(raw, GROUP_SPEC, file, f"groups[{i}]")
        members = check_str_list(raw["members"], file, f"groups[{i}].members")
        base.groups.append(Group(raw["id"], raw["title"], raw["falc_title"], members))
    for i, raw in enumerate(data.get("contacts", [])):
        check_table(raw, CONTACT_SPEC, file, f"contacts[{i}]")
        one_of(raw["source"], sorted(source_ids), file, f"contacts[{i}].source")
        base.contacts.append(Contact(fiche=slug, **raw))

    return Fiche(
        slug=slug,
        title=data["title"],
        kind=data["kind"],
        group=data["group"],
        order=data["order"],
        acronym=data.get("acronym"),
        falc_title=data.get("falc_title"),
        date=data.get("date"),
        summary=data.get("summary"),
        summary_source=data.get("summary_source"),
        sections=tuple(sections),
        links=tuple(links),
        attributes=tuple(attributes),
    )


def _load_terms(data: dict[str, Any], source_ids: set[str]) -> list[Term]:
    file = "glossaire.toml"
    check_table(data, {"terms": (list, True)}, file, "")
    terms: list[Term] = []
    for i, raw in enumerate(data["terms"]):
        where = f"terms[{i}]"
        check_table(raw, TERM_SPEC, file, where)
        if "source" in raw:
            one_of(raw["source"], sorted(source_ids), file, f"{where}.source")
        if bool(raw.get("project")) == ("source" in raw):
            raise ContentError(file, where, "indiquez soit source, soit project = true")
        if any(t.term == raw["term"] for t in terms):
            raise ContentError(file, f"{where}.term", f"terme en double « {raw['term']} »")
        aliases = check_str_list(raw.get("aliases", []), file, f"{where}.aliases")
        terms.append(
            Term(
                raw["term"],
                raw.get("expansion", ""),
                raw["definition"],
                raw.get("source"),
                bool(raw.get("project")),
                aliases,
            )
        )
    return terms


def _load_guide(data: dict[str, Any], base: ContentBase) -> tuple[list[GuidePath], list[GuideQuestion]]:
    """The orientation guide: questions and routing written by the project, every quote checked to be
    word for word in its section (and its FALC lines, line for line, in the section's FALC text)."""
    file = GUIDE_FILE
    check_table(data, GUIDE_SPEC, file, "")
    by_slug = {f.slug: f for f in base.fiches}
    paths: list[GuidePath] = []
    for i, raw in enumerate(data["paths"]):
        where = f"paths[{i}]"
        check_table(raw, GUIDE_PATH_SPEC, file, where)
        if not SLUG_RE.match(raw["id"]) or any(p.id == raw["id"] for p in paths):
            raise ContentError(file, f"{where}.id", f"identifiant invalide ou en double « {raw['id']} »")
        paths.append(GuidePath(raw["id"], raw["title"], raw["intro"]))
    questions: list[GuideQuestion] = []
    for i, raw in enumerate(data["questions"]):
        where = f"questions[{i}]"
        check_table(raw, GUIDE_QUESTION_SPEC, file, where)
        if not SLUG_RE.match(raw["id"]) or any(q.id == raw["id"] for q in questions):
            raise ContentError(file, f"{where}.id", f"identifiant invalide ou en double « {raw['id']} »")
        one_of(raw["path"], [p.id for p in paths], file, f"{where}.path")
        fiches = check_str_list(raw["fiches"], file, f"{where}.fiches")
        if not fiches:
            raise ContentError(file, f"{where}.fiches", "au moins une fiche est attendue")
        for j, slug in enumerate(fiches):
            if slug not in by_slug:
                raise ContentError(file, f"{where}.fiches[{j}]", f"fiche inconnue « {slug} »")
        quotes: list[GuideQuote] = []
        for j, rq in enumerate(raw["quotes"]):
            qw = f"{where}.quotes[{j}]"
            check_table(rq, GUIDE_QUOTE_SPEC, file, qw)
            if rq["fiche"] not in fiches:
                raise ContentError(file, f"{qw}.fiche", f"« {rq['fiche']} » n'est pas une fiche de la réponse")
            section = by_slug[rq["fiche"]].section(rq["section"])
            if section is None:
                raise ContentError(file, f"{qw}.section", f"section inconnue « {rq['section']} »")
            if normalize_space(rq["text"]) not in normalize_space(section.text):
                raise ContentError(
                    file,
                    f"{qw}.text",
                    f"« {rq['text']} » ne se trouve pas mot pour mot dans la section « {section.id} »",
                )
            falc = check_str_list(rq.get("falc", []), file, f"{qw}.falc")
            if falc and not _consecutive(falc, section.falc):
                raise ContentError(
                    file, f"{qw}.falc", f"ces lignes ne sont pas, dans cet ordre, dans le FALC de « {section.id} »"
                )
            quotes.append(GuideQuote(rq["fiche"], rq["section"], rq["text"], falc))
        for slug in fiches:
            if not any(q.fiche == slug for q in quotes):
                raise ContentError(file, f"{where}.quotes", f"aucune citation ne justifie la fiche « {slug} »")
        questions.append(GuideQuestion(raw["id"], raw["path"], raw["question"], fiches, tuple(quotes)))
    for p in paths:
        if not any(q.path == p.id for q in questions):
            raise ContentError(file, "paths", f"le parcours « {p.id} » n'a aucune question")
    return paths, questions


def _load_vocabulary(data: dict[str, Any], base: ContentBase) -> list[VocabularyEntry]:
    """The search vocabulary, every target checked: a fiche's slug or 'slug#section' of this content."""
    file = VOCABULARY_FILE
    check_table(data, VOCABULARY_SPEC, file, "")
    by_slug = {f.slug: f for f in base.fiches}
    entries: list[VocabularyEntry] = []
    for i, raw in enumerate(data["entries"]):
        where = f"entries[{i}]"
        check_table(raw, VOCABULARY_ENTRY_SPEC, file, where)
        words = check_str_list(raw["words"], file, f"{where}.words")
        targets = check_str_list(raw["targets"], file, f"{where}.targets")
        if not words:
            raise ContentError(file, f"{where}.words", "au moins un mot est attendu")
        if not targets:
            raise ContentError(file, f"{where}.targets", "au moins une fiche ou une partie est attendue")
        for j, word in enumerate(words):
            if not any(len(w) > 1 for w in search_words(word)):
                raise ContentError(file, f"{where}.words[{j}]", f"« {word} » : aucun mot cherchable")
        for j, target in enumerate(targets):
            slug, _, section = target.partition("#")
            fiche = by_slug.get(slug)
            if fiche is None:
                raise ContentError(file, f"{where}.targets[{j}]", f"fiche inconnue « {slug} »")
            if "#" in target and fiche.section(section) is None:
                raise ContentError(
                    file, f"{where}.targets[{j}]", f"section inconnue « {section} » dans la fiche « {slug} »"
                )
            if targets.index(target) != j:
                raise ContentError(file, f"{where}.targets[{j}]", f"cible en double « {target} »")
        entries.append(VocabularyEntry(words, targets))
    return entries


def _consecutive(lines: tuple[str, ...], within: tuple[str, ...]) -> bool:
    n = len(lines)
    return any(within[i : i + n] == lines for i in range(len(within) - n + 1))


def _cross_check(base: ContentBase) -> None:
    slugs = {f.slug for f in base.fiches}
    if len(slugs) != len(base.fiches):
        raise ContentError("(contenu)", "slug", "deux fiches ont le même slug")
    for g in base.groups:
        for m in g.members:
            if m not in slugs:
                raise ContentError("(groupes)", f"groups.{g.id}.members", f"fiche inconnue « {m} »")
    by_slug = {f.slug: f for f in base.fiches}
    for i, e in enumerate(base.errata):
        where = f"errata[{i}]"
        fiche = by_slug.get(e.fiche)
        if fiche is None:
            raise ContentError("sources.toml", f"{where}.fiche", f"fiche inconnue « {e.fiche} »")
        section = fiche.section(e.section)
        if section is None:
            raise ContentError("sources.toml", f"{where}.section", f"section inconnue « {e.section} »")
        if e.correction not in section.text and e.correction not in section.falc:
            raise ContentError(
                "sources.toml", f"{where}.correction", "la correction ne figure pas dans la section indiquée"
            )


def _bullet(line: str) -> str:
    return "• " + line[2:] if line.startswith("- ") else line


def normalize_space(text: str) -> str:
    return " ".join(text.split())


# --- Writing data.db --------------------------------------------------------------------


# The columns whose words are listed under their stems in word_stems (context is not: a part is
# found through its fiche's name only as written).
STEMMED_COLUMNS = ("acronym", "title", "body", "falc", "vocabulary")


def search_documents(base: ContentBase) -> list[dict[str, Any]]:
    """The rows of the search index: one per fiche, one per section, one per glossary term."""
    vocabulary: dict[str, list[str]] = {}
    for entry in base.vocabulary:
        for target in entry.targets:
            vocabulary.setdefault(target, []).extend(entry.words)
    docs: list[dict[str, Any]] = []
    for f in base.fiches:
        docs.append(
            {
                "kind": "fiche",
                "slug": f.slug,
                "section": "",
                "acronym": f.acronym or "",
                "title": " ".join(filter(None, [f.title, f.falc_title])),
                "body": f.summary or "",
                "falc": "",
                "context": "",
                "vocabulary": " ".join(vocabulary.get(f.slug, [])),
            }
        )
        # A part answers to its fiche's acronym, what GPs type ("qui paie la MSP"); not to its
        # title, whose words every part of the fiche would then hold (long lists to merge).
        context = f.acronym or ""
        for s in f.sections:
            docs.append(
                {
                    "kind": "section",
                    "slug": f.slug,
                    "section": s.id,
                    "acronym": "",
                    "title": " ".join(filter(None, [s.title, s.falc_title])),
                    "body": " ".join(_bullet(x) for x in s.paragraphs()),
                    "falc": " ".join(x for x in s.falc if x),
                    "context": context,
                    "vocabulary": " ".join(vocabulary.get(f"{f.slug}#{s.id}", [])),
                }
            )
    for t in base.terms:
        docs.append(
            {
                "kind": "term",
                "slug": "glossaire",
                "section": t.term,
                "acronym": " ".join([t.term, *t.aliases]),
                "title": t.expansion,
                "body": t.definition,
                "falc": "",
                "context": "",
                "vocabulary": "",
            }
        )
    return docs


def word_stem_rows(docs: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every folded word of the index (context left out) under its French stem."""
    # Folding works character by character and keeps spaces: each distinct space-separated chunk
    # is folded once (a large base repeats its chunks; folding whole texts was most of the time).
    chunks = {c for d in docs for column in STEMMED_COLUMNS for c in d[column].split()}
    words = {w for c in chunks for w in search_words(c) if len(w) > 1}
    return [{"stem": s, "word": w} for s, w in sorted((stem(w), w) for w in words)]


# Words the spelling index leaves out: too common to be worth correcting towards.
SPELLING_STOP = frozenset({"des", "les", "aux", "pour", "par", "sur", "dans", "avec", "une", "est", "qui", "que"})
SPELLING_MIN_LEN = 3


def spelling_rows(base: ContentBase) -> list[dict[str, str]]:
    """The typo index: the words of titles, acronyms and glossary terms (folded as the search index
    folds them), each under itself and under every one-letter deletion of it (symmetric deletion:
    a query word matches a known word when they share one of these keys). `display` is the word as
    first written, for suggestions."""
    texts: list[str] = []
    for f in base.fiches:
        texts += [f.acronym or "", f.title, f.falc_title or ""]
        texts += [s.title for s in f.sections]
    for t in base.terms:
        texts += [t.term, *t.aliases, t.expansion]
    for entry in base.vocabulary:
        texts += entry.words
    display: dict[str, str] = {}
    for text in texts:
        for original in re.findall(r"[^\W_]+", text):
            word = fold(original)
            if len(word) < SPELLING_MIN_LEN or word in SPELLING_STOP or any(c.isdigit() for c in word):
                continue
            display.setdefault(word, original if original.isupper() else original.lower())
    rows = {(v, w) for w in display for v in deletions(w)}
    return [{"variant": v, "word": w, "display": display[w]} for v, w in sorted(rows)]


def table_rows(base: ContentBase) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table, in a stable order."""
    docs = search_documents(base)
    return {
        "meta": [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "content_version", "value": base.meta.content_version},
            {"key": "content_date", "value": base.meta.content_date},
        ],
        "sources": [{**s._asdict(), "position": i} for i, s in enumerate(base.sources)],
        "fiches": [
            {
                "slug": f.slug,
                "position": f.order,
                "acronym": f.acronym,
                "title": f.title,
                "falc_title": f.falc_title,
                "kind": f.kind,
                "grp": f.group,
                "date": f.date,
                "summary": f.summary,
                "summary_source": f.summary_source,
            }
            for f in base.fiches
        ],
        "sections": [
            {
                "fiche": s.fiche,
                "id": s.id,
                "position": s.position,
                "level": s.level,
                "title": s.title,
                "falc_title": s.falc_title,
                "source": s.source,
                "date": s.date,
                "more": s.more,
                "text": s.text,
                "falc_source": s.falc_source,
                "falc": json.dumps(list(s.falc), ensure_ascii=False) if s.falc else None,
            }
            for f in base.fiches
            for s in f.sections
        ],
        "links": [
            {"fiche": x.fiche, "position": i, "url": x.url, "label": x.label, "source": x.source, "section": x.section}
            for f in base.fiches
            for i, x in enumerate(f.links)
        ],
        "attributes": [
            {
                "fiche": a.fiche,
                "position": i,
                "criterion": a.criterion,
                "value": a.value,
                "source": a.source,
                "section": a.section,
                "project": int(a.project),
            }
            for f in base.fiches
            for i, a in enumerate(f.attributes)
        ],
        "glossary": [
            {
                "term": t.term,
                "expansion": t.expansion,
                "definition": t.definition,
                "source": t.source,
                "project": int(t.project),
                "aliases": json.dumps(list(t.aliases), ensure_ascii=False),
            }
            for t in base.terms
        ],
        "contacts": [
            {
                "fiche": c.fiche,
                "position": i,
                "sector": c.sector,
                "name": c.name,
                "email": c.email,
                "phone": c.phone,
                "source": c.source,
            }
            for i, c in enumerate(base.contacts)
        ],
        "errata": [{"position": i, **e._asdict()} for i, e in enumerate(base.errata)],
        "groups": [
            {
                "id": g.id,
                "position": i,
                "title": g.title,
                "falc_title": g.falc_title,
                "members": json.dumps(list(g.members)),
            }
            for i, g in enumerate(base.groups)
        ],
        "search_docs": [{"id": i + 1, **d} for i, d in enumerate(docs)],
        "spelling": spelling_rows(base),
        "word_stems": word_stem_rows(docs),
        "guide_paths": [
            {"id": p.id, "position": i, "title": p.title, "intro": p.intro} for i, p in enumerate(base.guide_paths)
        ],
        "guide_questions": [
            {
                "id": q.id,
                "position": i,
                "path": q.path,
                "question": q.question,
                "fiches": json.dumps(list(q.fiches)),
                "quotes": json.dumps(
                    [
                        {
                            "fiche": x.fiche,
                            "section": x.section,
                            "text": x.text,
                            **({"falc": list(x.falc)} if x.falc else {}),
                        }
                        for x in q.quotes
                    ],
                    ensure_ascii=False,
                ),
            }
            for i, q in enumerate(base.guide)
        ],
    }


def write_database(base: ContentBase, path: Path) -> None:
    """Writes base to path (must not exist): the schema of schema.py, rows by sqlite-utils, then optimised."""
    import sqlite_utils  # build-time dependency only

    db = sqlite_utils.Database(str(path))
    db.conn.execute("PRAGMA page_size = 4096")
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    rows = table_rows(base)
    for statement in schema.create_statements():
        db.conn.execute(statement)
    for name in TABLES:
        if rows[name]:
            db.table(name).insert_all(rows[name])
    db.conn.execute("INSERT INTO search_docs_fts(search_docs_fts) VALUES('rebuild')")
    db.conn.execute("INSERT INTO search_docs_fts(search_docs_fts) VALUES('optimize')")
    db.conn.commit()
    db.conn.execute("VACUUM")
    db.close()


def build(content_dir: Path, output: Path) -> ContentBase:
    """Validates content_dir and atomically replaces output with a fresh database."""
    base = load_content(content_dir)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".data-", suffix=".db.tmp", dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        write_database(base, tmp)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return base


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 2 or any(a in ("-h", "--help") for a in args):
        out("Usage : python -m fiche_desktop.build [DOSSIER_CONTENU] [FICHIER_DB]")
        return ExitCode.OK if args and args[0] in ("-h", "--help") else ExitCode.USAGE
    root = Path(__file__).resolve().parents[2]
    content_dir = Path(args[0]) if args else root / "resources" / "content"
    output = Path(args[1]) if len(args) > 1 else root / "data.db"
    try:
        base = build(content_dir, output)
    except ContentError as e:
        print(f"Contenu invalide : {e}", file=sys.stderr)
        return ExitCode.ERROR
    except (OSError, sqlite3.Error) as e:
        print(f"Impossible d'écrire {output} : {e}", file=sys.stderr)
        return ExitCode.ERROR
    n_sections = sum(len(f.sections) for f in base.fiches)
    out(
        f"{output} : {len(base.fiches)} fiches, {n_sections} sections, "
        f"{len(base.terms)} termes du glossaire, {len(base.guide)} questions du guide "
        f"(contenu {base.meta.content_version})."
    )
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())
