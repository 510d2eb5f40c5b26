"""Content packs: a newer data.db with a manifest, installed atomically, with rollback. No Qt.

A pack is a zip holding `manifest.json` and `data.db`. The manifest names the schema
version, the content version and date, and the sha256 of data.db. Installed packs live in
`<data dir>/content/`, and a pointer file `current.json` (written atomically) names the
active one and the previous one.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fiche_desktop import paths
from fiche_desktop.content import SCHEMA_VERSION
from fiche_desktop.db import ContentDB, DatabaseError, check_database, read_meta

MANIFEST = "manifest.json"
DB_MEMBER = "data.db"
POINTER = "current.json"
MAX_DB_BYTES = 200 * 1024 * 1024


class PackError(Exception):
    """A pack cannot be installed or rolled back; the message is French."""


@dataclass(frozen=True)
class Installed:
    path: Path
    content_version: str
    content_date: str


def version_key(version: str) -> tuple[int | str, ...]:
    """'2026.11.2' -> (2026, 11, 2): compares content versions numerically."""
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


def newer(a: str, b: str) -> bool:
    try:
        return version_key(a) > version_key(b)
    except TypeError:
        return a > b


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def make_pack(db_path: Path, output: Path) -> dict[str, str]:
    """Writes a pack for db_path; returns its manifest."""
    import zipfile

    meta = check_database(db_path)
    manifest = {
        "schema_version": str(meta.schema_version),
        "content_version": meta.content_version,
        "content_date": meta.content_date,
        "sha256": sha256_file(db_path),
    }
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
            z.write(db_path, DB_MEMBER)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return manifest


def content_dir(system: bool = False) -> Path:
    return (paths.system_data_dir() if system else paths.data_dir()) / "content"


def read_pointer(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / POINTER).read_text(encoding="utf-8"))
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
    except (OSError, ValueError, AttributeError):
        return {}


def _write_pointer(folder: Path, pointer: dict[str, str]) -> None:
    paths.write_atomic(folder / POINTER, json.dumps(pointer, indent=2, sort_keys=True).encode("utf-8"))


def active_pack(folder: Path) -> Installed | None:
    """The active pack of folder, if its database has the right shape (checked in full when opened)."""
    name = read_pointer(folder).get("active")
    if not name:
        return None
    path = folder / name
    try:
        meta = read_meta(path)
    except DatabaseError:
        return None
    return Installed(path, meta.content_version, meta.content_date)


def _read_manifest(z: Any) -> dict[str, str]:
    try:
        manifest = json.loads(z.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise PackError("Paquet invalide : manifest.json absent.") from None
    except (ValueError, UnicodeDecodeError):
        raise PackError("Paquet invalide : manifest.json illisible.") from None
    if not isinstance(manifest, dict):
        raise PackError("Paquet invalide : manifest.json illisible.")
    for key in ("schema_version", "content_version", "content_date", "sha256"):
        if not isinstance(manifest.get(key), str):
            raise PackError(f"Paquet invalide : champ « {key} » absent du manifeste.")
    return manifest


def import_pack(
    pack: Path, *, force: bool = False, system: bool = False, current_version: str | None = None
) -> Installed:
    """Checks and installs pack; keeps the previous pack for rollback. Raises PackError."""
    import shutil
    import tempfile
    import zipfile

    if not pack.is_file():
        raise PackError(f"Paquet introuvable : {pack}")
    folder = content_dir(system)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PackError(f"Impossible de créer le dossier {folder} : {e.strerror or e}") from None
    try:
        with zipfile.ZipFile(pack) as z:
            manifest = _read_manifest(z)
            if manifest["schema_version"] != str(SCHEMA_VERSION):
                raise PackError(
                    f"Paquet d'un autre format (schéma {manifest['schema_version']}, "
                    f"attendu {SCHEMA_VERSION}) : mettez l'application à jour."
                )
            info = z.getinfo(DB_MEMBER)
            if info.file_size > MAX_DB_BYTES:
                raise PackError("Paquet invalide : base de données trop grande.")
            fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".db", dir=folder)
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as out, z.open(info) as src:
                    shutil.copyfileobj(src, out)
                    out.flush()
                    os.fsync(out.fileno())
                return _install(folder, tmp, manifest, force, current_version)
            finally:
                tmp.unlink(missing_ok=True)
    except KeyError:
        raise PackError("Paquet invalide : data.db absent.") from None
    except zipfile.BadZipFile:
        raise PackError(f"Ce fichier n'est pas un paquet de contenu valide : {pack}") from None
    except OSError as e:
        raise PackError(f"Installation impossible dans {folder} : {e.strerror or e}") from None


def _install(folder: Path, tmp: Path, manifest: dict[str, str], force: bool, current_version: str | None) -> Installed:
    if sha256_file(tmp) != manifest["sha256"]:
        raise PackError("Paquet altéré : l'empreinte sha256 ne correspond pas au manifeste.")
    try:
        meta = check_database(tmp)
    except DatabaseError as e:
        raise PackError(f"Paquet invalide : {e}") from None
    if meta.content_version != manifest["content_version"]:
        raise PackError("Paquet incohérent : la version du contenu diffère du manifeste.")
    installed = active_pack(folder)
    baseline = installed.content_version if installed else current_version
    if baseline and not force and not newer(meta.content_version, baseline):
        raise PackError(
            f"Ce paquet ({meta.content_version}) n'est pas plus récent que le contenu "
            f"utilisé ({baseline}). Utilisez --force pour l'installer quand même."
        )
    name = f"content-{meta.content_version}-{manifest['sha256'][:12]}.db"
    final = folder / name
    os.replace(tmp, final)
    pointer = read_pointer(folder)
    previous = pointer.get("active")
    new_pointer = {"active": name}
    if previous and previous != name:
        new_pointer["previous"] = previous
    _write_pointer(folder, new_pointer)
    _prune(folder, set(new_pointer.values()))
    return Installed(final, meta.content_version, meta.content_date)


def _prune(folder: Path, keep: set[str]) -> None:
    for p in folder.glob("content-*.db"):
        if p.name not in keep:
            p.unlink(missing_ok=True)


def rollback(system: bool = False) -> Installed:
    """Makes the previous pack active again (the current one becomes the previous)."""
    folder = content_dir(system)
    pointer = read_pointer(folder)
    previous = pointer.get("previous")
    if not previous and pointer.get("active"):
        # Only one pack installed: going back means using the bundled content again.
        _write_pointer(folder, {"previous": pointer["active"]})
        return Installed(paths.bundled_db(), "", "")
    if not previous or not (folder / previous).is_file():
        raise PackError("Aucun contenu précédent à restaurer.")
    try:
        meta = check_database(folder / previous)
    except DatabaseError as e:
        raise PackError(f"Le contenu précédent est inutilisable : {e}") from None
    new_pointer = {"active": previous}
    if pointer.get("active"):
        new_pointer["previous"] = pointer["active"]
    try:
        _write_pointer(folder, new_pointer)
    except OSError as e:
        raise PackError(f"Retour en arrière impossible : {e.strerror or e}") from None
    return Installed(folder / previous, meta.content_version, meta.content_date)


def _candidates(bundled: Path, system_only: bool) -> tuple[list[tuple[Path, str]], list[str]]:
    """The content databases to try, newest first, as (path, what it is, for messages), and a
    French line for each installed pack that cannot even be read.

    On equal versions the bundled database comes first, then the user's pack, then the
    system's. A database that fails its full check is skipped later, by open_content.
    """
    found: list[tuple[tuple[int | str, ...], int, Path, str]] = []
    warnings: list[str] = []
    try:
        found.append((version_key(read_meta(bundled).content_version), 2, bundled, "contenu d’origine"))
    except DatabaseError:
        pass
    folders = [(0, True)] if system_only else [(1, False), (0, True)]
    for priority, system in folders:
        folder = content_dir(system)
        label = "paquet de contenu installé pour tous" if system else "paquet de contenu de l’utilisateur"
        name = read_pointer(folder).get("active")
        if not name:
            continue
        try:
            meta = read_meta(folder / name)
        except DatabaseError as e:
            warnings.append(f"{label[0].upper()}{label[1:]} inutilisable, contenu suivant utilisé : {e}")
            continue
        found.append((version_key(meta.content_version), priority, folder / name, label))
    try:
        found.sort(key=lambda c: (c[0], c[1]), reverse=True)
    except TypeError:  # versions of different shapes: the bundled database first
        found.sort(key=lambda c: c[1], reverse=True)
    return [(path, label) for _, _, path, label in found], warnings


def open_content(
    explicit: Path | None = None, *, system_only: bool = False, bundled: Path | None = None
) -> tuple[ContentDB, list[str]]:
    """The content to show, for every mode: --db when given, else the newest usable of the
    installed packs and the bundled data.db. Returns the opened database and one French line
    per pack that could not be used (the next valid content is used instead).

    system_only (the kiosk): only the packs installed for all users count, never a user's.
    Raises DatabaseError when nothing can be opened. bundled replaces data.db (tests).
    """
    if explicit is not None:
        return ContentDB(explicit), []
    bundled = bundled or paths.bundled_db()
    candidates, warnings = _candidates(bundled, system_only)
    last: DatabaseError | None = None
    for path, label in candidates or [(bundled, "contenu d’origine")]:
        try:
            return ContentDB(path), warnings
        except DatabaseError as e:
            last = e
            warnings.append(f"{label[0].upper()}{label[1:]} inutilisable, contenu suivant utilisé : {e}")
    assert last is not None
    raise last


def main(argv: list[str] | None = None) -> int:
    """python -m fiche_desktop.packs DATA_DB PACK.zip: writes a content pack."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("Usage : python -m fiche_desktop.packs DATA_DB PAQUET.zip", file=sys.stderr)
        return 2
    try:
        manifest = make_pack(Path(args[0]), Path(args[1]))
    except (DatabaseError, OSError) as e:
        print(f"Paquet non créé : {e}", file=sys.stderr)
        return 1
    print(f"{args[1]} : contenu {manifest['content_version']} ({manifest['sha256'][:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
