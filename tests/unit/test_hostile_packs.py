"""A validly signed pack cannot break the application: everything it reads is validated (the guide
included) and sizes are capped; make-pack refuses what an import would refuse."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fiche_desktop.packs import PackError, validate_database
from tests.conftest import REAL_DB

ROOT = Path(__file__).resolve().parents[2]


def edit(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


FIRST_QUESTION = "(SELECT id FROM guide_questions ORDER BY position LIMIT 1)"

# (how the real base is changed, what the refusal says)
SHAPES: dict[str, tuple[Callable[[Path], None], str]] = {
    "guide quotes not JSON": (
        lambda p: edit(p, f"UPDATE guide_questions SET quotes = 'not json' WHERE id = {FIRST_QUESTION}"),
        "valeur illisible dans la table « guide_questions »",
    ),
    "guide quotes of the wrong shape": (
        lambda p: edit(p, f"UPDATE guide_questions SET quotes = '[1, 2]' WHERE id = {FIRST_QUESTION}"),
        "valeur illisible dans la table « guide_questions »",
    ),
    "guide fiche that does not exist": (
        lambda p: edit(p, f"""UPDATE guide_questions SET fiches = '["nulle-part"]' WHERE id = {FIRST_QUESTION}"""),
        "fiche absente de la base « nulle-part »",
    ),
    "guide quote not in its section": (
        lambda p: edit(
            p,
            "UPDATE guide_questions SET quotes = json_set(quotes, '$[0].text', 'Phrase inventée.') "
            f"WHERE id = {FIRST_QUESTION}",
        ),
        "citation absente de",
    ),
    "guide question on an unknown path": (
        lambda p: edit(p, f"UPDATE guide_questions SET path = 'ailleurs' WHERE id = {FIRST_QUESTION}"),
        "parcours inconnu",
    ),
    "a part of 60,000 characters": (
        lambda p: edit(p, "UPDATE sections SET text = text || printf('%.60000c', 'x') WHERE rowid = 1"),
        "colonne sections.text trop longue (plus de 50 000 caractères)",
    ),
    "a title of 2,000 characters": (
        lambda p: edit(p, "UPDATE fiches SET title = printf('%.2000c', 'T') WHERE rowid = 1"),
        "colonne fiches.title trop longue (plus de 1 000 caractères)",
    ),
}


def changed_base(tmp_path: Path, shape: str) -> Path:
    path = tmp_path / "data.db"
    shutil.copy(REAL_DB, path)
    SHAPES[shape][0](path)
    return path


@pytest.mark.parametrize("shape", SHAPES)
def test_validation_refuses_what_the_window_could_not_show(tmp_path: Path, shape: str) -> None:
    path = changed_base(tmp_path, shape)
    with pytest.raises(PackError) as caught:
        validate_database(path, timeout_s=10)
    assert str(caught.value).startswith("Paquet invalide")
    assert SHAPES[shape][1] in str(caught.value)


@pytest.mark.parametrize("shape", SHAPES)
def test_make_pack_refuses_it_too(tmp_path: Path, shape: str) -> None:
    path = changed_base(tmp_path, shape)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "fiche_desktop",
            "make-pack",
            str(path),
            "--manifest-only",
            "-o",
            str(tmp_path / "m.json"),
        ],
        capture_output=True,
        text=True,
        timeout=20,
        env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
    )
    assert out.returncode == 1
    assert out.stderr.startswith("Paquet invalide") and SHAPES[shape][1] in out.stderr
    assert len(out.stderr.splitlines()) == 1
    assert not (tmp_path / "m.json").exists()


def test_the_real_base_passes() -> None:
    assert validate_database(REAL_DB, timeout_s=10)[2] > 10


def test_a_second_import_never_deletes_the_content_a_window_reads(tmp_path: Path) -> None:
    from fiche_desktop import packs
    from fiche_desktop.content import TextVersion
    from fiche_desktop.db import ContentDB
    from fiche_desktop.search import search
    from tests.helpers import make_keys, tiny

    publisher = make_keys(tmp_path / "keys", "editeur")
    publisher.trust(system=False)

    def install(version: str) -> Path:
        pack = tmp_path / f"{version}.zip"
        packs.make_pack(tiny(tmp_path, version, f"{version}.db"), pack, publisher.secret)
        return packs.import_pack(pack).path

    first = install("2099.1.1")
    window = ContentDB(first)  # a running window's content
    install("2099.1.2")
    install("2099.1.3")  # first is neither active nor previous now
    assert first.is_file()
    fresh = ContentDB(first, meta=window.meta)  # the search thread's own connection, opened late
    assert search(fresh, "alpha", TextVersion.STANDARD)
    fresh.close()
    window.close()
    install("2099.1.4")  # nobody reads it any more: pruned
    assert not first.exists()
    assert sorted(p.name for p in packs.content_dir().glob("content-*.db")) == sorted(
        packs.read_pointer(packs.content_dir()).values()
    )
