"""The comparison screen, driven through its widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fiche_desktop.compare import ComparisonError, build_comparison, parse_slugs
from fiche_desktop.content import TextVersion
from fiche_desktop.render import NO_VALUE
from fiche_desktop.views.compare_view import PARTIAL, CompareView, cell_text
from fiche_desktop.views.main_window import MainWindow
from fiche_desktop.views.rich_text import HTML_ROLE

ALL_SEVEN = ["esp", "ess", "msp", "cds", "cpts", "dac", "sas"]


@pytest.fixture
def view(qtbot, real_db):
    v = CompareView(real_db)
    qtbot.addWidget(v)
    v.resize(1300, 800)
    v.show()
    return v


def shown(view: CompareView, row: int, column: int, role=Qt.ItemDataRole.DisplayRole) -> str:
    return str(view.model.data(view.model.index(row, column), role))


def norm(text: str) -> str:
    return " ".join(text.split())


def test_default_rows_are_the_short_attributes_and_the_long_texts_fold_below(qtbot, view: CompareView) -> None:
    assert view.column_titles() == ["ESP", "MSP", "CDS", "CPTS", "DAC", "SAS"]
    labels = [lbl[2:] for lbl in view.row_labels()]
    assert labels[:3] == ["Composition, équipe minimale", "Mode d’exercice", "Lieu physique"]
    assert {"Statut juridique", "Financement", "Textes de référence", "Perspectives"} <= set(labels)
    assert "Définition" not in labels  # the long texts are a second level, folded
    group = view.model.group_row()
    assert group == len(labels) - 1
    assert "Textes longs du tableau de synthèse" in shown(view, group, 0)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(group, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    labels = [lbl[2:] for lbl in view.row_labels()]
    assert labels[-3:] == ["Définition", "Public / périmètre", "Soins et prises en charge"]
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # folds again
    assert "Définition" not in [lbl[2:] for lbl in view.row_labels()]


def test_choosing_structures_adds_and_removes_columns(qtbot, view: CompareView) -> None:
    qtbot.mouseClick(view.toggles["ess"], Qt.MouseButton.LeftButton)
    assert view.column_titles()[-1] == "ESS"
    for slug in ("esp", "cds", "cpts", "dac", "sas"):
        qtbot.mouseClick(view.toggles[slug], Qt.MouseButton.LeftButton)
    assert view.column_titles() == ["MSP", "ESS"]
    qtbot.mouseClick(view.toggles["msp"], Qt.MouseButton.LeftButton)  # would leave one column
    assert view.column_titles() == ["MSP", "ESS"]
    assert "au moins 2" in view.message.text()


@pytest.mark.parametrize(
    "slugs, hidden",
    [
        (["msp", "cds"], {"Composition, équipe minimale", "Hébergement", "Niveau de soins", "Échelle"}),
        (["esp", "msp", "cds", "cpts", "dac", "sas"], {"Hébergement"}),
    ],
)
def test_differences_only_hides_equal_attributes(qtbot, view: CompareView, slugs: list[str], hidden: set[str]) -> None:
    view.set_structures(slugs)
    before = [lbl[2:] for lbl in view.row_labels()]
    assert hidden <= set(before)
    qtbot.mouseClick(view.diff_only, Qt.MouseButton.LeftButton)
    after = [lbl[2:] for lbl in view.row_labels()]
    assert set(before) - set(after) == hidden
    assert all(lbl.startswith("≠ ") for lbl in view.row_labels()[: view.model.group_row()])
    assert "masquée" in view.message.text()


def test_equal_values_are_shown_once_across_the_columns_they_share(view: CompareView) -> None:
    row = view.criterion_row("composition")
    assert view.column_titles()[1:3] == ["MSP", "CDS"]
    assert view.table.columnSpan(row, 1) == 2  # one cell for MSP and CDS
    assert view.table.columnSpan(row, 0) == 1
    named = shown(view, row, 1, Qt.ItemDataRole.AccessibleTextRole)
    assert named.startswith("MSP et CDS, Composition, équipe minimale : au moins deux médecins")
    view.set_structures(["msp", "esp", "cds"])  # not side by side: the later one refers to the first
    row = view.criterion_row("composition")
    assert shown(view, row, 2) == "= comme MSP"
    assert "comme MSP, au moins deux médecins" in shown(view, row, 2, Qt.ItemDataRole.AccessibleTextRole)


def test_a_partial_list_says_so_and_the_full_view_has_the_rest(view: CompareView) -> None:
    row = view.criterion_row("textes")
    msp = view.column_titles().index("MSP")
    assert shown(view, row, msp).endswith(f"({PARTIAL})")
    assert "20 avril 2017" not in shown(view, row, msp)
    full = norm(view.open_full(view.model.index(row, msp)))
    assert (
        "Accord conventionnel interprofessionnel relatif aux structures de santé pluri-professionnelles (ACI)" in full
    )
    assert "du 20 avril 2017" in full and "Source : FICHE 2" in full
    sas = view.column_titles().index("SAS")
    full = norm(view.open_full(view.model.index(row, sas)))
    assert "Instruction DGOS/R2/2020/129" in full and "Instruction DGOS/R2/PF5/2022/270" in full
    dac = view.column_titles().index("DAC")
    assert PARTIAL not in shown(view, row, dac)  # the DAC fiche lists exactly these two texts


def test_each_value_cites_its_own_source(view: CompareView) -> None:
    row = view.criterion_row("textes")
    msp = view.column_titles().index("MSP")
    html = shown(view, row, msp, HTML_ROLE)
    cited = {a.source: a for a in view.model.cell(view.model.index(row, msp)).attributions}
    fiche2, doubs = view.model.numbers[cited["standard"]], view.model.numbers[cited["kit-doubs"]]
    assert html.index(f"[{fiche2}]") < html.index("article L6323-3 du CSP") < html.index(f"[{doubs}]")
    # A number per source and date: the MSP « Textes de référence » part is dated 17 September 2024 in Fiche 2.
    assert f"[{fiche2}] Fiche 2, version standard (2024) – 17 septembre 2024" in view.legend.text()
    assert f"[{doubs}] Kit des élus du Doubs (2020) – 16 juillet 2020" in view.legend.text()


@pytest.mark.parametrize("version", [TextVersion.STANDARD, TextVersion.FALC])
@pytest.mark.parametrize("slugs", [["msp", "cds"], ["esp", "msp", "cds", "cpts", "dac", "sas"], ALL_SEVEN])
def test_no_cell_is_cut_and_every_cell_opens_in_full(
    qtbot, view: CompareView, slugs: list[str], version: TextVersion
) -> None:
    view.set_version(version)
    view.set_structures(slugs)
    view.set_expanded(True)
    assert view.clipped_cells() == []
    for r, row in enumerate(view.model.rows):
        if row is None:
            continue
        for c, cell in enumerate(row.cells):
            text = shown(view, r, c)
            assert not text.rstrip(")").endswith("…"), text
            full = norm(view.open_full(view.model.index(r, c)))
            assert view.panel.isVisible()
            for line in cell.lines:
                assert norm(line) in full, (row.label, c, line)
            if not cell.empty:
                assert "Source : " in full
    assert view.clipped_cells() == []  # with the side panel open, too


def test_every_cell_is_named_for_screen_readers(view: CompareView) -> None:
    row = view.criterion_row("financement")
    msp = view.column_titles().index("MSP")
    named = shown(view, row, msp, Qt.ItemDataRole.AccessibleTextRole)
    assert named.startswith("MSP, Financement : Contrat d'objectifs et de moyens")
    assert "Source : FICHE 2" in named
    named_cells = {
        (r, c)
        for r in range(view.model.rowCount())
        for c in range(view.model.columnCount())
        if view.model.data(view.model.index(r, c), Qt.ItemDataRole.AccessibleTextRole)
    }
    # Each cell as the table draws it is named once: a merged cell by its first column (Orca reads every
    # column of a row, and would say a merged value once per column), a group's title by column 0.
    drawn = set()
    for r in range(view.model.rowCount()):
        c = 0
        while c < view.model.columnCount():
            drawn.add((r, c))
            c += view.table.columnSpan(r, c)
    assert named_cells == drawn
    assert any(view.table.columnSpan(r, c) > 1 for r, c in drawn)  # merged cells were checked


def test_falc_shows_the_validated_falc_texts_first_and_folds_the_standard_ones(view: CompareView) -> None:
    view.set_version(TextVersion.FALC)
    assert [lbl[2:] for lbl in view.row_labels()][:3] == [
        "Définition",
        "Public / périmètre",
        "Soins et prises en charge",
    ]
    msp = view.column_titles().index("MSP")
    assert shown(view, 0, msp).startswith("Les MSP sont des structures avec des professionnels libéraux :")
    group = view.model.group_row()
    assert "Pour en savoir plus (version standard, non FALC)" in shown(view, group, 0)
    view.set_expanded(True)
    statut = view.criterion_row("statut")
    header = str(view.model.headerData(statut, Qt.Orientation.Vertical))
    assert header.endswith("(texte standard)")
    assert "texte standard" in view.message.text()
    assert "Label Qualité FALC" in view.legend.text()  # the credit goes with the FALC text


def test_keyboard_enter_reads_in_full_escape_closes_ctrl_enter_opens_the_fiche(qtbot, view: CompareView) -> None:
    opened: list[tuple[str, str]] = []
    view.open_section.connect(lambda slug, section: opened.append((slug, section)))
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 1))
    assert "Source : FICHE 2" in view.source_line.text()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.panel.isVisible() and "MSP – Composition, équipe minimale" in view.full_text()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)  # the panel follows the current cell
    assert "MSP – Mode d’exercice" in view.full_text()
    qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    assert not view.panel.isVisible()
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert opened == [("msp", "definition")]


def test_reorder_columns_with_keyboard_and_model(qtbot, view: CompareView) -> None:
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(1, 0))
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


def test_from_a_fiche_the_comparison_preselects_it_and_opens_sections(qtbot, window: MainWindow) -> None:
    w = window
    w.open_fiche("ess")
    qtbot.mouseClick(w.fiche_view.compare_button, Qt.MouseButton.LeftButton)
    assert w.location.page == "compare"
    assert w.compare_view.column_titles()[0] == "ESS"
    w.compare_view.open_section.emit("sas", "financement")
    assert w.location.page == "fiche" and w.location.slug == "sas"
    w.back()
    assert w.location.page == "compare"


def test_toggling_elsewhere_shows_the_new_version_on_returning(window: MainWindow) -> None:
    """Hidden screens re-render when shown again, in the version chosen meanwhile."""
    w = window
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


@pytest.mark.parametrize("version", [TextVersion.STANDARD, TextVersion.FALC])
def test_qt_model_contract(qtmodeltester, view: CompareView, version: TextVersion) -> None:
    view.set_version(version)
    qtmodeltester.check(view.model)
    view.set_expanded(True)
    view.diff_only.setChecked(True)
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
