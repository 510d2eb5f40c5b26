"""What a screen reader gets (AT-SPI on Linux, UI Automation on Windows) beyond Qt's defaults:
roles Qt does not give, names, focus rings, and announcements of what appears without focus.

The text views keep Qt's own text interface: Orca reads it (say-all, the caret line by line),
which a tree of nodes written here could not give it (tested with Orca: tests/e2e/test_orca.py).

Lifetimes: Qt's accessibility cache keeps raw pointers to the interfaces it is given. Python
must never free one that Qt still holds, so every interface made here stays referenced in
_LIVE until Qt has deleted it (the widget died, or deleteAccessibleInterface() for a node of
an outdated text); at exit, Qt is made to delete those it still has before Python lets go.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAnnouncementEvent,
    QAccessibleAttributesInterface,
    QAccessibleEvent,
    QAccessibleInterface,
    QAccessibleTextInterface,
)
from PySide6.QtWidgets import QAccessibleWidget, QApplication, QWidget

Role = QAccessible.Role
# A dynamic property: "heading", "button", "toolbar", "dialog", "group", "radio", "image".
ROLE_PROPERTY = "a11yRole"
LEVEL_PROPERTY = "a11yLevel"  # with "heading": 1, 2, 3…
_ROLES = {
    "heading": Role.Heading,
    "button": Role.Button,
    "toolbar": Role.ToolBar,
    "dialog": Role.Dialog,
    "group": Role.Grouping,
    "radio": Role.RadioButton,
    "image": Role.Graphic,
    # A titled group of radio buttons: AT-SPI's « filler », which Orca names once, as the buttons' group
    # (a « panel » is named twice: as a new ancestor, then as the radio group).
    "radio group": Role.Whitespace,
}
_NULL = shiboken6.VoidPtr(0)  # WORKAROUND: interface_cast() must return a pointer; None crashes PySide6 6.11
_LIVE: dict[int, QAccessibleInterface] = {}
_installed = False
# What was announced, newest last (the in-process tests read it; the AT-SPI test hears the events).
announcements: list[str] = []


def install() -> None:
    """Installs the factory once (the widgets that need it call this from their constructor)."""
    global _installed
    if _installed:
        return
    _installed = True
    QAccessible.installFactory(_factory)
    atexit.register(_release_all)


def mark(widget: QWidget, role: str, level: int = 0) -> None:
    """Gives widget a role Qt does not: "heading" (with its level), "button" (a focusable frame
    that opens something: its accessible_press() is the action), "toolbar", "dialog", "group",
    "radio" (a checkable button of an exclusive group: Tab reaches the checked one, the arrow
    keys choose, as with radio buttons; Qt would call it a check box), "image" (a drawing)."""
    install()
    widget.setProperty(ROLE_PROPERTY, role)
    if level:
        widget.setProperty(LEVEL_PROPERTY, level)
    if QAccessible.isActive():
        # Marked after a screen reader first saw it (the first frame's widgets): Qt's interface
        # for it is replaced by the marked one.
        iface = QAccessible.queryAccessibleInterface(widget)
        if iface is not None and iface.role() != _ROLES[role]:
            # The screen reader's copy of the tree hears the old node go and the new one come
            # (an ObjectReorder event alone leaves the old node in its copy).
            QAccessible.updateAccessibility(QAccessibleEvent(iface, QAccessible.Event.ObjectDestroyed))
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(iface))
            QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.ObjectCreated))


class _CheckedFirst(QObject):
    """Tab into an exclusive pair of buttons lands on the checked one, as with radio buttons
    (Qt itself lands on the first button of the group, checked or not)."""

    def __init__(self, buttons: list[QWidget]) -> None:
        super().__init__(buttons[0])
        self.buttons = buttons
        for button in buttons:
            button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and not watched.isChecked():  # type: ignore[attr-defined]
            reason = event.reason()  # type: ignore[attr-defined]
            if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
                checked = next((b for b in self.buttons if b.isChecked() and b.isEnabled()), None)  # type: ignore[attr-defined]
                if checked is not None:
                    checked.setFocus(reason)
        return False


def radio_pair(buttons: list[QWidget]) -> None:
    """Checkable buttons of an exclusive QButtonGroup, as a screen reader and the keyboard
    expect radio buttons: role « radio button », Tab lands on the checked one, the arrows choose."""
    for button in buttons:
        mark(button, "radio")
    _CheckedFirst(buttons)


def tab_chain(root: QWidget) -> list[QWidget]:
    """root and the widgets within it that Tab reaches now (shown, enabled, taking Tab), in the
    order of Qt's focus chain."""

    def takes_tab(w: QWidget) -> bool:
        return w.isVisible() and w.isEnabled() and bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)

    found: list[QWidget] = [root] if takes_tab(root) else []
    w = root.nextInFocusChain()
    while w is not None and w is not root and len(found) < 2000:
        if root.isAncestorOf(w) and takes_tab(w) and w not in found:
            found.append(w)
        w = w.nextInFocusChain()
    return found


def step_focus(ring: list[QWidget], forward: bool) -> bool:
    """Moves the keyboard focus to the next (forward) or previous widget of ring, round its end
    (to its first when the focus is elsewhere); False when ring is empty."""
    if not ring:
        return False
    current = QApplication.focusWidget()
    index = (ring.index(current) + (1 if forward else -1)) % len(ring) if current in ring else 0
    ring[index].setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
    return True


def announce(source: QObject, message: str, *, assertive: bool = False) -> None:
    """Has the screen reader say message without moving the focus (Qt 6.8's announcement)."""
    message = " ".join(message.split())
    if not message:
        return
    announcements.append(message)
    del announcements[:-50]
    event = QAccessibleAnnouncementEvent(source, message)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


def name_clear_button(field: QWidget, name: str) -> None:
    """Names the clear button Qt adds to a QLineEdit (setClearButtonEnabled): Qt leaves it unnamed."""
    from PySide6.QtGui import QAction

    action = field.findChild(QAction, "_q_qlineeditclearaction")
    if action is not None:
        action.setText(name)
        action.setToolTip(name)
    from PySide6.QtWidgets import QToolButton

    for button in field.findChildren(QToolButton):
        if button.defaultAction() is action or not button.accessibleName():
            button.setAccessibleName(name)


def _keep(iface: QAccessibleInterface) -> QAccessibleInterface:
    if len(_LIVE) % 256 == 0:  # now and then, forget those Qt has deleted
        for key in [k for k, v in _LIVE.items() if not shiboken6.isValid(v)]:
            del _LIVE[key]
    _LIVE[id(iface)] = iface
    return iface


def _release_all() -> None:
    """At exit, before Python frees what _LIVE holds: Qt deletes (and forgets) every interface
    made here that it still has, so that neither side frees one the other still points to."""
    for iface in list(_LIVE.values()):
        if shiboken6.isValid(iface):
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(iface))
    _LIVE.clear()


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    if not isinstance(obj, QWidget):
        return None
    role = obj.property(ROLE_PROPERTY)
    if isinstance(role, str) and role in _ROLES:
        return _keep(MarkedAccessible(obj, _ROLES[role], int(obj.property(LEVEL_PROPERTY) or 0)))
    return None


# --- Small interfaces shared by the nodes --------------------------------------------------


class _Level(QAccessibleAttributesInterface):
    """The heading level, as AT-SPI's « level » attribute."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def attributeKeys(self) -> list[QAccessible.Attribute]:
        return [QAccessible.Attribute.Level]

    def attributeValue(self, key: QAccessible.Attribute) -> Any:
        return self.level if key == QAccessible.Attribute.Level else None


class _Text(QAccessibleTextInterface):
    """Read-only text (no caret, no selection): what a screen reader reads and spells."""

    def __init__(self, text: Callable[[], str]) -> None:
        super().__init__()
        self._text = text

    def text(self, start: int, end: int) -> str:
        value = self._text()
        return value[start:] if end < 0 else value[start:end]

    def characterCount(self) -> int:
        return len(self._text())

    def cursorPosition(self) -> int:
        return 0

    def setCursorPosition(self, position: int) -> None:
        pass

    def selectionCount(self) -> int:
        return 0

    def addSelection(self, start: int, end: int) -> None:
        pass

    def removeSelection(self, index: int) -> None:
        pass

    def setSelection(self, index: int, start: int, end: int) -> None:
        pass

    def characterRect(self, offset: int) -> QRect:
        return QRect()

    def offsetAtPoint(self, point: QPoint) -> int:
        return -1

    def scrollToSubstring(self, start: int, end: int) -> None:
        pass


class _Press(QAccessibleActionInterface):
    """One action, « press »: follow the link, open the card."""

    def __init__(self, press: Callable[[], None], name: str) -> None:
        super().__init__()
        self._press = press
        self._name = name

    def actionNames(self) -> list[str]:
        return [QAccessibleActionInterface.pressAction()]

    def doAction(self, name: str) -> None:
        if name == QAccessibleActionInterface.pressAction():
            self._press()

    def keyBindingsForAction(self, name: str) -> list[str]:
        return ["Entrée"] if name == QAccessibleActionInterface.pressAction() else []

    def localizedActionName(self, name: str) -> str:
        return self._name if name == QAccessibleActionInterface.pressAction() else ""

    def localizedActionDescription(self, name: str) -> str:
        return self._name if name == QAccessibleActionInterface.pressAction() else ""


# --- Widgets with a role Qt does not give them -----------------------------------------------


_LEAVES = (Role.Heading, Role.Button, Role.RadioButton, Role.Graphic)


class MarkedAccessible(QAccessibleWidget):
    """A widget marked by mark(): a heading label, a card that works as a button, a bar."""

    def __init__(self, widget: QWidget, role: Role, level: int = 0) -> None:
        super().__init__(widget, role)
        self._role = role
        self._level = _Level(level) if role == Role.Heading and level else None
        self._text = _Text(self._label) if role == Role.Heading else None
        # The action asks for the widget when it runs (never a method bound here: Qt may reuse this
        # interface's address for another widget once this one is gone).
        if role == Role.RadioButton:
            self._press: _Press | None = _Press(lambda: self._call("click"), "Choisir")
        elif role == Role.Button and callable(getattr(widget, "accessible_press", None)):
            self._press = _Press(lambda: self._call("accessible_press"), "Ouvrir")
        else:
            self._press = None

    def _call(self, method: str) -> None:
        widget = self.widget() if self.isValid() else None
        if widget is not None and callable(getattr(widget, method, None)):
            getattr(widget, method)()

    def _label(self) -> str:
        widget = self.widget()
        name = widget.accessibleName()
        if not name and hasattr(widget, "text"):
            name = " ".join(str(widget.text()).split())
        return name

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._label()
        return super().text(kind)

    def childCount(self) -> int:
        # A heading or a button is read as one thing: its labels are not children of their own.
        return 0 if self._role in _LEAVES else super().childCount()

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt takes a null interface (None)
        return None if self._role in _LEAVES else super().child(index)

    def state(self) -> QAccessible.State:
        state = super().state()
        if self._role == Role.Heading:
            state.readOnly = True
        if self._role == Role.RadioButton:
            state.checkable = True
            state.checked = bool(self.widget().isChecked())  # type: ignore[attr-defined]
        return state

    def interface_cast(self, kind: QAccessible.InterfaceType) -> Any:
        types = QAccessible.InterfaceType
        if kind == types.AttributesInterface and self._level is not None:
            return self._level
        if kind == types.TextInterface and self._text is not None:
            return self._text
        if kind == types.ActionInterface and self._press is not None:
            return self._press
        if kind == types.ActionInterface:
            return super().interface_cast(kind)
        return _NULL


# --- The text views --------------------------------------------------------------------------
