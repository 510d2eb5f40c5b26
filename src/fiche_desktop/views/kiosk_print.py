"""The kiosk's « Imprimer »: the fiche on screen to the default printer, within the allowed pages.

Where CUPS runs, typst's PDF itself goes to the queue through printing.spool (as the desk's): the
job is watched, and a queue that refuses it or stops on it is said to the visitor and counts
nothing. The job is sent from a thread of its own (`lp` and `lpstat` may take seconds): the
window goes on answering meanwhile. Elsewhere (Windows), Qt's printer paints typst's pages."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from fiche_desktop import config
from fiche_desktop.content import Fiche, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.kiosk.prints import PrintQuota
from fiche_desktop.kiosk.session import Session
from fiche_desktop.views.kiosk_overlays import InfoOverlay

if TYPE_CHECKING:
    from fiche_desktop.printing import Document

log = logging.getLogger("fiche_desktop.kiosk")


class CupsQueue(NamedTuple):
    """A CUPS queue by name; '' for the system's default, looked up with the job, off the GUI thread."""

    name: str


NOT_PRINTED = ("L’impression n’a pas marché", ["Votre fiche n’est pas imprimée.", "Demandez à l’accueil."])


class KioskPrinting(QObject):
    """Prints a fiche as typst sets it for paper (the FALC handout in FALC), within the visit's
    and the day's page allowances (the quota's), and tells the visitor the outcome on info."""

    _job_done = Signal(object, object, str)  # session, job (printing.spool.Job) or None, reason

    def __init__(self, db: ContentDB, cfg: config.KioskConfig, info: InfoOverlay) -> None:
        super().__init__(info)
        self.db = db
        self.quota = PrintQuota(cfg)
        self.queue = cfg.printer  # kiosk.toml's print queue ('': the system's default)
        self.info = info
        self.busy = False
        self._job_done.connect(self._on_job_done)

    def print_fiche(self, fiche: Fiche, version: TextVersion, session: Session) -> None:
        """Prints fiche for the visit of session, or says why not."""
        if self.busy:
            self.info.show_message("Impression en cours", ["Votre fiche part à l’imprimante.", "Attendez un instant."])
            return
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
            if isinstance(printer, CupsQueue):  # the job is checked, off the GUI thread
                self._send(printer.name or None, self.document(fiche, version), session)
                return
            printed = self.print_on(printer, fiche, version)
        except Exception:
            log.exception("Échec de l’impression")
            self.info.show_message(*NOT_PRINTED)
            return
        self._printed(session, printed)

    def _printed(self, session: Session, pages: int, waiting: bool = False) -> None:
        self.quota.record(session, pages)
        if waiting:
            self.info.show_message(
                "Votre fiche part à l’imprimante",
                ["L’imprimante ne l’a pas encore prise.", "Si rien ne sort, demandez à l’accueil."],
            )
            return
        self.info.show_message(
            "Votre fiche est imprimée",
            ["Prenez votre feuille à l’imprimante." if pages <= 1 else "Prenez vos feuilles à l’imprimante."],
        )

    # --- CUPS

    def _send(self, queue: str | None, document: Document, session: Session) -> None:
        from fiche_desktop import printing

        pdf, title, pages = document.pdf(), document.title, document.page_count

        def send() -> None:
            try:
                job = printing.spool.send_pdf(pdf, title=title, pages=pages, printer=queue)
            except printing.PrintError as e:
                self._job_done.emit(session, None, str(e))
            except Exception as e:  # noqa: BLE001 - said to the visitor, logged with its kind
                self._job_done.emit(session, None, f"{e.__class__.__name__}: {e}")
            else:
                self._job_done.emit(session, job, "")

        self.busy = True
        self.info.show_message("Impression en cours", ["Votre fiche part à l’imprimante.", "Attendez un instant."])
        threading.Thread(target=send, name="kiosk-print", daemon=True).start()

    def _on_job_done(self, session: Session, job: object, reason: str) -> None:
        self.busy = False
        if job is None:
            log.warning("Impression refusée ou échouée (rien n’est compté) : %s", reason)
            self.info.show_message(*NOT_PRINTED)
            return
        log.info("Impression envoyée : file « %s », travail %s", job.printer, job.job_id)  # type: ignore[attr-defined]
        self._printed(session, int(job.pages), waiting=bool(job.waiting))  # type: ignore[attr-defined]

    # --- the printer

    def make_printer(self) -> object | None:
        """Where CUPS runs, its queue (kiosk.toml's printer, else the system's default: asked for
        with the job, never here, where a stopped cupsd would hold the window); elsewhere Qt's
        default printer; None when there is none (tests replace this)."""
        from fiche_desktop.printing import spool

        if spool.available():
            return CupsQueue(self.queue)
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
