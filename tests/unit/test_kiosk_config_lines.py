"""kiosk.toml read line by line when it does not parse whole (issue 32): a broken line costs
itself alone, never a valid setting before or after it, and the warning names the broken line."""

from __future__ import annotations

from fiche_desktop import config


def test_a_broken_line_after_a_valid_one_costs_only_itself() -> None:
    text = "printing = true\nceci n'est pas du TOML\nidle_timeout_seconds = 30\n"
    cfg, warnings = config.parse_kiosk_config(text, "kiosk.toml")
    assert cfg.printing is True and cfg.idle_timeout_seconds == 30
    assert "kiosk.toml, ligne 2 : réglage illisible, valeur par défaut utilisée" in warnings
    assert not any("ligne 1 " in w or "ligne 3 " in w for w in warnings), warnings


def test_a_multi_line_array_then_a_broken_line() -> None:
    text = 'fiches = [\n  "msp",\n  "cds",\n]\n%%%\nwarning_seconds = 5\nmax_pages_per_session = \n'
    cfg, warnings = config.parse_kiosk_config(text, "kiosk.toml")
    assert cfg.fiches == ["msp", "cds"] and cfg.warning_seconds == 5
    assert cfg.max_pages_per_session == config.KioskConfig().max_pages_per_session
    lines = sorted(w for w in warnings if "réglage illisible" in w)
    assert lines == [
        "kiosk.toml, ligne 5 : réglage illisible, valeur par défaut utilisée",
        "kiosk.toml, ligne 7 : réglage illisible, valeur par défaut utilisée",
    ]


def test_comments_and_blank_lines_after_a_setting_are_not_blamed() -> None:
    cfg, warnings = config.parse_kiosk_config("printing = true\n\n# note\nbroken =\n", "kiosk.toml")
    assert cfg.printing is True
    assert [w for w in warnings if "réglage illisible" in w] == [
        "kiosk.toml, ligne 4 : réglage illisible, valeur par défaut utilisée"
    ]
