"""A private CUPS for the printing tests: its own cupsd on a socket in a temporary folder, with
cups-pdf (the PDF printer driver) as a real printer, a queue that refuses jobs and one whose
backend fails. The system's CUPS, if any, is never touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from tests.e2e.xserver import stop

SERVER_BIN = Path("/usr/lib/cups")
CUPS_PDF = SERVER_BIN / "backend" / "cups-pdf"
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
# cups-pdf reads its settings from this folder only (compiled in): one file per test run.
CUPS_PDF_CONF_DIR = Path("/etc/cups")
TOOLS = ("cupsd", "lpadmin", "lp", "lpstat", "cupsreject", "pdftotext", "pdfinfo")

# A backend that fails the way a jammed or unplugged printer does: CUPS stops the queue.
FAILING_BACKEND = """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct fiche-fail "Unknown" "Always fails"'; exit 0; fi
echo "ERROR: paper jam (test backend)" >&2
exit 4
"""


class Cups(NamedTuple):
    env: dict[str, str]  # the environment that reaches the private cupsd (CUPS_SERVER)
    out: Path  # where cups-pdf writes what it prints
    log: Path


def missing_tools() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    missing += [str(p) for p in (CUPS_PDF, CUPS_PDF_PPD) if not p.exists()]
    return missing


def _server_bin(folder: Path) -> Path:
    """CUPS's programs, with the failing backend added beside the real ones."""
    server_bin = folder / "lib"
    (server_bin / "backend").mkdir(parents=True)
    for entry in SERVER_BIN.iterdir():
        if entry.name != "backend":
            (server_bin / entry.name).symlink_to(entry)
    for backend in (SERVER_BIN / "backend").iterdir():
        (server_bin / "backend" / backend.name).symlink_to(backend)
    failing = server_bin / "backend" / "fiche-fail"
    failing.write_text(FAILING_BACKEND, encoding="utf-8")
    failing.chmod(0o700)
    return server_bin


@contextmanager
def private_cups() -> Iterator[Cups]:
    """Starts cupsd on a socket of its own with three queues: « pdf » (cups-pdf), « closed » (refuses
    jobs) and « broken » (its backend fails); stops it and removes its files after. Its folder is
    open to CUPS's filters, which run as the lp user."""
    name = f"fichetest{uuid.uuid4().hex[:8]}"
    folder = Path(tempfile.mkdtemp(prefix="fiche-cups-"))
    folder.chmod(0o755)
    out = folder / "out"
    for sub in ("spool/tmp", "cache", "state", "log", "ppd"):
        (folder / sub).mkdir(parents=True)
    out.mkdir()
    out.chmod(0o777)
    socket = folder / "cups.sock"
    (folder / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
        encoding="utf-8",
    )
    (folder / "cups-files.conf").write_text(
        f"ServerRoot {folder}\nRequestRoot {folder}/spool\nCacheDir {folder}/cache\nStateDir {folder}/state\n"
        f"ServerBin {_server_bin(folder)}\nDataDir /usr/share/cups\nTempDir {folder}/spool/tmp\n"
        f"AccessLog {folder}/log/access_log\nErrorLog {folder}/log/error_log\nPageLog {folder}/log/page_log\n"
        f"Sandboxing Relaxed\nPrintcap {folder}/printcap\n",
        encoding="utf-8",
    )
    conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{name}.conf"
    conf.write_text(f"Out {out}\nAnonDirName {out}\nLabel 0\n", encoding="utf-8")
    env = {**os.environ, "CUPS_SERVER": str(socket), "LC_ALL": "C.UTF-8"}
    daemon = subprocess.Popen(
        ["cupsd", "-f", "-c", str(folder / "cupsd.conf"), "-s", str(folder / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not socket.exists():
            assert daemon.poll() is None, (folder / "log" / "error_log").read_text(errors="replace")
            assert time.monotonic() < deadline, "cupsd did not open its socket"
            time.sleep(0.1)

        def admin(*args: str) -> None:
            subprocess.run(["lpadmin", *args], env=env, check=True, capture_output=True, timeout=20)

        admin("-p", "pdf", "-v", f"cups-pdf:/{name}", "-P", str(CUPS_PDF_PPD), "-E")
        # Text survives CUPS's PostScript step with the cairo renderer (poppler's pdftops loses it).
        admin("-p", "pdf", "-o", "pdftops-renderer-default=pdftocairo")
        admin("-d", "pdf")  # the system's default printer, as the print dialog offers it first
        admin("-p", "closed", "-v", f"cups-pdf:/{name}", "-P", str(CUPS_PDF_PPD), "-E")
        subprocess.run(["cupsreject", "closed"], env=env, check=True, capture_output=True, timeout=20)
        admin("-p", "broken", "-v", "fiche-fail:/", "-P", str(CUPS_PDF_PPD), "-E")
        yield Cups(env, out, folder / "log" / "error_log")
    finally:
        stop(daemon)
        conf.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


def printed_files(cups: Cups, count: int, timeout: float = 120) -> list[Path]:
    """Waits until cups-pdf has written count PDFs (complete: CUPS has finished every job)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = subprocess.run(
            ["lpstat", "-W", "not-completed", "-o"], env=cups.env, capture_output=True, text=True, timeout=20
        )
        files = sorted(cups.out.glob("*.pdf"))
        if len(files) >= count and not done.stdout.strip():
            return files
        time.sleep(0.3)
    raise AssertionError(f"cups-pdf wrote {len(list(cups.out.glob('*.pdf')))} of {count} PDFs; see {cups.log}")
