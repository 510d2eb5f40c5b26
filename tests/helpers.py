"""Test data written in code, shared by the tests (no Qt here: the unit tests import it)."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_TINY: dict[str, dict[str, Any]] = {
    "sources.toml": {
        "content_version": "test.1",
        "content_date": "2024-09-25",
        "sources": [
            {
                "id": "std",
                "file": "std.txt",
                "title": "Source standard",
                "short": "Standard",
                "publisher": "Éditeur",
                "kind": "standard",
                "date": "2024-09-25",
            },
            {
                "id": "falc",
                "file": "falc.txt",
                "title": "Source FALC",
                "short": "FALC",
                "publisher": "Esat",
                "kind": "FALC",
                "date": "2024-09-25",
                "credit": "Transcrit en FALC (test)",
            },
        ],
        "errata": [
            {
                "source": "std",
                "fiche": "alpha",
                "section": "definition",
                "original": "Equipe",
                "correction": "Équipe",
                "note": "Accent manquant.",
            },
        ],
    },
    "dispositifs.toml": {
        "slug": "dispositifs",
        "title": "Dispositifs",
        "kind": "overview",
        "group": "autres",
        "order": 0,
        "sections": [
            {
                "id": "pivot",
                "level": "summary",
                "title": "Pivot",
                "source": "std",
                "text": "Le médecin traitant est le pivot.",
                "falc_source": "falc",
                "falc": ["Le médecin traitant est important."],
            },
            {
                "id": "clause",
                "level": "summary",
                "title": "Clause de flexibilité",
                "source": "std",
                "text": "Les informations peuvent évoluer.",
            },
        ],
        "groups": [
            {"id": "soins", "title": "Acteurs de soins", "falc_title": "Acteurs de soins", "members": ["alpha"]}
        ],
    },
    "alpha.toml": {
        "slug": "alpha",
        "acronym": "ALP",
        "title": "Équipe alpha",
        "kind": "structure",
        "group": "soins",
        "order": 1,
        "date": "2024-07-31",
        "summary": "Une équipe de test.",
        "summary_source": "std",
        "sections": [
            {
                "id": "definition",
                "level": "summary",
                "title": "Définition",
                "source": "std",
                "date": "2024-09-25",
                "text": "Équipe pluriprofessionnelle de santé.\n- au moins un médecin",
                "falc_source": "falc",
                "falc": ["L’équipe alpha soigne.", "", "• un médecin"],
            },
            {
                "id": "financement",
                "level": "detail",
                "title": "Financement",
                "source": "std",
                "text": "Financée par le FIR : 48h de délai.",
            },
        ],
        "links": [{"url": "https://example.org/alpha", "source": "std", "section": "financement"}],
        "attributes": [
            {"criterion": "composition", "value": "au moins un médecin", "source": "std", "section": "definition"}
        ],
    },
    "glossaire.toml": {
        "terms": [
            {
                "term": "FIR",
                "expansion": "fonds d’intervention régional",
                "definition": "Un fonds régional.",
                "project": True,
            },
        ],
    },
}


def tiny_content() -> dict[str, dict[str, Any]]:
    """A fresh deep copy of the tiny content (tests may mutate it)."""
    return copy.deepcopy(_TINY)


def tiny(tmp_path: Path, version: str = "2099.1.1", name: str = "t.db") -> Path:
    """The tiny content built into tmp_path/name, as content version `version`."""
    from fiche_desktop.build import validate, write_database

    files = tiny_content()
    files["sources.toml"]["content_version"] = version
    path = tmp_path / name
    write_database(validate(files), path)
    return path


def kiosk_pin(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    """`fiche-desktop kiosk-pin ARGS…` run with stdin as its input (not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", "kiosk-pin", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def generated_base(count: int) -> Any:
    """The real content grown to `count` fiches: copies of the structures, numbered, outside
    every group (the home screen lists them as « Autres fiches »). A ContentBase for build."""
    from pathlib import Path

    from fiche_desktop.build import load_content

    base = load_content(Path(__file__).resolve().parents[1] / "resources" / "content")
    templates = [f for f in base.fiches if f.kind == "structure"]
    fiches = list(base.fiches)
    for i in range(count - len(fiches)):
        t = templates[i % len(templates)]
        slug = f"gen-{i:05d}"
        sections = tuple(s._replace(fiche=slug, text=f"{s.text} Territoire {i}.") for s in t.sections)
        fiches.append(
            t._replace(
                slug=slug,
                title=f"{t.title} n° {i}",
                acronym=None,
                order=1000 + i,
                sections=sections,
                links=(),
                attributes=(),
            )
        )
    base.fiches = fiches
    return base


@dataclass
class Publisher:
    """A minisign key pair made by the real `minisign -G -W`."""

    public: Path
    secret: Path

    def trust(self, system: bool = True) -> None:
        from fiche_desktop import paths

        folder = (paths.system_config_dir() if system else paths.config_dir()) / "trusted-keys"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.public, folder / f"{self.public.stem}.pub")

    def key(self) -> Any:
        from fiche_desktop import signing

        return signing.parse_secret_key(self.secret.read_text(encoding="utf-8"))


def make_keys(folder: Path, name: str) -> Publisher:
    folder.mkdir(parents=True, exist_ok=True)
    pub, sec = folder / f"{name}.pub", folder / f"{name}.key"
    if sys.platform == "win32":  # no minisign tool in the Windows lane: the same files, written here
        return _python_made_keys(pub, sec)
    out = subprocess.run(
        ["minisign", "-G", "-W", "-p", str(pub), "-s", str(sec)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return Publisher(pub, sec)


def _python_made_keys(pub: Path, sec: Path) -> Publisher:
    """The files of `minisign -G -W` (an unencrypted key; minisign's own layout, with the
    checksum filled in), for the Windows lane where the minisign tool is absent."""
    import base64
    import hashlib
    import os

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    seed, key_id = os.urandom(32), os.urandom(8)
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    checksum = hashlib.blake2b(b"Ed" + key_id + seed + public, digest_size=32).digest()
    secret = b"Ed" + b"\0\0" + b"B2" + bytes(32 + 8 + 8) + key_id + seed + public + checksum
    key_hex = key_id[::-1].hex().upper()
    sec.write_text(
        f"untrusted comment: minisign encrypted secret key\n{base64.b64encode(secret).decode()}\n", encoding="utf-8"
    )
    pub.write_text(
        f"untrusted comment: minisign public key {key_hex}\n{base64.b64encode(b'Ed' + key_id + public).decode()}\n",
        encoding="utf-8",
    )
    return Publisher(pub, sec)
