"""The real application as a screen reader meets it on Linux: over AT-SPI, under Xvfb, in a
private D-Bus session with the accessibility bus, walked by Debian's python3-pyatspi (run by
tests/e2e/atspi_probe.py with /usr/bin/python3: pyatspi is not installable in a venv)."""

from __future__ import annotations

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
from tests.e2e.xserver import require_tools, xvfb

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


def the_text(tree: dict[str, Any], name: str) -> dict[str, Any]:
    """The read-only text view named name: Qt's own text interface, which Orca reads."""
    texts = [n for n in nodes(tree) if n["name"] == name and "text" in n["interfaces"]]
    assert len(texts) == 1, [(n["role"], n["name"]) for n in nodes(tree) if "text" in n["interfaces"]]
    assert "read only" in texts[0]["states"] and "focusable" in texts[0]["states"], texts[0]["states"]
    return texts[0]


def headings(document: dict[str, Any]) -> list[tuple[int, str]]:
    return [(int(n["attributes"].get("level", 0)), n["name"]) for n in nodes(document) if n["role"] == "heading"]


def test_the_msp_fiche_over_atspi(display: dict[str, str], tmp_path: Path, real_db) -> None:
    steps = [
        {"do": "snapshot", "name": "standard", "text": "MSP – ", "settle": 1},
        {"do": "set_text", **SEARCH, "value": "msp"},
        {"do": "wait_for_announcement", "contains": "pour « msp »", "timeout": 20},
        {"do": "snapshot", "name": "search"},
        {"do": "set_text", **SEARCH, "value": ""},
        {"do": "press", "role": "radio button", "name": FALC_BUTTON},
        {
            "do": "wait_for_name",
            "name": f"{real_db.fiche('msp').display_label(TextVersion.FALC)}, version FALC",
            "timeout": 20,
        },
        {"do": "snapshot", "name": "falc", "settle": 1},
        {"do": "press", "role": "menu item", "name": "Quitter"},
    ]
    result = probe(display, tmp_path, steps, "--fiche", "msp")
    assert result["exit_status"] == 0  # quitting with a screen reader attached ends cleanly
    fiche = real_db.fiche("msp")

    standard = result["snapshots"]["standard"]
    assert unnamed(standard) == []
    # The text keeps Qt's text interface, named after the fiche and its version.
    the_text(standard, f"{fiche.display_label(TextVersion.STANDARD)}, version standard")
    # The Standard / FALC pair: named, reachable, the version shown checked.
    pair = {n["name"]: n for n in nodes(standard) if n["role"] == "radio button"}
    assert {STANDARD_BUTTON, FALC_BUTTON} <= set(pair)
    for name in (STANDARD_BUTTON, FALC_BUTTON):
        assert {"focusable", "showing", "enabled"} <= set(pair[name]["states"]), pair[name]["states"]
    assert "checked" in pair[STANDARD_BUTTON]["states"] and "checked" not in pair[FALC_BUTTON]["states"]

    # The search result count is heard while the focus stays in the search box.
    assert any(re.fullmatch(r"\d+ résultats? pour « msp »", a["message"]) for a in result["announcements"])
    assert unnamed(result["snapshots"]["search"]) == []

    falc = result["snapshots"]["falc"]
    assert unnamed(falc) == []
    the_text(falc, f"{fiche.display_label(TextVersion.FALC)}, version FALC")
    pair = {n["name"]: n for n in nodes(falc) if n["role"] == "radio button"}
    assert "checked" in pair[FALC_BUTTON]["states"]


@pytest.mark.parametrize("page", ["glossary", "sources"])
def test_the_glossary_and_the_sources_over_atspi(display: dict[str, str], tmp_path: Path, page: str) -> None:
    button = {"glossary": "Glossaire", "sources": "Sources et erratum"}[page]
    steps = [
        {"do": "snapshot", "name": "home", "settle": 1},
        {"do": "press", "role": "push button", "name": button},
        {"do": "snapshot", "name": page, "settle": 3},
    ]
    result = probe(display, tmp_path, steps)
    home = result["snapshots"]["home"]
    assert unnamed(home) == []
    cards = [n for n in nodes(home) if n["role"] == "push button" and n["name"].endswith(": ouvrir la fiche")]
    assert len(cards) >= 6 and all("focusable" in n["states"] for n in cards)
    assert (1, "Dispositifs de soins primaires et de coordination") in headings(home)
    shown = result["snapshots"][page]
    assert unnamed(shown) == []
    the_text(shown, button)


def test_the_kiosk_over_atspi(display: dict[str, str], tmp_path: Path) -> None:
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text("idle_timeout_seconds = 5\nwarning_seconds = 10\n", encoding="utf-8")
    steps = [
        {"do": "snapshot", "name": "fiche", "text": "MSP – ", "settle": 1},
        {"do": "wait_for_announcement", "contains": "Êtes-vous encore là", "timeout": 30},
        {"do": "snapshot", "name": "countdown"},
    ]
    result = probe(display, tmp_path, steps, "--kiosk", "--config", str(config_file), "--fiche", "msp")
    fiche = result["snapshots"]["fiche"]
    assert unnamed(fiche) == []
    assert [n for n in nodes(fiche) if n["name"].startswith("MSP – ") and "text" in n["interfaces"]]
    said = [a["message"] for a in result["announcements"]]
    assert any("Êtes-vous encore là" in m and "10 secondes" in m for m in said), said
    countdown = result["snapshots"]["countdown"]
    assert unnamed(countdown) == []
    dialogs = [n for n in nodes(countdown) if n["role"] == "dialog" and n["name"] == "Êtes-vous encore là ?"]
    assert dialogs and "showing" in dialogs[0]["states"]
    assert any(n["role"] == "push button" and n["name"] == "Je suis là" for n in nodes(dialogs[0]))
