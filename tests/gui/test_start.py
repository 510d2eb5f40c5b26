"""Start-up: the first frame holds what is on screen, the rest comes right after; any size of base."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from fiche_desktop import app, config
from fiche_desktop.db import ContentDB
from fiche_desktop.exit_codes import ExitCode
from fiche_desktop.views.main_window import MainWindow


def test_a_deferred_window_completes_itself_after_its_first_paint(qtbot, real_db) -> None:
    w = MainWindow(real_db, config.Settings(), save_settings=lambda s: None, defer_start=True)
    qtbot.addWidget(w)
    titles = [a.text() for a in w.menuBar().actions()]  # in the first frame: the page does not move down later
    assert not any(m.actions() for m in w.menus)  # their contents wait for the first paint
    assert w.home.card("msp") is not None and w.standard_button.text() == "Standard"
    assert w.home.card("sas") is None  # below the first frame's fold: it comes right after
    assert not [t for t in home_texts(w) if t.startswith(("Clause", "Contenu version"))]  # the page's end too
    app._after_first_paint(w, w.finish_start)
    w.show()
    qtbot.waitUntil(lambda: all(m.actions() for m in w.menus), timeout=3000)
    assert (
        [a.text() for a in w.menuBar().actions()]
        == titles
        == [
            "&Fichier",
            "É&dition",
            "&Affichage",
            "A&ller à",
            "Fa&voris",
            "&Récents",
            "Aid&e",
        ]
    )
    assert w.home.card("msp").focusPolicy() != w.home.card("msp").focusPolicy().NoFocus
    assert w.home.other_list is not None and w.home.other_list.model().rowCount() >= 4
    assert w.home.card("sas") is not None and w.home.card("dmp") is not None
    qtbot.waitUntil(lambda: w.home.widget().findChild(QLabel, "clauseTitle").y() > 0, timeout=3000)
    texts = home_texts(w)  # top to bottom: the other fiches, then the clause, the content's version last
    assert texts.index("Autres fiches") < texts.index("Clause de flexibilité") < len(texts) - 1
    assert texts[-1].startswith("Contenu version ")


def test_the_page_does_not_move_when_the_rest_of_the_window_comes(qtbot, real_db) -> None:
    w = MainWindow(real_db, config.Settings(), save_settings=lambda s: None, defer_start=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.wait(100)  # laid out and painted: the first frame as seen
    first = (w.centralWidget().geometry(), w.home.card("msp").mapTo(w, w.home.card("msp").rect().topLeft()))
    w.finish_start()  # menus, shortcuts, the list of other fiches
    qtbot.waitUntil(lambda: w.home.other_list is not None and w.home.other_list.isVisible(), timeout=3000)
    qtbot.wait(100)
    assert (w.centralWidget().geometry(), w.home.card("msp").mapTo(w, w.home.card("msp").rect().topLeft())) == first


def home_texts(w: MainWindow) -> list[str]:
    """The home page's labels, top to bottom."""
    page = w.home.widget()
    labels = page.findChildren(QLabel)
    return [label.text() for label in sorted(labels, key=lambda label: label.mapTo(page, label.rect().topLeft()).y())]


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory):
    """2,000 fiches: the real content and numbered copies of its structures."""
    from fiche_desktop.build import write_database
    from tests.helpers import generated_base

    path = tmp_path_factory.mktemp("big") / "big.db"
    write_database(generated_base(2000), path)
    db = ContentDB(path)
    yield db
    db.close()


def test_thousands_of_fiches_are_listed_not_built_as_widgets(qtbot, big_db: ContentDB) -> None:
    w = MainWindow(big_db, config.Settings(), save_settings=lambda s: None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    grouped = {m for g in big_db.groups() for m in g.members}
    assert sorted(c.slug for c in w.home.cards) == sorted(grouped)  # a card per structure and tool only
    listed = w.home.other_list
    assert listed is not None and listed.model().rowCount() == len(big_db.slugs()) - len(grouped) - 1
    index = listed.model().index(listed.model().rowCount() - 1, 0)
    listed.activated.emit(index)
    assert w.location.page == "fiche" and w.location.slug == big_db.slugs()[-1]


def test_the_smoke_test_reads_every_fiche_and_opens_a_sample(big_db: ContentDB) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "fiche_desktop", "--smoke-test", "--db", str(big_db.path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == ExitCode.OK, out.stderr[-2000:]
    assert "2000 fiches lues" in out.stdout


def test_qtmodeltester_accepts_the_home_list(qtmodeltester, real_db) -> None:
    from fiche_desktop.content import TextVersion
    from fiche_desktop.views.fiche_list import fiche_list_model

    qtmodeltester.check(fiche_list_model(real_db.fiche_headers(), TextVersion.STANDARD))


def test_the_smoke_test_names_the_step_when_a_fiche_cannot_be_read(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "fiche_desktop", "--smoke-test", "--db", str(tmp_path / "absent.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == ExitCode.ERROR and "ouverture de la base de contenu" in out.stderr


def test_the_first_frame_never_builds_pyside6s_qt_namespace(tmp_path: Path) -> None:
    """PySide6 builds the ~110 enum classes of its Qt namespace on first use (about 25 ms): the
    desk's first frame is made without it (see views/home.py), what needs it follows the paint."""
    code = (
        "import os, sys\n"
        "from fiche_desktop.views import main_window\n"
        "seen = []\n"
        "finish = main_window.MainWindow.finish_start\n"
        "def spy(self):\n"
        "    import PySide6.QtCore as core\n"
        "    seen.append('Qt' in core.__dict__)\n"
        "    finish(self)\n"
        "main_window.MainWindow.finish_start = spy\n"
        "from fiche_desktop.app import main\n"
        "status = main([])\n"
        "print('QT_LOADED_AT_FIRST_PAINT', seen, status)\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "FICHE_DESKTOP_BENCH_EXIT_WHEN_SHOWN": "1",
        "FICHE_DESKTOP_CONFIG_DIR": str(tmp_path),
    }
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert "QT_LOADED_AT_FIRST_PAINT [False] 0" in out.stdout, out.stdout + out.stderr[-2000:]


def test_the_faster_pyside_import_hook_answers_as_pyside_does() -> None:
    """app.faster_pyside_import_hook: for every module loaded, the same answer as PySide6's own
    inspect.getsource() test (run in a fresh interpreter: here PySide6 is already loaded)."""
    import subprocess
    import sys

    code = """
import sys
from fiche_desktop.app import faster_pyside_import_hook
faster_pyside_import_hook()
import PySide6.QtWidgets
import fiche_desktop.views.home, fiche_desktop.content
feature = sys.modules["shibokensupport.feature"]
ours = feature._mod_uses_pyside
assert getattr(ours, "fiche_desktop", False), "hook not installed"
import inspect
def theirs(module):
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False
modules = [m for m in list(sys.modules.values()) if m is not None]
differ = [m.__name__ for m in modules if ours(m) != theirs(m)]
print("modules", len(modules), "differ", differ)
print("home", ours(sys.modules["fiche_desktop.views.home"]), "content", ours(sys.modules["fiche_desktop.content"]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "differ []" in out.stdout
    assert "home True content False" in out.stdout
