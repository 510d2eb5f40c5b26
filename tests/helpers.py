"""Test data written in code, and small helpers shared by the tests."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the unit tests use tiny_content() without loading Qt
    from PySide6.QtWidgets import QWidget

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


def type_text(widget: QWidget, text: str) -> None:
    """Types text, accents included (qtbot.keyClicks aborts on non-ASCII characters)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
