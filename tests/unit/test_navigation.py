"""Back and Forward walk the places the reader left, as a browser's buttons do; pages are strings."""

from __future__ import annotations

from fiche_desktop.navigation import History, Location, Page, search_title

HOME = Location(Page.HOME)
MSP = Location(Page.FICHE, "msp", "resume-definition")
GLOSSARY = Location(Page.GLOSSARY, "", "terme-sisa")
COMPARE = Location(Page.COMPARE, "msp,cpts")


def test_a_page_is_its_name() -> None:
    assert Page.FICHE == "fiche" and Page("guide") is Page.GUIDE
    assert [str(p) for p in Page] == [
        "home",
        "fiche",
        "glossary",
        "sources",
        "help",
        "about",
        "compare",
        "guide",
        "search",
    ]
    assert Location(Page.HELP) == (Page.HELP, "", "", "", "")


def test_back_then_forward_return_to_the_places_left() -> None:
    history = History()
    assert not history.can_go_back and not history.can_go_forward
    assert history.back(HOME) is None and history.forward(HOME) is None
    history.record(HOME)  # home -> msp
    history.record(MSP)  # msp -> glossary
    assert history.can_go_back and not history.can_go_forward
    assert history.back(GLOSSARY) == MSP
    assert history.back(MSP) == HOME
    assert not history.can_go_back and history.can_go_forward
    assert history.forward(HOME) == MSP
    assert history.forward(MSP) == GLOSSARY
    assert not history.can_go_forward and history.back(GLOSSARY) == MSP


def test_a_new_place_after_going_back_drops_what_was_ahead() -> None:
    history = History()
    history.record(HOME)
    history.record(MSP)
    assert history.back(GLOSSARY) == MSP
    history.record(MSP)  # msp -> compare: glossary is no longer ahead
    assert not history.can_go_forward
    assert history.back(COMPARE) == MSP and history.back(MSP) == HOME


def test_a_search_left_keeps_its_words_and_clear_forgets_everything() -> None:
    history = History()
    history.record(Location(Page.SEARCH, query="maison de santé"))
    assert history.back(HOME) == Location(Page.SEARCH, "", "", "maison de santé")
    history.clear()
    assert not history.can_go_back and not history.can_go_forward


def test_a_visit_keeps_its_own_version_and_a_search_is_a_page_with_its_words() -> None:
    """A fiche opened on a FALC-only hit shows FALC for that visit; elsewhere the reader's choice."""
    visit = Location(Page.FICHE, "msp", "resume-definition", version="falc")
    assert visit.shown_version("standard") == "falc" and MSP.shown_version("standard") == "standard"
    results = Location(Page.SEARCH, query="dac")
    history = History()
    history.record(Location(Page.GUIDE, "structures", "soins-48h"))  # guide -> results
    history.record(results)  # results -> the hit
    assert history.back(visit) == results and history.back(results).section == "soins-48h"
    assert search_title("  maison   de santé ") == "Recherche « maison de santé »"
