"""The command line: search output, exit codes, one-line French messages, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fiche_desktop.exit_codes import ExitCode


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fiche_desktop", *args], capture_output=True, text=True, timeout=60)


def test_search_json_lists_ranked_results() -> None:
    out = run("search", "maison de santé", "--json")
    assert out.returncode == ExitCode.OK
    results = json.loads(out.stdout)
    assert results[0]["slug"] == "msp"
    assert {"slug", "section", "snippet"} <= set(results[0])


def test_search_plain_and_no_result() -> None:
    out = run("search", "48h")
    assert out.returncode == ExitCode.OK and out.stdout.startswith("sas")
    out = run("search", "zzzzqqqq")
    assert out.returncode == ExitCode.OK and out.stdout.strip() == "Aucun résultat"


def test_search_falc_snippet() -> None:
    out = run("search", "travailleurs indépendants", "--falc", "--json")
    assert "travailleurs indépendants" in json.loads(out.stdout)[0]["snippet"]


def test_help_is_french_and_exits_zero() -> None:
    out = run("--help")
    assert out.returncode == ExitCode.OK and "COMMANDE" in out.stdout and "version FALC" in out.stdout


def test_usage_error_exits_2_with_one_line() -> None:
    out = run("--nimporte")
    assert out.returncode == ExitCode.USAGE
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "arguments inconnus" in lines[0]
    out = run("search")
    assert out.returncode == ExitCode.USAGE and "manquant" in out.stderr


def test_unusable_database_exits_1_with_french_message(tmp_path: Path) -> None:
    bad = tmp_path / "data.db"
    bad.write_bytes(b"\x00" * 5000)
    out = run("search", "msp", "--db", str(bad))
    assert out.returncode == ExitCode.ERROR
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().count("\n") == 0 and "Base de données" in out.stderr
    out = run("search", "msp", "--db", str(tmp_path / "absent.db"))
    assert out.returncode == ExitCode.ERROR and "introuvable" in out.stderr
