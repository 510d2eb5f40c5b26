"""Main window: navigation, the standard / FALC toggle, search, zoom; owns the text version."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop import config, files
from fiche_desktop.content import TextVersion, date_span
from fiche_desktop.db import ContentDB
from fiche_desktop.gui.fonts import app_font
from fiche_desktop.theme import CONTRAST, STANDARD, Palette
from fiche_desktop.views.flow_layout import FlowBar
from fiche_desktop.views.home import HomeView
from fiche_desktop.views.style import BASE_PT, style_sheet

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent

    from fiche_desktop.gui.searcher import SearchService
    from fiche_desktop.gui.speech import SpeechService
    from fiche_desktop.render import RenderContext
    from fiche_desktop.search import Answer, Result, Suggestion
    from fiche_desktop.views.compare_view import CompareView
    from fiche_desktop.views.document_view import DocumentView
    from fiche_desktop.views.export_dialog import ExportDialog
    from fiche_desktop.views.fiche_view import FicheView
    from fiche_desktop.views.glossary_view import GlossaryView
    from fiche_desktop.views.guide_view import GuideView
    from fiche_desktop.views.search_view import SearchView
    from fiche_desktop.views.settings_dialog import SettingsDialog

# Keys that are not actions of the window, for the Help page.
OTHER_KEYS = [
    ("Entrée", "Dans le champ de recherche : ouvrir le meilleur résultat"),
    ("Flèche bas", "Dans le champ de recherche : aller aux résultats"),
    ("Échap", "Effacer la recherche ; fermer une définition ou la recherche dans la fiche"),
    ("Tab / Maj+Tab", "Passer d’un élément à l’autre ; Entrée ou Espace pour l’ouvrir"),
    ("Flèche gauche / droite", "Sur « Standard » ou « FALC » : choisir la version du texte"),
    ("Maj+Entrée", "Dans la recherche dans la fiche : résultat précédent"),
]
TITLE_SUFFIX = " – Fiche Desktop"
HOME_TITLE = "Dispositifs de soins primaires et de coordination"


def system_wants_contrast() -> bool:
    """True when the system asks for high contrast (Qt 6.10's accessibility hints)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    style_hints = QGuiApplication.styleHints()  # kept: the accessibility hints belong to it
    try:
        preference = style_hints.accessibility().contrastPreference()
    except RuntimeError:  # WORKAROUND: PySide6 can drop the hints' wrapper between two calls
        return False
    return bool(preference == Qt.ContrastPreference.HighContrast)


class Location(NamedTuple):
    page: str  # home | fiche | glossary | sources | help | compare | guide (slug: path, section: question)
    slug: str = ""
    section: str = ""
    query: str = ""  # the search shown over the page (history keeps it; Back brings it back)


MENU_TITLES = ("&Fichier", "É&dition", "&Affichage", "&Aller à", "Fa&voris", "&Récents", "Aid&e")


class SearchField(QLineEdit):
    """The search box: Down goes to the results, Escape clears."""

    down_pressed = Signal()
    escape_pressed = Signal()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.fontMetrics().averageCharWidth() * 26), hint.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
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
        defer_start: bool = False,
        speech_engine: str = "",
    ) -> None:
        """speech_engine: the text-to-speech engine to ask for ("" the system's; "mock" in tests).

        defer_start: build only what the first frame shows (the home screen, the toolbar); the
        caller runs finish_start() once the window has painted (app.run_gui does)."""
        super().__init__()
        self.db = db
        self.settings = settings or config.Settings()
        self._started = False  # finish_start() has run
        self._save_settings = save_settings
        self.version = TextVersion(self.settings.text_version)
        self.zoom = self.settings.zoom
        self.history: list[Location] = []
        self.future: list[Location] = []
        self.location = Location("home")
        self._open_best_when_ready = False
        self._last_results: tuple[str, list[Result]] = ("", [])
        self._last_answer: Answer | None = None  # the last search's answer (search.Answer)
        self.setWindowTitle(HOME_TITLE + TITLE_SUFFIX)
        self.resize(1280, 860)
        # An explicit minimum: the window never grows past the screen at a large zoom (its
        # bars wrap instead); without it Qt would enlarge it to its contents' minimum size.
        self.setMinimumSize(QSize(640, 480))
        # Font and style sheet first: the widgets built below are then polished once, when shown.
        self._apply_zoom(rerender_home=False)
        self._drawn_palette = self.theme_palette

        self._searcher: SearchService | None = None  # started on first search
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(search_delay_ms)
        self.search_timer.timeout.connect(self._run_search)

        # The page's frame goes into the window before anything is built in it: a widget made
        # outside the styled window would be polished once without the style sheet, then
        # restyled when it joins the window (about 10 ms of the first frame).
        central = QWidget()
        central.setObjectName("page")
        self.setCentralWidget(central)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.top_bar = FlowBar(central)
        self.top_bar.setObjectName("topBar")
        column.addWidget(self.top_bar)
        self.stack = QStackedWidget(central)
        column.addWidget(self.stack, 1)
        self.home = HomeView(
            db, self.stack, version=self.version, defer=defer_start, favourites=self.settings.favourites
        )
        # The other screens are built on first use, so that the window shows sooner.
        self._fiche_view: FicheView | None = None
        self._search_view: SearchView | None = None
        self._document_view: DocumentView | None = None
        self._compare_view: CompareView | None = None  # built on first use: faster start-up
        self._guide_view: GuideView | None = None
        self.export_dialog: ExportDialog | None = None
        self.contact_dialog: SettingsDialog | None = None
        self.stack.addWidget(self.home)
        self._glossary_view: GlossaryView | None = None
        self.speech: SpeechService | None = None
        self._speech_engine = speech_engine

        self.home.open_fiche.connect(lambda slug: self.open_fiche(slug))
        self.home.open_page.connect(self.open_page)

        # The menu bar's titles are in the first frame (the page would move down when it came);
        # the menus are filled after the first paint (_build_menus).
        bar = self.menuBar()
        self.menus = [bar.addMenu(title) for title in MENU_TITLES]
        self.favourites_menu, self.recent_menu = self.menus[4], self.menus[5]
        self._pending_keys: list[tuple[QAction, tuple[str, ...]]] = []
        self._build_actions()
        self._build_toolbar()
        self.version_changed.connect(self._rerender)

        meta = db.meta
        self.content_label = QLabel(f"Contenu {meta.content_version} – {date_span(db.sources().values())}")
        self.content_label.setToolTip(self.content_label.text())
        self.content_label.setMinimumWidth(1)  # cut, never widening the window, at a large zoom
        self.statusBar().addPermanentWidget(self.content_label)
        # A message (a content set aside, an error) gets the whole bar; the version comes back after.
        self.statusBar().messageChanged.connect(self._make_room_for_message)
        if warnings:
            self.statusBar().showMessage(" ; ".join(warnings), 20000)
        self._sync_version_controls()
        self._update_nav_actions()
        if not defer_start:
            self.finish_start()

    def finish_start(self) -> None:
        """Builds what the first frame does not show: menus, tooltips with the shortcuts' French
        names, the home screen's focus and list of other fiches. Runs once."""
        if self._started:
            return
        self._started = True
        self._bind_keys()
        self._build_menus()
        # The clear button (about 6 ms: its icon) shows only once something is typed; it is
        # named for screen readers by _finish_accessibility() below.
        self.search_field.setClearButtonEnabled(True)
        self.home.finish()
        self._fill_dynamic_menus()
        self.apply_theme()
        self._start_speech()
        self._finish_accessibility()

    def _finish_accessibility(self) -> None:
        """What a screen reader needs beyond Qt's defaults, for the widgets of the first frame:
        the bar's role, the search box's clear button, and the status bar's messages spoken."""
        from fiche_desktop.views import accessibility

        self.top_bar.setAccessibleName("Barre d’outils")
        accessibility.mark(self.top_bar, "toolbar")
        accessibility.mark(self.version_toggle, "group")
        accessibility.radio_pair([self.standard_button, self.falc_button])
        accessibility.name_clear_button(self.search_field, "Effacer la recherche")
        self.statusBar().setAccessibleName("Barre d’état")
        self.statusBar().messageChanged.connect(self._announce_status)

    @property
    def searcher(self) -> SearchService:
        """The search thread, started on first use."""
        if self._searcher is None:
            from fiche_desktop.gui import searcher

            self._searcher = searcher.SearchService(self.db.path, self.db.meta, self)
            self._searcher.answer_ready.connect(self._on_answer)
            app = QApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(self._searcher.shutdown)
        return self._searcher

    # --- construction

    def _action(self, text: str, slot: Callable[[], object], *keys: str) -> QAction:
        """An action of the window; its keys ("Ctrl+T", or "StandardKey.Find" for the
        platform's own) are bound by finish_start(): QKeySequence is not needed to paint."""
        action = QAction(self)  # QAction(text, self) would make PySide6 build QIcon's enums to choose
        action.setText(text)
        if keys:
            self._pending_keys.append((action, keys))
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _bind_keys(self) -> None:
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

    def _build_actions(self) -> None:
        self.back_action = self._action("Précédent", self.back, "StandardKey.Back", "Alt+Left")
        self.forward_action = self._action("Suivant", self.forward, "StandardKey.Forward", "Alt+Right")
        self.home_action = self._action("Accueil", self.go_home, "Alt+Home")
        self.find_action = self._action("Rechercher", self.focus_search, "StandardKey.Find")
        self.falc_action = self._action("Version FALC (facile à lire)", self.toggle_version, "Ctrl+T")
        self.falc_action.setCheckable(True)
        self.glossary_action = self._action("Glossaire", lambda: self.open_page("glossary"), "Ctrl+G")
        self.sources_action = self._action("Sources et erratum", lambda: self.open_page("sources"))
        self.compare_action = self._action("Comparer les structures", self.open_compare, "Ctrl+K")
        self.guide_action = self._action("Quelle structure ?", lambda: self.open_page("guide"), "Ctrl+O")
        self.zoom_in_action = self._action(
            "Agrandir",
            lambda: self.set_zoom(self.zoom + config.ZOOM_STEP),
            "StandardKey.ZoomIn",
            "Ctrl+=",
            "Ctrl++",
        )
        self.zoom_out_action = self._action(
            "Réduire", lambda: self.set_zoom(self.zoom - config.ZOOM_STEP), "StandardKey.ZoomOut", "Ctrl+-"
        )
        self.zoom_reset_action = self._action("Taille normale", lambda: self.set_zoom(config.ZOOM_DEFAULT), "Ctrl+0")
        self.help_action = self._action("Aide", lambda: self.open_page("help"), "StandardKey.HelpContents", "F1")
        self.print_action = self._action("Imprimer / exporter en PDF…", self.open_print_dialog, "StandardKey.Print")
        self.contact_action = self._action("Votre contact (pour les impressions)…", self.open_contact_settings)
        self.quit_action = self._action("Quitter", self.close, "Ctrl+Q")
        self.find_in_page_action = self._action("Rechercher dans la fiche…", self.open_find_in_page, "Ctrl+Shift+F")
        self.find_next_action = self._action("Résultat suivant dans la fiche", lambda: self._find_step(1), "F3")
        self.find_previous_action = self._action(
            "Résultat précédent dans la fiche", lambda: self._find_step(-1), "Shift+F3"
        )
        self.copy_source_action = self._action("Copier avec la source", self.copy_with_source, "Ctrl+Shift+C")
        self.favourite_action = self._action("Ajouter aux favoris / retirer", self.toggle_favourite, "Ctrl+D")
        self.contrast_action = self._action("Contraste élevé", self.toggle_contrast, "Ctrl+Shift+H")
        self.contrast_action.setCheckable(True)
        self.restore_action = self._action("Rouvrir la dernière fiche au démarrage", self.toggle_restore)
        self.restore_action.setCheckable(True)
        self.restore_action.setChecked(self.settings.restore_session)
        self.read_aloud_action = self._action(
            "Écouter (la partie affichée ou le texte choisi)", self.read_aloud, "Ctrl+Shift+E"
        )
        self.stop_reading_action = self._action("Arrêter la lecture", self.stop_reading)
        for action in (self.read_aloud_action, self.stop_reading_action):
            action.setEnabled(False)
        self.about_action = self._action("À propos de Fiche Desktop", lambda: self.open_page("about"))

    def _tool_button(self, action: QAction, name: str = "") -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAccessibleName(name or action.text())
        return button

    def _build_toolbar(self) -> None:
        """The top bar: it wraps onto a second row rather than hide a control, whatever the
        window's width and the zoom (the Standard / FALC control always stays in sight)."""
        bar = self.top_bar
        for action in (self.back_action, self.forward_action, self.home_action):
            bar.add(self._tool_button(action), place=False)
        self.search_field = SearchField()
        self.search_field.setPlaceholderText("Rechercher : sigle, structure, mot… (Ctrl+F)")
        self.search_field.setAccessibleName("Rechercher dans les fiches")
        self.search_field.textChanged.connect(self._on_search_text)
        self.search_field.returnPressed.connect(self._on_search_enter)
        self.search_field.down_pressed.connect(lambda: self.search_view.focus_results())
        self.search_field.escape_pressed.connect(self.clear_search)
        bar.add(self.search_field, grow=True, place=False)
        self.compare_action.setIconText("Comparer")  # the bar's short label; menus keep the full name
        bar.add(self._tool_button(self.compare_action, "Comparer les structures"), place=False)
        bar.add(self._tool_button(self.glossary_action), place=False)
        bar.add_gap()
        self.version_group = QButtonGroup(self)
        self.version_group.setExclusive(True)
        toggle = QWidget()  # the two buttons stay together, on one row
        toggle.setObjectName("versionToggle")
        toggle.setAccessibleName("Version du texte")
        self.version_toggle = toggle
        pair = QHBoxLayout(toggle)
        pair.setContentsMargins(0, 0, 0, 0)
        pair.setSpacing(0)
        self.standard_button = QPushButton("Standard")
        self.standard_button.setAccessibleName("Afficher la version standard")
        self.falc_button = QPushButton("FALC – facile à lire")
        self.falc_button.setAccessibleName("Afficher la version FALC, facile à lire et à comprendre")
        for version_button, version in (
            (self.standard_button, TextVersion.STANDARD),
            (self.falc_button, TextVersion.FALC),
        ):
            version_button.setCheckable(True)
            version_button.setObjectName("versionButton")
            version_button.setToolTip("Basculer la version du texte (Ctrl+T)")
            version_button.clicked.connect(lambda _=False, v=version: self.set_version(v))
            self.version_group.addButton(version_button)
            pair.addWidget(version_button)
        self.standard_button.setObjectName("versionLeft")
        self.falc_button.setObjectName("versionRight")
        bar.add(toggle, place=False)
        bar.relayout()
        # Full labels, and the short ones the bar takes when the full ones would need a third row.
        self._bar_labels = [
            (self.back_action, "Précédent", "←"),
            (self.forward_action, "Suivant", "→"),
            (self.home_action, "Accueil", "⌂"),
            (self.glossary_action, "Glossaire", "Glossaire"),
        ]
        self._toggle_labels = [(self.falc_button, "FALC – facile à lire", "FALC")]

    def fit_top_bar(self, width: int | None = None) -> None:
        """Full labels when the bar holds on two rows, short ones (with their full accessible
        names) when it would need more: the bar wraps rather than hide a control."""
        width = width or self.width()
        for compact in (False, True):
            for action, full, short in self._bar_labels:
                action.setIconText(short if compact else full)
            for button, full, short in self._toggle_labels:
                button.setText(short if compact else full)
            if len(self.top_bar.rows(width)) <= 2:
                break
        self.top_bar.relayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_top_bar(event.size().width())

    def _make_room_for_message(self, message: str) -> None:
        self.content_label.setVisible(not message)

    def _announce_status(self, message: str) -> None:
        """Status-bar messages appear without the focus: a screen reader hears them."""
        if message:
            from fiche_desktop.views import accessibility

            accessibility.announce(self.statusBar(), message)

    def _build_menus(self) -> None:
        file_menu, edit_menu, view_menu, go_menu, _favourites, _recent, help_menu = self.menus
        for action in (self.print_action, self.contact_action, None, self.quit_action):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        for action in (
            self.copy_source_action,
            None,
            self.find_action,
            self.find_in_page_action,
            self.find_next_action,
            self.find_previous_action,
        ):
            edit_menu.addSeparator() if action is None else edit_menu.addAction(action)
        for action in (
            self.falc_action,
            None,
            self.zoom_in_action,
            self.zoom_out_action,
            self.zoom_reset_action,
            None,
            self.contrast_action,
            None,
            self.read_aloud_action,
            self.stop_reading_action,
            None,
            self.restore_action,
        ):
            view_menu.addSeparator() if action is None else view_menu.addAction(action)
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
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)

    def _fill_dynamic_menus(self) -> None:
        """The Favoris and Récents menus, from the settings."""
        if not self._started:
            return
        labels = {f.slug: f.label for f in self.db.fiche_headers()}
        self.favourites_menu.clear()
        self.favourites_menu.addAction(self.favourite_action)
        self.favourites_menu.addSeparator()
        favourites = [s for s in self.settings.favourites if s in labels]
        if not favourites:
            empty = self.favourites_menu.addAction("Aucun favori : ★ sur une fiche, ou Ctrl+D")
            empty.setEnabled(False)
        for slug in favourites:
            action = self.favourites_menu.addAction(labels[slug])
            action.triggered.connect(lambda _=False, x=slug: self.open_fiche(x))
        self.recent_menu.clear()
        recent = [s for s in self.settings.recent if s in labels]
        if not recent:
            self.recent_menu.addAction("Aucune fiche ouverte récemment").setEnabled(False)
        for slug in recent:
            action = self.recent_menu.addAction(labels[slug])
            action.triggered.connect(lambda _=False, x=slug: self.open_fiche(x))

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
        elif page == "glossary" and self._glossary_view is not None:
            self._glossary_view.show_terms(self.db.terms(), self.version, self.render_context())
        elif page in ("sources", "help", "about"):
            self._show_document(page)
        if page == "fiche" and self._fiche_view is not None and self._fiche_view.fiche is not None:
            self.setWindowTitle(self._fiche_view.fiche.display_label(self.version) + TITLE_SUFFIX)
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
        self.setStyleSheet(style_sheet(self.base_pt, palette=self.theme_palette))
        if hasattr(self, "top_bar"):
            self.fit_top_bar()
        if rerender_home:
            self.home.render_when_shown()

    # --- navigation

    def render_context(self) -> RenderContext:
        from fiche_desktop.render import make_context

        return make_context(self.db, base_pt=self.base_pt, palette=self.theme_palette)

    # --- theme

    @property
    def theme_palette(self) -> Palette:
        """The colours in use: the chosen theme, or the system's contrast preference (auto).

        The system's preference is read once the first frame has painted (reading it loads
        PySide6's Qt namespace, see views/home.py): until then « auto » is the standard theme."""
        theme = self.settings.theme
        if theme == "contrast" or (theme == "auto" and self._started and system_wants_contrast()):
            return CONTRAST
        return STANDARD

    def apply_theme(self) -> None:
        """Restyles the window and every view in the theme's colours (the style sheet, and Qt's
        palette for what it does not reach: placeholders, selections, scroll bars)."""
        from PySide6.QtGui import QColor, QPalette

        p = self.theme_palette
        self.contrast_action.setChecked(p is CONTRAST)
        if p is getattr(self, "_applied_palette", STANDARD) and getattr(self, "_palette_set", False):
            return  # nothing changed (the first frame was drawn in it): no needless re-render
        self._applied_palette, self._palette_set = p, True
        app = QApplication.instance()
        if isinstance(app, QApplication):
            palette = QPalette()
            role = QPalette.ColorRole
            for r, colour in (
                (role.Window, p.background),
                (role.WindowText, p.ink),
                (role.Base, p.background),
                (role.AlternateBase, p.bar),
                (role.Text, p.ink),
                (role.Button, p.bar),
                (role.ButtonText, p.ink),
                (role.Highlight, p.accent),
                (role.HighlightedText, p.on_accent),
                (role.PlaceholderText, p.muted),
                (role.ToolTipBase, p.background),
                (role.ToolTipText, p.ink),
                (role.Link, p.accent),
            ):
                palette.setColor(r, QColor(colour))
            app.setPalette(palette)
        if p is self._drawn_palette:
            return  # the views are already in these colours (the first frame's case): no re-render
        self._drawn_palette = p
        self._apply_zoom(rerender_home=False)
        self.home.render_when_shown()
        self._rerender()

    def toggle_contrast(self) -> None:
        self.settings.theme = "standard" if self.theme_palette is CONTRAST else "contrast"
        self._persist()
        self.apply_theme()

    def toggle_restore(self) -> None:
        self.settings.restore_session = self.restore_action.isChecked()
        self._persist()

    # --- favourites, recent fiches, the last fiche

    def toggle_favourite(self, slug: str = "", favourite: bool | None = None) -> None:
        """Adds the fiche shown (or slug) to the favourites, or removes it."""
        slug = slug or (self.location.slug if self.location.page == "fiche" else "")
        if not slug:
            self.statusBar().showMessage("Ouvrez une fiche pour l’ajouter aux favoris.", 8000)
            return
        favourites = [s for s in self.settings.favourites if s != slug]
        add = favourite if favourite is not None else slug not in self.settings.favourites
        if add:
            favourites.append(slug)
        self.settings.favourites = favourites[: config.MAX_FAVOURITES]
        self._persist()
        if self._fiche_view is not None and self.location.slug == slug:
            self._fiche_view.set_favourite(add)
        self.home.favourites = list(self.settings.favourites)
        self.home.render_when_shown()
        self._fill_dynamic_menus()
        label = next((f.label for f in self.db.fiche_headers() if f.slug == slug), slug)
        self.statusBar().showMessage(
            f"« {label} » ajoutée aux favoris." if add else f"« {label} » retirée des favoris.", 8000
        )

    def _remember(self, slug: str, section: str = "") -> None:
        self.settings.recent = [slug, *(s for s in self.settings.recent if s != slug)][: config.MAX_RECENT]
        self.settings.last_fiche = slug
        self.settings.last_section = section
        self._persist()
        self._fill_dynamic_menus()

    # --- find in page, copy with the source, read aloud

    def open_find_in_page(self) -> None:
        if self.location.page != "fiche":
            self.statusBar().showMessage("Ouvrez une fiche pour y rechercher un mot (Ctrl+F cherche partout).", 8000)
            return
        self.fiche_view.open_find()

    def _find_step(self, step: int) -> None:
        if self.location.page == "fiche" and self._fiche_view is not None:
            self._fiche_view.find_next(step)

    def copy_with_source(self) -> None:
        if self.location.page == "fiche" and self._fiche_view is not None:
            self._fiche_view.copy_with_source()
        else:
            self.statusBar().showMessage("Choisissez du texte dans une fiche pour le copier avec sa source.", 8000)

    def _start_speech(self) -> None:
        """Reading aloud at the desk: the kiosk's optional engine, built off the GUI thread; its
        controls appear only once an engine and an audio output answer."""
        from fiche_desktop.gui.speech import SpeechService, speech_module_present

        if not speech_module_present() or self.speech is not None:
            return
        self.speech = SpeechService(self._speech_engine, parent=self)
        self.speech.availability_changed.connect(self._on_speech_available)
        self.speech.speaking_changed.connect(lambda on: self.stop_reading_action.setEnabled(on))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.speech.shutdown)
        QTimer.singleShot(0, self.speech.start)

    def _on_speech_available(self, available: bool) -> None:
        self.read_aloud_action.setEnabled(available)
        if self._fiche_view is not None:
            self._fiche_view.set_speech_available(available)

    def read_aloud(self, text: str = "") -> None:
        if self.speech is None or not self.speech.available:
            return
        if not text and self.location.page == "fiche" and self._fiche_view is not None:
            text = self._fiche_view.read_aloud_text()
        if text.strip():
            self.speech.say(text)

    def stop_reading(self) -> None:
        if self.speech is not None:
            self.speech.stop()

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
                view = self.fiche_view
                view.show_fiche(fiche, self.version, self.render_context(), location.section or None)
                view.set_favourite(fiche.slug in self.settings.favourites)
                self.stack.setCurrentWidget(view)
                self.setWindowTitle(fiche.display_label(self.version) + TITLE_SUFFIX)
                self._remember(fiche.slug, location.section)
        elif location.page == "glossary":
            self.glossary_view.show_terms(
                self.db.terms(), self.version, self.render_context(), location.section or None
            )
            self.stack.setCurrentWidget(self.glossary_view)
            self.setWindowTitle("Glossaire" + TITLE_SUFFIX)
        elif location.page in ("sources", "help", "about"):
            self._show_document(location.page, location.section or None)
            self.stack.setCurrentWidget(self.document_view)
            titles = {"sources": "Sources et erratum", "help": "Aide", "about": "À propos"}
            self.setWindowTitle(titles[location.page] + TITLE_SUFFIX)
        elif location.page == "compare":
            if location.slug:
                self.compare_view.set_structures(location.slug.split(","))
            self.stack.setCurrentWidget(self.compare_view)
            self.setWindowTitle("Comparer les structures" + TITLE_SUFFIX)
        elif location.page == "guide":
            if location.section:
                self.guide_view.select_question(location.section)
            elif location.slug:
                self.guide_view.select_path(location.slug)
            self.stack.setCurrentWidget(self.guide_view)
            self.setWindowTitle("Quelle structure ?" + TITLE_SUFFIX)
        else:
            self.stack.setCurrentWidget(self.home)
            self.home.verticalScrollBar().setValue(0)  # home always opens at the top
            self.setWindowTitle(HOME_TITLE + TITLE_SUFFIX)
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
        return self.location._replace(query=query)

    def _showing_search(self) -> bool:
        return self._search_view is not None and self.stack.currentWidget() is self._search_view

    def _page_widget(self, page: str) -> QWidget:
        if page == "fiche":
            return self.fiche_view
        if page == "glossary":
            return self.glossary_view
        if page in ("sources", "help", "about"):
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
            view.favourite_toggled.connect(lambda slug, on: self.toggle_favourite(slug, on))
            view.read_aloud_requested.connect(self.read_aloud)
            view.status_message.connect(lambda m: self.statusBar().showMessage(m, 8000))
            view.set_speech_available(self.speech is not None and self.speech.available)
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
    def glossary_view(self) -> GlossaryView:
        if self._glossary_view is None:
            from fiche_desktop.views.glossary_view import GlossaryView

            view = GlossaryView()
            view.link_activated.connect(self.follow_link)
            self.stack.addWidget(view)
            self._glossary_view = view
        return self._glossary_view

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

        from fiche_desktop import printing

        suffix = "-falc" if version is TextVersion.FALC else ""
        path = self.ask_save_path("Enregistrer la comparaison en PDF", f"comparaison-{'-'.join(slugs)}{suffix}.pdf")
        if not path:
            return
        try:
            printing.export_comparison_pdf(self.db, slugs, version, Path(path))
        except printing.PrintError as e:
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
        from fiche_desktop.render import sources_html

        ctx = self.render_context()
        if page == "sources":
            errata = self.db.errata()
            fiches = {e.fiche: f for e in errata if (f := self.db.fiche(e.fiche)) is not None}
            html = sources_html(
                self.db.sources().values(),
                errata,
                ctx,
                self.db.meta.content_version,
                self.db.meta.content_date,
                fiches,
            )
        elif page == "about":
            html = self.about_html()
        else:
            html = self.help_html()
        self.document_view.show_page(page, html, anchor)

    def follow_link(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme in ("glossaire", "glossaire-page"):
            self.open_page("glossary", f"terme-{url.path()}")
        elif scheme == "fiche":
            self.open_fiche(url.path(), url.fragment())
        elif scheme in ("http", "https"):
            self.open_external(url)
        # Anything else (file:, javascript:, …) is never followed.

    def open_external(self, url: QUrl) -> None:
        """Opens an http(s) link in the system browser."""
        from PySide6.QtGui import QDesktopServices

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
        from fiche_desktop.views import accessibility

        # The focus stays in the search box: the count is announced, not shown only.
        accessibility.announce(self.search_field, self.search_view.status.text())
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
        origin = self._current_location()._replace(query=query)
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
        if self._last_answer is not None and self._last_answer.text == query:
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

    def _page_css(self) -> str:
        p = self.theme_palette
        return (
            f"<style>body {{ color: {p.ink}; font-size: {self.base_pt:.1f}pt; }} "
            f"h1, h2 {{ color: {p.accent}; }} a {{ color: {p.accent}; }} td {{ padding: 4px 10px 4px 0; }}</style>"
        )

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(keys in French, what they do) for every action with a shortcut, then the other keys."""
        from PySide6.QtGui import QKeySequence

        rows: list[tuple[str, str]] = []
        for action in self.actions():
            keys = action.shortcuts()
            if not keys:
                continue
            names = " ou ".join(dict.fromkeys(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys))
            rows.append((names, action.text().replace("&", "").rstrip("…")))
        return rows + OTHER_KEYS

    def help_html(self) -> str:
        from fiche_desktop.render import esc

        rows = "".join(f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>" for k, v in self.shortcut_rows())
        screens = [
            (
                "Accueil",
                "les structures et les outils en cartes, le médecin traitant pivot, vos favoris ; "
                "une carte ouvre sa fiche.",
            ),
            (
                "Fiche",
                "le sommaire à gauche suit la lecture ; chaque partie indique sa source et sa date. "
                "En FALC, le texte validé est la page ; les parties sans version FALC sont regroupées à la fin, "
                "repliées. Un mot souligné ouvre sa définition sans quitter la fiche (Échap la ferme). "
                "★ ajoute la fiche aux favoris ; « Imprimer / PDF » l’imprime, aussi pour le patient (FALC).",
            ),
            (
                "Recherche",
                "Ctrl+F cherche dans toutes les fiches, sans se soucier des accents ; "
                "Ctrl+Maj+F cherche un mot dans la fiche ouverte (F3 : suivant).",
            ),
            ("Comparer", "les structures côte à côte ; une case ouvre la partie de la fiche d’où elle vient."),
            ("Glossaire", "les sigles et les termes, dans l’ordre alphabétique, avec un filtre et les lettres A–Z."),
            ("Sources et erratum", "les cinq documents sources, leur date, et les corrections apportées."),
        ]
        screen_rows = "".join(f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>" for k, v in screens)
        return (
            f"<html><head>{self._page_css()}</head><body><h1>Aide</h1>"
            "<p>Fiche Desktop présente les dispositifs de soins primaires et de coordination, "
            "mot pour mot d’après leurs sources, en version standard et en version FALC "
            "(facile à lire et à comprendre).</p>"
            f"<h2>Les écrans</h2><table>{screen_rows}</table>"
            f"<h2>Raccourcis clavier</h2><table>{rows}</table>"
            "<h2>Confort de lecture</h2><p>Affichage › Contraste élevé (Ctrl+Maj+H) ; Ctrl++ et Ctrl+- "
            "pour la taille ; Affichage › Écouter lit la partie affichée ou le texte choisi, quand une voix "
            "est installée ; Édition › Copier avec la source copie le texte choisi avec sa source et sa date.</p>"
            "<h2>Sources</h2><p>Chaque partie de fiche indique sa source et sa date. "
            "La page « Sources et erratum » liste les documents et les corrections.</p>"
            "</body></html>"
        )

    def about_html(self) -> str:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        from fiche_desktop import __version__
        from fiche_desktop.render import esc

        meta = self.db.meta
        sources = "".join(
            f"<li>{esc(s.title)} – {esc(s.publisher)}, {esc(s.date_text or 'non daté')}</li>"
            for s in self.db.sources().values()
        )
        libraries = [
            ("Police Andika", "SIL International", "SIL Open Font License 1.1 (resources/fonts/OFL.txt)"),
            (f"Qt {qVersion()} et PySide6 {pyside_version}", "The Qt Company", "LGPL 3"),
            ("SQLite", "D. Richard Hipp et contributeurs", "domaine public"),
            ("segno (codes QR)", "Lars Heuer", "BSD 3-Clause"),
            ("Python", "Python Software Foundation", "licence PSF"),
        ]
        rows = "".join(f"<tr><td><b>{esc(a)}</b></td><td>{esc(b)}</td><td>{esc(c)}</td></tr>" for a, b, c in libraries)
        return (
            f"<html><head>{self._page_css()}</head><body><h1>À propos de Fiche Desktop</h1>"
            f"<p><b>Application :</b> version {esc(__version__)} (licence MIT).</p>"
            f"<p><b>Contenu :</b> version {esc(meta.content_version)} – {esc(date_span(self.db.sources().values()))}"
            f" ; base : {esc(str(self.db.path))}</p>"
            f"<h2>Sources du contenu</h2><ul>{sources}</ul>"
            "<p>Chaque phrase est reprise mot pour mot de ces sources ; le texte FALC est celui validé par le "
            "bureau FALC de l’Esat de Castelnau-le-Lez (Unapei 34), reproduit ligne pour ligne.</p>"
            f"<h2>Polices et bibliothèques</h2><table>{rows}</table>"
            "</body></html>"
        )

    def _persist(self) -> None:
        try:
            self._save_settings(self.settings)
        except OSError as e:
            self.statusBar().showMessage(f"Réglages non enregistrés : {files.french_reason(e)}.", 10000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._searcher is not None:
            self._searcher.shutdown()
        if self.speech is not None:
            self.speech.shutdown()
        super().closeEvent(event)
