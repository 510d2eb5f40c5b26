"""Every sentence of the five sources is in data.db, word for word; FALC line for line."""

from __future__ import annotations

import json
import re
import sqlite3
from functools import cache

import pytest

from tests.conftest import REAL_DB, SEEDS

FALC_SEED = "000_6b835aa7d11cbd62.txt"
STANDARD_SEEDS = [
    "001_123e93f36ff4d919.txt",
    "002_2e7b72abe1e94f4e.txt",
    "003_be21bcd753bd02ee.txt",
    "004_2bb3c1c47aad7a69.txt",
]

# Page furniture of the extractions: headers, column labels, section labels printed after
# their text, dates of the fiche headers, image credits. Whole lines only.
FURNITURE = {
    "001_123e93f36ff4d919.txt": {
        "ACTEURS DE SOINS ACTEURS DE COORDINATION",
        "ESP MSP CDS CPTS DAC SAS",
        "ÉQUIPE DE SOINS PRIMAIRES MAISON DE SANTÉ",
        "PLURIPROFESSIONNELLE",
        "CENTRE DE SANTÉ",
        "POLYVALENT",
        "COMMUNAUTÉ",
        "PROFESSIONNELLE",
        "TERRITORIALE DE SANTÉ",
        "DISPOSITIF D’APPUI À LA",
        "COORDINATION SERVICE D’ACCÈS AUX SOINS",
        "DÉFINITION",
        "PÉRIMÈTRE",
        "QUELS",
        "SOINS /",
        "PRISES EN",
        "CHARGE ?",
        "OUTILS POUR ÉCHANGER",
        "ENTRE PROFESSIONNELS DE SANTÉ",
        "CLAUSE DE FLEXIBILITÉ",
        "DISPOSITIFS DE SOINS PRIMAIRES ET DE COORDINATION",
        "CDS - CENTRE DE SANTÉ POLYVALENT",
        "CPTS - COMMUNAUTÉ PROFESSIONNELLE TERRITORIALE DE SANTÉ",
        "DAC - DISPOSITIF D’APPUI À LA COORDINATION",
        "ESP - ÉQUIPE DE SOINS PRIMAIRES",
        "MSP - MAISON DE SANTÉ PLURIPROFESSIONNELLE",
        "SAS - SERVICE D’ACCÈS AUX SOINS",
        "LA TÉLÉSANTÉ",
        "ACTEUR DE SOINS",
        "ACTEUR DE COORDINATION",
        "31/07/2024",
        "17/09/2024",
        "définition",
        "public / périmètre",
        "objectif",
        "GESTION",
        "statut",
        "financement",
        "perspectives",
        "textes de référence",
        "textes",
    },
    "002_2e7b72abe1e94f4e.txt": set(),
    "003_be21bcd753bd02ee.txt": {
        "Actualité",
        "Réunion de professionnels de santé",
        "Adobe Stock",
        "Aller plus loin",
        "Nom de la forme d'exercice coordonné Caractéristiques",
    },
    "004_2bb3c1c47aad7a69.txt": {"I. Les textes de référence :", "II. Dispositif", "III. Les contacts"},
}
FALC_FURNITURE = re.compile(r"^(FICHE 2|PLUS D’INFOS|BULLE .*|PLUS D’INFOS / BULLE .*)$")
BULLETS = "•"


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


@cache
def db_rows() -> dict[str, list]:
    conn = sqlite3.connect(f"file:{REAL_DB}?mode=ro&immutable=1", uri=True)
    conn.row_factory = sqlite3.Row
    out = {
        t: list(conn.execute(f"SELECT * FROM {t}"))
        for t in ("fiches", "sections", "links", "glossary", "contacts", "sources", "errata", "groups")
    }
    conn.close()
    return out


def unapply_errata(text: str) -> list[str]:
    """The text as stored, and as the source wrote it (errata reversed)."""
    variants = [text]
    for e in db_rows()["errata"]:
        if e["correction"] in text:
            variants.append(text.replace(e["correction"], e["original"]))
    return variants


@cache
def corpus() -> list[str]:
    """Every text unit the app shows, normalised; bullets' "- " dropped inside sections."""
    rows = db_rows()
    items: list[str] = []
    for f in rows["fiches"]:
        items += [f["title"], f["falc_title"] or "", f["acronym"] or "", f["summary"] or ""]
    for s in rows["sections"]:
        lines = [re.sub(r"^- ", "", x.strip()) for x in s["text"].splitlines() if x.strip()]
        items += [" ".join(lines), s["title"], s["falc_title"] or ""]
        items += json.loads(s["falc"]) if s["falc"] else []
    for link in rows["links"]:
        items += [link["url"], link["label"] or ""]
    for t in rows["glossary"]:
        items += [t["term"], t["expansion"], t["definition"]]
    for c in rows["contacts"]:
        items += [c["sector"], c["name"], c["email"], c["phone"]]
    for s in rows["sources"]:
        items += [s["title"], s["date_text"] or "", s["credit"] or "", s["publisher"]]
    for g in rows["groups"]:
        items += [g["title"], g["falc_title"]]
    out: list[str] = []
    for item in items:
        out += [norm(v) for v in unapply_errata(item) if v]
    return out


def pieces(seed: str) -> list[str]:
    """The seed's sentences (and list items), furniture removed, extraction breaks rejoined."""
    raw = (SEEDS / seed).read_text(encoding="utf-8")
    raw = raw.replace("1^{er}", "1er").replace("**", "")
    # A link label and a section label printed on one line by the extraction.
    raw = raw.replace("qu'est-ce que la télémédecine textes", "qu'est-ce que la télémédecine\ntextes")
    # A table's name cell glued to its text cell.
    raw = raw.replace("Les équipes de soins primaires (ESP) Les ESP", "Les équipes de soins primaires (ESP)\nLes ESP")
    lines = [x.strip() for x in raw.splitlines()]
    lines = [x.lstrip("").strip() if x.startswith("") else x for x in lines]
    keep = [x for x in lines if x and x not in FURNITURE[seed]]
    # A header repeated at a page break in the Doubs kit.
    if seed.startswith("004"):
        keep = [
            x
            for x in keep
            if x not in ("Kit à l'attention des Élus du département du Doubs", "Mise à jour le jeudi 16 juillet 2020")
        ]
    chunks: list[str] = []
    current = ""
    for line in keep:
        starts_new = bool(re.match(r"^[A-ZÀ-ÖØ-Þ0-9(•\-]", line))
        broken = current[-1:] in ("-", "/") and line[:1].islower() and not line.startswith("http")
        if current and broken:
            current += line  # a word or a URL cut at the end of a line
        elif current and not starts_new:
            current += " " + line
        else:
            if current:
                chunks.append(current)
            current = line
    if current:
        chunks.append(current)
    out: list[str] = []
    for chunk in chunks:
        for part in re.split(r"(https?://[^\s]+?)(?=https?://|\s|$)|[•]|(?<=[.!?;:])\s+|\s-\s(?=[A-Z*])", chunk):
            if not part:
                continue
            part = part.strip(" -•")
            if len(part) > 1:
                out.append(part)
    return out


@pytest.mark.parametrize("seed", STANDARD_SEEDS)
def test_every_sentence_of_the_standard_sources_is_in_the_database(seed: str) -> None:
    items = corpus()
    missing = [p for p in pieces(seed) if not any(norm(p) in item for item in items)]
    assert not missing, f"{len(missing)} passages of {seed} are missing:\n" + "\n".join(missing[:20])


def falc_source_lines() -> list[str]:
    lines = [x.strip() for x in (SEEDS / FALC_SEED).read_text(encoding="utf-8").splitlines()]
    return [x for x in lines if x and not FALC_FURNITURE.match(x)]


def falc_db_sections() -> list[tuple[str, str, list[str]]]:
    return [(s["fiche"], s["id"], [x for x in json.loads(s["falc"]) if x]) for s in db_rows()["sections"] if s["falc"]]


def test_every_falc_line_is_in_the_database_verbatim() -> None:
    rows = db_rows()
    db_lines = {v for _, _, lines in falc_db_sections() for x in lines for v in unapply_errata(x)}
    headings = {norm(x) for f in rows["fiches"] for x in (f["title"], f["falc_title"], f["acronym"]) if x}
    headings |= {norm(s["falc_title"]) for s in rows["sections"] if s["falc_title"]}
    headings |= {norm(g["falc_title"]) for g in rows["groups"]}
    headings |= {norm(s["credit"]) for s in rows["sources"] if s["credit"]}
    missing = [x for x in falc_source_lines() if x not in db_lines and norm(x) not in headings]
    assert not missing, "FALC lines missing from data.db:\n" + "\n".join(missing)


def test_each_falc_section_is_an_unbroken_run_of_the_source_lines() -> None:
    source = falc_source_lines()
    for fiche, section, lines in falc_db_sections():
        original = [next((v for v in unapply_errata(x) if v in source), x) for x in lines]
        starts = [i for i, x in enumerate(source) if x == original[0]]
        assert any(source[i : i + len(original)] == original for i in starts), (
            f"{fiche}/{section}: FALC lines are not verbatim, in order, from the FALC source"
        )


def test_falc_text_comes_only_from_the_falc_source() -> None:
    for s in db_rows()["sections"]:
        if s["falc"]:
            assert s["falc_source"] == "falc", f"{s['fiche']}/{s['id']}"
        else:
            assert s["falc_source"] is None, f"{s['fiche']}/{s['id']}"


def test_the_falc_credit_and_the_flexibility_clause_are_carried() -> None:
    items = corpus()
    assert norm("Label Qualité FALC") in " ".join(items)
    assert any(norm("Les informations contenues dans ce document sont susceptibles d’évoluer.") in i for i in items)
    assert any(norm("Mise à jour du 25 septembre 2024.") == i for i in items)
