"""The data contract of the shipped data.db: fiches, sections, sources, dates, FALC."""

from __future__ import annotations

from fiche_desktop.content import CRITERIA

STRUCTURES = ["esp", "msp", "cds", "cpts", "dac", "sas"]
SUMMARY = ["resume-definition", "resume-perimetre", "resume-soins"]
DETAIL = ["definition", "public", "objectif", "financement", "textes", "perspectives"]


def test_every_expected_fiche_is_there(real_db) -> None:
    slugs = set(real_db.slugs())
    assert {"dispositifs", *STRUCTURES, "ess", "telesante", "dmp", "mssante", "e-parcours"} <= slugs


def test_each_structure_has_summary_sections_with_falc_and_every_detailed_section(real_db) -> None:
    for slug in STRUCTURES:
        fiche = real_db.fiche(slug)
        assert fiche.date, slug
        for sid in SUMMARY:
            s = fiche.section(sid)
            assert s is not None and s.text and s.falc, f"{slug}/{sid}"
            assert s.more and fiche.section(s.more) is not None, f"{slug}/{sid} has no Plus d'infos"
        for sid in DETAIL:
            assert fiche.section(sid) is not None, f"{slug}/{sid}"
        assert fiche.section("statut") or fiche.section("gestion"), slug


def test_every_section_names_a_known_source(real_db) -> None:
    sources = real_db.sources()
    for slug in real_db.slugs():
        for s in real_db.fiche(slug).sections:
            assert s.source in sources, f"{slug}/{s.id}"
            assert s.text.strip(), f"{slug}/{s.id}"
            if s.source in ("standard", "falc", "kit-doubs"):
                assert s.date, f"{slug}/{s.id}: dated source without a date"


def test_overview_has_pivot_clause_and_groups(real_db) -> None:
    overview = real_db.fiche("dispositifs")
    assert overview.section("pivot").falc
    assert overview.section("clause").falc
    groups = {g.id: g.members for g in real_db.groups()}
    assert groups["soins"] == ("esp", "msp", "cds", "cpts")
    assert groups["coordination"] == ("dac", "sas")


def test_comparison_attributes_exist_for_each_structure(real_db) -> None:
    for slug in STRUCTURES:
        attrs = real_db.fiche(slug).attributes
        assert {a.criterion for a in attrs} >= {"composition", "statut", "financement", "textes"}, slug
        assert all(a.criterion in CRITERIA for a in attrs)


def test_glossary_covers_the_acronyms_the_sources_use(real_db) -> None:
    terms = {t.term for t in real_db.terms()} | {a for t in real_db.terms() for a in t.aliases}
    for acronym in [
        "ARS",
        "FIR",
        "ACI",
        "SISA",
        "CSP",
        "CPAM",
        "MIG SAMU",
        "PPCS",
        "DMP",
        "MSSanté",
        "HPST",
        "DGOS",
        "EHPAD",
        "CPOM",
        "FALC",
        "Esat",
        "tiers payant",
    ]:
        assert acronym in terms, acronym
    for t in real_db.terms():
        assert t.project or t.source, t.term


def test_errata_are_recorded_with_original_and_correction(real_db) -> None:
    errata = real_db.errata()
    cds = [e for e in errata if e.fiche == "cds" and e.source == "falc"]
    assert any("Maison de Santé Pluriprofessionnelle" in e.original for e in cds)
    for e in errata:
        section = real_db.fiche(e.fiche).section(e.section)
        assert e.correction in section.text or e.correction in section.falc


def test_ars_contacts_by_sector(real_db) -> None:
    sectors = [c.sector for c in real_db.contacts()]
    assert len(sectors) == 4 and "Secteur Grand Besançon" in sectors
