"""Settings: declared defaults <- settings / kiosk file <- command line. No Qt here."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from fiche_desktop import paths

ZOOM_MIN, ZOOM_MAX, ZOOM_DEFAULT, ZOOM_STEP = 50, 300, 100, 10
VERSIONS = ("standard", "falc")
THEMES = ("auto", "standard", "contrast")
MAX_RECENT = 10
MAX_FAVOURITES = 200


@dataclass
class Settings:
    """The desk user's preferences, saved as JSON in the configuration folder."""

    text_version: str = "standard"
    zoom: int = ZOOM_DEFAULT
    contact_name: str = ""
    contact_address: str = ""
    contact_phone: str = ""
    favourites: list[str] = field(default_factory=list)  # fiche slugs, in the order added
    recent: list[str] = field(default_factory=list)  # fiche slugs, the last opened first
    restore_session: bool = False  # reopen the last fiche (and its version) at start
    last_fiche: str = ""
    last_section: str = ""
    theme: str = "auto"  # auto (follows the system's contrast setting) | standard | contrast

    def has_contact(self) -> bool:
        return any(v.strip() for v in (self.contact_name, self.contact_address, self.contact_phone))

    def contact(self) -> tuple[str, str, str] | None:
        """(name, address, phone) for the « Votre contact » box of printouts, or None."""
        return (self.contact_name, self.contact_address, self.contact_phone) if self.has_contact() else None


@dataclass
class KioskConfig:
    """Waiting-room kiosk settings, read from a TOML file."""

    idle_timeout_seconds: float = 120
    warning_seconds: float = 15
    text_version: str = "falc"
    printing: bool = False
    max_pages_per_session: int = 10
    admin_pin_hash: str = ""
    fiches: list[str] = field(default_factory=list)  # empty: every fiche
    font_scale: float = 1.5
    read_aloud: bool = True  # the "Écouter" button, when a speech engine and audio output exist


def _check_value(name: str, value: Any, default: Any) -> str | None:
    """A French warning when value cannot stand for a field whose default is default."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(x, str) for x in value)
    else:
        ok = isinstance(value, type(default))
    return None if ok else f"« {name} » : valeur de type incorrect, valeur par défaut utilisée"


def _merge(defaults: Any, data: dict[str, Any], origin: str) -> tuple[Any, list[str]]:
    warnings: list[str] = []
    known = {f.name: getattr(defaults, f.name) for f in fields(defaults)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            warnings.append(f"{origin} : clé inconnue « {key} » ignorée")
            continue
        problem = _check_value(key, value, known[key])
        if problem:
            warnings.append(f"{origin} : {problem}")
            continue
        if isinstance(known[key], int) and not isinstance(known[key], bool) and isinstance(value, float):
            value = int(value)
        values[key] = value
    return dataclasses.replace(defaults, **values), warnings


def _sanitize_settings(s: Settings, warnings: list[str]) -> Settings:
    if s.text_version not in VERSIONS:
        warnings.append(f"Réglages : version de texte « {s.text_version} » inconnue, version standard utilisée")
        s.text_version = "standard"
    if not ZOOM_MIN <= s.zoom <= ZOOM_MAX:
        warnings.append(f"Réglages : zoom {s.zoom} % hors limites, 100 % utilisé")
        s.zoom = ZOOM_DEFAULT
    if s.theme not in THEMES:
        warnings.append(f"Réglages : thème « {s.theme} » inconnu, thème automatique utilisé")
        s.theme = "auto"
    s.favourites = list(dict.fromkeys(s.favourites))[:MAX_FAVOURITES]
    s.recent = list(dict.fromkeys(s.recent))[:MAX_RECENT]
    return s


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The saved settings and the warnings to show; a corrupt file is moved aside."""
    path = path or paths.settings_file()
    if not path.exists():
        legacy = path.with_name("settings.toml")  # 0.1.0 wrote JSON under this name
        if path == paths.settings_file() and legacy.is_file():
            path = legacy
        else:
            return Settings(), []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except (OSError, UnicodeDecodeError, ValueError):
        aside = _move_aside(path)
        where = f" (conservé sous {aside.name})" if aside else ""
        return Settings(), [f"Fichier de réglages illisible, réglages par défaut utilisés{where}."]
    settings, warnings = _merge(Settings(), data, "Réglages")
    return _sanitize_settings(settings, warnings), warnings


def _move_aside(path: Path) -> Path | None:
    aside = path.with_name(f"{path.name}.corrompu-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        os.replace(path, aside)
        return aside
    except OSError:
        return None


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Writes the settings atomically. Raises OSError when the folder is not writable."""
    path = path or paths.settings_file()
    data = json.dumps(dataclasses.asdict(settings), ensure_ascii=False, indent=2, sort_keys=True)
    paths.write_atomic(path, (data + "\n").encode("utf-8"))


def kiosk_config_path(explicit: Path | None = None) -> Path:
    return explicit or paths.system_config_dir() / "kiosk.toml"


def parse_kiosk_config(text: str, origin: str = "kiosk.toml") -> tuple[KioskConfig, list[str]]:
    """Parses kiosk TOML text; anything wrong falls back to the safe default, with a warning."""
    import tomllib  # only the kiosk needs it: kept off the desk start-up path

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return KioskConfig(), [f"{origin} : fichier TOML invalide ({e}), réglages par défaut utilisés"]
    config, warnings = _merge(KioskConfig(), data, origin)
    defaults = KioskConfig()
    if config.text_version not in VERSIONS:
        warnings.append(f'{origin} : text_version doit valoir "standard" ou "falc"')
        config.text_version = defaults.text_version
    if not 5 <= config.idle_timeout_seconds <= 86400:
        warnings.append(f"{origin} : idle_timeout_seconds hors limites (5 à 86400)")
        config.idle_timeout_seconds = defaults.idle_timeout_seconds
    if not 0 < config.warning_seconds <= 600:
        warnings.append(f"{origin} : warning_seconds hors limites (1 à 600)")
        config.warning_seconds = defaults.warning_seconds
    if not 0 <= config.max_pages_per_session <= 1000:
        warnings.append(f"{origin} : max_pages_per_session hors limites (0 à 1000)")
        config.max_pages_per_session = defaults.max_pages_per_session
    if not 0.5 <= config.font_scale <= 4:
        warnings.append(f"{origin} : font_scale hors limites (0,5 à 4)")
        config.font_scale = defaults.font_scale
    if config.admin_pin_hash and not _is_pin_hash(config.admin_pin_hash):
        warnings.append(f"{origin} : admin_pin_hash illisible (créez-le avec « fiche-desktop kiosk-pin »)")
        config.admin_pin_hash = ""
    return config, warnings


def load_kiosk_config(path: Path | None = None) -> tuple[KioskConfig, list[str]]:
    """The kiosk configuration from path (or the system-wide file), with warnings."""
    path = kiosk_config_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return KioskConfig(), [f"{path} : fichier absent, réglages par défaut du kiosque utilisés"]
    except (OSError, UnicodeDecodeError) as e:
        return KioskConfig(), [f"{path} : fichier illisible ({e}), réglages par défaut utilisés"]
    return parse_kiosk_config(text, str(path))


# --- Admin PIN: stored only as a salted PBKDF2 hash --------------------------------------

_PIN_ALGO = "pbkdf2_sha256"
_PIN_ITERATIONS = 200_000


def hash_pin(pin: str, salt: bytes | None = None, iterations: int = _PIN_ITERATIONS) -> str:
    import hashlib
    import secrets

    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return f"{_PIN_ALGO}${iterations}${salt.hex()}${digest.hex()}"


def _is_pin_hash(value: str) -> bool:
    parts = value.split("$")
    if len(parts) != 4 or parts[0] != _PIN_ALGO or not parts[1].isdigit():
        return False
    try:
        bytes.fromhex(parts[2])
        bytes.fromhex(parts[3])
    except ValueError:
        return False
    return True


def verify_pin(pin: str, stored: str) -> bool:
    """True when pin matches the stored hash; False for an empty or malformed hash."""
    if not _is_pin_hash(stored):
        return False
    import hashlib
    import hmac

    _, iterations, salt_hex, digest_hex = stored.split("$")
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), bytes.fromhex(salt_hex), int(iterations))
    return hmac.compare_digest(digest.hex(), digest_hex)
