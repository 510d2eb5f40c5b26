"""Settings: declared defaults <- settings / kiosk file <- command line. No Qt here.

Every file is read defensively: a size limit, any parse failure (overflow and recursion
included) caught, every value checked and bounded, one bad value falling back alone. Saving
the desk settings merges with the file under a lock, so two windows keep each other's changes.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

from fiche_desktop import files, paths

ZOOM_MIN, ZOOM_MAX, ZOOM_DEFAULT, ZOOM_STEP = 50, 300, 100, 10
VERSIONS = ("standard", "falc")
THEMES = ("auto", "standard", "contrast")
MAX_RECENT = 10
MAX_FAVOURITES = 200
CONTACT_MAX_CHARS = 500  # each « Votre contact » field
MAX_SETTINGS_BYTES = 4 * 1024 * 1024
MAX_KIOSK_BYTES = 1024 * 1024
MAX_KIOSK_FICHES = 10_000
# What a parser may raise on hostile input besides its own error: huge numbers, deep nesting.
_PARSE_ERRORS = (ValueError, UnicodeDecodeError, RecursionError, OverflowError, MemoryError)


_NEW_LIST: list[Any] = []


def _new_list() -> list[Any]:
    """The default of a list field: each record gets a list of its own."""
    return _NEW_LIST


class Record:
    """A record of settings: its fields are the class's annotated attributes, whose values are
    the defaults; equality and repr leave out the INTERNAL fields, which no file sets.

    WORKAROUND (start-up time): what @dataclass would make, without building it at import:
    dataclasses writes each record's methods as source, compiles them and loads `inspect`,
    about 10 M instructions of the desk window's first frame (1.2 %, under callgrind)."""

    INTERNAL: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, **values: Any) -> None:
        names = self.field_names()
        unknown = values.keys() - set(names)
        if unknown:
            raise TypeError(f"{type(self).__name__} : champ(s) inconnu(s) {sorted(unknown)}")
        for name in names:
            default = getattr(type(self), name)
            setattr(self, name, values[name] if name in values else [] if default is _NEW_LIST else default)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(cls.__annotations__)

    @classmethod
    def settable_names(cls) -> tuple[str, ...]:
        """The fields a file may set."""
        return tuple(n for n in cls.field_names() if n not in cls.INTERNAL)

    def settable(self) -> dict[str, Any]:
        """The fields a file may set, with their values."""
        return {n: getattr(self, n) for n in self.settable_names()}

    def replace(self, **changes: Any) -> Self:
        """A new record with changes applied (the other fields' values shared, as dataclasses.replace)."""
        return type(self)(**{**{n: getattr(self, n) for n in self.field_names()}, **changes})

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.settable() == other.settable()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq

    def __repr__(self) -> str:
        values = ", ".join(f"{n}={v!r}" for n, v in self.settable().items())
        return f"{type(self).__name__}({values})"


R = TypeVar("R", bound=Record)


class Settings(Record):
    """The desk user's preferences, saved as JSON in the configuration folder."""

    INTERNAL = frozenset({"on_disk"})

    text_version: str = "standard"
    zoom: int = ZOOM_DEFAULT
    contact_name: str = ""
    contact_address: str = ""
    contact_phone: str = ""
    favourites: list[str] = _new_list()  # fiche slugs, in the order added
    recent: list[str] = _new_list()  # fiche slugs, the last opened first
    restore_session: bool = False  # reopen the last fiche (and its version) at start
    last_fiche: str = ""
    last_section: str = ""
    theme: str = "auto"  # auto (follows the system's contrast setting) | standard | contrast
    window_geometry: str = ""  # the desk window's last place, « x,y,width,height » (window_fit)
    # The values as last read from or written to the file: save_settings writes only the
    # fields changed since, and keeps the others' values from the file (another window's).
    on_disk: dict[str, Any] | None = None

    def has_contact(self) -> bool:
        return any(v.strip() for v in (self.contact_name, self.contact_address, self.contact_phone))

    def contact(self) -> tuple[str, str, str] | None:
        """(name, address, phone) for the « Votre contact » box of printouts, or None."""
        return (self.contact_name, self.contact_address, self.contact_phone) if self.has_contact() else None


class KioskConfig(Record):
    """Waiting-room kiosk settings, read from a TOML file (the PIN hash from its own file)."""

    INTERNAL = frozenset({"warnings"})

    idle_timeout_seconds: float = 120
    warning_seconds: float = 15
    text_version: str = "falc"
    printing: bool = False
    max_pages_per_session: int = 10
    max_pages_per_day: int = 100  # every visit of the day together, counted across restarts
    printer: str = ""  # the CUPS queue the kiosk prints to; empty: the system's default
    admin_pin_hash: str = ""
    fiches: list[str] = _new_list()  # empty: every fiche
    font_scale: float = 1.5
    read_aloud: bool = True  # the "Écouter" button, when a speech engine and audio output exist
    # Every problem found while loading, in French: logged at start, for the administrator.
    warnings: list[str] = _new_list()


def _check_value(name: str, value: Any, default: Any) -> str | None:
    """A French warning when value cannot stand for a field whose default is default."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int | float):
        # No float() of an int here: a 400-digit integer would overflow. Bounds come later.
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and (isinstance(value, int) or math.isfinite(value))
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(x, str) for x in value)
    else:
        ok = isinstance(value, type(default))
    if ok and not _encodable(value):
        return f"« {name} » : caractères invalides (pas de l’Unicode valide), valeur par défaut utilisée"
    return None if ok else f"« {name} » : valeur de type incorrect, valeur par défaut utilisée"


def _encodable(value: Any) -> bool:
    """False for a text (or a list of texts) holding a lone surrogate (valid JSON « \\ud800 »,
    but no UTF-8 can hold it: saving it would fail every time)."""
    texts = value if isinstance(value, list) else [value]
    try:
        for text in texts:
            if isinstance(text, str):
                text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _merge(defaults: R, data: dict[str, Any], origin: str) -> tuple[R, list[str]]:
    warnings: list[str] = []
    known = defaults.settable()
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            warnings.append(f"{origin} : clé inconnue « {files.clip(str(key))} » ignorée")
            continue
        problem = _check_value(key, value, known[key])
        if problem:
            warnings.append(f"{origin} : {problem}")
            continue
        if isinstance(known[key], int) and not isinstance(known[key], bool) and isinstance(value, float):
            value = int(value)
        values[key] = value
    return defaults.replace(**values), warnings


def _in_range(value: float, low: float, high: float) -> bool:
    """low <= value <= high, for ints of any size and finite floats alike."""
    return bool(low <= value <= high)


def _sanitize_settings(s: Settings, warnings: list[str]) -> Settings:
    if s.text_version not in VERSIONS:
        warnings.append(
            f"Réglages : version de texte « {files.clip(s.text_version)} » inconnue, version standard utilisée"
        )
        s.text_version = "standard"
    if not _in_range(s.zoom, ZOOM_MIN, ZOOM_MAX):
        warnings.append(f"Réglages : zoom hors limites ({ZOOM_MIN} à {ZOOM_MAX} %), 100 % utilisé")
        s.zoom = ZOOM_DEFAULT
    if s.theme not in THEMES:
        warnings.append(f"Réglages : thème « {files.clip(s.theme)} » inconnu, thème automatique utilisé")
        s.theme = "auto"
    s.favourites = list(dict.fromkeys(s.favourites))[:MAX_FAVOURITES]
    s.recent = list(dict.fromkeys(s.recent))[:MAX_RECENT]
    for name in ("contact_name", "contact_address", "contact_phone"):
        value = getattr(s, name)
        if len(value) > CONTACT_MAX_CHARS:
            warnings.append(f"Réglages : « {name} » trop long, coupé à {CONTACT_MAX_CHARS} caractères")
            setattr(s, name, value[:CONTACT_MAX_CHARS])
    return s


def _read_bounded(path: Path, limit: int) -> bytes:
    """path's bytes through the gate of controlled files (files.read_controlled_file): a
    regular file of at most limit bytes, never a blocking open (FileTooLargeError past limit)."""
    return files.read_controlled_file(path, limit)


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The saved settings and the warnings to show; an unreadable file is set aside (renamed
    settings.json.corrompu-DATE) and the defaults are used."""
    path = path or paths.settings_file()
    if not path.exists():
        legacy = path.with_name("settings.toml")  # 0.1.0 wrote JSON under this name
        if path == paths.settings_file() and legacy.is_file():
            path = legacy
        else:
            return Settings(on_disk=Settings().settable()), []
    try:
        data = json.loads(_read_bounded(path, MAX_SETTINGS_BYTES).decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return Settings(on_disk=Settings().settable()), []
    except files.SpecialFileError as e:  # never moved aside: not ours to rename
        return Settings(), [f"Fichier de réglages illisible ({e}), réglages par défaut utilisés."]
    except (OSError, *_PARSE_ERRORS):
        aside = _move_aside(path)
        where = f" (conservé sous {aside.name})" if aside else ""
        return Settings(), [f"Fichier de réglages illisible, réglages par défaut utilisés{where}."]
    settings, warnings = _merge(Settings(), data, "Réglages")
    settings = _sanitize_settings(settings, warnings)
    settings.on_disk = settings.settable()
    return settings, warnings


def _move_aside(path: Path) -> Path | None:
    aside = path.with_name(f"{path.name}.corrompu-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        os.replace(path, aside)
        return aside
    except OSError:
        return None


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Writes the fields changed since settings were read, keeping the file's other values
    (another window may have saved them meanwhile): read, merge and write under a lock,
    atomically. settings then holds the merged values. Raises OSError when the folder is
    not writable."""
    path = path or paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    files.check_replaceable(path)
    with files.locked(path.with_name(f"{path.name}.lock")):
        disk = load_settings(path)[0] if path.exists() else Settings()
        base = settings.on_disk
        merged: dict[str, Any] = {}
        for name, mine in settings.settable().items():
            changed = base is None or base.get(name) != mine
            merged[name] = mine if changed else getattr(disk, name)
        result = _sanitize_settings(Settings(**merged), [])
        values = result.settable()
        data = json.dumps(values, ensure_ascii=False, indent=2, sort_keys=True)
        paths.write_atomic(path, (data + "\n").encode("utf-8"))
    for name, value in values.items():
        setattr(settings, name, value)
    settings.on_disk = dict(values)


def kiosk_config_path(explicit: Path | None = None) -> Path:
    return explicit or paths.system_config_dir() / "kiosk.toml"


# A line that starts a TOML statement: a (dotted, maybe quoted) key and "=", or a [table] header.
_STATEMENT = (
    r"""^\s*(?:(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*\s*="""
    r"""|\[[^\[\]]*\]\s*(?:\#.*)?$)"""
)


def _toml_line(error: BaseException) -> str:
    match = re.search(r"line (\d+)", str(error))
    return f"ligne {match.group(1)}" if match else "structure trop profonde ou nombre trop grand"


def _parse_toml(text: str, origin: str) -> tuple[dict[str, Any], list[str]]:
    """The TOML document; when it does not parse, every statement that parses on its own
    (a broken line costs that setting alone, never the whole file)."""
    import tomllib  # only the kiosk needs it: kept off the desk start-up path

    try:
        return tomllib.loads(text), []
    except (tomllib.TOMLDecodeError, *_PARSE_ERRORS) as e:
        warnings = [
            f"{origin} : fichier TOML invalide ({_toml_line(e)}) : les réglages lisibles sont gardés, "
            "les autres prennent leur valeur par défaut"
        ]
    statements: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(_STATEMENT, line) or not statements:  # compiled on first use (re caches it)
            statements.append((number, [line]))
        else:
            statements[-1][1].append(line)
    data: dict[str, Any] = {}
    for number, lines in statements:
        # The shortest run of lines from the statement's first that parses (one line, or a
        # multi-line array or string); what follows it is a broken line of its own: it costs
        # itself, never the valid statement before it.
        part: dict[str, Any] | None = None
        for end in range(1, len(lines) + 1):
            try:
                part = tomllib.loads("\n".join(lines[:end]))
                break
            except (tomllib.TOMLDecodeError, *_PARSE_ERRORS):
                continue
        else:
            end = 0
        junk = [i for i in range(end, len(lines)) if lines[i].strip() and not lines[i].strip().startswith("#")]
        if junk:
            warnings.append(f"{origin}, ligne {number + junk[0]} : réglage illisible, valeur par défaut utilisée")
        for key, value in (part or {}).items():
            if key in data:
                warnings.append(f"{origin}, ligne {number} : « {key[:60]} » en double, première valeur gardée")
            else:
                data[key] = value
    return data, warnings


def parse_kiosk_config(text: str, origin: str = "kiosk.toml") -> tuple[KioskConfig, list[str]]:
    """Parses kiosk TOML text; anything wrong falls back to the safe default, key by key, with a warning."""
    data, warnings = _parse_toml(text, origin)
    config, merge_warnings = _merge(KioskConfig(), data, origin)
    warnings += merge_warnings
    defaults = KioskConfig()
    if config.text_version not in VERSIONS:
        warnings.append(f'{origin} : text_version doit valoir "standard" ou "falc"')
        config.text_version = defaults.text_version
    if not _in_range(config.idle_timeout_seconds, 5, 86400):
        warnings.append(f"{origin} : idle_timeout_seconds hors limites (5 à 86400)")
        config.idle_timeout_seconds = defaults.idle_timeout_seconds
    if not (_in_range(config.warning_seconds, 1, 600)):
        warnings.append(f"{origin} : warning_seconds hors limites (1 à 600)")
        config.warning_seconds = defaults.warning_seconds
    if not _in_range(config.max_pages_per_session, 0, 1000):
        warnings.append(f"{origin} : max_pages_per_session hors limites (0 à 1000)")
        config.max_pages_per_session = defaults.max_pages_per_session
    if not _in_range(config.max_pages_per_day, 0, 100_000):
        warnings.append(f"{origin} : max_pages_per_day hors limites (0 à 100000)")
        config.max_pages_per_day = defaults.max_pages_per_day
    if config.printer and not re.fullmatch(r"[^\s/\\'\"#]{1,127}", config.printer):
        warnings.append(f"{origin} : printer : nom de file d’impression invalide, imprimante par défaut utilisée")
        config.printer = defaults.printer
    if not _in_range(config.font_scale, 0.5, 4):
        warnings.append(f"{origin} : font_scale hors limites (0,5 à 4)")
        config.font_scale = defaults.font_scale
    if len(config.fiches) > MAX_KIOSK_FICHES or any(len(slug) > 100 for slug in config.fiches):
        warnings.append(f"{origin} : fiches : liste trop longue, toutes les fiches sont proposées")
        config.fiches = []
    if config.admin_pin_hash:
        from fiche_desktop.kiosk.pin import pin_hash_problem

        problem = pin_hash_problem(config.admin_pin_hash)
        if problem:
            warnings.append(f"{origin} : admin_pin_hash refusé ({problem}) : pas de code administrateur")
            config.admin_pin_hash = ""
    return config, warnings


def load_kiosk_config(path: Path | None = None) -> tuple[KioskConfig, list[str]]:
    """The kiosk configuration from path (or the system-wide file) and the PIN file beside it,
    with warnings (also kept in config.warnings). The PIN file wins over admin_pin_hash."""
    from fiche_desktop.kiosk.pin import loose_permissions, pin_path, read_pin_file

    path = kiosk_config_path(path)
    warnings: list[str] = []
    config = KioskConfig()
    try:
        raw = _read_bounded(path, MAX_KIOSK_BYTES)
    except FileNotFoundError:
        warnings.append(f"{path} : fichier absent, réglages par défaut du kiosque utilisés")
    except files.FileTooLargeError:
        warnings.append(f"{path} : fichier trop grand (plus de {MAX_KIOSK_BYTES // 1024} Ko), réglages par défaut")
    except files.SpecialFileError as e:
        warnings.append(f"{e} : réglages par défaut du kiosque utilisés")
    except OSError as e:
        warnings.append(f"{path} : fichier illisible ({files.french_reason(e)}), réglages par défaut utilisés")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # one bad byte costs the setting it sits in, not the file
            text = raw.decode("utf-8", errors="replace")
            warnings.append(f"{path} : octets invalides (pas de l’UTF-8) remplacés")
        config, parse_warnings = parse_kiosk_config(text, str(path))
        warnings += parse_warnings
        if config.admin_pin_hash:
            try:
                if loose_permissions(os.stat(path)):
                    warnings.append(
                        f"{path} : admin_pin_hash dans un fichier lisible par tous : déplacez-le dans "
                        f"{pin_path(path)} (fiche-desktop kiosk-pin) et retirez-le de ce fichier"
                    )
            except OSError:
                pass
    pin, pin_warnings = read_pin_file(pin_path(path))
    warnings += pin_warnings
    if pin is not None:
        config.admin_pin_hash = pin
    config.warnings = list(warnings)
    return config, warnings
