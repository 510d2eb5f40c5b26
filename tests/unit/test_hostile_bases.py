"""Damaged content bases, named as such: « Base de contenu endommagée : … », never SQLite's English
or « Erreur inattendue », never a silent « Aucun résultat », never a base read without its -wal."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fiche_desktop.content import TextVersion
from fiche_desktop.db import QUICK_CHECK_FAILED, ContentDB, DatabaseError, check_database
from fiche_desktop.search import search
from tests.helpers import tiny

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, timeout: float = 10) -> subprocess.CompletedProcess[str]:
    """`fiche-desktop ARGS…` in a subprocess of this checkout; a hang fails the test."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def edit(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def randomise_index_blocks(path: Path) -> None:
    """Random bytes in a few blocks of the search index (SQLite's quick_check still says ok)."""
    conn = sqlite3.connect(path)
    rng = random.Random(7)
    rows = conn.execute("SELECT id, block FROM search_docs_fts_data WHERE length(block) > 40").fetchall()
    for block_id, block in rng.sample(rows, min(4, len(rows))):
        data = bytearray(block)
        for _ in range(max(8, len(data) // 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        conn.execute("UPDATE search_docs_fts_data SET block = ? WHERE id = ?", (bytes(data), block_id))
    conn.commit()
    conn.close()


# (how the base is damaged, what the French message says)
DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "index blocks randomised": (randomise_index_blocks, "index de recherche abîmé"),
    "index blocks deleted": (
        lambda p: edit(
            p, "DELETE FROM search_docs_fts_data WHERE id IN (SELECT id FROM search_docs_fts_data WHERE id > 10)"
        ),
        "index de recherche abîmé",
    ),
    "index doc sizes deleted": (lambda p: edit(p, "DELETE FROM search_docs_fts_docsize"), "index de recherche abîmé"),
    "position not a number": (
        lambda p: edit(p, "UPDATE fiches SET position = 'abc'"),
        "colonne fiches.position vide ou d’un mauvais type",
    ),
    "falc not JSON": (
        lambda p: edit(p, "UPDATE sections SET falc = 'not json' WHERE falc IS NOT NULL"),
        "valeur illisible dans la table « sections »",
    ),
    "aliases not JSON": (
        lambda p: edit(p, "UPDATE glossary SET aliases = '[1'"),
        "valeur illisible dans la table « glossary »",
    ),
    "members not JSON": (
        lambda p: edit(p, "UPDATE groups SET members = '{'"),
        "valeur illisible dans la table « groups »",
    ),
}


@pytest.mark.parametrize("shape", DAMAGES)
def test_the_full_check_names_a_damaged_base(tmp_path: Path, shape: str) -> None:
    path = tiny(tmp_path)
    damage, expected = DAMAGES[shape]
    damage(path)
    # SQLite's own quick_check misses these shapes in Debian's SQLite (3.40); a newer one (the
    # Windows CPython's) catches some itself: either way the base is named as damaged.
    with pytest.raises(DatabaseError) as caught:
        check_database(path)
    assert str(caught.value) in {
        f"Base de contenu endommagée : {expected} : {path}",
        f"Base de contenu endommagée : {QUICK_CHECK_FAILED} : {path}",
    }


@pytest.mark.skipif(sys.platform == "win32", reason="the Windows CPython's newer SQLite catches some of these itself")
@pytest.mark.parametrize("shape", DAMAGES)
def test_sqlites_own_quick_check_misses_these_shapes_here(tmp_path: Path, shape: str) -> None:
    """Why the application's full check goes further than SQLite's: its quick_check says « ok »."""
    path = tiny(tmp_path)
    DAMAGES[shape][0](path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    finally:
        conn.close()


@pytest.mark.parametrize("shape", DAMAGES)
def test_the_command_line_names_a_damaged_base(tmp_path: Path, shape: str) -> None:
    path = tiny(tmp_path)
    damage, expected = DAMAGES[shape]
    damage(path)
    out = cli("search", "alpha", "--db", str(path))
    assert (out.returncode, out.stdout) == (1, "")
    assert out.stderr in {
        f"Base de contenu endommagée : {expected} : {path}\n",
        f"Base de contenu endommagée : {QUICK_CHECK_FAILED} : {path}\n",
    }


def test_reading_a_damaged_column_names_the_base(tmp_path: Path) -> None:
    """A base opened without its full check (the desk's first frame): the read itself says so."""
    path = tiny(tmp_path)
    meta = check_database(path)
    edit(path, "UPDATE sections SET falc = 'not json' WHERE falc IS NOT NULL")
    db = ContentDB(path, meta=meta)
    with pytest.raises(
        DatabaseError, match=r"^Base de contenu endommagée : valeur illisible dans la table « sections »"
    ):
        db.fiche("alpha")
    db.close()


def test_searching_a_damaged_index_names_the_base(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    meta = check_database(path)
    randomise_index_blocks(path)
    edit(path, "DELETE FROM search_docs_fts_data WHERE id > 10")
    db = ContentDB(path, meta=meta)
    with pytest.raises(DatabaseError, match=r"^Base de contenu endommagée : recherche impossible"):
        search(db, "alpha équipe", TextVersion.STANDARD)
    db.close()


def test_a_base_with_committed_changes_in_its_wal_is_refused(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("UPDATE fiches SET title = 'Titre dans le WAL'")
    writer.commit()  # in the -wal file, not yet in the base: the writer stays open
    try:
        assert Path(f"{path}-wal").stat().st_size > 0
        with pytest.raises(DatabaseError) as caught:
            check_database(path)
        assert str(caught.value) == (
            f"Base de données refusée : des modifications non intégrées l’accompagnent ({path.name}-wal) ; "
            f"ouvrez-la une fois avec sqlite3 pour les intégrer : {path}"
        )
    finally:
        writer.close()  # the last connection checkpoints the WAL into the base
    assert ContentDB(path).fiche("alpha").title == "Titre dans le WAL"  # type: ignore[union-attr]


def test_a_base_with_a_hot_journal_is_refused(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    Path(f"{path}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))
    with pytest.raises(DatabaseError, match=r"modifications non intégrées l’accompagnent \(t\.db-journal\)"):
        check_database(path)
