"""Free text -> safe FTS5 query -> ranked results (acronyms and titles first, glossary last)."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from fiche_desktop.content import TextVersion
from fiche_desktop.db import ContentDB

# Marks around matched words in snippets; render.py turns them into <mark> after escaping.
MARK_START = "\x02"
MARK_END = "\x03"

# French elided articles and pronouns ("l'équipe", "qu'il"): not worth a search token.
ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "lorsqu", "puisqu", "jusqu"})
MAX_TOKENS = 12
MAX_QUERY_CHARS = 500

# Column weights for bm25: acronym, title, body, falc.
_WEIGHTS = "20.0, 8.0, 1.0, 1.0"
# A fiche's own entry gets a boost (bm25 scores are negative: larger magnitude is better).
_KIND_FACTOR = "CASE d.kind WHEN 'fiche' THEN 1.5 ELSE 1.0 END"


@dataclass(frozen=True)
class Result:
    kind: str  # fiche | section | term
    slug: str
    section: str  # section id, glossary term, or "" for the whole fiche
    fiche_title: str
    section_title: str
    snippet: str  # with MARK_START / MARK_END around matches, not escaped

    @property
    def plain_snippet(self) -> str:
        return self.snippet.replace(MARK_START, "").replace(MARK_END, "")


def fold(text: str) -> str:
    """Lower case without diacritics: 'Équipe' -> 'equipe'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """The searchable words of text: folded, elisions and one-letter words dropped."""
    words = re.findall(r"[^\W_]+", fold(text[:MAX_QUERY_CHARS]))
    return [w for w in words if len(w) > 1 and w not in ELISIONS][:MAX_TOKENS]


def build_query(text: str, operator: str = "AND") -> str | None:
    """A safe FTS5 MATCH expression for any user text, or None when nothing is searchable.

    Each word is quoted (so FTS5 syntax in the input is inert); the last one is a prefix.
    """
    words = tokens(text)
    if not words:
        return None
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"
    return f" {operator} ".join(parts)


_SQL = f"""
SELECT d.kind AS kind, d.slug AS slug, d.section AS section,
       COALESCE(f.title, '') AS fiche_title, f.acronym AS acronym,
       COALESCE(s.title, d.title) AS section_title,
       snippet(search_docs_fts, 2, char(2), char(3), '…', 14) AS body_snip,
       snippet(search_docs_fts, 3, char(2), char(3), '…', 14) AS falc_snip,
       d.body AS body
FROM search_docs_fts
JOIN search_docs d ON d.id = search_docs_fts.rowid
LEFT JOIN fiches f ON f.slug = d.slug
LEFT JOIN sections s ON s.fiche = d.slug AND s.id = d.section
WHERE search_docs_fts MATCH ?
ORDER BY d.kind = 'term', bm25(search_docs_fts, {_WEIGHTS}) * {_KIND_FACTOR}
LIMIT ?
"""


def search(
    db: ContentDB, text: str, version: TextVersion = TextVersion.STANDARD, limit: int = 30
) -> list[Result]:
    """Ranked results for any text; [] when nothing matches. Never raises on user input."""
    for operator in ("AND", "OR"):
        query = build_query(text, operator)
        if query is None:
            return []
        try:
            rows = db.conn.execute(_SQL, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            # WORKAROUND: a query FTS5 still refuses is treated as matching nothing.
            rows = []
        if rows:
            return [_result(r, version) for r in rows]
        if len(tokens(text)) < 2:
            break
    return []


def _result(r: sqlite3.Row, version: TextVersion) -> Result:
    kind = r["kind"]
    snippet = r["body_snip"] or ""
    if version is TextVersion.FALC and MARK_START in (r["falc_snip"] or ""):
        snippet = r["falc_snip"]
    elif MARK_START not in snippet and MARK_START in (r["falc_snip"] or ""):
        snippet = r["falc_snip"]
    if not snippet:
        snippet = (r["body"] or "")[:160]
    if kind == "term":
        fiche_title = "Glossaire"
        section_title = r["section"]
    else:
        label = f"{r['acronym']} – {r['fiche_title']}" if r["acronym"] else r["fiche_title"]
        fiche_title = label
        section_title = "" if kind == "fiche" else r["section_title"]
    return Result(kind, r["slug"], r["section"], fiche_title, section_title, snippet)
