"""The comparison screen, driven through its widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fiche_desktop import config
from fiche_desktop.compare import ComparisonError, build_comparison, parse_slugs
from fiche_desktop.content import TextVersion
from fiche_desktop.render import FALC_NOTICE, NO_VALUE
from fiche_desktop.views.compare_view import CompareView, cell_text
from fiche_desktop.views.main_window import MainWindow


@pytest.fixture
def view(qtbot, real_db):
    v = CompareView(real_db)
    qtbot.addWidget(v)
    v.resize(1300, 800)
    v.show()
    return v


def test_default_columns_are_the_six_structures_of_the_overview(view: CompareView) -> None:
    assert view.column_titles() == ["ESP", "MSP", "CDS", "CPTS", "DAC", "SAS"]
    labels = view.row_labels()
    assert any(lbl.endswith("Définition") for lbl in labels)
    assert any(lbl.endswith("Statut juridique") for lbl in labels)
    assert any(lbl.endswith("Financement") for lbl in labels)


def test_choosing_structures_adds_and_removes_columns(qtbot, view: CompareView) -> None:
    qtbot.mouseClick(view.toggles["ess"], Qt.MouseButton.LeftButton)
    assert view.column_titles()[-1] == "ESS"
    for slug in ("esp", "cds", "cpts", "dac", "sas"):
        qtbot.mouseClick(view.toggles[slug], Qt.MouseButton.LeftButton)
    assert view.column_titles() == ["MSP", "ESS"]
    qtbot.mouseClick(view.toggles["msp"], Qt.MouseButton.LeftButton)  # would leave one column
    assert view.column_titles() == ["MSP", "ESS"]
    assert "au moins 2" in view.message.text()


def test_differences_only_hides_rows_where_all_columns_agree(qtbot, real_db, view: CompareView) -> None:
    view.set_structures(["msp", "cds"])
    all_rows = view.model.rowCount()
    comparison = build_comparison(real_db, ["msp", "cds"], TextVersion.STANDARD)
    same = [r.label for r in comparison.rows if not r.differs]
    assert same, "MSP and CDS share their merged summary-table cells"
    qtbot.mouseClick(view.diff_only, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == all_rows - len(same)
    assert not any(lbl.endswith(s) for lbl in view.row_labels() for s in same)
    assert "masquée" in view.message.text()


def test_differing_values_are_marked(view: CompareView) -> None:
    index = view.model.index(0, 0)
    assert view.row_labels()[0].startswith("≠ ")
    assert view.model.data(index, Qt.ItemDataRole.BackgroundRole) is not None


def test_falc_version_shows_falc_lines_or_the_notice(view: CompareView) -> None:
    view.set_version(TextVersion.FALC)
    first = view.model.data(view.model.index(0, 1), Qt.ItemDataRole.DisplayRole)
    assert first.startswith("Les MSP sont des structures avec des professionnels libéraux :")
    statut = next(i for i, lbl in enumerate(view.row_labels()) if lbl.endswith("Statut juridique"))
    assert view.model.data(view.model.index(statut, 1), Qt.ItemDataRole.DisplayRole).startswith(FALC_NOTICE)


def test_reorder_columns_with_keyboard_and_model(qtbot, view: CompareView) -> None:
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(
        view.table, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert view.column_titles()[:2] == ["MSP", "ESP"]
    view.move_column(5, 0)
    assert view.column_titles()[0] == "SAS"


def test_header_drag_reorders_the_data(view: CompareView) -> None:
    header = view.table.horizontalHeader()
    header.moveSection(0, 2)
    assert view.column_titles()[:3] == ["MSP", "CDS", "ESP"]
    assert [header.visualIndex(i) for i in range(6)] == list(range(6))


def test_cell_shows_its_source_and_opens_its_section(qtbot, view: CompareView) -> None:
    opened: list[tuple[str, str]] = []
    view.open_section.connect(lambda slug, section: opened.append((slug, section)))
    index = view.model.index(0, 1)
    view.table.setCurrentIndex(index)
    assert "Source : FICHE 2" in view.source_line.text()
    assert "Source" in view.model.data(index, Qt.ItemDataRole.ToolTipRole)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [("msp", "resume-definition")]


def test_from_a_fiche_the_comparison_preselects_it_and_opens_sections(qtbot, real_db) -> None:
    w = MainWindow(real_db, config.Settings(), search_delay_ms=20)
    qtbot.addWidget(w)
    w.show()
    w.open_fiche("ess")
    qtbot.mouseClick(w.fiche_view.compare_button, Qt.MouseButton.LeftButton)
    assert w.location.page == "compare"
    assert w.compare_view.column_titles()[0] == "ESS"
    w.compare_view.open_section.emit("sas", "financement")
    assert w.location.page == "fiche" and w.location.slug == "sas"
    w.back()
    assert w.location.page == "compare"


def test_toggling_elsewhere_shows_the_new_version_on_returning(qtbot, real_db) -> None:
    """Hidden screens re-render when shown again, in the version chosen meanwhile."""
    w = MainWindow(real_db, config.Settings(), search_delay_ms=20)
    qtbot.addWidget(w)
    w.show()
    w.open_compare()
    w.open_fiche("msp")
    w.toggle_version()  # to FALC, on the fiche
    assert w.version is TextVersion.FALC
    w.go_home()
    pivot = w.home.widget().findChild(QLabel, "pivotText")
    assert "C’est lui qui intervient en premier auprès du patient." in pivot.text()
    w.open_compare()
    first = w.compare_view.model.data(w.compare_view.model.index(0, 1), Qt.ItemDataRole.DisplayRole)
    assert first.startswith("Les MSP sont des structures avec des professionnels libéraux :")


def test_qt_model_contract(qtmodeltester, view: CompareView) -> None:
    qtmodeltester.check(view.model)


def test_empty_cells_say_the_sources_are_silent(real_db) -> None:
    comparison = build_comparison(real_db, ["esp", "sas"], TextVersion.STANDARD)
    texts = [cell_text(c) for r in comparison.rows for c in r.cells]
    assert NO_VALUE in texts


def test_bad_choices_are_refused_in_french(real_db) -> None:
    with pytest.raises(ComparisonError, match="inconnue"):
        build_comparison(real_db, ["esp", "xyz"], TextVersion.STANDARD)
    with pytest.raises(ComparisonError, match="de 2 à 7"):
        build_comparison(real_db, ["esp"], TextVersion.STANDARD)
    assert parse_slugs(" ESP, msp ,,cds") == ["esp", "msp", "cds"]
