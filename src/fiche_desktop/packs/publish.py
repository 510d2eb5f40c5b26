"""Making a pack, the publisher's side: a database's manifest, signed with a minisign key, in a zip. No Qt."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from fiche_desktop.content import SCHEMA_VERSION
from fiche_desktop.packs.manifest import (
    CONTACTS_MEMBER,
    DB_MEMBER,
    MANIFEST,
    MAX_DB_BYTES,
    SIGNATURE,
    Manifest,
    PackError,
)
from fiche_desktop.packs.validation import validate_database

if TYPE_CHECKING:
    from fiche_desktop import signing


def sha256_file(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_for(db_path: Path) -> Manifest:
    """The manifest of db_path, after the same validation an import makes. Raises PackError."""
    from fiche_desktop import files

    try:
        files.open_controlled(db_path, MAX_DB_BYTES).close()
    except FileNotFoundError:
        raise PackError(f"Base de données introuvable : {db_path}") from None
    except files.FileTooLargeError:
        raise PackError(f"Base de données trop grande (plus de {MAX_DB_BYTES // 2**20} Mo).") from None
    except OSError as e:
        raise PackError(f"Base de données refusée : {files.french_reason(e)}.") from None
    version, date, _count = validate_database(db_path)
    return Manifest(str(SCHEMA_VERSION), version, date, sha256_file(db_path))


def read_secret_key(key_file: Path) -> signing.SecretKey:
    from fiche_desktop import files, signing

    try:
        text = files.read_controlled_file(key_file, signing.MAX_KEY_FILE_BYTES).decode("utf-8")
    except OSError as e:
        raise PackError(f"Clé secrète illisible : {key_file} ({files.french_reason(e)}).") from None
    except UnicodeDecodeError:
        raise PackError(f"Clé secrète illisible : {key_file}.") from None
    try:
        return signing.parse_secret_key(text)
    except signing.SignatureError as e:
        raise PackError(f"{e} ({key_file})") from None


def read_contacts_file(path: Path) -> bytes:
    """A contacts.toml to put in a pack: read and checked (every entry must be readable: the
    publisher fixes it before it reaches a fleet). Raises PackError."""
    from fiche_desktop import contacts, files

    try:
        data = contacts.read_file(path)
    except OSError as e:
        raise PackError(f"Fichier de contacts illisible : {path} ({files.french_reason(e)}).") from None
    except ValueError as e:
        raise PackError(f"Fichier de contacts refusé : {path} ({e}).") from None
    if data is None:
        raise PackError(f"Fichier de contacts introuvable : {path}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackError(f"Fichier de contacts refusé : {path} (pas en UTF-8).") from None
    loaded = contacts.parse(text, str(path), "pack")
    if loaded.warnings:
        raise PackError(f"Fichier de contacts à corriger : {loaded.warnings[0]}.")
    return data


def make_pack(db_path: Path, output: Path, key_file: Path, contacts_file: Path | None = None) -> Manifest:
    """Writes the signed pack of db_path to output (never clobbering a special file), with
    contacts_file's useful contacts when given; returns its manifest. Raises PackError."""
    import hashlib
    import zipfile

    from fiche_desktop import files, signing

    key = read_secret_key(key_file)
    manifest = manifest_for(db_path)
    contacts_data = read_contacts_file(contacts_file) if contacts_file is not None else None
    if contacts_data is not None:
        manifest = manifest._replace(contacts_sha256=hashlib.sha256(contacts_data).hexdigest())
    manifest_bytes = manifest.as_bytes()
    signature = signing.sign(manifest_bytes, key, file_name=MANIFEST)

    def write(f: BinaryIO) -> None:

        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(MANIFEST, manifest_bytes)
            z.writestr(SIGNATURE, signature)
            z.write(db_path, DB_MEMBER)
            if contacts_data is not None:
                z.writestr(CONTACTS_MEMBER, contacts_data)

    try:
        files.write_output_with(output, write)
    except files.OutputError as e:
        raise PackError(str(e)) from None
    except OSError as e:
        raise PackError(files.french_os_error(e, output)) from None
    return manifest


def write_manifest(db_path: Path, output: Path) -> Manifest:
    """Writes only manifest.json for db_path (to be signed with `minisign -S`)."""
    from fiche_desktop import files

    manifest = manifest_for(db_path)
    try:
        files.write_output(output, manifest.as_bytes())
    except files.OutputError as e:
        raise PackError(str(e)) from None
    return manifest
