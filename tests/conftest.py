"""Shared fixtures: offscreen Qt, a throwaway profile for every test, the real and a tiny db."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "resources" / "sources"
REAL_DB = ROOT / "data.db"
CONTENT = ROOT / "resources" / "content"


@pytest.fixture(autouse=True)
def _throwaway_profile(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own settings, data and system-config folders."""
    profile = tmp_path_factory.mktemp("profile")
    monkeypatch.setenv("FICHE_DESKTOP_CONFIG_DIR", str(profile / "config"))
    monkeypatch.setenv("FICHE_DESKTOP_DATA_DIR", str(profile / "data"))
    monkeypatch.setenv("FICHE_DESKTOP_SYSTEM_CONFIG_DIR", str(profile / "etc"))
    monkeypatch.setenv("FICHE_DESKTOP_SYSTEM_DATA_DIR", str(profile / "var"))
    monkeypatch.setenv("FICHE_DESKTOP_KIOSK_STATE_DIR", str(profile / "kiosk-state"))
    return profile


@pytest.fixture(scope="session")
def real_db():
    from fiche_desktop.db import ContentDB

    db = ContentDB(REAL_DB)
    yield db
    db.close()


@pytest.fixture
def tiny_db(tmp_path: Path):
    """A small database built from Python data with the project's build code."""
    from fiche_desktop.build import validate, write_database
    from fiche_desktop.db import ContentDB
    from tests.helpers import tiny_content

    path = tmp_path / "tiny.db"
    write_database(validate(tiny_content()), path)
    db = ContentDB(path)
    yield db
    db.close()
