"""Read-only access to data.db: opened immutable, checked at start, returns domain types."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from fiche_desktop import schema
from fiche_desktop.content import (
    SCHEMA_VERSION,
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
)

T = TypeVar("T", bound=tuple[Any, ...])

REQUIRED_TABLES = {
    "meta",
    "sources",
    "fiches",
    "sections",
    "links",
    "attributes",
    "glossary",
    "contacts",
    "errata",
    "groups",
    "search_docs",
    "search_docs_fts",
}


# The longest a database's check may take when it is opened (start-up never hangs on a
# hostile file: a query past its deadline is interrupted by SQLite's progress handler).
OPEN_CHECK_SECONDS = 20.0
_PROGRESS_OPS = 10_000  # the deadline is looked at every this many SQLite instructions


class DatabaseError(Exception):
    """The content database cannot be used; the message is French and user-facing. path: the
    base found damaged while it was read (None when the error names no base in use)."""

    path: Path | None = None


class DeadlineError(DatabaseError):
    """Reading a database took longer than its deadline."""


def connect_readonly(path: Path, deadline: float | None = None) -> sqlite3.Connection:
    """Opens path read-only and immutable (the bundled file is never written).

    deadline (time.monotonic()): any statement still running then is interrupted
    (sqlite3.OperationalError "interrupted"); see guarded().
    """
    # The path's bytes, percent-encoded: a file name that is not UTF-8 is opened as it is.
    uri = f"file:{quote(os.fsencode(path.resolve()))}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    if deadline is not None:
        set_deadline(conn, deadline)
    return conn


def set_deadline(conn: sqlite3.Connection, deadline: float | None) -> None:
    """Interrupts conn's statements once time.monotonic() passes deadline (None: no limit)."""
    if deadline is None:
        conn.set_progress_handler(None, 0)
        return
    limit = deadline
    conn.set_progress_handler(lambda: 1 if time.monotonic() > limit else 0, _PROGRESS_OPS)


def interrupted(error: sqlite3.Error) -> bool:
    return "interrupted" in str(error)


def too_slow(path: Path, seconds: float) -> DeadlineError:
    return DeadlineError(f"Base de données refusée : sa lecture dépasse {seconds:.0f} s : {path}")


def damaged(path: Path, what: str) -> DatabaseError:
    """The error of a base found damaged while it is read (French, names the base)."""
    error = DatabaseError(f"Base de contenu endommagée : {what} : {path}")
    error.path = path
    return error


def pending_changes(path: Path) -> Path | None:
    """The non-empty -wal or -journal file beside path, if any: changes a read-only, immutable
    connection would silently leave out (committed in the WAL, or a transaction to roll back)."""
    for suffix in ("-wal", "-journal"):
        companion = path.with_name(path.name + suffix)
        try:
            if companion.stat().st_size > 0:
                return companion
        except OSError:
            continue
    return None


def _open_checked(path: Path, deadline: float | None = None) -> sqlite3.Connection:
    if not path.exists():
        raise DatabaseError(f"Base de données introuvable : {path}")
    if not path.is_file():
        raise DatabaseError(f"Ce n'est pas un fichier de base de données : {path}")
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size > MAX_BASE_BYTES:
        raise DatabaseError(f"Base de données refusée : plus de {MAX_BASE_BYTES // 2**20} Mo : {path}")
    companion = pending_changes(path)
    if companion is not None:
        raise DatabaseError(
            f"Base de données refusée : des modifications non intégrées l’accompagnent ({companion.name}) ; "
            f"ouvrez-la une fois avec sqlite3 pour les intégrer : {path}"
        )
    try:
        return connect_readonly(path, deadline)
    except sqlite3.Error:
        raise DatabaseError(f"Base de données illisible : {path}") from None


@functools.lru_cache(maxsize=1)
def _expected_master() -> frozenset[tuple[str, str, str, str | None]]:
    return frozenset(schema.expected_master())


def check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Raises DatabaseError unless conn's schema is exactly the one the build makes: the same
    tables, columns and types, the build's search index and tokenizer, and no view, trigger
    or other object. Reads only sqlite_master: cheap, and runs none of the database's SQL."""
    try:
        rows = set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    except sqlite3.Error:
        raise DatabaseError(f"Base de données endommagée ou d'un autre format : {path}") from None
    if rows == _expected_master():
        return
    kinds = {r[0] for r in rows}
    if kinds & {"view", "trigger"}:
        raise DatabaseError(f"Base de données refusée : elle contient une vue ou un déclencheur : {path}")
    if any(r[1] == schema.FTS_TABLE for r in rows):
        fts = next(r for r in rows if r[1] == schema.FTS_TABLE)
        if fts[3] != schema.FTS_SQL:
            raise DatabaseError(f"Base de données refusée : index de recherche d’un autre format : {path}")
    raise DatabaseError(f"Base de données refusée : son schéma diffère de celui de l’application : {path}")


def _meta(conn: sqlite3.Connection, path: Path, exact_schema: bool = True) -> Meta:
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        raise DatabaseError(f"Base de données endommagée ou d'un autre format : {path}") from None
    if REQUIRED_TABLES - tables:
        raise DatabaseError(
            f"Base de données invalide : ce n'est pas une base Fiche Desktop (tables manquantes) : {path}"
        )
    if version != SCHEMA_VERSION:
        raise DatabaseError(f"Version de base non prise en charge ({version}, attendue {SCHEMA_VERSION}) : {path}")
    if exact_schema:
        check_schema(conn, path)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        return Meta(int(meta["schema_version"]), str(meta["content_version"]), str(meta["content_date"]))
    except sqlite3.Error as e:
        if interrupted(e):
            raise
        raise DatabaseError(f"Base de données incomplète (métadonnées) : {path}") from None
    except (KeyError, ValueError, TypeError):
        raise DatabaseError(f"Base de données incomplète (métadonnées) : {path}") from None


def read_meta(path: Path, timeout_s: float = OPEN_CHECK_SECONDS, *, exact_schema: bool = True) -> Meta:
    """The meta of a content database, after a cheap check of its shape (exact schema, no
    integrity check), within timeout_s. exact_schema=False leaves out the comparison with the
    schema the build makes (the application's own data.db, fully checked after the first
    paint: computing the expected schema costs 0.7 % of the first frame)."""
    conn = _open_checked(path, time.monotonic() + timeout_s)
    try:
        return _meta(conn, path, exact_schema)
    except sqlite3.Error as e:
        raise too_slow(path, timeout_s) if interrupted(e) else DatabaseError(f"Base illisible : {path}") from None
    finally:
        conn.close()


QUICK_CHECK_FAILED = "contrôle d’intégrité de SQLite en échec"


def check_database(path: Path, timeout_s: float = OPEN_CHECK_SECONDS) -> Meta:
    """Checks that path is a usable content database, integrity included, within timeout_s;
    returns its meta."""
    conn = _open_checked(path, time.monotonic() + timeout_s)
    try:
        meta = _meta(conn, path)
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise DatabaseError(f"Base de contenu endommagée : {QUICK_CHECK_FAILED} : {path}")
        check_contents(conn, path)
    except sqlite3.Error as e:
        if interrupted(e):
            raise too_slow(path, timeout_s) from None
        raise DatabaseError(f"Base de données endommagée ou d'un autre format : {path}") from None
    finally:
        conn.close()
    return meta


# The search index is checked against its content with FTS5's own integrity-check on a copy in
# memory (the base is opened read-only) up to this size; beyond, every block of the index is
# read and decoded (fts5vocab), which finds damaged blocks without the memory.
FTS_COPY_CHECK_MAX_BYTES = 64 * 1024 * 1024


# The longest text a column may hold: a part of a fiche (its text, its FALC lines, a definition,
# the guide's quotes...) and every other field (titles, names, links). The real content's
# longest part is 1,627 characters, its longest other field 186: these leave room for growth,
# while a validly signed pack cannot make a page, a PDF or a search take minutes or gigabytes.
MAX_PART_CHARS = 50_000
MAX_FIELD_CHARS = 1_000
PART_COLUMNS: dict[str, frozenset[str]] = {
    "fiches": frozenset({"summary"}),
    "sections": frozenset({"text", "falc", "more"}),
    "attributes": frozenset({"value"}),
    "glossary": frozenset({"definition", "aliases"}),
    "errata": frozenset({"original", "correction", "note"}),
    "groups": frozenset({"members"}),
    "search_docs": frozenset({"body", "falc", "vocabulary", "context"}),
    "guide_paths": frozenset({"intro"}),
    "guide_questions": frozenset({"fiches", "quotes"}),
}
# A whole base (a pack's data.db, a --db): 10,000 fiches make 205 MB.
MAX_BASE_BYTES = 512 * 1024 * 1024


def max_chars(table: str, column: str) -> int:
    """The longest text column of table may hold."""
    return MAX_PART_CHARS if column in PART_COLUMNS.get(table, frozenset()) else MAX_FIELD_CHARS


def check_contents(conn: sqlite3.Connection, path: Path) -> None:
    """What quick_check does not see, as the application reads it: every column of the type
    the build writes and within its length (max_chars), every column the application decodes
    decoded (JSON lists, the guide's quotes), and the search index whole. Raises
    DatabaseError (sqlite3.Error from conn)."""
    for table, (columns, _pk) in schema.TABLES.items():
        nullable = schema.NULLABLE.get(table, frozenset())
        tests: list[tuple[str, str]] = []
        for column, kind in columns.items():
            allowed = ["'text'"] if kind is str else ["'integer'"]
            if column in nullable:
                allowed.append("'null'")
            tests.append((column, f'typeof("{column}") NOT IN ({", ".join(allowed)})'))
            if kind is str:
                tests.append((column, f'length("{column}") > {max_chars(table, column)}'))
        where = " OR ".join(test for _c, test in tests)
        if conn.execute(f'SELECT 1 FROM "{table}" WHERE {where} LIMIT 1').fetchone():
            column, test = next(
                (c, test)
                for c, test in tests
                if conn.execute(f'SELECT 1 FROM "{table}" WHERE {test} LIMIT 1').fetchone()
            )
            if test.startswith("length"):
                limit = f"{max_chars(table, column):_}".replace("_", " ")
                too_long = f"colonne {table}.{column} trop longue (plus de {limit} caractères)"
                raise DatabaseError(f"Base de données refusée : {too_long} : {path}")
            raise damaged(path, f"colonne {table}.{column} vide ou d’un mauvais type")
    for kind in TABLE_OF:
        decoded = [(column, decode) for column, decode in row_plan(kind) if decode is not None]
        if not decoded:
            continue
        names = ", ".join(f'"{column}"' for column, _decode in decoded)
        sql = f'SELECT {names} FROM "{TABLE_OF[kind]}"'
        for row in conn.execute(sql):
            try:
                for value, (_column, decode) in zip(row, decoded, strict=True):
                    decode(value)
            except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
                raise damaged(path, f"valeur illisible dans la table « {TABLE_OF[kind]} »") from None
    _check_search_index(conn, path)


def _check_search_index(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute(f"CREATE VIRTUAL TABLE temp.fts_check USING fts5vocab(main, {schema.FTS_TABLE}, 'instance')")
        try:
            conn.execute("SELECT count(*) FROM temp.fts_check").fetchone()
        finally:
            conn.execute("DROP TABLE temp.fts_check")
        fts = schema.FTS_TABLE
        sizes = f"SELECT (SELECT count(*) FROM {fts}_docsize) = (SELECT count(*) FROM search_docs)"
        if not conn.execute(sizes).fetchone()[0]:  # what FTS5's integrity-check leaves out
            raise damaged(path, "index de recherche abîmé")
        if path.stat().st_size <= FTS_COPY_CHECK_MAX_BYTES:
            copy = sqlite3.connect(":memory:")
            try:
                conn.backup(copy)
                copy.execute(f"INSERT INTO {schema.FTS_TABLE}({schema.FTS_TABLE}, rank) VALUES ('integrity-check', 0)")
            finally:
                copy.close()
    except sqlite3.Error as e:
        if interrupted(e):
            raise
        raise damaged(path, "index de recherche abîmé") from None


# --- rows to domain types, derived from the schema and the NamedTuple fields

# The table each domain type is read from.
TABLE_OF: dict[type[tuple[Any, ...]], str] = {
    Fiche: "fiches",
    Section: "sections",
    Link: "links",
    Attribute: "attributes",
    Source: "sources",
    Erratum: "errata",
    Term: "glossary",
    Contact: "contacts",
    GuidePath: "guide_paths",
    GuideQuestion: "guide_questions",
    Group: "groups",
}
# The fields stored under another column name (every other field is the column of its name; a field
# with no column keeps its default: a fiche's sections, links and attributes are read separately).
COLUMN_OF: dict[tuple[type[tuple[Any, ...]], str], str] = {(Fiche, "group"): "grp", (Fiche, "order"): "position"}


def json_tuple(text: str | None) -> tuple[Any, ...]:
    """A JSON list column as a tuple (NULL or empty: ())."""
    return tuple(json.loads(text)) if text else ()


def _quotes(text: str) -> tuple[GuideQuote, ...]:
    return tuple(GuideQuote(q["fiche"], q["section"], q["text"], tuple(q.get("falc", ()))) for q in json.loads(text))


# The decoders a field's annotation does not imply. By annotation (see _decoder), a bool field reads
# a 0/1 INTEGER column and a tuple[str, ...] field a JSON list TEXT column.
DECODE: dict[tuple[type[tuple[Any, ...]], str], Callable[[Any], Any]] = {(GuideQuestion, "quotes"): _quotes}

Plan = tuple[tuple[str, Callable[[Any], Any] | None], ...]


def _decoder(kind: type[tuple[Any, ...]], field: str, sql_type: type) -> Callable[[Any], Any] | None:
    if (kind, field) in DECODE:
        return DECODE[kind, field]
    annotation = kind.__annotations__[field]
    if annotation is bool and sql_type is int:
        return bool
    if annotation == tuple[str, ...] and sql_type is str:
        return json_tuple
    return None


@functools.cache
def row_plan(kind: type[tuple[Any, ...]]) -> Plan:
    """(column, decoder or None) for each field of kind that its table stores, in field order.
    Raises TypeError when a field without a column has no default or comes before one with."""
    columns = schema.TABLES[TABLE_OF[kind]][0]
    defaults: dict[str, Any] = getattr(kind, "_field_defaults", {})
    plan: list[tuple[str, Callable[[Any], Any] | None]] = []
    unstored: list[str] = []
    for field in getattr(kind, "_fields", ()):
        column = COLUMN_OF.get((kind, field), field)
        if column not in columns:
            if field not in defaults:
                raise TypeError(f"{kind.__name__}.{field}: no column in {TABLE_OF[kind]} and no default")
            unstored.append(field)
            continue
        if unstored:
            raise TypeError(f"{kind.__name__}.{field}: stored after the unstored {unstored}")
        plan.append((column, _decoder(kind, field, columns[column])))
    return tuple(plan)


def from_row(kind: type[T], row: sqlite3.Row) -> T:
    """The domain type kind (a NamedTuple) read from a row of its table."""
    return kind(*[row[column] if decode is None else decode(row[column]) for column, decode in row_plan(kind)])


class ContentDB:
    """The content of one data.db, read lazily and cached."""

    def __init__(self, path: Path, *, meta: Meta | None = None) -> None:
        """Opens path after checking it (once per start); a second connection to a database
        already checked passes its meta."""
        from fiche_desktop import files

        self.path = path
        self.meta = meta if meta is not None else check_database(path)
        self.conn = connect_readonly(path)
        self._in_use = files.hold_in_use(path)  # an import never deletes a base being read
        self.conn.row_factory = sqlite3.Row
        self._fiches: dict[str, Fiche] = {}
        self._headers: list[Fiche] | None = None
        self._terms: list[Term] | None = None
        self._sources: dict[str, Source] | None = None

    def close(self) -> None:
        from fiche_desktop import files

        self.conn.close()
        files.release_in_use(self._in_use)
        self._in_use = None

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            return list(self.conn.execute(sql, params))
        except sqlite3.DatabaseError as e:
            if "interrupted" in str(e):
                raise DatabaseError(
                    "Lecture impossible dans la base de données (lecture trop longue, interrompue)."
                ) from None
            raise damaged(self.path, "lecture impossible") from None

    def decode(self, kind: type[T], rows: list[sqlite3.Row]) -> list[T]:
        """rows read as kind; a value the application cannot decode names the base damaged."""
        try:
            return [from_row(kind, r) for r in rows]
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            raise damaged(self.path, f"valeur illisible dans la table « {TABLE_OF[kind]} »") from None

    # --- fiches

    def fiche_headers(self) -> list[Fiche]:
        """Every fiche without its sections, in display order."""
        if self._headers is None:
            rows = self.query("SELECT * FROM fiches ORDER BY position, slug")
            self._headers = self.decode(Fiche, rows)
        return self._headers

    def fiche_headers_of(self, slugs: list[str]) -> dict[str, Fiche]:
        """The headers of these fiches (those that exist), without reading the others: the
        first frame needs a dozen of a base that may hold thousands."""
        if self._headers is not None:
            wanted = set(slugs)
            return {f.slug: f for f in self._headers if f.slug in wanted}
        found: dict[str, Fiche] = {}
        unique = list(dict.fromkeys(slugs))
        for start in range(0, len(unique), 500):  # SQLite's limit on bound parameters
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for fiche in self.decode(Fiche, self.query(f"SELECT * FROM fiches WHERE slug IN ({marks})", tuple(chunk))):
                found[fiche.slug] = fiche
        return found

    def slugs(self) -> list[str]:
        return [f.slug for f in self.fiche_headers()]

    def fiche(self, slug: str) -> Fiche | None:
        """The whole fiche (sections, links, attributes), or None."""
        if slug in self._fiches:
            return self._fiches[slug]
        rows = self.query("SELECT * FROM fiches WHERE slug = ?", (slug,))
        if not rows:
            return None
        fiche = self.decode(Fiche, rows)[0]._replace(
            sections=self._rows(Section, "SELECT * FROM sections WHERE fiche = ? ORDER BY position", slug),
            links=self._rows(Link, "SELECT * FROM links WHERE fiche = ? ORDER BY position", slug),
            attributes=self._rows(Attribute, "SELECT * FROM attributes WHERE fiche = ? ORDER BY position", slug),
        )
        self._fiches[slug] = fiche
        return fiche

    def _rows(self, kind: type[T], sql: str, *params: Any) -> tuple[T, ...]:
        return tuple(self.decode(kind, self.query(sql, params)))

    # --- reference tables

    def sources(self) -> dict[str, Source]:
        if self._sources is None:
            self._sources = {s.id: s for s in self._rows(Source, "SELECT * FROM sources ORDER BY position")}
        return self._sources

    def errata(self) -> list[Erratum]:
        return list(self._rows(Erratum, "SELECT * FROM errata ORDER BY position"))

    def terms(self) -> list[Term]:
        if self._terms is None:
            self._terms = list(self._rows(Term, "SELECT * FROM glossary ORDER BY term COLLATE NOCASE"))
        return self._terms

    def contacts(self) -> list[Contact]:
        return list(self._rows(Contact, "SELECT * FROM contacts ORDER BY position"))

    def has_table(self, name: str) -> bool:
        """True when the database has that table (a base built before it was added has not)."""
        rows = self.query("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,))
        return bool(rows)

    def guide_paths(self) -> list[GuidePath]:
        """The orientation guide's paths, in order; [] for a base without a guide."""
        if not self.has_table("guide_paths"):
            return []
        return list(self._rows(GuidePath, "SELECT * FROM guide_paths ORDER BY position"))

    def guide_questions(self) -> list[GuideQuestion]:
        """The orientation guide's questions, in order; [] for a base without a guide."""
        if not self.has_table("guide_questions"):
            return []
        return list(self._rows(GuideQuestion, "SELECT * FROM guide_questions ORDER BY position"))

    def groups(self) -> list[Group]:
        return list(self._rows(Group, "SELECT * FROM groups ORDER BY position"))
