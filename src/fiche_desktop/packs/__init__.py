"""Content packs: signed with minisign, validated before use, installed under a lock. No Qt.

- manifest: a pack's format, content versions, trusted keys and the signature check;
- validation: a pack's database checked before use, within a deadline;
- publish: making a signed pack (`fiche-desktop make-pack`);
- store: installed packs, current.json, import, rollback, pruning, the folder's lock;
- selection: the content each mode opens at start (open_content).

This package re-exports what the application, the command line and the tests call.
"""

from __future__ import annotations

from fiche_desktop.packs.manifest import (
    MAX_DB_BYTES,
    Manifest,
    PackError,
    newer,
    parse_manifest,
    trusted_keys,
    valid_version,
    version_key,
)
from fiche_desktop.packs.publish import make_pack, manifest_for, sha256_file, write_manifest
from fiche_desktop.packs.selection import candidates, check_integrity, open_content, set_aside
from fiche_desktop.packs.store import Installed, active_pack, content_dir, import_pack, read_pointer, rollback
from fiche_desktop.packs.validation import VALIDATION_SECONDS, validate_database

__all__ = [
    "MAX_DB_BYTES",
    "VALIDATION_SECONDS",
    "Installed",
    "Manifest",
    "PackError",
    "active_pack",
    "candidates",
    "check_integrity",
    "content_dir",
    "import_pack",
    "make_pack",
    "manifest_for",
    "newer",
    "open_content",
    "parse_manifest",
    "read_pointer",
    "rollback",
    "set_aside",
    "sha256_file",
    "trusted_keys",
    "valid_version",
    "validate_database",
    "version_key",
    "write_manifest",
]
