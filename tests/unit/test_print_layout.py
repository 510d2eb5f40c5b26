"""What the patient takes home, read back from the PDFs as set: nothing printed outside its page or over
its neighbour, nothing split that belongs together, lists and row headers in the tags, codes a phone reads.

How each check sees the page (and what it does not see):
- word boxes come from poppler (`pdftotext -bbox-layout`): each word's box from its font's ascent and
  descent, not the ink; a word outside the page, or two words whose boxes overlap, is what a reader sees
  as text cut off or printed over text;
- table cells come from the rules typst draws (pdfplumber's edges): a word that crosses a column's rule
  runs out of its cell (« Pluriprofessionnelle » over « polyvalent »);
- splits are read on the page's text (pdftotext, one page at a time): what must be together is looked
  up on one page;
- tags come from the PDF structure tree (pikepdf); codes are decoded by zbar from a 100 dpi rendering.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from fiche_desktop import presentation, printing, render
from fiche_desktop.content import TextVersion
from fiche_desktop.printing import data

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="reads PDFs back with poppler-utils and zbar-tools (Debian packages)"
)

CONTACT = ("Cabinet infirmière des Tilleuls", "12 rue des Lilas, 34000 Montpellier", "04 67 00 00 00")
STRUCTURES = ["esp", "msp", "cds", "cpts", "dac", "sas"]
MM = 72 / 25.4
EDGE = 8 * MM  # no glyph nearer the edge: printers cut 4 to 5 mm
STD, FALC = TextVersion.STANDARD, TextVersion.FALC


@pytest.fixture(autouse=True)
def _tools() -> None:
    missing = [t for t in ("pdftotext", "pdftoppm", "zbarimg") if shutil.which(t) is None]
    assert not missing, f"missing {missing}: run scripts/install-system-deps.sh test"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


@dataclass
class Pdf:
    path: Path
    document: printing.Document

    @cached_property
    def pages(self) -> list[Page]:
        out = subprocess.run(
            ["pdftotext", "-bbox-layout", str(self.path), "-"], capture_output=True, text=True, check=True
        ).stdout
        return [
            Page(
                float(m.group(1)),
                float(m.group(2)),
                [Word(unescape(w.group(5)), *map(float, w.group(1, 2, 3, 4))) for w in _WORD.finditer(m.group(3))],
            )
            for m in _PAGE.finditer(out)
        ]

    @cached_property
    def page_texts(self) -> list[str]:
        """Each page's text, whitespace collapsed (pdftotext's reading order)."""
        out = subprocess.run(["pdftotext", str(self.path), "-"], capture_output=True, text=True, check=True).stdout
        return [" ".join(p.split()) for p in out.split("\f")[:-1]]

    @cached_property
    def page_lines(self) -> list[list[str]]:
        out = subprocess.run(["pdftotext", str(self.path), "-"], capture_output=True, text=True, check=True).stdout
        return [[" ".join(line.split()) for line in p.splitlines() if line.strip()] for p in out.split("\f")[:-1]]

    def pages_with(self, text: str) -> list[int]:
        flat = " ".join(text.split())
        return [i for i, page in enumerate(self.page_texts) if flat in page]

    @cached_property
    def struct(self) -> list[pikepdf.Dictionary]:
        """Every element of the structure tree, in document order."""
        pdf = pikepdf.open(self.path)
        self._pike = pdf  # kept open while its objects are read
        out: list[pikepdf.Dictionary] = []
        stack: list[object] = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    out.append(node)
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(reversed(list(kids)))
                elif isinstance(kids, pikepdf.Dictionary):
                    stack.append(kids)
        return out

    def count(self, tag: str) -> int:
        return sum(1 for e in self.struct if e.S == tag)


def export_kinds(db) -> dict[str, printing.Document]:
    """One document of every kind the app exports and prints."""
    slugs = db.slugs()
    jobs: dict[str, printing.Document] = {}
    for slug in [*STRUCTURES, "ess", "telesante", "dmp"]:
        jobs[f"falc-{slug}"] = printing.fiches_document(db, [slug], FALC)
        jobs[f"falc-{slug}-contact"] = printing.fiches_document(db, [slug], FALC, contact=CONTACT)
    jobs["std-msp-contact"] = printing.fiches_document(db, ["msp"], STD, contact=CONTACT)
    jobs["std-sas"] = printing.fiches_document(db, ["sas"], STD)
    jobs["booklet"] = printing.fiches_document(db, slugs, STD, booklet=True, contact=CONTACT)
    jobs["booklet-falc"] = printing.fiches_document(db, slugs, FALC, booklet=True, contact=CONTACT)
    for n, chosen in ((2, STRUCTURES[:2]), (6, STRUCTURES), (7, [*STRUCTURES, "ess"])):
        jobs[f"compare{n}"] = printing.comparison_document(db, chosen, STD)
        jobs[f"compare{n}-falc"] = printing.comparison_document(db, chosen, FALC)
    return jobs


@pytest.fixture(scope="module")
def pdfs(real_db, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    root = tmp_path_factory.mktemp("layout")
    out = {}
    for name, document in export_kinds(real_db).items():
        path = root / f"{name}.pdf"
        document.write_pdf(path)
        out[name] = Pdf(path, document)
    return out


# --- Nothing outside its page, its cell, or over another word -------------------------------------------


def test_every_word_of_every_export_stands_8_mm_inside_its_page(pdfs) -> None:
    """Every word box of every page, on every kind of export, at least 8 mm from each edge (the footer's
    « page n / N » included): nothing outside the page, nothing a printer's margin cuts."""
    for name, pdf in pdfs.items():
        assert pdf.pages, name
        for number, page in enumerate(pdf.pages, start=1):
            assert page.words, (name, number)
            out = [
                w.text
                for w in page.words
                if w.x0 < EDGE or w.y0 < EDGE or w.x1 > page.width - EDGE or w.y1 > page.height - EDGE
            ]
            assert out == [], (name, number, out[:5])


def core(w: Word) -> tuple[float, float]:
    """The middle 40 % of a word's box, where its letters' bodies are (poppler's box runs from the font's
    ascent to its descent, 1.6 em for Andika: lines of text set close have boxes that touch)."""
    h = w.y1 - w.y0
    return w.y0 + 0.3 * h, w.y1 - 0.3 * h


def overlaps(a: Word, b: Word) -> bool:
    """Words whose bodies share more than a sliver (1 pt each way): a word printed over another."""
    (a0, a1), (b0, b1) = core(a), core(b)
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a1, b1) - max(a0, b0) > 1


def test_no_word_is_printed_over_another(pdfs) -> None:
    for name, pdf in pdfs.items():
        for number, page in enumerate(pdf.pages, start=1):
            words = sorted(page.words, key=lambda w: w.y0)
            clashes = []
            for i, a in enumerate(words):
                for b in words[i + 1 :]:
                    if b.y0 >= a.y1:
                        break
                    if overlaps(a, b):
                        clashes.append((a.text, b.text))
            assert clashes == [], (name, number, clashes[:5])


@pytest.mark.parametrize("name", ["compare2", "compare6", "compare7"])
def test_no_word_of_the_comparison_crosses_a_column_rule(pdfs, name: str) -> None:
    """The standard comparison's table: each word inside its cell, never across the rule of the next column."""
    pdf = pdfs[name]
    with pdfplumber.open(pdf.path) as doc:
        for number, (plumb, page) in enumerate(zip(doc.pages, pdf.pages, strict=True), start=1):
            rules = [e for e in plumb.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 5]
            assert len({round(e["x0"]) for e in rules}) >= len(pdf.document.data["columns"]) + 1, number
            crossing = [
                w.text
                for w in page.words
                for e in rules
                if w.x0 + 0.5 < e["x0"] < w.x1 - 0.5 and e["top"] < (w.y0 + w.y1) / 2 < e["bottom"]
            ]
            assert crossing == [], (name, number, crossing[:5])


@pytest.mark.parametrize("name", ["compare2", "compare6", "compare7"])
def test_a_criterion_row_of_the_comparison_never_splits_across_pages(pdfs, name: str) -> None:
    """Every row of the real comparison fits on a page, so none goes on over one: its criterion (repeated
    above the rest of a row that goes on) is printed on one page, with every cell's last line and
    source line; no page starts with a cell's source line away from its text (seen on MSP and CDS
    « Financement »)."""
    pdf = pdfs[name]
    # Content-stream order: each cell's lines in a run (the default reading order interleaves columns).
    raw = subprocess.run(["pdftotext", "-raw", str(pdf.path), "-"], capture_output=True, text=True, check=True)
    raw_pages = [squeeze(p) for p in raw.stdout.split("\f")[:-1]]
    for row in pdf.document.data["rows"]:
        pages = [i for i, lines in enumerate(pdf.page_lines) if row["label"] in lines]
        assert len(pages) == 1, (name, row["label"], pages)
        page = raw_pages[pages[0]]
        for cell in row["cells"]:
            if "lines" in cell:
                last = squeeze("".join(r["t"] for r in cell["lines"][-1]))
                assert last[-40:] in page and squeeze(cell["source"]) in page, (name, row["label"], last)


@pytest.mark.parametrize(("name", "most"), [("compare2", 2), ("compare6", 4), ("compare7", 4)])
def test_whole_rows_cost_the_standard_comparison_no_extra_page(pdfs, name: str, most: int) -> None:
    assert len(pdfs[name].pages) <= most


def test_a_row_taller_than_a_page_goes_on_over_pages_with_each_source_line_under_its_text(
    real_db, tmp_path: Path
) -> None:
    """Only a row that cannot fit on a page splits; a cell's last line and its source line still stand
    together, and nothing runs off the page."""
    doc = data.comparison_doc(real_db, STRUCTURES[:2], STD)
    cell = doc["rows"][0]["cells"][0]
    cell["lines"] = [[{"t": f"Ligne {k} d’une valeur très longue"}] for k in range(1, 120)]
    cell["lines"].append([{"t": "Dernière ligne de la valeur"}])
    cell["source"] = "Source de la valeur très longue"
    path = tmp_path / "long.pdf"
    printing.Document("comparison.typ", doc, landscape=True).write_pdf(path)
    pdf = Pdf(path, printing.Document("comparison.typ", doc, landscape=True))
    assert len(pdf.pages) >= 4
    assert pdf.pages_with("Ligne 1 d’une valeur")[0] == 0  # the long row starts on page 1
    (last,) = pdf.pages_with("Dernière ligne de la valeur")
    assert pdf.pages_with(cell["source"]) == [last] and last > 0
    for page in pdf.pages:
        assert all(w.y1 <= page.height - EDGE for w in page.words)
    text = " ".join(pdf.page_texts)
    assert all(f"Ligne {k} d’une valeur" in text for k in range(1, 120))


# --- The FALC comparison -------------------------------------------------------------------------------


def test_falc_comparison_of_six_structures_is_portrait_and_at_most_five_pages(pdfs, real_db) -> None:
    pdf = pdfs["compare6-falc"]
    assert pdf.pages[0].width < pdf.pages[0].height  # portrait
    assert len(pdf.pages) <= 5
    assert len(pdfs["compare6"].pages) <= 4 and pdfs["compare6"].pages[0].width > pdfs["compare6"].pages[0].height
    # Each validated line printed as one line, as it is (the table re-wrapped them into 1 to 3 words).
    printed = {line for page in pdf.page_lines for line in page}
    for slug in STRUCTURES:
        for section in real_db.fiche(slug).sections:
            for line in section.falc:
                if line and section.id.startswith("resume-"):
                    assert " ".join(line.split()) in printed or " ".join(line.split()) in {
                        p.removeprefix("• ") for p in printed
                    }, line


def test_a_structure_without_falc_text_in_a_falc_comparison_says_so(pdfs, real_db) -> None:
    pdf = pdfs["compare7-falc"]
    ess = real_db.fiche("ess")
    text = " ".join(pdf.page_texts)
    start = text.index(render.fiche_title(ess, FALC))
    assert data.NO_FALC_CELL in text[start:] and data.STANDARD_EXISTS in text[start:]


# --- FALC stays FALC -------------------------------------------------------------------------------------


def test_falc_booklet_puts_glossary_and_sources_in_a_part_for_professionals(pdfs) -> None:
    pdf = pdfs["booklet-falc"]
    start = pdf.pages_with(data.PROFESSIONALS)[-1]  # past the contents, which name it too
    assert start > 2
    for number in range(start, len(pdf.pages)):
        page = pdf.page_texts[number]
        assert "Version FALC" not in page and "Version standard" in page, number + 1
    for number in range(1, start):  # the FALC pages: 14 pt and more, no standard header
        words = pdf.pages[number].words
        assert "Version standard" not in pdf.page_texts[number], number + 1
        assert min(w.y1 - w.y0 for w in words) > 13 * 1.2, number + 1  # Andika's box: 1.24 em
    # The glossary and the sources follow the part's heading, under it in the bookmarks and the contents.
    assert pdf.pages_with("Glossaire")[-1] >= start and pdf.pages_with("Sources et erratum")[-1] >= start


@pytest.mark.parametrize("slug", ["ess", "exercice-coordonne", "protocoles-cooperation", "ars"])
def test_a_fiche_without_falc_text_gives_its_standard_version_and_says_so(real_db, tmp_path: Path, slug) -> None:
    document = printing.fiches_document(real_db, [slug], FALC)
    path = tmp_path / "f.pdf"
    document.write_pdf(path)
    pdf = Pdf(path, document)
    text = " ".join(pdf.page_texts)
    assert data.STANDARD_GIVEN in text
    assert "Version standard" in text and "Version FALC" not in text
    assert "Facile à lire et à comprendre (FALC) –" not in text  # no FALC band over nothing
    assert document.title.endswith("(version standard)")  # the PDF's title says what it holds
    fiche = real_db.fiche(slug)
    first = " ".join(fiche.sections[0].paragraphs()[0].removeprefix("- ").split()[:6])
    assert first in text  # its standard text, there


# --- Nothing splits that belongs together --------------------------------------------------------------


def falc_docs(pdfs) -> list[tuple[str, Pdf, list[dict]]]:
    """(name, pdf, FALC sections) of every export that prints FALC text."""
    out = []
    for name, pdf in pdfs.items():
        doc = pdf.document.data
        if "structures" in doc and doc["structures"]:
            sections = [{"title": c["label"], "blocks": c["blocks"]} for s in doc["structures"] for c in s["criteria"]]
        else:
            sections = [s for p in doc.get("parts", []) if p["type"] == "handout" for s in p["sections"]]
        if sections:
            out.append((name, pdf, sections))
    return out


def plain(lines: list[list[dict]]) -> list[str]:
    return [" ".join("".join(r["t"] for r in line).split()) for line in lines]


def test_a_falc_heading_keeps_two_lines_of_its_text_and_a_list_its_introducing_line(pdfs) -> None:
    checked = 0
    for name, pdf, sections in falc_docs(pdfs):
        for section in sections:
            blocks = [b for b in section["blocks"] if "gap" not in b]
            lines: list[str] = []  # the section's first printed lines
            for b in blocks[:2]:
                if "p" in b:
                    lines += plain(b["p"])
                else:
                    lines += plain(b["intro"] or [])
                    first, *more = plain(b["list"][0])
                    lines += [f"• {first}", *more]
            together = " ".join([section["title"], *lines[:2]])
            assert pdf.pages_with(together), (name, together)
            for b in blocks:
                if "list" in b:
                    items = [" ".join(plain(item)) for item in b["list"]]
                    shown = items if len(items) <= 4 else items[:1]  # a short list whole, a long one started
                    group = " ".join([*plain(b["intro"] or []), *(f"• {i}" for i in shown)])
                    assert pdf.pages_with(group), (name, group)
                    checked += 1
    assert checked > 20


def test_a_falc_correction_note_stays_on_the_page_of_its_part(pdfs) -> None:
    notes = 0
    for name, pdf, sections in falc_docs(pdfs):
        for section in sections:
            if section.get("corrected"):
                last = [b for b in section["blocks"] if "gap" not in b][-1]
                lines = plain(last["p"]) if "p" in last else plain(last["list"][-1])
                assert pdf.pages_with(f"{lines[-1]} {section['corrected']}"), (name, section["title"])
                notes += 1
    assert notes >= 2


def test_a_standard_list_keeps_its_introducing_line_and_an_erratum_its_part(pdfs) -> None:
    lists = errata = 0
    for name in ("booklet", "std-sas", "std-msp-contact"):
        pdf = pdfs[name]
        for part in pdf.document.data["parts"]:
            for group in part["groups"]:
                for section in group["sections"]:
                    for b in section["blocks"]:
                        if "list" in b and b["intro"]:
                            intro = " ".join("".join(r["t"] for r in b["intro"]).split()[-4:])
                            item = " ".join("".join(r["t"] for r in b["list"][0]).split()[:3])
                            assert pdf.pages_with(f"{intro} • {item}"), (name, intro, item)
                            lists += 1
                    if section["errata"]:
                        # The part's source line and its erratum: on the page of the part's last words.
                        last = section["blocks"][-1]
                        runs = last["p"] if "p" in last else last["list"][-1]
                        tail = " ".join("".join(r["t"] for r in runs).split()[-3:])
                        note = " ".join(section["errata"][0].split()[:8])
                        pages = pdf.pages_with(note)
                        assert pages and any(tail in pdf.page_texts[p] for p in pages), (name, section["title"])
                        errata += 1
    assert lists > 5 and errata >= 2


def squeeze(text: str) -> str:
    """Text without spaces or hyphens: a word hyphenated at a line's end reads whole."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", text)


def test_a_standard_heading_keeps_the_start_of_its_text(pdfs) -> None:
    """Every part's title on the page of its first 16 words (about two lines at 10.5 pt: pdftotext's
    text gives words, not lines, so this is the nearest honest check)."""
    checked = 0
    for name in ("booklet", "std-sas", "std-msp-contact", "falc-ess"):
        pdf = pdfs[name]
        for part in pdf.document.data["parts"]:
            for group in part["groups"]:
                for section in group["sections"]:
                    first = section["blocks"][0]
                    runs = first["p"] if "p" in first else (first["intro"] or first["list"][0])
                    start = squeeze(" ".join("".join(r["t"] for r in runs).split()[:16]))
                    pages = pdf.pages_with(section["title"])
                    assert any(start in squeeze(pdf.page_texts[p]) for p in pages), (name, section["title"])
                    checked += 1
    assert checked > 50


@pytest.mark.parametrize("slug", [*STRUCTURES, "telesante", "dmp"])
def test_votre_contact_is_never_alone_on_a_page(pdfs, slug: str) -> None:
    pdf = pdfs[f"falc-{slug}-contact"]
    (number,) = pdf.pages_with("Votre contact")
    page = pdf.page_texts[number]
    frame = pdf.document.data["parts"][0]
    rest = page.replace(frame["title"], "").replace(frame["footer"], "").replace("Version FALC", "")
    for line in ("Votre contact", *CONTACT):
        rest = rest.replace(line, "")
    rest = re.sub(r"page \d+ / \d+", "", rest)
    assert len(rest.split()) >= 8, (slug, rest)  # other text of the handout stands with it


@pytest.mark.parametrize("slug", ["cds", "sas", "esp", "msp", "dmp"])
def test_a_practice_contact_costs_no_extra_sheet(pdfs, slug: str) -> None:
    assert len(pdfs[f"falc-{slug}-contact"].pages) == len(pdfs[f"falc-{slug}"].pages)


def test_a_handout_in_the_booklet_has_the_room_it_has_alone(pdfs) -> None:
    """Each part of the booklet is set with its own header's and footer's margins, not those of the
    longest title of another part: each handout takes there the pages it takes on its own, and its
    first page starts with the same line."""
    booklet = pdfs["booklet-falc"]
    with pikepdf.open(booklet.path) as pdf:
        numbers = {page.objgen: i for i, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            starts = [numbers[item.destination[0].objgen] for item in outline.root]
    parts = booklet.document.data["parts"]
    counts = booklet.document.part_page_counts()
    checked = 0
    for part, count, first in zip(parts, counts, starts[1 : len(parts) + 1], strict=True):  # after the contents
        alone = pdfs.get(f"falc-{part['slug']}")
        if alone is not None:
            checked += 1
            assert count == len(alone.pages), part["slug"]
            assert part["title"] in booklet.page_texts[first]
            assert [w.y0 for w in booklet.pages[first].words[:3]] == [w.y0 for w in alone.pages[0].words[:3]]
    assert checked >= 8


def test_the_footer_stands_8_mm_from_the_edge(pdfs) -> None:
    for name in ("falc-cds-contact", "booklet", "booklet-falc", "compare6", "compare6-falc", "std-sas"):
        for number, page in enumerate(pdfs[name].pages, start=1):
            label = [w for w in page.words if re.fullmatch(r"\d+", w.text) and w.y0 > page.height * 0.8]
            if name.startswith("booklet") and number == 1:
                continue  # the cover has no footer
            assert label, (name, number)
            assert page.height - max(w.y1 for w in label) >= EDGE, (name, number)


# --- Structure and links ---------------------------------------------------------------------------------


def test_falc_lists_are_tagged_lists_and_each_sentence_a_paragraph(pdfs) -> None:
    for name in ("falc-cds", "falc-sas", "compare6-falc", "booklet-falc"):
        pdf = pdfs[name]
        blocks = [b for _n, p, sections in falc_docs({name: pdf}) for s in sections for b in s["blocks"]]
        items = sum(len(b["list"]) for b in blocks if "list" in b)
        sentences = sum(1 for b in blocks if "p" in b) + sum(1 for b in blocks if "list" in b and b["intro"])
        assert items and pdf.count("/LI") >= items and pdf.count("/L") >= sum(1 for b in blocks if "list" in b)
        assert pdf.count("/Lbl") >= items  # the bullet is the list's label, not a « • » in the text
        assert "•" not in str(blocks)  # the data sends no bullet character: every « • » printed is a list's
        assert pdf.count("/P") >= sentences, (name, pdf.count("/P"), sentences)


def test_standard_lists_are_tagged_lists(pdfs) -> None:
    pdf = pdfs["std-msp-contact"]
    items = sum(
        len(b["list"])
        for g in pdf.document.data["parts"][0]["groups"]
        for s in g["sections"]
        for b in s["blocks"]
        if "list" in b
    )
    assert items and pdf.count("/LI") >= items


def table_attrs(e: pikepdf.Dictionary) -> dict:
    attrs = e.get("/A")
    found: dict = {}
    for a in attrs if isinstance(attrs, pikepdf.Array) else [attrs] if attrs is not None else []:
        if a.get("/O") == "/Table":
            found.update({str(k): v for k, v in a.items()})
    return found


@pytest.mark.parametrize("name", ["compare2", "compare6", "compare7"])
def test_every_cell_of_the_comparison_has_its_criterion_as_row_header(pdfs, name: str) -> None:
    """Each criterion is a header cell (TH) over its row, and every data cell (TD) names it in its
    /Headers; the criterion's header names the structures' column headers in turn (nested headers)."""
    pdf = pdfs[name]
    n = len(pdf.document.data["columns"])
    columns, criteria, cells = set(), {}, []
    for e in pdf.struct:
        attrs = table_attrs(e)
        if e.S == "/TH" and attrs.get("/ColSpan") == n:
            criteria[str(e.ID)] = {str(h) for h in attrs["/Headers"]}
        elif e.S == "/TH":
            columns.add(str(e.ID))
        elif e.S == "/TD":
            cells.append({str(h) for h in attrs.get("/Headers", [])})
    rows = pdf.document.data["rows"]
    assert len(criteria) == len(rows) and len(columns) == n
    assert len(cells) == len(rows) * n
    assert all(len(c & set(criteria)) == 1 for c in cells)
    assert all(headers == columns for headers in criteria.values())


def test_contents_links_are_named_by_their_titles(pdfs) -> None:
    for name in ("booklet", "booklet-falc"):
        pdf = pikepdf.open(pdfs[name].path)
        doc = pdfs[name].document.data
        named = [str(a.Contents) for a in pdf.pages[1].get("/Annots", []) if a.get("/Subtype") == "/Link"]
        titles = [p["title"] for p in doc["parts"]] + [doc["glossary"]["title"], doc["sources"]["title"]]
        assert [n.rsplit(", page ", 1)[0] for n in named] == titles, name
        assert all(re.search(r", page \d+$", n) for n in named)


def test_falc_handouts_name_every_link_in_plain_words_and_print_no_address(pdfs) -> None:
    seen = 0
    for name, pdf in pdfs.items():
        for part in pdf.document.data.get("parts", []):
            if part["type"] != "handout":
                continue
            for link in part["links"]:
                assert link["label"] and not link["label"].startswith("http")
                assert pdf.pages_with(link["label"]), (name, link["label"])
                seen += 1
            assert "http" not in " ".join(pdf.page_texts), name
    assert seen >= 5


@pytest.mark.parametrize("name", ["falc-cds", "falc-telesante", "std-msp-contact"])
def test_every_qr_code_decodes_at_100_dpi(pdfs, name: str, tmp_path: Path) -> None:
    """Modules of 0.6 mm and more: every code a phone (or zbar) reads from a 100 dpi rendering."""
    pdf = pdfs[name]
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf.path), str(tmp_path / "p")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", *sorted(map(str, tmp_path.glob("p*.png")))], capture_output=True, text=True
    ).stdout.split()
    expected = [link["url"] for part in pdf.document.data["parts"] for link in part["links"]]
    assert expected and sorted(decoded) == sorted(expected)


def test_every_qr_code_of_every_export_has_modules_of_half_a_millimetre_or_more(pdfs) -> None:
    """Each code's drawn size (its figure's box in the tags) over its modules and quiet zone (n + 4):
    at least 0.5 mm a module, in every document, for every web address, the longest included."""
    modules = {}
    for pdf in pdfs.values():
        for e in pdf.struct:
            if e.S != "/Figure" or not str(e.get("/Alt", "")).startswith("Code QR qui ouvre la page "):
                continue
            url = str(e.Alt).removeprefix("Code QR qui ouvre la page ")
            layout = next(a for a in (e.A if isinstance(e.A, pikepdf.Array) else [e.A]) if "/BBox" in a)
            x0, _y0, x1, _y1 = map(float, layout.BBox)
            size = (x1 - x0) / MM / (len(presentation.qr_runs(url)) + 4)
            modules[url] = min(size, modules.get(url, size))
    assert len(modules) >= 10
    assert min(modules.values()) >= 0.5, sorted(modules.items(), key=lambda kv: kv[1])[:3]
