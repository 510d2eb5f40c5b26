"""Free text -> safe FTS5 query -> ranked results (acronyms and titles first, glossary last).

Each word matches as written (or in the singular / plural), or by its French stem ("infirmière"
finds "infirmier", ranked below the words as written), or through the app's own search
vocabulary ("garde" -> SAS); a part of a fiche also answers to its fiche's acronym ("qui paie la
MSP"). A query whose words do not all match is retried with its unknown words corrected (a typo
index of titles, acronyms, glossary terms and vocabulary built with data.db), then with any of
its words. Snippets are cut at spaces, never inside a word, with « … » where text is left out;
stop words are never highlighted; results showing the same text of the same fiche are merged;
an empty answer comes with suggestions.
"""

from __future__ import annotations

import difflib
import functools
import re
import sqlite3
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from fiche_desktop.content import WORD_RE, TextVersion, deletions, stem
from fiche_desktop.content import fold as _fold
from fiche_desktop.db import ContentDB
from fiche_desktop.schema import FTS_COLUMNS

if TYPE_CHECKING:
    from fiche_desktop.contacts import UsefulContact

# Marks around matched words in snippets; render.py turns them into <mark> after escaping.
MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = "…"

# French elided articles and pronouns ("l'équipe", "qu'il"): not worth a search token.
ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "lorsqu", "puisqu", "jusqu"})
MAX_TOKENS = 12
# Never highlighted, and left out of a query when other words remain: they would light up every
# line ("est", "qui") and carry nothing a GP looks for ("qu'est-ce qu'une MSP" searches "MSP").
STOP_WORDS = frozenset(
    """
    de des du la le les et en un une au aux pour par sur dans avec ou
    est sont etre avoir peut peuvent faut fait faire
    qui que quoi quel quelle quels quelles comment combien pourquoi quand
    ce cet cette ces ca cela il ils elle elles on se sa son ses leur leurs ne pas nous vous je tu
    """.split()
)
MAX_QUERY_CHARS = 500

# Column weights for bm25 (schema.FTS_COLUMNS): acronym, title, body, falc; a part's fiche name
# (context: enough to match, too weak to rank); the app's vocabulary.
_WEIGHTS = "20.0, 8.0, 1.0, 1.0, 0.1, 4.0"
assert len(FTS_COLUMNS) == _WEIGHTS.count(",") + 1

# Which part of a fiche a section is, as the results list names it.
LEVEL_PARTS = {"summary": "l’essentiel", "detail": "fiche détaillée", "other": "autres sources"}

# Words shorter than this are never corrected: too many real words are one letter away.
MIN_CORRECTED = 4
MAX_CORRECTIONS = 3
# Stems shorter than this are not looked up: 'ms' (the start of 'msp') stems to 'm'.
MIN_STEM = 3


@dataclass(frozen=True)
class Result:
    kind: str  # fiche | section | term | contact (the practice's, from contacts.toml)
    slug: str
    section: str  # section id, glossary term, or "" for the whole fiche
    fiche_title: str
    section_title: str
    snippet: str  # with MARK_START / MARK_END around matches, not escaped
    level: str = ""  # summary | detail | other for a section
    terms: tuple[str, ...] = ()  # folded words that count as hits (corrections included)
    prefix: str = ""  # a folded prefix that counts as a hit (the word being typed), or ""
    in_standard: bool = False  # the hit is in the standard text
    in_falc: bool = False  # the hit is in the validated FALC text
    also: tuple[str, ...] = ()  # the other parts showing the same text, merged into this one

    @property
    def plain_snippet(self) -> str:
        return self.snippet.replace(MARK_START, "").replace(MARK_END, "")

    @property
    def part(self) -> str:
        """'Définition · l’essentiel'; the term for a glossary entry, the name for a contact; '' for a
        whole fiche."""
        if self.kind != "section":
            return self.section_title
        level = LEVEL_PARTS.get(self.level)
        return f"{self.section_title} · {level}" if level else self.section_title

    @property
    def where(self) -> str:
        """'MSP – Maison de santé pluriprofessionnelle › Définition · l’essentiel (aussi : fiche détaillée)'."""
        label = f"{self.fiche_title} › {self.part}" if self.part else self.fiche_title
        return f"{label} (aussi : {', '.join(self.also)})" if self.also else label

    def open_version(self, current: TextVersion) -> TextVersion:
        """The version to open this hit in: the current one, unless the hit is only in the other."""
        if self.kind != "section":
            return current
        if current is TextVersion.FALC and self.in_standard and not self.in_falc:
            return TextVersion.STANDARD
        if current is TextVersion.STANDARD and self.in_falc and not self.in_standard:
            return TextVersion.FALC
        return current


@dataclass(frozen=True)
class Suggestion:
    kind: str  # word (search for it) | glossary | fiches
    label: str
    query: str = ""


@dataclass(frozen=True)
class Answer:
    """What a search gives: the results, the query as corrected (when it was), suggestions when empty."""

    text: str
    results: list[Result] = field(default_factory=list)
    corrected: str = ""  # the query with its unknown words corrected, when the results come from it
    suggestions: list[Suggestion] = field(default_factory=list)


@functools.lru_cache(maxsize=8192)  # snippets fold the same French words over and over
def fold(text: str) -> str:
    """Lower case without diacritics: 'Équipe' -> 'equipe'."""
    return _fold(text)


def tokens(text: str) -> list[str]:
    """The searchable words of text: folded, elisions and one-letter words dropped."""
    words = WORD_RE.findall(fold(text[:MAX_QUERY_CHARS]))
    return [w for w in words if len(w) > 1 and w not in ELISIONS][:MAX_TOKENS]


class Group(NamedTuple):
    """One word of a query: its alternatives (the word and its singular or plural, or the
    corrections of a typo), any of which may match; the last word typed is a prefix."""

    words: tuple[str, ...]
    prefix: bool
    # The other words of the index with the same French stem as one of words ('infirmiere' ->
    # infirmier, infirmiers): they match too, ranked below the words as typed, and are highlighted.
    forms: tuple[str, ...] = ()


def number_forms(word: str) -> tuple[str, ...]:
    """The word and its French singular or plural (s / x): 'protocole' -> ('protocole', 'protocoles')."""
    if len(word) < MIN_CORRECTED or not word.isalpha():
        return (word,)
    if word[-1] in "sx":
        return word, word[:-1]
    return word, word + ("x" if word.endswith(("au", "eu")) else "s")


def _groups(words: list[str]) -> list[Group]:
    """Stop words before the last word are left out when another word remains: "de" is in nearly every
    row, and bm25 pays for every row a word is in ("maison de sante" = "maison" AND "sante*",
    "qu'est-ce qu'une MSP" = "msp*"; "de la" stays "de" AND "la*"). A
    whole word also matches its singular or plural; the last one, being typed, is a prefix."""
    kept = [w for w in words[:-1] if w not in STOP_WORDS]
    if kept or words[-1] not in STOP_WORDS:
        words = [*kept, words[-1]]
    last = len(words) - 1
    return [Group((w,) if i == last else number_forms(w), i == last) for i, w in enumerate(words)]


def _expression(groups: list[Group], operator: str, stemmed: bool = True) -> str:
    """Each group: one of its words (the last one as a prefix), or with stemmed one of its forms."""
    parts = []
    for g in groups:
        star = "*" if g.prefix else ""
        quoted = [f'"{w}"{star}' for w in g.words] + ([f'"{w}"' for w in g.forms] if stemmed else [])
        parts.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return f" {operator} ".join(parts)


def build_query(text: str, operator: str = "AND") -> str | None:
    """A safe FTS5 MATCH expression for any user text, or None when nothing is searchable.

    Each word is quoted (so FTS5 syntax in the input is inert); the last one is a prefix.
    """
    words = tokens(text)
    return _expression(_groups(words), operator) if words else None


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
       COALESCE(s.title, d.title) AS section_title, COALESCE(s.level, '') AS level,
       d.body AS body, d.falc AS falc
FROM search_docs d
LEFT JOIN fiches f ON f.slug = d.slug
LEFT JOIN sections s ON s.fiche = d.slug AND s.id = d.section
WHERE d.id IN ({ids})
"""

_KINDS_SQL = "SELECT id, kind, acronym || ' ' || title FROM search_docs WHERE id IN ({ids})"
_KNOWN_SQL = "SELECT 1 FROM search_docs_fts WHERE search_docs_fts MATCH ? LIMIT 1"

# A snippet: about this many characters, the hit at most CONTEXT_BEFORE characters from its start.
SNIPPET_CHARS = 170
CONTEXT_BEFORE = 60


def search(
    db: ContentDB,
    text: str,
    version: TextVersion = TextVersion.STANDARD,
    limit: int = 30,
    useful: Sequence[UsefulContact] | None = None,
) -> list[Result]:
    """Ranked results for any text; [] when nothing matches. Never raises on user input."""
    return answer(db, text, version, limit, suggest=False, useful=useful).results


CONTACT_KIND_LABEL = "Contact utile"
CONTACT_SECTION = "pres-de-chez-vous"  # render.NEAR_YOU_ANCHOR without its "section-" prefix


def _word_hit(word: str, folded_words: list[str]) -> bool:
    return any(w.startswith(word) for w in folded_words)


def contact_results(useful: Sequence[UsefulContact], text: str, db: ContentDB | None = None) -> list[Result]:
    """The practice's contacts that text finds (every word the start of one of theirs: a name, a
    town; or its digits within a phone number: « 116 117 », « 0381 »), as results of their own kind
    that open their structure's fiche at « Près de chez vous »."""
    words = tokens(text)
    digits = "".join(ch for ch in text[:MAX_QUERY_CHARS] if ch.isdigit())
    if not words:
        return []
    out: list[Result] = []
    for c in useful:
        fiche = db.fiche(c.structure) if db is not None else None
        structure = (fiche.acronym or fiche.title) if fiche is not None else c.structure.upper()
        haystack = " ".join((c.name, c.phone, c.address, c.hours, c.web, c.note, structure))
        folded_words = WORD_RE.findall(fold(haystack))
        phone_digits = "".join(ch for ch in c.phone if ch.isdigit())
        by_words = all(_word_hit(w, folded_words) for w in words)
        by_phone = len(digits) >= 2 and digits == "".join(words) and digits in phone_digits
        if not (by_words or by_phone):
            continue
        shown = " · ".join(x for x in (c.phone, c.address, c.hours) if x) or c.note
        marked = shown
        for w in sorted(set(words), key=len, reverse=True):
            marked = (
                re.sub(
                    rf"(?<!\w)({re.escape(w)}\w*)",
                    lambda m: f"{MARK_START}{m.group(1)}{MARK_END}",
                    marked,
                    flags=re.IGNORECASE,
                )
                if w.isascii() and w.isalnum()
                else marked
            )
        out.append(
            Result(
                kind="contact",
                slug=c.structure,
                section=CONTACT_SECTION,
                fiche_title=CONTACT_KIND_LABEL,
                section_title=c.name if fold(structure) in fold(c.name) else f"{c.name} ({structure})",
                snippet=marked,
            )
        )
    return out


def _with_contacts(results: list[Result], found: list[Result]) -> list[Result]:
    """The fiches found by their title first, then the contacts, then the rest."""
    if not found:
        return results
    head = 0
    while head < len(results) and results[head].kind == "fiche":
        head += 1
    return [*results[:head], *found, *results[head:]]


def answer(
    db: ContentDB,
    text: str,
    version: TextVersion = TextVersion.STANDARD,
    limit: int = 30,
    *,
    suggest: bool = True,
    useful: Sequence[UsefulContact] | None = None,
) -> Answer:
    """The results for text: exact words first; else with unknown words corrected; else any word.
    The practice's contacts that it finds come with them (useful; None reads the contacts files).
    With suggest, an empty answer carries suggestions. Never raises on user input; a damaged
    base raises db.DatabaseError (« Base de contenu endommagée : … »)."""
    try:
        return _answer(db, text, version, limit, suggest, useful)
    except sqlite3.DatabaseError as e:
        from fiche_desktop.db import DatabaseError, damaged

        if "interrupted" in str(e):
            raise DatabaseError(
                "Recherche impossible dans la base de données (lecture trop longue, interrompue)."
            ) from None
        raise damaged(db.path, "recherche impossible") from None


def _answer(
    db: ContentDB, text: str, version: TextVersion, limit: int, suggest: bool, useful: Sequence[UsefulContact] | None
) -> Answer:
    words = tokens(text)
    if not words:
        return Answer(text, suggestions=suggestions(db, words) if suggest else [])
    if useful is None:
        from fiche_desktop import contacts

        useful = contacts.current(db.path).contacts
    found = contact_results(useful, text, db)
    groups = _with_forms(db, _groups(words))
    # A whole word the index does not have makes the AND empty: skip it (on a large base, the
    # other words' lists would be read for nothing) and go straight to the corrections.
    known = [_known(db, g) for g in groups]
    rows = _try(db, groups, "AND", limit) if all(known) else []
    used, corrected = groups, ""
    if not rows and not found:  # a contact found: the words are not misspelt
        fixed = _corrected(db, groups, known)
        if fixed != groups:
            fixed = _with_forms(db, fixed)
            rows = _try(db, fixed, "AND", limit)
            used, corrected = fixed, _corrected_text(text, groups, fixed, db) if rows else ""
        if not rows and len(groups) > 1:
            rows = _try(db, fixed, "OR", limit)
            used = fixed
    terms, prefix = _hit_words(used)
    results = _with_contacts(merge_duplicates([_result(r, version, terms, prefix) for r in rows]), found)
    return Answer(
        text,
        results,
        corrected if results else "",
        suggestions(db, words) if suggest and not results else [],
    )


def _try(db: ContentDB, groups: list[Group], operator: str, limit: int) -> list[sqlite3.Row]:
    try:
        return _ranked(db, groups, operator, limit)
    except sqlite3.OperationalError:
        # WORKAROUND: a query FTS5 still refuses is treated as matching nothing.
        return []


_FORMS_SQL = "SELECT stem, word FROM word_stems WHERE stem IN ({marks})"


def _stems(g: Group) -> list[str]:
    """The stems of a group's words worth looking up: not those of short words (in 'and not', 'not'
    would find 'notamment'), nor stubs (a word being typed may stem to one)."""
    stems = (stem(w) for w in g.words if len(w) >= MIN_CORRECTED)
    return [s for s in dict.fromkeys(stems) if len(s) >= MIN_STEM]


def _with_forms(db: ContentDB, groups: list[Group]) -> list[Group]:
    """The groups with the other words of the index that share their stems ('infirmiere' -> infirmier, ...)."""
    stems = sorted({s for g in groups for s in _stems(g)})
    if not stems:
        return groups
    try:
        rows = db.conn.execute(_FORMS_SQL.format(marks=",".join("?" * len(stems))), stems).fetchall()
    except sqlite3.OperationalError:
        return groups
    by_stem: dict[str, list[str]] = {}
    for s, w in rows:
        by_stem.setdefault(str(s), []).append(str(w))
    out = []
    for g in groups:
        # The word being typed already matches (and lights) every word it starts.
        typed = g.words[0] if g.prefix else "\x00"
        forms = (w for s in _stems(g) for w in by_stem.get(s, ()) if w not in g.words and not w.startswith(typed))
        out.append(g._replace(forms=tuple(dict.fromkeys(forms))))
    return out


def _hit_words(groups: list[Group]) -> tuple[tuple[str, ...], str]:
    """The words a result highlights (in its snippet, then in the fiche it opens), stop words never."""
    terms: list[str] = []
    prefix = ""
    for g in groups:
        if g.prefix and len(g.words) == 1:
            prefix = g.words[0]
        else:
            terms += g.words
        terms += g.forms
    kept = (t for t in terms if t not in STOP_WORDS)
    return tuple(dict.fromkeys(kept)), "" if prefix in STOP_WORDS else prefix


def _group_regex(g: Group) -> re.Pattern[str]:
    """A group's hits in a text: its words (the typed one as a prefix) and their forms."""
    if g.prefix and len(g.words) == 1:
        return _hit_regex(tuple(sorted(g.forms)), g.words[0])
    return _hit_regex(tuple(sorted({*g.words, *g.forms})))


def _title_has_all(title: str, groups: list[Group]) -> bool:
    """True when every group of the query is a word of title (the last one as a prefix)."""
    return all(_group_regex(g).search(title) for g in groups)


def _ranked(db: ContentDB, groups: list[Group], operator: str, limit: int) -> list[sqlite3.Row]:
    # The words as typed first; the rows that only other forms of them find ("infirmière" ->
    # "infirmier") come after, from a second query run only when the first leaves room.
    scored = db.conn.execute(_CANDIDATES_SQL, (_expression(groups, operator, stemmed=False),)).fetchall()
    inexact: set[int] = set()
    if len(scored) < CANDIDATES and any(g.forms for g in groups):
        exact = {int(r[0]) for r in scored}
        more = db.conn.execute(_CANDIDATES_SQL, (_expression(groups, operator),)).fetchall()
        scored += [r for r in more if int(r[0]) not in exact][: CANDIDATES - len(scored)]
        inexact = {int(r[0]) for r in scored} - exact
    if not scored:
        return []
    placeholders = ",".join(str(int(r[0])) for r in scored)
    kinds: dict[int, str] = {}
    titled: set[int] = set()
    checked = [g for g in groups if not set(g.words) <= STOP_WORDS] if operator == "AND" else []
    for doc_id, kind, title in db.conn.execute(_KINDS_SQL.format(ids=placeholders)):
        kinds[doc_id] = kind
        if checked and _title_has_all(title or "", checked):
            titled.add(doc_id)

    # Glossary entries last; then what has every word in its title or acronym ("équipe de soins
    # primaires": the ESP before the ESS, whose summary quotes those words); then the words as
    # typed before their other forms; a fiche's own entry boosted (bm25 scores are negative).
    def key(r: sqlite3.Row) -> tuple[bool, bool, bool, float]:
        kind = kinds.get(r[0])
        return kind == "term", r[0] not in titled, r[0] in inexact, r[1] * (1.5 if kind == "fiche" else 1.0)

    best = sorted(scored, key=key)[:limit]
    order = {int(r[0]): i for i, r in enumerate(best)}
    details = db.conn.execute(_DETAILS_SQL.format(ids=",".join(map(str, order)))).fetchall()
    return sorted(details, key=lambda r: order[r["id"]])


# --- Typo tolerance -----------------------------------------------------------------------------


def _known(db: ContentDB, group: Group) -> bool:
    """True when the index has one of the group's words or forms (for the word being typed, a
    word starting with it)."""
    try:
        return bool(db.conn.execute(_KNOWN_SQL, (_expression([group], "AND"),)).fetchone())
    except sqlite3.OperationalError:
        return True  # never correct what cannot be checked


def distance(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment): 'cpst' -> 'cpts' is 1."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def corrections(db: ContentDB, word: str) -> tuple[str, ...]:
    """The known words closest to word (titles, acronyms, glossary): one edit away for short words,
    two for words of six letters or more; () when none, or when the base has no typo index."""
    variants = sorted(deletions(word))
    sql = f"SELECT DISTINCT word FROM spelling WHERE variant IN ({','.join('?' * len(variants))})"
    try:
        found = [w for (w,) in db.conn.execute(sql, variants) if w != word]
    except sqlite3.OperationalError:
        return ()
    most = 1 if len(word) <= 5 else 2
    scored = sorted((distance(word, w), w) for w in found)
    best = [w for d, w in scored if d <= most]
    if not best:
        return ()
    nearest = distance(word, best[0])
    return tuple(w for w in best if distance(word, w) == nearest)[:MAX_CORRECTIONS]


def _corrected(db: ContentDB, groups: list[Group], known: list[bool]) -> list[Group]:
    out: list[Group] = []
    for group, is_known in zip(groups, known, strict=True):
        word = group.words[0]
        if len(word) >= MIN_CORRECTED and not is_known:
            fixed = corrections(db, word)
            if fixed:
                out.append(Group(fixed, False))
                continue
        out.append(group)
    return out


def _corrected_text(text: str, before: list[Group], after: list[Group], db: ContentDB) -> str:
    """The text typed with each corrected word replaced by its correction as first written."""
    replaced = {b.words[0]: _display(db, a.words[0]) for b, a in zip(before, after, strict=True) if a != b}

    def sub(m: re.Match[str]) -> str:
        return replaced.get(fold(m.group(0)), m.group(0))

    return WORD_RE.sub(sub, text.strip())


def _display(db: ContentDB, word: str) -> str:
    try:
        row = db.conn.execute("SELECT display FROM spelling WHERE word = ? LIMIT 1", (word,)).fetchone()
    except sqlite3.OperationalError:
        row = None
    return str(row[0]) if row else word


_VOCABULARIES: weakref.WeakKeyDictionary[ContentDB, dict[str, str]] = weakref.WeakKeyDictionary()


def _vocabulary(db: ContentDB) -> dict[str, str]:
    """Every word of the typo index -> its display form (read once per database)."""
    if db not in _VOCABULARIES:
        try:
            rows = db.conn.execute("SELECT DISTINCT word, display FROM spelling ORDER BY word").fetchall()
        except sqlite3.OperationalError:
            rows = []
        _VOCABULARIES[db] = {str(w): str(d) for w, d in rows}
    return _VOCABULARIES[db]


def suggestions(db: ContentDB, words: list[str]) -> list[Suggestion]:
    """For an empty answer: the known words closest to those typed, then the glossary and every fiche."""
    vocabulary = _vocabulary(db)
    close: dict[str, None] = {}
    for word in words:
        if len(word) < 3 or word in STOP_WORDS:
            continue
        for match in difflib.get_close_matches(word, list(vocabulary), n=3, cutoff=0.7):
            close[vocabulary[match]] = None
    out = [Suggestion("word", w, w) for w in list(close)[:6]]
    out.append(Suggestion("glossary", "Parcourir le glossaire"))
    out.append(Suggestion("fiches", "Voir toutes les fiches"))
    return out


# --- Snippets ------------------------------------------------------------------------------------


# Every letter a folded letter stands for: 'e' -> 'eéèêëEÉÈÊË' (Latin-1 and Latin Extended-A).
_VARIANTS: dict[str, str] = {}
for _code in [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250)]:
    _ch = chr(_code)
    _base = _fold(_ch)
    if len(_base) == 1 and _ch.isalpha():
        _VARIANTS[_base] = _VARIANTS.get(_base, _base) + (_ch if _ch != _base else "")
_WORD_CHAR = r"[^\W_]"


def _letters(word: str) -> str:
    return "".join(f"[{re.escape(_VARIANTS[c])}]" if c in _VARIANTS else re.escape(c) for c in word)


@functools.lru_cache(maxsize=512)
def _hit_regex(terms: tuple[str, ...], prefix: str = "") -> re.Pattern[str]:
    """Whole words equal to one of terms (folded) or starting with prefix, accents and case ignored."""
    words = [_letters(t) for t in sorted(terms, key=len, reverse=True)]
    if prefix:
        words.insert(0, _letters(prefix) + f"{_WORD_CHAR}*")
    return re.compile(f"(?<!{_WORD_CHAR})(?:{'|'.join(words) or '(?!)'})(?!{_WORD_CHAR})")


def hit_spans(text: str, terms: tuple[str, ...] | set[str], prefix: str = "") -> list[tuple[int, int]]:
    """Where the hits are in text: words equal to a term or starting with prefix (folded; stop words
    never count)."""
    exact = tuple(sorted(set(terms) - STOP_WORDS))
    prefix = "" if prefix in STOP_WORDS else prefix
    if not exact and not prefix:
        return []
    return [m.span() for m in _hit_regex(exact, prefix).finditer(text)]


_CHUNK_RE = re.compile(r"\S+")
_SENTENCE_END = ".!?"
_TRAILING = ",;:"


def snippet(
    text: str,
    terms: tuple[str, ...] | set[str] | list[str],
    prefix: str = "",
    size: int = SNIPPET_CHARS,
) -> str:
    """About size characters of text around the first hit, the hits wrapped in marks; '' if none.

    Cut at spaces only, from the start of the hit's sentence when it is near, with « … » wherever
    text is left out."""
    exact = tuple(sorted(set(terms) - STOP_WORDS))
    prefix = "" if prefix in STOP_WORDS else prefix
    if not exact and not prefix:
        return ""
    pattern = _hit_regex(exact, prefix)
    first_hit = pattern.search(text)
    if first_hit is None:
        return ""
    hit_start = first_hit.start()
    # Only the text around the hit is looked at: a section may be long, a snippet is not.
    start = _chunk_start(text, hit_start)
    while start > 0:
        previous_end = start - 1
        while previous_end > 0 and text[previous_end - 1].isspace():
            previous_end -= 1
        if previous_end == 0 or text[previous_end - 1] in _SENTENCE_END:
            break
        previous = _chunk_start(text, previous_end - 1)
        if hit_start - previous > CONTEXT_BEFORE:
            break
        start = previous
    end = _chunk_end(text, hit_start)
    while True:
        following = end
        while following < len(text) and text[following].isspace():
            following += 1
        if following >= len(text):
            break
        following_end = _chunk_end(text, following)
        if following_end - start > size:
            break
        end = following_end
    marked: list[str] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        marked += [text[pos : m.start()], MARK_START, m.group(0), MARK_END]
        pos = m.end()
    marked.append(text[pos:end])
    inner = "".join(marked)
    head = f"{ELLIPSIS} " if text[:start].strip() else ""
    if text[end:].strip():
        return f"{head}{inner.rstrip(_TRAILING)} {ELLIPSIS}"
    return head + inner


def _chunk_start(text: str, i: int) -> int:
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _chunk_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def lead(text: str, size: int = SNIPPET_CHARS) -> str:
    """The start of text, cut at a space, with « … » when it goes on."""
    chunks = [m.span() for m in _CHUNK_RE.finditer(text, 0, size + 200)]
    if not chunks:
        return ""
    last = 0
    while last + 1 < len(chunks) and chunks[last + 1][1] <= size:
        last += 1
    body = text[: chunks[last][1]]
    return f"{body.rstrip(_TRAILING)} {ELLIPSIS}" if text[chunks[last][1] :].strip() else body


def _result(r: sqlite3.Row, version: TextVersion, terms: tuple[str, ...], prefix: str) -> Result:
    kind = r["kind"]
    body = snippet(r["body"] or "", terms, prefix)
    falc = snippet(r["falc"] or "", terms, prefix)
    if version is TextVersion.FALC and falc:
        text = falc
    else:
        text = body or falc or lead(r["body"] or "")
    if kind == "term":
        fiche_title = "Glossaire"
        section_title = r["section"]
    else:
        label = f"{r['acronym']} – {r['fiche_title']}" if r["acronym"] else r["fiche_title"]
        fiche_title = label
        section_title = "" if kind == "fiche" else r["section_title"]
    return Result(
        kind,
        r["slug"],
        r["section"],
        fiche_title,
        section_title,
        text,
        level=r["level"] if kind == "section" else "",
        terms=terms,
        prefix=prefix,
        in_standard=bool(body),
        in_falc=bool(falc),
    )


def _same_text_key(r: Result) -> tuple[str, str]:
    plain = r.plain_snippet.replace(ELLIPSIS, "")
    return r.slug, " ".join(plain.casefold().split())


def merge_duplicates(results: list[Result]) -> list[Result]:
    """One result per text shown: a fiche's summary and its « Définition » (or a summary part and the
    detailed part saying the same) become one result, at the best rank, naming the part it opens;
    the other parts are listed in `also`."""
    kept: dict[tuple[str, str], Result] = {}
    for r in results:
        key = _same_text_key(r)
        if not key[1] or r.kind == "term":
            kept[(r.slug, f"\x00{len(kept)}")] = r
            continue
        first = kept.get(key)
        if first is None:
            kept[key] = r
        elif first.kind == "fiche" and r.kind == "section":
            kept[key] = replace(r, also=first.also)  # open the part itself, at the fiche's rank
        elif r.kind == "section" and r.level != first.level:
            label = LEVEL_PARTS.get(r.level, r.part)
            if label not in first.also:
                kept[key] = replace(first, also=(*first.also, label))
    return list(kept.values())
