"""Bad data never ends in a traceback: broken databases, tampered packs, bad settings."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiche_desktop import config, packs, paths
from fiche_desktop.build import validate, write_database
from fiche_desktop.db import ContentDB, DatabaseError, check_database
from tests.conftest import REAL_DB
from tests.helpers import tiny_content


def tiny(tmp_path: Path, version: str = "2099.1.1", name: str = "t.db") -> Path:
    files = tiny_content()
    files["sources.toml"]["content_version"] = version
    path = tmp_path / name
    write_database(validate(files), path)
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "introuvable"),
        (lambda p: p.write_bytes(REAL_DB.read_bytes()[:5000]), "Base de données"),
        (lambda p: p.write_bytes(os.urandom(8192)), "Base de données"),
        (lambda p: p.write_bytes(b""), "Base de données"),
    ],
)
def test_broken_databases_give_a_french_message(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "data.db"
    make(path)
    with pytest.raises(DatabaseError, match=message):
        check_database(path)


def test_wrong_schema_version_is_refused(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="Version de base non prise en charge"):
        check_database(path)


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="pas une base Fiche Desktop"):
        check_database(path)


def test_bundled_database_is_opened_read_only(tmp_path: Path) -> None:
    copy = tmp_path / "data.db"
    copy.write_bytes(REAL_DB.read_bytes())
    before = copy.read_bytes()
    db = ContentDB(copy)
    with pytest.raises(sqlite3.OperationalError):
        db.conn.execute("CREATE TABLE evil (x)")
    db.close()
    assert copy.read_bytes() == before


def test_cli_on_truncated_database_prints_one_line_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "data.db"
    path.write_bytes(REAL_DB.read_bytes()[:10000])
    out = subprocess.run(
        [sys.executable, "-m", "fiche_desktop", "search", "msp", "--db", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


# --- content packs


def test_pack_installs_is_used_and_rolls_back(tmp_path: Path) -> None:
    pack = tmp_path / "pack.zip"
    manifest = packs.make_pack(tiny(tmp_path), pack)
    assert manifest["content_version"] == "2099.1.1"
    installed = packs.import_pack(pack, current_version="2026.11.1")
    assert installed.path.parent == paths.data_dir() / "content"
    assert packs.open_content(bundled=REAL_DB)[0].path == installed.path
    pack2 = tmp_path / "pack2.zip"
    packs.make_pack(tiny(tmp_path, "2099.2.0", "t2.db"), pack2)
    second = packs.import_pack(pack2)
    assert packs.open_content(bundled=REAL_DB)[0].path == second.path
    back = packs.rollback()
    assert back.content_version == "2099.1.1"
    assert packs.open_content(bundled=REAL_DB)[0].path == installed.path


def test_downgrade_is_refused_without_force(tmp_path: Path) -> None:
    pack = tmp_path / "old.zip"
    packs.make_pack(tiny(tmp_path, "2000.1.1"), pack)
    with pytest.raises(packs.PackError, match="pas plus récent"):
        packs.import_pack(pack, current_version="2026.11.1")
    assert packs.import_pack(pack, current_version="2026.11.1", force=True).content_version == "2000.1.1"
    # An older pack never hides the newer bundled content.
    assert packs.open_content(bundled=REAL_DB)[0].path == REAL_DB


def test_tampered_pack_is_refused_and_nothing_is_installed(tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    packs.make_pack(tiny(tmp_path), good)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        dst.writestr("manifest.json", src.read("manifest.json"))
        data = bytearray(src.read("data.db"))
        data[-100] ^= 0xFF
        dst.writestr("data.db", bytes(data))
    with pytest.raises(packs.PackError, match="altéré"):
        packs.import_pack(bad)
    folder = paths.data_dir() / "content"
    assert not list(folder.glob("content-*.db")) and not list(folder.glob(".incoming-*"))


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a zip at all", "pas un paquet"),
        (None, "manifest.json absent"),
    ],
)
def test_invalid_pack_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "p.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("data.db", b"x")
    else:
        path.write_bytes(content)
    with pytest.raises(packs.PackError, match=message):
        packs.import_pack(path)


def test_unwritable_data_folder_gives_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() == 0:
        # root ignores permissions: use a path below a regular file instead.
        blocker = tmp_path / "file"
        blocker.write_text("x")
        monkeypatch.setenv("FICHE_DESKTOP_DATA_DIR", str(blocker / "sub"))
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        monkeypatch.setenv("FICHE_DESKTOP_DATA_DIR", str(locked / "sub"))
    pack = tmp_path / "pack.zip"
    packs.make_pack(tiny(tmp_path), pack)
    with pytest.raises(packs.PackError, match="Impossible de créer le dossier"):
        packs.import_pack(pack)


def test_import_pack_command_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack.zip"
    packs.make_pack(tiny(tmp_path), pack)
    env = {**os.environ}
    run = lambda *a: subprocess.run(
        [sys.executable, "-m", "fiche_desktop", *a],  # noqa: E731
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    out = run("import-pack", str(pack))
    assert out.returncode == 0 and "2099.1.1" in out.stdout
    out = run("import-pack", str(pack))
    assert out.returncode == 1 and "pas plus récent" in out.stderr
    out = run("rollback")
    assert out.returncode == 0 and "rétabli" in out.stdout
    out = run("import-pack", str(tmp_path / "absent.zip"))
    assert out.returncode == 1 and "introuvable" in out.stderr


# --- settings and kiosk configuration


def test_settings_unknown_keys_and_wrong_types_fall_back_with_warnings() -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"zoom": "big", "text_version": "falc", "colour": "red"}), encoding="utf-8")
    s, warnings = config.load_settings()
    assert s.zoom == 100 and s.text_version == "falc"
    assert any("colour" in w for w in warnings) and any("zoom" in w for w in warnings)


def test_settings_are_written_atomically(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    config.save_settings(config.Settings(zoom=130), path)
    assert json.loads(path.read_text(encoding="utf-8"))["zoom"] == 130
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_settings_in_unwritable_place_raise_oserror(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        config.save_settings(config.Settings(), blocker / "settings.json")


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_kiosk_config_parser_never_raises(text: str) -> None:
    cfg, warnings = config.parse_kiosk_config(text)
    assert cfg.text_version in ("standard", "falc")
    assert 5 <= cfg.idle_timeout_seconds <= 86400


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "idle_timeout_seconds",
                "warning_seconds",
                "text_version",
                "printing",
                "max_pages_per_session",
                "fiches",
                "font_scale",
                "other",
            ]
        ),
        st.one_of(
            st.integers(-(10**6), 10**6),
            st.floats(allow_nan=True),
            st.text(max_size=10),
            st.booleans(),
            st.lists(st.text(max_size=5), max_size=3),
        ),
    )
)
@settings(max_examples=200, deadline=None)
def test_kiosk_config_values_of_any_type_fall_back_safely(data: dict) -> None:
    lines = []
    for k, v in data.items():
        lines.append(f"{k} = {json.dumps(v)}" if not isinstance(v, float) or v == v else f"{k} = nan")
    cfg, _ = config.parse_kiosk_config("\n".join(lines))
    assert isinstance(cfg.printing, bool) and isinstance(cfg.fiches, list)
    assert 0 < cfg.warning_seconds <= 600 and 0.5 <= cfg.font_scale <= 4


def test_pin_hash_roundtrip() -> None:
    stored = config.hash_pin("4711", iterations=1000)
    assert config.verify_pin("4711", stored) and not config.verify_pin("0000", stored)
    assert not config.verify_pin("4711", "") and not config.verify_pin("4711", "garbage")
