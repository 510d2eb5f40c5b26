"""A pack's format and its signature: the manifest, content versions, trusted keys, reading a signed zip. No Qt.

A pack is a zip of exactly three files:
- `manifest.json` (at most 64 KB): `schema_version`, `content_version` (digits and dots),
  `content_date` (AAAA-MM-JJ) and `sha256`, the SHA-256 of data.db;
- `manifest.json.minisig`: the manifest's minisign signature, by a trusted key (minisign
  `.pub` files in `<system config>/trusted-keys/`, and for a user's own imports also in
  `<user config>/trusted-keys/`);
- `data.db` (at most MAX_DB_BYTES): the content database;
- optionally `contacts.toml` (at most contacts.MAX_FILE_BYTES): the useful contacts a CPTS gives
  with its content, its SHA-256 in the manifest's `contacts_sha256`.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from fiche_desktop import paths
from fiche_desktop.content import SCHEMA_VERSION
from fiche_desktop.db import MAX_BASE_BYTES

if TYPE_CHECKING:  # loaded when a pack is made or installed, not to open the content at start
    import zipfile

    from fiche_desktop import signing

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.minisig"
DB_MEMBER = "data.db"
MEMBERS = (MANIFEST, SIGNATURE, DB_MEMBER)
CONTACTS_MEMBER = "contacts.toml"
OPTIONAL_KEYS = ("contacts_sha256",)
KEYS_DIR = "trusted-keys"
MAX_MANIFEST_BYTES = 64 * 1024
MAX_DB_BYTES = MAX_BASE_BYTES  # documented in the README (« Paquets de contenu signés »); 10,000 fiches: 205 MB
MANIFEST_KEYS = ("schema_version", "content_version", "content_date", "sha256")
VERSION_RE = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,9}){0,7}")
SHA256_RE = re.compile(r"[0-9a-f]{64}")


class PackError(Exception):
    """A pack cannot be made, installed or rolled back; the message is one line of French."""


class Manifest(NamedTuple):
    schema_version: str
    content_version: str
    content_date: str
    sha256: str
    contacts_sha256: str = ""  # the pack's contacts.toml, when it carries one

    def as_bytes(self) -> bytes:
        data = {k: getattr(self, k) for k in MANIFEST_KEYS}
        if self.contacts_sha256:
            data["contacts_sha256"] = self.contacts_sha256
        return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


# --- Versions ----------------------------------------------------------------------------


def valid_version(version: object) -> bool:
    """True for 'digits(.digits)*' (at most 8 parts of at most 9 digits)."""
    return isinstance(version, str) and VERSION_RE.fullmatch(version) is not None


def version_key(version: str) -> tuple[int, ...] | None:
    """'2026.11.2' -> (2026, 11, 2); None for a version that is not digits and dots."""
    return tuple(int(p) for p in version.split(".")) if valid_version(version) else None


def newer(a: str, b: str) -> bool:
    """a is a valid version, newer than b (any valid version is newer than an invalid one)."""
    ka, kb = version_key(a), version_key(b)
    return ka is not None and (kb is None or ka > kb)


def valid_date(value: object) -> bool:
    """True for an existing date written AAAA-MM-JJ."""
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# --- Trusted keys ------------------------------------------------------------------------


def trusted_key_dirs(system: bool) -> list[Path]:
    """Where the trusted public keys are: the system's; for a user's own imports, theirs too."""
    dirs = [paths.system_config_dir() / KEYS_DIR]
    if not system:
        dirs.append(paths.config_dir() / KEYS_DIR)
    return dirs


def trusted_keys(system: bool) -> tuple[list[signing.PublicKey], list[str]]:
    """The trusted keys, and one French line per .pub file that could not be read."""
    from fiche_desktop import files, signing

    keys: list[signing.PublicKey] = []
    problems: list[str] = []
    for folder in trusted_key_dirs(system):
        try:
            candidates = sorted(folder.glob("*.pub"))
        except OSError:
            continue
        for path in candidates:
            try:
                text = files.read_controlled_file(path, signing.MAX_KEY_FILE_BYTES).decode("utf-8")
                keys.append(signing.parse_public_key(text, str(path)))
            except (OSError, UnicodeDecodeError, signing.SignatureError) as e:
                reason = files.french_reason(e) if isinstance(e, OSError) else str(e)
                problems.append(f"Clé de confiance ignorée : {path} ({reason})")
    return keys, problems


def how_to_trust(system: bool) -> str:
    """The French advice that ends a refusal: where to put the publisher's public key."""
    where = str(paths.system_config_dir() / KEYS_DIR)
    if not system:
        where += f" (ou {paths.config_dir() / KEYS_DIR} pour vous seul)"
    return f"copiez la clé publique minisign de l’éditeur (fichier .pub) dans {where}, puis recommencez"


# --- Reading a pack ----------------------------------------------------------------------


def _read_member(z: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = z.getinfo(name)
    if info.file_size > limit:
        raise PackError(f"Paquet invalide : {name} trop grand (plus de {limit // 1024} Ko).")
    with z.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise PackError(f"Paquet invalide : {name} trop grand (plus de {limit // 1024} Ko).")
    return data


def parse_manifest(data: bytes) -> Manifest:
    """The manifest's fields, each checked. Raises PackError."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PackError("Paquet invalide : manifest.json illisible.") from None
    if not isinstance(raw, dict):
        raise PackError("Paquet invalide : manifest.json illisible.")
    for key in MANIFEST_KEYS:
        if not isinstance(raw.get(key), str):
            raise PackError(f"Paquet invalide : champ « {key} » absent du manifeste.")
    unknown = sorted(set(raw) - set(MANIFEST_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise PackError(f"Paquet invalide : champ inconnu « {unknown[0][:40]} » dans le manifeste.")
    contacts_sha = raw.get("contacts_sha256", "")
    if "contacts_sha256" in raw and not (isinstance(contacts_sha, str) and SHA256_RE.fullmatch(contacts_sha)):
        raise PackError("Paquet invalide : contacts_sha256 doit faire 64 caractères hexadécimaux.")
    manifest = Manifest(raw["schema_version"], raw["content_version"], raw["content_date"], raw["sha256"], contacts_sha)
    for key in ("schema_version", "content_version"):
        if not valid_version(getattr(manifest, key)):
            raise PackError(
                f"Paquet invalide : {key} « {getattr(manifest, key)[:40]} » doit être fait de chiffres "
                "et de points (ex. : 2027.1.1)."
            )
    if not valid_date(manifest.content_date):
        raise PackError("Paquet invalide : content_date doit être une date AAAA-MM-JJ.")
    if not SHA256_RE.fullmatch(manifest.sha256):
        raise PackError("Paquet invalide : sha256 doit faire 64 caractères hexadécimaux.")
    if manifest.schema_version != str(SCHEMA_VERSION):
        raise PackError(
            f"Paquet d’un autre format (schéma {manifest.schema_version}, attendu {SCHEMA_VERSION}) : "
            "mettez l’application à jour."
        )
    return manifest


def open_signed_manifest(
    z: zipfile.ZipFile, keys: list[signing.PublicKey], system: bool
) -> tuple[Manifest, signing.PublicKey]:
    """The pack's manifest, its signature checked against keys, and the key that signed it. Raises PackError."""
    from fiche_desktop import signing

    names = [i.filename for i in z.infolist()]
    if SIGNATURE not in names and MANIFEST in names:
        raise PackError(
            "Paquet refusé : il n’est pas signé (manifest.json.minisig absent). Demandez à votre éditeur un "
            "paquet signé (fiche-desktop make-pack ou minisign)."
        )
    if sorted(names) not in (sorted(MEMBERS), sorted((*MEMBERS, CONTACTS_MEMBER))):
        raise PackError(
            "Paquet invalide : il doit contenir exactement manifest.json, manifest.json.minisig et data.db "
            "(et, s’il donne des contacts, contacts.toml)."
        )
    manifest_bytes = _read_member(z, MANIFEST, MAX_MANIFEST_BYTES)
    try:
        signature = _read_member(z, SIGNATURE, signing.MAX_SIGNATURE_FILE_BYTES).decode("utf-8")
        key, _comment = signing.verify(manifest_bytes, signature, keys)
    except UnicodeDecodeError:
        raise PackError("Paquet refusé : signature illisible.") from None
    except signing.SignatureError as e:
        raise PackError(f"Paquet refusé : {e}. S’il vient bien de votre éditeur, {how_to_trust(system)}.") from None
    manifest = parse_manifest(manifest_bytes)
    if bool(manifest.contacts_sha256) != (CONTACTS_MEMBER in names):
        raise PackError("Paquet incohérent : contacts.toml et le manifeste ne concordent pas.")
    return manifest, key


def read_contacts(z: zipfile.ZipFile, manifest: Manifest) -> bytes | None:
    """The pack's contacts.toml, its SHA-256 checked against the signed manifest; None when the
    pack carries none. Raises PackError."""
    import hashlib

    from fiche_desktop.contacts import MAX_FILE_BYTES

    if not manifest.contacts_sha256:
        return None
    data = _read_member(z, CONTACTS_MEMBER, MAX_FILE_BYTES)
    if hashlib.sha256(data).hexdigest() != manifest.contacts_sha256:
        raise PackError("Paquet altéré : l’empreinte sha256 de contacts.toml ne correspond pas au manifeste.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackError("Paquet invalide : contacts.toml n’est pas en UTF-8.") from None
    return data


def copy_db(z: zipfile.ZipFile, out: BinaryIO) -> str:
    """Copies data.db to out (MAX_DB_BYTES at most, whatever the zip claims); returns its sha256."""
    import hashlib

    info = z.getinfo(DB_MEMBER)
    too_big = PackError(f"Paquet invalide : base de données trop grande (plus de {MAX_DB_BYTES // 2**20} Mo).")
    if info.file_size > MAX_DB_BYTES:
        raise too_big
    digest = hashlib.sha256()
    size = 0
    with z.open(info) as src:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            size += len(chunk)
            if size > MAX_DB_BYTES:
                raise too_big
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()
