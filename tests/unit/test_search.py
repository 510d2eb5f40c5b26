"""Search: safe query building for any input, accent-insensitive, acronyms and titles first."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiche_desktop.content import TextVersion
from fiche_desktop.search import MARK_START, build_query, search, tokens


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
    assert build_query("soins-primaires") == '"soins" AND "primaires"*'


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
