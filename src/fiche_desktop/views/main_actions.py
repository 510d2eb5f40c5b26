"""The desk window's actions and menus: each QAction, its keys, and where the menus list it.

The menus' titles are in the first frame; their contents, and the keys (QKeySequence is not needed
to paint), come with the window's finish_start().
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from fiche_desktop import config, window_fit
from fiche_desktop.navigation import Page

if TYPE_CHECKING:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QMenu

    from fiche_desktop.views.main_window import MainWindow

MENU_TITLES = ("&Fichier", "É&dition", "&Affichage", "A&ller à", "Fa&voris", "&Récents", "Aid&e")  # one letter each

# Keys that are not actions of the window, for the Help page.
OTHER_KEYS = [
    ("Entrée", "Dans le champ de recherche : ouvrir le meilleur résultat"),
    ("Flèche bas", "Dans le champ de recherche : aller aux résultats"),
    ("Échap", "Effacer la recherche ; fermer une définition ou la recherche dans la fiche"),
    ("Tab / Maj+Tab", "Passer d’un élément à l’autre ; Entrée ou Espace pour l’ouvrir"),
    ("Flèche gauche / droite", "Sur « Standard » ou « FALC » : choisir la version du texte"),
    ("Maj+Entrée", "Dans la recherche dans la fiche : résultat précédent"),
]


class DeskActions:
    """Every action of the desk window (its menus, its top bar and its keys use these).

    Built with the window's first frame (the menu bar's titles included: the page would move
    down when they came); bind_keys() and fill_menus() run after the first paint."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.menus: list[QMenu] = [window.menuBar().addMenu(title) for title in MENU_TITLES]
        self.favourites_menu, self.recent_menu = self.menus[4], self.menus[5]
        self._pending_keys: list[tuple[QAction, tuple[str, ...]]] = []
        w, add = window, self._action
        self.back = add("Précédent", w.back, "StandardKey.Back", "Alt+Left")
        self.forward = add("Suivant", w.forward, "StandardKey.Forward", "Alt+Right")
        self.home = add("Accueil", w.go_home, "Alt+Home")
        self.find = add("Rechercher", w.focus_search, "StandardKey.Find")
        self.falc = add("Version FALC (facile à lire)", w.toggle_version, "Ctrl+T")
        self.falc.setCheckable(True)
        self.glossary = add("Glossaire", lambda: w.open_page(Page.GLOSSARY), "Ctrl+G")
        self.sources = add("Sources et erratum", lambda: w.open_page(Page.SOURCES))
        self.compare = add("Comparer les structures", w.open_compare, "Ctrl+K")
        self.guide = add("Quelle structure ?", lambda: w.open_page(Page.GUIDE), "Ctrl+O")
        self.zoom_in = add(
            "Agrandir", lambda: w.set_zoom(window_fit.zoom_in(w.zoom)), "StandardKey.ZoomIn", "Ctrl+=", "Ctrl++"
        )
        self.zoom_out = add("Réduire", lambda: w.set_zoom(window_fit.zoom_out(w.zoom)), "StandardKey.ZoomOut", "Ctrl+-")
        self.zoom_reset = add("Taille normale", lambda: w.set_zoom(config.ZOOM_DEFAULT), "Ctrl+0")
        self.help = add("Aide", lambda: w.open_page(Page.HELP), "StandardKey.HelpContents", "F1")
        self.print = add("Imprimer / exporter en PDF…", w.open_print_dialog, "StandardKey.Print")
        self.contact = add("Votre contact (pour les impressions)…", w.open_contact_settings)
        self.useful_contacts = add("Contacts utiles…", lambda: _open_contacts_editor(w))
        self.quit = add("Quitter", w.close, "Ctrl+Q")
        self.find_in_page = add("Rechercher dans la fiche…", w.open_find_in_page, "Ctrl+Shift+F")
        self.find_next = add("Résultat suivant dans la fiche", lambda: w.fiche_tools.find_step(1), "F3")
        self.find_previous = add("Résultat précédent dans la fiche", lambda: w.fiche_tools.find_step(-1), "Shift+F3")
        self.copy_source = add("Copier avec la source", w.copy_with_source, "Ctrl+Shift+C")
        self.favourite = add("Ajouter aux favoris / retirer", w.toggle_favourite, "Ctrl+D")
        self.contrast = add("Contraste élevé", w.toggle_contrast, "Ctrl+Shift+H")
        self.contrast.setCheckable(True)
        self.restore = add("Rouvrir la dernière fiche au démarrage", self._toggle_restore)
        self.restore.setCheckable(True)
        self.restore.setChecked(w.settings.restore_session)
        self.read_aloud = add(
            "Écouter (la partie affichée ou le texte choisi)", w.fiche_tools.read_aloud, "Ctrl+Shift+E"
        )
        self.stop_reading = add("Arrêter la lecture", w.stop_reading)
        for action in (self.read_aloud, self.stop_reading):
            action.setEnabled(False)
        self.about = add("À propos de Fiche Desktop", lambda: w.open_page(Page.ABOUT))

    def _toggle_restore(self) -> None:
        self.window.settings.restore_session = self.restore.isChecked()
        self.window.persist()

    def _action(self, text: str, slot: Callable[[], object], *keys: str) -> QAction:
        """An action of the window; its keys ("Ctrl+T", or "StandardKey.Find" for the
        platform's own) are bound by bind_keys(): QKeySequence is not needed to paint."""
        action = QAction(self.window)  # QAction(text, parent) would make PySide6 build QIcon's enums to choose
        action.setText(text)
        if keys:
            self._pending_keys.append((action, keys))
        action.triggered.connect(lambda _=False: slot())
        self.window.addAction(action)
        return action

    def bind_keys(self) -> None:
        """The actions' keyboard shortcuts, and tooltips that name them in French."""
        from PySide6.QtGui import QKeySequence

        for action, specs in self._pending_keys:
            keys: list[QKeySequence] = []
            for k in specs:
                standard = k.removeprefix("StandardKey.")
                found = (
                    QKeySequence.keyBindings(getattr(QKeySequence.StandardKey, standard))
                    if standard != k
                    else [QKeySequence(k)]
                )
                for seq in found:
                    # A key bound twice to one action makes Qt call the shortcut ambiguous.
                    if seq.toString() not in {x.toString() for x in keys}:
                        keys.append(seq)
            if keys:
                action.setShortcuts(keys)
                native = keys[0].toString(QKeySequence.SequenceFormat.NativeText)
                action.setToolTip(f"{action.text()} ({native})")
        self._pending_keys = []

    def fill_menus(self) -> None:
        """The fixed menus' contents (Favoris and Récents come from fill_lists())."""
        file_menu, edit_menu, view_menu, go_menu, _favourites, _recent, help_menu = self.menus
        for menu, actions in (
            (file_menu, (self.print, self.contact, self.useful_contacts, None, self.quit)),
            (edit_menu, (self.copy_source, None, self.find, self.find_in_page, self.find_next, self.find_previous)),
            (
                view_menu,
                (
                    self.falc,
                    None,
                    self.zoom_in,
                    self.zoom_out,
                    self.zoom_reset,
                    None,
                    self.contrast,
                    None,
                    self.read_aloud,
                    self.stop_reading,
                    None,
                    self.restore,
                ),
            ),
            (
                go_menu,
                (
                    self.home,
                    self.back,
                    self.forward,
                    self.find,
                    self.compare,
                    self.guide,
                    self.glossary,
                    self.sources,
                ),
            ),
            (help_menu, (self.help, self.about)),
        ):
            for action in actions:
                menu.addSeparator() if action is None else menu.addAction(action)
        view_menu.setToolTipsVisible(True)  # « Écouter » off says why in its tooltip

    def fill_lists(
        self,
        labels: dict[str, str],
        favourites: Iterable[str],
        recent: Iterable[str],
        open_fiche: Callable[[str], object],
    ) -> None:
        """The Favoris and Récents menus: the fiches of those slugs that labels knows."""
        self.favourites_menu.clear()
        self.favourites_menu.addAction(self.favourite)
        self.favourites_menu.addSeparator()
        favourites = [s for s in favourites if s in labels]
        if not favourites:
            empty = self.favourites_menu.addAction("Aucun favori : ★ sur une fiche, ou Ctrl+D")
            empty.setEnabled(False)
        for slug in favourites:
            action = self.favourites_menu.addAction(labels[slug])
            action.triggered.connect(lambda _=False, x=slug: open_fiche(x))
        self.recent_menu.clear()
        recent = [s for s in recent if s in labels]
        if not recent:
            self.recent_menu.addAction("Aucune fiche ouverte récemment").setEnabled(False)
        for slug in recent:
            action = self.recent_menu.addAction(labels[slug])
            action.triggered.connect(lambda _=False, x=slug: open_fiche(x))

    def help_keys(self) -> dict[str, str]:
        """The keys the Help page's text names (render.HELP_KEYS), as the platform writes them."""
        from PySide6.QtGui import QKeySequence

        actions = {
            "find": self.find,
            "find_in_page": self.find_in_page,
            "find_next": self.find_next,
            "contrast": self.contrast,
            "zoom_in": self.zoom_in,
            "zoom_out": self.zoom_out,
        }
        native = {name: a.shortcut().toString(QKeySequence.SequenceFormat.NativeText) for name, a in actions.items()}
        return {name: key for name, key in native.items() if key}  # before bind_keys: the defaults

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(keys as the platform writes them, what they do) for every action with a shortcut, then the
        other keys. The dedicated keys some keyboards have (Aide, Trouver, Précédent, Zoom avant) are
        left out: « Ctrl+F », not « Ctrl+F ou Trouver ». An action unavailable says why."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence

        def on_every_keyboard(key: QKeySequence) -> bool:
            # Qt numbers the keys of a plain keyboard (letters, arrows, F1-F35, Effacement) below
            # Key_Help; Help, Back, Forward, Find, ZoomIn… (media and browser keys) come after it.
            combination = key[0]  # type: ignore[index]  # QKeySequence.operator[] (missing in the stubs)
            return bool(combination.keyboardModifiers()) or combination.key().value < Qt.Key.Key_Help.value

        rows: list[tuple[str, str]] = []
        for action in self.window.actions():
            keys = [k for k in action.shortcuts() if not k.isEmpty() and on_every_keyboard(k)]
            if not keys:
                continue
            names = " ou ".join(dict.fromkeys(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys))
            what = action.text().replace("&", "").rstrip("…")
            if not action.isEnabled() and action.statusTip():
                what += f" — {action.statusTip()}"
            rows.append((names, what))
        return rows + OTHER_KEYS


def _open_contacts_editor(window: MainWindow) -> None:
    """Réglages › « Contacts utiles » (loaded when asked: not on the way to the first frame)."""
    from fiche_desktop.views.contacts_editor import open_editor

    open_editor(window)
