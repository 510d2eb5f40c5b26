"""'Votre contact' settings: the practice's name, address and phone, printed on patient handouts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from fiche_desktop import config, files
from fiche_desktop.views import screen_fit


class SettingsDialog(QDialog):
    """Three fields, Enregistrer / Annuler. Saving goes through save (config.save_settings by default)."""

    def __init__(
        self,
        settings: config.Settings,
        save: Callable[[config.Settings], None] = config.save_settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._save = save
        self.setWindowTitle("Votre contact (pour les impressions)")
        self.setMinimumWidth(460)
        layout, footer = screen_fit.scrolling_body(self)  # scrolls when the screen is too short
        intro = QLabel(
            "Ces coordonnées sont imprimées dans un encadré « Votre contact » à la fin de chaque "
            "fiche, pour que vos patients sachent qui appeler. Laissez les champs vides pour ne "
            "rien imprimer."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name_field = QLineEdit(settings.contact_name)
        self.name_field.setAccessibleName("Nom du cabinet ou de la structure")
        self.name_field.setPlaceholderText("ex. : Maison de santé des Tilleuls")
        self.address_field = QLineEdit(settings.contact_address)
        self.address_field.setAccessibleName("Adresse")
        self.address_field.setPlaceholderText("ex. : 12 rue des Tilleuls, 34000 Montpellier")
        self.phone_field = QLineEdit(settings.contact_phone)
        self.phone_field.setAccessibleName("Téléphone")
        self.phone_field.setPlaceholderText("ex. : 04 67 00 00 00")
        for field in (self.name_field, self.address_field, self.phone_field):
            field.setMaxLength(200)
        form.addRow("&Nom :", self.name_field)
        form.addRow("&Adresse :", self.address_field)
        form.addRow("&Téléphone :", self.phone_field)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setObjectName("errorText")  # the theme's error colour (views/style.py)
        self.error.setAccessibleName("Erreur d’enregistrement")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        # Réglages › « Contacts utiles »: the territory's contacts (views/contacts_editor.py).
        self.useful_button = buttons.addButton("Contacts &utiles…", QDialogButtonBox.ButtonRole.ActionRole)
        self.useful_button.clicked.connect(self.open_useful_contacts)
        self.save_button = buttons.addButton("Enregistrer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        footer.addWidget(buttons)
        screen_fit.fit_dialog(self, layout, footer)

    def open_useful_contacts(self) -> None:
        from fiche_desktop.views.contacts_editor import open_editor

        open_editor(self.parentWidget() or self)

    def values(self) -> tuple[str, str, str]:
        return (
            " ".join(self.name_field.text().split()),
            " ".join(self.address_field.text().split()),
            " ".join(self.phone_field.text().split()),
        )

    def save(self) -> bool:
        """Saves the three fields and closes; on a write error, says so and stays open."""
        name, address, phone = self.values()
        updated = self.settings.replace(contact_name=name, contact_address=address, contact_phone=phone)
        try:
            self._save(updated)
        except OSError as e:
            self.error.setText(f"Coordonnées non enregistrées : {files.french_reason(e)}.")
            self.error.show()
            return False
        # The saved values, merged with what another window may have saved meanwhile.
        for name in config.Settings.field_names():
            setattr(self.settings, name, getattr(updated, name))
        self.accept()
        return True
