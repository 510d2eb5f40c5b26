"""The desk's tools for the fiche read: favourites, recent fiches, find in page, copy with the source, read aloud."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from fiche_desktop import config
from fiche_desktop.navigation import Page

if TYPE_CHECKING:
    from PySide6.QtGui import QShortcut

    from fiche_desktop.gui.speech import SpeechService
    from fiche_desktop.views.fiche_view import FicheView
    from fiche_desktop.views.main_window import MainWindow


class FicheTools:
    """What the desk does with the fiche shown besides showing it: the actions of the Favoris and
    Récents menus and those of Édition and Affichage that act on a fiche."""

    def __init__(self, window: MainWindow, speech_engine: str) -> None:
        """speech_engine: the text-to-speech engine to ask for ("" the system's; "mock" in tests)."""
        self.window = window
        self.speech: SpeechService | None = None
        self._speech_engine = speech_engine
        self._listen_off: QShortcut | None = None  # « Écouter »'s keys while it is off
        self._menus_ready = False  # the Favoris and Récents menus are filled after the first paint

    # --- favourites and recent fiches

    def toggle_favourite(self, slug: str = "", favourite: bool | None = None) -> None:
        """Adds the fiche shown (or slug) to the favourites, or removes it."""
        w, settings = self.window, self.window.settings
        slug = slug or (w.location.slug if w.location.page == Page.FICHE else "")
        if not slug:
            w.statusBar().showMessage("Ouvrez une fiche pour l’ajouter aux favoris.", 8000)
            return
        favourites = [s for s in settings.favourites if s != slug]
        add = favourite if favourite is not None else slug not in settings.favourites
        if add:
            favourites.append(slug)
        settings.favourites = favourites[: config.MAX_FAVOURITES]
        w.persist()
        view = w.pages.fiche_view_if_built
        if view is not None and w.location.slug == slug:
            view.set_favourite(add)
        w.home.favourites = list(settings.favourites)
        w.home.render_when_shown()
        self.fill_menus()
        label = next((f.label for f in w.db.fiche_headers() if f.slug == slug), slug)
        w.statusBar().showMessage(
            f"« {label} » ajoutée aux favoris." if add else f"« {label} » retirée des favoris.", 8000
        )

    def remember(self, slug: str, section: str = "") -> None:
        """A fiche opened: the first of the recent ones, and the one to reopen at start-up."""
        settings = self.window.settings
        settings.recent = [slug, *(s for s in settings.recent if s != slug)][: config.MAX_RECENT]
        settings.last_fiche = slug
        settings.last_section = section
        self.window.persist()
        self.fill_menus()

    def start_menus(self) -> None:
        """Fills the Favoris and Récents menus (after the first paint), and keeps them up to date."""
        self._menus_ready = True
        self.fill_menus()

    def fill_menus(self) -> None:
        """The Favoris and Récents menus, from the settings."""
        if not self._menus_ready:
            return
        w = self.window
        labels = {f.slug: f.label for f in w.db.fiche_headers()}
        w.desk_actions.fill_lists(labels, w.settings.favourites, w.settings.recent, w.open_fiche)

    # --- find in page, copy with the source

    def _shown_fiche_view(self) -> FicheView | None:
        """The fiche screen when a fiche is the page shown."""
        return self.window.pages.fiche_view_if_built if self.window.location.page == Page.FICHE else None

    def open_find_in_page(self) -> None:
        w = self.window
        if w.location.page != Page.FICHE:
            w.statusBar().showMessage("Ouvrez une fiche pour y rechercher un mot (Ctrl+F cherche partout).", 8000)
            return
        w.fiche_view.open_find()

    def find_step(self, step: int) -> None:
        if (view := self._shown_fiche_view()) is not None:
            view.find_next(step)

    def copy_with_source(self) -> None:
        if (view := self._shown_fiche_view()) is not None:
            view.copy_with_source()
        else:
            self.window.statusBar().showMessage(
                "Choisissez du texte dans une fiche pour le copier avec sa source.", 8000
            )

    # --- read aloud

    def start_speech(self) -> None:
        """Reading aloud at the desk: the kiosk's optional engine, built off the GUI thread; its
        controls appear only once an engine and an audio output answer."""
        from fiche_desktop.gui.speech import SpeechService, speech_module_present

        if not speech_module_present() or self.speech is not None:
            self.show_speech_state()
            return
        self.speech = SpeechService(self._speech_engine, parent=self.window)
        self.speech.availability_changed.connect(self._on_speech_available)
        self.speech.speaking_changed.connect(lambda on: self.window.desk_actions.stop_reading.setEnabled(on))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.speech.shutdown)
        QTimer.singleShot(0, self._start_engine)

    def _start_engine(self) -> None:
        if self.speech is not None:
            self.speech.start()  # may decline at once (no sound output), without a signal
            self.show_speech_state()

    def _on_speech_available(self, available: bool) -> None:
        self.show_speech_state()
        if (view := self.window.pages.fiche_view_if_built) is not None:
            view.set_speech_available(available)
        if not available and self.speech is not None and self.speech.stuck:
            self.window.statusBar().showMessage(
                "La lecture à voix haute ne répond plus : elle est arrêtée jusqu’au prochain démarrage.", 15000
            )

    def speech_available(self) -> bool:
        return self.speech is not None and self.speech.available

    def speech_unavailable_reason(self) -> str:
        """Why reading aloud is off, in French ("" when it is on)."""
        from fiche_desktop.gui.speech import speech_module_present

        if self.speech is None:
            return "en cours de démarrage" if speech_module_present() else "module de synthèse vocale non installé"
        return "" if self.speech.available else self.speech.reason

    def show_speech_state(self) -> None:
        """« Écouter » (its menu entry and Ctrl+Maj+E) on only with an engine, a French voice and a
        sound output; off, its tooltip and its status tip (the status bar, as the menu is browsed)
        say why."""
        from PySide6.QtGui import QKeySequence, QShortcut

        action = self.window.desk_actions.read_aloud
        reason = self.speech_unavailable_reason()
        action.setEnabled(not reason)
        action.setStatusTip(f"Indisponible : {reason}" if reason else "")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        name = action.text()
        action.setToolTip(f"{name} – indisponible : {reason}" if reason else f"{name} ({keys})" if keys else name)
        # A disabled action's keys do nothing: while it is off, its keys say why in the status bar.
        if self._listen_off is None and not action.shortcut().isEmpty():
            self._listen_off = QShortcut(action.shortcut(), self.window)
            self._listen_off.activated.connect(
                lambda: self.window.statusBar().showMessage(
                    f"Lecture à voix haute indisponible : {self.speech_unavailable_reason()}.", 8000
                )
            )
        if self._listen_off is not None:
            self._listen_off.setEnabled(bool(reason))

    def read_aloud(self, text: str = "") -> None:
        """Reads text, or else the part of the fiche shown (or the text chosen in it)."""
        if self.speech is None or not self.speech.available:
            return
        if not text and (view := self._shown_fiche_view()) is not None:
            text = view.read_aloud_text()
        if text.strip():
            self.speech.say(text)

    def stop_reading(self) -> None:
        if self.speech is not None:
            self.speech.stop()

    def shutdown(self) -> None:
        if self.speech is not None:
            self.speech.shutdown()
