"""The kiosk's print allowance, without Qt: pages per visit and per day, the day's count kept on disk."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fiche_desktop import config, files, paths
from fiche_desktop.kiosk.session import Session, log

PRINTS_FILE = "kiosk-prints.json"
_PRINTS_MAX_BYTES = 4096


class PrintLedger:
    """The pages printed today by every visit together, kept in a small JSON file written
    atomically, so that neither the idle reset nor a restart gives a new daily allowance.

    A file that cannot be read counts as nothing printed yet (with a warning); a file that
    cannot be written keeps the count in memory until the next restart (with a warning)."""

    def __init__(self, path: Path | None = None, today: Callable[[], datetime.date] | None = None) -> None:
        self.path = path or paths.kiosk_state_dir() / PRINTS_FILE
        self._today = today or datetime.date.today
        self._memory: tuple[str, int] = ("", 0)

    def _day(self) -> str:
        return self._today().isoformat()

    def _read(self, day: str) -> int:
        try:
            raw = files.read_controlled_file(self.path, _PRINTS_MAX_BYTES)  # never a blocking open
        except FileNotFoundError:
            return 0
        except OSError as e:
            log.warning("Compteur d’impressions illisible (%s) : %s", self.path, e.strerror or e)
            return 0
        try:
            if len(raw) > _PRINTS_MAX_BYTES:
                raise ValueError("trop grand")
            data = json.loads(raw.decode("utf-8"))
            pages = data["pages"]
            if not isinstance(pages, int) or isinstance(pages, bool) or not 0 <= pages <= 10**9:
                raise ValueError("nombre de pages invalide")
            return pages if data.get("day") == day else 0
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
            log.warning("Compteur d’impressions illisible (%s) : remis à zéro", self.path)
            return 0

    def printed_today(self) -> int:
        day = self._day()
        memory = self._memory[1] if self._memory[0] == day else 0
        return max(memory, self._read(day))

    def add(self, pages: int) -> int:
        """Counts pages printed now; returns today's total."""
        day = self._day()
        total = self.printed_today() + max(0, pages)
        self._memory = (day, total)
        data = json.dumps({"day": day, "pages": total}) + "\n"
        try:
            paths.write_atomic(self.path, data.encode("utf-8"))
        except OSError as e:
            log.warning(
                "Compteur d’impressions non enregistré (%s) : %s ; compté en mémoire jusqu’au redémarrage",
                self.path,
                e.strerror or e,
            )
        return total


@dataclass(frozen=True)
class Allowance:
    """The pages a visit may still print now: the smaller of the visit's and the day's."""

    left: int
    by_day: bool  # the day's allowance (every visit together) is the smaller one

    def allows(self, pages: int) -> bool:
        return 0 < self.left and pages <= self.left

    def refusal(self, pages: int) -> list[str]:
        """What the visitor reads when a print of pages pages (0: not counted) is refused."""
        lines = []
        if pages:
            lines.append(f"Cette fiche a {pages} pages." if pages > 1 else "Cette fiche a 1 page.")
        if self.left:
            more = f"{self.left} page{'s' if self.left > 1 else ''}"
            lines.append(
                f"Aujourd’hui, on peut encore imprimer {more}."
                if self.by_day
                else f"Vous pouvez encore imprimer {more}."
            )
        elif self.by_day:
            lines.append("Toutes les pages permises aujourd’hui sont imprimées.")
        else:
            lines.append("Vous avez déjà imprimé toutes les pages permises.")
        lines.append("Demandez à l’accueil si vous avez besoin de cette fiche.")
        return lines


class PrintQuota:
    """The configured page limits, per visit (counted in the visit's Session, which a reset
    replaces) and per day (counted by the ledger: waiting for the reset gives nothing more)."""

    def __init__(self, cfg: config.KioskConfig, ledger: PrintLedger | None = None) -> None:
        self.per_visit = cfg.max_pages_per_session
        self.per_day = cfg.max_pages_per_day
        self.ledger = ledger or PrintLedger()

    def allowance(self, session: Session) -> Allowance:
        left_visit = max(0, self.per_visit - session.pages_printed)
        left_day = max(0, self.per_day - self.ledger.printed_today())
        return Allowance(min(left_visit, left_day), by_day=left_day < left_visit)

    def refuse(self, allowance: Allowance, pages: int) -> list[str]:
        """Logs the refusal; returns what the visitor reads."""
        log.info(
            "Impression refusée : %s page(s) demandée(s), %d restante(s) %s",
            pages or "?",
            allowance.left,
            "aujourd’hui" if allowance.by_day else "pour cette visite",
        )
        return allowance.refusal(pages)

    def record(self, session: Session, pages: int) -> None:
        """Counts pages printed by the visit of session, in the visit's and the day's counts."""
        session.pages_printed += pages
        today = self.ledger.add(pages)
        log.info(
            "Impression : %d page(s) (%d sur %d pour cette visite, %d sur %d aujourd’hui)",
            pages,
            session.pages_printed,
            self.per_visit,
            today,
            self.per_day,
        )
