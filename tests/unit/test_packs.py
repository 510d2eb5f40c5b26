"""Content packs as IT and an attacker see them: signed with minisign or make-pack, refused
when unsigned, signed by another key or hostile inside, installed under a lock, never hanging."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from fiche_desktop import db as db_module
from fiche_desktop import packs, paths, schema, signing
from fiche_desktop.exit_codes import ExitCode
from tests.conftest import REAL_DB
from tests.helpers import Publisher, make_keys, tiny

TIMEOUT = 180  # seconds: a hung command fails the test instead of hanging the suite

# The Linux suite makes the publishers' keys with the minisign tool (a Debian package) and checks
# packs against it; the Windows lane has no minisign: tests/helpers.py writes the same key files,
# and the tests that run the tool itself are Linux-only.
NEEDS_MINISIGN = pytest.mark.skipif(sys.platform == "win32", reason="runs the minisign tool (Debian package)")


def fiche_desktop(*args: str, env: dict[str, str] | None = None, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def publisher(tmp_path: Path) -> Publisher:
    return make_keys(tmp_path / "keys", "editeur")


def hand_made_pack(out: Path, db_path: Path, key: signing.SecretKey | None, **manifest_changes: str) -> Path:
    """A pack assembled by hand (as an attacker or a careless tool would): the database as it
    is, the manifest with any field changed, signed by key (None: no signature)."""
    manifest = {
        "schema_version": "1",
        "content_version": "2099.1.1",
        "content_date": "2024-09-25",
        "sha256": packs.sha256_file(db_path),
    }
    manifest.update(manifest_changes)
    data = json.dumps(manifest).encode("utf-8")
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("manifest.json", data)
        if key is not None:
            z.writestr("manifest.json.minisig", signing.sign(data, key, file_name="manifest.json"))
        z.write(db_path, "data.db")
    return out


def content_folder(system: bool = True) -> Path:
    return packs.content_dir(system)


def assert_nothing_left(folder: Path) -> None:
    assert not list(folder.glob(".incoming-*")), list(folder.iterdir())


def assert_one_french_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == ExitCode.ERROR, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def in_use(system_only: bool = False) -> Path:
    db, _ = packs.open_content(system_only=system_only, bundled=REAL_DB)
    db.close()
    return db.path


# --- Signed with minisign and with make-pack ---------------------------------------------


@NEEDS_MINISIGN
def test_make_pack_signature_verifies_with_minisign_and_installs_only_when_trusted(
    tmp_path: Path, publisher: Publisher
) -> None:
    pack = tmp_path / "contenu.zip"
    out = fiche_desktop("make-pack", str(tiny(tmp_path)), "-o", str(pack), "--key", str(publisher.secret))
    assert out.returncode == ExitCode.OK, out.stderr
    assert "Paquet signé écrit" in out.stdout
    with zipfile.ZipFile(pack) as z:
        assert sorted(z.namelist()) == ["data.db", "manifest.json", "manifest.json.minisig"]
        z.extractall(tmp_path / "extrait")
    check = subprocess.run(
        ["minisign", "-V", "-p", str(publisher.public), "-m", str(tmp_path / "extrait" / "manifest.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr
    assert "verified" in check.stdout

    refused = fiche_desktop("import-pack", "--system", str(pack))
    assert_one_french_line(refused, "Aucune clé de confiance", "trusted-keys")
    assert not list(content_folder().glob("content-*.db"))

    publisher.trust(system=True)
    accepted = fiche_desktop("import-pack", "--system", str(pack))
    assert accepted.returncode == ExitCode.OK, accepted.stderr
    assert "Contenu 2099.1.1 installé et activé pour tous les utilisateurs" in accepted.stdout
    assert in_use() == packs.active_pack(content_folder()).path  # type: ignore[union-attr]


@NEEDS_MINISIGN
def test_a_pack_signed_with_the_minisign_tool_is_accepted_with_its_key_and_refused_without(
    tmp_path: Path, publisher: Publisher
) -> None:
    """IT's other way: make-pack --manifest-only, `minisign -S`, then a plain zip."""
    db_path = tiny(tmp_path)
    work = tmp_path / "signature"
    work.mkdir()
    out = fiche_desktop("make-pack", str(db_path), "--manifest-only", "-o", str(work / "manifest.json"))
    assert out.returncode == ExitCode.OK, out.stderr
    signed = subprocess.run(
        ["minisign", "-S", "-s", str(publisher.secret), "-m", str(work / "manifest.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert signed.returncode == 0, signed.stderr
    shutil.copy(db_path, work / "data.db")
    pack = tmp_path / "contenu.zip"
    zipped = subprocess.run(
        [sys.executable, "-m", "zipfile", "-c", str(pack), "manifest.json", "manifest.json.minisig", "data.db"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert zipped.returncode == 0, zipped.stderr

    other = make_keys(tmp_path / "autres", "autre")
    other.trust(system=False)  # some other publisher's key only
    refused = fiche_desktop("import-pack", str(pack))
    assert_one_french_line(refused, "Paquet refusé", "clé non reconnue", "trusted-keys")

    publisher.trust(system=False)  # the user's own trusted keys count for their own imports
    accepted = fiche_desktop("import-pack", str(pack))
    assert accepted.returncode == ExitCode.OK, accepted.stderr
    assert "installé et activé pour cet utilisateur" in accepted.stdout
    assert in_use() == packs.active_pack(content_folder(system=False)).path  # type: ignore[union-attr]


def test_a_user_trusted_key_does_not_count_for_system_imports(tmp_path: Path, publisher: Publisher) -> None:
    pack = tmp_path / "p.zip"
    packs.make_pack(tiny(tmp_path), pack, publisher.secret)
    publisher.trust(system=False)
    with pytest.raises(packs.PackError, match="Aucune clé de confiance"):
        packs.import_pack(pack, system=True)
    assert packs.import_pack(pack).content_version == "2099.1.1"


@NEEDS_MINISIGN
def test_legacy_minisign_signatures_verify_too(tmp_path: Path, publisher: Publisher) -> None:
    data = tmp_path / "f.txt"
    data.write_bytes(b"contenu")
    out = subprocess.run(
        ["minisign", "-S", "-l", "-s", str(publisher.secret), "-m", str(data)], capture_output=True, timeout=60
    )
    assert out.returncode == 0
    key, comment = signing.verify(
        b"contenu", (tmp_path / "f.txt.minisig").read_text(), [signing.parse_public_key(publisher.public.read_text())]
    )
    assert "file:f.txt" in comment
    with pytest.raises(signing.SignatureError):
        signing.verify(b"autre", (tmp_path / "f.txt.minisig").read_text(), [key])


def test_an_altered_trusted_comment_is_refused(tmp_path: Path, publisher: Publisher) -> None:
    text = signing.sign(b"x", publisher.key(), file_name="manifest.json")
    lines = text.splitlines()
    lines[2] = lines[2].replace("manifest.json", "autre.json")
    with pytest.raises(signing.SignatureError, match="commentaire signé altéré"):
        signing.verify(b"x", "\n".join(lines) + "\n", [publisher.key().public_key()])


# --- Hostile packs: refused with one French line, the content in use unchanged -----------


@pytest.fixture
def installed(tmp_path: Path, publisher: Publisher) -> packs.Installed:
    """A good pack already installed for all users: what must stay in use."""
    publisher.trust(system=True)
    good = tmp_path / "bon.zip"
    packs.make_pack(tiny(tmp_path, "2099.1.1", "bon.db"), good, publisher.secret)
    first = packs.import_pack(good, system=True)
    assert in_use() == first.path
    return first


def assert_refused_and_unchanged(
    result: subprocess.CompletedProcess[str], installed: packs.Installed, *words: str
) -> None:
    assert_one_french_line(result, *words)
    folder = content_folder()
    assert packs.read_pointer(folder)["active"] == installed.path.name
    assert sorted(p.name for p in folder.glob("content-*.db")) == [installed.path.name]
    assert in_use() == installed.path and in_use(system_only=True) == installed.path
    assert_nothing_left(folder)


def test_a_self_attesting_pack_without_signature_is_refused(tmp_path: Path, installed: packs.Installed) -> None:
    pack = hand_made_pack(tmp_path / "auto.zip", tiny(tmp_path, "2099.5.0"), None, content_version="2099.5.0")
    result = fiche_desktop("import-pack", "--system", str(pack))
    assert_refused_and_unchanged(result, installed, "pas signé")


def test_a_pack_signed_by_an_attacker_key_is_refused(tmp_path: Path, installed: packs.Installed) -> None:
    attacker = make_keys(tmp_path / "pirate", "pirate")
    pack = hand_made_pack(tmp_path / "p.zip", tiny(tmp_path, "2099.5.0"), attacker.key(), content_version="2099.5.0")
    result = fiche_desktop("import-pack", "--system", str(pack))
    assert_refused_and_unchanged(result, installed, "clé non reconnue", "trusted-keys")


def test_a_manifest_changed_after_signing_is_refused(
    tmp_path: Path, installed: packs.Installed, publisher: Publisher
) -> None:
    good = tmp_path / "signe.zip"
    packs.make_pack(tiny(tmp_path, "2099.5.0"), good, publisher.secret)
    bad = tmp_path / "modifie.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        manifest = json.loads(src.read("manifest.json"))
        manifest["content_version"] = "2099.9.9"
        dst.writestr("manifest.json", json.dumps(manifest))
        dst.writestr("manifest.json.minisig", src.read("manifest.json.minisig"))
        dst.writestr("data.db", src.read("data.db"))
    result = fiche_desktop("import-pack", "--system", str(bad))
    assert_refused_and_unchanged(result, installed, "signature fausse")


def test_a_database_swapped_after_signing_is_refused(
    tmp_path: Path, installed: packs.Installed, publisher: Publisher
) -> None:
    good = tmp_path / "signe.zip"
    packs.make_pack(tiny(tmp_path, "2099.5.0"), good, publisher.secret)
    bad = tmp_path / "altere.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in ("manifest.json", "manifest.json.minisig"):
            dst.writestr(name, src.read(name))
        data = bytearray(src.read("data.db"))
        data[-100] ^= 0xFF
        dst.writestr("data.db", bytes(data))
    result = fiche_desktop("import-pack", "--system", str(bad))
    assert_refused_and_unchanged(result, installed, "altéré")


def _endless_view(table: str) -> str:
    columns = ", ".join(f"'x' || n AS \"{c}\"" for c in schema.TABLES[table][0])
    return (
        f'DROP TABLE "{table}"; CREATE VIEW "{table}" AS WITH RECURSIVE r(n) AS '
        f"(SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT {columns} FROM r;"
    )


def _hostile_db(tmp_path: Path, sql: str, version: str = "2099.5.0", writable_schema: bool = False) -> Path:
    path = tiny(tmp_path, version, "hostile.db")
    conn = sqlite3.connect(path)
    if writable_schema:
        conn.execute("PRAGMA writable_schema = ON")
    conn.executescript(sql)
    conn.commit()
    conn.close()
    return path


FTS_UNKNOWN_TOKENIZER = (
    "UPDATE sqlite_master SET sql = replace(sql, 'unicode61 remove_diacritics 2', 'inconnu') "
    "WHERE name = 'search_docs_fts';"
)

HOSTILE_DATABASES: dict[str, tuple[str, bool, str]] = {
    "endless view on fiches": (_endless_view("fiches"), False, "vue"),
    "endless view on meta": (_endless_view("meta"), False, "vue"),
    "NULL columns": ("UPDATE fiches SET title = NULL WHERE slug = 'alpha';", False, "fiches.title"),
    "NULL section text": ("UPDATE sections SET text = NULL;", False, "sections.text"),
    "search index as a plain table": (
        "DROP TABLE search_docs_fts; CREATE TABLE search_docs_fts (acronym, title, body, falc);",
        False,
        "index de recherche",
    ),
    "unknown tokenizer": (FTS_UNKNOWN_TOKENIZER, True, "index de recherche"),
    "empty search index": ("INSERT INTO search_docs_fts(search_docs_fts) VALUES('delete-all');", False, "recherche"),
    "trigger": (
        "CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END;",
        False,
        "déclencheur",
    ),
    "extra column": ("ALTER TABLE fiches ADD COLUMN evil TEXT;", False, "schéma"),
    "bad date": ("UPDATE fiches SET date = 'demain' WHERE slug = 'alpha';", False, "date"),
}


def test_the_installations_own_base_has_its_exact_schema_checked_with_its_integrity(tmp_path: Path) -> None:
    odd = _hostile_db(tmp_path, "ALTER TABLE fiches ADD COLUMN evil TEXT;")
    db, _ = packs.open_content(bundled=odd, check_now=False)  # the desk, before its first paint
    db.close()
    assert db.path == odd
    assert "schéma diffère" in packs.check_integrity(odd)  # ... and after it: the window then gives way
    with pytest.raises(db_module.DatabaseError, match="schéma diffère"):
        packs.open_content(bundled=odd)  # export, kiosk, smoke test: at once


@pytest.mark.parametrize("shape", sorted(HOSTILE_DATABASES))
def test_hostile_databases_are_refused_before_use_without_hanging(
    tmp_path: Path, installed: packs.Installed, publisher: Publisher, shape: str
) -> None:
    sql, writable, message = HOSTILE_DATABASES[shape]
    hostile = _hostile_db(tmp_path, sql, writable_schema=writable)
    # Signed by the trusted publisher: the validation, not the signature, must stop it.
    pack = hand_made_pack(tmp_path / "p.zip", hostile, publisher.key(), content_version="2099.5.0")
    result = fiche_desktop("import-pack", "--system", str(pack))
    assert_refused_and_unchanged(result, installed, "Paquet", message)


@pytest.mark.parametrize("table", ["fiches", "meta"])
def test_the_app_does_not_hang_on_a_hostile_database_planted_in_the_content_folder(
    tmp_path: Path, installed: packs.Installed, table: str
) -> None:
    """Someone with write access to the folder skips the import: start-up still falls back."""
    hostile = _hostile_db(tmp_path, _endless_view(table))
    folder = content_folder()
    planted = folder / f"content-{packs.sha256_file(hostile)}.db"
    shutil.copy(hostile, planted)
    (folder / "current.json").write_text(json.dumps({"active": planted.name}), encoding="utf-8")
    result = fiche_desktop("search", "alpha", "--json")
    assert result.returncode == ExitCode.OK, result.stderr
    assert "inutilisable" in result.stderr and "vue" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "version, message",
    [("x/../../../escaped", "chiffres et de points"), ("zzz", "chiffres et de points"), ("2099.1", "pas plus récent")],
)
def test_content_versions_must_be_digits_and_dots(
    tmp_path: Path, installed: packs.Installed, publisher: Publisher, version: str, message: str
) -> None:
    db_path = _hostile_db(tmp_path, f"UPDATE meta SET value = '{version}' WHERE key = 'content_version';")
    pack = hand_made_pack(tmp_path / "p.zip", db_path, publisher.key(), content_version=version)
    result = fiche_desktop("import-pack", "--system", str(pack))
    assert_refused_and_unchanged(result, installed, message)
    assert not list(tmp_path.rglob("escaped*"))
    # A real, newer pack still installs afterwards.
    real = tmp_path / "2027.zip"
    packs.make_pack(tiny(tmp_path, "2100.1.1", "vrai.db"), real, publisher.secret)
    assert packs.import_pack(real, system=True).content_version == "2100.1.1"


def test_a_zip_with_other_members_is_refused(tmp_path: Path, installed: packs.Installed, publisher: Publisher) -> None:
    pack = hand_made_pack(tmp_path / "p.zip", tiny(tmp_path, "2099.5.0"), publisher.key(), content_version="2099.5.0")
    with zipfile.ZipFile(pack, "a") as z:
        z.writestr("../../evil.sh", b"#!/bin/sh\n")
    result = fiche_desktop("import-pack", "--system", str(pack))
    assert_refused_and_unchanged(result, installed, "exactement")


def test_make_pack_refuses_a_database_the_app_would_refuse(tmp_path: Path, publisher: Publisher) -> None:
    hostile = _hostile_db(tmp_path, _endless_view("fiches"))
    out = fiche_desktop("make-pack", str(hostile), "-o", str(tmp_path / "p.zip"), "--key", str(publisher.secret))
    assert_one_french_line(out, "vue")
    assert not (tmp_path / "p.zip").exists()


@NEEDS_MINISIGN
def test_an_encrypted_secret_key_is_refused_with_a_way_out(tmp_path: Path) -> None:
    pub, sec = tmp_path / "k.pub", tmp_path / "k.key"
    made = subprocess.run(
        ["minisign", "-G", "-p", str(pub), "-s", str(sec)],
        input="motdepasse\nmotdepasse\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    out = fiche_desktop("make-pack", str(tiny(tmp_path)), "-o", str(tmp_path / "p.zip"), "--key", str(sec))
    assert_one_french_line(out, "chiffrée", "minisign -G -W")


def test_a_query_past_its_deadline_is_interrupted() -> None:
    conn = db_module.connect_readonly(REAL_DB, deadline=time.monotonic() + 0.2)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        conn.execute(
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
        ).fetchone()
    conn.close()


# --- Installation: permissions, leftovers, rollback, concurrency -------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits and umask; Windows: ProgramData's ACLs")
def test_a_system_install_is_readable_by_every_account_whatever_the_umask(tmp_path: Path, publisher: Publisher) -> None:
    publisher.trust(system=True)
    pack = tmp_path / "p.zip"
    packs.make_pack(tiny(tmp_path), pack, publisher.secret)
    result = fiche_desktop("import-pack", "--system", str(pack), preexec_fn=lambda: os.umask(0o077))
    assert result.returncode == ExitCode.OK, result.stderr
    folder = content_folder()
    active = packs.active_pack(folder)
    assert active is not None
    assert stat.S_IMODE(active.path.stat().st_mode) == 0o644
    assert stat.S_IMODE((folder / "current.json").stat().st_mode) == 0o644
    for d in (folder, folder.parent):
        assert stat.S_IMODE(d.stat().st_mode) & 0o755 == 0o755
    assert active.path.name == f"content-{packs.sha256_file(active.path)}.db"


def test_leftover_temporaries_are_removed_by_the_next_import(tmp_path: Path, publisher: Publisher) -> None:
    publisher.trust(system=False)
    folder = content_folder(system=False)
    folder.mkdir(parents=True)
    (folder / ".incoming-abc123.db").write_bytes(b"x" * 1000)
    pack = tmp_path / "p.zip"
    packs.make_pack(tiny(tmp_path), pack, publisher.secret)
    packs.import_pack(pack)
    assert_nothing_left(folder)


def test_pack_installs_is_used_and_rolls_back(tmp_path: Path, publisher: Publisher) -> None:
    publisher.trust(system=False)
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    packs.make_pack(tiny(tmp_path, "2099.1.1", "a.db"), first, publisher.secret)
    packs.make_pack(tiny(tmp_path, "2099.2.0", "b.db"), second, publisher.secret)
    one = packs.import_pack(first)
    assert in_use() == one.path
    two = packs.import_pack(second)
    assert in_use() == two.path
    out = fiche_desktop("rollback")
    assert out.returncode == ExitCode.OK and "2099.1.1 rétabli" in out.stdout
    assert in_use() == one.path
    with pytest.raises(packs.PackError, match="pas plus récent"):
        packs.import_pack(first)
    assert packs.import_pack(first, force=True).content_version == "2099.1.1"


def test_an_older_pack_never_hides_the_newer_bundled_content(tmp_path: Path, publisher: Publisher) -> None:
    publisher.trust(system=False)
    pack = tmp_path / "old.zip"
    packs.make_pack(tiny(tmp_path, "2000.1.1"), pack, publisher.secret)
    with pytest.raises(packs.PackError, match="pas plus récent"):
        packs.import_pack(pack)
    assert packs.import_pack(pack, force=True).content_version == "2000.1.1"
    assert in_use() == REAL_DB


def _race(packs_to_import: list[Path]) -> list[subprocess.CompletedProcess[str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "fiche_desktop", "import-pack", "--system", str(p)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in packs_to_import
    ]
    results = []
    for proc, p in zip(procs, packs_to_import, strict=True):
        out, err = proc.communicate(timeout=TIMEOUT)
        results.append(subprocess.CompletedProcess([str(p)], proc.returncode, out, err))
    return results


def test_two_imports_at_once_leave_exactly_one_active_pack_matching_their_reports(
    tmp_path: Path, publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher.trust(system=True)
    older, newer = tmp_path / "a.zip", tmp_path / "b.zip"
    packs.make_pack(tiny(tmp_path, "2099.1.1", "a.db"), older, publisher.secret)
    packs.make_pack(tiny(tmp_path, "2099.2.0", "b.db"), newer, publisher.secret)
    for round_ in range(3):
        monkeypatch.setenv("FICHE_DESKTOP_SYSTEM_DATA_DIR", str(tmp_path / f"var-{round_}"))
        a, b = _race([older, newer] if round_ % 2 else [newer, older])[:: 1 if round_ % 2 else -1]
        folder = content_folder()
        active = packs.active_pack(folder)
        assert active is not None and active.content_version == "2099.2.0"
        assert b.returncode == ExitCode.OK and "Contenu 2099.2.0 installé et activé" in b.stdout, b.stderr
        if a.returncode == ExitCode.OK:  # the older one went first, and is now the previous pack
            assert "Contenu 2099.1.1 installé et activé" in a.stdout
            assert (folder / packs.read_pointer(folder)["previous"]).is_file()
        else:
            assert "pas plus récent" in a.stderr and len(a.stderr.strip().splitlines()) == 1
        db, _ = packs.open_content(system_only=True, bundled=REAL_DB)
        assert db.path == active.path and db.slugs()
        db.close()
        assert sorted(p.name for p in folder.glob("content-*.db")) == sorted(set(packs.read_pointer(folder).values()))
        assert_nothing_left(folder)


def test_the_same_pack_imported_twice_at_once_installs_once(tmp_path: Path, publisher: Publisher) -> None:
    publisher.trust(system=True)
    pack = tmp_path / "p.zip"
    packs.make_pack(tiny(tmp_path), pack, publisher.secret)
    results = _race([pack, pack])
    assert sorted(r.returncode for r in results) == [ExitCode.OK, ExitCode.ERROR]
    refused = next(r for r in results if r.returncode == ExitCode.ERROR)
    assert "pas plus récent" in refused.stderr
    assert len(list(content_folder().glob("content-*.db"))) == 1


def test_the_kiosk_trusts_system_packs_only(tmp_path: Path, publisher: Publisher) -> None:
    publisher.trust(system=False)
    pack = tmp_path / "p.zip"
    packs.make_pack(tiny(tmp_path), pack, publisher.secret)
    user = packs.import_pack(pack)
    assert in_use() == user.path
    assert in_use(system_only=True) == REAL_DB


def test_unreadable_trusted_keys_are_named() -> None:
    folder = paths.system_config_dir() / "trusted-keys"
    folder.mkdir(parents=True)
    (folder / "casse.pub").write_text("untrusted comment: x\npas du base64\n", encoding="utf-8")
    keys, problems = packs.trusted_keys(system=True)
    assert keys == [] and len(problems) == 1 and "casse.pub" in problems[0]


@pytest.mark.parametrize(
    "content, message",
    [(b"not a zip at all", "pas un paquet"), (None, "exactement")],
)
def test_invalid_pack_files(tmp_path: Path, publisher: Publisher, content: bytes | None, message: str) -> None:
    publisher.trust(system=False)
    path = tmp_path / "p.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("data.db", b"x")
    else:
        path.write_bytes(content)
    with pytest.raises(packs.PackError, match=message):
        packs.import_pack(path)


def test_unwritable_data_folder_gives_a_clear_message(
    tmp_path: Path, publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher.trust(system=False)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("FICHE_DESKTOP_DATA_DIR", str(blocker / "sub"))
    pack = tmp_path / "pack.zip"
    packs.make_pack(tiny(tmp_path), pack, publisher.secret)
    # Windows (Wine at least) names a file in the way "already exists" rather than "not a folder".
    reason = "pas un dossier" if sys.platform != "win32" else "(pas un dossier|le fichier existe déjà)"
    with pytest.raises(packs.PackError, match=f"Impossible de créer le dossier .* {reason}"):
        packs.import_pack(pack)
