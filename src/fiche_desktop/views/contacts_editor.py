"""Réglages › « Contacts utiles »: the practice's own contacts (the user's contacts.toml), edited
field by field; a phone number or web address that does not parse is refused on entry, an
overlong value is cut and the cut said; every change is written at once, atomically."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop import contacts, files
from fiche_desktop.contacts import UsefulContact
from fiche_desktop.presentation import contact_label

TITLE = "Contacts utiles"
INTRO = (
    "Les contacts de votre territoire (DAC, CPTS, SAS, maison de santé…) : ils s’affichent à la fin de la "
    "fiche de leur structure (« Près de chez vous »), dans les réponses du guide, sur le kiosque et sur "
    "la première page des fiches imprimées, toujours avec la mention « Contact donné par… » et sa date, "
    "à part du texte des sources."
)
FIELDS_SHOWN = (
    ("name", "&Nom :", "ex. : DAC du Val de Loue"),
    ("phone", "&Téléphone :", "ex. : 03 81 00 00 01 ou 116 117"),
    ("address", "&Adresse :", "ex. : 12 rue des Lilas, 25290 Saint-Aubin-sur-Loue"),
    ("hours", "&Horaires :", "ex. : du lundi au vendredi, de 9 h à 17 h"),
    ("web", "&Site internet :", "ex. : https://dac-exemple.fr"),
    ("note", "À &savoir :", "ex. : en cas d’urgence vitale, appelez le 15"),
    ("given_by", "&Donné par :", "ex. : la Maison de santé des Tilleuls"),
    ("date", "Da&te :", "AAAA-MM-JJ"),
)


class ContactsEditor(QDialog):
    """The list of the user's contacts and the form of the one chosen. « Enregistrer le contact »
    checks every field (contacts.checked) and writes the file; « Supprimer » removes it."""

    saved = Signal()

    def __init__(
        self, structures: Sequence[tuple[str, str]], db_path: Path | None = None, parent: QWidget | None = None
    ) -> None:
        """structures: (slug, label) of the fiches a contact may belong to; db_path: the content in
        use (its pack's contacts are counted among the others)."""
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(720)
        self.path = contacts.user_file()
        loaded = contacts.load_file(self.path, "user")
        self.items: list[UsefulContact] = list(loaded.contacts)
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        others = [c for c in contacts.current(db_path).contacts if c.origin != "user"]
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setObjectName("muted")
        said = list(loaded.warnings)
        if others:
            said.insert(
                0,
                f"{len(others)} autre(s) contact(s) donné(s) par le service informatique ou un paquet de "
                "contenu : à modifier à leur source (un contact de même structure et de même nom saisi ici "
                "l’emporte).",
            )
        self.notes.setText("\n".join(said))
        self.notes.setVisible(bool(said))
        layout.addWidget(self.notes)

        row = QHBoxLayout()
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Vos contacts utiles")
        self.list.currentRowChanged.connect(self._show)
        left.addWidget(self.list)
        self.new_button = QPushButton("&Nouveau contact")
        self.new_button.clicked.connect(self.new_contact)
        self.delete_button = QPushButton("Su&pprimer le contact")
        self.delete_button.clicked.connect(self.delete_contact)
        left.addWidget(self.new_button)
        left.addWidget(self.delete_button)
        row.addLayout(left, 2)

        form = QFormLayout()
        self.structure = QComboBox()
        self.structure.setAccessibleName("Structure")
        for slug, label in structures:
            self.structure.addItem(label, slug)
        form.addRow("St&ructure :", self.structure)
        self.fields: dict[str, QLineEdit] = {}
        for name, label, hint in FIELDS_SHOWN:
            field = QLineEdit()
            field.setPlaceholderText(hint)
            field.setAccessibleName(label.replace("&", "").rstrip(" :"))
            form.addRow(label, field)
            self.fields[name] = field
            if name in ("phone", "web", "date"):  # refused as soon as the field is left
                field.editingFinished.connect(lambda n=name: self.check_field(n))
        right = QVBoxLayout()
        right.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.hide()
        right.addWidget(self.message)
        self.save_button = QPushButton("&Enregistrer le contact")
        self.save_button.clicked.connect(self.save_contact)
        right.addWidget(self.save_button)
        right.addStretch(1)
        row.addLayout(right, 3)
        layout.addLayout(row)
        buttons = QDialogButtonBox()
        close = buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._fill_list()
        if self.items:
            self.list.setCurrentRow(0)
        else:
            self.new_contact()

    # --- the list

    def _fill_list(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.items:
            self.list.addItem(f"{c.structure.upper()} – {c.name}")
        self.list.blockSignals(False)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        c = self.items[row]
        index = self.structure.findData(c.structure)
        if index < 0:
            self.structure.addItem(c.structure, c.structure)
            index = self.structure.count() - 1
        self.structure.setCurrentIndex(index)
        for name, field in self.fields.items():
            field.setText(getattr(c, name))
        self._say("")

    def new_contact(self) -> None:
        """An empty form (today's date), not in the list until saved."""
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.list.blockSignals(False)
        for field in self.fields.values():
            field.clear()
        self.fields["date"].setText(_dt.date.today().isoformat())
        self._say("")
        self.fields["name"].setFocus()

    # --- saving

    def check_field(self, name: str) -> str | None:
        """Says at once why a phone number, web address or date does not parse; None when it does."""
        problem = contacts.field_problem(name, self.fields[name].text().strip())
        if problem:
            label = contacts.FIELD_LABELS[name].capitalize()
            self._say(f"{label} refusé : {problem}.", error=True)
        elif self.message.styleSheet():
            self._say("")
        return problem

    def entered(self) -> UsefulContact:
        values = {name: field.text() for name, field in self.fields.items()}
        return UsefulContact(structure=str(self.structure.currentData() or ""), origin="user", **values)

    def save_contact(self) -> bool:
        """Checks the form; refuses it (and says why) when a field does not parse; else writes the file."""
        contact, problems, cuts = contacts.checked(self.entered())
        if problems:
            self._say("Contact non enregistré. " + " ".join(problems), error=True)
            return False
        row = self.list.currentRow()
        items = list(self.items)
        if 0 <= row < len(items):
            items[row] = contact
        else:
            items = [c for c in items if c.key != contact.key] + [contact]
            row = len(items) - 1
        if not self._write(items):
            return False
        self._fill_list()
        self.list.blockSignals(True)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        for name, field in self.fields.items():
            field.setText(getattr(contact, name))
        done = f"Contact enregistré. Il sera présenté ainsi : « {contact_label(contact)} »."
        self._say(" ".join([done, *cuts]))
        return True

    def delete_contact(self) -> bool:
        row = self.list.currentRow()
        if not 0 <= row < len(self.items):
            return False
        items = self.items[:row] + self.items[row + 1 :]
        if not self._write(items):
            return False
        self._fill_list()
        if items:
            self.list.setCurrentRow(min(row, len(items) - 1))
        else:
            self.new_contact()
        self._say("Contact supprimé.")
        return True

    def _write(self, items: list[UsefulContact]) -> bool:
        try:
            contacts.save_user(items, self.path)
        except OSError as e:
            self._say(f"Contacts non enregistrés : {files.french_reason(e)}.", error=True)
            return False
        self.items = items
        self.saved.emit()
        return True

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", "true" if error else "false")  # the theme's error colour (style.py)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))


def open_editor(window: QWidget) -> ContactsEditor:
    """Opens the editor over the desk window (window-modal, without blocking); each save redraws
    the page shown, so that « Près de chez vous » follows at once."""
    from fiche_desktop.compare import STRUCTURE_SLUGS

    db = window.db  # type: ignore[attr-defined]
    structures = []
    for slug in db.slugs():
        fiche = db.fiche(slug)
        if fiche is not None:
            structures.append((slug, fiche.display_label(window.version)))  # type: ignore[attr-defined]
    structures.sort(key=lambda s: (s[0] not in STRUCTURE_SLUGS, s[1]))
    dialog = ContactsEditor(structures, db.path, window)
    dialog.saved.connect(window._rerender)  # type: ignore[attr-defined]
    window.contacts_editor = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog
