"""The window against damaged and swapped content: errors of the search thread reach the window on
the GUI thread, a base found damaged while read gives way to the next content."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from fiche_desktop import app
from fiche_desktop.exit_codes import ExitCode
from tests.gui.test_app import desk_loop, tiny_pack  # noqa: F401  (fixture)
from tests.unit.test_hostile_bases import randomise_index_blocks


def break_index(path: Path) -> None:
    randomise_index_blocks(path)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM search_docs_fts_data WHERE id > 10")
    conn.commit()
    conn.close()


def test_a_search_that_fails_on_its_thread_is_delivered_on_the_gui_thread(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QThread

    from fiche_desktop.content import TextVersion
    from fiche_desktop.db import DatabaseError, check_database
    from fiche_desktop.gui.searcher import SearchService
    from tests.helpers import tiny

    path = tiny(tmp_path)
    meta = check_database(path)
    break_index(path)
    service = SearchService(path, meta)
    seen: list[tuple[object, bool]] = []
    service.failed.connect(lambda e: seen.append((e, QThread.currentThread() is service.thread())))
    answers: list[object] = []
    service.answer_ready.connect(answers.append)
    with qtbot.waitSignal(service.failed, timeout=5000):
        service.submit("alpha", TextVersion.STANDARD)
    service.shutdown()
    assert answers == []  # never a silent « Aucun résultat »
    [(error, on_gui_thread)] = seen
    assert on_gui_thread
    assert isinstance(error, DatabaseError)
    assert str(error) == f"Base de contenu endommagée : recherche impossible : {path}"


def test_a_pack_whose_index_breaks_under_the_window_gives_way_on_the_next_search(
    qtbot,
    desk_loop,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checked in full after the first paint, then damaged: the search thread's error reaches the
    window, which is replaced by one on the next valid content, with one French line."""
    from PySide6.QtCore import QTimer

    from fiche_desktop import packs
    from fiche_desktop.views.main_window import MainWindow

    installed = packs.import_pack(tiny_pack(tmp_path), system=True)
    windows: list[MainWindow] = []
    show = MainWindow.show
    monkeypatch.setattr(MainWindow, "show", lambda self: (windows.append(self), show(self)))
    steps: list[str] = []

    def search_once_checked() -> None:
        if not windows or not windows[0]._started:  # the full check starts with the rest of the window
            QTimer.singleShot(20, search_once_checked)
            return
        for check in [t for t in threading.enumerate() if t.name == "integrity-check"]:
            check.join(10)
        steps.append("searched")
        break_index(installed.path)
        windows[0].search.field.setText("alpha")
        windows[0].search.run()
        close_the_second()

    def close_the_second() -> None:
        if len(windows) >= 2 and windows[1].isVisible():
            steps.append(windows[1].statusBar().currentMessage())
            windows[1].close()
        else:
            QTimer.singleShot(20, close_the_second)

    QTimer.singleShot(0, search_once_checked)
    assert app.main([]) == ExitCode.OK
    assert [w.db.meta.content_version for w in windows][0] == "2099.1.1"
    assert len(windows) == 2 and windows[1].db.meta.content_version != "2099.1.1"
    expected = (
        "Paquet de contenu installé pour tous inutilisable, contenu suivant utilisé : "
        f"Base de contenu endommagée : recherche impossible : {installed.path}"
    )
    assert steps == ["searched", expected]
    assert capsys.readouterr().err.strip().splitlines() == [expected]
