"""« Qui contacter ? »: the practice's contacts file read entry by entry, merged, saved, carried by a
signed pack, printed on page 1, found by search, and always labelled apart from the sources."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fiche_desktop import contacts, packs, paths, render
from fiche_desktop.content import TextVersion
from fiche_desktop.search import answer
from tests.conftest import REAL_DB, ROOT
from tests.helpers import Publisher, make_keys, tiny

EXAMPLE = ROOT / "docs" / "contacts.example.toml"
DAC_AND_SAS = """\
[[contact]]
structure = "dac"
name = "DAC du Val de Loue"
phone = "03 81 00 00 01"
address = "12 rue des Lilas, 25290 Saint-Aubin-sur-Loue"
web = "https://dac-val-de-loue.example.org"
given_by = "la Maison de santé des Tilleuls"
date = 2026-11-30

[[contact]]
structure = "sas"
name = "Service d’accès aux soins (SAS)"
phone = "116 117"
given_by = "la Maison de santé des Tilleuls"
date = 2026-11-30
"""


def write_system(text: str) -> Path:
    path = contacts.system_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", "export", "--db", str(REAL_DB), *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


# Reading a PDF back takes poppler's pdftotext, a Debian package (not in the Windows lane).
READS_PDF = pytest.mark.skipif(sys.platform == "win32", reason="reads the PDF back with pdftotext (poppler-utils)")


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


# --- The file ---------------------------------------------------------------------------------------


def test_the_documented_example_reads_without_a_single_warning() -> None:
    loaded = contacts.parse(EXAMPLE.read_text(encoding="utf-8"), "contacts.example.toml")
    assert loaded.warnings == []
    assert {c.structure for c in loaded.contacts} == {"dac", "sas", "cpts", "msp"}


def test_a_malformed_entry_is_set_aside_with_one_french_line_naming_file_and_line() -> None:
    text = (
        DAC_AND_SAS + '\n[[contact]]\nstructure = "cpts"\nname = "CPTS cassée\n\n[[contact]]\nname = "sans structure"\n'
    )
    loaded = contacts.parse(text, "/etc/fiche-desktop/contacts.toml")
    assert [c.name for c in loaded.contacts] == ["DAC du Val de Loue", "Service d’accès aux soins (SAS)"]
    assert loaded.warnings == [
        "« /etc/fiche-desktop/contacts.toml », ligne 19 : contact mis de côté (TOML illisible)",
        "« /etc/fiche-desktop/contacts.toml », ligne 21 : contact mis de côté (« structure » manquant)",
    ]


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('phone = "appelez-nous"', "téléphone « appelez-nous »"),
        ('web = "dac.example.org"', "site internet « dac.example.org »"),
        ('web = "https://exa mple.org"', "site internet"),
        ("phone = 15", "« phone » doit être un texte"),
        ('date = "30/11/2026"', "AAAA-MM-JJ"),
    ],
)
def test_a_phone_or_web_address_that_does_not_parse_sets_the_entry_aside(line: str, said: str) -> None:
    loaded = contacts.parse(f'[[contact]]\nstructure = "dac"\nname = "DAC"\n{line}\n', "c.toml")
    assert loaded.contacts == []
    assert len(loaded.warnings) == 1 and "ligne 1" in loaded.warnings[0] and said in loaded.warnings[0]


def test_an_overlong_value_is_cut_and_the_cut_is_said() -> None:
    loaded = contacts.parse(f'[[contact]]\nstructure = "dac"\nname = "DAC"\nnote = "{"x" * 1000}"\n', "c.toml")
    assert len(loaded.contacts[0].note) == contacts.MAX_CHARS["note"]
    assert loaded.warnings == ["« c.toml », ligne 1 : « note » coupé à 400 caractères"]


def test_phone_numbers_as_practices_write_them_are_accepted() -> None:
    for phone in ("15", "116 117", "03 81 00 00 01", "03.81.00.00.01", "+33 3 81 00 00 01", "(0)3-81-00-00-01"):
        assert contacts.phone_problem(phone) is None, phone
    for phone in ("1", "03 81 AB", "0" * 16, "++33"):
        assert contacts.phone_problem(phone), phone


def test_the_users_file_wins_over_the_systems_on_the_same_structure_and_name() -> None:
    write_system(DAC_AND_SAS)
    user = contacts.user_file()
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text('[[contact]]\nstructure = "dac"\nname = "DAC du val de Loue"\nphone = "03 81 99 99 99"\n')
    loaded = contacts.load()
    assert loaded.warnings == []
    dac = [c for c in loaded.contacts if c.structure == "dac"]
    assert [(c.phone, c.origin) for c in dac] == [("03 81 99 99 99", "user")]
    assert any(c.structure == "sas" for c in loaded.contacts)


def test_saving_writes_the_users_file_atomically_and_reads_back_the_same() -> None:
    original = contacts.parse(EXAMPLE.read_text(encoding="utf-8")).contacts
    tricky = contacts.UsefulContact("msp", 'MSP "Les \\ Tilleuls"', phone="03\u00a081\u00a000\u00a000\u00a003")
    contacts.save_user([*original, tricky])
    back = contacts.load_file(contacts.user_file(), "user")
    assert back.warnings == [] and back.contacts == [*original, dataclasses.replace(tricky, phone="03 81 00 00 03")]
    assert sorted(p.name for p in contacts.user_file().parent.iterdir()) == ["contacts.toml"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_a_named_pipe_in_place_of_the_file_is_refused_without_hanging() -> None:
    path = contacts.system_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    loaded = contacts.load()
    assert loaded.contacts == []
    assert loaded.warnings == [f"« {path} » est un tube nommé (FIFO), pas un fichier : fichier de contacts ignoré"]


def test_a_file_too_large_is_refused_with_one_line() -> None:
    write_system("#" * (contacts.MAX_FILE_BYTES + 1))
    assert contacts.load().warnings == [
        f"« {contacts.system_file()} » est trop grand (plus de 256 Ko) : fichier de contacts ignoré"
    ]


# --- Shown apart from the sources, labelled -----------------------------------------------------------


def test_the_fiche_on_screen_ends_with_the_contact_labelled_and_its_sourced_text_unchanged(real_db) -> None:
    useful = contacts.parse(DAC_AND_SAS).contacts
    fiche = real_db.fiche("dac")
    for version in TextVersion:
        bare = render.fiche_html(fiche, version, render.make_context(real_db, base_pt=11, useful=()))
        shown = render.fiche_html(fiche, version, render.make_context(real_db, base_pt=11, useful=useful))
        body = bare.removesuffix("</body></html>")
        assert shown.startswith(body)  # the sourced text, word for word, then the contact after it
        added = shown[len(body) :].replace("\u00a0", " ")
        assert "Près de chez vous" in added and "DAC du Val de Loue" in added and "03 81 00 00 01" in added
        assert "Contact donné par la Maison de santé des Tilleuls le 30 novembre 2026" in added
        assert "116 117" not in added  # the SAS's contact stays on the SAS fiche


def test_the_kiosk_context_shows_the_web_address_as_a_qr_code(real_db) -> None:
    useful = contacts.parse(DAC_AND_SAS).contacts
    ctx = render.make_context(real_db, base_pt=20, useful=useful, contact_qr=True)
    html = render.fiche_html(real_db.fiche("dac"), TextVersion.FALC, ctx)
    assert '<img src="data:image/png;base64,' in html and "Code QR du site https://dac-val-de-loue.example.org" in html


@READS_PDF
def test_export_dac_falc_shows_the_dac_contact_on_page_1_and_adds_no_page(tmp_path: Path) -> None:
    bare = export("dac", "--falc", "-o", str(tmp_path / "sans.pdf"))
    assert bare.returncode == 0, bare.stderr
    write_system(DAC_AND_SAS)
    out = export("dac", "--falc", "-o", str(tmp_path / "x.pdf"))
    assert out.returncode == 0, out.stderr
    pages = pdf_pages(tmp_path / "x.pdf")
    assert "DAC du Val de Loue" in pages[0] and "03 81 00 00 01" in pages[0]
    assert "Contact donné par la Maison de santé des Tilleuls le 30 novembre 2026" in " ".join(pages[0].split())
    assert "116 117" not in "".join(pages)
    assert len(pages) <= len(pdf_pages(tmp_path / "sans.pdf"))


@READS_PDF
@pytest.mark.parametrize(("slug", "falc"), [("sas", True), ("dac", False), ("sas", False)])
def test_the_contact_is_on_page_1_of_each_printout_without_adding_a_page(tmp_path: Path, slug: str, falc: bool) -> None:
    version = ["--falc"] if falc else []
    assert export(slug, *version, "-o", str(tmp_path / "sans.pdf")).returncode == 0
    write_system(DAC_AND_SAS)
    out = export(slug, *version, "-o", str(tmp_path / "avec.pdf"))
    assert out.returncode == 0, out.stderr
    pages = pdf_pages(tmp_path / "avec.pdf")
    phone = "116 117" if slug == "sas" else "03 81 00 00 01"
    assert phone in pages[0]
    assert len(pages) == len(pdf_pages(tmp_path / "sans.pdf"))


def part_starts(path: Path) -> dict[str, int]:
    """The page (from 1) where each part of a booklet starts, read from its bookmarks."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        numbers = {page.objgen: i + 1 for i, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            return {item.title: numbers[item.destination[0].objgen] for item in outline.root}


@READS_PDF
def test_the_falc_booklet_with_the_example_contacts_adds_no_page_to_any_handout(tmp_path: Path) -> None:
    """Each handout of the booklet keeps its pages: a box that would make its part longer is made
    compact (SAS: name, phone, who gave it); the others keep their whole box (MSP: its address)."""
    assert export("--all", "--falc", "-o", str(tmp_path / "sans.pdf")).returncode == 0
    write_system(EXAMPLE.read_text(encoding="utf-8"))
    out = export("--all", "--falc", "-o", str(tmp_path / "avec.pdf"))
    assert out.returncode == 0, out.stderr
    starts = part_starts(tmp_path / "avec.pdf")
    assert starts == part_starts(tmp_path / "sans.pdf")
    pages = pdf_pages(tmp_path / "avec.pdf")
    assert len(pages) == len(pdf_pages(tmp_path / "sans.pdf"))
    title = {key.split(" ")[0]: key for key in starts}
    msp, sas = pages[starts[title["MSP"]] - 1], pages[starts[title["SAS"]] - 1]
    assert "03 81 00 00 03" in msp and "1 allée des Tilleuls" in msp
    assert "116 117" in sas and "Contact donné par la Maison de santé des Tilleuls" in " ".join(sas.split())


def test_export_says_the_set_aside_entry_on_stderr(tmp_path: Path) -> None:
    path = write_system(DAC_AND_SAS + '\n[[contact]]\nstructure = "cpts"\nname = "X"\nphone = "abc"\n')
    out = export("dac", "-o", str(tmp_path / "x.pdf"))
    assert out.returncode == 0
    assert f"« {path} », ligne 17 : contact mis de côté (téléphone « abc »" in out.stderr


# --- Search ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["116 117", "Saint-Aubin", "val de loue", "0381000001"])
def test_search_finds_a_contact_as_a_result_of_its_own_kind(real_db, query: str) -> None:
    write_system(DAC_AND_SAS)
    results = answer(real_db, query).results
    found = [r for r in results if r.kind == "contact"]
    assert len(found) == 1
    assert found[0].where.startswith("Contact utile › ")
    assert (found[0].slug, found[0].section) == (
        ("sas", "pres-de-chez-vous") if query == "116 117" else ("dac", "pres-de-chez-vous")
    )


def test_search_without_contacts_is_unchanged(real_db) -> None:
    assert [r.kind for r in answer(real_db, "Saint-Aubin-sur-Loue").results if r.kind == "contact"] == []


# --- A signed pack carries them -------------------------------------------------------------------------


@pytest.fixture
def publisher(tmp_path: Path) -> Publisher:
    keys = make_keys(tmp_path / "keys", "cpts")
    keys.trust(system=False)
    return keys


def test_a_signed_pack_carrying_contacts_installs_them(tmp_path: Path, publisher: Publisher) -> None:
    given = tmp_path / "contacts.toml"
    given.write_text(DAC_AND_SAS.replace("la Maison de santé des Tilleuls", "la CPTS des Deux Rives"))
    pack = tmp_path / "p.zip"
    manifest = packs.make_pack(tiny(tmp_path), pack, publisher.secret, given)
    assert manifest.contacts_sha256
    with zipfile.ZipFile(pack) as z:
        assert sorted(z.namelist()) == ["contacts.toml", "data.db", "manifest.json", "manifest.json.minisig"]
    installed = packs.import_pack(pack)
    loaded = contacts.load(installed.path)
    assert loaded.warnings == []
    assert [(c.name, c.given_by, c.origin) for c in loaded.contacts][0] == (
        "DAC du Val de Loue",
        "la CPTS des Deux Rives",
        "pack",
    )
    # The practice's own file still wins on the same structure and name.
    contacts.save_user([contacts.UsefulContact("dac", "DAC du Val de Loue", phone="03 81 11 11 11")])
    dac = [c for c in contacts.load(installed.path).contacts if c.structure == "dac"]
    assert [(c.phone, c.origin) for c in dac] == [("03 81 11 11 11", "user")]


def test_a_pack_without_contacts_keeps_the_local_files(tmp_path: Path, publisher: Publisher) -> None:
    given = tmp_path / "contacts.toml"
    given.write_text(DAC_AND_SAS)
    packs.make_pack(tiny(tmp_path, "2099.1.1", "a.db"), tmp_path / "a.zip", publisher.secret, given)
    packs.make_pack(tiny(tmp_path, "2099.2.0", "b.db"), tmp_path / "b.zip", publisher.secret)
    first = packs.import_pack(tmp_path / "a.zip")
    write_system('[[contact]]\nstructure = "msp"\nname = "MSP des Tilleuls"\n')
    second = packs.import_pack(tmp_path / "b.zip")
    assert [c.name for c in contacts.load(second.path).contacts] == ["MSP des Tilleuls"]
    # The first pack's contacts stay with it, for a rollback.
    assert contacts.pack_file(first.path).is_file()  # type: ignore[union-attr]
    assert len(contacts.load(first.path).contacts) == 3


def test_a_pack_whose_contacts_were_swapped_after_signing_is_refused(tmp_path: Path, publisher: Publisher) -> None:
    given = tmp_path / "contacts.toml"
    given.write_text(DAC_AND_SAS)
    pack = tmp_path / "p.zip"
    packs.make_pack(tiny(tmp_path), pack, publisher.secret, given)
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(forged, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            out.writestr(name, data.replace(b"03 81 00 00 01", b"08 99 99 99 99") if name == "contacts.toml" else data)
    with pytest.raises(packs.PackError, match="contacts.toml ne correspond pas"):
        packs.import_pack(forged)
    assert not packs.content_dir().exists() or not list(packs.content_dir().glob("*.contacts.toml"))


def test_make_pack_refuses_a_contacts_file_with_a_broken_entry(tmp_path: Path, publisher: Publisher) -> None:
    given = tmp_path / "contacts.toml"
    given.write_text('[[contact]]\nstructure = "dac"\nname = "DAC"\nweb = "pas une adresse"\n')
    with pytest.raises(packs.PackError, match="ligne 1 : contact mis de côté"):
        packs.make_pack(tiny(tmp_path), tmp_path / "p.zip", publisher.secret, given)
    assert not (tmp_path / "p.zip").exists()


def test_the_application_ships_no_contacts() -> None:
    assert not (paths.bundle_root() / "contacts.toml").exists()
    assert contacts.pack_file(paths.bundled_db()) is None
    assert list((ROOT / "resources").rglob("contacts.toml")) == []


def test_page_1_holds_three_contacts_of_a_structure_and_says_how_many_more() -> None:
    from fiche_desktop.printing import data

    many = [contacts.UsefulContact("sas", f"SAS secteur {i}", phone="116 117") for i in range(5)]
    box = data.useful_data(many, "sas")
    assert box is not None
    assert [c["name"] for c in box["contacts"]] == ["SAS secteur 0", "SAS secteur 1", "SAS secteur 2"]
    assert box["more"] == "Et 2 autres contacts dans Fiche Desktop."
    assert box["contacts"][0]["label"] == "Contact donné par votre cabinet (date non précisée)"
    assert data.useful_data(many, "dac") is None
