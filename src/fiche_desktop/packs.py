"""Content packs: signed with minisign, validated before use, installed under a lock. No Qt.

A pack is a zip of exactly three files:
- `manifest.json` (at most 64 KB): `schema_version`, `content_version` (digits and dots),
  `content_date` (AAAA-MM-JJ) and `sha256`, the SHA-256 of data.db;
- `manifest.json.minisig`: the manifest's minisign signature, by a trusted key (minisign
  `.pub` files in `<system config>/trusted-keys/`, and for a user's own imports also in
  `<user config>/trusted-keys/`);
- `data.db` (at most MAX_DB_BYTES): the content database.

Before a pack becomes active its database is validated within VALIDATION_SECONDS: the exact
schema of the build, every fiche and section read through ContentDB with types checked, the
search index answering. Installed packs live in `<data dir>/content/` as
`content-<sha256>.db`; `current.json` (written atomically) names the active one and the
previous one. One lock per content folder serialises imports and rollbacks.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from fiche_desktop import paths, schema
from fiche_desktop.content import CRITERIA, FICHE_KINDS, GROUPS, SCHEMA_VERSION, SECTION_LEVELS, Meta

if TYPE_CHECKING:  # loaded when a pack is made or installed, not to open the content at start
    import zipfile

    from fiche_desktop import signing

from fiche_desktop.db import ContentDB, DatabaseError, check_database, connect_readonly, read_meta, set_deadline

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.minisig"
DB_MEMBER = "data.db"
MEMBERS = (MANIFEST, SIGNATURE, DB_MEMBER)
POINTER = "current.json"
LOCK = ".lock"
KEYS_DIR = "trusted-keys"
MAX_MANIFEST_BYTES = 64 * 1024
MAX_DB_BYTES = 512 * 1024 * 1024  # documented in the README (« Paquets de contenu signés »); 10,000 fiches: 205 MB
VALIDATION_SECONDS = 120.0
MANIFEST_KEYS = ("schema_version", "content_version", "content_date", "sha256")
VERSION_RE = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,9}){0,7}")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
INSTALLED_RE = re.compile(r"content-[0-9a-f]{64}\.db")
SAMPLE_FICHES = 12
PUBLIC_MODE = 0o644


class PackError(Exception):
    """A pack cannot be made, installed or rolled back; the message is one line of French."""


class Installed(NamedTuple):
    path: Path
    content_version: str
    content_date: str
    fiches: int = 0
    key_id: str = ""


class Manifest(NamedTuple):
    schema_version: str
    content_version: str
    content_date: str
    sha256: str

    def as_bytes(self) -> bytes:
        data = {k: getattr(self, k) for k in MANIFEST_KEYS}
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


def _valid_date(value: object) -> bool:
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
                with path.open("rb") as f:
                    text = f.read(signing.MAX_KEY_FILE_BYTES + 1).decode("utf-8")
                if len(text) > signing.MAX_KEY_FILE_BYTES:
                    raise signing.SignatureError("fichier trop grand")
                keys.append(signing.parse_public_key(text, str(path)))
            except (OSError, UnicodeDecodeError, signing.SignatureError) as e:
                reason = files.french_reason(e) if isinstance(e, OSError) else str(e)
                problems.append(f"Clé de confiance ignorée : {path} ({reason})")
    return keys, problems


def _how_to_trust(system: bool) -> str:
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
    unknown = sorted(set(raw) - set(MANIFEST_KEYS))
    if unknown:
        raise PackError(f"Paquet invalide : champ inconnu « {unknown[0][:40]} » dans le manifeste.")
    manifest = Manifest(*(raw[k] for k in MANIFEST_KEYS))
    for key in ("schema_version", "content_version"):
        if not valid_version(getattr(manifest, key)):
            raise PackError(
                f"Paquet invalide : {key} « {getattr(manifest, key)[:40]} » doit être fait de chiffres "
                "et de points (ex. : 2027.1.1)."
            )
    if not _valid_date(manifest.content_date):
        raise PackError("Paquet invalide : content_date doit être une date AAAA-MM-JJ.")
    if not SHA256_RE.fullmatch(manifest.sha256):
        raise PackError("Paquet invalide : sha256 doit faire 64 caractères hexadécimaux.")
    if manifest.schema_version != str(SCHEMA_VERSION):
        raise PackError(
            f"Paquet d’un autre format (schéma {manifest.schema_version}, attendu {SCHEMA_VERSION}) : "
            "mettez l’application à jour."
        )
    return manifest


def _open_signed_manifest(
    z: zipfile.ZipFile, keys: list[signing.PublicKey], system: bool
) -> tuple[Manifest, signing.PublicKey]:
    from fiche_desktop import signing

    names = [i.filename for i in z.infolist()]
    if SIGNATURE not in names and MANIFEST in names:
        raise PackError(
            "Paquet refusé : il n’est pas signé (manifest.json.minisig absent). Demandez à votre éditeur un "
            "paquet signé (fiche-desktop make-pack ou minisign)."
        )
    if sorted(names) != sorted(MEMBERS):
        raise PackError(
            "Paquet invalide : il doit contenir exactement manifest.json, manifest.json.minisig et data.db."
        )
    manifest_bytes = _read_member(z, MANIFEST, MAX_MANIFEST_BYTES)
    try:
        signature = _read_member(z, SIGNATURE, signing.MAX_SIGNATURE_FILE_BYTES).decode("utf-8")
        key, _comment = signing.verify(manifest_bytes, signature, keys)
    except UnicodeDecodeError:
        raise PackError("Paquet refusé : signature illisible.") from None
    except signing.SignatureError as e:
        raise PackError(f"Paquet refusé : {e}. S’il vient bien de votre éditeur, {_how_to_trust(system)}.") from None
    return parse_manifest(manifest_bytes), key


def _copy_db(z: zipfile.ZipFile, out: BinaryIO) -> str:
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


# --- Validation --------------------------------------------------------------------------


def _refuse(message: str) -> PackError:
    return PackError(f"Paquet invalide : {message}.")


def _check_types(conn: sqlite3.Connection) -> None:
    """Every column holds the type the build writes; NULL only where the build may leave one."""
    for table, (columns, _pk) in schema.TABLES.items():
        nullable = schema.NULLABLE.get(table, frozenset())
        for column, kind in columns.items():
            allowed = ["'text'"] if kind is str else ["'integer'"]
            if column in nullable:
                allowed.append("'null'")
            sql = f'SELECT 1 FROM "{table}" WHERE typeof("{column}") NOT IN ({", ".join(allowed)}) LIMIT 1'
            if conn.execute(sql).fetchone():
                raise _refuse(f"colonne {table}.{column} vide ou d’un mauvais type")


def _str_list(value: object) -> bool:
    return isinstance(value, tuple | list) and all(isinstance(x, str) for x in value)


def _check_content(db: ContentDB) -> int:
    """Reads everything through the application's reader, with types checked; returns the fiche count."""
    meta = {r[0]: r[1] for r in db.query("SELECT key, value FROM meta")}
    if set(meta) != {"schema_version", "content_version", "content_date"}:
        raise _refuse("métadonnées inattendues")
    if not valid_version(meta["content_version"]):
        raise _refuse(f"version du contenu « {str(meta['content_version'])[:40]} » (chiffres et points attendus)")
    if not _valid_date(meta["content_date"]):
        raise _refuse("date du contenu invalide (AAAA-MM-JJ attendu)")
    slugs = db.slugs()
    if not slugs:
        raise _refuse("aucune fiche")
    for slug in slugs:
        fiche = db.fiche(slug)
        if fiche is None or not schema.SLUG_RE.match(slug):
            raise _refuse(f"fiche « {slug[:40]} » illisible")
        if fiche.kind not in FICHE_KINDS or fiche.group not in GROUPS:
            raise _refuse(f"fiche « {slug} » : type ou groupe inconnu")
        if fiche.date is not None and not _valid_date(fiche.date):
            raise _refuse(f"fiche « {slug} » : date invalide")
        for section in fiche.sections:
            if section.level not in SECTION_LEVELS or not _str_list(section.falc):
                raise _refuse(f"fiche « {slug} », section « {section.id[:40]} » illisible")
            if section.date is not None and not _valid_date(section.date):
                raise _refuse(f"fiche « {slug} », section « {section.id[:40]} » : date invalide")
        for link in fiche.links:
            if not schema.URL_RE.match(link.url):
                raise _refuse(f"fiche « {slug} » : lien invalide")
        for attribute in fiche.attributes:
            if attribute.criterion not in CRITERIA:
                raise _refuse(f"fiche « {slug} » : critère inconnu")
    for source in db.sources().values():
        if source.date is not None and not _valid_date(source.date):
            raise _refuse(f"source « {source.id[:40]} » : date invalide")
    if not all(_str_list(t.aliases) for t in db.terms()):
        raise _refuse("glossaire illisible")
    if not all(_str_list(g.members) for g in db.groups()):
        raise _refuse("groupes illisibles")
    db.contacts()
    db.errata()
    return len(slugs)


def _check_search(db: ContentDB, slugs: list[str]) -> None:
    """The search index finds sample fiches by a word of their title, through search.search too."""
    from fiche_desktop.search import search

    step = max(1, len(slugs) // SAMPLE_FICHES)
    asked = 0
    for slug in slugs[::step][:SAMPLE_FICHES]:
        fiche = db.fiche(slug)
        assert fiche is not None
        words = re.findall(r"\w{3,}", f"{fiche.title} {fiche.acronym or ''}")
        if not words:
            continue
        word = words[0]
        hit = db.query(
            f"SELECT 1 FROM {schema.FTS_TABLE} WHERE {schema.FTS_TABLE} MATCH ? AND rowid IN "
            "(SELECT id FROM search_docs WHERE kind = 'fiche' AND slug = ?) LIMIT 1",
            (f'"{word}"', slug),
        )
        if not hit:
            raise _refuse(f"index de recherche incomplet (« {word} » ne trouve pas la fiche « {slug} »)")
        if asked < 3:
            asked += 1
            if not search(db, word):
                raise _refuse(f"la recherche « {word} » ne donne aucun résultat")


def validate_database(path: Path, timeout_s: float = VALIDATION_SECONDS) -> tuple[str, str, int]:
    """Checks path as a pack's database must be, within timeout_s; returns (content version,
    content date, fiche count). Raises PackError with one line of French."""
    deadline = time.monotonic() + timeout_s
    try:
        meta = check_database(path, timeout_s)  # the exact schema, meta, quick_check
        conn = connect_readonly(path, deadline)
        try:
            _check_types(conn)
        finally:
            conn.close()
        db = ContentDB(path, meta=meta)
        set_deadline(db.conn, deadline)
        try:
            count = _check_content(db)
            _check_search(db, db.slugs())
        finally:
            db.close()
    except DatabaseError as e:
        if time.monotonic() > deadline:
            raise PackError(f"Paquet refusé : sa vérification dépasse {timeout_s:.0f} s.") from None
        message = str(e).replace(f" : {path}", "").replace(str(path), DB_MEMBER).rstrip(".")
        raise PackError(f"Paquet invalide ({DB_MEMBER}) : {message[:1].lower()}{message[1:]}.") from None
    except sqlite3.Error as e:
        if time.monotonic() > deadline or "interrupted" in str(e):
            raise PackError(f"Paquet refusé : sa vérification dépasse {timeout_s:.0f} s.") from None
        raise PackError("Paquet invalide : base de données illisible.") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise PackError("Paquet invalide : contenu illisible par l’application.") from None
    return meta.content_version, meta.content_date, count


# --- Making a pack -----------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_for(db_path: Path) -> Manifest:
    """The manifest of db_path, after the same validation an import makes. Raises PackError."""
    if not db_path.is_file():
        raise PackError(f"Base de données introuvable : {db_path}")
    if db_path.stat().st_size > MAX_DB_BYTES:
        raise PackError(f"Base de données trop grande (plus de {MAX_DB_BYTES // 2**20} Mo).")
    version, date, _count = validate_database(db_path)
    return Manifest(str(SCHEMA_VERSION), version, date, sha256_file(db_path))


def read_secret_key(key_file: Path) -> signing.SecretKey:
    from fiche_desktop import files, signing

    try:
        with key_file.open("rb") as f:
            text = f.read(signing.MAX_KEY_FILE_BYTES + 1).decode("utf-8")
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


# --- Installed packs ---------------------------------------------------------------------


def content_dir(system: bool = False) -> Path:
    return (paths.system_data_dir() if system else paths.data_dir()) / "content"


def read_pointer(folder: Path) -> dict[str, str]:
    """current.json's names, those of the form content-<sha256>.db only."""
    try:
        with (folder / POINTER).open("rb") as f:
            data = json.loads(f.read(4096).decode("utf-8"))
        return {
            k: v
            for k, v in data.items()
            if k in ("active", "previous") and isinstance(v, str) and INSTALLED_RE.fullmatch(v)
        }
    except (OSError, ValueError, AttributeError, RecursionError):
        return {}


def _write_pointer(folder: Path, pointer: dict[str, str]) -> None:
    data = json.dumps(pointer, indent=2, sort_keys=True).encode("utf-8")
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

    try:
        with files.locked(folder / LOCK):
            yield
    except TimeoutError:
        raise PackError(
            f"Une autre installation de contenu est en cours dans {folder} : réessayez plus tard."
        ) from None


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
        raise PackError(f"Aucune clé de confiance : ce paquet ne peut pas être vérifié ; {_how_to_trust(system)}.")
    if not pack.is_file():
        raise PackError(f"Paquet introuvable : {pack}")
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
        with zipfile.ZipFile(pack) as z:
            manifest, key = _open_signed_manifest(z, keys, system)
            baseline = _baseline(folder)
            if baseline and not force and not newer(manifest.content_version, baseline):
                raise PackError(
                    f"Ce paquet ({manifest.content_version}) n’est pas plus récent que le contenu "
                    f"utilisé ({baseline}). Utilisez --force pour l’installer quand même."
                )
            fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".db", dir=folder)
            tmp = Path(tmp_name)
            with os.fdopen(fd, "wb") as out:
                digest = _copy_db(z, out)
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
        os.replace(tmp, folder / name)
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
    except OSError as e:
        raise PackError(f"Installation impossible dans {folder} : {files.french_reason(e)}.") from None
    finally:
        if tmp is not None:
            with suppress(OSError):
                tmp.unlink()


def _prune(folder: Path, keep: set[str]) -> None:
    for p in folder.glob("content-*.db"):
        if p.name not in keep:
            with suppress(OSError):  # Windows: a running application may still hold it open
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


# --- The content in use ------------------------------------------------------------------


def _unusable(label: str, error: DatabaseError) -> str:
    return f"{label[0].upper()}{label[1:]} inutilisable, contenu suivant utilisé : {error}"


def _scan(bundled: Path, system_only: bool) -> tuple[list[tuple[Path, str, Meta]], list[str]]:
    found: list[tuple[tuple[int, ...], int, Path, str, Meta]] = []
    warnings: list[str] = []
    try:
        # The installation's own base: its exact schema is checked with its integrity, by
        # check_database (at once, or after the desk's first paint); a pack's, now.
        meta = read_meta(bundled, exact_schema=False)
        found.append((version_key(meta.content_version) or (), 2, bundled, "contenu d’origine", meta))
    except DatabaseError:
        pass
    folders = [(0, True)] if system_only else [(1, False), (0, True)]
    for priority, system in folders:
        folder = content_dir(system)
        label = _pack_label(system)
        name = read_pointer(folder).get("active")
        if not name:
            continue
        try:
            meta = read_meta(folder / name)
        except DatabaseError as e:
            warnings.append(_unusable(label, e))
            continue
        found.append((version_key(meta.content_version) or (), priority, folder / name, label, meta))
    found.sort(key=lambda c: (c[0], c[1]), reverse=True)
    return [(path, label, meta) for _, _, path, label, meta in found], warnings


def candidates(bundled: Path, system_only: bool) -> list[tuple[Path, str]]:
    """The content databases to try, newest first: (path, what it is, for messages).

    On equal versions the bundled database comes first, then the user's pack, then the
    system's. Reading is cheap here (the exact schema, no integrity check, a deadline); an
    installed pack whose shape is wrong is left out, one that fails its full check is
    skipped by open_content.
    """
    return [(path, label) for path, label, _meta in _scan(bundled, system_only)[0]]


def open_content(
    explicit: Path | None = None,
    *,
    system_only: bool = False,
    bundled: Path | None = None,
    check_now: bool = True,
    skip: frozenset[Path] = frozenset(),
) -> tuple[ContentDB, list[str]]:
    """The content to show, for every mode: --db when given, else the newest usable of the
    installed packs and the bundled data.db. Returns the opened database and one French line
    per pack that could not be used (the next valid content is used instead).

    system_only (the kiosk): only the packs installed for all users count, never a user's.
    check_now=False (the desk window): only the cheap check of its shape is made before
    returning; the caller runs the integrity check (check_integrity) once the window shows,
    and on failure opens again with that database in skip. Raises DatabaseError when
    nothing can be opened. bundled replaces data.db (tests).
    """

    def opened(path: Path, meta: Meta | None = None) -> ContentDB:
        # The full check now, or only the cheap one (the scan's when it has read it).
        return ContentDB(path) if check_now else ContentDB(path, meta=meta or read_meta(path))

    if explicit is not None:
        return opened(explicit), []
    bundled = bundled or paths.bundled_db()
    found, warnings = _scan(bundled, system_only)
    tried: list[tuple[Path, str, Meta | None]] = [(p, label, meta) for p, label, meta in found if p not in skip]
    if not found and bundled not in skip:
        tried = [(bundled, "contenu d’origine", None)]
    last: DatabaseError | None = None
    for path, label, meta in tried:
        try:
            return opened(path, meta), warnings
        except DatabaseError as e:
            last = e
            warnings.append(_unusable(label, e))
    raise last or DatabaseError("Aucun contenu utilisable : réinstallez l’application.")


def check_integrity(path: Path) -> str:
    """The full check of a database opened with check_now=False (run off the GUI thread:
    SQLite releases the interpreter while it reads): "" when usable, else why not (French)."""
    try:
        check_database(path)
    except DatabaseError as e:
        return str(e)
    return ""


def set_aside(path: Path, reason: str) -> str:
    """The French line said when path, found unusable for reason, gives way to the next content."""
    return _unusable(_label(path), DatabaseError(reason))


def _pack_label(system: bool) -> str:
    return "paquet de contenu installé pour tous" if system else "paquet de contenu de l’utilisateur"


def _label(path: Path) -> str:
    """What path is, for messages (as _scan names it)."""
    for system in (False, True):
        if path.parent == content_dir(system):
            return _pack_label(system)
    return "contenu d’origine" if path == paths.bundled_db() else f"base de contenu {path}"
