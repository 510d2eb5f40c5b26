"""The kiosk's print allowance (kiosk.prints): the day's count across resets, restarts and days; the limits."""

from __future__ import annotations

import datetime
import json
import logging
import os
from pathlib import Path

import pytest

from fiche_desktop import config, paths
from fiche_desktop.kiosk.prints import PRINTS_FILE, Allowance, PrintLedger, PrintQuota
from fiche_desktop.kiosk.session import new_session


class Clock:
    def __init__(self) -> None:
        self.day = datetime.date(2026, 12, 1)

    def __call__(self) -> datetime.date:
        return self.day


def test_the_day_count_survives_a_restart_and_starts_again_the_next_day(tmp_path: Path) -> None:
    clock = Clock()
    ledger = PrintLedger(tmp_path / PRINTS_FILE, today=clock)
    assert ledger.printed_today() == 0
    assert ledger.add(3) == 3 and ledger.add(2) == 5
    restarted = PrintLedger(tmp_path / PRINTS_FILE, today=clock)  # a new process, the same file
    assert restarted.printed_today() == 5
    assert json.loads((tmp_path / PRINTS_FILE).read_text(encoding="utf-8")) == {"day": "2026-12-01", "pages": 5}
    clock.day = datetime.date(2026, 12, 2)
    assert restarted.printed_today() == 0 and ledger.printed_today() == 0
    assert restarted.add(1) == 1
    assert not [p for p in tmp_path.iterdir() if p.name != PRINTS_FILE]  # no temporary file left


@pytest.mark.parametrize("content", [b"{", b'{"day": "2026-12-01", "pages": -4}', b"[1]", b"\xff\xfe", b"9" * 5000])
def test_a_broken_count_file_counts_as_nothing_with_a_warning(tmp_path: Path, content: bytes, caplog) -> None:
    (tmp_path / PRINTS_FILE).write_bytes(content)
    ledger = PrintLedger(tmp_path / PRINTS_FILE, today=Clock())
    with caplog.at_level(logging.WARNING, logger="fiche_desktop.kiosk"):
        assert ledger.printed_today() == 0
    assert "Compteur d’impressions illisible" in caplog.text
    assert ledger.add(2) == 2  # and the next print writes a good one
    assert PrintLedger(tmp_path / PRINTS_FILE, today=Clock()).printed_today() == 2


def test_an_unwritable_folder_still_counts_until_the_restart(tmp_path: Path, caplog) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    ledger = PrintLedger(blocked / PRINTS_FILE, today=Clock())
    with caplog.at_level(logging.WARNING, logger="fiche_desktop.kiosk"):
        assert ledger.add(4) == 4
        assert ledger.add(1) == 5
    assert ledger.printed_today() == 5
    assert "non enregistré" in caplog.text


def test_the_state_folder_is_systemds_then_the_accounts(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FICHE_DESKTOP_KIOSK_STATE_DIR")
    # systemd's list of folders: ":"-separated; on Windows ";" (tmp_path is "C:\\…" there).
    monkeypatch.setenv("STATE_DIRECTORY", f"{tmp_path / 'state'}{os.pathsep}{tmp_path / 'other'}")
    assert paths.kiosk_state_dir() == tmp_path / "state"
    assert PrintLedger().path == tmp_path / "state" / PRINTS_FILE
    monkeypatch.delenv("STATE_DIRECTORY")
    assert paths.kiosk_state_dir() == paths.data_dir()
    monkeypatch.setenv("FICHE_DESKTOP_KIOSK_STATE_DIR", os.fspath(tmp_path / "x"))
    assert paths.kiosk_state_dir() == tmp_path / "x"


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (250, 250), (100_000, 100_000), (-1, 100), (100_001, 100)])
def test_max_pages_per_day_is_bounded(value: int, expected: int) -> None:
    cfg, warnings = config.parse_kiosk_config(f"max_pages_per_day = {value}\n")
    assert cfg.max_pages_per_day == expected
    assert bool(warnings) == (value != expected)


def test_a_visit_prints_up_to_its_limit_and_the_day_up_to_its_own(tmp_path: Path, caplog) -> None:
    cfg = config.KioskConfig(max_pages_per_session=3, max_pages_per_day=5)
    quota = PrintQuota(cfg, PrintLedger(tmp_path / PRINTS_FILE, today=Clock()))
    visit = new_session(cfg)
    assert quota.allowance(visit) == Allowance(3, by_day=False)
    assert quota.allowance(visit).allows(3) and not quota.allowance(visit).allows(4)
    with caplog.at_level(logging.INFO, logger="fiche_desktop.kiosk"):
        quota.record(visit, 2)
    assert "Impression : 2 page(s) (2 sur 3 pour cette visite, 2 sur 5 aujourd’hui)" in caplog.text
    assert visit.pages_printed == 2 and quota.allowance(visit) == Allowance(1, by_day=False)
    visit = new_session(cfg)  # the idle reset: a new visit, the same day
    assert quota.allowance(visit) == Allowance(3, by_day=False)
    quota.record(visit, 2)
    visit = new_session(cfg)
    assert quota.allowance(visit) == Allowance(1, by_day=True)  # the day's allowance is the smaller now
    quota.record(visit, 1)
    assert quota.allowance(new_session(cfg)) == Allowance(0, by_day=True)
    assert not quota.allowance(new_session(cfg)).allows(0)  # nothing left: not even a count of 0 pages
    restarted = PrintQuota(cfg, PrintLedger(tmp_path / PRINTS_FILE, today=Clock()))
    assert restarted.allowance(new_session(cfg)) == Allowance(0, by_day=True)


def test_the_visit_limit_alone_refuses_within_the_day(tmp_path: Path) -> None:
    cfg = config.KioskConfig(max_pages_per_session=2, max_pages_per_day=100)
    quota = PrintQuota(cfg, PrintLedger(tmp_path / PRINTS_FILE, today=Clock()))
    visit = new_session(cfg)
    quota.record(visit, 2)
    assert quota.allowance(visit) == Allowance(0, by_day=False)


@pytest.mark.parametrize(
    ("allowance", "pages", "lines"),
    [
        (Allowance(1, by_day=False), 2, ["Cette fiche a 2 pages.", "Vous pouvez encore imprimer 1 page."]),
        (Allowance(3, by_day=True), 4, ["Cette fiche a 4 pages.", "Aujourd’hui, on peut encore imprimer 3 pages."]),
        (Allowance(0, by_day=False), 0, ["Vous avez déjà imprimé toutes les pages permises."]),
        (Allowance(0, by_day=True), 0, ["Toutes les pages permises aujourd’hui sont imprimées."]),
        (Allowance(0, by_day=False), 1, ["Cette fiche a 1 page.", "Vous avez déjà imprimé toutes les pages permises."]),
    ],
)
def test_a_refusal_says_how_many_pages_are_left(allowance: Allowance, pages: int, lines: list[str], caplog) -> None:
    quota = PrintQuota(config.KioskConfig())
    with caplog.at_level(logging.INFO, logger="fiche_desktop.kiosk"):
        said = quota.refuse(allowance, pages)
    assert said == [*lines, "Demandez à l’accueil si vous avez besoin de cette fiche."]
    assert "Impression refusée" in caplog.text
    assert ("aujourd’hui" if allowance.by_day else "pour cette visite") in caplog.text
