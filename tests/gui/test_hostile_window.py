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


def real_content_pack(tmp_path: Path, version: str) -> Path:
    """The real content as a newer version, signed by a publisher trusted for all users."""
    import shutil

    from fiche_desktop import packs
    from tests.conftest import REAL_DB
    from tests.helpers import make_keys

    db = tmp_path / f"real-{version}.db"
    shutil.copy(REAL_DB, db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'content_version'", (version,))
    conn.commit()
    conn.close()
    publisher = make_keys(tmp_path / "keys", "editeur")
    publisher.trust(system=True)
    pack = tmp_path / f"pack-{version}.zip"
    packs.make_pack(db, pack, publisher.secret)
    return pack


def test_content_installed_while_the_window_runs_is_shown_in_place(
    qtbot,
    desk_loop,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """import-pack while the window shows a fiche: the window notices, says so, and shows the new
    content on the same fiche and section, in the same text version."""
    import shiboken6
    from PySide6.QtCore import QTimer

    from fiche_desktop import packs
    from fiche_desktop.content import TextVersion
    from fiche_desktop.navigation import Page
    from fiche_desktop.views.main_window import MainWindow

    pack = real_content_pack(tmp_path, "2099.1.1")
    windows: list[MainWindow] = []
    show = MainWindow.show
    monkeypatch.setattr(MainWindow, "show", lambda self: (windows.append(self), show(self)))
    seen: dict[str, object] = {}

    def install_once_started() -> None:
        if not windows or not windows[0]._started:
            QTimer.singleShot(20, install_once_started)
            return
        windows[0].set_version(TextVersion.FALC)
        packs.import_pack(pack, system=True)  # as `fiche-desktop import-pack --system` would
        look_at_the_second()

    def look_at_the_second() -> None:
        if len(windows) < 2 or not windows[1].isVisible():
            QTimer.singleShot(20, look_at_the_second)
            return
        w = windows[1]
        seen.update(
            version=w.db.meta.content_version,
            page=(w.location.page, w.location.slug),
            text=w.version,
            message=w.statusBar().currentMessage(),
            old_visible=shiboken6.isValid(windows[0]) and windows[0].isVisible(),
        )
        w.close()

    QTimer.singleShot(0, install_once_started)
    assert app.main(["--fiche", "msp"]) == ExitCode.OK
    assert seen == {
        "version": "2099.1.1",
        "page": (Page.FICHE, "msp"),
        "text": TextVersion.FALC,
        "message": "Nouveau contenu installé (version 2099.1.1).",
        "old_visible": False,
    }


def test_an_unreadable_current_json_is_reported_to_the_window(qtbot, tmp_path: Path) -> None:
    import os

    from fiche_desktop.gui.content_watch import ContentWatch
    from fiche_desktop.packs import content_dir
    from tests.conftest import REAL_DB

    folder = content_dir()
    folder.mkdir(parents=True)
    watch = ContentWatch(lambda: REAL_DB, bundled=REAL_DB, delay_ms=10)
    with qtbot.waitSignal(watch.problem, timeout=5000) as said:
        (folder / "current.json").write_bytes(os.urandom(200))
    assert said.args == [
        f"Fichier {folder / 'current.json'} illisible (contenu invalide) : le contenu installé là est ignoré"
    ]
