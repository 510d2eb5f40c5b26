"""Bad data never ends in a traceback: broken databases, tampered packs, bad settings."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiche_desktop import config, paths
from fiche_desktop.db import ContentDB, DatabaseError, check_database
from fiche_desktop.exit_codes import ExitCode
from fiche_desktop.kiosk import pin as admin_pin
from tests.conftest import REAL_DB
from tests.helpers import tiny


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
    assert out.returncode == ExitCode.ERROR
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


# --- content packs: tests/unit/test_packs.py


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
    # No temporary left; the lock file that serialises saves stays beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json", "settings.json.lock"]


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
    stored = admin_pin.hash_pin("4711", iterations=admin_pin.PIN_MIN_ITERATIONS)
    assert admin_pin.verify_pin("4711", stored) and not admin_pin.verify_pin("0000", stored)
    assert not admin_pin.verify_pin("4711", "") and not admin_pin.verify_pin("4711", "garbage")
