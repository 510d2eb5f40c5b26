"""Printing from the window: the print / PDF dialog, the preview, the 'Votre contact' settings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication

from fiche_desktop import config, paths, printing
from fiche_desktop.content import TextVersion
from fiche_desktop.gui import paper
from fiche_desktop.views.export_dialog import ExportDialog
from fiche_desktop.views.main_window import MainWindow
from fiche_desktop.views.settings_dialog import SettingsDialog
from tests.gui.helpers import type_text


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))  # type: ignore[union-attr]


def pdf_page_size(path: Path) -> tuple[int, int]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", out)
    assert match
    return round(float(match.group(1))), round(float(match.group(2)))


def page_image(pdf: Path, number: int, folder: Path) -> QImage:
    """Page number of pdf as poppler draws it in grey, at 80 dpi, then scaled down four times: the layout
    of the page, not the way glyphs (fonts in typst's PDF, outlines in Qt's) are anti-aliased."""
    stem = folder / f"{pdf.stem}-{number}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            str(number),
            "-l",
            str(number),
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    image = QImage(str(stem) + ".png")
    return image.scaled(
        image.width() // 4,
        image.height() // 4,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


def difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference of two grey images of one size, from 0 (same) to 255."""
    assert (a.width(), a.height()) == (b.width(), b.height())
    total = sum(
        abs((a.pixel(x, y) & 0xFF) - (b.pixel(x, y) & 0xFF)) for y in range(a.height()) for x in range(a.width())
    )
    return total / (a.width() * a.height())


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_ctrl_p_opens_the_dialog_on_the_current_fiche(qtbot, window: MainWindow) -> None:
    window.open_fiche("msp")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.export_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.this_button.isChecked() and "MSP" in dialog.this_button.text()
    assert dialog.chosen_slugs() == ["msp"]
    assert dialog.version() is TextVersion.STANDARD


def test_the_fiche_print_button_and_the_file_menu_open_it_too(qtbot, window: MainWindow) -> None:
    window.set_version(TextVersion.FALC)
    window.open_fiche("dac")
    qtbot.mouseClick(window.fiche_view.print_button, Qt.MouseButton.LeftButton)
    dialog = window.export_dialog
    assert dialog is not None and dialog.chosen_slugs() == ["dac"]
    assert dialog.version() is TextVersion.FALC  # the window's current version
    file_menu = window.menus[0]
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts == [
        "Imprimer / exporter en PDF…",
        "Votre contact (pour les impressions)…",
        "Contacts utiles…",
        "Quitter",
    ]
    assert window.desk_actions.print.shortcut().toString() == "Ctrl+P"


def test_the_dialog_saves_the_current_fiche_as_pdf(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.open_fiche("telesante")
    dialog = window.open_print_dialog()
    target = tmp_path / "telesante"  # the .pdf suffix is added
    asked: list[str] = []
    dialog.ask_pdf_path = lambda default: asked.append(default) or str(target)  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.exported, timeout=10000) as signal:
        qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    written = Path(signal.args[0])
    assert written == tmp_path / "telesante.pdf" and asked == ["fiche-telesante.pdf"]
    assert written.read_bytes().startswith(b"%PDF")
    text = pdf_text(written)
    assert "La télésanté" in text and "Version standard" in text
    assert "PDF enregistré" in dialog.status.text()
    assert "PDF enregistré" in window.statusBar().currentMessage()


def test_chosen_fiches_in_falc(qtbot, real_db, tmp_path: Path) -> None:
    dialog = ExportDialog(real_db, TextVersion.STANDARD)
    qtbot.addWidget(dialog)
    assert not dialog.this_button.isEnabled() and dialog.chosen_button.isChecked()
    for row in range(dialog.fiche_list.count()):
        item = dialog.fiche_list.item(row)
        if item.text().startswith(("MSP", "SAS")):
            item.setCheckState(Qt.CheckState.Checked)
    dialog.falc_button.setChecked(True)
    assert dialog.chosen_slugs() == ["msp", "sas"]
    assert dialog.default_file_name() == "fiches-msp-sas-falc.pdf"
    dialog.ask_pdf_path = lambda default: str(tmp_path / default)  # type: ignore[method-assign]
    assert dialog.save_pdf()
    text = pdf_text(tmp_path / "fiches-msp-sas-falc.pdf")
    assert text.count("Facile à lire et à comprendre (FALC)") == 2  # the two patient handouts
    assert "SAS – Service" in text and "MSP – Maison" in text and "Pas de version FALC" not in text


def test_nothing_chosen_cancelled_and_unwritable_say_so(qtbot, real_db, tmp_path: Path) -> None:
    dialog = ExportDialog(real_db, TextVersion.STANDARD)
    qtbot.addWidget(dialog)
    dialog.ask_pdf_path = lambda default: ""  # type: ignore[method-assign]
    assert not dialog.save_pdf()
    assert "Cochez au moins une fiche" in dialog.status.text()
    dialog.booklet_button.setChecked(True)
    assert not dialog.save_pdf()
    assert "Enregistrement annulé" in dialog.status.text()
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    dialog.ask_pdf_path = lambda default: str(blocker / "livret.pdf")  # type: ignore[method-assign]
    assert not dialog.save_pdf()
    assert "Impossible d’écrire" in dialog.status.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fichier"]


def test_the_print_preview_paints_the_typst_pages_of_the_patient_handout(qtbot, real_db) -> None:
    dialog = ExportDialog(real_db, TextVersion.STANDARD, "msp")
    qtbot.addWidget(dialog)
    assert dialog.falc_button.text() == "Pour le patient (FALC)"
    dialog.falc_button.setChecked(True)
    expected = printing.fiches_document(real_db, ["msp"], TextVersion.FALC).page_count
    seen: dict[str, object] = {}

    def look(preview: QPrintPreviewDialog) -> bool:
        preview.show()
        qtbot.waitUntil(lambda: dialog.last_pages > 0, timeout=10000)  # the preview asked for the pages
        widget = preview.findChild(QPrintPreviewWidget)
        qtbot.waitUntil(lambda: widget.pageCount() == expected, timeout=10000)
        image = widget.grab().toImage()
        seen["title"] = preview.windowTitle()
        seen["dark"] = sum(
            1
            for y in range(0, image.height(), 4)
            for x in range(0, image.width(), 4)
            if QImage.pixel(image, x, y) & 0xFF < 100
        )
        preview.reject()
        return False  # closed without printing

    dialog.run_preview = look  # type: ignore[method-assign]
    assert not dialog.preview_and_print()
    assert seen["title"] == "Aperçu avant impression"
    assert dialog.last_pages == expected == 2
    assert int(seen["dark"]) > 30  # type: ignore[call-overload]  # text and the title band, painted
    assert "Impression annulée" in dialog.status.text()


@pytest.mark.skipif(sys.platform == "win32", reason="reads the printed PDF with poppler's pdfinfo (Debian package)")
def test_printing_from_the_preview_paints_the_pdf_pages(qtbot, real_db, tmp_path: Path) -> None:
    """With no printer installed, Qt prints to a PDF file: typst's own pages land there, as in its PDF."""
    contact = ("Cabinet du Parc", "", "01 02 03 04 05")
    dialog = ExportDialog(real_db, TextVersion.STANDARD, "cds", contact=contact)
    qtbot.addWidget(dialog)
    out = tmp_path / "imprime.pdf"
    dialog.make_printer = lambda: pdf_printer(out)  # type: ignore[method-assign]

    def print_it(preview: QPrintPreviewDialog) -> bool:
        dialog.paint(preview.printer())  # what the preview's Print button does
        return True

    dialog.run_preview = print_it  # type: ignore[method-assign]
    assert dialog.preview_and_print()
    assert "Document enregistré en PDF" in dialog.status.text()
    document = printing.fiches_document(real_db, ["cds"], TextVersion.STANDARD, contact=contact)
    typeset = tmp_path / "typst.pdf"
    document.write_pdf(typeset)
    other = tmp_path / "autre.pdf"
    printing.fiches_document(real_db, ["dac"], TextVersion.STANDARD).write_pdf(other)
    assert pdf_pages(out) == document.page_count == dialog.last_pages
    assert pdf_page_size(out) == (595, 842)
    for number in (1, document.page_count):
        printed, expected = page_image(out, number, tmp_path), page_image(typeset, number, tmp_path)
        assert difference(printed, expected) < 6, number  # the very page of the PDF
    assert difference(page_image(out, 1, tmp_path), page_image(other, 1, tmp_path)) > 10  # (another page is not)


@pytest.mark.skipif(sys.platform == "win32", reason="reads the printed PDF with poppler's pdfinfo (Debian package)")
def test_the_comparison_prints_on_landscape_pages(qtbot, real_db, tmp_path: Path) -> None:
    document = printing.comparison_document(real_db, ["esp", "msp", "cds", "cpts", "dac", "sas"], TextVersion.STANDARD)
    out = tmp_path / "comparaison.pdf"
    printer = pdf_printer(out)
    assert paper.print_document(document, printer) == document.page_count
    assert pdf_pages(out) == document.page_count and pdf_page_size(out) == (842, 595)


# The printer refuses the pages: Qt warns as it refuses, which is what this test provokes.
@pytest.mark.qt_log_ignore(r"^QPainter::begin\(\): Returned false$")
def test_a_failed_print_gets_a_french_message(qtbot, real_db, tmp_path: Path) -> None:
    dialog = ExportDialog(real_db, TextVersion.STANDARD, "cds")
    qtbot.addWidget(dialog)
    dialog.make_printer = lambda: pdf_printer(tmp_path / "absent" / "dossier" / "x.pdf")  # type: ignore[method-assign]

    def print_it(preview: QPrintPreviewDialog) -> bool:
        dialog.paint(preview.printer())
        return True

    dialog.run_preview = print_it  # type: ignore[method-assign]
    assert not dialog.preview_and_print()
    assert dialog.status.text().startswith("Impression impossible")
    assert not (tmp_path / "absent").exists()


def test_contact_settings_are_saved_and_printed(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.open_fiche("msp")
    settings_dialog = window.open_contact_settings()
    assert isinstance(settings_dialog, SettingsDialog) and settings_dialog.isVisible()
    names = {
        f.accessibleName()
        for f in (settings_dialog.name_field, settings_dialog.address_field, settings_dialog.phone_field)
    }
    assert names == {"Nom du cabinet ou de la structure", "Adresse", "Téléphone"}
    type_text(settings_dialog.name_field, "Maison de santé des Tilleuls")
    type_text(settings_dialog.address_field, "12 rue des Lilas, 34000 Montpellier")
    type_text(settings_dialog.phone_field, "04 67 00 00 00")
    qtbot.mouseClick(settings_dialog.save_button, Qt.MouseButton.LeftButton)
    assert not settings_dialog.isVisible()
    saved = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert saved["contact_name"] == "Maison de santé des Tilleuls"
    assert saved["contact_phone"] == "04 67 00 00 00"
    assert window.settings.contact_address == "12 rue des Lilas, 34000 Montpellier"
    dialog = window.open_print_dialog()
    dialog.ask_pdf_path = lambda default: str(tmp_path / default)  # type: ignore[method-assign]
    assert dialog.save_pdf()
    text = pdf_text(tmp_path / "fiche-msp.pdf")
    assert "Votre contact" in text and "Maison de santé des Tilleuls" in text and "04 67 00 00 00" in text


def test_cancelled_contact_settings_change_nothing(qtbot, real_db) -> None:
    settings = config.Settings(contact_name="Avant")
    saved: list[config.Settings] = []
    dialog = SettingsDialog(settings, saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name_field, " et après")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert settings.contact_name == "Avant" and saved == []


def test_an_unwritable_settings_folder_keeps_the_dialog_open(qtbot) -> None:
    settings = config.Settings()

    def fail(_settings: config.Settings) -> None:
        raise PermissionError(13, "Permission non accordée")

    dialog = SettingsDialog(settings, fail)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name_field, "Cabinet")
    assert not dialog.save()
    assert dialog.isVisible() and "non enregistrées" in dialog.error.text()
    assert settings.contact_name == ""
    QApplication.processEvents()


@pytest.mark.skipif(sys.platform == "win32", reason="reads the printed PDF with poppler's pdfinfo (Debian package)")
def test_the_comparison_screen_saves_its_pdf_through_typst(qtbot, window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "comparaison.pdf"
    window.ask_save_path = lambda title, default: str(target)  # type: ignore[method-assign]
    window.export_comparison(["esp", "msp", "cds"], TextVersion.FALC)
    assert pdf_page_size(target) == (595, 842)  # FALC: one block per structure, on A4 portrait
    assert "Tagged:          yes" in subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    assert "Comparaison enregistrée" in window.statusBar().currentMessage()
