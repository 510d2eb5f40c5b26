"""Search: safe query building for any input, accent-insensitive, acronyms and titles first."""

from __future__ import annotations

import re
import sqlite3
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiche_desktop.content import TextVersion, fold
from fiche_desktop.search import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    STOP_WORDS,
    answer,
    build_query,
    corrections,
    distance,
    hit_spans,
    lead,
    search,
    snippet,
    tokens,
)
from tests.conftest import ROOT

PRECISION_QUERIES = tomllib.loads((ROOT / "benchmarks" / "precision_queries.toml").read_text(encoding="utf-8"))[
    "queries"
]


@pytest.mark.parametrize(
    "raw",
    [
        '"MSP',
        "AND OR",
        "MSP AND",
        "l'équipe",
        "soins-primaires",
        "*",
        "c++",
        "NEAR(",
        "a",
        "",
        "   ",
        "'",
        "\x00",
        "ÉÉÉ*",
        "msp:",
    ],
)
def test_hostile_inputs_never_raise(real_db, raw: str) -> None:
    assert isinstance(search(real_db, raw), list)


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_unicode_text_gives_a_valid_query(text: str) -> None:
    query = build_query(text)
    if query is None:
        return
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("SELECT * FROM t WHERE t MATCH ?", (query,)).fetchall()


def test_elisions_and_one_letter_words_are_dropped() -> None:
    assert tokens("l'équipe d'un médecin à Paris") == ["equipe", "un", "medecin", "paris"]
    assert build_query("soins-primaires") == '("soins" OR "soin") AND "primaires"*'


@pytest.mark.parametrize(
    "query, slug",
    [
        ("msp", "msp"),
        ("MSP", "msp"),
        ("maison de sante", "msp"),
        ("maison de santé", "msp"),
        ("48h", "sas"),
        ("tiers payant", "cds"),
        ("teleconsultation", "telesante"),
        ("téléconsultation", "telesante"),
        ("cpts", "cpts"),
        ("equipe soins primaires", "esp"),
        ("dispositif d'appui", "dac"),
        ("mon espace sante", "dmp"),
    ],
)
def test_the_right_fiche_comes_first(real_db, query: str, slug: str) -> None:
    results = search(real_db, query)
    assert results and results[0].slug == slug, [(r.slug, r.section) for r in results[:5]]


def test_results_carry_fiche_section_and_highlighted_snippet(real_db) -> None:
    results = search(real_db, "hébergement")
    assert results
    r = next(r for r in results if r.kind == "section")
    assert r.fiche_title and r.section_title
    assert MARK_START in r.snippet
    assert "hébergement" in r.plain_snippet.lower()


def test_falc_snippets_come_from_falc_lines(real_db) -> None:
    results = search(real_db, "travailleurs indépendants", TextVersion.FALC)
    assert results[0].slug == "msp"
    assert "travailleurs indépendants" in results[0].plain_snippet


def test_nothing_found_is_an_empty_list(real_db) -> None:
    assert search(real_db, "zzzzqqqq") == []


def test_or_fallback_when_all_words_do_not_match_together(real_db) -> None:
    assert search(real_db, "msp zzzzqqqq")[0].slug == "msp"


def test_tiny_db_search_by_accentless_prefix(tiny_db) -> None:
    assert search(tiny_db, "equip")[0].slug == "alpha"


# --- Snippets -------------------------------------------------------------------------------------

SNIPPET_QUERIES = ["kiné", "hébergement", "48h", "coordination", "financement", "tiers payant", "sisa", "structure"]


def _indexed_texts(db, r) -> list[str]:
    rows = db.query("SELECT body, falc FROM search_docs WHERE slug = ? AND section = ?", (r.slug, r.section))
    return [t for row in rows for t in (row["body"], row["falc"]) if t]


def _unwrapped(plain: str) -> str:
    return plain.removeprefix(f"{ELLIPSIS} ").removesuffix(f" {ELLIPSIS}")


@pytest.mark.parametrize("query", SNIPPET_QUERIES)
def test_snippets_never_cut_a_word_and_say_where_text_is_left_out(real_db, query: str) -> None:
    results = search(real_db, query)
    assert results
    for r in results:
        if not r.plain_snippet:  # a fiche found by its title alone, with no summary to show
            assert r.kind == "fiche"
            continue
        inner = _unwrapped(r.plain_snippet)
        texts = [t for t in _indexed_texts(real_db, r) if inner.rstrip(",;:") in t]
        assert texts, (r.slug, r.section, r.plain_snippet)
        text = texts[0]
        start = text.index(inner.rstrip(",;:"))
        end = start + len(inner.rstrip(",;:"))
        # Cut at spaces (or a comma before the ellipsis), never inside a word.
        assert start == 0 or text[start - 1].isspace(), (r.plain_snippet, text[start - 5 : start + 5])
        assert end == len(text) or text[end].isspace() or text[end] in ",;:", (r.plain_snippet, text[end - 5 : end + 5])
        assert r.plain_snippet.startswith(f"{ELLIPSIS} ") == (start > 0)
        assert r.plain_snippet.endswith(f" {ELLIPSIS}") == (end < len(text.rstrip()))


def test_a_long_text_is_cut_around_the_hit_with_ellipses_and_the_hit_marked() -> None:
    text = (
        "Première phrase qui parle d’autre chose et continue longtemps pour remplir la ligne. "
        "Les professionnels de santé, kinésithérapeutes compris, travaillent ensemble autour du patient "
        "et se coordonnent pour l’ensemble de la prise en charge, du diagnostic jusqu’au suivi à domicile, "
        "avec des réunions régulières et un projet de santé écrit ensemble."
    )
    cut = snippet(text, (), "kine")
    assert cut.startswith(f"{ELLIPSIS} Les professionnels")  # from the hit's sentence
    assert cut.endswith(f" {ELLIPSIS}")
    assert f"{MARK_START}kinésithérapeutes{MARK_END}" in cut
    words = set(re.findall(r"\w+", text))
    assert set(re.findall(r"\w+", cut)) <= words  # nothing but whole words of the text
    assert lead(text, 40) == f"Première phrase qui parle d’autre chose {ELLIPSIS}"


# --- Parts and duplicates -------------------------------------------------------------------------


def test_each_result_names_its_part(real_db) -> None:
    parts = {(r.slug, r.part) for r in search(real_db, "kinésithérapeute")}
    assert ("msp", "Définition · l’essentiel") in parts
    assert ("msp", "Définition · fiche détaillée") in parts


def test_results_showing_the_same_text_are_merged_into_one(real_db) -> None:
    for query in ("cpts", "structures pluriprofessionnelles", "kinésithérapeute", "salarié", "financement"):
        results = search(real_db, query)
        keys = [(r.slug, r.plain_snippet) for r in results]
        assert len(keys) == len(set(keys)), query
    merged = [r for r in search(real_db, "cpts") if r.also]
    assert merged and merged[0].where.endswith("(aussi : fiche détaillée)")


# --- Typos ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, slug, corrected",
    [
        ("maisn de santé", "msp", "maison de santé"),
        ("cpst", "cpts", "CPTS"),
        ("teleconsultaton", "telesante", "téléconsultation"),
        ("dispositf d'appui", "dac", "dispositif d'appui"),
    ],
)
def test_typos_put_the_right_fiche_first(real_db, query: str, slug: str, corrected: str) -> None:
    found = answer(real_db, query)
    assert found.results and found.results[0].slug == slug, [(r.slug, r.section) for r in found.results[:5]]
    assert found.corrected == corrected


def test_a_typo_is_not_drowned_by_common_words(real_db) -> None:
    """« maisn de santé » no longer lists every text that says « santé »."""
    results = search(real_db, "maisn de santé")
    assert results and all(r.slug in ("msp", "glossaire", "exercice-coordonne", "ars") for r in results)
    assert len(results) < len(search(real_db, "santé"))


def test_true_matches_are_never_corrected(real_db) -> None:
    assert answer(real_db, "maison de santé").corrected == ""
    assert answer(real_db, "protocole de coopération").results[0].slug == "protocoles-cooperation"


def test_corrections_stay_close() -> None:
    assert distance("cpst", "cpts") == 1
    assert distance("maisn", "maison") == 1
    assert distance("dispositf", "dispositif") == 1
    assert distance("abc", "xyz") == 3


def test_corrections_come_from_titles_acronyms_and_glossary(real_db) -> None:
    assert "cpts" in corrections(real_db, "cpst")
    assert "maison" in corrections(real_db, "maisn")
    assert corrections(real_db, "zzzzqqqq") == ()


def test_tiny_db_corrects_a_title_word(tiny_db) -> None:
    found = answer(tiny_db, "alpah")
    assert found.results and found.results[0].slug == "alpha"


@pytest.mark.parametrize("case", PRECISION_QUERIES, ids=[c["query"] for c in PRECISION_QUERIES])
def test_precision_query_set_puts_the_expected_fiche_first(real_db, case: dict[str, str]) -> None:
    results = search(real_db, case["query"])
    assert results and results[0].slug == case["fiche"], [(r.slug, r.section) for r in results[:5]]


# --- Empty answers and versions ------------------------------------------------------------------


def test_an_empty_result_offers_the_closest_words_the_glossary_and_every_fiche(real_db) -> None:
    found = answer(real_db, "cooordinnation")
    assert found.results == []
    labels = [s.label for s in found.suggestions]
    assert "coordination" in labels
    assert [s.kind for s in found.suggestions][-2:] == ["glossary", "fiches"]
    junk = answer(real_db, '"*) AND NOT zzqx')
    assert junk.results == [] and {s.kind for s in junk.suggestions} >= {"glossary", "fiches"}


def test_a_hit_only_in_falc_opens_in_falc(real_db) -> None:
    r = search(real_db, "travailleurs indépendants")[0]
    assert (r.slug, r.section) == ("msp", "resume-definition")
    assert r.in_falc and not r.in_standard
    assert r.open_version(TextVersion.STANDARD) is TextVersion.FALC
    hit = search(real_db, "SISA", TextVersion.FALC)[0]
    assert hit.in_standard and not hit.in_falc
    assert hit.open_version(TextVersion.FALC) is TextVersion.STANDARD


def test_a_base_built_before_the_typo_index_and_the_guide_is_refused_in_french(tmp_path) -> None:
    """A database from an older build (no spelling / guide tables) does not match the schema this
    application reads: it is refused with one French line (an installed pack then gives way to
    the next valid content, see tests/gui/test_app.py), never half used."""
    from fiche_desktop.build import validate, write_database
    from fiche_desktop.db import ContentDB, DatabaseError
    from tests.helpers import tiny_content

    path = tmp_path / "old.db"
    write_database(validate(tiny_content()), path)
    conn = sqlite3.connect(path)
    for table in ("spelling", "guide_paths", "guide_questions"):
        conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="schéma diffère"):
        ContentDB(path)


# --- French inflections, everyday words, stop words (issue 29) ------------------------------------


@pytest.mark.parametrize("query", ["infirmière", "infirmiere", "infirmières", "Infirmieres"])
def test_the_feminine_finds_the_masculine_in_a_structure_fiche(real_db, query: str) -> None:
    found = answer(real_db, query)
    assert found.results, [s.label for s in found.suggestions]
    first = found.results[0]
    assert real_db.fiche(first.slug).kind == "structure", first.where
    assert re.search(r"\binfirmiers?\b", first.plain_snippet), first.plain_snippet
    assert f"{MARK_START}infirmier" in first.snippet  # the form found is highlighted
    assert "infirmier" in first.terms  # ... and in the fiche it opens
    fiche_text = " ".join(s.text for s in real_db.fiche(first.slug).sections)
    assert hit_spans(fiche_text, first.terms, first.prefix)


@pytest.mark.parametrize("query", ["garde", "médecin de garde", "urgence", "116 117", "le week-end", "la nuit"])
def test_everyday_words_find_the_sas_first(real_db, query: str) -> None:
    results = search(real_db, query)
    assert results and results[0].slug == "sas", [(r.slug, r.section) for r in results[:5]]


def test_vocabulary_words_lead_to_the_fiche_but_are_never_shown_as_its_text(real_db) -> None:
    first = search(real_db, "garde")[0]
    sas = real_db.fiche("sas")
    sourced = " ".join([sas.summary or "", *(s.text for s in sas.sections), *(x for s in sas.sections for x in s.falc)])
    assert "garde" not in fold(sourced)  # the SAS fiche never says it: only the vocabulary does
    assert "garde" not in fold(first.plain_snippet) and MARK_START not in first.snippet


def test_who_pays_the_msp_opens_its_financing_part_first(real_db) -> None:
    results = search(real_db, "qui paie la MSP")
    assert results and (results[0].slug, results[0].section) == ("msp", "financement"), [
        (r.slug, r.section) for r in results[:9]
    ]
    assert results[0].part == "Financement · fiche détaillée"


@pytest.mark.parametrize(
    "query, lit",
    [
        ("qu'est-ce qu'une MSP", {"msp"}),
        ("qui est le médecin de garde", {"medecin"}),
        ("c'est quoi une CPTS", {"cpts"}),
        ("qui paie la MSP", set()),  # found through the vocabulary and the fiche's acronym
        ("est-ce que", set()),  # stop words only: still searched, nothing lit
    ],
)
def test_stop_words_are_never_highlighted(real_db, query: str, lit: set[str]) -> None:
    results = search(real_db, query)
    assert results
    marked: set[str] = set()
    for r in results:
        marked |= {fold(m) for m in re.findall(f"{MARK_START}(.*?){MARK_END}", r.snippet)}
        assert not set(r.terms) & STOP_WORDS and r.prefix not in STOP_WORDS
    assert marked == lit
    assert hit_spans("Qui est le médecin ? La MSP est ouverte.", ("qui", "est", "msp")) == [(24, 27)]


def test_words_as_typed_rank_above_their_other_forms(tmp_path) -> None:
    from fiche_desktop.build import validate, write_database
    from fiche_desktop.db import ContentDB
    from tests.helpers import tiny_content

    files = tiny_content()
    # bm25 alone would put the short part first (two hits in two words).
    files["alpha.toml"]["sections"] += [
        {"id": "courte", "level": "detail", "title": "Courte", "source": "std", "text": "Infirmier, infirmier."},
        {
            "id": "longue",
            "level": "detail",
            "title": "Longue",
            "source": "std",
            "text": "Les infirmières de l’équipe se coordonnent avec les médecins, les pharmaciens et les kinés.",
        },
    ]
    path = tmp_path / "forms.db"
    write_database(validate(files), path)
    db = ContentDB(path)
    try:
        for query in ("infirmières", "infirmiere"):
            assert [r.section for r in search(db, query)] == ["longue", "courte"], query
        assert [r.section for r in search(db, "infirmier")][:2] == ["courte", "longue"]  # prefix: both as typed
    finally:
        db.close()
