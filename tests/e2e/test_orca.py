"""A blind user with Orca, the screen reader itself: what Orca speaks while the application is used by
keyboard, read from Orca's debug log (tests/e2e/screen_reader.py). No model of the accessibility tree:
the words a user hears."""

from __future__ import annotations

import html
import os
import re
import sys
from collections.abc import Iterator

import pytest

from fiche_desktop.content import TextVersion
from fiche_desktop.presentation import french_sorted
from fiche_desktop.render import fiche_html, make_context
from tests.e2e.cups_server import printed_files, private_cups
from tests.e2e.screen_reader import Orca, missing_tools

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(sys.platform != "linux", reason="Orca and AT-SPI are the Linux screen-reader stack"),
]


@pytest.fixture(scope="module")
def orca(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Orca]:
    missing = missing_tools()
    assert not missing, f"screen-reader test tools missing: {', '.join(missing)} (scripts/install-system-deps.sh test)"
    session = Orca(tmp_path_factory.mktemp("orca"))
    try:
        session.start()
        yield session
    finally:
        session.stop()


@pytest.fixture
def app(orca: Orca, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Orca]:
    """The application on the Orca session, with settings of its own (a first start: what an
    earlier test saved, FALC say, is not read); stopped after the test."""
    started: list = []

    def start(*args: str, env: dict[str, str] | None = None) -> Orca:
        profile = {"FICHE_DESKTOP_CONFIG_DIR": str(tmp_path_factory.mktemp("settings"))}
        started.append(orca.app(*args, env={**profile, **(env or {})}))
        orca.quiet(1.0)
        return orca

    orca.start_app = start  # type: ignore[attr-defined]
    yield orca
    for process in started:
        process.terminate()
        process.wait(10)
    orca.quiet(0.5)


def words(text: str) -> str:
    """Text as speech compares: spaces folded, no typographic apostrophes."""
    return " ".join(text.replace("’", "'").split())


def sentences(lines: list[str], count: int) -> list[str]:
    """The first count sentences of lines (a line may hold several)."""
    found: list[str] = []
    for line in lines:
        for sentence in re.split(r"(?<=[.!?])\s+", line.lstrip("- ")):
            if sentence.strip():
                found.append(words(sentence))
            if len(found) == count:
                return found
    return found


def in_order(said: str, expected: list[str]) -> list[str]:
    """The expected sentences not found in said in that order (empty when all are)."""
    missing, at = [], 0
    text = words(said)
    for sentence in expected:
        where = text.find(sentence, at)
        if where < 0:
            missing.append(sentence)
        else:
            at = where + len(sentence)
    return missing


def first_sentences(real_db, slug: str, count: int = 5) -> list[str]:
    fiche = real_db.fiche(slug)
    return sentences([line for s in fiche.sections for line in s.paragraphs()], count)


def page_text(real_db, slug: str, version: TextVersion = TextVersion.STANDARD) -> str:
    """The fiche's text as the screen renders it, tags removed, spaces folded."""
    page = fiche_html(real_db.fiche(slug), version, make_context(real_db, base_pt=11))
    return words(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def tab_until(orca: Orca, heard: str, presses: int) -> None:
    """Presses Tab until Orca speaks heard; fails after presses."""
    for _ in range(presses):
        mark = orca.mark()
        orca.key("Tab", settle=0.6)
        if heard in " ".join(orca.spoken(mark)):
            return
    pytest.fail(f"Tab never reached « {heard} »")


def say_all(orca: Orca) -> str:
    mark = orca.mark()
    orca.key("KP_Add")
    orca.quiet(3.0, timeout=90)
    return " ".join(orca.spoken(mark))


def test_opening_msp_from_the_home_speaks_its_title(app: Orca, real_db) -> None:
    app.start_app()
    label = real_db.fiche("msp").label
    tab_until(app, "MSP", 40)
    mark = app.mark()
    app.key("Return")
    said = app.wait_for_speech(lambda s: words(label) in words(s), 15, f"« {label} »", since=mark)
    assert "favoris" not in said.split(words(label))[0]


@pytest.mark.parametrize("slug", ["msp", "cpts"])
def test_say_all_reads_the_fiche_in_order(app: Orca, real_db, slug: str) -> None:
    app.start_app("--fiche", slug)
    said = say_all(app)
    assert words(real_db.fiche(slug).label) in words(said)
    assert in_order(said, first_sentences(real_db, slug)) == []


def test_say_all_reads_the_glossary(app: Orca, real_db) -> None:
    app.start_app()
    mark = app.mark()
    app.key("ctrl+g")
    app.wait_for_speech(lambda s: "Glossaire" in s, 15, "the glossary", since=mark)
    app.quiet(1.0)
    said = say_all(app)
    first = french_sorted(real_db.terms(), key=lambda t: t.term)[:5]
    assert in_order(said, [words(t.term) for t in first]) == []


def test_down_reads_the_next_line(app: Orca, real_db) -> None:
    app.start_app("--fiche", "msp")
    first = app.mark()
    app.key("Down", settle=1.5)
    line1 = " ".join(app.spoken(first))
    second = app.mark()
    app.key("Down", settle=1.5)
    line2 = " ".join(app.spoken(second))
    text = page_text(real_db, "msp")
    assert line1.strip() and line2.strip()
    assert words(line1) in text and words(line2) in text
    assert text.index(words(line2)) > text.index(words(line1))


def test_tab_in_the_text_speaks_a_link(app: Orca, real_db) -> None:
    app.start_app("--fiche", "msp")
    page = fiche_html(real_db.fiche("msp"), TextVersion.STANDARD, make_context(real_db, base_pt=11))
    first_link = words(html.unescape(re.sub(r"<[^>]+>", "", re.findall(r"<a href=[^>]*>(.*?)</a>", page)[0])))
    mark = app.mark()
    app.key("Tab")
    said = app.wait_for_speech(lambda s: first_link in words(s), 10, f"the link « {first_link} »", since=mark)
    assert "selected" in said


def test_ctrl_t_says_falc(app: Orca) -> None:
    app.start_app("--fiche", "msp")
    mark = app.mark()
    app.key("ctrl+t")
    said = app.wait_for_speech(lambda s: "FALC" in s, 10, "FALC", since=mark)
    assert "FALC" in said


def test_the_result_count_is_spoken(app: Orca) -> None:
    app.start_app()
    app.key("ctrl+f")
    mark = app.mark()
    app.type("maison")
    app.key("Down")
    app.wait_for_speech(
        lambda s: re.search(r"\d+ résultats? pour « maison »", s) is not None, 15, "the count", since=mark
    )


def test_the_falc_version_is_named_in_the_title(app: Orca, real_db) -> None:
    app.start_app("--fiche", "msp", "--falc")
    mark = app.mark()
    app.key("KP_Insert+KP_Enter")
    said = app.wait_for_speech(lambda s: "version FALC" in s, 10, "the window title", since=mark)
    assert words(real_db.fiche("msp").display_label(TextVersion.FALC)) in words(said) or "MSP" in said


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0,
    reason="cups-pdf, CUPS's PDF printer, runs its backend as root only (make test and CI run as root)",
)
def test_imprimer_is_reached_and_activated_by_keyboard(app: Orca) -> None:
    """Ctrl+P, Tab to « Imprimer… », Entrée, Entrée in the system dialog: the printer gets the fiche and
    Orca says so."""
    with private_cups() as cups:
        app.start_app("--fiche", "msp", "--falc", env={"CUPS_SERVER": cups.env["CUPS_SERVER"]})
        mark = app.mark()
        app.key("ctrl+p")
        app.wait_for_speech(lambda s: "Imprimer / exporter en PDF" in s, 15, "the print dialog", since=mark)
        app.quiet(1.0)
        tab_until(app, "Imprimer : choisir l’imprimante", 15)
        mark = app.mark()
        app.key("Return")
        app.wait_for_speech(lambda s: "pdf" in s, 20, "the system print dialog", since=mark)
        app.quiet(1.0)
        mark = app.mark()
        app.key("Return")
        app.wait_for_speech(lambda s: "Impression envoyée à « pdf » (2 pages)" in s, 60, "the print result", since=mark)
        (printed,) = printed_files(cups, 1)
        assert printed.stat().st_size > 10_000


def test_enter_on_a_comparison_cell_reads_the_cell_in_full(app: Orca) -> None:
    """Ctrl+K, an arrow onto a cell, Entrée: the full text takes the focus, named after the cell, and
    say-all reads it with its source."""
    app.start_app()
    mark = app.mark()
    app.key("ctrl+k")
    app.wait_for_speech(lambda s: "table with" in s, 15, "the comparison's table", since=mark)
    app.quiet(1.0)
    mark = app.mark()
    app.key("Down", "Right", settle=1.5)
    app.wait_for_speech(lambda s: " : " in s, 10, "a cell", since=mark)
    mark = app.mark()
    app.key("Return")
    said = app.wait_for_speech(lambda s: "texte entier et source" in s, 15, "the full cell", since=mark)
    assert " : texte entier et source" in said
    app.quiet(1.0)
    assert "Source" in say_all(app)


def test_a_merged_comparison_cell_is_read_once(app: Orca) -> None:
    """Down through the comparison reads each row; a value shared by MSP and CDS (one merged cell)
    is said once, named after both."""
    app.start_app()
    mark = app.mark()
    app.key("ctrl+k")
    app.wait_for_speech(lambda s: "table with" in s, 15, "the comparison's table", since=mark)
    app.quiet(1.0)
    for _ in range(12):
        mark = app.mark()
        app.key("Down", settle=1.5)
        row = app.spoken(mark)
        merged = [line for line in row if line.startswith("MSP et CDS, ")]
        if merged:
            assert len(merged) == 1, row
            assert not any(line.startswith(("MSP, ", "CDS, ")) for line in row), row
            return
    pytest.fail("no row with a merged MSP and CDS cell was read")


def test_an_error_takes_the_focus_and_is_spoken(app: Orca, tmp_path) -> None:
    """Settings that cannot be saved (their folder lies under a file): after Ctrl+T, Orca reads the
    error, which has the focus in the status bar (a status-bar message alone is never heard)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    app.start_app("--fiche", "msp", env={"FICHE_DESKTOP_CONFIG_DIR": str(blocker / "settings")})
    mark = app.mark()
    app.key("ctrl+t")
    said = app.wait_for_speech(lambda s: "Réglages non enregistrés" in s, 15, "the error", since=mark)
    assert "Message : Réglages non enregistrés" in said
