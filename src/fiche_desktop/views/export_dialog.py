"""Print / PDF dialog: this fiche, chosen fiches or the whole booklet, standard or FALC."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop import printing
from fiche_desktop.content import TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.printing import spool
from fiche_desktop.views import screen_fit
from fiche_desktop.views.accessibility import mark

log = logging.getLogger(__name__)

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1


class ExportDialog(QDialog):
    """Chooses what to print and in which version; previews and prints, or saves a PDF.

    Works shown non-modally. The file dialog and the preview's exec() sit behind ask_pdf_path() and
    run_preview(), which tests replace.
    """

    exported = Signal(str)  # the PDF written
    printed = Signal(int)  # pages sent to the printer

    def __init__(
        self,
        db: ContentDB,
        version: TextVersion,
        current_slug: str | None = None,
        contact: tuple[str, str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.contact = contact
        self.current_slug = current_slug if current_slug and db.fiche(current_slug) else None
        self.last_pages = 0
        self._print_error: str | None = None
        self._document: tuple[tuple[tuple[str, ...], TextVersion, bool], printing.Document] | None = None
        self.setWindowTitle("Imprimer / exporter en PDF")
        self.setMinimumWidth(520)
        # The choices scroll when the screen is too short (a large zoom); the outcome and the
        # buttons stay in sight below them.
        layout, footer = screen_fit.scrolling_body(self)

        what = QGroupBox("Quoi ?")
        what.setAccessibleName("Quoi ?")
        mark(what, "radio group")
        what_layout = QVBoxLayout(what)
        current = db.fiche(self.current_slug) if self.current_slug else None
        self.this_button = QRadioButton(f"Cette fiche : {current.label}" if current else "Cette fiche")
        self.this_button.setAccessibleName("Imprimer la fiche affichée")
        self.this_button.setEnabled(current is not None)
        self.chosen_button = QRadioButton("Des fiches choisies :")
        self.chosen_button.setAccessibleName("Imprimer les fiches cochées dans la liste")
        self.fiche_list = QListWidget()
        self.fiche_list.setAccessibleName("Fiches à imprimer (cochez-les)")
        self.fiche_list.setMinimumHeight(200)
        for fiche in db.fiche_headers():
            item = QListWidgetItem(fiche.label)
            item.setData(SLUG_ROLE, fiche.slug)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if fiche.slug == self.current_slug else Qt.CheckState.Unchecked)
            self.fiche_list.addItem(item)
        self.fiche_list.itemChanged.connect(lambda _item: self.chosen_button.setChecked(True))
        self.booklet_button = QRadioButton("Livret complet")
        self.booklet_button.setAccessibleName("Imprimer le livret complet")
        booklet_note = QLabel("Couverture, sommaire, toutes les fiches, glossaire, sources et erratum.")
        booklet_note.setObjectName("muted")
        booklet_note.setWordWrap(True)
        booklet_note.setIndent(24)
        self.what_group = QButtonGroup(self)
        for button in (self.this_button, self.chosen_button, self.booklet_button):
            self.what_group.addButton(button)
        what_layout.addWidget(self.this_button)
        what_layout.addWidget(self.chosen_button)
        what_layout.addWidget(self.fiche_list, 1)
        what_layout.addWidget(self.booklet_button)
        what_layout.addWidget(booklet_note)
        (self.this_button if current is not None else self.chosen_button).setChecked(True)
        layout.addWidget(what, 1)

        which = QGroupBox("Quelle version ?")
        which.setAccessibleName("Quelle version ?")
        mark(which, "radio group")
        which_layout = QHBoxLayout(which)
        self.standard_button = QRadioButton("Version standard (professionnels)")
        self.falc_button = QRadioButton("Pour le patient (FALC)")
        self.falc_button.setAccessibleName("Pour le patient : la fiche facile à lire et à comprendre (FALC)")
        self.version_group = QButtonGroup(self)
        for button in (self.standard_button, self.falc_button):
            self.version_group.addButton(button)
            which_layout.addWidget(button)
        (self.falc_button if version is TextVersion.FALC else self.standard_button).setChecked(True)
        layout.addWidget(which)

        if contact and any(x.strip() for x in contact):
            note = "Le bloc « Votre contact » sera imprimé à la fin de chaque fiche (sur la couverture du livret)."
        else:
            note = "Astuce : ajoutez vos coordonnées (Fichier › Votre contact) pour les imprimer sur les fiches."
        self.contact_note = QLabel(note)
        self.contact_note.setObjectName("muted")
        self.contact_note.setWordWrap(True)
        layout.addWidget(self.contact_note)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Résultat de l’impression ou de l’export")
        self.status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.status.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.status.setObjectName("focusableLabel")  # a focus ring (views/style.py)
        footer.addWidget(self.status)
        if not self.printers_available():
            self.show_status(
                "Aucune imprimante n’est installée : l’aperçu reste possible, et vous pouvez "
                "enregistrer un PDF pour l’imprimer ailleurs.",
                focus=False,
            )

        buttons = QHBoxLayout()
        self.print_button = QPushButton("Imprimer…")
        self.print_button.setAccessibleName("Imprimer : choisir l’imprimante et le nombre d’exemplaires")
        self.print_button.clicked.connect(self.print_direct)
        self.preview_button = QPushButton("Aperçu…")
        self.preview_button.setAccessibleName("Voir l’aperçu avant impression, puis imprimer")
        self.preview_button.clicked.connect(self.preview_and_print)
        self.pdf_button = QPushButton("Enregistrer en PDF…")
        self.pdf_button.setAccessibleName("Enregistrer en PDF")
        self.pdf_button.setDefault(True)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.close_button = QPushButton("Fermer")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        footer.addLayout(buttons)
        screen_fit.fit_dialog(self, layout, footer)

    # --- the choice

    def version(self) -> TextVersion:
        return TextVersion.FALC if self.falc_button.isChecked() else TextVersion.STANDARD

    def booklet(self) -> bool:
        return self.booklet_button.isChecked()

    def chosen_slugs(self) -> list[str]:
        """The fiches to print, in display order; every fiche for the booklet."""
        if self.booklet():
            return self.db.slugs()
        if self.this_button.isChecked() and self.current_slug:
            return [self.current_slug]
        slugs = []
        for row in range(self.fiche_list.count()):
            item = self.fiche_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                slugs.append(str(item.data(SLUG_ROLE)))
        return slugs

    def default_file_name(self) -> str:
        suffix = "-falc" if self.version() is TextVersion.FALC else ""
        if self.booklet():
            return f"livret-fiche-desktop{suffix}.pdf"
        slugs = self.chosen_slugs()
        if len(slugs) == 1:
            return f"fiche-{slugs[0]}{suffix}.pdf"
        return f"fiches-{'-'.join(slugs[:4])}{'-etc' if len(slugs) > 4 else ''}{suffix}.pdf"

    def show_status(self, text: str, error: bool = False, *, focus: bool = True) -> None:
        """Shows the outcome where the focus goes: a screen reader speaks it (its name is the text)."""
        from fiche_desktop.views import accessibility

        self.status.setText(text)
        self.status.setAccessibleName(text)
        if focus:
            self.status.setFocus(Qt.FocusReason.OtherFocusReason)
        self.status.setProperty("error", error)  # the theme's error colour (views/style.py)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        # « Impression envoyée… », « PDF enregistré… »: said where the focus is, on its button.
        accessibility.announce(self, text, assertive=error)

    # --- thin wrappers around blocking dialogs (tests replace them)

    def ask_pdf_path(self, default_name: str) -> str:
        """Asks where to save the PDF; '' when cancelled."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            self, "Enregistrer en PDF", str(Path.home() / default_name), "Documents PDF (*.pdf)"
        )
        return path

    def ask_print_options(self, printer: QPrinter) -> bool:
        """The system's print dialog (printer, copies, pages, recto verso); False when cancelled."""
        return self.make_print_dialog(printer).exec() == QDialog.DialogCode.Accepted

    def make_print_dialog(self, printer: QPrinter) -> QDialog:
        """The system's print dialog, made to fit the screen at any zoom step (Qt's cannot scroll)."""
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Imprimer")
        screen_fit.shrink_to_screen(dialog)
        return dialog

    def run_preview(self, preview: QPrintPreviewDialog) -> bool:
        """Shows the preview until it is closed; True when the user printed from it."""
        return preview.exec() == QDialog.DialogCode.Accepted

    def printers_available(self) -> bool:
        return bool(QPrinterInfo.availablePrinters())

    # --- actions

    def save_pdf(self) -> bool:
        """Saves the choice as a PDF; True when a file was written."""
        slugs = self.chosen_slugs()
        if not slugs:
            self.show_status("Cochez au moins une fiche à enregistrer.", error=True)
            return False
        path = self.ask_pdf_path(self.default_file_name())
        if not path:
            self.show_status("Enregistrement annulé : aucun fichier n’a été écrit.")
            return False
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            with _busy():
                pages = printing.export_fiches_pdf(
                    self.db, slugs, self.version(), target, booklet=self.booklet(), contact=self.contact
                )
        except printing.PrintError as e:
            self.show_status(str(e), error=True)
            return False
        except Exception:
            log.exception("PDF export failed")
            self.show_status("L’export PDF a échoué à cause d’une erreur inattendue.", error=True)
            return False
        self.last_pages = pages
        self.show_status(f"PDF enregistré : {target} ({pages} page{'s' if pages > 1 else ''}).")
        self.exported.emit(str(target))
        return True

    def make_printer(self) -> QPrinter:
        """A high-resolution printer on A4 portrait (a PDF file when no printer is installed)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if not self.printers_available():
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(Path.home() / self.default_file_name()))
        from PySide6.QtGui import QPageLayout, QPageSize

        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setDocName(self.default_file_name().removesuffix(".pdf"))
        return printer

    def document(self) -> printing.Document:
        """The chosen pages, set by typst (once per choice: the preview repaints them often)."""
        key = (tuple(self.chosen_slugs()), self.version(), self.booklet())
        if self._document is None or self._document[0] != key:
            doc = printing.fiches_document(self.db, list(key[0]), key[1], booklet=key[2], contact=self.contact)
            self._document = (key, doc)
        return self._document[1]

    def make_preview(self, printer: QPrinter) -> QPrintPreviewDialog:
        preview = QPrintPreviewDialog(printer, self)
        preview.setWindowTitle("Aperçu avant impression")
        preview.paintRequested.connect(self.paint)
        name_preview_controls(preview)
        keyboard_print(preview)
        screen_fit.fit_preview(preview)
        return preview

    def paint(self, printer: QPrinter) -> None:
        """Paints the choice on printer (the preview's, then the real one); errors are kept for later."""
        from fiche_desktop.gui import paper

        try:
            self.last_pages = paper.print_document(self.document(), printer)
        except printing.PrintError as e:
            self._print_error = str(e)
        except Exception:
            log.exception("printing failed")
            self._print_error = "une erreur inattendue s’est produite."

    def print_direct(self) -> bool:
        """Asks for the printer, then prints: where CUPS runs, the printer receives typst's PDF itself
        (text, tags and links kept; the job the size of the file); elsewhere Qt paints the pages.
        True when the printer took the job."""
        if not self.chosen_slugs():
            self.show_status("Cochez au moins une fiche à imprimer.", error=True)
            return False
        printer = self.make_printer()
        if not self.ask_print_options(printer):
            self.show_status("Impression annulée : rien n’a été envoyé à l’imprimante.")
            return False
        try:
            with _busy():
                document = self.document()
                if spool.available() and printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
                    job = printing.send_to_printer(
                        document,
                        printer=printer.printerName() or None,
                        copies=max(1, printer.copyCount()),
                        sides=_sides(printer),
                        page_ranges=_page_ranges(printer),
                    )
                    self.last_pages = job.pages
                    message = printing.printed_message(job)
                else:
                    from fiche_desktop.gui import paper

                    self.last_pages = paper.print_document(document, printer)
                    message = self._painted_message(printer)
        except printing.PrintError as e:
            reason = str(e)[:1].lower() + str(e)[1:]
            self.show_status(f"Impression impossible : {reason}", error=True)
            return False
        except Exception:
            log.exception("printing failed")
            self.show_status("Impression impossible : une erreur inattendue s’est produite.", error=True)
            return False
        self.show_status(message)
        self.printed.emit(self.last_pages)
        return True

    def _painted_message(self, printer: QPrinter) -> str:
        pages = f"{self.last_pages} page{'s' if self.last_pages > 1 else ''}"
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            return f"Document enregistré en PDF : {printer.outputFileName()} ({pages})."
        return f"Impression envoyée à « {printer.printerName()} » ({pages})."

    def preview_and_print(self) -> bool:
        """Shows the preview, from which the user prints; True when it was printed."""
        if not self.chosen_slugs():
            self.show_status("Cochez au moins une fiche à imprimer.", error=True)
            return False
        self._print_error = None
        printer = self.make_printer()
        preview = self.make_preview(printer)
        printed = self.run_preview(preview)
        preview.deleteLater()
        if self._print_error:
            reason = self._print_error[:1].lower() + self._print_error[1:]
            self.show_status(f"Impression impossible : {reason}", error=True)
            return False
        if printer.printerState() == QPrinter.PrinterState.Error:
            self.show_status(
                "L’impression a échoué : vérifiez que l’imprimante est allumée et reliée, ou enregistrez un PDF.",
                error=True,
            )
            return False
        if not printed:
            self.show_status("Impression annulée : rien n’a été envoyé à l’imprimante.")
            return False
        self.show_status(self._painted_message(printer))
        self.printed.emit(self.last_pages)
        return True


def _sides(printer: QPrinter) -> str | None:
    """The recto verso chosen in the system dialog, in spool's words."""
    duplex = printer.duplex()
    if duplex == QPrinter.DuplexMode.DuplexLongSide:
        return "long"
    if duplex == QPrinter.DuplexMode.DuplexShortSide:
        return "short"
    if duplex == QPrinter.DuplexMode.DuplexNone:
        return "one"
    return None  # DuplexAuto: the queue's own setting


def _page_ranges(printer: QPrinter) -> str | None:
    """The pages chosen in the system dialog (« 2-3 »), or None for all."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        return f"{printer.fromPage()}-{max(printer.fromPage(), printer.toPage())}"
    return None


def keyboard_print(preview: QPrintPreviewDialog) -> None:
    """Qt's preview prints only from a toolbar button that Tab never reaches: the button takes the
    focus like any other, and Ctrl+P (the platform's Print key) prints from anywhere in the preview."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QToolBar

    for bar in preview.findChildren(QToolBar):
        actions = [a for a in bar.actions() if a.text()]
        if not actions:
            continue
        print_action = actions[-1]  # Qt's preview ends its toolbar with « Imprimer »
        print_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Print))
        button = bar.widgetForAction(print_action)
        if button is not None:
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setAccessibleName("Imprimer (Ctrl+P)")


def name_preview_controls(preview: QPrintPreviewDialog) -> None:
    """Names what Qt's preview leaves unnamed for a screen reader: its toolbar and the button
    that shows the toolbar's hidden buttons, the zoom, the page number, the pages."""
    from PySide6.QtPrintSupport import QPrintPreviewWidget
    from PySide6.QtWidgets import QComboBox, QGraphicsView, QLineEdit, QToolBar, QToolButton

    for bar in preview.findChildren(QToolBar):
        bar.setAccessibleName("Barre d’outils de l’aperçu")
        extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        if extension is not None:
            extension.setAccessibleName("Autres boutons de la barre d’outils")
    for combo in preview.findChildren(QComboBox):
        combo.setAccessibleName("Zoom")
        line = combo.lineEdit()
        if line is not None:
            line.setAccessibleName("Zoom")
        combo.view().setAccessibleName("Niveaux de zoom")
    for field in preview.findChildren(QLineEdit):
        if not field.accessibleName():
            field.setAccessibleName("Numéro de la page affichée")
    for view in (*preview.findChildren(QPrintPreviewWidget), *preview.findChildren(QGraphicsView)):
        view.setAccessibleName("Pages de l’aperçu")
        if isinstance(view, QGraphicsView):
            view.viewport().setAccessibleName("Pages de l’aperçu")


@contextmanager
def _busy() -> Iterator[None]:
    """A wait cursor while a PDF is being written."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()
