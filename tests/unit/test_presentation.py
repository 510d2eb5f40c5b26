"""One set of presentation rules: every part of every fiche carries the same source and date on the
screen's HTML, in the comparison and on paper; a term files under the same letter on screen and on paper.

The expected source and date are written here from the content itself, apart from the code under test:
a part shown in its validated FALC text is dated by the FALC source; a standard part by its own date
(the source dates each detailed fiche), else by its source's date.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from fiche_desktop import presentation, printing, render
from fiche_desktop.compare import STRUCTURE_SLUGS, Cell, build_comparison, passages
from fiche_desktop.content import Fiche, Section, Source, Term, TextVersion, date_in_words
from fiche_desktop.db import ContentDB
from fiche_desktop.printing import data

VERSIONS = [TextVersion.STANDARD, TextVersion.FALC]


def truth(section: Section, version: TextVersion, sources: dict[str, Source]) -> tuple[str, str, str]:
    """(the source's title, its short name, the date in words) of section as shown in version."""
    falc = version is TextVersion.FALC and bool(section.falc)
    source = sources[section.falc_source if falc and section.falc_source else section.source]
    date = source.date if falc else (section.date or source.date)
    return source.title, source.label, date_in_words(date) if date else "source non datée"


def flat(text: str) -> str:
    """Whitespace collapsed, a word hyphenated at a line's end joined back."""
    return " ".join(re.sub(r"[\u00ad\u2010]\n", "", text).split())


def section_segments(page: str) -> dict[str, str]:
    """The screen's HTML cut at each section's anchor: section id -> its HTML, unescaped."""
    pieces = re.split(r'<a name="section-([^"]+)"></a>', page)
    return {pieces[i]: html.unescape(pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)}


def pdf_text(path: Path) -> str:
    return flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


def quoted(fiche: Fiche, cell: Cell) -> list[tuple[Section, TextVersion]]:
    """The parts a comparison cell quotes, each with the version its lines are in."""
    version = TextVersion.FALC if cell.falc else TextVersion.STANDARD
    return [(s, version) for sid in cell.sections if (s := fiche.section(sid)) is not None]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_part_of_every_fiche_has_one_source_and_date_on_screen_and_on_paper(
    real_db: ContentDB, version: TextVersion
) -> None:
    sources = real_db.sources()
    ctx = render.make_context(real_db, base_pt=11.0)
    checked = 0
    for slug in real_db.slugs():
        fiche = real_db.fiche(slug)
        assert fiche is not None
        segments = section_segments(render.fiche_html(fiche, version, ctx, unfolded=True))
        paper = data.fiche_data(fiche, real_db, None) if version is TextVersion.STANDARD else None
        printed = {s["id"]: s["source"] for g in paper["groups"] for s in g["sections"]} if paper else {}
        handout = data.handout_data(fiche, real_db, None)
        for section in fiche.sections:
            title, label, when = truth(section, version, sources)
            assert f"Source : {title} – {when}" in segments[section.id], (slug, section.id, version)
            if version is TextVersion.STANDARD:
                assert printed[section.id] == f"Source : {label} – {when}", (slug, section.id)
                listed = [x for x in paper["source_list"] if x.startswith(f"{title}, ")]  # type: ignore[index]
                assert len(listed) == 1 and when in listed[0].split(", ")[-1].split(" et "), (slug, listed)
            elif section.falc:
                assert handout["date"] == f"texte du {when}", (slug, section.id)  # the handout's title band
                assert handout["footer"] == f"Texte FALC du {when}"
            checked += 1
    assert checked > 90  # 99 parts in 20-odd fiches


@pytest.mark.parametrize("version", VERSIONS)
def test_every_comparison_cell_carries_the_source_and_date_of_the_parts_it_quotes(
    real_db: ContentDB, version: TextVersion
) -> None:
    """The comparison's cells, their full view's passages and the comparison PDF's data agree with the fiche."""
    sources = real_db.sources()
    slugs = list(STRUCTURE_SLUGS)
    comparison = build_comparison(real_db, slugs, version)
    paper = data.comparison_doc(real_db, slugs, version)
    printed_rows = {r["label"]: r["cells"] for r in paper["rows"]}
    checked = 0
    for row in comparison.rows:
        for fiche, cell in zip(comparison.fiches, row.cells, strict=True):
            named = {(a.title, a.label, a.when) for a in cell.attributions}
            for section, shown in quoted(fiche, cell):
                title, label, when = truth(section, shown, sources)
                assert (title, label, when) in named, (fiche.slug, row.key, section.id)
                printed = printed_rows.get(row.label, [])
                column = comparison.fiches.index(fiche)
                if printed and "source" in printed[column]:
                    assert f"{label} – {when}" in printed[column]["source"], (fiche.slug, row.key)
                elif cell.falc:  # FALC cells name no source: the page's footer does, with the date
                    assert f"{label} – {when}" in paper["sources"]
                checked += 1
            for p in passages(fiche, cell, version, sources):
                section = fiche.section(p.section)
                assert section is not None
                title, _, when = truth(section, TextVersion.FALC if p.falc else TextVersion.STANDARD, sources)
                assert p.attribution.line() == f"Source : {title} – {when}"
    assert checked > 50


@pytest.mark.skipif(sys.platform == "win32", reason="reads the PDF back with poppler's pdftotext (Linux tools)")
def test_the_cds_financement_part_is_dated_31_july_2024_in_the_fiche_the_comparison_and_the_pdfs(
    real_db: ContentDB, tmp_path: Path
) -> None:
    """The bug that started it: the comparison dated this passage 25 September 2024 (Fiche 2's own date)."""
    fiche = real_db.fiche("cds")
    assert fiche is not None
    section = fiche.section("financement")
    assert section is not None and section.date == "2024-07-31"
    fiche2 = real_db.sources()["standard"]
    assert fiche2.date == "2024-09-25"  # the source's date, which is not this part's
    screen = f"Source : {fiche2.title} – 31 juillet 2024"
    paper = f"{fiche2.label} – 31 juillet 2024"

    ctx = render.make_context(real_db, base_pt=11.0)
    assert screen in section_segments(render.fiche_html(fiche, TextVersion.STANDARD, ctx))["financement"]

    comparison = build_comparison(real_db, ["msp", "cds"], TextVersion.STANDARD)
    row = next(r for r in comparison.rows if r.key == "financement")
    cell = row.cells[1]
    assert [a.when for a in cell.attributions] == ["31 juillet 2024"]
    assert [p.attribution.line() for p in passages(fiche, cell, TextVersion.STANDARD, real_db.sources())] == [screen]
    rows = data.comparison_doc(real_db, ["msp", "cds"], TextVersion.STANDARD)["rows"]
    printed = next(r for r in rows if r["label"] == row.label)
    assert printed["cells"][1]["source"] == paper

    fiche_pdf = tmp_path / "cds.pdf"
    printing.export_fiches_pdf(real_db, ["cds"], TextVersion.STANDARD, fiche_pdf)
    text = pdf_text(fiche_pdf)
    part = text[text.index("Financement") : text.index("Textes de référence")]
    assert re.findall(r"Source : [^–]+ – \d+ \w+ \d{4}", part) == [f"Source : {paper}"]  # the page footers aside

    compare_pdf = tmp_path / "compare.pdf"
    printing.export_comparison_pdf(real_db, ["msp", "cds"], TextVersion.STANDARD, compare_pdf)
    with pdfplumber.open(compare_pdf) as doc:
        for page in doc.pages:
            words = page.extract_words()
            alone = [w for w in words if not any(abs(v["top"] - w["top"]) < 2 and v is not w for v in words)]
            label = next((w for w in alone if w["text"] == "Financement" and w["x0"] < 100), None)
            if label is None:
                continue
            # The criterion is a header row above its cells; the next criterion's header row ends them.
            after = rows[rows.index(printed) + 1]["label"].split()[0] if printed is not rows[-1] else None
            below = [w["top"] for w in words if w["x0"] < 100 and w["text"] == after and w["top"] > label["top"] + 2]
            below += [w["top"] for w in words if w["top"] > label["bottom"] and "Sources" == w["text"]]  # the footer
            head = max((w for w in words if w["text"] == "CDS"), key=lambda w: w["x0"])  # its column's head
            box = (head["x0"] - 2, label["bottom"] + 1, page.width, min(below, default=page.height - 50) - 2)
            cds_cell = flat(page.within_bbox(box).extract_text() or "")
            break
    assert "Aide au démarrage sur le FIR" in cds_cell
    assert cds_cell.endswith(paper) and "25 septembre" not in cds_cell


@pytest.mark.skipif(sys.platform == "win32", reason="reads the PDF back with poppler's pdftotext (Linux tools)")
@pytest.mark.parametrize("slug", ["msp", "cds", "ess", "telesante"])
def test_the_exported_fiche_prints_each_part_with_the_screens_source_and_date(
    real_db: ContentDB, tmp_path: Path, slug: str
) -> None:
    fiche = real_db.fiche(slug)
    assert fiche is not None
    sources = real_db.sources()
    path = tmp_path / f"{slug}.pdf"
    printing.export_fiches_pdf(real_db, [slug], TextVersion.STANDARD, path)
    text = pdf_text(path)
    ctx = render.make_context(real_db, base_pt=11.0)
    segments = section_segments(render.fiche_html(fiche, TextVersion.STANDARD, ctx))
    for section in fiche.sections:
        title, label, when = truth(section, TextVersion.STANDARD, sources)
        assert f"Source : {label} – {when}" in text, section.id
        assert f"Source : {title} – {when}" in segments[section.id]
    if any(s.falc for s in fiche.sections):
        falc_path = tmp_path / f"{slug}-falc.pdf"
        printing.export_fiches_pdf(real_db, [slug], TextVersion.FALC, falc_path)
        falc_text = pdf_text(falc_path)
        for section in (s for s in fiche.sections if s.falc):
            _, _, when = truth(section, TextVersion.FALC, sources)
            assert f"texte du {when}" in falc_text and f"Texte FALC du {when}" in falc_text


def test_errata_go_beside_the_version_they_correct_on_screen_and_on_paper(real_db: ContentDB) -> None:
    """An erratum of the FALC source beside the FALC text only; of the standard source beside the standard text."""
    errata = real_db.errata()
    ctx = render.make_context(real_db, base_pt=11.0)
    for erratum in errata:
        fiche = real_db.fiche(erratum.fiche)
        assert fiche is not None
        section = fiche.section(erratum.section)
        assert section is not None
        falc = erratum.source == section.falc_source
        standard_html = section_segments(render.fiche_html(fiche, TextVersion.STANDARD, ctx))[section.id]
        falc_html = section_segments(render.fiche_html(fiche, TextVersion.FALC, ctx, unfolded=True))[section.id]
        note = f"la source indique « {erratum.original} »"
        # A part without FALC text shows its standard text, and the standard errata, in the FALC view too.
        assert (note in falc_html, note in standard_html) == (falc or not section.falc, not falc)
        printed = next(
            s for g in data.fiche_data(fiche, real_db, None)["groups"] for s in g["sections"] if s["id"] == section.id
        )
        assert any(erratum.original in n for n in printed["errata"]) is not falc
    falc_parts = {(e.fiche, e.section) for e in errata if e.source == "falc"}
    for slug in real_db.slugs():
        fiche = real_db.fiche(slug)
        assert fiche is not None
        handout = [(s.id, data.falc_section(s, errata)["corrected"]) for s in fiche.sections if s.falc]
        assert [sid for sid, note in handout if note] == [sid for sid, _ in handout if (slug, sid) in falc_parts]
    assert falc_parts  # the CDS and DAC FALC texts are corrected


def test_a_term_starting_with_oe_files_under_o_on_screen_and_on_paper(real_db: ContentDB) -> None:
    terms = [
        *real_db.terms(),
        Term("Œdème", "", "Gonflement.", None, True),
        Term("Ædicule", "", "Petit édifice.", None, True),
        Term("oeil", "", "Organe de la vue.", None, True),
    ]
    ordered = presentation.french_sorted(terms, key=lambda t: t.term)
    assert presentation.initial("Œdème") == "O" and presentation.initial("Ædicule") == "A"
    assert presentation.initial("éducation") == "E" and presentation.initial("1er recours") == "#"
    names = [t.term for t in ordered]
    assert names.index("MSSanté") < names.index("Œdème") < names.index("oeil") < names.index("paramédical")
    ctx = render.make_context(real_db, base_pt=11.0)
    screen = render.glossary_html(ordered, ctx)
    o_heading = screen.index('<a name="lettre-O"></a>')
    assert o_heading < screen.index('<a name="terme-Œdème"></a>') < screen.index('<a name="lettre-P"></a>')
    assert '<a name="lettre-Œ"></a>' not in screen
    paper = data.glossary_data(terms, real_db.sources())
    filed = {t["term"]: letter["letter"] for letter in paper["letters"] for t in letter["terms"]}
    assert filed["Œdème"] == "O" and filed["Ædicule"] == "A" and filed["oeil"] == "O"
    assert [t["term"] for letter in paper["letters"] for t in letter["terms"]] == names  # one order
    letters = re.findall(r'<a name="lettre-([^"]+)"></a>', screen)
    assert letters == [letter["letter"] for letter in paper["letters"]]


def test_french_sort_key() -> None:
    """Accents and case folded first; on a tie, unaccented before accented, lower case before upper."""
    terms = ["MIG SAMU", "médecin traitant", "éducation", "Esat", "EHPAD", "e-parcours", "cercle", "CDS", "Cœur"]
    terms += ["Côte", "côte", "coté", "cote"]
    expected = ["CDS", "cercle", "Cœur", "cote", "coté", "côte", "Côte", "éducation", "EHPAD", "e-parcours"]
    expected += ["Esat", "médecin traitant", "MIG SAMU"]
    assert sorted(terms, key=presentation.french_key) == expected
    assert presentation.french_sorted(["b", "A", "a"], key=str) == ["a", "A", "b"]
    same = [Term("SAS", "1", "", None, True), Term("SAS", "2", "", None, True)]
    assert presentation.french_sorted(same, key=lambda t: t.term) == same  # ties keep their order


def test_one_qr_code_drawn_as_modules_on_screen_and_as_runs_on_paper() -> None:
    url = "https://www.ameli.fr/"
    matrix = presentation.qr_matrix(url)
    runs = presentation.qr_runs(url)
    assert len(matrix) == len(runs) >= 21
    for row, found in zip(matrix, runs, strict=True):
        dark = {x for start, length in found for x in range(start, start + length)}
        assert dark == {x for x, v in enumerate(row) if v}
    assert data.link_data(url, None)["qr"] == [[list(r) for r in row] for row in runs]


def test_the_help_page_names_the_keys_as_the_platform_writes_them() -> None:
    """The window passes its keys (a Mac's ⌘F); without them the Linux and Windows names."""
    from fiche_desktop.theme import STANDARD

    mac = render.help_html([("⌘F", "Rechercher")], STANDARD, 11, {"find": "⌘F", "zoom_in": "⌘+"})
    text = re.sub(r"<[^>]+>", " ", mac)
    assert "⌘F cherche dans toutes les fiches" in text and "Ctrl+F" not in text
    assert "Contraste élevé (Ctrl+Maj+H) ; ⌘+ et Ctrl+- pour la taille" in text
    plain = re.sub(r"<[^>]+>", " ", render.help_html([], STANDARD, 11))
    assert "Ctrl+F cherche dans toutes les fiches" in plain and "(F3 : suivant)" in plain


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("un forfait de 50 000 € par an", "un forfait de 50\u00a0000\u00a0€ par an"),
        ("30 % des 1 200 habitants", "30\u00a0% des 1\u00a0200\u00a0habitants"),
        ("appeler le 116 117 la nuit", "appeler le 116\u00a0117 la nuit"),
        ("sous 48 heures ou 2 jours", "sous 48\u00a0heures ou 2\u00a0jours"),
        ("le 12 mars 2024, 3 médecins", "le 12 mars 2024, 3 médecins"),  # dates and counts of people break as usual
        ("en 2023 2024", "en 2023 2024"),
    ],
)
def test_numbers_and_amounts_never_split_across_lines(text: str, kept: str) -> None:
    assert presentation.keep_together(text) == kept
    assert " ".join(presentation.keep_together(text).split()) == text  # only the kind of space changes


def test_the_screen_and_the_paper_keep_an_amount_on_one_line() -> None:
    text = "une aide de 50 000 € (voir https://example.org/aide 2024)"
    assert "50\u00a0000\u00a0€" in render.inline(text, render.RenderContext())
    runs = data.runs(text)
    assert runs[0] == {"t": "une aide de 50\u00a0000\u00a0€ (voir "} and runs[1]["url"] == "https://example.org/aide"
