"""Free text -> safe FTS5 query -> ranked results (acronyms and titles first, glossary last)."""

from __future__ import annotations

import functools
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
# Searched for, but not highlighted in snippets: they would light up every line.
STOP_WORDS = frozenset(
    {
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "et",
        "en",
        "un",
        "une",
        "au",
        "aux",
        "pour",
        "par",
        "sur",
        "dans",
        "avec",
        "ou",
    }
)
MAX_QUERY_CHARS = 500

# Column weights for bm25: acronym, title, body, falc.
_WEIGHTS = "20.0, 8.0, 1.0, 1.0"


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


@functools.lru_cache(maxsize=8192)  # snippets fold the same French words over and over
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

    Each word is quoted (so FTS5 syntax in the input is inert); the last one is a prefix. Stop
    words before the last word are left out when other words remain: "de" is in nearly every
    row, and bm25 pays for every row a word is in ("maison de sante" = "maison" AND "sante*").
    """
    words = tokens(text)
    if not words:
        return None
    kept = [w for w in words[:-1] if w not in STOP_WORDS]
    if kept or len(words) == 1:
        words = [*kept, words[-1]]
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"
    return f" {operator} ".join(parts)


# Step 1: score at most CANDIDATES matching rows. FTS5 yields matches in rowid order and stops
# at the LIMIT, so a very common prefix on a huge base costs a bounded amount of work (bm25 is
# most of it: about 25 µs a row); on the shipped base (173 rows) every match is scored.
CANDIDATES = 200

_CANDIDATES_SQL = f"""
SELECT search_docs_fts.rowid AS id, bm25(search_docs_fts, {_WEIGHTS}) AS score
FROM search_docs_fts WHERE search_docs_fts MATCH ? LIMIT {CANDIDATES}
"""

# Step 2: titles and texts for the best few only (snippets are cut in Python: no FTS work).
_DETAILS_SQL = """
SELECT d.id AS id, d.kind AS kind, d.slug AS slug, d.section AS section,
       COALESCE(f.title, '') AS fiche_title, f.acronym AS acronym,
       COALESCE(s.title, d.title) AS section_title, d.body AS body, d.falc AS falc
FROM search_docs d
LEFT JOIN fiches f ON f.slug = d.slug
LEFT JOIN sections s ON s.fiche = d.slug AND s.id = d.section
WHERE d.id IN ({ids})
"""

SNIPPET_WORDS = 16

_KINDS_SQL = "SELECT id, kind FROM search_docs WHERE id IN ({ids})"


def search(db: ContentDB, text: str, version: TextVersion = TextVersion.STANDARD, limit: int = 30) -> list[Result]:
    """Ranked results for any text; [] when nothing matches. Never raises on user input."""
    for operator in ("AND", "OR"):
        query = build_query(text, operator)
        if query is None:
            return []
        try:
            rows = _ranked(db, query, limit)
        except sqlite3.OperationalError:
            # WORKAROUND: a query FTS5 still refuses is treated as matching nothing.
            rows = []
        if rows:
            words = tokens(text)
            return [_result(r, version, words) for r in rows]
        if len(tokens(text)) < 2:
            break
    return []


def _ranked(db: ContentDB, query: str, limit: int) -> list[sqlite3.Row]:
    scored = db.conn.execute(_CANDIDATES_SQL, (query,)).fetchall()
    if not scored:
        return []
    placeholders = ",".join(str(int(r[0])) for r in scored)
    kinds = dict(db.conn.execute(_KINDS_SQL.format(ids=placeholders)).fetchall())

    # Glossary entries last; a fiche's own entry boosted (bm25 scores are negative).
    def key(r: sqlite3.Row) -> tuple[bool, float]:
        kind = kinds.get(r[0])
        return kind == "term", r[1] * (1.5 if kind == "fiche" else 1.0)

    best = sorted(scored, key=key)[:limit]
    order = {int(r[0]): i for i, r in enumerate(best)}
    details = db.conn.execute(_DETAILS_SQL.format(ids=",".join(map(str, order)))).fetchall()
    return sorted(details, key=lambda r: order[r["id"]])


def snippet(text: str, words: list[str], size: int = SNIPPET_WORDS) -> str:
    """About `size` words of text around the first match, matches wrapped in marks; '' if none."""
    found = list(re.finditer(r"[^\W_]+", text))
    if not found or not words:
        return ""
    exact, last = set(words[:-1]) - STOP_WORDS, words[-1]

    def hit(w: str) -> bool:
        f = fold(w)
        return f in exact or (last not in STOP_WORDS and f.startswith(last))

    first = next((i for i, m in enumerate(found) if hit(m.group(0))), None)
    if first is None:
        return ""
    start = max(0, first - 4)
    end = min(len(found), start + size)
    out: list[str] = ["…" if start > 0 else ""]
    pos = found[start].start()
    for m in found[start:end]:
        out.append(text[pos : m.start()])
        out.append(f"{MARK_START}{m.group(0)}{MARK_END}" if hit(m.group(0)) else m.group(0))
        pos = m.end()
    stop = found[end].start() if end < len(found) else len(text)
    out.append(text[pos:stop].rstrip())
    if end < len(found):
        out.append("…")
    return "".join(out)


def _result(r: sqlite3.Row, version: TextVersion, words: list[str]) -> Result:
    kind = r["kind"]
    body = snippet(r["body"] or "", words)
    falc = snippet(r["falc"] or "", words)
    if version is TextVersion.FALC and falc:
        text = falc
    else:
        text = body or falc or (r["body"] or "")[:160]
    if kind == "term":
        fiche_title = "Glossaire"
        section_title = r["section"]
    else:
        label = f"{r['acronym']} – {r['fiche_title']}" if r["acronym"] else r["fiche_title"]
        fiche_title = label
        section_title = "" if kind == "fiche" else r["section_title"]
    return Result(kind, r["slug"], r["section"], fiche_title, section_title, text)
