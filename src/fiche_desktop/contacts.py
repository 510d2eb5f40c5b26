"""« Qui contacter ? »: the practice's useful contacts (contacts.toml), read, checked and saved. No Qt.

A contacts file holds `[[contact]]` tables: `structure` (a fiche slug: dac, cpts, sas, msp…) and
`name` are required; `phone`, `address`, `hours`, `web`, `note`, `given_by` and `date` are optional.
Three files are read, the later winning on the same structure and name: the one carried by the
active content pack (beside its database), the system's (`<system config>/contacts.toml`, pushed
by IT like kiosk.toml) and the user's (`<user config>/contacts.toml`, written by Réglages ›
« Contacts utiles »). A malformed entry is set aside with one French line naming the file and the
line; the others are kept. These contacts are the practice's, never the sources': everything that
shows them labels them (presentation.contact_label).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from fiche_desktop import paths

FILE_NAME = "contacts.toml"
PACK_SUFFIX = ".contacts.toml"  # content-<sha256>.db -> content-<sha256>.contacts.toml
MAX_FILE_BYTES = 256 * 1024
MAX_CONTACTS = 500
FIELDS = ("structure", "name", "phone", "address", "hours", "web", "note", "given_by", "date")
REQUIRED = ("structure", "name")
# Each field's longest value; a longer one is cut, and the cut is said.
MAX_CHARS: dict[str, int] = {
    "structure": 60,
    "name": 120,
    "phone": 40,
    "address": 200,
    "hours": 200,
    "web": 300,
    "note": 400,
    "given_by": 120,
    "date": 10,
}
FIELD_LABELS: dict[str, str] = {
    "structure": "structure",
    "name": "nom",
    "phone": "téléphone",
    "address": "adresse",
    "hours": "horaires",
    "web": "site internet",
    "note": "à savoir",
    "given_by": "donné par",
    "date": "date",
}
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
_PHONE_RE = re.compile(r"\+?[0-9(][0-9 .\-()]*")
_HEADER_RE = re.compile(r"^\s*\[\[\s*contact\s*\]\]\s*(#.*)?$")
_HOST_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})+")
_PARSE_ERRORS = (ValueError, UnicodeDecodeError, RecursionError, OverflowError, MemoryError)


@dataclass(frozen=True)
class UsefulContact:
    """One contact the practice (or IT, or a CPTS through a content pack) gives for a structure."""

    structure: str
    name: str
    phone: str = ""
    address: str = ""
    hours: str = ""
    web: str = ""
    note: str = ""
    given_by: str = ""
    date: str = ""  # AAAA-MM-JJ, or "" when the file gives none
    origin: str = field(default="", compare=False)  # "user", "system" or "pack"

    @property
    def key(self) -> tuple[str, str]:
        """What two files' entries are the same contact by: the structure and the name."""
        return (self.structure, " ".join(self.name.casefold().split()))

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass
class Loaded:
    contacts: list[UsefulContact]
    warnings: list[str]


# --- Checking values -----------------------------------------------------------------------------


def phone_problem(value: str) -> str | None:
    """Why value is not a phone number (French), or None: digits, spaces, dots, dashes, brackets
    and a leading +; from 2 digits (« 15 ») to 15."""
    value = value.strip()
    if not value:
        return None
    if not _PHONE_RE.fullmatch(value):
        return "seuls les chiffres, espaces, points, tirets, parenthèses et un + au début sont permis"
    digits = sum(ch.isdigit() for ch in value)
    if not 2 <= digits <= 15:
        return "un numéro compte de 2 à 15 chiffres"
    return None


def web_problem(value: str) -> str | None:
    """Why value is not a web address (French), or None: http:// or https:// and a host name."""
    value = value.strip()
    if not value:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "adresse illisible"
    if parts.scheme not in ("http", "https"):
        return "l’adresse doit commencer par https:// ou http://"
    if any(ch.isspace() for ch in value) or not _HOST_RE.fullmatch(host):
        return "adresse illisible (nom de site manquant ou espace dans l’adresse)"
    return None


def date_problem(value: str) -> str | None:
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        _dt.date.fromisoformat(value)
    except ValueError:
        return "date attendue sous la forme AAAA-MM-JJ"
    return None


def structure_problem(value: str) -> str | None:
    if not SLUG_RE.fullmatch(value):
        return "identifiant de fiche attendu (dac, cpts, sas, msp…)"
    return None


def field_problem(name: str, value: str) -> str | None:
    """Why value cannot be kept in field name (French), or None. The editor asks this on entry."""
    if name in REQUIRED and not value.strip():
        return "obligatoire"
    if name == "structure":
        return structure_problem(value.strip())
    if name == "phone":
        return phone_problem(value)
    if name == "web":
        return web_problem(value)
    if name == "date":
        return date_problem(value.strip())
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return "caractère de contrôle refusé"
    return None


def tidy(value: str) -> str:
    """value on one line, its runs of spaces (tabs, line breaks, no-break spaces pasted from a
    web page or a word processor) made one space."""
    return " ".join(value.split())


def cut(name: str, value: str) -> tuple[str, bool]:
    """value, cut to the field's longest length; and whether it was cut."""
    limit = MAX_CHARS[name]
    return (value[:limit], True) if len(value) > limit else (value, False)


# --- Parsing a file -------------------------------------------------------------------------------


def _entry(raw: object, origin_file: str, line: int, origin: str, warnings: list[str]) -> UsefulContact | None:
    """One [[contact]] table checked: the contact, or None (set aside, one line said)."""
    where = f"« {origin_file} », ligne {line}"
    if not isinstance(raw, dict):
        warnings.append(f"{where} : contact mis de côté (ce n’est pas une table [[contact]])")
        return None
    values: dict[str, str] = {}
    notes: list[str] = []
    for key, value in raw.items():
        if key not in FIELDS:
            notes.append(f"clé inconnue « {str(key)[:40]} » ignorée")
            continue
        if key == "date" and isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            value = value.isoformat()
        if not isinstance(value, str):
            warnings.append(f"{where} : contact mis de côté (« {key} » doit être un texte entre guillemets)")
            return None
        value, was_cut = cut(key, tidy(value))
        if was_cut:
            notes.append(f"« {key} » coupé à {MAX_CHARS[key]} caractères")
        values[key] = value
    for key in REQUIRED:
        if not values.get(key):
            warnings.append(f"{where} : contact mis de côté (« {key} » manquant)")
            return None
    for key, value in values.items():
        problem = field_problem(key, value)
        if problem:
            warnings.append(f"{where} : contact mis de côté ({FIELD_LABELS[key]} « {value[:40]} » : {problem})")
            return None
    if notes:
        warnings.append(f"{where} : {' ; '.join(notes)}")
    return UsefulContact(**values, origin=origin)


def parse(text: str, origin_file: str = FILE_NAME, origin: str = "user") -> Loaded:
    """The contacts of a contacts.toml text. Each [[contact]] table is read on its own, so that
    a broken one costs that entry alone; each problem is one French line naming the file and line."""
    import tomllib

    warnings: list[str] = []
    blocks: list[tuple[int, list[str]]] = [(1, [])]
    for number, line in enumerate(text.splitlines(), start=1):
        if _HEADER_RE.match(line):
            blocks.append((number, [line]))
        else:
            blocks[-1][1].append(line)
    contacts: list[UsefulContact] = []
    for index, (number, lines) in enumerate(blocks):
        body = "\n".join(lines)
        if index == 0:  # before the first [[contact]]: comments only
            first = next((i for i, x in enumerate(lines, 1) if x.strip() and not x.strip().startswith("#")), 0)
            if first:
                warnings.append(f"« {origin_file} », ligne {first} : texte hors d’un [[contact]] ignoré")
            continue
        try:
            data = tomllib.loads(body)
        except (tomllib.TOMLDecodeError, *_PARSE_ERRORS) as e:
            match = re.search(r"line (\d+)", str(e))
            at = number + int(match.group(1)) - 1 if match else number
            warnings.append(f"« {origin_file} », ligne {at} : contact mis de côté (TOML illisible)")
            continue
        entries = data.get("contact")
        if set(data) != {"contact"} or not isinstance(entries, list) or len(entries) != 1:
            warnings.append(f"« {origin_file} », ligne {number} : contact mis de côté (table inattendue)")
            continue
        if len(contacts) >= MAX_CONTACTS:
            warnings.append(f"« {origin_file} », ligne {number} : plus de {MAX_CONTACTS} contacts, la suite ignorée")
            break
        contact = _entry(entries[0], origin_file, number, origin, warnings)
        if contact is not None:
            contacts.append(contact)
    return Loaded(contacts, warnings)


def read_file(path: Path) -> bytes | None:
    """path's bytes through files.py's gate (a regular file only, at most MAX_FILE_BYTES, never a
    blocking open: a FIFO never hangs the start). None when there is no file; OSError (French)
    otherwise."""
    from fiche_desktop import files

    try:
        return files.read_controlled_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        return None


def load_file(path: Path, origin: str) -> Loaded:
    """The contacts of the file at path (none when it does not exist), with the problems found."""
    from fiche_desktop import files

    try:
        raw = read_file(path)
    except (files.SpecialFileError, files.FileTooLargeError) as e:  # their text names the path
        return Loaded([], [f"{e} : fichier de contacts ignoré"])
    except OSError as e:
        return Loaded([], [f"« {path} » : fichier de contacts illisible ({files.french_reason(e)})"])
    if raw is None:
        return Loaded([], [])
    text = raw.decode("utf-8", errors="replace")
    loaded = parse(text, str(path), origin)
    if "\ufffd" in text and "\ufffd".encode() not in raw:
        loaded.warnings.insert(0, f"« {path} » : octets invalides (pas de l’UTF-8) remplacés")
    return loaded


def merge(*layers: Iterable[UsefulContact]) -> list[UsefulContact]:
    """The contacts of every layer; on the same structure and name, the later layer's wins (in
    the earlier one's place)."""
    merged: dict[tuple[str, str], UsefulContact] = {}
    for layer in layers:
        for c in layer:
            merged[c.key] = c
    return list(merged.values())


# --- The files in use ---------------------------------------------------------------------------------


def user_file() -> Path:
    return paths.config_dir() / FILE_NAME


def system_file() -> Path:
    return paths.system_config_dir() / FILE_NAME


def pack_file(db_path: Path | None) -> Path | None:
    """The contacts file an installed content pack brought, beside its database; None for the
    bundled database (the application ships no contacts)."""
    if db_path is None or not db_path.name.startswith("content-") or db_path.suffix != ".db":
        return None
    return db_path.with_name(db_path.stem + PACK_SUFFIX)


def _sources(db_path: Path | None) -> list[tuple[Path, str]]:
    found = [(system_file(), "system"), (user_file(), "user")]
    pack = pack_file(db_path)
    return [(pack, "pack"), *found] if pack is not None else found


def load(db_path: Path | None = None) -> Loaded:
    """Every useful contact: the content pack's (db_path's), the system's, the user's, merged."""
    layers: list[list[UsefulContact]] = []
    warnings: list[str] = []
    for path, origin in _sources(db_path):
        loaded = load_file(path, origin)
        layers.append(loaded.contacts)
        warnings += loaded.warnings
    return Loaded(merge(*layers), warnings)


_cache: dict[Path | None, tuple[tuple[object, ...], Loaded]] = {}


def _stamp(path: Path) -> object:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def current(db_path: Path | None = None) -> Loaded:
    """load(db_path), read again only when one of the files changed (every render asks)."""
    stamp = tuple((p, _stamp(p)) for p, _o in _sources(db_path))
    hit = _cache.get(db_path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    loaded = load(db_path)
    _cache.clear()
    _cache[db_path] = (stamp, loaded)
    return loaded


def for_structure(contacts: Sequence[UsefulContact], slug: str) -> list[UsefulContact]:
    return [c for c in contacts if c.structure == slug]


# --- Writing the user's file -------------------------------------------------------------------------


def _toml_string(value: str) -> str:
    out = ['"']
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def dumps(contacts: Iterable[UsefulContact]) -> str:
    """contacts as a contacts.toml text (which parse reads back to the same contacts)."""
    out = ["# Contacts utiles, enregistrés par Fiche Desktop (Réglages › Contacts utiles).", ""]
    for c in contacts:
        out.append("[[contact]]")
        for name in FIELDS:
            value = getattr(c, name)
            if value or name in REQUIRED:
                out.append(f"{name} = {_toml_string(value)}")
        out.append("")
    return "\n".join(out)


def save_user(contacts: Iterable[UsefulContact], path: Path | None = None) -> None:
    """Writes the user's contacts file atomically (a temporary file renamed over it). Raises OSError."""
    paths.write_atomic(path or user_file(), dumps(contacts).encode("utf-8"), mode=0o644)


def checked(contact: UsefulContact) -> tuple[UsefulContact, list[str], list[str]]:
    """contact with each value cut to its length; one French line per problem (the editor
    refuses the entry while there is one); one per value cut (said, not refused)."""
    problems: list[str] = []
    cuts: list[str] = []
    values = contact.values()
    for name in FIELDS:
        value, was_cut = cut(name, tidy(values[name]))
        if was_cut:
            cuts.append(f"{FIELD_LABELS[name].capitalize()} : trop long, coupé à {MAX_CHARS[name]} caractères.")
        values[name] = value
        problem = field_problem(name, value)
        if problem:
            problems.append(f"{FIELD_LABELS[name].capitalize()} : {problem}.")
    return replace(contact, **values), problems, cuts
