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


# --- every mode opens its content through the same function, packs included


def tiny_pack(tmp_path: Path, version: str = "2099.1.1", trusted: str = "system") -> Path:
    """A content pack whose only structure is « ALP – Équipe alpha », signed by a publisher whose
    key is trusted for all users (system) or by the user only (user)."""
    from fiche_desktop import packs
    from fiche_desktop.build import validate, write_database
    from tests.helpers import make_keys, tiny_content

    files = tiny_content()
    files["sources.toml"]["content_version"] = version
    db = tmp_path / f"tiny-{version}.db"
    write_database(validate(files), db)
    publisher = make_keys(tmp_path / "keys", "editeur")
    publisher.trust(system=trusted == "system")
    pack = tmp_path / f"pack-{version}.zip"
    packs.make_pack(db, pack, publisher.secret)
    return pack


def kiosk_content(qtbot, tmp_path: Path, safety_net) -> dict[str, object]:
    """Runs the kiosk through app.main; returns what its home screen showed."""
    from PySide6.QtCore import QTimer

    from tests.gui.helpers import running_kiosk

    seen: dict[str, object] = {}

    def look() -> None:
        w = running_kiosk()
        seen["version"] = w.db.meta.content_version
        seen["cards"] = sorted(c.slug for c in w.home.cards)
        w.quit_kiosk(0)

    QTimer.singleShot(300, look)
    safety_net(15_000, 99)
    assert app.main(["--kiosk", "--config", str(tmp_path / "absent.toml")]) == 0
    return seen


def test_the_kiosk_shows_the_pack_installed_for_all_users(qtbot, tmp_path: Path, kiosk_logging, safety_net) -> None:
    from fiche_desktop import packs

    packs.import_pack(tiny_pack(tmp_path), system=True)
    seen = kiosk_content(qtbot, tmp_path, safety_net)
    assert seen == {"version": "2099.1.1", "cards": ["alpha"]}


def test_the_kiosk_ignores_a_users_own_pack(qtbot, tmp_path: Path, kiosk_logging, safety_net, real_db) -> None:
    from fiche_desktop import packs

    packs.import_pack(tiny_pack(tmp_path, trusted="user"), system=False)
    seen = kiosk_content(qtbot, tmp_path, safety_net)
    assert seen["version"] == real_db.meta.content_version
    assert "msp" in seen["cards"]  # type: ignore[operator]


def test_an_unusable_pack_falls_back_with_one_french_line(qtbot, tmp_path: Path, capsys, monkeypatch) -> None:
    """A pack damaged after its installation: the window opens on the next valid content."""
    from fiche_desktop import packs
    from fiche_desktop.views.main_window import MainWindow

    installed = packs.import_pack(tiny_pack(tmp_path), system=True)
    data = bytearray(installed.path.read_bytes())
    data[5000:9000] = b"\xff" * 4000  # pages of the database, after its header and schema
    installed.path.write_bytes(bytes(data))
    windows: list[MainWindow] = []
    monkeypatch.setattr(MainWindow, "show", lambda self: windows.append(self))
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.exec", lambda *a: 0)
    assert app.main([]) == 0
    assert windows and windows[0].db.meta.content_version != "2099.1.1"
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "inutilisable, contenu suivant utilisé" in err[0]
    assert "Traceback" not in err[0]


def test_qt_dialogs_speak_french_after_the_applications_setup(qapp) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QKeySequence

    assert app.install_french_translations(app.make_application())
    assert QCoreApplication.translate("QPrintDialog", "Print") == "Imprimer"
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "&Nom de fichier\xa0:"
    assert QKeySequence("Alt+Home").toString(QKeySequence.SequenceFormat.NativeText) == "Alt+Début"


@pytest.fixture
def desk_loop(qapp, monkeypatch):
    """The event loop as the desk runs it: it ends when the last window closes (a kiosk test
    before may have turned that off); restored afterwards."""
    from fiche_desktop.gui import speech

    # Reading aloud is not what these tests are about: no system speech engine is started
    # (one left starting would hold up the kiosk's speech tests that follow).
    monkeypatch.setattr(speech, "speech_module_present", lambda: False)
    from PySide6.QtCore import QTimer

    previous = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(True)
    guard = QTimer()  # a test that went wrong ends its loop instead of hanging the suite
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: qapp.exit(3))
    guard.start(15_000)
    yield
    guard.stop()
    qapp.setQuitOnLastWindowClosed(previous)


def test_a_pack_damaged_inside_gives_way_once_the_window_shows(
    qtbot, desk_loop, tmp_path: Path, capsys, monkeypatch
) -> None:
    """A pack whose shape reads well but whose pages are damaged: the window shows first, the
    integrity check runs after its first paint, then a window on the next valid content takes
    its place with one French line."""
    import shiboken6
    from PySide6.QtCore import QTimer

    from fiche_desktop import packs
    from fiche_desktop.db import DatabaseError, check_database, read_meta
    from fiche_desktop.views.main_window import MainWindow

    installed = packs.import_pack(tiny_pack(tmp_path), system=True)
    data = bytearray(installed.path.read_bytes())
    last_page = len(data) // 4096 - 1
    data[last_page * 4096 :] = b"\xff" * (len(data) - last_page * 4096)  # the end of the file
    installed.path.write_bytes(bytes(data))
    assert read_meta(installed.path).content_version == "2099.1.1"  # its shape still reads
    with pytest.raises(DatabaseError):
        check_database(installed.path)

    windows: list[MainWindow] = []
    show = MainWindow.show

    def spy(self: MainWindow) -> None:
        windows.append(self)
        show(self)

    monkeypatch.setattr(MainWindow, "show", spy)

    def close_the_second() -> None:
        if len(windows) >= 2 and windows[1].isVisible():
            windows[1].close()
        else:
            QTimer.singleShot(20, close_the_second)

    QTimer.singleShot(0, close_the_second)
    assert app.main([]) == 0
    assert len(windows) == 2
    assert windows[0].db.meta.content_version == "2099.1.1"  # shown first, as it read well
    assert windows[1].db.meta.content_version != "2099.1.1"
    assert not shiboken6.isValid(windows[0])  # closed and gone
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "Paquet de contenu installé pour tous inutilisable, contenu suivant utilisé" in err[0], err
    assert "Traceback" not in err[0]
    assert "inutilisable" in windows[1].statusBar().currentMessage()
    assert windows[1].content_label.isHidden()  # the message has the whole bar, not a clipped half


def test_a_base_given_with_db_damaged_inside_ends_with_its_message(
    qtbot, desk_loop, tmp_path: Path, monkeypatch, capsys
) -> None:
    """--db names one base: found damaged after the first paint, there is nothing to fall back
    to; the French dialog says why and the application ends with status 1."""

    from tests.conftest import REAL_DB

    data = bytearray(REAL_DB.read_bytes())
    data[len(data) - 4096 :] = b"\xff" * 4096
    bad = tmp_path / "abime.db"
    bad.write_bytes(bytes(data))
    shown: list[str] = []
    monkeypatch.setattr(app, "show_fatal_error", shown.append)
    assert app.main(["--db", str(bad)]) == 1
    assert shown and "endommagée" in shown[0] and "Réinstallez" in shown[0]
    assert "endommagée" in capsys.readouterr().err
