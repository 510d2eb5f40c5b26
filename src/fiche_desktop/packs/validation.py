"""A pack's database validated before use, within a deadline. No Qt.

The exact schema of the build, every column's type, every fiche and section read through
ContentDB with types checked, and the search index answering.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

from fiche_desktop import schema
from fiche_desktop.content import CRITERIA, FICHE_KINDS, GROUPS, SECTION_LEVELS
from fiche_desktop.db import ContentDB, DatabaseError, check_database, connect_readonly, set_deadline
from fiche_desktop.packs.manifest import DB_MEMBER, PackError, valid_date, valid_version

VALIDATION_SECONDS = 120.0
SAMPLE_FICHES = 12


def _refuse(message: str) -> PackError:
    return PackError(f"Paquet invalide : {message}.")


def _check_types(conn: sqlite3.Connection) -> None:
    """Every column holds the type the build writes; NULL only where the build may leave one."""
    for table, (columns, _pk) in schema.TABLES.items():
        nullable = schema.NULLABLE.get(table, frozenset())
        for column, kind in columns.items():
            allowed = ["'text'"] if kind is str else ["'integer'"]
            if column in nullable:
                allowed.append("'null'")
            sql = f'SELECT 1 FROM "{table}" WHERE typeof("{column}") NOT IN ({", ".join(allowed)}) LIMIT 1'
            if conn.execute(sql).fetchone():
                raise _refuse(f"colonne {table}.{column} vide ou d’un mauvais type")


def _str_list(value: object) -> bool:
    return isinstance(value, tuple | list) and all(isinstance(x, str) for x in value)


def _check_content(db: ContentDB) -> int:
    """Reads everything through the application's reader, with types checked; returns the fiche count."""
    meta = {r[0]: r[1] for r in db.query("SELECT key, value FROM meta")}
    if set(meta) != {"schema_version", "content_version", "content_date"}:
        raise _refuse("métadonnées inattendues")
    if not valid_version(meta["content_version"]):
        raise _refuse(f"version du contenu « {str(meta['content_version'])[:40]} » (chiffres et points attendus)")
    if not valid_date(meta["content_date"]):
        raise _refuse("date du contenu invalide (AAAA-MM-JJ attendu)")
    slugs = db.slugs()
    if not slugs:
        raise _refuse("aucune fiche")
    for slug in slugs:
        fiche = db.fiche(slug)
        if fiche is None or not schema.SLUG_RE.match(slug):
            raise _refuse(f"fiche « {slug[:40]} » illisible")
        if fiche.kind not in FICHE_KINDS or fiche.group not in GROUPS:
            raise _refuse(f"fiche « {slug} » : type ou groupe inconnu")
        if fiche.date is not None and not valid_date(fiche.date):
            raise _refuse(f"fiche « {slug} » : date invalide")
        for section in fiche.sections:
            if section.level not in SECTION_LEVELS or not _str_list(section.falc):
                raise _refuse(f"fiche « {slug} », section « {section.id[:40]} » illisible")
            if section.date is not None and not valid_date(section.date):
                raise _refuse(f"fiche « {slug} », section « {section.id[:40]} » : date invalide")
        for link in fiche.links:
            if not schema.URL_RE.match(link.url):
                raise _refuse(f"fiche « {slug} » : lien invalide")
        for attribute in fiche.attributes:
            if attribute.criterion not in CRITERIA:
                raise _refuse(f"fiche « {slug} » : critère inconnu")
    for source in db.sources().values():
        if source.date is not None and not valid_date(source.date):
            raise _refuse(f"source « {source.id[:40]} » : date invalide")
    if not all(_str_list(t.aliases) for t in db.terms()):
        raise _refuse("glossaire illisible")
    if not all(_str_list(g.members) for g in db.groups()):
        raise _refuse("groupes illisibles")
    db.contacts()
    db.errata()
    _check_guide(db, set(slugs))
    return len(slugs)


def _check_guide(db: ContentDB, slugs: set[str]) -> None:
    """The orientation guide as the window reads it: every question on a path of the guide,
    its fiches in the base, its quotes well formed and word for word in their sections."""
    from fiche_desktop import guide

    paths = {p.id for p in db.guide_paths()}
    for question in db.guide_questions():
        where = f"guide, question « {question.id[:40]} »"
        if question.path not in paths:
            raise _refuse(f"{where} : parcours inconnu")
        if not question.fiches or not _str_list(question.fiches):
            raise _refuse(f"{where} : liste de fiches illisible")
        missing = [s for s in question.fiches if s not in slugs]
        if missing:
            raise _refuse(f"{where} : fiche absente de la base « {missing[0][:40]} »")
        for quote in question.quotes:
            if not all(isinstance(x, str) for x in quote[:3]) or not _str_list(quote.falc):
                raise _refuse(f"{where} : citation illisible")
    problems = guide.unverified(db)
    if problems:
        raise _refuse(f"guide : {problems[0][:120]}")


def _check_search(db: ContentDB, slugs: list[str]) -> None:
    """The search index finds sample fiches by a word of their title, through search.search too."""
    from fiche_desktop.search import search

    step = max(1, len(slugs) // SAMPLE_FICHES)
    asked = 0
    for slug in slugs[::step][:SAMPLE_FICHES]:
        fiche = db.fiche(slug)
        assert fiche is not None
        words = re.findall(r"\w{3,}", f"{fiche.title} {fiche.acronym or ''}")
        if not words:
            continue
        word = words[0]
        hit = db.query(
            f"SELECT 1 FROM {schema.FTS_TABLE} WHERE {schema.FTS_TABLE} MATCH ? AND rowid IN "
            "(SELECT id FROM search_docs WHERE kind = 'fiche' AND slug = ?) LIMIT 1",
            (f'"{word}"', slug),
        )
        if not hit:
            raise _refuse(f"index de recherche incomplet (« {word} » ne trouve pas la fiche « {slug} »)")
        if asked < 3:
            asked += 1
            if not search(db, word, useful=()):  # the content alone, not the practice's contacts
                raise _refuse(f"la recherche « {word} » ne donne aucun résultat")


def validate_database(path: Path, timeout_s: float = VALIDATION_SECONDS) -> tuple[str, str, int]:
    """Checks path as a pack's database must be, within timeout_s; returns (content version,
    content date, fiche count). Raises PackError with one line of French."""
    deadline = time.monotonic() + timeout_s
    try:
        meta = check_database(path, timeout_s)  # the exact schema, meta, quick_check
        conn = connect_readonly(path, deadline)
        try:
            _check_types(conn)
        finally:
            conn.close()
        db = ContentDB(path, meta=meta)
        set_deadline(db.conn, deadline)
        try:
            count = _check_content(db)
            _check_search(db, db.slugs())
        finally:
            db.close()
    except DatabaseError as e:
        if time.monotonic() > deadline:
            raise PackError(f"Paquet refusé : sa vérification dépasse {timeout_s:.0f} s.") from None
        message = str(e).replace(f" : {path}", "").replace(str(path), DB_MEMBER).rstrip(".")
        raise PackError(f"Paquet invalide ({DB_MEMBER}) : {message[:1].lower()}{message[1:]}.") from None
    except sqlite3.Error as e:
        if time.monotonic() > deadline or "interrupted" in str(e):
            raise PackError(f"Paquet refusé : sa vérification dépasse {timeout_s:.0f} s.") from None
        raise PackError("Paquet invalide : base de données illisible.") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise PackError("Paquet invalide : contenu illisible par l’application.") from None
    return meta.content_version, meta.content_date, count
