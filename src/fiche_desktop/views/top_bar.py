"""The desk window's top bar: Back, Forward, Home, the search box, Compare, Glossary, Standard / FALC."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QPushButton, QToolButton, QWidget

from fiche_desktop.content import TextVersion
from fiche_desktop.views.flow_layout import FlowBar

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QKeyEvent

    from fiche_desktop.views.main_actions import DeskActions


class SearchField(QLineEdit):
    """The search box: Down goes to the results, Escape clears."""

    down_pressed = Signal()
    escape_pressed = Signal()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.fontMetrics().averageCharWidth() * 26), hint.height())

    def event(self, event: QEvent) -> bool:
        """The window's Ctrl+letter shortcuts win over the line's own editing keys (on Linux a
        QLineEdit takes Ctrl+K « delete to the end », Ctrl+D, Ctrl+E…): with the focus here at
        launch, Ctrl+K must still open the comparison. Clipboard, undo and select-all stay the line's."""
        if event.type() == QEvent.Type.ShortcutOverride:
            from PySide6.QtCore import Qt

            key = cast("QKeyEvent", event)
            ctrl = key.modifiers() & Qt.KeyboardModifier.ControlModifier
            letter = Qt.Key.Key_A.value <= key.key() <= Qt.Key.Key_Z.value
            editing = {Qt.Key.Key_A, Qt.Key.Key_C, Qt.Key.Key_V, Qt.Key.Key_X, Qt.Key.Key_Z, Qt.Key.Key_Y}
            if ctrl and letter and key.key() not in {k.value for k in editing}:
                event.ignore()  # not taken here: the shortcut runs
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


def _tool_button(action: QAction, name: str = "") -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setAccessibleName(name or action.text())
    return button


class TopBar(FlowBar):
    """The bar wraps onto a second row rather than hide a control, whatever the window's width
    and the zoom (the Standard / FALC control always stays in sight); fit() shortens its labels
    when the full ones would need a third row."""

    def __init__(self, parent: QWidget) -> None:
        """An empty bar: the window places it above the page, builds the page, then calls fill()
        (its widgets are made in the order they always were: the page's, then the bar's controls,
        which keeps the focus chain as the keyboard tests expect it)."""
        super().__init__(parent)
        self.setObjectName("topBar")
        self._action_labels: list[tuple[QAction, str, str]] = []
        self._button_labels: list[tuple[QPushButton, str, str]] = []

    def fill(self, actions: DeskActions, set_version: Callable[[TextVersion], object]) -> None:
        """The controls, in the order Tab reaches them; the version buttons call set_version."""
        for action in (actions.back, actions.forward, actions.home):
            self.add(_tool_button(action), place=False)
        self.search_field = SearchField()
        self.search_field.setPlaceholderText("Rechercher : sigle, structure, mot… (Ctrl+F)")
        self.search_field.setAccessibleName("Rechercher dans les fiches")
        self.add(self.search_field, grow=True, place=False)
        actions.compare.setIconText("Comparer")  # the bar's short label; menus keep the full name
        self.add(_tool_button(actions.compare, "Comparer les structures"), place=False)
        self.add(_tool_button(actions.glossary), place=False)
        self.add_gap()
        self.version_group = QButtonGroup(self)
        self.version_group.setExclusive(True)
        toggle = QWidget()  # the two buttons stay together, on one row
        toggle.setObjectName("versionToggle")
        toggle.setAccessibleName("Version du texte")
        self.version_toggle = toggle
        pair = QHBoxLayout(toggle)
        pair.setContentsMargins(0, 0, 0, 0)
        pair.setSpacing(0)
        self.standard_button = QPushButton("Standard")
        self.standard_button.setAccessibleName("Afficher la version standard")
        self.falc_button = QPushButton("FALC – facile à lire")
        self.falc_button.setAccessibleName("Afficher la version FALC, facile à lire et à comprendre")
        for version_button, version in (
            (self.standard_button, TextVersion.STANDARD),
            (self.falc_button, TextVersion.FALC),
        ):
            version_button.setCheckable(True)
            version_button.setObjectName("versionButton")
            version_button.setToolTip("Basculer la version du texte (Ctrl+T)")
            version_button.clicked.connect(lambda _=False, v=version: set_version(v))
            self.version_group.addButton(version_button)
            pair.addWidget(version_button)
        self.standard_button.setObjectName("versionLeft")
        self.falc_button.setObjectName("versionRight")
        self.add(toggle, place=False)
        self.relayout()
        # Full labels, and the short ones the bar takes when the full ones would need a third row.
        self._action_labels = [
            (actions.back, "Précédent", "←"),
            (actions.forward, "Suivant", "→"),
            (actions.home, "Accueil", "⌂"),
            (actions.glossary, "Glossaire", "Glossaire"),
        ]
        self._button_labels = [(self.falc_button, "FALC – facile à lire", "FALC")]

    def show_version(self, version: TextVersion) -> None:
        falc = version is TextVersion.FALC
        self.falc_button.setChecked(falc)
        self.standard_button.setChecked(not falc)

    def fit(self, width: int) -> None:
        """Full labels when the bar holds on two rows, short ones (with their full accessible
        names) when it would need more: the bar wraps rather than hide a control."""
        for compact in (False, True):
            for action, full, short in self._action_labels:
                action.setIconText(short if compact else full)
            for button, full, short in self._button_labels:
                button.setText(short if compact else full)
            if len(self.rows(width)) <= 2:
                break
        self.relayout()

    def finish_accessibility(self) -> None:
        """For screen readers, once the first frame has painted: the bar's role, the version
        pair as radio buttons in a named group, the search box's clear button named."""
        from fiche_desktop.views import accessibility

        self.setAccessibleName("Barre d’outils")
        accessibility.mark(self, "toolbar")
        accessibility.mark(self.version_toggle, "group")
        accessibility.radio_pair([self.standard_button, self.falc_button])
        accessibility.name_clear_button(self.search_field, "Effacer la recherche")
