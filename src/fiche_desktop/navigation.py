"""Where the desk window is: its pages, a place on a page, and the Back / Forward history. No Qt."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Page(StrEnum):
    """The desk window's pages (a string: `Page.FICHE == "fiche"`)."""

    HOME = "home"
    FICHE = "fiche"
    GLOSSARY = "glossary"
    SOURCES = "sources"
    HELP = "help"
    ABOUT = "about"
    COMPARE = "compare"
    GUIDE = "guide"
    SEARCH = "search"  # the results of a search, a page of its own (Back returns to them)


class Location(NamedTuple):
    """A place the reader can come back to, with what it showed.

    slug: the fiche (fiche), the structures compared, comma-separated (compare), the path (guide).
    section: the fiche's section, the glossary's or a document's anchor, the guide's question (its
    answer follows from it). query: the search's words (search).
    version: the text version shown for this visit when it is not the reader's choice ("falc" for a
    fiche opened on a hit found only in its FALC text); "" for the reader's choice."""

    page: Page
    slug: str = ""
    section: str = ""
    query: str = ""
    version: str = ""

    def shown_version(self, chosen: str) -> str:
        """The text version to show here, the reader having chosen `chosen`."""
        return self.version or chosen


def search_title(query: str) -> str:
    """The window's title on a search's results."""
    return f"Recherche « {' '.join(query.split())} »"


class History:
    """Back and Forward: the places left, most recent last, and the ones gone back from."""

    def __init__(self) -> None:
        self.behind: list[Location] = []
        self.ahead: list[Location] = []

    @property
    def can_go_back(self) -> bool:
        return bool(self.behind)

    @property
    def can_go_forward(self) -> bool:
        return bool(self.ahead)

    def record(self, left: Location) -> None:
        """The reader left `left` for a new place: Back returns there; Forward has nothing left."""
        self.behind.append(left)
        self.ahead.clear()

    def back(self, here: Location) -> Location | None:
        """The place to go back to (None when there is none); Forward will return to `here`."""
        if not self.behind:
            return None
        self.ahead.append(here)
        return self.behind.pop()

    def forward(self, here: Location) -> Location | None:
        """The place to go forward to (None when there is none); Back will return to `here`."""
        if not self.ahead:
            return None
        self.behind.append(here)
        return self.ahead.pop()

    def clear(self) -> None:
        self.behind.clear()
        self.ahead.clear()
