"""The desk window's search: the box, the search thread, the results shown over the page, a hit opened."""

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


class DeskSearch:
    """Typing searches (after delay_ms) on the search thread; the results cover the page until a
    hit is opened or the box is emptied. Back from a hit brings its results back."""

    def __init__(self, window: MainWindow, field: SearchField, delay_ms: int) -> None:
        self.window = window
        self.field = field
        self._searcher: SearchService | None = None  # started on first search
        self._view: SearchView | None = None  # built on first search
        self._open_best_when_ready = False
        self._last_results: tuple[str, list[Result]] = ("", [])
        self._last_answer: Answer | None = None
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

            view = SearchView()
            view.open_result.connect(self.open_result)
            view.suggestion_chosen.connect(self._on_suggestion)
            self.window.stack.addWidget(view)
            self._view = view
        return self._view

    def showing(self) -> bool:
        """True when the results cover the page."""
        return self._view is not None and self.window.stack.currentWidget() is self._view

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def run(self) -> None:
        """Searches the box's text now (typing waits for a pause)."""
        self.timer.stop()
        text = self.field.text()
        if text.strip():
            self.searcher.submit(text, self.window.version)

    def rerun(self) -> None:
        """Searches again when results are shown (another text version)."""
        if self.showing() and self.field.text().strip():
            self.run()

    def _on_text(self, text: str) -> None:
        if not text.strip():
            self.timer.stop()
            self.leave()
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
        self._last_answer = answer
        self.view.show_answer(answer)
        from fiche_desktop.views import accessibility

        # The focus stays in the search box: the count is announced, not shown only.
        accessibility.announce(self.field, self.view.status.text())
        if not self.showing():
            self.window.stack.setCurrentWidget(self.view)
        if self._open_best_when_ready:
            self._open_best_when_ready = False
            if results:
                self.open_result(results[0])

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
        """Opens a hit where it is shown (switching version when only the other one has it), highlights
        it, empties the search box; Back returns to these results."""
        if result is None:
            return
        w = self.window
        query = self.field.text().strip() if self.showing() else ""
        origin = w.current_location()._replace(query=query)
        self.timer.stop()
        self.field.blockSignals(True)
        self.field.clear()
        self.field.blockSignals(False)
        self.leave()
        if result.kind == "term":
            target = Location(Page.GLOSSARY, "", f"terme-{result.section}")
        elif w.db.fiche(result.slug) is None:
            w.statusBar().showMessage(f"Fiche introuvable : {result.slug}", 8000)
            return
        else:
            target = Location(Page.FICHE, result.slug, result.section)
        version = result.open_version(w.version)
        if version is not w.version:
            w.set_version(version)
            w.statusBar().showMessage(
                "Affiché en version FALC : le mot cherché n’est que dans le texte FALC."
                if version is TextVersion.FALC
                else "Affiché en version standard : le mot cherché n’est que dans le texte standard.",
                8000,
            )
        if origin != target:
            w.history.record(origin)
        w.go(target, record=False)
        if target.page == Page.FICHE:
            w.fiche_view.highlight_hit(result.section, result.terms, result.prefix)

    def restore(self, query: str) -> None:
        """Shows the results of query over the current page (going back to a search)."""
        self.field.blockSignals(True)
        self.field.setText(query)
        self.field.blockSignals(False)
        if self._last_answer is not None and self._last_answer.text == query:
            self.view.show_answer(self._last_answer)
            self.window.stack.setCurrentWidget(self.view)
        self.searcher.submit(query, self.window.version)

    def _on_suggestion(self, suggestion: Suggestion) -> None:
        if suggestion.kind == "word":
            self.field.setText(suggestion.query)
            self.field.setFocus()
        elif suggestion.kind == "glossary":
            self.clear()
            self.window.open_page(Page.GLOSSARY)
        else:
            self.clear()
            self.window.go_home()

    def clear(self) -> None:
        self.field.clear()
        self.leave()

    def leave(self) -> None:
        """The page comes back over the results (the box keeps its text)."""
        self._open_best_when_ready = False
        if self.showing():
            self.window.stack.setCurrentWidget(self.window.pages[self.window.location.page].view())

    def shutdown(self) -> None:
        if self._searcher is not None:
            self._searcher.shutdown()
