"""The command line against hostile use: global options honoured, non-UTF-8 and overlong paths, a
closed pipe, a full disk, bad arguments, huge values, a user's --system: each a French line, a
status, no traceback and no hang (every run has a timeout)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import tiny

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths, pipes and /dev/full")

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "fiche_desktop"]


def env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT / "src"))


def cli(*args: str | bytes, timeout: float = 10, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """`fiche-desktop ARGS…` (bytes or text) in a subprocess; a hang fails the test."""
    kwargs.setdefault("capture_output", True)
    return subprocess.run([*COMMAND, *args], timeout=timeout, env=env(), **kwargs)  # type: ignore[call-overload, no-any-return]


def err(out: subprocess.CompletedProcess[bytes]) -> str:
    return out.stderr.decode("utf-8", "surrogateescape")


def test_the_global_db_is_honoured_by_search(tmp_path: Path) -> None:
    other = tiny(tmp_path)
    out = cli("--db", str(other), "search", "alpha")
    assert out.returncode == 0, err(out)
    assert out.stdout.decode().startswith("alpha\t")


def test_the_global_db_is_honoured_by_export(tmp_path: Path) -> None:
    other = tiny(tmp_path)
    pdf = tmp_path / "alpha.pdf"
    out = cli("--db", str(other), "export", "alpha", "-o", str(pdf), timeout=30)
    assert out.returncode == 0, err(out)
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--db", "x.db", "import-pack", "p.zip"], "l’option --db ne s’applique pas à la commande import-pack"),
        (["--db", "x.db", "rollback"], "l’option --db ne s’applique pas à la commande rollback"),
        (
            ["--db", "x.db", "make-pack", "d.db", "--manifest-only", "-o", "m"],
            "l’option --db ne s’applique pas à la commande make-pack",
        ),
        (["--fiche", "msp", "search", "x"], "l’option --fiche ne s’applique pas à la commande search"),
        (["--kiosk", "export", "msp", "-o", "x.pdf"], "l’option --kiosk ne s’applique pas à la commande export"),
    ],
)
def test_a_global_option_a_command_ignores_is_refused(args: list[str], expected: str) -> None:
    out = cli(*args)
    assert out.returncode == 2
    assert err(out) == f"fiche-desktop : {expected} (voir fiche-desktop --help)\n"


def test_non_utf8_paths_are_read_and_written_as_bytes(tmp_path: Path) -> None:
    base = os.fsencode(tmp_path) + b"/base-\xff.db"
    os.rename(tiny(tmp_path), base)
    pdf = os.fsencode(tmp_path) + b"/sortie-\xfe.pdf"
    out = cli(b"--db", base, b"export", b"alpha", b"-o", pdf, timeout=30)
    assert out.returncode == 0, err(out)
    assert out.stdout == b"PDF enregistr\xc3\xa9 : " + pdf + b" (1 page)\n"
    with open(pdf, "rb") as f:
        assert f.read(4) == b"%PDF"


@pytest.mark.parametrize("command", [["search", "msp", "--db"], ["export", "msp", "-o"]])
def test_a_name_over_255_bytes_is_said_in_french(tmp_path: Path, command: list[str]) -> None:
    long = str(tmp_path / ("n" * 300))
    out = cli(*command, long, timeout=20)
    assert out.returncode == 1
    assert "nom de fichier trop long" in err(out) and "Erreur inattendue" not in err(out)


def test_a_closed_pipe_ends_quietly_with_an_error_status() -> None:
    proc = subprocess.Popen([*COMMAND, "search", "msp"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| true`: the reader is gone before anything is written
    try:
        _, stderr = proc.communicate(timeout=10)
    finally:
        proc.kill()
        proc.stderr.close()
    assert (proc.returncode, stderr) == (1, b"")


def test_a_full_disk_on_stdout_is_said_in_french() -> None:
    with open("/dev/full", "wb") as full:
        out = cli("search", "msp", stdout=full, stderr=subprocess.PIPE, capture_output=False)
    assert out.returncode == 1
    assert err(out) == "fiche-desktop : sortie standard : écriture impossible (espace disque insuffisant).\n"


ENGLISH = ("choose from", "invalid", "expected", "required", "unrecognized", "ambiguous", "allowed", "error", "usage")


@pytest.mark.parametrize(
    "args",
    [
        ["nimportequoi"],
        ["search"],
        ["search", "msp", "--db"],
        ["--zzz"],
        ["print", "msp", "--copies", "beaucoup"],
        ["make-pack", "d.db"],
        ["make-pack", "d.db", "-o", "p.zip", "--key", "k", "--manifest-only"],
        ["--f", "msp"],
        ["rollback", "--system=oui"],
    ],
)
def test_argparse_speaks_french_only(args: list[str]) -> None:
    out = cli(*args)
    lines = err(out).splitlines()
    assert out.returncode == 2 and len(lines) == 1, err(out)
    assert lines[0].startswith("fiche-desktop : ")
    assert not [word for word in ENGLISH if re.search(rf"\b{word}\b", lines[0].lower())], lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ["--" + "z" * 100_000],
        ["export", "y" * 100_000, "-o", "x.pdf"],
        ["export", "--compare", "a" * 100_000 + ",msp", "-o", "x.pdf"],
    ],
)
def test_echoed_values_are_cut_to_80_characters(tmp_path: Path, args: list[str]) -> None:
    out = cli(*args, cwd=tmp_path, timeout=20)
    assert out.returncode in (1, 2)
    assert len(err(out)) < 600, err(out)[:300]
    assert "…" in err(out)


def test_rollback_system_as_a_user_says_it_needs_the_administrator(unprivileged, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to make a folder another user cannot write")
    system = unprivileged.home / "profile" / "var"  # the user's FICHE_DESKTOP_SYSTEM_DATA_DIR
    (system / "content").mkdir(parents=True)  # root's, readable by all, as /var/lib/fiche-desktop
    for folder in (system.parent, system, system / "content"):
        os.chmod(folder, 0o755)
    out = unprivileged.run([*COMMAND, "rollback", "--system"], env=env(), timeout=10)
    assert out.returncode == 1
    assert out.stderr == (
        f"Impossible de modifier {system / 'content'} : accès refusé "
        "(le contenu installé pour tous se gère en administrateur : sudo).\n"
    )
