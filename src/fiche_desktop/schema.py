"""The exact schema of data.db: what the build creates and what a content pack must hold. No Qt.

build.write_database executes create_statements(); db.check_schema compares a database's
sqlite_master with the one these statements make, so a pack is refused when its schema differs
in anything (a view, a trigger, an index, a column, a type, the search index's tokenizer).
"""

from __future__ import annotations

import re
import sqlite3

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_RE = re.compile(r"^https?://[^\s<>\"']+$")

FTS_TABLE = "search_docs_fts"
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
# WORKAROUND: sqlite-utils' enable_fts() cannot pass FTS5's `prefix` option, and prefix
# indexes keep short typed prefixes ("ma", "de") fast on large bases: the build writes it.
# The columns: the text as written (acronym, title, body, falc); for a part, its fiche's acronym
# (context: "qui paie la MSP" finds MSP's « Financement », which never says "MSP"); the
# app's own search vocabulary for that row (resources/content/vocabulary.toml: "garde" -> SAS).
# French inflections are searched through the word_stems table (a query word's stem -> the words
# of the index that share it), not through a column: stems in the index would lengthen every
# prefix search ("coord*" would read "coordin" and "coordon" too).
FTS_COLUMNS = ("acronym", "title", "body", "falc", "context", "vocabulary")
FTS_SQL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(FTS_COLUMNS)}, "
    f"content='search_docs', content_rowid='id', tokenize='{FTS_TOKENIZE}', prefix='2 3 4')"
)

# Every table with its columns: created explicitly, so that an empty table is complete.
TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...] | None]] = {
    "meta": ({"key": str, "value": str}, "key"),
    "sources": (
        {
            "id": str,
            "position": int,
            "file": str,
            "title": str,
            "short": str,
            "publisher": str,
            "kind": str,
            "date": str,
            "date_text": str,
            "credit": str,
        },
        "id",
    ),
    "fiches": (
        {
            "slug": str,
            "position": int,
            "acronym": str,
            "title": str,
            "falc_title": str,
            "kind": str,
            "grp": str,
            "date": str,
            "summary": str,
            "summary_source": str,
        },
        "slug",
    ),
    "sections": (
        {
            "fiche": str,
            "id": str,
            "position": int,
            "level": str,
            "title": str,
            "falc_title": str,
            "source": str,
            "date": str,
            "more": str,
            "text": str,
            "falc_source": str,
            "falc": str,
        },
        ("fiche", "id"),
    ),
    "links": ({"fiche": str, "position": int, "url": str, "label": str, "source": str, "section": str}, None),
    "attributes": (
        {"fiche": str, "position": int, "criterion": str, "value": str, "source": str, "section": str, "project": int},
        None,
    ),
    "glossary": (
        {"term": str, "expansion": str, "definition": str, "source": str, "project": int, "aliases": str},
        "term",
    ),
    "contacts": (
        {"fiche": str, "position": int, "sector": str, "name": str, "email": str, "phone": str, "source": str},
        None,
    ),
    "errata": (
        {"position": int, "source": str, "fiche": str, "section": str, "original": str, "correction": str, "note": str},
        None,
    ),
    "groups": ({"id": str, "position": int, "title": str, "falc_title": str, "members": str}, "id"),
    "search_docs": (
        {
            "id": int,
            "kind": str,
            "slug": str,
            "section": str,
            "acronym": str,
            "title": str,
            "body": str,
            "falc": str,
            "context": str,
            "vocabulary": str,
        },
        "id",
    ),
    "spelling": ({"variant": str, "word": str, "display": str}, ("variant", "word")),
    # Every folded word of the index (context left out) under its French stem (content.stem):
    # "infirmière" -> stem "infirm" -> infirmier, infirmiers, searched and highlighted.
    "word_stems": ({"stem": str, "word": str}, ("stem", "word")),
    "guide_paths": ({"id": str, "position": int, "title": str, "intro": str}, "id"),
    "guide_questions": (
        {"id": str, "position": int, "path": str, "question": str, "fiches": str, "quotes": str},
        "id",
    ),
}

SQL_TYPES: dict[type, str] = {str: "TEXT", int: "INTEGER"}

# The columns the build may leave NULL (optional fields); every other column is never NULL.
NULLABLE: dict[str, frozenset[str]] = {
    "sources": frozenset({"date", "date_text", "credit"}),
    "fiches": frozenset({"acronym", "falc_title", "date", "summary", "summary_source"}),
    "sections": frozenset({"falc_title", "date", "more", "falc_source", "falc"}),
    "links": frozenset({"label", "section"}),
    "glossary": frozenset({"source"}),
}


def create_table_sql(name: str) -> str:
    """The CREATE TABLE statement of one table, in the form sqlite-utils writes it."""
    columns, pk = TABLES[name]
    single = pk if isinstance(pk, str) else None
    lines = [f'   "{c}" {SQL_TYPES[t]}{" PRIMARY KEY" if c == single else ""}' for c, t in columns.items()]
    if isinstance(pk, tuple):
        lines.append("   PRIMARY KEY (" + ", ".join(f'"{c}"' for c in pk) + ")")
    return f'CREATE TABLE "{name}" (\n' + ",\n".join(lines) + "\n)"


def create_statements() -> list[str]:
    """Every statement that creates the schema of data.db, in order."""
    return [create_table_sql(name) for name in TABLES] + [FTS_SQL]


def expected_master() -> set[tuple[str, str, str, str | None]]:
    """(type, name, table, sql) of every sqlite_master row that the build's schema makes."""
    conn = sqlite3.connect(":memory:")
    try:
        for statement in create_statements():
            conn.execute(statement)
        return set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()
