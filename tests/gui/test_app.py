"""app.main in-process: the desk and kiosk modes, their content, their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiche_desktop import app


def test_unknown_fiche_exits_1(qapp, capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["--fiche", "nimporte"]) == 1
    err = capsys.readouterr().err
    assert "Fiche inconnue" in err and "msp" in err


def test_window_with_broken_database_shows_dialog_and_exits_1(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(app, "show_fatal_error", shown.append)
    bad = tmp_path / "data.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)
    assert app.main(["--db", str(bad)]) == 1
    assert shown and "Base de données" in shown[0]
    assert "Base de données" in capsys.readouterr().err
