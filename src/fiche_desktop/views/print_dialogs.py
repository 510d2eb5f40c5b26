"""The desk's printing: the print / PDF dialog, the comparison's PDF, the contact printed on handouts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fiche_desktop.content import TextVersion
from fiche_desktop.navigation import Page

if TYPE_CHECKING:
    from fiche_desktop.views.export_dialog import ExportDialog
    from fiche_desktop.views.main_window import MainWindow
    from fiche_desktop.views.settings_dialog import SettingsDialog


class PrintDialogs:
    """The dialogs open without blocking; what they write is said in the window's status bar.
    Where to save a PDF is asked by the window's ask_save_path() (tests replace it)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.export_dialog: ExportDialog | None = None
        self.contact_dialog: SettingsDialog | None = None

    def open_print_dialog(self) -> ExportDialog:
        """Opens the print / PDF dialog (non-modal), on the current fiche when one is shown."""
        from fiche_desktop.views.export_dialog import ExportDialog

        w = self.window
        contact = w.settings.contact()
        current = w.location.slug if w.location.page == Page.FICHE else None
        if self.export_dialog is not None:
            self.export_dialog.close()
            self.export_dialog.deleteLater()
        dialog = ExportDialog(w.db, w.version, current, contact, w)
        dialog.exported.connect(lambda path: w.statusBar().showMessage(f"PDF enregistré : {path}", 10000))
        self.export_dialog = dialog
        dialog.show()
        return dialog

    def export_comparison(self, slugs: list[str], version: TextVersion) -> None:
        """The comparison of slugs in version, as a PDF where the user says."""
        from pathlib import Path

        from fiche_desktop import printing

        w = self.window
        suffix = "-falc" if version is TextVersion.FALC else ""
        path = w.ask_save_path("Enregistrer la comparaison en PDF", f"comparaison-{'-'.join(slugs)}{suffix}.pdf")
        if not path:
            return
        try:
            printing.export_comparison_pdf(w.db, slugs, version, Path(path))
        except printing.PrintError as e:
            w.statusBar().show_error(str(e))
            return
        w.statusBar().showMessage(f"Comparaison enregistrée : {path}", 10000)

    def open_contact_settings(self) -> SettingsDialog:
        """Opens the 'Votre contact' settings (window-modal, without blocking)."""
        from fiche_desktop.views.settings_dialog import SettingsDialog

        w = self.window
        dialog = SettingsDialog(w.settings, w.save_settings, w)
        dialog.accepted.connect(lambda: w.statusBar().showMessage("Coordonnées enregistrées.", 8000))
        self.contact_dialog = dialog
        dialog.open()
        return dialog
