"""Main window: navigation, the standard / FALC toggle, search, zoom; owns the text version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from fiche_desktop import config
from fiche_desktop.content import TextVersion, date_in_words
from fiche_desktop.db import ContentDB
from fiche_desktop.fonts import app_font
from fiche_desktop.render import RenderContext, glossary_html, make_context, sources_html
from fiche_desktop.search import Answer, Result, Suggestion
from fiche_desktop.searcher import SearchService
from fiche_desktop.views.home import HomeView
from fiche_desktop.views.style import BASE_PT, style_sheet

if TYPE_CHECKING:
    from fiche_desktop.views.compare_view import CompareView
    from fiche_desktop.views.document_view import DocumentView
    from fiche_desktop.views.export_dialog import ExportDialog
    from fiche_desktop.views.fiche_view import FicheView
    from fiche_desktop.views.guide_view import GuideView
    from fiche_desktop.views.search_view import SearchView
    from fiche_desktop.views.settings_dialog import SettingsDialog

SHORTCUTS = [
    ("Ctrl+F", "Rechercher"),
    ("Entrée", "Ouvrir le meilleur résultat (dans le champ de recherche)"),
    ("Flèche bas", "Aller aux résultats"),
    ("Échap", "Effacer la recherche"),
    ("Ctrl+T", "Basculer entre version standard et version FALC (facile à lire)"),
    ("Alt+Gauche / Alt+Droite", "Page précédente / suivante"),
    ("Alt+Origine", "Accueil"),
    ("Ctrl+G", "Glossaire"),
    ("Ctrl+K", "Comparer les structures"),
    ("Ctrl+O", "Quelle structure ? (guide d’orientation)"),
    ("Ctrl+P", "Imprimer ou exporter en PDF"),
    ("Ctrl++ / Ctrl+- / Ctrl+0", "Agrandir / réduire / taille normale"),
    ("Tab / Maj+Tab", "Passer d’un élément à l’autre ; Entrée ou Espace pour l’ouvrir"),
    ("F1", "Cette aide"),
    ("Ctrl+Q", "Quitter"),
]


@dataclass(frozen=True)
class Location:
    page: str  # home | fiche | glossary | sources | help | compare | guide (slug: path, section: question)
    slug: str = ""
    section: str = ""
    query: str = ""  # the search shown over the page (history keeps it; Back brings it back)


class SearchField(QLineEdit):
    """The search box: Down goes to the results, Escape clears."""

    down_pressed = Signal()
    escape_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt virtual)
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    """The desk window. Emits version_changed; every view re-renders from it."""

    version_changed = Signal(object)

    def __init__(
        self,
        db: ContentDB,
        settings: config.Settings | None = None,
        *,
        save_settings: Callable[[config.Settings], None] = config.save_settings,
        search_delay_ms: int = 150,
        warnings: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.settings = settings or config.Settings()
        self._save_settings = save_settings
        self.version = TextVersion(self.settings.text_version)
        self.zoom = self.settings.zoom
        self.history: list[Location] = []
        self.future: list[Location] = []
        self.location = Location("home")
        self._open_best_when_ready = False
        self._last_results: tuple[str, list[Result]] = ("", [])
        self._last_answer = Answer("")
        self.setWindowTitle("Fiche Desktop – Dispositifs de soins primaires et de coordination")
        self.resize(1280, 860)

        self.searcher = SearchService(db.path, db.meta, self)
        self.searcher.answer_ready.connect(self._on_answer)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.searcher.shutdown)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(search_delay_ms)
        self.search_timer.timeout.connect(self._run_search)

        self.stack = QStackedWidget()
        self.home = HomeView(db, version=self.version)
        # The other screens are built on first use, so that the window shows sooner.
        self._fiche_view: FicheView | None = None
        self._search_view: SearchView | None = None
        self._document_view: DocumentView | None = None
        self._compare_view: CompareView | None = None  # built on first use: faster start-up
        self._guide_view: GuideView | None = None
        self.export_dialog: ExportDialog | None = None
        self.contact_dialog: SettingsDialog | None = None
        self.stack.addWidget(self.home)
        self.setCentralWidget(self.stack)

        self.home.open_fiche.connect(lambda slug: self.open_fiche(slug))
        self.home.open_page.connect(self.open_page)

        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self.version_changed.connect(self._rerender)

        meta = db.meta
        self.content_label = QLabel(
            f"Contenu {meta.content_version} – sources à jour du {date_in_words(meta.content_date)}"
        )
        self.statusBar().addPermanentWidget(self.content_label)
        if warnings:
            self.statusBar().showMessage(" ; ".join(warnings), 20000)
        self._apply_zoom(rerender_home=False)
        self._sync_version_controls()
        self._update_nav_actions()

    # --- construction

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence | None = None,
        *extra: str | QKeySequence,
    ) -> QAction:
        action = QAction(text, self)
        keys: list[QKeySequence] = []
        for k in (shortcut, *extra):
            if not k:
                continue
            for seq in QKeySequence.keyBindings(k) if isinstance(k, QKeySequence.StandardKey) else [QKeySequence(k)]:
                # A key bound twice to one action makes Qt call the shortcut ambiguous.
                if seq.toString() not in {x.toString() for x in keys}:
                    keys.append(seq)
        if keys:
            action.setShortcuts(keys)
            action.setToolTip(f"{text} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.back_action = self._action("Précédent", self.back, QKeySequence.StandardKey.Back, "Alt+Left")
        self.forward_action = self._action("Suivant", self.forward, QKeySequence.StandardKey.Forward, "Alt+Right")
        self.home_action = self._action("Accueil", self.go_home, "Alt+Home")
        self.find_action = self._action("Rechercher", self.focus_search, QKeySequence.StandardKey.Find)
        self.falc_action = self._action("Version FALC (facile à lire)", self.toggle_version, "Ctrl+T")
        self.falc_action.setCheckable(True)
        self.glossary_action = self._action("Glossaire", lambda: self.open_page("glossary"), "Ctrl+G")
        self.sources_action = self._action("Sources et erratum", lambda: self.open_page("sources"))
        self.compare_action = self._action("Comparer les structures", self.open_compare, "Ctrl+K")
        self.guide_action = self._action("Quelle structure ?", lambda: self.open_page("guide"), "Ctrl+O")
        self.zoom_in_action = self._action(
            "Agrandir",
            lambda: self.set_zoom(self.zoom + config.ZOOM_STEP),
            QKeySequence.StandardKey.ZoomIn,
            "Ctrl+=",
            "Ctrl++",
        )
        self.zoom_out_action = self._action(
            "Réduire", lambda: self.set_zoom(self.zoom - config.ZOOM_STEP), QKeySequence.StandardKey.ZoomOut, "Ctrl+-"
        )
        self.zoom_reset_action = self._action("Taille normale", lambda: self.set_zoom(config.ZOOM_DEFAULT), "Ctrl+0")
        self.help_action = self._action(
            "Aide", lambda: self.open_page("help"), QKeySequence.StandardKey.HelpContents, "F1"
        )
        self.print_action = self._action(
            "Imprimer / exporter en PDF…", self.open_print_dialog, QKeySequence.StandardKey.Print
        )
        self.contact_action = self._action("Votre contact (pour les impressions)…", self.open_contact_settings)
        self.quit_action = self._action("Quitter", self.close, "Ctrl+Q")

    def _build_toolbar(self) -> None:
        bar = QToolBar("Navigation")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setEnabled(False)
        self.addToolBar(bar)
        for action in (self.back_action, self.forward_action, self.home_action):
            bar.addAction(action)
        for action in (self.back_action, self.forward_action, self.home_action):
            button = bar.widgetForAction(action)
            button.setAccessibleName(action.text())
        self.search_field = SearchField()
        self.search_field.setPlaceholderText("Rechercher : sigle, structure, mot… (Ctrl+F)")
        self.search_field.setAccessibleName("Rechercher dans les fiches")
        self.search_field.setClearButtonEnabled(True)
        for button in self.search_field.findChildren(QToolButton):  # the clear button, named for screen readers
            button.setAccessibleName("Effacer la recherche")
        self.search_field.setMinimumWidth(320)
        self.search_field.textChanged.connect(self._on_search_text)
        self.search_field.returnPressed.connect(self._on_search_enter)
        self.search_field.down_pressed.connect(lambda: self.search_view.focus_results())
        self.search_field.escape_pressed.connect(self.clear_search)
        bar.addWidget(self.search_field)
        for action in (self.compare_action, self.glossary_action):
            bar.addAction(action)
            bar.widgetForAction(action).setAccessibleName(action.text())
        bar.addSeparator()
        self.version_group = QButtonGroup(self)
        self.version_group.setExclusive(True)
        self.standard_button = QPushButton("Standard")
        self.standard_button.setAccessibleName("Afficher la version standard")
        self.falc_button = QPushButton("FALC – facile à lire")
        self.falc_button.setAccessibleName("Afficher la version FALC, facile à lire et à comprendre")
        for button, version in ((self.standard_button, TextVersion.STANDARD), (self.falc_button, TextVersion.FALC)):
            button.setCheckable(True)
            button.setObjectName("versionButton")
            button.setToolTip("Basculer la version du texte (Ctrl+T)")
            button.clicked.connect(lambda _=False, v=version: self.set_version(v))
            self.version_group.addButton(button)
            bar.addWidget(button)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&Fichier")
        file_menu.addAction(self.print_action)
        file_menu.addAction(self.contact_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = menu.addMenu("&Affichage")
        for action in (self.falc_action, None, self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            view_menu.addSeparator() if action is None else view_menu.addAction(action)
        go_menu = menu.addMenu("&Aller à")
        for action in (
            self.home_action,
            self.back_action,
            self.forward_action,
            self.find_action,
            self.compare_action,
            self.guide_action,
            self.glossary_action,
            self.sources_action,
        ):
            go_menu.addAction(action)
        help_menu = menu.addMenu("Aid&e")
        help_menu.addAction(self.help_action)
        self.menus = [file_menu, view_menu, go_menu, help_menu]
        self._exclusive = QActionGroup(self)

    # --- text version

    def set_version(self, version: TextVersion) -> None:
        if version is self.version:
            self._sync_version_controls()
            return
        self.version = version
        self.settings.text_version = version.value
        self._persist()
        self._sync_version_controls()
        self.version_changed.emit(version)

    def toggle_version(self) -> None:
        self.set_version(TextVersion.STANDARD if self.version is TextVersion.FALC else TextVersion.FALC)

    def _sync_version_controls(self) -> None:
        falc = self.version is TextVersion.FALC
        self.falc_button.setChecked(falc)
        self.standard_button.setChecked(not falc)
        self.falc_action.setChecked(falc)

    def _rerender(self, _version: object = None) -> None:
        self.home.set_version(self.version)
        page = self.location.page
        if page == "fiche" and self._fiche_view is not None:
            self._fiche_view.rerender(self.version, self.render_context())
        elif page in ("glossary", "sources", "help"):
            self._show_document(page)
        if self._compare_view is not None:
            self._compare_view.set_version(self.version)
        if self._guide_view is not None:
            self._guide_view.set_version(self.version)
        if self._showing_search() and self.search_field.text().strip():
            self._run_search()

    # --- zoom

    def set_zoom(self, zoom: int) -> None:
        zoom = max(config.ZOOM_MIN, min(config.ZOOM_MAX, zoom))
        if zoom == self.zoom:
            return
        self.zoom = zoom
        self.settings.zoom = zoom
        self._persist()
        self._apply_zoom()
        self._rerender()

    @property
    def base_pt(self) -> float:
        return BASE_PT * self.zoom / 100

    def _apply_zoom(self, rerender_home: bool = True) -> None:
        app = QApplication.instance()
        font = app_font(self.base_pt)
        if isinstance(app, QApplication):
            app.setFont(font)
        self.setFont(font)
        self.setStyleSheet(style_sheet(self.base_pt))
        if rerender_home:
            self.home.render_when_shown()

    # --- navigation

    def render_context(self) -> RenderContext:
        return make_context(self.db, base_pt=self.base_pt)

    def _go(self, location: Location, record: bool = True) -> None:
        if record and self.location != location:
            current = self._current_location()
            self.history.append(current)
            self.future.clear()
        self.location = location
        if location.page == "fiche":
            fiche = self.db.fiche(location.slug)
            if fiche is None:
                self.statusBar().showMessage(f"Fiche introuvable : {location.slug}", 8000)
                self.location = Location("home")
                self.stack.setCurrentWidget(self.home)
            else:
                self.fiche_view.show_fiche(fiche, self.version, self.render_context(), location.section or None)
                self.stack.setCurrentWidget(self.fiche_view)
                self.setWindowTitle(f"{fiche.label} – Fiche Desktop")
        elif location.page in ("glossary", "sources", "help"):
            self._show_document(location.page, location.section or None)
            self.stack.setCurrentWidget(self.document_view)
        elif location.page == "compare":
            if location.slug:
                self.compare_view.set_structures(location.slug.split(","))
            self.stack.setCurrentWidget(self.compare_view)
            self.setWindowTitle("Comparer les structures – Fiche Desktop")
        elif location.page == "guide":
            if location.section:
                self.guide_view.select_question(location.section)
            elif location.slug:
                self.guide_view.select_path(location.slug)
            self.stack.setCurrentWidget(self.guide_view)
            self.setWindowTitle("Quelle structure ? – Fiche Desktop")
        else:
            self.stack.setCurrentWidget(self.home)
            self.setWindowTitle("Fiche Desktop – Dispositifs de soins primaires et de coordination")
        if location.query:
            self._restore_search(location.query)
        self._update_nav_actions()

    def _current_location(self) -> Location:
        query = self.search_view.query.strip() if self._showing_search() else ""
        if self.location.page == "fiche":
            section = self.fiche_view.current_section() or ""
            return Location("fiche", self.location.slug, section, query)
        if self.location.page == "compare":
            return Location("compare", ",".join(self.compare_view.slugs), query=query)
        if self.location.page == "guide":
            return Location("guide", self.guide_view.path, self.guide_view.current_question(), query)
        return replace(self.location, query=query)

    def _showing_search(self) -> bool:
        return self._search_view is not None and self.stack.currentWidget() is self._search_view

    def _page_widget(self, page: str) -> QWidget:
        if page == "fiche":
            return self.fiche_view
        if page in ("glossary", "sources", "help"):
            return self.document_view
        if page == "compare":
            return self.compare_view
        if page == "guide":
            return self.guide_view
        return self.home

    @property
    def fiche_view(self) -> FicheView:
        if self._fiche_view is None:
            from fiche_desktop.views.fiche_view import FicheView

            view = FicheView()
            view.link_activated.connect(self.follow_link)
            view.compare_requested.connect(self.open_compare)
            view.print_requested.connect(self.open_print_dialog)
            self.stack.addWidget(view)
            self._fiche_view = view
        return self._fiche_view

    @property
    def search_view(self) -> SearchView:
        if self._search_view is None:
            from fiche_desktop.views.search_view import SearchView

            view = SearchView()
            view.open_result.connect(self.open_result)
            view.suggestion_chosen.connect(self._on_suggestion)
            self.stack.addWidget(view)
            self._search_view = view
        return self._search_view

    @property
    def document_view(self) -> DocumentView:
        if self._document_view is None:
            from fiche_desktop.views.document_view import DocumentView

            view = DocumentView()
            view.link_activated.connect(self.follow_link)
            self.stack.addWidget(view)
            self._document_view = view
        return self._document_view

    @property
    def compare_view(self) -> CompareView:
        if self._compare_view is None:
            from fiche_desktop.views.compare_view import CompareView  # imported on first use

            view = CompareView(self.db)
            view.set_version(self.version)
            view.open_section.connect(lambda slug, section: self.open_fiche(slug, section))
            view.export_requested.connect(self.export_comparison)
            self.stack.addWidget(view)
            self._compare_view = view
        return self._compare_view

    @property
    def guide_view(self) -> GuideView:
        if self._guide_view is None:
            from fiche_desktop.views.guide_view import GuideView  # imported on first use

            view = GuideView(self.db)
            view.set_version(self.version)
            view.open_fiche.connect(lambda slug, section: self.open_fiche(slug, section))
            view.compare_requested.connect(lambda slugs: self._go(Location("compare", ",".join(slugs))))
            self.stack.addWidget(view)
            self._guide_view = view
        return self._guide_view

    def open_compare(self, slug: str = "") -> None:
        """Opens the comparison; from a fiche, with that structure first."""
        from fiche_desktop.compare import DEFAULT_SLUGS

        slugs = [slug] + [s for s in DEFAULT_SLUGS if s != slug] if slug else list(DEFAULT_SLUGS)
        self._leave_search()
        self._go(Location("compare", ",".join(slugs[:7])))

    def ask_save_path(self, title: str, default_name: str) -> str:
        """Asks where to save a PDF; '' when cancelled. Tests replace this method."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, title, default_name, "Documents PDF (*.pdf)")
        return path

    def export_comparison(self, slugs: list[str], version: TextVersion) -> None:
        from pathlib import Path

        from fiche_desktop import export

        suffix = "-falc" if version is TextVersion.FALC else ""
        path = self.ask_save_path("Enregistrer la comparaison en PDF", f"comparaison-{'-'.join(slugs)}{suffix}.pdf")
        if not path:
            return
        try:
            export.export_comparison_pdf(self.db, slugs, version, Path(path))
        except export.ExportError as e:
            self.statusBar().showMessage(str(e), 15000)
            return
        self.statusBar().showMessage(f"Comparaison enregistrée : {path}", 10000)

    def open_print_dialog(self) -> ExportDialog:
        """Opens the print / PDF dialog (non-modal), on the current fiche when one is shown."""
        from fiche_desktop.views.export_dialog import ExportDialog

        contact = self.settings.contact()
        current = self.location.slug if self.location.page == "fiche" else None
        if self.export_dialog is not None:
            self.export_dialog.close()
            self.export_dialog.deleteLater()
        dialog = ExportDialog(self.db, self.version, current, contact, self)
        dialog.exported.connect(lambda path: self.statusBar().showMessage(f"PDF enregistré : {path}", 10000))
        self.export_dialog = dialog
        dialog.show()
        return dialog

    def open_contact_settings(self) -> SettingsDialog:
        """Opens the 'Votre contact' settings (window-modal, without blocking)."""
        from fiche_desktop.views.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self._save_settings, self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("Coordonnées enregistrées.", 8000))
        self.contact_dialog = dialog
        dialog.open()
        return dialog

    def open_fiche(self, slug: str, section: str = "") -> bool:
        """Opens a fiche (and section); False when the slug is unknown."""
        if self.db.fiche(slug) is None:
            self.statusBar().showMessage(f"Fiche introuvable : {slug}", 8000)
            return False
        self._leave_search()
        self._go(Location("fiche", slug, section))
        return True

    def open_page(self, page: str, anchor: str = "") -> None:
        self._leave_search()
        self._go(Location(page, "", anchor))

    def go_home(self) -> None:
        self._leave_search()
        self._go(Location("home"))

    def back(self) -> None:
        if not self.history:
            return
        self.future.append(self._current_location())
        self._leave_search()
        self._go(self.history.pop(), record=False)

    def forward(self) -> None:
        if not self.future:
            return
        self.history.append(self._current_location())
        self._leave_search()
        self._go(self.future.pop(), record=False)

    def _update_nav_actions(self) -> None:
        self.back_action.setEnabled(bool(self.history))
        self.forward_action.setEnabled(bool(self.future))

    def _show_document(self, page: str, anchor: str | None = None) -> None:
        ctx = self.render_context()
        if page == "glossary":
            html = glossary_html(self.db.terms(), ctx)
        elif page == "sources":
            html = sources_html(
                self.db.sources().values(),
                self.db.errata(),
                ctx,
                self.db.meta.content_version,
                self.db.meta.content_date,
            )
        else:
            html = self.help_html()
        self.document_view.show_page(page, html, anchor)

    def follow_link(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == "glossaire":
            self.open_page("glossary", f"terme-{url.path()}")
        elif scheme == "fiche":
            self.open_fiche(url.path(), url.fragment())
        elif scheme in ("http", "https"):
            self.open_external(url)
        # Anything else (file:, javascript:, …) is never followed.

    def open_external(self, url: QUrl) -> None:
        """Opens an http(s) link in the system browser."""
        if not QDesktopServices.openUrl(url):
            self.statusBar().showMessage(f"Impossible d’ouvrir le navigateur pour {url.toString()}", 8000)

    # --- search

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _on_search_text(self, text: str) -> None:
        if not text.strip():
            self.search_timer.stop()
            self._leave_search(clear=False)
            return
        self.search_timer.start()

    def _run_search(self) -> None:
        self.search_timer.stop()
        text = self.search_field.text()
        if text.strip():
            self.searcher.submit(text, self.version)

    def _on_answer(self, answer: Answer) -> None:
        text, results = answer.text, answer.results
        if text != self.search_field.text():
            return
        self._last_results = (text, results)
        self._last_answer = answer
        self.search_view.show_answer(answer)
        if not self._showing_search():
            self.stack.setCurrentWidget(self.search_view)
        if self._open_best_when_ready:
            self._open_best_when_ready = False
            if results:
                self.open_result(results[0])

    def _on_search_enter(self) -> None:
        text = self.search_field.text()
        if not text.strip():
            return
        if self._last_results[0] == text and not self.search_timer.isActive():
            best = self.search_view.best()
            if best is not None:
                self.open_result(best)
            return
        self._open_best_when_ready = True
        self._run_search()

    def open_result(self, result: Result | None) -> None:
        """Opens a hit where it is shown (switching version when only the other one has it), highlights
        it, empties the search box; Back returns to these results."""
        if result is None:
            return
        query = self.search_field.text().strip() if self._showing_search() else ""
        origin = replace(self._current_location(), query=query)
        self.search_timer.stop()
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)
        self._leave_search()
        if result.kind == "term":
            target = Location("glossary", "", f"terme-{result.section}")
        elif self.db.fiche(result.slug) is None:
            self.statusBar().showMessage(f"Fiche introuvable : {result.slug}", 8000)
            return
        else:
            target = Location("fiche", result.slug, result.section)
        version = result.open_version(self.version)
        if version is not self.version:
            self.set_version(version)
            self.statusBar().showMessage(
                "Affiché en version FALC : le mot cherché n’est que dans le texte FALC."
                if version is TextVersion.FALC
                else "Affiché en version standard : le mot cherché n’est que dans le texte standard.",
                8000,
            )
        if origin != target:
            self.history.append(origin)
            self.future.clear()
        self._go(target, record=False)
        if target.page == "fiche":
            self.fiche_view.highlight_hit(result.section, result.terms, result.prefix)

    def _restore_search(self, query: str) -> None:
        """Shows the results of query over the current page (going back to a search)."""
        self.search_field.blockSignals(True)
        self.search_field.setText(query)
        self.search_field.blockSignals(False)
        if self._last_answer.text == query:
            self.search_view.show_answer(self._last_answer)
            self.stack.setCurrentWidget(self.search_view)
        self.searcher.submit(query, self.version)

    def _on_suggestion(self, suggestion: Suggestion) -> None:
        if suggestion.kind == "word":
            self.search_field.setText(suggestion.query)
            self.search_field.setFocus()
        elif suggestion.kind == "glossary":
            self.clear_search()
            self.open_page("glossary")
        else:
            self.clear_search()
            self.go_home()

    def clear_search(self) -> None:
        self.search_field.clear()
        self._leave_search()

    def _leave_search(self, clear: bool = False) -> None:
        if clear:
            self.search_field.clear()
        self._open_best_when_ready = False
        if self._showing_search():
            self.stack.setCurrentWidget(self._page_widget(self.location.page))

    # --- misc

    def help_html(self) -> str:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
        return (
            f"<html><body style='font-size:{self.base_pt:.1f}pt'><h1>Aide</h1>"
            "<p>Fiche Desktop présente les dispositifs de soins primaires et de coordination, "
            "mot pour mot d’après leurs sources, en version standard et en version FALC "
            "(facile à lire et à comprendre).</p>"
            "<h2>Raccourcis clavier</h2>"
            f"<table cellpadding='4'>{rows}</table>"
            "<h2>Sources</h2><p>Chaque partie de fiche indique sa source et sa date. "
            "La page « Sources et erratum » liste les documents et les corrections.</p>"
            "</body></html>"
        )

    def _persist(self) -> None:
        try:
            self._save_settings(self.settings)
        except OSError as e:
            self.statusBar().showMessage(f"Réglages non enregistrés : {e.strerror or e}", 10000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt virtual)
        self.searcher.shutdown()
        super().closeEvent(event)
