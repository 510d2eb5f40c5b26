"""The desk window: a shell that owns the text version, the zoom, the theme and where the reader is.

Its parts live beside it: the actions and menus (main_actions), the top bar (top_bar), the pages in
one table (desk_pages), going there and Back / Forward (desk_navigation), the search (desk_search),
the tools for the fiche read (fiche_tools), the printing dialogs (print_dialogs); the pages' names
and Back / Forward are Qt-free (navigation).
The parts hold the window and call it back; the window's public names (fiche_view, open_fiche,
search_field…) stay what tests, app.py and the benchmarks use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from fiche_desktop import config, files, window_fit
from fiche_desktop.content import TextVersion, date_span
from fiche_desktop.db import ContentDB
from fiche_desktop.gui.fonts import app_font
from fiche_desktop.navigation import History, Location, Page
from fiche_desktop.theme import CONTRAST, STANDARD, Palette
from fiche_desktop.views.desk_navigation import DeskNavigation
from fiche_desktop.views.desk_pages import HOME_TITLE, TITLE_SUFFIX, DeskPages
from fiche_desktop.views.desk_search import DeskSearch
from fiche_desktop.views.fiche_tools import FicheTools
from fiche_desktop.views.home import HomeView
from fiche_desktop.views.main_actions import DeskActions
from fiche_desktop.views.message_bar import MessageBar
from fiche_desktop.views.print_dialogs import PrintDialogs
from fiche_desktop.views.style import BASE_PT, qt_palette, style_sheet, system_wants_contrast
from fiche_desktop.views.top_bar import TopBar

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QCloseEvent, QResizeEvent
    from PySide6.QtWidgets import QMenu

    from fiche_desktop.gui.speech import SpeechService
    from fiche_desktop.render import RenderContext
    from fiche_desktop.views.compare_view import CompareView
    from fiche_desktop.views.document_view import DocumentView
    from fiche_desktop.views.export_dialog import ExportDialog
    from fiche_desktop.views.fiche_view import FicheView
    from fiche_desktop.views.glossary_view import GlossaryView
    from fiche_desktop.views.guide_view import GuideView
    from fiche_desktop.views.search_view import SearchView
    from fiche_desktop.views.settings_dialog import SettingsDialog


class MainWindow(QMainWindow):
    """The desk window. When the text version, the theme or the zoom changes, _rerender() redraws
    the page shown and hands the version to the screens already built that keep a state of their
    own (home, comparison, guide); the other screens take it when next shown. version_changed is
    emitted on a change of version for whoever needs it: today the window is its only listener."""

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
        self._settings_failed = False  # a failed save took the focus once; later ones are only shown
        self.save_settings = save_settings
        self.version = TextVersion(self.settings.text_version)
        self.zoom = self.settings.zoom
        self.history = History()
        self.location = Location(Page.HOME)
        from fiche_desktop.views import screen_fit

        screen_fit.place_main_window(self, self.settings.window_geometry)  # the screen's area at a first start
        # An explicit minimum: the window never grows past the screen at a large zoom (its
        # bars wrap instead); without it Qt would enlarge it to its contents' minimum size.
        self.setMinimumSize(QSize(640, 480))
        # Font and style sheet first: the widgets built below are then polished once, when shown.
        self._apply_zoom(rerender_home=False)
        self._drawn_palette = self.theme_palette

        # The page's frame goes into the window before anything is built in it: a widget made
        # outside the styled window would be polished once without the style sheet, then
        # restyled when it joins the window (about 10 ms of the first frame).
        central = QWidget()
        central.setObjectName("page")
        self.setCentralWidget(central)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.top_bar = TopBar(central)
        column.addWidget(self.top_bar)
        self.stack = QStackedWidget(central)
        column.addWidget(self.stack, 1)
        self._show_title(HOME_TITLE)
        self.home = HomeView(
            db, self.stack, version=self.version, defer=defer_start, favourites=self.settings.favourites
        )
        self.stack.addWidget(self.home)
        self.pages = DeskPages(self)  # the other screens are built on first use: the window shows sooner
        self.navigation = DeskNavigation(self)
        self.fiche_tools = FicheTools(self, speech_engine)
        self.print_dialogs = PrintDialogs(self)

        self.home.open_fiche.connect(lambda slug: self.open_fiche(slug))
        self.home.open_page.connect(self.open_page)

        self.desk_actions = DeskActions(self)  # the menu bar's titles too: they are in the first frame
        self.top_bar.fill(self.desk_actions, self.set_version)
        self.search_field = self.top_bar.search_field
        self.standard_button, self.falc_button = self.top_bar.standard_button, self.top_bar.falc_button
        self.version_toggle = self.top_bar.version_toggle
        self.search = DeskSearch(self, self.search_field, search_delay_ms)
        self.version_changed.connect(self._rerender)

        meta = db.meta
        # Cut with « … », never widening the window, at a large zoom (the whole in its tooltip).
        self.content_label = screen_fit.ElidedLabel(
            f"Contenu {meta.content_version} – {date_span(db.sources().values())}"
        )
        self.setStatusBar(MessageBar(self))
        self.statusBar().addPermanentWidget(self.content_label)
        self.zoom_label = QLabel(window_fit.zoom_label(self.zoom))
        self.zoom_label.setAccessibleName("Niveau de zoom")
        self.statusBar().addPermanentWidget(self.zoom_label)
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
        self.desk_actions.bind_keys()
        self.desk_actions.fill_menus()
        # The clear button (about 6 ms: its icon) shows only once something is typed; it is
        # named for screen readers below.
        self.search_field.setClearButtonEnabled(True)
        self.home.finish()
        self.fiche_tools.start_menus()
        self.apply_theme()
        self.fiche_tools.start_speech()
        # What a screen reader needs beyond Qt's defaults, for the widgets of the first frame.
        self.top_bar.finish_accessibility()
        if self.location.page == Page.HOME:
            self.search_field.setFocus()  # typing at launch searches
        from fiche_desktop.views import screen_fit

        screen_fit.finish_placement(self)

    # --- the parts' screens, as the window's callers know them

    @property
    def menus(self) -> list[QMenu]:
        return self.desk_actions.menus

    @property
    def search_view(self) -> SearchView:
        return self.search.view

    @property
    def fiche_view(self) -> FicheView:
        return self.pages.fiche_view

    @property
    def glossary_view(self) -> GlossaryView:
        return self.pages.glossary_view

    @property
    def document_view(self) -> DocumentView:
        return self.pages.document_view

    @property
    def compare_view(self) -> CompareView:
        return self.pages.compare_view

    @property
    def guide_view(self) -> GuideView:
        return self.pages.guide_view

    # --- navigation

    def go(self, location: Location, record: bool = True) -> None:
        """Shows location, from the page table; record: the place left goes into the history."""
        self.navigation.go(location, record)

    def current_location(self) -> Location:
        """Where the reader is now (the fiche's section read, the search shown): Back's entry."""
        return self.navigation.current_location()

    def open_fiche(self, slug: str, section: str = "") -> bool:
        """Opens a fiche (and section); False when the slug is unknown."""
        if self.db.fiche(slug) is None:
            self.statusBar().show_error(f"Fiche introuvable : {slug}")
            return False
        self.search.leave()
        self.go(Location(Page.FICHE, slug, section))
        return True

    def open_page(self, page: Page | str, anchor: str = "") -> None:
        """Opens a page by its name ("glossary", Page.GLOSSARY), at an anchor when given."""
        self.search.leave()
        self.go(Location(Page(page), "", anchor))

    def go_home(self) -> None:
        self.search.leave()
        self.go(Location(Page.HOME))

    def open_compare(self, slug: str = "") -> None:
        """Opens the comparison; from a fiche, with that structure first."""
        from fiche_desktop.compare import DEFAULT_SLUGS

        slugs = [slug] + [s for s in DEFAULT_SLUGS if s != slug] if slug else list(DEFAULT_SLUGS)
        self.search.leave()
        self.go(Location(Page.COMPARE, ",".join(slugs[:7])))

    def back(self) -> None:
        self.navigation.back()

    def forward(self) -> None:
        self.navigation.forward()

    def _show_title(self, title: str) -> None:
        """The window's title, spoken by a screen reader when it changes; the page's container its name."""
        title += " (version FALC)" if self.version is TextVersion.FALC else ""  # no presentation import at start
        self.setWindowTitle(title + TITLE_SUFFIX)
        self.stack.setAccessibleName(title)

    def _update_nav_actions(self) -> None:
        self.desk_actions.back.setEnabled(self.history.can_go_back)
        self.desk_actions.forward.setEnabled(self.history.can_go_forward)

    def follow_link(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme in ("glossaire", "glossaire-page"):
            self.open_page(Page.GLOSSARY, f"terme-{url.path()}")
        elif scheme == "fiche":
            self.open_fiche(url.path(), url.fragment())
        elif scheme in ("http", "https"):
            self.open_external(url)
        # Anything else (file:, javascript:, …) is never followed.

    def open_external(self, url: QUrl) -> None:
        """Opens an http(s) link in the system browser."""
        from PySide6.QtGui import QDesktopServices

        if not QDesktopServices.openUrl(url):
            self.statusBar().show_error(f"Impossible d’ouvrir le navigateur pour {url.toString()}")

    # --- search (views/desk_search.py)

    def focus_search(self) -> None:
        self.search.focus()

    def clear_search(self) -> None:
        self.search.clear()

    # --- text version

    def set_version(self, version: TextVersion) -> None:
        """The reader's choice of version (a visit's own version, a FALC-only hit's, ends here)."""
        if version is self.version and version.value == self.settings.text_version:
            self._sync_version_controls()
            return
        self.navigation.choose_version()
        self.settings.text_version = version.value
        self.persist()
        if version is self.version:
            self._sync_version_controls()
            return
        self.version = version
        self._sync_version_controls()
        self.version_changed.emit(version)

    def toggle_version(self) -> None:
        self.set_version(TextVersion.STANDARD if self.version is TextVersion.FALC else TextVersion.FALC)

    def _sync_version_controls(self) -> None:
        self.top_bar.show_version(self.version)
        self.desk_actions.falc.setChecked(self.version is TextVersion.FALC)

    def _rerender(self, _version: object = None) -> None:
        """After a change of text version, theme or zoom: the home, the page shown (and the
        window's title: a fiche's is in its version), the comparison and the guide, the search."""
        self.home.set_version(self.version)
        page = self.pages[self.location.page]
        page.rerender()
        self._show_title(page.window_title())
        self.pages.follow_version()
        self.search.rerun()

    # --- zoom

    def set_zoom(self, zoom: int) -> None:
        zoom = max(config.ZOOM_MIN, min(config.ZOOM_MAX, zoom))
        if zoom == self.zoom:
            return
        self.zoom = zoom
        self.settings.zoom = zoom
        self.persist()
        self.zoom_label.setText(window_fit.zoom_label(zoom))
        if self._started:  # said without moving the focus (the label shows it)
            from fiche_desktop.views import accessibility

            accessibility.announce(self.zoom_label, window_fit.zoom_label(zoom))
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
            self.top_bar.fit(self.width())
        if rerender_home:
            self.home.render_when_shown()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.top_bar.fit(event.size().width())

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
        p = self.theme_palette
        self.desk_actions.contrast.setChecked(p is CONTRAST)
        if p is getattr(self, "_applied_palette", STANDARD) and getattr(self, "_palette_set", False):
            return  # nothing changed (the first frame was drawn in it): no needless re-render
        self._applied_palette, self._palette_set = p, True
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(qt_palette(p))
        if p is self._drawn_palette:
            return  # the views are already in these colours (the first frame's case): no re-render
        self._drawn_palette = p
        self._apply_zoom(rerender_home=False)
        self.home.render_when_shown()
        self._rerender()

    def toggle_contrast(self) -> None:
        self.settings.theme = "standard" if self.theme_palette is CONTRAST else "contrast"
        self.persist()
        self.apply_theme()

    # --- the fiche's tools (views/fiche_tools.py), as the window's callers know them

    @property
    def speech(self) -> SpeechService | None:
        return self.fiche_tools.speech

    def toggle_favourite(self, slug: str = "", favourite: bool | None = None) -> None:
        self.fiche_tools.toggle_favourite(slug, favourite)

    def open_find_in_page(self) -> None:
        self.fiche_tools.open_find_in_page()

    def copy_with_source(self) -> None:
        self.fiche_tools.copy_with_source()

    def stop_reading(self) -> None:
        self.fiche_tools.stop_reading()

    # --- printing (views/print_dialogs.py)

    @property
    def export_dialog(self) -> ExportDialog | None:
        return self.print_dialogs.export_dialog

    def open_print_dialog(self) -> ExportDialog:
        return self.print_dialogs.open_print_dialog()

    def open_contact_settings(self) -> SettingsDialog:
        return self.print_dialogs.open_contact_settings()

    def export_comparison(self, slugs: list[str], version: TextVersion) -> None:
        self.print_dialogs.export_comparison(slugs, version)

    def ask_save_path(self, title: str, default_name: str) -> str:
        """Asks where to save a PDF; '' when cancelled. Tests replace this method."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, title, default_name, "Documents PDF (*.pdf)")
        return path

    # --- status bar, settings, closing

    def statusBar(self) -> MessageBar:  # noqa: N802 (Qt's name)
        return cast(MessageBar, super().statusBar())

    def _make_room_for_message(self, message: str) -> None:
        self.content_label.setVisible(not message)

    def persist(self) -> None:
        """Saves the settings; a failure is said in the status bar."""
        try:
            self.save_settings(self.settings)
        except OSError as e:
            message = f"Réglages non enregistrés : {files.french_reason(e)}."
            if self._settings_failed or not self._started:  # the first failure after start takes the focus
                self.statusBar().showMessage(message, 10000)
            else:
                self.statusBar().show_error(message)
                self._settings_failed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        from fiche_desktop.views import screen_fit

        place = screen_fit.saved_geometry(self)
        if place != self.settings.window_geometry:  # the next start opens here (on the screen then)
            self.settings.window_geometry = place
            self.persist()
        self.search.shutdown()
        self.fiche_tools.shutdown()
        super().closeEvent(event)
