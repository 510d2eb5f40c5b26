"""The French that Qt's own catalogue lacks.

WORKAROUND: PySide6 ships qtbase_fr, but Qt 6 renamed a few of its strings since it was translated:
its file dialog says « &Look in: » and « Files of &type: », and a folder's kind « Folder ». This
translator, installed after qtbase_fr, gives those in French; Qt asks it first."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

MISSING = {
    ("QFileDialog", "&Look in:"): "&Regarder dans\u00a0:",  # a non-breaking space, as qtbase_fr's
    ("QFileDialog", "Files of &type:"): "&Type de fichier\u00a0:",
    ("QAbstractFileIconProvider", "Folder"): "Dossier",
    ("QAbstractFileIconProvider", "Drive"): "Lecteur",
    ("QAbstractFileIconProvider", "File"): "Fichier",
}


class MissingFrench(QTranslator):
    """Answers for MISSING only; every other string goes on to Qt's catalogue."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        # None is Qt's null string: « no translation here », the next catalogue is asked (an empty
        # string would be a translation).
        return MISSING.get((context, source))
