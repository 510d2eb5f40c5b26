"""« Quelle structure ? »: each path ends on the expected fiches; every quote is verbatim in data.db."""

from __future__ import annotations

import pytest

from fiche_desktop import guide
from fiche_desktop.build import ContentError, validate
from fiche_desktop.content import TextVersion
from tests.helpers import tiny_content

EXPECTED = {
    "patient": {
        "soins-48h": ["sas", "cpts"],
        "situation-complexe": ["dac", "e-parcours"],
        "maladie-chronique": ["esp", "ess"],
        "a-distance": ["telesante"],
        "salaries-tiers-payant": ["cds"],
    },
    "exercice": {
        "equipe-generaliste-paramedical": ["esp", "msp"],
        "meme-lieu-liberal": ["msp"],
        "exercice-salarie": ["cds"],
        "projet-territoire": ["cpts"],
        "equipe-specialistes": ["ess"],
        "appui-situation-complexe": ["dac"],
        "echanger-informations": ["mssante", "dmp"],
        "monter-un-projet": ["ars"],
    },
}


def norm(text: str) -> str:
    return " ".join(text.split())


def test_two_paths_patient_and_practice(real_db) -> None:
    assert [(p.id, p.title) for p in guide.paths(real_db)] == [
        ("patient", "Pour un patient"),
        ("exercice", "Pour votre exercice"),
    ]


@pytest.mark.parametrize("path", EXPECTED)
def test_each_path_ends_on_the_expected_fiches(real_db, path: str) -> None:
    answers = {q.id: guide.resolve(real_db, q, TextVersion.STANDARD) for q in guide.questions(real_db, path)}
    assert {qid: [f.slug for f in a.fiches] for qid, a in answers.items()} == EXPECTED[path]
    for a in answers.values():
        for fiche in a.fiches:
            assert a.quotes_for(fiche.slug), f"{a.question.id}: nothing justifies {fiche.slug}"


def test_every_quote_is_verbatim_in_its_section_of_data_db_with_its_source(real_db) -> None:
    assert guide.unverified(real_db) == []
    sources = real_db.sources()
    for question in guide.questions(real_db):
        for version in TextVersion:
            for q in guide.resolve(real_db, question, version).quotes:
                section = real_db.fiche(q.fiche).section(q.section)
                assert q.source in sources
                if q.falc:
                    assert q.source == section.falc_source
                    text = "\n".join(section.falc)
                    assert "\n".join(q.lines) in text
                else:
                    assert q.source == section.source
                    assert all(norm(line) in norm(section.text) for line in q.lines)
                    assert q.date == (section.date or sources[q.source].date)


def test_falc_shows_only_validated_falc_lines_as_falc(real_db) -> None:
    question = next(q for q in guide.questions(real_db) if q.id == "soins-48h")
    answer = guide.resolve(real_db, question, TextVersion.FALC)
    falc = [q for q in answer.quotes if q.falc]
    assert falc and falc[0].lines[0] == "Le SAS est un service téléphonique pour l'aide médicale d'urgence."
    standard = [q for q in answer.quotes if not q.falc]
    assert standard and all(real_db.fiche(q.fiche).section(q.section).text for q in standard)


def test_the_comparison_behind_an_answer(real_db) -> None:
    by_id = {q.id: q for q in guide.questions(real_db)}
    assert guide.resolve(real_db, by_id["soins-48h"], TextVersion.STANDARD).compare == ("sas", "cpts")
    lone = guide.resolve(real_db, by_id["exercice-salarie"], TextVersion.STANDARD).compare
    assert lone[0] == "cds" and len(lone) == 6 and len(set(lone)) == 6
    assert guide.resolve(real_db, by_id["echanger-informations"], TextVersion.STANDARD).compare == ()


def _with_guide(quote: dict[str, object]) -> dict[str, dict[str, object]]:
    files = tiny_content()
    files["guide.toml"] = {
        "paths": [{"id": "patient", "title": "Pour un patient", "intro": "?"}],
        "questions": [
            {"id": "q", "path": "patient", "question": "Une question", "fiches": ["alpha"], "quotes": [quote]}
        ],
    }
    return files


def test_the_build_accepts_a_verbatim_quote_and_its_falc_lines() -> None:
    base = validate(
        _with_guide(
            {
                "fiche": "alpha",
                "section": "definition",
                "text": "Équipe pluriprofessionnelle de santé.",
                "falc": ["L’équipe alpha soigne."],
            }
        )
    )
    assert base.guide[0].quotes[0].falc == ("L’équipe alpha soigne.",)


@pytest.mark.parametrize(
    "quote, field",
    [
        ({"fiche": "alpha", "section": "definition", "text": "Équipe de santé."}, "quotes[0].text"),
        ({"fiche": "alpha", "section": "nulle-part", "text": "Équipe"}, "quotes[0].section"),
        ({"fiche": "alpha", "section": "definition", "text": "Équipe", "falc": ["Inventé."]}, "quotes[0].falc"),
        ({"fiche": "dispositifs", "section": "pivot", "text": "Le médecin"}, "quotes[0].fiche"),
    ],
)
def test_the_build_refuses_a_quote_that_is_not_word_for_word(quote: dict[str, object], field: str) -> None:
    with pytest.raises(ContentError) as e:
        validate(_with_guide(quote))
    assert e.value.file == "guide.toml" and e.value.field.endswith(field)
