"""Printable fiches: the PDFs that `fiche-desktop export` writes, checked with poppler, pdfplumber and zbar.

The PDFs are made by the real command line in a subprocess (this test process never loads Qt), then
read back the way a user or a screen reader would: text, fonts, sizes, pages, QR codes, metadata.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from fiche_desktop import render
from fiche_desktop.compare import build_comparison
from fiche_desktop.content import TextVersion, date_in_words
from tests.conftest import REAL_DB

# make test installs them (scripts/install-system-deps.sh test): their absence is a failure, not a skip.
MISSING_TOOLS = [tool for tool in ("pdftotext", "pdffonts", "pdfinfo", "zbarimg") if shutil.which(tool) is None]


@pytest.fixture(autouse=True)
def _pdf_tools() -> None:
    assert not MISSING_TOOLS, f"missing {MISSING_TOOLS}: run scripts/install-system-deps.sh test"


CONTACT = ("Cabinet infirmière des Tilleuls", "12 rue des Lilas, 34000 Montpellier", "04 67 00 00 00")
FICHES = ["msp", "telesante", "dac"]
COMPARED = ["esp", "msp", "cds", "cpts", "dac", "sas"]
A4_PORTRAIT = (595, 842)


def run_export(*args: str, config_dir: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # the command line must choose offscreen by itself
    if config_dir is not None:
        env["FICHE_DESKTOP_CONFIG_DIR"] = str(config_dir)
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", "export", *args, "--db", str(REAL_DB)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        **kwargs,
    )  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every PDF the tests read, made once by the command line."""
    root = tmp_path_factory.mktemp("pdfs")
    config_dir = root / "config"
    config_dir.mkdir()
    (config_dir / "settings.toml").write_text(
        json.dumps({"contact_name": CONTACT[0], "contact_address": CONTACT[1], "contact_phone": CONTACT[2]}),
        encoding="utf-8",
    )
    jobs = {
        "standard": [*FICHES],
        "falc": [*FICHES, "--falc"],
        "plain": ["esp"],  # no contact set
        "booklet": ["--all"],
        "booklet-falc": ["--all", "--falc"],  # the contact goes on the cover, not after every fiche
        "compare": ["--compare", ",".join(COMPARED)],
        "compare-falc": ["--compare", "esp,msp,cds", "--falc"],
    }
    out: dict[str, Path] = {}
    for name, args in jobs.items():
        path = root / f"{name}.pdf"
        result = run_export(*args, "-o", str(path), config_dir=root / "empty" if name == "plain" else config_dir)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("PDF enregistré"), result.stdout
        out[name] = path
    return out


def pdfinfo(path: Path, *options: str) -> str:
    result = subprocess.run(["pdfinfo", *options, str(path)], capture_output=True, text=True, check=True)
    assert "Error" not in result.stderr, result.stderr  # the incremental metadata update is well formed
    return result.stdout


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def flat(text: str) -> str:
    """Whitespace collapsed; a line that wraps after a hyphen ('médico-' / 'sociales') joined back."""
    return " ".join(text.replace("-\n", "-").split())


def squash(text: str) -> str:
    """No whitespace at all: for narrow table columns, which wrap anywhere (URLs, 'DGOS/DIR/CNAM')."""
    return "".join(text.split())


def page_size(path: Path) -> tuple[int, int]:
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", pdfinfo(path))
    assert match
    return round(float(match.group(1))), round(float(match.group(2)))


def page_count(path: Path) -> int:
    match = re.search(r"Pages:\s+(\d+)", pdfinfo(path))
    assert match
    return int(match.group(1))


def body_chars(page: pdfplumber.page.Page) -> list[dict]:
    """Characters between the header rule and the footer rule."""
    rules = sorted(line["top"] for line in page.lines if line["x1"] - line["x0"] > page.width * 0.6)
    assert len(rules) >= 2, "header and footer rules"
    top, bottom = rules[0], rules[-1]
    return [c for c in page.chars if top < c["top"] and c["bottom"] < bottom]


# --- Pages, header and footer ------------------------------------------------------------------


def test_fiches_are_a4_portrait_with_header_and_footer_on_every_page(pdfs, real_db) -> None:
    """Each page names its fiche and version, the sources, the content date in words and 'page n / N'."""
    path = pdfs["standard"]
    assert page_size(path) == A4_PORTRAIT
    texts = page_texts(path)
    total = page_count(path)
    assert total == len(texts) >= 3
    date = date_in_words(real_db.meta.content_date)
    titles = [render.fiche_title(real_db.fiche(s), TextVersion.STANDARD) for s in FICHES]
    for number, text in enumerate(texts, start=1):
        assert "Version standard" in text
        assert f"page {number} / {total}" in text
        assert f"Contenu à jour du {date}" in text
        assert "Source" in text
        assert any(text.startswith(t) for t in titles), text[:80]


def test_each_fiche_starts_on_a_new_page_with_its_title_block(pdfs, real_db) -> None:
    texts = page_texts(pdfs["standard"])
    order = []
    for text in texts:
        title = next(s for s in FICHES if text.startswith(render.fiche_title(real_db.fiche(s), TextVersion.STANDARD)))
        if not order or order[-1][0] != title:
            order.append((title, text))
    assert [slug for slug, _ in order] == FICHES  # contiguous runs, in the order asked
    for slug, first_page in order:
        fiche = real_db.fiche(slug)
        assert f"Fiche du {date_in_words(fiche.date)}" in first_page  # the title block opens the fiche


def test_standard_layout_has_a_source_line_per_section(pdfs, real_db) -> None:
    text = flat(" ".join(page_texts(pdfs["standard"])))
    fiche = real_db.fiche("msp")
    assert text.count("Source : FICHE 2 – Dispositifs de soins primaires") >= len(
        [s for s in fiche.sections if s.source == "standard"]
    )
    assert "Ce que disent les autres sources" in text and "Fiche détaillée" in text


def test_text_extracts_with_accents_and_without_broken_ligatures(pdfs) -> None:
    text = "".join(
        subprocess.run(["pdftotext", str(pdfs[name]), "-"], capture_output=True, text=True, check=True).stdout
        for name in ("standard", "booklet")
    )
    for word in ("fiche", "infirmière", "définition", "Définition", "santé", "télésanté", "financement"):
        assert re.search(rf"(?<!\w){word}", text), word
    assert "\ufb01" not in text and "\ufb02" not in text  # no 'fi' / 'fl' ligature glyphs
    assert not re.search(r"(?<!\w)che(s)?(?!\w)", text)  # what 'fiche' becomes with a ligature


def test_fonts_are_bundled_andika_and_embedded(pdfs) -> None:
    for name in ("standard", "falc", "compare"):
        rows = subprocess.run(
            ["pdffonts", str(pdfs[name])], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert rows
        for row in rows:
            assert "Andika" in row
            assert row.split()[-5] == "yes", row  # the 'emb' column


def test_no_raster_image_in_the_pdf(pdfs) -> None:
    """QR codes are vector rectangles: a raster image would be stored as a blurry JPEG."""
    out = subprocess.run(
        ["pdfimages", "-list", str(pdfs["standard"])], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(out) == 2  # the two header lines, no image


# --- FALC --------------------------------------------------------------------------------------


def test_falc_body_text_is_at_least_14_pt_with_wide_line_spacing(pdfs) -> None:
    with pdfplumber.open(pdfs["falc"]) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == A4_PORTRAIT
        for page in pdf.pages:
            chars = body_chars(page)
            assert chars
            small = {(c["text"], round(c["size"], 1)) for c in chars if c["size"] < 13.95}
            assert not small, f"page {page.page_number}: {sorted(small)[:10]}"
            # Line spacing: consecutive text lines of one size are at least 1.5 sizes apart.
            tops = sorted({round(c["top"], 1) for c in chars if abs(c["size"] - 14) < 0.1})
            gaps = [b - a for a, b in zip(tops, tops[1:], strict=False) if b - a > 1]
            assert gaps and min(gaps) >= 1.5 * 14, f"page {page.page_number}: {min(gaps)}"
        # Left-aligned: body lines start at the same left margin (the wide one: at least 25 mm).
        lefts = {round(c["x0"]) for c in body_chars(pdf.pages[0])}
        assert min(lefts) >= 25 * 72 / 25.4 - 1


def test_falc_header_and_footer_on_every_page(pdfs) -> None:
    texts = page_texts(pdfs["falc"])
    for number, text in enumerate(texts, start=1):
        assert "Version FALC" in text
        assert f"page {number} / {len(texts)}" in text


@pytest.mark.parametrize("name", ["falc", "booklet-falc"])
def test_no_falc_sentence_is_split_across_two_pages(pdfs, real_db, name: str) -> None:
    pages = [flat(t) for t in page_texts(pdfs[name])]
    slugs = FICHES if name == "falc" else real_db.slugs()
    sentences = [
        " ".join(s)
        for slug in slugs
        for section in real_db.fiche(slug).sections
        for s in render.falc_sentences(section.falc)
        if s
    ]
    assert len(sentences) > 20
    missing = [s for s in sentences if not any(s in page for page in pages)]
    assert not missing, missing[:3]


def test_falc_text_is_printed_line_for_line(pdfs, real_db) -> None:
    """Each validated FALC line is one printed line: never reflowed, never wrapped."""
    printed = {flat(line) for text in page_texts(pdfs["booklet-falc"]) for line in text.splitlines()}
    lines = [line for slug in real_db.slugs() for s in real_db.fiche(slug).sections for line in s.falc if line]
    assert len(lines) > 100
    assert [line for line in lines if flat(line) not in printed] == []


def test_long_falc_sentences_move_whole_to_the_next_page(tmp_path: Path) -> None:
    """Forty three-line sentences: the ones that reach a page's foot go whole to the next page."""
    from fiche_desktop.build import validate, write_database
    from tests.helpers import tiny_content

    content = tiny_content()
    sentences = [
        (
            f"Phrase {i} : première ligne de la phrase",
            "deuxième ligne de la même phrase",
            f"et la fin de la phrase {i}.",
        )
        for i in range(40)
    ]
    content["alpha.toml"]["sections"][0]["falc"] = [line for s in sentences for line in s]
    db = tmp_path / "long.db"
    write_database(validate(content), db)
    out = tmp_path / "alpha.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "fiche_desktop", "export", "alpha", "--falc", "--db", str(db), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    pages = [flat(t) for t in page_texts(out)]
    assert len(pages) >= 3
    for sentence in sentences:
        assert sum(" ".join(sentence) in page for page in pages) == 1, sentence[0]


def test_falc_credit_only_with_validated_falc_text(pdfs, real_db) -> None:
    credit = real_db.sources()["falc"].credit
    falc = flat(" ".join(page_texts(pdfs["falc"])))
    assert falc.count(credit) == len(FICHES)  # each of these fiches shows validated FALC text
    assert credit not in flat(" ".join(page_texts(pdfs["standard"])))
    assert "Pas de version FALC validée pour cette partie" in falc


def test_falc_sentences_group_lines_without_changing_them() -> None:
    lines = [
        "Les MSP sont des structures avec des professionnels libéraux :",
        "• au moins 2 médecins",
        "et",
        "• 1 professionnel paramédical",
        "comme un infirmier par exemple.",
        "",
        "La santé à distance",
        "se fait par internet.",
    ]
    assert render.falc_sentences(lines) == [
        ("Les MSP sont des structures avec des professionnels libéraux :",),
        ("• au moins 2 médecins", "et"),
        ("• 1 professionnel paramédical", "comme un infirmier par exemple."),
        (),
        ("La santé à distance", "se fait par internet."),
    ]
    html = render.falc_lines_html(lines, render.RenderContext())
    assert html.count('class="falc"') == 4 and html.count("<br>") == 3 and "falcgap" in html


# --- QR codes, contact ---------------------------------------------------------------------------


def test_each_official_page_gets_a_qr_code_that_decodes_to_its_url(pdfs, real_db, tmp_path: Path) -> None:
    expected = {url for slug in FICHES for url, _label in render.unique_links(real_db.fiche(slug))}
    assert len(expected) >= 4
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdfs["standard"]), str(tmp_path / "p")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", *sorted(map(str, tmp_path.glob("p-*.png")))], capture_output=True, text=True
    ).stdout.split()
    assert sorted(decoded) == sorted(expected)  # each URL once: links are deduplicated
    text = "".join(page_texts(pdfs["standard"])).replace("\n", "")
    for url in expected:
        assert url in text  # printed beside its code, for those who type it


def test_votre_contact_ends_each_fiche_when_set(pdfs, real_db) -> None:
    texts = page_texts(pdfs["standard"])
    last_pages = [
        i for i, t in enumerate(texts) if i + 1 == len(texts) or t.split("\n")[0] != texts[i + 1].split("\n")[0]
    ]
    assert len(last_pages) == len(FICHES)
    for i in last_pages:
        assert "Votre contact" in texts[i] and all(x in flat(texts[i]) for x in CONTACT)
    assert sum("Votre contact" in t for t in texts) == len(FICHES)
    assert not any("Votre contact" in t for t in page_texts(pdfs["plain"]))


# --- Metadata ------------------------------------------------------------------------------------


def test_metadata_title_author_subject_keywords_creator(pdfs) -> None:
    info = pdfinfo(pdfs["standard"])
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    assert "MSP – Maison de santé pluriprofessionnelle" in fields["Title"]
    assert "version standard" in fields["Title"]
    assert fields["Author"] == "Fiche Desktop"
    assert "soins primaires" in fields["Subject"]
    assert "MSP" in fields["Keywords"] and "exercice coordonné" in fields["Keywords"]
    assert fields["Creator"].startswith("Fiche Desktop")


def test_language_is_french_in_xmp_and_catalog(pdfs) -> None:
    xmp = pdfinfo(pdfs["falc"], "-meta")
    assert re.search(r"<dc:language>\s*<rdf:Bag>\s*<rdf:li>fr-FR</rdf:li>", xmp)
    assert "<dc:title>" in xmp and "Fiche Desktop" in xmp
    with pdfplumber.open(pdfs["falc"]) as pdf:
        assert pdf.doc.catalog.get("Lang") == b"fr-FR"
        assert pdf.metadata["Author"] == "Fiche Desktop"


# --- Booklet -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "version"), [("booklet", TextVersion.STANDARD), ("booklet-falc", TextVersion.FALC)])
def test_booklet_has_cover_contents_with_page_numbers_fiches_glossary_and_sources(
    pdfs, real_db, name: str, version: TextVersion
) -> None:
    texts = page_texts(pdfs[name])
    assert page_size(pdfs[name]) == A4_PORTRAIT
    total = len(texts)
    cover = flat(texts[0])
    assert (
        "Livret complet, version standard"
        if version is TextVersion.STANDARD
        else "Livret en version FALC : facile à lire et à comprendre"
    ) in cover
    assert all(x in cover for x in ("Votre contact", *CONTACT))
    assert sum("Votre contact" in t for t in texts) == 1  # once, on the cover, not after every fiche
    assert texts[1].split("\n")[0].startswith("Sommaire")  # the cover holds on one page
    entries = {}
    for line in texts[1].splitlines():
        match = re.fullmatch(r"(.+?) (\d+)", line.strip())
        if match and "page " not in line and not line.startswith(("Sources :", "Contenu")):
            entries[match.group(1)] = int(match.group(2))
    titles = [render.fiche_title(f, version) for f in real_db.fiche_headers()]
    assert list(entries) == [*titles, "Glossaire", "Sources et erratum"]
    for title, number in entries.items():
        assert 2 < number <= total
        assert texts[number - 1].startswith(title)  # the page named in the contents opens that part
        assert not texts[number - 2].startswith(title)
    for number, text in enumerate(texts, start=1):
        assert f"page {number} / {total}" in text
        assert ("Version FALC" if version is TextVersion.FALC else "Version standard") in text


# --- Comparison ----------------------------------------------------------------------------------


def comparison_columns(page: pdfplumber.page.Page, acronyms: list[str]) -> tuple[float, list[str]]:
    """(bottom of the header row, the text of each column below it: the labels first, then each structure)."""
    words = page.extract_words()
    critere = next(w for w in words if w["text"] == "Critère")
    heads = [next(w for w in words if w["text"] == a and abs(w["top"] - critere["top"]) < 12) for a in acronyms]
    rules = sorted(line["top"] for line in page.lines if line["x1"] - line["x0"] > page.width * 0.6)
    header_bottom = max(w["bottom"] for w in words if w["top"] < critere["bottom"] + 30 and w["x0"] >= heads[0]["x0"])
    edges = [critere["x0"] - 6, *(h["x0"] - 6 for h in heads), page.width - critere["x0"] + 6]
    columns = [
        page.crop((edges[i], header_bottom + 4, edges[i + 1], rules[-1] - 2)).extract_text() or ""
        for i in range(len(edges) - 1)
    ]
    return header_bottom, columns


def test_comparison_is_landscape_with_the_header_row_on_every_page(pdfs, real_db) -> None:
    path = pdfs["compare"]
    assert page_size(path) == (842, 595)
    comparison = build_comparison(real_db, COMPARED, TextVersion.STANDARD)
    acronyms = [f.acronym for f in comparison.fiches]
    labels = ""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text = flat(page.extract_text())
            assert "Comparaison : " + ", ".join(acronyms) in text and "Version standard" in text
            assert "Critère " + " ".join(acronyms) in text  # the header row, on every page
            assert f"page {page.page_number} / {len(pdf.pages)}" in text
            labels += " " + flat(comparison_columns(page, acronyms)[1][0])
    for row in comparison.rows:
        assert row.label in labels


def test_comparison_rows_are_never_split_across_pages(pdfs, real_db) -> None:
    """Every page starts with a row label, and each row's cells are on the page of its label."""
    comparison = build_comparison(real_db, COMPARED, TextVersion.STANDARD)
    acronyms = [f.acronym for f in comparison.fiches]
    with pdfplumber.open(pdfs["compare"]) as pdf:
        cells_by_page = [comparison_columns(page, acronyms)[1] for page in pdf.pages]
        for number, page in enumerate(pdf.pages, start=1):
            header_bottom, _ = comparison_columns(page, acronyms)
            words = page.extract_words()
            body = [w for w in words if w["top"] > header_bottom + 4 and w["bottom"] < page.height - 70]
            critere = next(w for w in words if w["text"] == "Critère")
            first_column = next(w for w in words if w["text"] == acronyms[0] and abs(w["top"] - critere["top"]) < 12)
            first_label = min((w for w in body if w["x1"] < first_column["x0"]), key=lambda w: w["top"])
            assert all(w["top"] >= first_label["top"] - 1 for w in body), f"page {number}: a row continues here"
    for row in comparison.rows:
        homes = [i for i, columns in enumerate(cells_by_page) if row.label in flat(columns[0])]
        assert len(homes) == 1, row.label
        for cell, column in zip(row.cells, cells_by_page[homes[0]][1:], strict=True):
            if cell.lines:
                assert squash(cell.lines[-1]) in squash(column), (row.label, cell.lines[-1])


def test_falc_comparison_shows_falc_lines_or_a_plain_notice(pdfs, real_db) -> None:
    path = pdfs["compare-falc"]
    assert page_size(path) == (842, 595)
    comparison = build_comparison(real_db, ["esp", "msp", "cds"], TextVersion.FALC)
    acronyms = [f.acronym for f in comparison.fiches]
    with pdfplumber.open(path) as pdf:
        pages = [comparison_columns(page, acronyms)[1] for page in pdf.pages]
        everything = flat(" ".join(page.extract_text() for page in pdf.pages))
        for page in pdf.pages:
            text = flat(page.extract_text())
            assert "Version FALC" in text and "Critère " + " ".join(acronyms) in text
            assert f"page {page.page_number} / {len(pdf.pages)}" in text
    assert "Pas de version FALC validée" in everything
    assert real_db.sources()["falc"].credit in everything
    labels = " ".join(flat(columns[0]) for columns in pages)
    for row in comparison.rows:
        assert row.label in labels
        for k, cell in enumerate(row.cells):
            for sentence in render.falc_sentences(cell.lines) if cell.falc else []:
                if sentence:  # each FALC sentence whole in its column on one page
                    assert any(squash(" ".join(sentence)) in squash(columns[k + 1]) for columns in pages), sentence


# --- Command line: exit codes and messages -------------------------------------------------------


def assert_one_french_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def test_unknown_slug_exits_1_with_a_french_line(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run_export("msp", "nimportequoi", "-o", str(out))
    assert_one_french_line(result, "Fiche inconnue", "nimportequoi")
    assert not out.exists()


def test_no_slug_and_no_all_exits_1(tmp_path: Path) -> None:
    result = run_export("-o", str(tmp_path / "x.pdf"))
    assert_one_french_line(result, "Indiquez au moins une fiche")


def test_unknown_comparison_structure_exits_1(tmp_path: Path) -> None:
    result = run_export("--compare", "esp,xyz", "-o", str(tmp_path / "x.pdf"))
    assert_one_french_line(result, "Structure inconnue")


def test_output_in_a_folder_that_cannot_exist_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "fichier.txt"
    blocker.write_text("pas un dossier")
    result = run_export("msp", "-o", str(blocker / "sortie.pdf"))
    assert_one_french_line(result, "Impossible d’écrire")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fichier.txt"]


def without_root_overrides() -> None:
    """Runs in the child before exec: even as root (CI), file permissions then apply to it."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
            if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_read_only_folder_exits_1_and_leaves_no_partial_file(tmp_path: Path) -> None:
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = run_export("msp", "-o", str(folder / "msp.pdf"), preexec_fn=without_root_overrides)
        assert_one_french_line(result, "accès refusé")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_full_disk_exits_1_and_leaves_no_partial_file(tmp_path: Path) -> None:
    """A file size limit stands in for a full disk: the write fails halfway, nothing is left behind."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    folder = tmp_path / "plein"
    folder.mkdir()
    result = run_export("msp", "-o", str(folder / "msp.pdf"), preexec_fn=limit)
    assert_one_french_line(result, "Espace disque insuffisant")
    assert list(folder.iterdir()) == []


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "msp.pdf"
    out.write_bytes(b"ancien")
    result = run_export("msp", "-o", str(out))
    assert result.returncode == 0
    assert out.read_bytes().startswith(b"%PDF") and out.read_bytes().rstrip().endswith(b"%%EOF")
    assert [p.name for p in tmp_path.iterdir()] == ["msp.pdf"]
