"""The desk window's moves: going to a place, Back and Forward, and the text version of a visit.

Every page the reader sees (a search's results included) is a Location in the history, with its
state; the window's title, the search box and the text version follow the place shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fiche_desktop.content import TextVersion
from fiche_desktop.navigation import Location, Page

if TYPE_CHECKING:
    from fiche_desktop.views.main_window import MainWindow


class DeskNavigation:
    """Shows places from the page table and keeps Back / Forward (the window's history)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def go(self, location: Location, record: bool = True) -> None:
        """Shows location; record: the place left goes into the history."""
        w = self.window
        if record and w.location != location:
            w.history.record(self.current_location())
        w.location = location
        self._follow_version(location)
        w.search.follow(location)
        page = w.pages[location.page]
        if not page.show(location):  # an unknown fiche (its message is in the status bar)
            w.location = location = Location(Page.HOME)
            self._follow_version(location)
            page = w.pages[Page.HOME]
            page.show(location)
        w.stack.setCurrentWidget(page.view())
        w._show_title(page.window_title())
        page.read()  # the keyboard where reading starts: a screen reader names the new page
        w._update_nav_actions()

    def stay(self, location: Location) -> None:
        """The place shown changes without a move (a search typed on): same entry, new title."""
        w = self.window
        w.location = location
        w._show_title(w.pages[location.page].window_title())

    def current_location(self) -> Location:
        """Where the reader is now (the fiche's section read, the guide's question): Back's entry."""
        w = self.window
        return w.pages[w.location.page].here(w.location)

    def back(self) -> None:
        w = self.window
        place = w.history.back(self.current_location()) if w.history.can_go_back else None
        if place is not None:
            w.search.leave()
            self.go(place, record=False)

    def forward(self) -> None:
        w = self.window
        place = w.history.forward(self.current_location()) if w.history.can_go_forward else None
        if place is not None:
            w.search.leave()
            self.go(place, record=False)

    def choose_version(self) -> None:
        """The reader chose the version shown: it is no longer this visit's alone."""
        w = self.window
        w.location = w.location._replace(version="")

    def _follow_version(self, location: Location) -> None:
        """The version shown: the visit's (a FALC-only hit) or else the reader's choice, which a
        visit never changes."""
        w = self.window
        shown = TextVersion(location.shown_version(w.settings.text_version))
        if shown is w.version:
            return
        w.version = shown
        w._sync_version_controls()
        w.home.set_version(shown)
        w.pages.follow_version()
