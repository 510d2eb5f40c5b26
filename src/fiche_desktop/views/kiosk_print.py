"""The kiosk's « Imprimer »: the fiche on screen to the default printer, within the allowed pages."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fiche_desktop import config
from fiche_desktop.content import Fiche, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.kiosk.prints import PrintQuota
from fiche_desktop.kiosk.session import Session
from fiche_desktop.views.kiosk_overlays import InfoOverlay

if TYPE_CHECKING:
    from fiche_desktop.printing import Document

log = logging.getLogger("fiche_desktop.kiosk")


class KioskPrinting:
    """Prints a fiche as typst sets it for paper (the FALC handout in FALC), within the visit's
    and the day's page allowances (the quota's), and tells the visitor the outcome on info."""

    def __init__(self, db: ContentDB, cfg: config.KioskConfig, info: InfoOverlay) -> None:
        self.db = db
        self.quota = PrintQuota(cfg)
        self.info = info

    def print_fiche(self, fiche: Fiche, version: TextVersion, session: Session) -> None:
        """Prints fiche for the visit of session, or says why not."""
        printer = self.make_printer()
        if printer is None:
            log.warning("Impression demandée, mais aucune imprimante n’est installée")
            self.info.show_message(
                "L’imprimante ne marche pas", ["Vous ne pouvez pas imprimer pour le moment.", "Demandez à l’accueil."]
            )
            return
        allowance = self.quota.allowance(session)
        try:
            pages = self.count_pages(fiche, version) if allowance.left else 0
            if not allowance.allows(pages):
                self.info.show_message("Impression impossible", self.quota.refuse(allowance, pages))
                return
            printed = self.print_on(printer, fiche, version)
        except Exception:
            log.exception("Échec de l’impression")
            self.info.show_message(
                "L’impression n’a pas marché", ["Votre fiche n’est pas imprimée.", "Demandez à l’accueil."]
            )
            return
        self.quota.record(session, printed)
        self.info.show_message(
            "Votre fiche est imprimée",
            ["Prenez votre feuille à l’imprimante." if printed <= 1 else "Prenez vos feuilles à l’imprimante."],
        )

    def make_printer(self) -> object | None:
        """The system's default printer, or None when there is none (tests replace this)."""
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        info = QPrinterInfo.defaultPrinter()
        if info.isNull():
            return None
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Fiche Desktop")
        return printer

    def document(self, fiche: Fiche, version: TextVersion) -> Document:
        """fiche as typst sets it for paper (the FALC handout in FALC)."""
        from fiche_desktop import printing  # typst: loaded on the first print, not at start-up

        return printing.fiches_document(self.db, [fiche.slug], version)

    def count_pages(self, fiche: Fiche, version: TextVersion) -> int:
        """How many pages the fiche takes: the typst document's own page count."""
        return int(self.document(fiche, version).page_count)

    def print_on(self, printer: object, fiche: Fiche, version: TextVersion) -> int:
        """Prints fiche on printer (typst's pages, painted by gui.paper); the page count."""
        from fiche_desktop.gui import paper

        return paper.print_document(self.document(fiche, version), printer)  # type: ignore[arg-type]
