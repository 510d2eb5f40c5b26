"""The desk window's search: the box, the search thread, the results (a page of their own), a hit opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from fiche_desktop.content import TextVersion
from fiche_desktop.navigation import Location, Page

if TYPE_CHECKING:
    from fiche_desktop.gui.searcher import SearchService
    from fiche_desktop.search import Answer, Result, Suggestion
    from fiche_desktop.views.main_window import MainWindow
    from fiche_desktop.views.search_view import SearchView
    from fiche_desktop.views.top_bar import SearchField


ANSWERS_KEPT = 32  # the answers kept for Back (a search's results come back as they were)


class DeskSearch:
    """Typing searches (after delay_ms) on the search thread; the first answer opens the results
    page (an entry of the history, the page typed on before it); typing on updates that entry.
    Emptying the box goes back. The box shows the query on the results page, nothing elsewhere."""

    def __init__(self, window: MainWindow, field: SearchField, delay_ms: int) -> None:
        self.window = window
        self.field = field
        self._searcher: SearchService | None = None  # started on first search
        self._view: SearchView | None = None  # built on first search
        self._open_best_when_ready = False
        self._last_results: tuple[str, list[Result]] = ("", [])
        self._answers: dict[tuple[str, TextVersion], Answer] = {}  # (query, version) -> answer, for Back
        self._version = TextVersion.STANDARD  # the version of the latest request
        self._typing = False  # the results page opens as the reader types: the keyboard stays in the box
        self._quiet = False  # the box's text is set by a move, not typed
        self.timer = QTimer(window)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.run)
        field.textChanged.connect(self._on_text)
        field.returnPressed.connect(self._on_enter)
        field.down_pressed.connect(lambda: self.view.focus_results())
        field.escape_pressed.connect(self.clear)

    @property
    def searcher(self) -> SearchService:
        """The search thread, started on first use."""
        if self._searcher is None:
            from fiche_desktop.gui import searcher

            db = self.window.db
            self._searcher = searcher.SearchService(db.path, db.meta, self.window)
            self._searcher.answer_ready.connect(self._on_answer)
            self._searcher.failed.connect(self._on_failed)
            app = QApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(self._searcher.shutdown)
        return self._searcher

    @property
    def view(self) -> SearchView:
        """The results, built on first use."""
        if self._view is None:
            from fiche_desktop.views.search_view import SearchView

            view = SearchView(theme=self.window.theme_palette)
            view.open_result.connect(self.open_result)
            view.suggestion_chosen.connect(self._on_suggestion)
            self.window.stack.addWidget(view)
            self._view = view
        return self._view

    def showing(self) -> bool:
        """True when the results page is shown."""
        return self._view is not None and self.window.stack.currentWidget() is self._view

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def run(self) -> None:
        """Searches the box's text now (typing waits for a pause)."""
        self.timer.stop()
        text = self.field.text()
        if text.strip():
            # The results page shows the reader's version (a visit's own version stays with its fiche).
            self._version = TextVersion(self.window.settings.text_version)
            self.searcher.submit(text, self._version)

    def rerun(self) -> None:
        """Searches again when results are shown (another text version); the results take the
        window's theme."""
        if self._view is not None:
            self._view.set_theme(self.window.theme_palette)
        if self.showing() and self.field.text().strip():
            self.run()

    def _on_text(self, text: str) -> None:
        if self._quiet:
            return
        if not text.strip():
            self.timer.stop()
            self.cancel()
            return
        self.timer.start()

    def _on_failed(self, error: Exception) -> None:
        """A search that failed on its thread, raised here on the GUI thread: the application's
        handler (app.CrashGuard) names it, and replaces a damaged base with the next content."""
        raise error

    def _on_answer(self, answer: Answer) -> None:
        text, results = answer.text, answer.results
        if text != self.field.text():
            return
        self._last_results = (text, results)
        self._answers.pop((text, self._version), None)
        self._answers[(text, self._version)] = answer
        while len(self._answers) > ANSWERS_KEPT:
            del self._answers[next(iter(self._answers))]
        w = self.window
        open_best, self._open_best_when_ready = self._open_best_when_ready, False
        here = Location(Page.SEARCH, query=text)
        if w.location.page is Page.SEARCH:
            self.view.show_answer(answer)
            w.navigation.stay(here)  # typing on: the same entry of the history
        else:
            self._typing = True
            try:
                w.go(here)  # the results page, showing this answer (show_query)
            finally:
                self._typing = False
        from fiche_desktop.views import accessibility

        # The focus stays in the search box: the count is announced, not shown only.
        accessibility.announce(self.field, self.view.status.text())
        if open_best and results:
            self.open_result(results[0])

    def show_query(self, query: str) -> bool:
        """The results page of query (Back to a search): its answer as it was, or searched again."""
        self._set_text(query)
        answer = self._answers.get((query, TextVersion(self.window.settings.text_version)))
        if answer is not None:
            self._last_results = (query, answer.results)
            self.view.show_answer(answer)
        else:
            self.run()
        return True

    def read(self) -> None:
        """Back on results: the keyboard in the list (a screen reader says it and its count); while
        typing it stays in the box."""
        if not self._typing:
            self.view.focus_results()

    def follow(self, location: Location) -> None:
        """A place is shown: the box shows its query on the results page and nothing elsewhere."""
        self.leave()
        if location.page is not Page.SEARCH:
            self._set_text("")

    def _set_text(self, text: str) -> None:
        """The box shows text without searching it. (Not blockSignals: the box's own clear button
        follows its textChanged signal and would stay shown on an empty box.)"""
        if self.field.text() != text:
            self._quiet = True
            try:
                self.field.setText(text)
            finally:
                self._quiet = False

    def leave(self) -> None:
        """A page is being opened: a search waiting (typed, not yet answered) is dropped."""
        self.timer.stop()
        self._open_best_when_ready = False

    def cancel(self) -> None:
        """The box emptied (Échap, the clear button): back from the results to the page before."""
        self.leave()
        if self.window.location.page is Page.SEARCH:
            self.window.back()

    def _on_enter(self) -> None:
        text = self.field.text()
        if not text.strip():
            return
        if self._last_results[0] == text and not self.timer.isActive():
            best = self.view.best()
            if best is not None:
                self.open_result(best)
            return
        self._open_best_when_ready = True
        self.run()

    def open_result(self, result: Result | None) -> None:
        """Opens a hit where it is shown and highlights it; the box empties, Back returns to these
        results. A hit found only in the other version's text opens in that version for this visit
        (said in the status bar); the reader's choice stays for every other page."""
        if result is None:
            return
        w = self.window
        self.leave()
        if result.kind == "term":
            target = Location(Page.GLOSSARY, "", f"terme-{result.section}")
        elif w.db.fiche(result.slug) is None:
            w.statusBar().show_error(f"Fiche introuvable : {result.slug}")
            return
        else:
            version = result.open_version(w.version)
            visit = version.value if version is not w.version else ""
            target = Location(Page.FICHE, result.slug, result.section, version=visit)
        w.go(target)
        if target.version:
            w.statusBar().showMessage(
                "Fiche affichée en version FALC : le mot cherché n’est que dans le texte FALC. "
                "Les autres pages restent en version standard."
                if target.version == TextVersion.FALC.value
                else "Fiche affichée en version standard : le mot cherché n’est que dans le texte standard. "
                "Les autres pages restent en version FALC.",
                10000,
            )
        if target.page == Page.FICHE:
            w.fiche_view.highlight_hit(result.section, result.terms, result.prefix)

    def _on_suggestion(self, suggestion: Suggestion) -> None:
        if suggestion.kind == "word":
            self.field.setText(suggestion.query)
            self.field.setFocus()
        elif suggestion.kind == "glossary":
            self.window.open_page(Page.GLOSSARY)
        else:
            self.window.go_home()

    def clear(self) -> None:
        self.field.clear()
        self.cancel()

    def shutdown(self) -> None:
        if self._searcher is not None:
            self._searcher.shutdown()
