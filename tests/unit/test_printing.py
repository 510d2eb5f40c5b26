"""Printed documents, set by typst: the PDFs read back as a user, a printer or a screen reader gets them.

Made in-process through printing.data / typeset (no Qt in this process), each PDF written and parsed
once per module; checked with poppler (pdfinfo, pdftotext, pdffonts, pdftoppm), pdfplumber, pikepdf,
zbar and the pdfua checker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from fiche_desktop import cli, presentation, printing, render
from fiche_desktop.compare import build_comparison
from fiche_desktop.content import CRITERIA, TextVersion, date_in_words
from fiche_desktop.exit_codes import ExitCode
from fiche_desktop.printing import data, typeset
from tests.conftest import REAL_DB

# make test installs them (scripts/install-system-deps.sh test): their absence is a failure, not a skip.
TOOLS = ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm", "zbarimg")
MISSING_TOOLS = [tool for tool in TOOLS if shutil.which(tool) is None]


# Every test reads PDFs back with poppler-utils and zbar-tools, Debian packages of the Linux suite.
# Windows: the lane exports a PDF with the installed application (installer/windows/wine.sh test)
# and tests/unit/test_files.py exports through the command line.
pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="reads PDFs back with poppler-utils and zbar-tools (Debian packages)"
)


@pytest.fixture(autouse=True)
def _pdf_tools() -> None:
    assert not MISSING_TOOLS, f"missing {MISSING_TOOLS}: run scripts/install-system-deps.sh test"


CONTACT = ("Cabinet infirmière des Tilleuls", "12 rue des Lilas, 34000 Montpellier", "04 67 00 00 00")
STRUCTURES = ["esp", "msp", "cds", "cpts", "dac", "sas"]
FICHES = ["msp", "telesante", "dac"]
A4_PORTRAIT, A4_LANDSCAPE = (595, 842), (842, 595)
HYPHENS = ("-", "\u00ad", "\u2010")


def flat(text: str) -> str:
    return " ".join(text.split())


def joined(text: str) -> str:
    """Whitespace collapsed, and a word hyphenated at a line's end joined back."""
    text = re.sub(r"[\u00ad\u2010]\n", "", text)
    return flat(text)


@dataclass
class Pdf:
    """One PDF, written once and parsed lazily, once."""

    path: Path
    document: printing.Document
    info: dict[str, str] = field(default_factory=dict)

    @cached_property
    def pages(self) -> list[str]:
        out = subprocess.run(["pdftotext", str(self.path), "-"], capture_output=True, text=True, check=True).stdout
        return out.split("\f")[:-1]

    @cached_property
    def raw_pages(self) -> list[str]:
        """Lines as set, in drawing order (the default mode joins a line ending in '-' to the next)."""
        out = subprocess.run(
            ["pdftotext", "-raw", str(self.path), "-"], capture_output=True, text=True, check=True
        ).stdout
        return out.split("\f")[:-1]

    @cached_property
    def text(self) -> str:
        return joined("\n".join(self.pages))

    @cached_property
    def pdfinfo(self) -> dict[str, str]:
        out = subprocess.run(["pdfinfo", str(self.path)], capture_output=True, text=True, check=True).stdout
        return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}

    @cached_property
    def pike(self) -> pikepdf.Pdf:
        return pikepdf.open(self.path)

    @cached_property
    def uris(self) -> set[str]:
        return {
            str(a.A.URI)
            for page in self.pike.pages
            for a in page.get("/Annots", [])
            if a.get("/Subtype") == "/Link" and "/A" in a and "/URI" in a.A
        }

    @cached_property
    def chars(self) -> list[list[dict]]:
        with pdfplumber.open(self.path) as pdf:
            return [page.chars for page in pdf.pages]

    def size(self) -> tuple[int, int]:
        match = re.match(r"([\d.]+) x ([\d.]+) pts", self.pdfinfo["Page size"])
        assert match
        return round(float(match.group(1))), round(float(match.group(2)))


@pytest.fixture(scope="module")
def pdfs(real_db, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    """Every PDF the tests read, each written once by the public API."""
    root = tmp_path_factory.mktemp("pdfs")
    std, falc = TextVersion.STANDARD, TextVersion.FALC
    jobs: dict[str, printing.Document] = {
        **{f"falc-{s}": printing.fiches_document(real_db, [s], falc, contact=CONTACT) for s in STRUCTURES},
        "msp": printing.fiches_document(real_db, ["msp"], std, contact=CONTACT),
        "fiches": printing.fiches_document(real_db, FICHES, std, contact=CONTACT),
        "plain": printing.fiches_document(real_db, ["esp"], std),
        "handouts": printing.fiches_document(real_db, ["msp", "cds"], falc),
        "booklet": printing.fiches_document(real_db, real_db.slugs(), std, booklet=True, contact=CONTACT),
        "booklet-falc": printing.fiches_document(real_db, real_db.slugs(), falc, booklet=True, contact=CONTACT),
        "compare": printing.comparison_document(real_db, STRUCTURES, std),
        "compare-falc": printing.comparison_document(real_db, ["esp", "msp", "cds"], falc),
    }
    out = {}
    for name, document in jobs.items():
        path = root / f"{name}.pdf"
        assert document.write_pdf(path) == document.page_count
        out[name] = Pdf(path, document)
    return out


@pytest.fixture(scope="module")
def pdfua(pdfs: dict[str, Pdf]) -> dict[str, dict]:
    """The PDF/UA checker's report on every PDF, in one run."""
    paths = [str(p.path) for p in pdfs.values()]
    out = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", *paths], capture_output=True, text=True
    )
    assert out.returncode in (0, 1, 2, 3), out.stderr
    reports = json.loads("[" + re.sub(r"}\s*{", "},{", out.stdout.strip()) + "]")
    return {Path(r["file"]).stem: r for r in reports}


def words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}


def source_words(value: object) -> set[str]:
    """Every word of every string in a document's data (what may be printed)."""
    found: set[str] = set()
    if isinstance(value, str):
        found |= words(value)
    elif isinstance(value, dict):
        for v in value.values():
            found |= source_words(v)
    elif isinstance(value, list):
        for v in value:
            found |= source_words(v)
    return found


def line_end_splits(pdf: Pdf) -> tuple[list[str], list[str]]:
    """(splits with a hyphen, splits without one): words cut at a line's end, across the whole PDF."""
    known = source_words(pdf.document.data) | words("page")
    hyphenated, bare = [], []
    for page in pdf.raw_pages:
        lines = [line for line in page.splitlines() if line.strip()]
        for line, following in zip(lines, lines[1:], strict=False):
            tail = re.search(r"([^\W\d_]+)([\u00ad\u2010-]?)$", line.rstrip())
            head = re.match(r"([^\W\d_]+)", following.lstrip())
            if not tail or not head:
                continue
            word = tail.group(1).casefold()
            if tail.group(2) and tail.group(2) != "-":
                hyphenated.append(word + head.group(1).casefold())
            elif not tail.group(2) and word not in known:
                bare.append(f"{tail.group(1)} / {head.group(1)}")
    return hyphenated, bare


# --- The FALC patient handout: for each structure --------------------------------------------------


@pytest.mark.parametrize("slug", STRUCTURES)
def test_falc_handout_is_at_most_two_pages_of_validated_falc_lines_only(pdfs, real_db, slug: str) -> None:
    """Each validated FALC line printed as one line; standard-only parts left out, said in one sentence."""
    pdf = pdfs[f"falc-{slug}"]
    assert pdf.size() == A4_PORTRAIT
    assert 1 <= pdf.document.page_count <= 2 and len(pdf.pages) == pdf.document.page_count
    fiche = real_db.fiche(slug)
    printed = {flat(line) for page in pdf.pages for line in page.splitlines()}
    falc_lines = [line for s in fiche.sections for line in s.falc if line]
    assert falc_lines and [line for line in falc_lines if flat(line) not in printed] == []
    for section in fiche.sections:
        if not section.has_falc:
            assert flat(section.paragraphs()[0]) not in pdf.text, section.id  # no standard-only part
    assert "Pas de version FALC" not in pdf.text
    assert pdf.text.count(data.STANDARD_EXISTS) == 1
    assert real_db.sources()["falc"].credit in pdf.text
    assert f"texte du {date_in_words(real_db.sources()['falc'].date)}" in pdf.text  # the month in words
    assert all(x in pdf.text for x in ("Votre contact", *CONTACT))
    for number, page in enumerate(pdf.pages, start=1):
        assert f"page {number} / {len(pdf.pages)}" in page


@pytest.mark.parametrize("slug", STRUCTURES)
def test_falc_handout_keeps_sentences_whole_and_words_unsplit(pdfs, real_db, slug: str) -> None:
    pdf = pdfs[f"falc-{slug}"]
    pages = [flat(p) for p in pdf.pages]
    for section in real_db.fiche(slug).sections:
        for sentence in render.falc_sentences(section.falc):
            if sentence:
                assert sum(" ".join(sentence) in page for page in pages) == 1, sentence  # on one page
    hyphenated, bare = line_end_splits(pdf)
    assert hyphenated == [] and bare == []  # no hyphenation, and no word cut


@pytest.mark.parametrize("slug", ["msp", "cds"])
def test_falc_handout_is_14_pt_and_more_with_wide_line_spacing_left_aligned(pdfs, slug: str) -> None:
    pdf = pdfs[f"falc-{slug}"]
    for number, chars in enumerate(pdf.chars, start=1):
        small = {(c["text"], round(c["size"], 1)) for c in chars if c["size"] < 13.95}
        assert not small, f"page {number}: {sorted(small)[:10]}"
        baselines = sorted({round(c["bottom"], 1) for c in chars if abs(c["size"] - 14) < 0.1})
        gaps = [b - a for a, b in zip(baselines, baselines[1:], strict=False) if b - a > 1]
        assert gaps and min(gaps) >= 1.5 * 14, f"page {number}: {min(gaps)}"
    body = [c for c in pdf.chars[0] if abs(c["size"] - 14) < 0.1]
    line_starts = {}
    for c in body:
        line_starts.setdefault(round(c["bottom"]), c["x0"])
        line_starts[round(c["bottom"])] = min(line_starts[round(c["bottom"])], c["x0"])
    lefts = sorted(round(x) for x in line_starts.values())
    assert lefts.count(lefts[0]) >= len(lefts) * 0.7  # lines start at one left margin: not justified, not centred


def test_each_web_page_of_a_handout_is_a_qr_code_and_a_live_link(pdfs, real_db, tmp_path: Path) -> None:
    for slug in ("msp", "cds"):
        pdf = pdfs[f"falc-{slug}"]
        expected = {url for url, _label in render.unique_links(real_db.fiche(slug))}
        subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf.path), str(tmp_path / slug)], check=True)
        decoded = subprocess.run(
            ["zbarimg", "-q", "--raw", *sorted(map(str, tmp_path.glob(f"{slug}-*.png")))],
            capture_output=True,
            text=True,
        ).stdout.split()
        assert sorted(decoded) == sorted(expected)
        assert expected <= pdf.uris
        # Each code has a plain name under it, the link's text: never a raw address in a FALC handout.
        for link in pdf.document.data["parts"][0]["links"]:
            assert link["label"] in pdf.text and not link["label"].startswith("http")
        assert not any(url in pdf.text for url in expected)


def test_falc_errata_are_applied_with_one_short_note(pdfs) -> None:
    text = pdfs["falc-cds"].text
    assert "Les professionnels d’un Centre De Santé polyvalent" in text
    assert "Les professionnels d’une Maison de Santé Pluriprofessionnelle" not in text
    assert text.count("Texte corrigé") == 1
    assert "Texte corrigé" not in pdfs["falc-esp"].text  # no erratum there


def test_several_handouts_follow_one_another(pdfs, real_db) -> None:
    pdf = pdfs["handouts"]
    titles = [render.fiche_title(real_db.fiche(s), TextVersion.FALC) for s in ("msp", "cds")]
    assert pdf.document.page_count == 4
    assert pdf.pages[0].lstrip().startswith(titles[0]) and pdf.pages[2].lstrip().startswith(titles[1])
    assert "Votre contact" not in pdf.text


# --- The professional fiche ------------------------------------------------------------------------


def test_professional_fiche_has_every_part_with_its_source(pdfs, real_db) -> None:
    pdf = pdfs["msp"]
    fiche = real_db.fiche("msp")
    for section in fiche.sections:
        assert section.title in pdf.text
        for paragraph in section.paragraphs():
            words = paragraph.removeprefix("- ").split()
            # Its start and its end (a long paragraph may go on over a page break, between footer and header).
            assert " ".join(words[:8]) in pdf.text and " ".join(words[-8:]) in pdf.text, paragraph[:60]
    assert pdf.text.count("Source : ") >= len(fiche.sections)
    assert "Fiche détaillée" in pdf.text and "Ce que disent les autres sources" in pdf.text


def test_professional_fiche_is_hyphenated_with_hyphens_only(pdfs) -> None:
    for name in ("msp", "fiches"):
        hyphenated, bare = line_end_splits(pdfs[name])
        assert hyphenated, "French hyphenation is on"
        assert bare == []


def test_headings_are_never_last_on_a_page(pdfs, real_db) -> None:
    """Every part's title stands on the page of the start of its text."""
    for name, slugs in (("fiches", FICHES), ("booklet", ["msp", "cds", "sas"])):
        pages = [joined(p).replace("• ", "") for p in pdfs[name].pages]
        for slug in slugs:
            for section in real_db.fiche(slug).sections:
                start = " ".join(section.paragraphs()[0].removeprefix("- ").split()[:4])
                homes = [p for p in pages if f"{section.title} {start}" in p]
                assert homes, (name, slug, section.title)


def test_the_clause_stays_with_its_date_and_the_links_with_their_codes(pdfs, tmp_path: Path) -> None:
    pdf = pdfs["fiches"]
    pages = list(map(joined, pdf.pages))
    clauses = [page for page in pages if "Clause de flexibilité" in page]
    assert clauses, "no page shows the clause"
    for page in clauses:
        assert "Il est recommandé de vérifier les éventuelles actualisations. Mise à jour du 25/09/2024." in page
    links = [number for number, page in enumerate(pages, start=1) if "Liens utiles" in page]
    assert links, "no page shows « Liens utiles »"
    for number in links:
        png = tmp_path / f"p{number}"
        subprocess.run(
            ["pdftoppm", "-r", "150", "-png", "-f", str(number), "-l", str(number), str(pdf.path), str(png)],
            check=True,
        )
        out = subprocess.run(
            ["zbarimg", "-q", "--raw", *map(str, tmp_path.glob(f"p{number}*.png"))], text=True, capture_output=True
        )
        assert out.stdout.strip(), f"page {number}: « Liens utiles » without its QR codes"


def test_contact_ends_each_fiche_when_set(pdfs) -> None:
    assert pdfs["fiches"].text.count("Votre contact") == len(FICHES)
    assert all(x in pdfs["fiches"].text for x in CONTACT)
    assert "Votre contact" not in pdfs["plain"].text


# --- Every page: header and footer, complete ---------------------------------------------------------


def frames(doc: dict) -> list[tuple[str, list[str], str]]:
    """(running title, footer lines, version label) of each kind of page in a document, as the data gives them."""
    if "columns" in doc:  # the comparison; FALC: one footer line, its source and date
        lines = [doc["sources"]] if doc["structures"] else [doc["sources"], doc["date_line"]]
        return [(doc["title"], lines, doc["version_label"])]
    out = []
    for part in doc["parts"]:
        lines = [part["sources"], doc["date_line"]] if part["type"] == "fiche" else [part["footer"]]
        out.append((part["title"], lines, part["version_label"]))
    if "footers" in doc:  # the booklet's own pages: the glossary and the sources are standard text
        out += [
            (doc["contents"]["title"], doc["footers"]["contents"], doc["version_label"]),
            (doc["glossary"]["title"], doc["footers"]["glossary"], doc["standard_label"]),
            (doc["sources"]["title"], doc["footers"]["sources"], doc["standard_label"]),
        ]
    return out


@pytest.mark.parametrize(
    "name", ["msp", "fiches", "falc-cds", "handouts", "booklet", "booklet-falc", "compare", "compare-falc"]
)
def test_header_and_footer_are_complete_on_every_page(pdfs, name: str) -> None:
    """The running title, the version, the footer's sources and date, « page n / N »: whole, never cut."""
    pdf = pdfs[name]
    doc = pdf.document.data
    total = len(pdf.pages)
    assert total == pdf.document.page_count == int(pdf.pdfinfo["Pages"])
    kinds = sorted(frames(doc), key=lambda f: -len(f[0]))
    for number, raw in enumerate(pdf.pages, start=1):
        page = joined(raw)
        if name.startswith("booklet") and number == 1:
            assert "page 1 /" not in page and doc["version_label"] not in page  # the cover: no running frame
            continue
        assert f"page {number} / {total}" in page
        title, lines, version = next((k for k in kinds if page.startswith(k[0])), ("", [], ""))
        assert title, f"page {number} opens with no running title: {page[:80]}"
        for line in lines:
            assert joined(line) in page, (number, line)
        first_of_handout = title in {p["title"] for p in doc.get("parts", []) if p["type"] == "handout"} and (
            page.startswith(title + " " + "Facile à lire")
        )
        if not first_of_handout:
            assert version in page, number  # the part's own version label, and no other
            assert all(label not in page for label in data.VERSION_LABELS.values() if label != version), number


# --- Tags, metadata, fonts, links ---------------------------------------------------------------------


def test_every_pdf_is_tagged_and_passes_the_pdf_ua_checker(pdfs, pdfua) -> None:
    for name, pdf in pdfs.items():
        assert pdf.pdfinfo["Tagged"] == "yes", name
        report = pdfua[name]
        assert report["summary"]["errors"] == 0 and report["findings"] == [], (name, report["findings"][:3])
        assert pdf.pike.Root.Lang == "fr-FR"
        assert "/StructTreeRoot" in pdf.pike.Root and pdf.pike.Root.MarkInfo.Marked


def test_tags_hold_headings_lists_tables_and_figures_with_alternative_text(pdfs) -> None:
    def kinds(pdf: Pdf) -> tuple[set[str], list[str]]:
        seen: set[str] = set()
        alts: list[str] = []
        stack = [pdf.pike.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    seen.add(str(node.S))
                    if node.S == "/Figure":
                        alts.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(kids)
                elif isinstance(kids, pikepdf.Dictionary):
                    stack.append(kids)
        return seen, alts

    seen, alts = kinds(pdfs["msp"])
    assert {"/H1", "/H2", "/H3", "/L", "/LI", "/Figure", "/Link"} <= seen
    assert alts and all(a.startswith("Code QR qui ouvre la page https://") for a in alts)
    seen, _ = kinds(pdfs["compare"])
    assert {"/Table", "/TR", "/TH", "/TD"} <= seen


def test_metadata_title_author_subject_keywords(pdfs) -> None:
    info = pdfs["msp"].pdfinfo
    assert info["Title"] == "MSP – Maison de santé pluriprofessionnelle (version standard)"
    assert info["Author"] == "Fiche Desktop"
    assert "soins primaires" in info["Subject"]
    assert "MSP" in info["Keywords"] and "exercice coordonné" in info["Keywords"]
    assert "fiche pour le patient, FALC" in pdfs["falc-msp"].pdfinfo["Title"]
    assert "livret complet" in pdfs["booklet"].pdfinfo["Title"]
    assert pdfs["compare"].pdfinfo["Title"].startswith("Comparaison : ESP, MSP, CDS, CPTS, DAC, SAS")


def test_fonts_are_the_bundled_andika_embedded_and_pages_a4(pdfs) -> None:
    for name, pdf in pdfs.items():
        rows = subprocess.run(["pdffonts", str(pdf.path)], capture_output=True, text=True).stdout.splitlines()[2:]
        assert rows, name
        for row in rows:
            assert "Andika" in row and row.split()[-5] == "yes", (name, row)  # the 'emb' column
        assert pdf.size() == (A4_LANDSCAPE if name == "compare" else A4_PORTRAIT), name


def test_text_extracts_without_ligature_glyphs(pdfs) -> None:
    text = pdfs["fiches"].text + pdfs["booklet"].text
    for word in ("fiche", "infirmière", "définition", "Définition", "santé", "télésanté", "financement"):
        assert re.search(rf"(?<!\w){word}", text), word
    assert "\ufb01" not in text and "\ufb02" not in text


def test_every_web_address_is_a_live_link(pdfs) -> None:
    def urls(value: object) -> set[str]:
        if isinstance(value, dict):
            found = {value["url"]} if isinstance(value.get("url"), str) else set()
            return found.union(*(urls(v) for v in value.values()))
        if isinstance(value, list):
            return set().union(*(urls(v) for v in value)) if value else set()
        return set()

    for name, pdf in pdfs.items():
        expected = urls(pdf.document.data)
        assert expected <= pdf.uris, (name, expected - pdf.uris)
    assert len(urls(pdfs["booklet"].document.data)) >= 10


# --- The booklet ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["booklet", "booklet-falc"])
def test_booklet_has_a_cover_and_a_contents_page_with_clickable_real_page_numbers(pdfs, name: str) -> None:
    pdf = pdfs[name]
    doc = pdf.document.data
    cover = joined(pdf.pages[0])
    assert doc["cover"]["kind"] in cover and doc["cover"]["date"] in cover and doc["cover"]["content_version"] in cover
    assert all(x in cover for x in ("Votre contact", *CONTACT))
    assert pdf.text.count("Votre contact") == 1  # on the cover, not after every fiche
    contents = pdf.pages[1]
    assert contents.split("Version")[0].strip().startswith("Sommaire")
    titles = [p["title"] for p in doc["parts"]] + ["Glossaire", "Sources et erratum"]
    numbers = {}
    for line in map(joined, contents.splitlines()):
        match = re.fullmatch(r"(.+?) ?[. ]*\.+ ?(\d+)", line)
        if match:
            numbers[match.group(1).strip()] = int(match.group(2))
    assert list(numbers) == titles
    for title, number in numbers.items():
        assert joined(pdf.pages[number - 1]).startswith(title) or title in joined(pdf.pages[number - 1])[:200]
    names = pikepdf.NameTree(pdf.pike.Root.Names.Dests)
    targets = []
    for annot in pdf.pike.pages[1].get("/Annots", []):
        if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
            dest = annot.Dest
            if isinstance(dest, (pikepdf.String, pikepdf.Name)):
                dest = names[str(dest).lstrip("/")]
            targets.append(pdf.pike.pages.index(pikepdf.Page(dest[0])) + 1)
    assert targets == list(numbers.values())  # each contents entry links to the page it names


@pytest.mark.parametrize("name", ["booklet", "booklet-falc"])
def test_booklet_has_a_bookmark_for_every_fiche_and_its_parts(pdfs, name: str) -> None:
    pdf = pdfs[name]
    with pdf.pike.open_outline() as outline:
        top = {item.title: item for item in outline.root}
        for part in pdf.document.data["parts"]:
            assert part["title"] in top, part["title"]
            children = {c.title: c for c in top[part["title"]].children}
            if part["type"] == "handout":
                assert [s["title"] for s in part["sections"]] <= list(children), part["title"]
                continue
            for group in part["groups"]:
                if group["title"] is None:  # the overview: its parts right under it
                    assert {s["title"] for s in group["sections"]} <= set(children)
                else:
                    below = [c.title for c in children[group["title"]].children]
                    assert below == [s["title"] for s in group["sections"]], (part["title"], group["title"])
        assert "Sommaire" in top
        if name == "booklet-falc":  # a part of its own for professionals, in standard text
            top = {c.title: c for c in top[data.PROFESSIONALS].children}
        assert "Glossaire" in top and "Sources et erratum" in top


def test_falc_booklet_holds_every_validated_falc_line(pdfs, real_db) -> None:
    pdf = pdfs["booklet-falc"]
    printed = {flat(line) for page in pdf.pages for line in page.splitlines()}
    lines = [line for slug in real_db.slugs() for s in real_db.fiche(slug).sections for line in s.falc if line]
    assert len(lines) > 100 and [line for line in lines if flat(line) not in printed] == []
    assert "Ces fiches n’ont pas de version FALC" in pdf.text and "ESS" in pdf.text


def test_glossary_is_in_french_alphabetical_order(pdfs, real_db) -> None:
    pdf = pdfs["booklet-falc"]
    lines = []
    with pdfplumber.open(pdf.path) as doc:  # two columns: the left one, then the right one, page by page
        for page in doc.pages:
            half = page.width / 2
            for box in ((0, 0, half, page.height), (half, 0, page.width, page.height)):
                lines += [flat(line) for line in (page.crop(box).extract_text() or "").splitlines()]
    start = lines.index("Glossaire", lines.index("Glossaire") + 1)  # past the contents
    entries = [i for i, line in enumerate(lines) if i > start]

    def where(term: str) -> int:
        return next(i for i in entries if lines[i] == term or lines[i].startswith(term + " – "))

    ordered = sorted(real_db.terms(), key=lambda t: presentation.french_key(t.term))
    positions = [where(t.term) for t in ordered]
    assert positions == sorted(positions)
    assert where("DSDP") < where("éducation thérapeutique du patient") < where("EHPAD")  # é filed under E
    assert where("médecin traitant") < where("MIG SAMU")


def test_sources_and_errata_speak_of_parts_and_sources_never_of_files_or_slugs(pdfs, real_db) -> None:
    text = pdfs["booklet"].text
    for source in real_db.sources().values():
        assert source.title in text
        assert source.file not in text
    for erratum in real_db.errata():
        fiche = real_db.fiche(erratum.fiche)
        assert f"Fiche « {render.fiche_title(fiche, TextVersion.STANDARD)} »" in text
        assert f"« {erratum.section} »" not in text and f"« {erratum.fiche} »" not in text
    assert "Fichier source" not in text and ".txt" not in text


# --- The comparison ------------------------------------------------------------------------------------


def test_comparison_fits_four_landscape_pages_with_the_header_row_on_each(pdfs, real_db) -> None:
    pdf = pdfs["compare"]
    assert pdf.size() == A4_LANDSCAPE and pdf.document.page_count <= 4
    acronyms = [real_db.fiche(s).acronym for s in STRUCTURES]
    with pdfplumber.open(pdf.path) as doc:  # the header row, on every page: the acronyms on one line
        for page in doc.pages:
            words = page.extract_words()
            first = next(w for w in words if w["text"] == acronyms[0])
            head = {w["text"] for w in words if abs(w["top"] - first["top"]) < 3}
            assert set(acronyms) <= head, head
    rows = build_comparison(real_db, STRUCTURES, TextVersion.STANDARD).rows
    positions = [pdf.text.index(r.label) for r in rows]
    short = [p for r, p in zip(rows, positions, strict=True) if r.key in CRITERIA]
    long = [p for r, p in zip(rows, positions, strict=True) if r.key not in CRITERIA]
    assert short == sorted(short) and long == sorted(long) and max(short) < min(long)  # short attributes first
    assert [r.key for r in rows if r.key in CRITERIA] == [k for k in CRITERIA if any(r.key == k for r in rows)]


def test_falc_comparison_is_one_block_per_structure_with_its_validated_lines(pdfs, real_db) -> None:
    """Portrait; each structure's block, one after the other: its title, then each criterion that has
    validated FALC text for it, as a heading, and the lines as they are, one printed line each."""
    pdf = pdfs["compare-falc"]
    assert pdf.size() == A4_PORTRAIT
    comparison = build_comparison(real_db, ["esp", "msp", "cds"], TextVersion.FALC)
    lines = [flat(line) for page in pdf.pages for line in page.splitlines() if line.strip()]
    text = "\n".join(lines)
    starts = [lines.index(render.fiche_title(f, TextVersion.FALC)) for f in comparison.fiches]
    assert starts == sorted(starts)  # one after the other, in the order chosen
    for i, fiche in enumerate(comparison.fiches):
        end = starts[i + 1] if i + 1 < len(starts) else len(lines)
        block = lines[starts[i] : end]
        for row in comparison.rows:
            cell = row.cells[i]
            assert (row.label in block) == cell.falc, (fiche.slug, row.label)
            for line in cell.lines if cell.falc else ():
                if line:
                    assert flat(line) in block or flat("• " + line.removeprefix("• ")) in block, line
    assert "Pas de version FALC" not in text
    assert real_db.sources()["falc"].credit in pdf.text
    assert "Critère" not in text  # no table


# --- Bad input -----------------------------------------------------------------------------------------

SPECIAL = {
    "title": "#$*_@<>",
    "acronym": "\\[]",
    "section": "// /* */",
    "text": "#[*_$ @<> ]\\ // `=` ~ -- ...",
    "bullet": "- *_* `#` $$",
    "falc": ["#{}() []", "\\ // /**/", "= == ~ --- @ <>"],
    "term": "@#$",
    "definition": "*_`$#[]\\//",
}


@pytest.fixture(scope="module")
def special_db(tmp_path_factory: pytest.TempPathFactory):
    """A tiny database whose texts are nothing but typst's special characters."""
    from fiche_desktop.build import validate, write_database
    from fiche_desktop.db import ContentDB
    from tests.helpers import tiny_content

    content = tiny_content()
    alpha = content["alpha.toml"]
    alpha["title"], alpha["acronym"] = SPECIAL["title"], SPECIAL["acronym"]
    definition = alpha["sections"][0]
    definition["title"] = SPECIAL["section"]
    definition["text"] = SPECIAL["text"] + "\n" + SPECIAL["bullet"]
    definition["falc"] = SPECIAL["falc"]
    alpha["attributes"][0]["value"] = "`=`"
    content["sources.toml"]["errata"][0]["correction"] = "$ @<>"
    content["sources.toml"]["errata"][0]["original"] = "#*"
    definition["text"] += "\n$ @<>"
    content["glossaire.toml"]["terms"][0].update(term=SPECIAL["term"], definition=SPECIAL["definition"], expansion="")
    path = tmp_path_factory.mktemp("special") / "special.db"
    write_database(validate(content), path)
    db = ContentDB(path)
    yield db
    db.close()


def test_content_made_of_typst_syntax_prints_literally(special_db, tmp_path: Path) -> None:
    std, falc = TextVersion.STANDARD, TextVersion.FALC
    made = {
        "fiche": printing.fiches_document(special_db, ["alpha"], std),
        "handout": printing.fiches_document(special_db, ["alpha"], falc),
        "booklet": printing.fiches_document(special_db, special_db.slugs(), std, booklet=True),
    }
    texts = {}
    for name, document in made.items():
        path = tmp_path / f"{name}.pdf"
        document.write_pdf(path)
        texts[name] = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    squash = {k: "".join(v.split()) for k, v in texts.items()}
    for value in (SPECIAL["title"], SPECIAL["acronym"], SPECIAL["section"], SPECIAL["text"], SPECIAL["bullet"][2:]):
        assert "".join(value.split()) in squash["fiche"], value
    for line in SPECIAL["falc"]:
        assert "".join(line.split()) in squash["handout"], line
    for value in (SPECIAL["term"], SPECIAL["definition"], "#*", "$@<>"):
        assert "".join(value.split()) in squash["booklet"], value


@pytest.fixture
def broken_templates(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real templates, one of them broken: typst really fails to compile it."""
    folder = tmp_path_factory.mktemp("templates") / "typst"
    shutil.copytree(typeset.templates_dir(), folder)
    (folder / "fiche.typ").write_text((folder / "fiche.typ").read_text() + "\n#let broken = (\n", encoding="utf-8")
    monkeypatch.setattr(typeset, "templates_dir", lambda: folder)
    return folder


def export_args(*slugs: str, output: Path, **options: object) -> argparse.Namespace:
    values = {"slugs": list(slugs), "all": False, "compare": None, "falc": False, "output": str(output), "db": REAL_DB}
    values.update(options)
    return argparse.Namespace(**values)


def test_a_failed_compilation_gives_one_french_line_exit_1_and_no_file(
    broken_templates, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "sortie" / "msp.pdf"
    target.parent.mkdir()
    assert cli.cmd_export(export_args("msp", output=target)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Mise en page impossible") and "fiche.typ" in err[0]
    assert list(target.parent.iterdir()) == []


def test_a_failed_compilation_keeps_an_existing_file(broken_templates, tmp_path: Path, capsys) -> None:
    target = tmp_path / "msp.pdf"
    target.write_bytes(b"%PDF ancien")
    assert cli.cmd_export(export_args("msp", output=target)) == 1
    assert target.read_bytes() == b"%PDF ancien" and sorted(tmp_path.iterdir()) == [target]


# --- The command line: exit codes, messages, files written whole ------------------------------------


def run_export(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", "export", *args, "--db", str(REAL_DB)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        **kwargs,
    )  # type: ignore[call-overload]


def assert_one_french_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == ExitCode.ERROR
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0]


def test_export_of_a_falc_handout_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "msp.pdf"
    result = run_export("msp", "--falc", "-o", str(out))
    assert result.returncode == ExitCode.OK
    assert result.stdout.startswith("PDF enregistré") and "(2 pages)" in result.stdout
    assert out.read_bytes().startswith(b"%PDF")
    assert os.stat(out).st_mode & 0o044  # an ordinary file, readable like any other the user writes


def test_unknown_slug_no_slug_and_unknown_structure_exit_1(tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.pdf"
    assert cli.cmd_export(export_args("msp", "nimportequoi", output=out)) == 1
    assert "Fiche inconnue" in capsys.readouterr().err
    assert cli.cmd_export(export_args(output=out)) == 1
    assert "Indiquez au moins une fiche" in capsys.readouterr().err
    assert cli.cmd_export(export_args(output=out, compare="esp,xyz")) == 1
    assert "Structure inconnue" in capsys.readouterr().err
    assert not out.exists()


def test_output_in_a_folder_that_cannot_exist_exits_1_and_writes_nothing(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "fichier.txt"
    blocker.write_text("pas un dossier")
    assert cli.cmd_export(export_args("msp", output=blocker / "sortie.pdf")) == 1
    assert "Impossible d’écrire" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fichier.txt"]


def test_read_only_folder_exits_1_and_leaves_no_partial_file(unprivileged) -> None:
    """Run by an unprivileged user (as root, permissions would not stop the write), in a folder of
    theirs that they may read but not write."""
    folder = unprivileged.home / "lecture-seule"
    folder.mkdir()
    unprivileged.own(folder)
    folder.chmod(0o500)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    args = [sys.executable, "-m", "fiche_desktop", "export", "msp", "-o", str(folder / "msp.pdf"), "--db", str(REAL_DB)]
    result = unprivileged.run(args, env=env)
    assert_one_french_line(result, "accès refusé")
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="a file size limit (RLIMIT_FSIZE) is POSIX's resource module")
def test_a_full_disk_exits_1_and_leaves_no_partial_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    """A file size limit stands in for a full disk: the write fails halfway, nothing is left behind."""
    import resource

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    folder = tmp_path / "plein"
    folder.mkdir()
    old = folder / "msp.pdf"
    old.write_bytes(b"%PDF ancien")
    result = run_export("msp", "-o", str(old), preexec_fn=limit)
    assert_one_french_line(result, "Espace disque insuffisant")
    assert list(folder.iterdir()) == [old] and old.read_bytes() == b"%PDF ancien"


def test_an_existing_file_is_replaced_whole(tmp_path: Path, real_db) -> None:
    out = tmp_path / "msp.pdf"
    out.write_bytes(b"ancien")
    pages = printing.export_fiches_pdf(real_db, ["msp"], TextVersion.STANDARD, out)
    assert pages >= 2 and out.read_bytes().startswith(b"%PDF") and out.read_bytes().rstrip().endswith(b"%%EOF")
    assert [p.name for p in tmp_path.iterdir()] == ["msp.pdf"]


def test_os_errors_become_french_messages() -> None:
    import errno

    target = Path("/dossier/fiche.pdf")
    for code, words in (
        (errno.ENOSPC, "Espace disque insuffisant"),
        (errno.EACCES, "accès refusé"),
        (errno.EPERM, "accès refusé"),
        (errno.EROFS, "lecture seule"),
        (errno.ENOENT, "Dossier introuvable"),
        (errno.EISDIR, "est un dossier"),
        (errno.EIO, "erreur système"),
    ):
        message = printing.os_error_message(OSError(code, os.strerror(code)), target)
        assert words in message and os.strerror(code) not in message


def test_the_printing_data_and_typesetting_never_load_qt() -> None:
    code = (
        "import sys\nimport fiche_desktop.printing, fiche_desktop.cli\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
