"""The print system that takes PDF (CUPS): typst's PDF itself sent to a queue, the job checked. No Qt.

Where CUPS runs (Linux, macOS), the printer receives the very PDF that « Enregistrer en PDF » writes:
its text, tags and links survive and the job stays the size of the file (painting typst's SVG pages
through QPrinter made every glyph an outline, 83 times the PDF). The desk window, the kiosk and
`fiche-desktop print` all print through send_pdf(); a queue that refuses jobs, or stops on the
job, raises PrintError with a French sentence, and nothing counts as printed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from typing import NamedTuple

from fiche_desktop.printing.data import PrintError

# How long a command of the print system may take (a dead cupsd must not freeze the window).
COMMAND_SECONDS = 10.0
# How long send_pdf() watches a new job for a stop of its queue.
WATCH_SECONDS = 3.0
_POLL_SECONDS = 0.2
SIDES = {
    None: None,
    "one": "one-sided",
    "long": "two-sided-long-edge",
    "short": "two-sided-short-edge",
}


class Job(NamedTuple):
    printer: str
    job_id: str
    pages: int
    copies: int
    waiting: bool = False  # still in the queue after the watch: the printer has not taken it yet


def available() -> bool:
    """True when CUPS's client commands are here (never on Windows: Qt's own printing serves there)."""
    return sys.platform != "win32" and shutil.which("lp") is not None and shutil.which("lpstat") is not None


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=COMMAND_SECONDS,
            env=_c_locale(),
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as e:
        raise PrintError("le système d’impression ne répond pas (CUPS). Réessayez, ou enregistrez un PDF.") from e
    except OSError as e:
        raise PrintError(f"le système d’impression est introuvable ({e.strerror or e}).") from e


def _c_locale() -> dict[str, str]:
    """The environment with CUPS's messages in English, so that they can be read here."""
    import os

    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env.pop("LANGUAGE", None)
    return env


def printers() -> list[str]:
    """The print queues, in CUPS's order; [] without CUPS or without a queue."""
    if not available():
        return []
    out = _run(["lpstat", "-e"])
    return [line.strip() for line in out.stdout.splitlines() if line.strip()] if out.returncode == 0 else []


def default_printer() -> str | None:
    """The system's default queue, or None."""
    if not available():
        return None
    out = _run(["lpstat", "-d"])
    match = re.search(r"system default destination:\s*(\S+)", out.stdout)
    return match.group(1) if match else None


def _queue_problem(printer: str) -> str | None:
    """Why printer cannot print now (French), or None."""
    accepting = _run(["lpstat", "-a", printer])
    if accepting.returncode != 0 or "not accepting" in accepting.stdout:
        if "Invalid destination" in accepting.stderr or "does not exist" in accepting.stderr:
            return f"l’imprimante « {printer} » n’existe pas."
        return f"l’imprimante « {printer} » refuse les impressions pour le moment (file d’attente fermée)."
    state = _run(["lpstat", "-p", printer])
    if "disabled" in state.stdout:
        return f"l’imprimante « {printer} » est arrêtée (erreur ou désactivée). Vérifiez-la, ou enregistrez un PDF."
    return None


class _JobState(NamedTuple):
    pending: bool  # still in the queue
    failure: str | None  # why CUPS gave up on it (its own words), or None


FAILED_ALERTS = ("job-completed-with-errors", "job-aborted", "job-canceled", "job-stopped", "aborted-by-system")


def _job_state(printer: str, job_id: str) -> _JobState:
    """The job's state, from `lpstat -l` (CUPS's own status line and alerts for it)."""
    pending = _run(["lpstat", "-W", "not-completed", "-o", printer])
    is_pending = any(line.split()[:1] == [job_id] for line in pending.stdout.splitlines())
    listing = _run(["lpstat", "-l", "-W", "all", "-o", printer]).stdout.splitlines()
    status, alerts, mine = "", "", False
    for line in listing:
        if line and not line[0].isspace():
            mine = line.split()[:1] == [job_id]
        elif mine and line.strip().startswith("Status:"):
            status = line.split(":", 1)[1].strip()
        elif mine and line.strip().startswith("Alerts:"):
            alerts = line.split(":", 1)[1]
    failed = any(alert in alerts for alert in FAILED_ALERTS)
    return _JobState(is_pending, (status or "erreur du pilote") if failed else None)


def send_pdf(
    pdf: bytes,
    *,
    title: str,
    pages: int,
    printer: str | None = None,
    copies: int = 1,
    sides: str | None = None,
    page_ranges: str | None = None,
    watch_s: float = WATCH_SECONDS,
) -> Job:
    """Sends pdf to printer (the default queue when None) and returns the job once CUPS has taken it
    and its queue has not stopped on it within watch_s. Raises PrintError (French) otherwise; a job
    left on a stopped queue is cancelled, so that it does not come out later unseen."""
    if not available():
        raise PrintError("l’impression directe demande CUPS, absent ici : enregistrez un PDF.")
    if copies < 1 or copies > 99:
        raise PrintError("le nombre d’exemplaires doit être entre 1 et 99.")
    if sides not in SIDES:
        raise PrintError(f"recto verso inconnu : {sides}.")
    queue = printer or default_printer()
    if not queue:
        raise PrintError("aucune imprimante par défaut : choisissez une imprimante, ou enregistrez un PDF.")
    problem = _queue_problem(queue)
    if problem:
        raise PrintError(problem)
    argv = ["lp", "-d", queue, "-n", str(copies), "-t", title[:120] or "Fiche Desktop"]
    if SIDES[sides]:
        argv += ["-o", f"sides={SIDES[sides]}"]
    if page_ranges:
        if not re.fullmatch(r"\d+(-\d+)?(,\d+(-\d+)?)*", page_ranges):
            raise PrintError(f"pages à imprimer illisibles : {page_ranges[:80]}.")
        argv += ["-o", f"page-ranges={page_ranges}"]
    try:
        out = subprocess.run(
            argv,  # the PDF on standard input
            input=pdf,
            capture_output=True,
            timeout=COMMAND_SECONDS,
            env=_c_locale(),
        )
    except subprocess.TimeoutExpired as e:
        raise PrintError("le système d’impression ne répond pas (CUPS). Réessayez, ou enregistrez un PDF.") from e
    except OSError as e:
        raise PrintError(f"le système d’impression est introuvable ({e.strerror or e}).") from e
    said = out.stdout.decode("utf-8", "replace") + out.stderr.decode("utf-8", "replace")
    match = re.search(r"request id is (\S+)", said)
    if out.returncode != 0 or not match:
        raise PrintError(_refusal(queue, said))
    job = Job(queue, match.group(1), pages, copies)
    deadline = time.monotonic() + watch_s
    while True:
        state = _job_state(queue, job.job_id)
        problem = _queue_problem(queue)
        if state.failure and not problem:
            problem = f"l’imprimante « {queue} » n’a pas pu imprimer le document ({state.failure[:80]})."
        if problem:
            if state.pending:
                _run(["cancel", job.job_id])
            raise PrintError(problem)
        if not state.pending or time.monotonic() >= deadline:
            return job._replace(waiting=state.pending)
        time.sleep(_POLL_SECONDS)


def _refusal(queue: str, said: str) -> str:
    """CUPS's refusal in French."""
    if "not accepting" in said:
        return f"l’imprimante « {queue} » refuse les impressions pour le moment (file d’attente fermée)."
    if "does not exist" in said or "Unknown destination" in said:
        return f"l’imprimante « {queue} » n’existe pas."
    if "Unable to connect" in said or "Bad file descriptor" in said:
        return "le service d’impression (CUPS) ne répond pas."
    first = " ".join(said.split())[:80]
    return f"l’impression a été refusée par « {queue} »" + (f" ({first})." if first else ".")
