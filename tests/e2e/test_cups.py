"""Printing through the real print system: `fiche-desktop print` to a private CUPS whose printer is
cups-pdf, and the printed PDFs read back (pages, text, size); queues that refuse or fail are said."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.cups_server import Cups, missing_tools, printed_files, private_cups

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0,
    reason="cups-pdf, CUPS's PDF printer, runs its backend as root only (make test and CI run as root)",
)


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    missing = missing_tools()
    assert not missing, f"missing print tools: {', '.join(missing)} (run scripts/install-system-deps.sh test)"
    with private_cups() as server:
        yield server


def app(cups: Cups, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", *args],
        env=cups.env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def exported(cups: Cups, tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "export.pdf"
    result = app(cups, "export", *args, "-o", str(target))
    assert result.returncode == 0, result.stderr
    return target


def clear(cups: Cups) -> None:
    for old in cups.out.glob("*.pdf"):
        old.unlink()


def test_the_falc_msp_handout_reaches_the_printer_as_its_pdf(cups: Cups, tmp_path: Path, real_db) -> None:
    clear(cups)
    export = exported(cups, tmp_path, "msp", "--falc")
    pages = pdf_pages(export)
    result = app(cups, "print", "msp", "--falc", "--printer", "pdf")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Impression envoyée à « pdf » ({pages} page{'s' if pages > 1 else ''})."
    (printed,) = printed_files(cups, 1)
    assert pdf_pages(printed) == pages
    text = pdf_text(printed)
    msp = real_db.fiche("msp")
    falc_lines = [line for section in msp.sections for line in section.falc]
    assert len(falc_lines) >= 5
    for line in falc_lines[:5]:
        assert " ".join(line.lstrip("- ").split()) in text
    assert printed.stat().st_size <= 2 * export.stat().st_size


def test_the_standard_booklet_reaches_the_printer_whole(cups: Cups, tmp_path: Path, real_db) -> None:
    clear(cups)
    export = exported(cups, tmp_path, "--all")
    pages = pdf_pages(export)
    result = app(cups, "print", "--all", "--printer", "pdf")
    assert result.returncode == 0, result.stderr
    assert f"({pages} pages)" in result.stdout
    (printed,) = printed_files(cups, 1, timeout=300)
    assert pdf_pages(printed) == pages
    assert "Maison de santé pluriprofessionnelle" in pdf_text(printed)
    assert printed.stat().st_size <= 2 * export.stat().st_size


def test_a_queue_that_refuses_jobs_is_said_and_nothing_prints(cups: Cups) -> None:
    clear(cups)
    result = app(cups, "print", "msp", "--falc", "--printer", "closed")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "Impression impossible : l’imprimante « closed » refuse les impressions pour le moment (file d’attente fermée)."
    )
    assert not list(cups.out.glob("*.pdf"))


def test_a_printer_that_fails_the_job_is_said_and_no_job_is_left(cups: Cups) -> None:
    result = app(cups, "print", "sas", "--falc", "--printer", "broken")
    assert result.returncode == 1
    assert "Impression impossible : l’imprimante « broken » est arrêtée" in result.stderr
    left = subprocess.run(
        ["lpstat", "-W", "not-completed", "-o", "broken"], env=cups.env, capture_output=True, text=True
    )
    assert left.stdout.strip() == ""


def test_an_unknown_printer_is_named(cups: Cups) -> None:
    result = app(cups, "print", "msp", "--printer", "nulle-part")
    assert result.returncode == 1
    assert result.stderr.strip() == "Impression impossible : l’imprimante « nulle-part » n’existe pas."


DESK_PRINT = """
import sys
from PySide6.QtWidgets import QApplication
from fiche_desktop.content import TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.paths import bundled_db
from fiche_desktop.views.export_dialog import ExportDialog

app = QApplication([])
dialog = ExportDialog(ContentDB(bundled_db()), TextVersion.FALC, "msp")

def choose_queue(printer):  # what the user picks in the system's print dialog
    printer.setPrinterName(sys.argv[1])
    return True

dialog.ask_print_options = choose_queue
dialog.print_button.click()
print(dialog.status.text())
"""


def desk_print(cups: Cups, queue: str) -> str:
    """Clicks « Imprimer… » in the desk's print dialog, picking queue in the system dialog; what it says."""
    result = subprocess.run(
        [sys.executable, "-c", DESK_PRINT, queue],
        env={**cups.env, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_desk_print_button_sends_the_pdf_to_the_chosen_queue(cups: Cups) -> None:
    clear(cups)
    assert desk_print(cups, "pdf") == "Impression envoyée à « pdf » (2 pages)."
    (printed,) = printed_files(cups, 1)
    assert pdf_pages(printed) == 2
    assert "Maison de Santé Pluriprofessionnelle" in pdf_text(printed)


def test_the_desk_print_button_says_a_refusal_and_prints_nothing(cups: Cups) -> None:
    clear(cups)
    assert desk_print(cups, "closed") == (
        "Impression impossible : l’imprimante « closed » refuse les impressions pour le moment (file d’attente fermée)."
    )
    assert not list(cups.out.glob("*.pdf"))


# --- The kiosk's « Imprimer » (the same CUPS path, its job checked) ------------------------------


def kiosk_print(qtbot, real_db, cups: Cups, monkeypatch: pytest.MonkeyPatch, queue: str):
    """A kiosk printing to queue presses « Imprimer » on the msp fiche; returns the window once the
    outcome is on screen."""
    from PySide6.QtCore import Qt

    from fiche_desktop import config
    from fiche_desktop.views.kiosk_window import KioskWindow

    monkeypatch.setenv("CUPS_SERVER", cups.env["CUPS_SERVER"])
    w = KioskWindow(real_db, config.KioskConfig(printing=True, printer=queue, read_aloud=False), start_idle=False)
    qtbot.addWidget(w)
    w.show()
    w.open_fiche("msp")
    qtbot.mouseClick(w.bar.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.info_overlay.isVisible() and not w.printing.busy, timeout=60_000)
    return w


def overlay_text(w) -> str:
    return " ".join([w.info_overlay.title.text(), *(label.text() for label in w.info_overlay.lines)])


@pytest.mark.parametrize("queue", ["closed", "broken"])
def test_the_kiosk_says_a_refused_or_failed_print_and_counts_nothing(
    qtbot, real_db, cups: Cups, monkeypatch: pytest.MonkeyPatch, queue: str
) -> None:
    clear(cups)
    w = kiosk_print(qtbot, real_db, cups, monkeypatch, queue)
    try:
        said = overlay_text(w)
        assert said == "L’impression n’a pas marché Votre fiche n’est pas imprimée. Demandez à l’accueil.", said
        assert "imprimée." not in said.replace("n’est pas imprimée.", "")
        assert w.session.pages_printed == 0 and w.printing.quota.ledger.printed_today() == 0
        assert not list(cups.out.glob("*.pdf"))
    finally:
        w.shutdown()


def test_the_kiosk_prints_through_cups_and_counts_the_pages(
    qtbot, real_db, cups: Cups, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear(cups)
    w = kiosk_print(qtbot, real_db, cups, monkeypatch, "pdf")
    try:
        assert overlay_text(w) == "Votre fiche est imprimée Prenez vos feuilles à l’imprimante."
        (printed,) = printed_files(cups, 1)
        assert pdf_pages(printed) == 2 == w.session.pages_printed == w.printing.quota.ledger.printed_today()
        assert "Définition" in pdf_text(printed)  # the FALC handout, the kiosk's default version
    finally:
        w.shutdown()


@pytest.mark.parametrize("queue", ["pdf", ""], ids=["named queue", "default queue"])
def test_a_print_system_that_stops_answering_never_freezes_the_kiosk(
    qtbot, real_db, cups: Cups, monkeypatch: pytest.MonkeyPatch, queue: str
) -> None:
    """cupsd stopped dead (SIGSTOP) while the visitor prints: the window answers all along (the
    job is sent from a thread), then says the print did not work, and nothing is counted."""
    import signal

    from PySide6.QtCore import Qt

    from fiche_desktop import config
    from fiche_desktop.views.kiosk_window import KioskWindow

    conf = str(Path(cups.env["CUPS_SERVER"]).parent / "cupsd.conf")
    daemon = next(
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and conf in (p / "cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
    )
    monkeypatch.setenv("CUPS_SERVER", cups.env["CUPS_SERVER"])
    w = KioskWindow(real_db, config.KioskConfig(printing=True, printer=queue, read_aloud=False), start_idle=False)
    qtbot.addWidget(w, before_close_func=lambda widget: widget.shutdown())
    w.show()
    w.open_fiche("msp")
    os.kill(daemon, signal.SIGSTOP)
    try:
        qtbot.mouseClick(w.bar.print_button, Qt.MouseButton.LeftButton)
        assert w.info_overlay.title.text() == "Impression en cours"
        zoom = w.session.zoom
        qtbot.mouseClick(w.bar.zoom_in_button, Qt.MouseButton.LeftButton)  # answered at once
        assert w.session.zoom > zoom
        qtbot.waitUntil(lambda: not w.printing.busy, timeout=60_000)
        assert overlay_text(w) == "L’impression n’a pas marché Votre fiche n’est pas imprimée. Demandez à l’accueil."
        assert w.session.pages_printed == 0 and w.printing.quota.ledger.printed_today() == 0
    finally:
        os.kill(daemon, signal.SIGCONT)
