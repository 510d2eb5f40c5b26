"""Installed packs: the import under a lock, the pointer current.json, rollback and pruning. No Qt.

Installed packs live in `<data dir>/content/` as `content-<sha256>.db`; `current.json`
(written atomically) names the active one and the previous one. One lock per content folder
serialises imports and rollbacks. A pack becomes active only once its signature
(packs.manifest) and its database (packs.validation) have been checked.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fiche_desktop import paths
from fiche_desktop.db import DatabaseError, check_database, read_meta
from fiche_desktop.packs.manifest import (
    MAX_DB_BYTES,
    PackError,
    copy_db,
    how_to_trust,
    newer,
    open_signed_manifest,
    read_contacts,
    trusted_keys,
    valid_version,
)
from fiche_desktop.packs.validation import validate_database

if TYPE_CHECKING:
    from fiche_desktop import signing

POINTER = "current.json"
LOCK = ".lock"
INSTALLED_RE = re.compile(r"content-[0-9a-f]{64}\.db")
PUBLIC_MODE = 0o644
MAX_PACK_BYTES = MAX_DB_BYTES + 4 * 1024 * 1024  # the database stored, with its manifest and signature


class Installed(NamedTuple):
    path: Path
    content_version: str
    content_date: str
    fiches: int = 0
    key_id: str = ""


def content_dir(system: bool = False) -> Path:
    """The folder of the packs installed for this user, or for every account (system)."""
    return (paths.system_data_dir() if system else paths.data_dir()) / "content"


MAX_POINTER_BYTES = 4096


def read_pointer(folder: Path) -> dict[str, str]:
    """current.json's names, those of the form content-<sha256>.db only ({} when unreadable)."""
    return read_pointer_checked(folder)[0]


def read_pointer_checked(folder: Path) -> tuple[dict[str, str], str]:
    """current.json's names, and "" or the French line that says why it cannot be read (an
    absent file is no problem). Read through the gate of controlled files: never a blocking
    open (a FIFO put in its place), never more than MAX_POINTER_BYTES."""
    from fiche_desktop import files

    where = folder / POINTER
    try:
        data = json.loads(files.read_controlled_file(where, MAX_POINTER_BYTES).decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return {}, ""
    except OSError as e:
        return {}, f"Fichier {where} illisible ({files.french_reason(e)}) : le contenu installé là est ignoré"
    except (ValueError, RecursionError):
        return {}, f"Fichier {where} illisible (contenu invalide) : le contenu installé là est ignoré"
    pointer = {
        k: v
        for k, v in data.items()
        if k in ("active", "previous") and isinstance(v, str) and INSTALLED_RE.fullmatch(v)
    }
    return pointer, ""


def _write_pointer(folder: Path, pointer: dict[str, str]) -> None:
    from fiche_desktop import files

    data = json.dumps(pointer, indent=2, sort_keys=True).encode("utf-8")
    files.check_replaceable(folder / POINTER)
    paths.write_atomic(folder / POINTER, data, mode=PUBLIC_MODE)


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
    if not valid_version(meta.content_version):
        return None
    return Installed(path, meta.content_version, meta.content_date)


def _ensure_folder(folder: Path, system: bool) -> None:
    from fiche_desktop import files

    try:
        folder.mkdir(parents=True, exist_ok=True)
        if system and sys.platform != "win32":
            # Whatever root's umask: every account must read the content installed for all.
            for path in (folder.parent, folder):
                os.chmod(path, os.stat(path).st_mode & 0o7777 | 0o755)
    except OSError as e:
        raise PackError(f"Impossible de créer le dossier {folder} : {files.french_reason(e)}.") from None


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """The content folder's lock: imports and rollbacks wait for each other."""
    from fiche_desktop import files

    with ExitStack() as stack:
        try:
            stack.enter_context(files.locked(folder / LOCK))
        except TimeoutError:
            raise PackError(
                f"Une autre installation de contenu est en cours dans {folder} : réessayez plus tard."
            ) from None
        except OSError as e:
            advice = " (le contenu installé pour tous se gère en administrateur : sudo)" if _is_system(folder) else ""
            raise PackError(f"Impossible de modifier {folder} : {files.french_reason(e)}{advice}.") from None
        yield


def _is_system(folder: Path) -> bool:
    return folder == content_dir(system=True)


def _remove_leftovers(folder: Path) -> None:
    """Temporaries of an import that died (under the lock, no import is running)."""
    for leftover in folder.glob(".incoming-*"):
        with suppress(OSError):
            leftover.unlink()


def _baseline(folder: Path) -> str | None:
    """The version a new pack of folder must be newer than: its active pack's, else the bundled one's."""
    installed = active_pack(folder)
    if installed is not None:
        return installed.content_version
    try:
        version = read_meta(paths.bundled_db()).content_version
    except DatabaseError:
        return None
    return version if valid_version(version) else None


def import_pack(pack: Path, *, force: bool = False, system: bool = False) -> Installed:
    """Verifies, validates and installs pack; keeps the previous pack for rollback.

    system: installs for every account (trusting only the system's keys). Raises PackError
    with one line of French; the content in use is then unchanged.
    """
    keys, _problems = trusted_keys(system)
    if not keys:
        raise PackError(f"Aucune clé de confiance : ce paquet ne peut pas être vérifié ; {how_to_trust(system)}.")
    from fiche_desktop import files

    try:
        files.open_controlled(pack, MAX_PACK_BYTES).close()
    except FileNotFoundError:
        raise PackError(f"Paquet introuvable : {pack}") from None
    except OSError as e:
        raise PackError(f"Paquet refusé : {files.french_reason(e)}.") from None
    folder = content_dir(system)
    _ensure_folder(folder, system)
    with _folder_lock(folder):
        _remove_leftovers(folder)
        return _install(pack, folder, keys, force, system)


def _install(pack: Path, folder: Path, keys: list[signing.PublicKey], force: bool, system: bool) -> Installed:
    import tempfile
    import zipfile
    import zlib

    from fiche_desktop import files

    tmp: Path | None = None
    try:
        with files.open_controlled(pack, MAX_PACK_BYTES) as raw, zipfile.ZipFile(raw) as z:
            manifest, key = open_signed_manifest(z, keys, system)
            contacts_toml = read_contacts(z, manifest)
            baseline = _baseline(folder)
            if baseline and not force and not newer(manifest.content_version, baseline):
                raise PackError(
                    f"Ce paquet ({manifest.content_version}) n’est pas plus récent que le contenu "
                    f"utilisé ({baseline}). Utilisez --force pour l’installer quand même."
                )
            fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".db", dir=folder)
            tmp = Path(tmp_name)
            with os.fdopen(fd, "wb") as out:
                digest = copy_db(z, out)
                out.flush()
                os.fsync(out.fileno())
        if digest != manifest.sha256:
            raise PackError("Paquet altéré : l’empreinte sha256 de data.db ne correspond pas au manifeste.")
        version, date, count = validate_database(tmp)
        if (version, date) != (manifest.content_version, manifest.content_date):
            raise PackError("Paquet incohérent : la version ou la date du contenu diffère du manifeste.")
        if sys.platform != "win32":
            os.chmod(tmp, PUBLIC_MODE)
        name = f"content-{manifest.sha256}.db"
        _install_contacts(folder / name, contacts_toml)
        paths.replace_file(tmp, folder / name)
        tmp = None
        pointer = read_pointer(folder)
        previous = pointer.get("active")
        new_pointer = {"active": name}
        if previous and previous != name:
            new_pointer["previous"] = previous
        elif pointer.get("previous"):
            new_pointer["previous"] = pointer["previous"]
        _write_pointer(folder, new_pointer)
        _prune(folder, set(new_pointer.values()))
        return Installed(folder / name, version, date, count, key.id_hex)
    except KeyError:
        raise PackError(
            "Paquet invalide : il doit contenir exactement manifest.json, manifest.json.minisig et data.db."
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise PackError(f"Ce fichier n’est pas un paquet de contenu valide : {pack}") from None
    except files.RefusedFileError as e:
        raise PackError(f"Paquet refusé : {e}.") from None
    except OSError as e:
        raise PackError(f"Installation impossible dans {folder} : {files.french_reason(e)}.") from None
    finally:
        if tmp is not None:
            with suppress(OSError):
                tmp.unlink()


def _install_contacts(db_path: Path, data: bytes | None) -> None:
    """The pack's contacts.toml, kept beside its database (contacts.pack_file); a pack without
    contacts leaves none (the local files' contacts are used alone)."""
    from fiche_desktop import contacts

    target = contacts.pack_file(db_path)
    assert target is not None
    if data is None:
        target.unlink(missing_ok=True)
    else:
        paths.write_atomic(target, data, mode=PUBLIC_MODE)


def _prune(folder: Path, keep: set[str]) -> None:
    """Deletes the packs (and their contacts files) neither active nor previous that no running
    application reads (a window on an older pack keeps it until it closes; a later import prunes it)."""
    from fiche_desktop import files
    from fiche_desktop.contacts import PACK_SUFFIX

    kept = {Path(name).stem for name in keep}
    for p in folder.glob("content-*.db"):
        if p.name not in keep:
            files.remove_unless_in_use(p)
    for p in folder.glob(f"content-*{PACK_SUFFIX}"):
        if (
            p.name.removesuffix(PACK_SUFFIX) not in kept
            and not p.with_name(p.name.removesuffix(PACK_SUFFIX) + ".db").exists()
        ):
            with suppress(OSError):  # its base is gone: so is its use
                p.unlink()


def rollback(system: bool = False) -> Installed:
    """Makes the previous pack active again (the current one becomes the previous)."""
    folder = content_dir(system)
    if not folder.is_dir():
        raise PackError("Aucun contenu précédent à restaurer.")
    with _folder_lock(folder):
        return _rollback(folder)


def _rollback(folder: Path) -> Installed:
    from fiche_desktop import files

    pointer = read_pointer(folder)
    previous = pointer.get("previous")
    try:
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
        _write_pointer(folder, new_pointer)
    except OSError as e:
        raise PackError(f"Retour en arrière impossible : {files.french_reason(e)}.") from None
    return Installed(folder / previous, meta.content_version, meta.content_date)
