"""The one gate for files on disk: the bundled data.db and resources/, and the user's folders.

The run-time files are found in this order: the PyInstaller folder (frozen build), the
package's own `_bundle/` folder (an installed wheel: pyproject.toml force-includes data.db
and the run-time resources there), then the source checkout that holds the package (an
editable install or `python -m` from the repository). No Qt here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "fiche-desktop"
BUNDLE_DIR = "_bundle"
DB_NAME = "data.db"
FONT_FILES = ("Andika-Regular.ttf", "Andika-Bold.ttf")  # resources/fonts, with their OFL licence


class MissingFileError(Exception):
    """A run-time file of the application is missing; the message is one line of French."""


def _package_dir() -> Path:
    """What importlib.resources.files("fiche_desktop") gives for the package on disk (checkout,
    wheel, PyInstaller folder), read from the package's spec: importing importlib.resources
    (and zipfile with it) would cost the start-up about 8 ms."""
    spec = sys.modules["fiche_desktop"].__spec__
    locations = spec.submodule_search_locations if spec is not None else None
    if locations:
        return Path(next(iter(locations)))
    import importlib.resources

    return Path(str(importlib.resources.files("fiche_desktop")))


def checkout_root() -> Path | None:
    """The source checkout holding the package (src/fiche_desktop), or None when installed."""
    root = _package_dir().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "src" / "fiche_desktop").is_dir():
        return root
    return None


def bundle_root() -> Path:
    """The folder holding resources/ and data.db."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    installed = _package_dir() / BUNDLE_DIR
    if installed.is_dir():
        return installed
    root = checkout_root()
    if root is not None:
        return root
    return installed  # a broken installation: require() names what is missing


def require(path: Path) -> Path:
    """path if it exists; else MissingFileError naming it (a broken installation)."""
    if not path.exists():
        raise MissingFileError(
            f"Fichier de l’application manquant : {path}. Réinstallez l’application ou contactez "
            "votre service informatique."
        )
    return path


def resources_dir() -> Path:
    return bundle_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def icon_file() -> Path:
    return resources_dir() / "icons" / "fiche-desktop.png"


def bundled_db() -> Path:
    return bundle_root() / DB_NAME


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
    """The fleet-wide folder for kiosk.toml, kiosk-pin and trusted-keys/
    (FICHE_DESKTOP_SYSTEM_CONFIG_DIR overrides)."""
    override = os.environ.get("FICHE_DESKTOP_SYSTEM_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", "C:/ProgramData")) / "FicheDesktop"
    return Path("/etc") / APP_DIR_NAME


def kiosk_state_dir() -> Path:
    """Where the kiosk keeps what outlives a restart (the day's printed pages): the folder
    systemd gives the unit (StateDirectory=, as $STATE_DIRECTORY), else the account's data
    folder. FICHE_DESKTOP_KIOSK_STATE_DIR overrides both. The list is split on os.pathsep (":"
    where systemd runs; ";" on Windows, where "C:\\…" holds a colon)."""
    override = os.environ.get("FICHE_DESKTOP_KIOSK_STATE_DIR")
    if override:
        return Path(override)
    systemd = os.environ.get("STATE_DIRECTORY", "").split(os.pathsep)[0]
    if systemd:
        return Path(systemd)
    return data_dir()


def settings_file() -> Path:
    return config_dir() / "settings.json"


def log_file() -> Path:
    return data_dir() / "fiche-desktop.log"


def replace_file(source: Path, target: Path) -> None:
    """os.replace(source, target). On Windows a file another process holds open (reading the
    settings, say) cannot be replaced for that moment: Python opens files without
    FILE_SHARE_DELETE, and the rename fails with "Access denied". It is retried for about a
    second before the error goes up."""
    if sys.platform != "win32":
        os.replace(source, target)
        return
    import time

    for attempt in range(50):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == 49:
                raise
            time.sleep(0.02)


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Writes data to a temporary file beside path, then renames it over path (the
    application's own files: settings, pointers; exports go through files.write_output).

    mode: the file's permissions (else those of mkstemp: 0600).
    """
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None and sys.platform != "win32":
            os.chmod(tmp, mode)
        replace_file(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
