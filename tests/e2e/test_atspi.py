"""The real application as a screen reader meets it on Linux: over AT-SPI, under Xvfb, in a
private D-Bus session with the accessibility bus, walked by Debian's python3-pyatspi (run by
tests/e2e/atspi_probe.py with /usr/bin/python3: pyatspi is not installable in a venv)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fiche_desktop.content import TextVersion
from fiche_desktop.render import fiche_html, make_context
from tests.e2e.xserver import require_tools, xvfb
from tests.gui.a11y import expected_headings

pytestmark = pytest.mark.xvfb

PROBE = Path(__file__).with_name("atspi_probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
# What a user acts on; a scroll bar is left out (no keyboard reaches it, no screen reader offers it).
CONTROLS = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "entry",
    "password text",
    "link",
    "menu item",
    "check menu item",
    "radio menu item",
    "list item",
    "table cell",
    "page tab",
    "spin button",
    "slider",
    "list",
    "table",
    "document frame",
}
SEARCH = {"role": "text", "name": "Rechercher dans les fiches"}
FALC_BUTTON = "Afficher la version FALC, facile à lire et à comprendre"
STANDARD_BUTTON = "Afficher la version standard"


@pytest.fixture
def display() -> Iterator[dict[str, str]]:
    """An Xvfb display, after checking every tool of the AT-SPI stack is there."""
    missing = [path for path in (LAUNCHER, SYSTEM_PYTHON) if not Path(path).exists()]
    if not missing:
        check = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, text=True)
        if check.returncode != 0:
            missing.append("python3-pyatspi")
    require_tools(["Xvfb", "dbus-run-session", "dbus-send"], "AT-SPI test tools", missing)
    with xvfb(1600, 1000) as env:
        yield env


def probe(env: dict[str, str], tmp_path: Path, steps: list[dict[str, Any]], *args: str) -> dict[str, Any]:
    """Runs the application with args under the probe; its findings."""
    steps_file, out_file = tmp_path / "steps.json", tmp_path / "atspi.json"
    steps_file.write_text(json.dumps(steps), encoding="utf-8")
    command = ["dbus-run-session", "--", SYSTEM_PYTHON, str(PROBE), str(steps_file), str(out_file), "--"]
    done = subprocess.run(
        [*command, sys.executable, "-m", "fiche_desktop", *args], env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0 and out_file.exists(), done.stderr[-3000:]
    # What the screen reader's side (libatspi) got from Qt was well formed.
    assert "dbind-WARNING" not in done.stderr, done.stderr[-3000:]
    result = json.loads(out_file.read_text(encoding="utf-8"))
    if os.environ.get("ATSPI_KEEP"):  # ATSPI_KEEP=file.json keeps the findings, to look at them
        shutil.copy(out_file, os.environ["ATSPI_KEEP"])
    log = Path(str(out_file) + ".log")
    assert not result["errors"], (result["errors"], log.read_text(encoding="utf-8", errors="replace")[-3000:])
    return result


def nodes(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield tree
    for child in tree["children"]:
        yield from nodes(child)


def unnamed(tree: dict[str, Any]) -> list[str]:
    return [
        n["path"]
        for n in nodes(tree)
        if (n["role"] in CONTROLS or "focusable" in n["states"]) and not n["name"].strip()
    ]


def the_document(tree: dict[str, Any], name: str) -> dict[str, Any]:
    documents = [n for n in nodes(tree) if n["role"] == "document frame" and n["name"] == name]
    assert len(documents) == 1, [n["path"] for n in nodes(tree) if n["role"] == "document frame"]
    return documents[0]


def headings(document: dict[str, Any]) -> list[tuple[int, str]]:
    return [(int(n["attributes"].get("level", 0)), n["name"]) for n in nodes(document) if n["role"] == "heading"]


def test_the_msp_fiche_over_atspi(display: dict[str, str], tmp_path: Path, real_db) -> None:
    steps = [
        {"do": "snapshot", "name": "standard", "document": True, "settle": 1},
        {"do": "set_text", **SEARCH, "value": "msp"},
        {"do": "wait_for_announcement", "contains": "pour « msp »", "timeout": 20},
        {"do": "snapshot", "name": "search"},
        {"do": "set_text", **SEARCH, "value": ""},
        {"do": "press", "role": "radio button", "name": FALC_BUTTON},
        {"do": "wait_for_heading", "name": real_db.fiche("msp").display_label(TextVersion.FALC), "timeout": 20},
        {"do": "snapshot", "name": "falc", "settle": 1},
        {"do": "press", "role": "menu item", "name": "Quitter"},
    ]
    result = probe(display, tmp_path, steps, "--fiche", "msp")
    assert result["exit_status"] == 0  # quitting with a screen reader attached ends cleanly
    fiche = real_db.fiche("msp")
    ctx = make_context(real_db, base_pt=11)

    standard = result["snapshots"]["standard"]
    assert unnamed(standard) == []
    doc = the_document(standard, "Texte de la fiche")
    # Read-only: no editable text anywhere in the page; the text is in its nodes.
    assert "editable" not in doc["interfaces"] and "editable" not in doc["states"]
    assert not [n["path"] for n in nodes(doc) if "editable" in n["interfaces"]]
    assert headings(doc) == expected_headings(fiche, TextVersion.STANDARD, ctx)
    page = fiche_html(fiche, TextVersion.STANDARD, ctx)
    urls = {html.unescape(u) for u in re.findall(r'href="(https?://[^"]+)"', page)}
    links = {n["name"] for n in nodes(doc) if n["role"] == "link"}
    assert urls and urls <= links, urls - links
    web = [n for n in nodes(doc) if n["role"] == "link" and n["name"] in urls]
    assert all("focusable" in n["states"] and n["actions"] for n in web)
    assert any(n["role"] == "list" and n["children"] for n in nodes(doc))
    # The Standard / FALC pair: named, reachable, the version shown checked.
    pair = {n["name"]: n for n in nodes(standard) if n["role"] == "radio button"}
    assert {STANDARD_BUTTON, FALC_BUTTON} <= set(pair)
    for name in (STANDARD_BUTTON, FALC_BUTTON):
        assert {"focusable", "showing", "enabled"} <= set(pair[name]["states"]), pair[name]["states"]
    assert "checked" in pair[STANDARD_BUTTON]["states"] and "checked" not in pair[FALC_BUTTON]["states"]

    # The search result count is heard while the focus stays in the search box.
    assert any(re.fullmatch(r"\d+ résultats? pour « msp »", a["message"]) for a in result["announcements"])
    assert unnamed(result["snapshots"]["search"]) == []

    # The new text's blocks were announced to the screen reader's cache (children-changed).
    assert result["children_changed"].get("object:children-changed:add document frame", 0) > 10
    assert result["children_changed"].get("object:children-changed:remove document frame", 0) > 10
    falc = result["snapshots"]["falc"]
    assert unnamed(falc) == []
    assert headings(the_document(falc, "Texte de la fiche")) == expected_headings(fiche, TextVersion.FALC, ctx)
    pair = {n["name"]: n for n in nodes(falc) if n["role"] == "radio button"}
    assert "checked" in pair[FALC_BUTTON]["states"]


@pytest.mark.parametrize("page", ["glossary", "sources"])
def test_the_glossary_and_the_sources_over_atspi(display: dict[str, str], tmp_path: Path, page: str) -> None:
    button = {"glossary": "Glossaire", "sources": "Sources et erratum"}[page]
    steps = [
        {"do": "snapshot", "name": "home", "settle": 1},
        {"do": "press", "role": "push button", "name": button},
        {"do": "wait_for_heading", "name": {"glossary": "Glossaire", "sources": "Erratum"}[page], "timeout": 20},
        {"do": "snapshot", "name": page, "settle": 1},
    ]
    result = probe(display, tmp_path, steps)
    home = result["snapshots"]["home"]
    assert unnamed(home) == []
    cards = [n for n in nodes(home) if n["role"] == "push button" and n["name"].endswith(": ouvrir la fiche")]
    assert len(cards) >= 6 and all("focusable" in n["states"] for n in cards)
    assert (1, "Dispositifs de soins primaires et de coordination") in headings(home)
    shown = result["snapshots"][page]
    assert unnamed(shown) == []
    doc = the_document(shown, button)
    levels = {level for level, _ in headings(doc)}
    assert {1, 2} <= levels


def test_the_kiosk_over_atspi(display: dict[str, str], tmp_path: Path) -> None:
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text("idle_timeout_seconds = 5\nwarning_seconds = 10\n", encoding="utf-8")
    steps = [
        {"do": "snapshot", "name": "fiche", "document": True, "settle": 1},
        {"do": "wait_for_announcement", "contains": "Êtes-vous encore là", "timeout": 30},
        {"do": "snapshot", "name": "countdown"},
    ]
    result = probe(display, tmp_path, steps, "--kiosk", "--config", str(config_file), "--fiche", "msp")
    fiche = result["snapshots"]["fiche"]
    assert unnamed(fiche) == []
    doc = the_document(fiche, "Texte de la fiche")
    assert any(n["role"] == "heading" and n["attributes"].get("level") == "1" for n in nodes(doc))
    said = [a["message"] for a in result["announcements"]]
    assert any("Êtes-vous encore là" in m and "10 secondes" in m for m in said), said
    countdown = result["snapshots"]["countdown"]
    assert unnamed(countdown) == []
    dialogs = [n for n in nodes(countdown) if n["role"] == "dialog" and n["name"] == "Êtes-vous encore là ?"]
    assert dialogs and "showing" in dialogs[0]["states"]
    assert any(n["role"] == "push button" and n["name"] == "Je suis là" for n in nodes(dialogs[0]))
