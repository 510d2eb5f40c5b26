"""Making a pack, the publisher's side: a database's manifest, signed with a minisign key, in a zip. No Qt."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from fiche_desktop.content import SCHEMA_VERSION
from fiche_desktop.packs.manifest import DB_MEMBER, MANIFEST, MAX_DB_BYTES, SIGNATURE, Manifest, PackError
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


def make_pack(db_path: Path, output: Path, key_file: Path) -> Manifest:
    """Writes the signed pack of db_path to output (never clobbering a special file); returns
    its manifest. Raises PackError."""
    import zipfile

    from fiche_desktop import files, signing

    key = read_secret_key(key_file)
    manifest = manifest_for(db_path)
    manifest_bytes = manifest.as_bytes()
    signature = signing.sign(manifest_bytes, key, file_name=MANIFEST)

    def write(f: BinaryIO) -> None:

        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(MANIFEST, manifest_bytes)
            z.writestr(SIGNATURE, signature)
            z.write(db_path, DB_MEMBER)

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
