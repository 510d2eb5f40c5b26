"""Where resources/, data.db and the user's files are: source checkout, installed or frozen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "fiche-desktop"


def bundle_root() -> Path:
    """The folder holding resources/ and data.db (PyInstaller's folder when frozen)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    env = os.environ.get("FICHE_DESKTOP_ROOT")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return bundle_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def bundled_db() -> Path:
    return bundle_root() / "data.db"


def _xdg(var: str, default: str) -> Path:
    value = os.environ.get(var)
    return Path(value) if value else Path.home() / default


def config_dir() -> Path:
    """The user's settings folder (FICHE_DESKTOP_CONFIG_DIR overrides, for tests)."""
    override = os.environ.get("FICHE_DESKTOP_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / APP_DIR_NAME
    return _xdg("XDG_CONFIG_HOME", ".config") / APP_DIR_NAME


def data_dir() -> Path:
    """The user's data folder, where imported content packs live."""
    override = os.environ.get("FICHE_DESKTOP_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / APP_DIR_NAME
    return _xdg("XDG_DATA_HOME", ".local/share") / APP_DIR_NAME


def system_data_dir() -> Path:
    """The fleet-wide folder for content packs (FICHE_DESKTOP_SYSTEM_DATA_DIR overrides)."""
    override = os.environ.get("FICHE_DESKTOP_SYSTEM_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", "C:/ProgramData")) / "FicheDesktop" / "data"
    return Path("/var/lib") / APP_DIR_NAME


def system_config_dir() -> Path:
    """The fleet-wide folder for kiosk.toml (FICHE_DESKTOP_SYSTEM_CONFIG_DIR overrides)."""
    override = os.environ.get("FICHE_DESKTOP_SYSTEM_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", "C:/ProgramData")) / "FicheDesktop"
    return Path("/etc") / APP_DIR_NAME


def settings_file() -> Path:
    return config_dir() / "settings.toml"


def write_atomic(path: Path, data: bytes) -> None:
    """Writes data to a temporary file beside path, then renames it over path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
