"""The screens say what the paper says: each part's source and date in the fiche view and the
comparison (its cells, its source line, its full view), a term's letter in the glossary."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from fiche_desktop import printing, render
from fiche_desktop.compare import STRUCTURE_SLUGS
from fiche_desktop.content import Term, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.printing import data
from fiche_desktop.views.compare_view import CompareView
from fiche_desktop.views.fiche_view import FicheView, section_range
from fiche_desktop.views.glossary_view import GlossaryView
from fiche_desktop.views.rich_text import HTML_ROLE
from tests.unit.test_presentation import pdf_text, quoted, truth

VERSIONS = [TextVersion.STANDARD, TextVersion.FALC]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_fiche_view_shows_each_part_with_the_papers_source_and_date(
    qtbot, real_db: ContentDB, version: TextVersion
) -> None:
    view = FicheView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    ctx = render.make_context(real_db, base_pt=11.0)
    sources = real_db.sources()
    for slug in real_db.slugs():
        fiche = real_db.fiche(slug)
        assert fiche is not None
        view.show_fiche(fiche, version, ctx)
        view.unfold()  # the standard parts of a FALC page, too
        text = view.text()
        paper = {s["id"]: s["source"] for g in data.fiche_data(fiche, real_db, None)["groups"] for s in g["sections"]}
        for section in fiche.sections:
            found = section_range(view.browser, section.id)
            assert found is not None, (slug, section.id)
            title, label, when = truth(section, version, sources)
            assert f"Source : {title} – {when}" in text[found[0] : found[1]], (slug, section.id, version)
            if version is TextVersion.STANDARD:
                assert paper[section.id] == f"Source : {label} – {when}"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_comparison_screen_cites_each_cell_with_the_source_and_date_of_its_parts(
    qtbot, real_db: ContentDB, version: TextVersion
) -> None:
    view = CompareView(real_db)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.set_version(version)
    view.set_structures(list(STRUCTURE_SLUGS))
    view.set_expanded(True)
    sources = real_db.sources()
    printed = {r["label"]: r["cells"] for r in data.comparison_doc(real_db, list(STRUCTURE_SLUGS), version)["rows"]}
    checked = 0
    for r, row in enumerate(view.model.rows):
        if row is None:
            continue
        for c, cell in enumerate(row.cells):
            fiche = view.model.fiche(c)
            assert fiche is not None
            index = view.model.index(r, c)
            first = view.model.index(r, view.model.columns_sharing(index)[0])  # a merged cell is read once
            named = str(view.model.data(first, Qt.ItemDataRole.AccessibleTextRole))
            html = str(view.model.data(index, HTML_ROLE))  # a value shared by columns cites each one's part
            full = view.open_full(index)
            for section, shown in quoted(fiche, cell):
                title, label, when = truth(section, shown, sources)
                assert f"{title} – {when}" in named, (fiche.slug, row.key, section.id)
                assert f"Source : {title} – {when}" in full
                numbers = [n for a, n in view.model.numbers.items() if (a.label, a.when) == (label, when)]
                assert len(numbers) == 1 and f"[{numbers[0]}] {label} – {when}" in view.legend.text()
                assert f"[{numbers[0]}]" in html or (row.same_as(c) is not None and "= comme" in html), html
                paper = printed.get(row.label, [{}] * len(row.cells))[c]
                assert "source" not in paper or f"{label} – {when}" in paper["source"]
                checked += 1
    assert checked > 30


@pytest.mark.skipif(
    sys.platform == "win32", reason="reads the comparison PDF back with poppler's pdftotext (Linux tools)"
)
def test_the_cds_financement_cell_is_dated_like_its_part_on_screen(qtbot, real_db: ContentDB, tmp_path) -> None:
    """It said 25 septembre 2024 (Fiche 2's own date) where the fiche says 31 juillet 2024."""
    view = CompareView(real_db)
    qtbot.addWidget(view)
    view.show()
    view.set_structures(["msp", "cds"])
    index = view.model.index(view.criterion_row("financement"), 1)
    view.table.setCurrentIndex(index)
    title = real_db.sources()["standard"].title
    assert view.source_line.text() == f"CDS › Financement – Source : {title} – 31 juillet 2024"
    full = view.open_full(index)
    assert f"Source : {title} – 31 juillet 2024" in full and "25 septembre 2024" not in full
    number = view.model.refs(view.model.cell(index))
    assert f"{number} Fiche 2, version standard (2024) – 31 juillet 2024" in view.legend.text()
    fiche = FicheView()
    qtbot.addWidget(fiche)
    cds = real_db.fiche("cds")
    assert cds is not None
    fiche.show_fiche(cds, TextVersion.STANDARD, render.make_context(real_db, base_pt=11.0))
    found = section_range(fiche.browser, "financement")
    assert found is not None
    assert f"Source : {title} – 31 juillet 2024" in fiche.text()[found[0] : found[1]]
    pdf = tmp_path / "cds.pdf"
    printing.export_comparison_pdf(real_db, ["msp", "cds"], TextVersion.STANDARD, pdf)
    assert "Fiche 2, version standard (2024) – 31 juillet 2024" in pdf_text(pdf)


def test_a_value_two_fiches_share_cites_both_parts_dates(qtbot, real_db: ContentDB) -> None:
    """MSP and CDS give the same composition, quoted from parts dated 17 September and 31 July 2024."""
    view = CompareView(real_db)
    qtbot.addWidget(view)
    view.show()
    view.set_structures(["msp", "cds"])
    row = view.criterion_row("composition")
    assert view.table.columnSpan(row, 0) == 2
    index = view.model.index(row, 0)
    dates = {a.when: n for a, n in view.model.numbers.items()}
    html = str(view.model.data(index, HTML_ROLE))
    assert f"[{dates['17 septembre 2024']}]" in html and f"[{dates['31 juillet 2024']}]" in html
    named = str(view.model.data(index, Qt.ItemDataRole.AccessibleTextRole))
    assert named.startswith("MSP et CDS, Composition") and "17 septembre 2024" in named and "31 juillet 2024" in named
    view.table.setCurrentIndex(index)
    assert view.source_line.text().startswith("MSP et CDS › Composition, équipe minimale – Source : FICHE 2")
    assert "31 juillet 2024" in view.source_line.text()


def test_a_term_starting_with_oe_files_under_o_in_the_glossary_view_as_on_paper(qtbot, real_db: ContentDB) -> None:
    view = GlossaryView()
    qtbot.addWidget(view)
    extra = [Term("Œdème", "", "Gonflement.", None, True), Term("Ædicule", "", "Édicule.", None, True)]
    terms = [*real_db.terms(), *extra]
    view.show_terms(terms, TextVersion.STANDARD, render.make_context(real_db, base_pt=11.0))
    paper = data.glossary_data(terms, real_db.sources())
    assert [t.term for t in view.shown_terms()] == [t["term"] for x in paper["letters"] for t in x["terms"]]
    filed = {t["term"]: x["letter"] for x in paper["letters"] for t in x["terms"]}
    assert filed["Œdème"] == "O" and filed["Ædicule"] == "A"
    lines = [line.strip() for line in view.text().splitlines() if line.strip()]
    heading = max(i for i, line in enumerate(lines) if line == "O" and i < lines.index("Œdème"))
    assert lines.index("Œdème") > heading and "Œ" not in lines  # filed under O, no letter Œ
    assert lines.index("Ædicule") < lines.index("B")
    assert view.letter_buttons["O"].isEnabled()
    filtered_letters = [x["letter"] for x in paper["letters"]]
    assert [line for line in lines if len(line) == 1 and (line.isupper() or line == "#")] == filtered_letters
