"""The content in use, chosen at start: the newest usable of the bundled base and the installed packs. No Qt.

Every mode (desk, kiosk, export, search, smoke test) opens its content through open_content.
"""

from __future__ import annotations

from pathlib import Path

from fiche_desktop import paths
from fiche_desktop.content import Meta
from fiche_desktop.db import ContentDB, DatabaseError, check_database, read_meta
from fiche_desktop.packs.manifest import version_key
from fiche_desktop.packs.store import content_dir, read_pointer_checked


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
        pointer, problem = read_pointer_checked(folder)
        if problem:
            warnings.append(problem)
        name = pointer.get("active")
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
