"""The desk window's pages in one table: each page's screen, title, history entry and re-render.

Adding a page is adding a Page (navigation.py) and its row in DeskPages.table; the window's
go(), current_location() and re-render read the row, never the page's name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fiche_desktop.navigation import Location, Page, search_title

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from fiche_desktop.views.compare_view import CompareView
    from fiche_desktop.views.document_view import DocumentView
    from fiche_desktop.views.fiche_view import FicheView
    from fiche_desktop.views.glossary_view import GlossaryView
    from fiche_desktop.views.guide_view import GuideView
    from fiche_desktop.views.main_window import MainWindow

TITLE_SUFFIX = " – Fiche Desktop"
HOME_TITLE = "Dispositifs de soins primaires et de coordination"


def _shown(_location: Location) -> bool:
    return True


def _as_left(location: Location) -> Location:
    return location


def _nothing() -> None:
    return None


class PageSpec:
    """A row of the table: how the window shows one page. (A plain class: a NamedTuple or a
    dataclass costs about a millisecond more of start-up to define.)"""

    __slots__ = ("here", "read", "rerender", "show", "title", "view")

    def __init__(
        self,
        view: Callable[[], QWidget],
        title: str | Callable[[], str],
        *,
        show: Callable[[Location], bool] = _shown,
        here: Callable[[Location], Location] = _as_left,
        rerender: Callable[[], None] = _nothing,
        read: Callable[[], None] = _nothing,
    ) -> None:
        self.view = view  # the page's screen (built on first use)
        self.title = title  # the window's title on the page (without TITLE_SUFFIX)
        self.show = show  # fills the screen for a location; False: it cannot
        self.here = here  # the location as the reader leaves it (for Back)
        self.rerender = rerender  # redraws the page shown in another version, theme or zoom
        self.read = read  # puts the keyboard where reading starts (a screen reader speaks it)

    def window_title(self) -> str:
        return self.title if isinstance(self.title, str) else self.title()


class DeskPages:
    """The table of the desk's pages, and their screens, each built the first time it is shown
    (faster start-up: the first frame builds only the home screen)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._fiche_view: FicheView | None = None
        self._glossary_view: GlossaryView | None = None
        self._document_view: DocumentView | None = None
        self._compare_view: CompareView | None = None
        self._guide_view: GuideView | None = None
        self.table: dict[Page, PageSpec] = {
            Page.HOME: PageSpec(lambda: window.home, HOME_TITLE, show=self._show_home),
            Page.FICHE: PageSpec(
                lambda: self.fiche_view,
                self._fiche_title,
                show=self._show_fiche,
                here=lambda at: at._replace(section=self.fiche_view.current_section() or ""),
                rerender=self._rerender_fiche,
                read=lambda: self.fiche_view.focus_text(),
            ),
            Page.GLOSSARY: PageSpec(
                lambda: self.glossary_view,
                "Glossaire",
                show=self._show_glossary,
                rerender=self._rerender_glossary,
                read=lambda: self.glossary_view.browser.setFocus(),
            ),
            Page.SOURCES: self._document(Page.SOURCES, "Sources et erratum", self.sources_html),
            Page.HELP: self._document(Page.HELP, "Aide", self.help_html),
            Page.ABOUT: self._document(Page.ABOUT, "À propos", self.about_html),
            Page.COMPARE: PageSpec(
                lambda: self.compare_view,
                "Comparer les structures",
                show=self._show_compare,
                here=lambda at: Location(Page.COMPARE, ",".join(self.compare_view.slugs)),
                read=lambda: self.compare_view.table.setFocus(),  # « Tableau de comparaison, … »
            ),
            Page.GUIDE: PageSpec(
                lambda: self.guide_view,
                "Quelle structure ?",
                show=self._show_guide,
                here=lambda at: Location(Page.GUIDE, self.guide_view.path, self.guide_view.current_question()),
                read=lambda: self.guide_view.list.setFocus(),  # the question's answers
            ),
            Page.SEARCH: PageSpec(
                lambda: window.search.view,
                lambda: search_title(window.location.query),
                show=lambda at: window.search.show_query(at.query),
                read=lambda: window.search.read(),
            ),
        }

    def __getitem__(self, page: Page) -> PageSpec:
        return self.table[page]

    def follow_version(self) -> None:
        """The screens that keep a state of their own (the comparison, the guide) take the
        window's text version and theme, shown or not, once built."""
        if self._compare_view is not None:
            self._compare_view.set_theme(self.window.theme_palette)
            self._compare_view.set_version(self.window.version)
        if self._guide_view is not None:
            self._guide_view.theme = self.window.theme_palette  # drawn in it by set_version
            self._guide_view.set_version(self.window.version)

    @property
    def fiche_view_if_built(self) -> FicheView | None:
        return self._fiche_view

    # --- each page's show and re-render

    def _show_home(self, _location: Location) -> bool:
        self.window.home.verticalScrollBar().setValue(0)  # home always opens at the top
        return True

    def _show_fiche(self, location: Location) -> bool:
        """The fiche at its section, remembered as the last one read; False when it is unknown."""
        w = self.window
        fiche = w.db.fiche(location.slug)
        if fiche is None:
            w.statusBar().show_error(f"Fiche introuvable : {location.slug}")
            return False
        view = self.fiche_view
        view.show_fiche(fiche, w.version, w.render_context(), location.section or None)
        view.set_favourite(fiche.slug in w.settings.favourites)
        w.fiche_tools.remember(fiche.slug, location.section)
        return True

    def _fiche_title(self) -> str:
        """The fiche's label in the text version (a fiche page always has its fiche)."""
        fiche = self.fiche_view.fiche
        return fiche.display_label(self.window.version) if fiche is not None else HOME_TITLE

    def _rerender_fiche(self) -> None:
        if self._fiche_view is not None:
            self._fiche_view.rerender(self.window.version, self.window.render_context())

    def _show_glossary(self, location: Location) -> bool:
        w = self.window
        self.glossary_view.show_terms(w.db.terms(), w.version, w.render_context(), location.section or None)
        return True

    def _rerender_glossary(self) -> None:
        if self._glossary_view is not None:
            w = self.window
            self._glossary_view.show_terms(w.db.terms(), w.version, w.render_context())

    def _document(self, page: Page, title: str, html: Callable[[], str]) -> PageSpec:
        """A page of the document screen (sources, help, about), at an anchor when given."""

        def show(location: Location) -> bool:
            self.document_view.show_page(page, html(), location.section or None)
            return True

        return PageSpec(
            lambda: self.document_view,
            title,
            show=show,
            rerender=lambda: self.document_view.show_page(page, html()),
            read=lambda: self.document_view.browser.setFocus(),
        )

    def _show_compare(self, location: Location) -> bool:
        if location.slug:
            self.compare_view.set_structures(location.slug.split(","))
        return True

    def _show_guide(self, location: Location) -> bool:
        if location.section:
            self.guide_view.select_question(location.section)
        elif location.slug:
            self.guide_view.select_path(location.slug)
        return True

    # --- the documents' HTML

    def sources_html(self) -> str:
        from fiche_desktop.render import sources_html

        db = self.window.db
        errata = db.errata()
        fiches = {e.fiche: f for e in errata if (f := db.fiche(e.fiche)) is not None}
        return sources_html(
            db.sources().values(),
            errata,
            self.window.render_context(),
            db.meta.content_version,
            db.meta.content_date,
            fiches,
        )

    def help_html(self) -> str:
        from fiche_desktop.render import help_html

        w = self.window
        return help_html(w.desk_actions.shortcut_rows(), w.theme_palette, w.base_pt, w.desk_actions.help_keys())

    def about_html(self) -> str:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        from fiche_desktop import __version__
        from fiche_desktop.render import about_html

        w = self.window
        return about_html(
            w.db.sources().values(),
            app_version=__version__,
            content_version=w.db.meta.content_version,
            db_path=str(w.db.path),
            qt_version=qVersion(),
            pyside_version=pyside_version,
            palette=w.theme_palette,
            base_pt=w.base_pt,
        )

    # --- the screens, built on first use

    @property
    def fiche_view(self) -> FicheView:
        if self._fiche_view is None:
            from fiche_desktop.views.fiche_view import FicheView

            w = self.window
            view = FicheView()
            view.link_activated.connect(w.follow_link)
            view.compare_requested.connect(w.open_compare)
            view.print_requested.connect(w.open_print_dialog)
            view.favourite_toggled.connect(lambda slug, on: w.toggle_favourite(slug, on))
            view.read_aloud_requested.connect(w.fiche_tools.read_aloud)
            view.status_message.connect(lambda m: w.statusBar().showMessage(m, 8000))
            view.set_speech_available(w.fiche_tools.speech_available())
            w.stack.addWidget(view)
            self._fiche_view = view
        return self._fiche_view

    @property
    def glossary_view(self) -> GlossaryView:
        if self._glossary_view is None:
            from fiche_desktop.views.glossary_view import GlossaryView

            view = GlossaryView()
            view.link_activated.connect(self.window.follow_link)
            self.window.stack.addWidget(view)
            self._glossary_view = view
        return self._glossary_view

    @property
    def document_view(self) -> DocumentView:
        if self._document_view is None:
            from fiche_desktop.views.document_view import DocumentView

            view = DocumentView()
            view.link_activated.connect(self.window.follow_link)
            self.window.stack.addWidget(view)
            self._document_view = view
        return self._document_view

    @property
    def compare_view(self) -> CompareView:
        if self._compare_view is None:
            from fiche_desktop.views.compare_view import CompareView

            w = self.window
            view = CompareView(w.db, theme=w.theme_palette)
            view.set_version(w.version)
            view.open_section.connect(lambda slug, section: w.open_fiche(slug, section))
            view.export_requested.connect(w.export_comparison)
            w.stack.addWidget(view)
            self._compare_view = view
        return self._compare_view

    @property
    def guide_view(self) -> GuideView:
        if self._guide_view is None:
            from fiche_desktop.views.guide_view import GuideView

            w = self.window
            view = GuideView(w.db, theme=w.theme_palette)
            view.set_version(w.version)
            view.open_fiche.connect(lambda slug, section: w.open_fiche(slug, section))
            view.compare_requested.connect(lambda slugs: w.go(Location(Page.COMPARE, ",".join(slugs))))
            w.stack.addWidget(view)
            self._guide_view = view
        return self._guide_view
