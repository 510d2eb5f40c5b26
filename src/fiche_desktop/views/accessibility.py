"""What a screen reader gets (AT-SPI on Linux, UI Automation on Windows): the text views'
structure, roles Qt does not give, and announcements of what appears without focus.

Qt exposes a QTextBrowser as one editable text of thousands of characters: no heading, no
link, no list. TextAccessible replaces that interface (through QAccessible.installFactory) by
a read-only document whose children are the blocks of its QTextDocument, in reading order:
headings with their level, paragraphs, lists and their items, and inside them the links, each
with a « press » action that follows it. The widget itself is unchanged (selection across
paragraphs, find in page, popups). The nodes are built only when an assistive technology (or
a test) asks for them, and again after the text changes.

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
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QUrl
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAnnouncementEvent,
    QAccessibleAttributesInterface,
    QAccessibleEvent,
    QAccessibleInterface,
    QAccessibleTextInterface,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import QAccessibleWidget, QApplication, QTextBrowser, QWidget

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
            # (not ObjectReorder: see TextAccessible._renew).
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
    if isinstance(obj, QTextBrowser):
        return _keep(TextAccessible(obj))
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


def _plain(text: str) -> str:
    """A block's text for speech: <br> line breaks and no-break spaces as plain spaces."""
    return " ".join(text.replace("\u2028", " ").replace("\u00a0", " ").split())


def _link_description(href: str) -> str:
    scheme = QUrl(href).scheme()
    if scheme in ("http", "https"):
        return f"Page internet : {href}"
    if scheme in ("glossaire", "glossaire-page"):
        return "Définition du glossaire"
    if scheme == "section":
        return "Aller à cette partie de la fiche"
    if scheme == "fiche":
        return "Ouvrir la fiche"
    return ""


class _Node(QAccessibleInterface):
    """A heading, paragraph, list, list item or link of a text view: no QObject of its own."""

    def __init__(
        self,
        doc: TextAccessible,
        parent: _Node | None,
        role: Role,
        text: str = "",
        start: int = 0,
        end: int = 0,
        level: int = 0,
        href: str = "",
    ) -> None:
        super().__init__()
        self.doc = doc
        self.up = parent
        self._role = role
        self.value = text
        self.start = start
        self.end = end
        self.href = href
        self.children: list[_Node] = []
        self._level = _Level(level) if level else None
        self._text = _Text(lambda: self.value) if role != Role.List else None
        self._press = _Press(lambda: doc.follow(self), "Suivre le lien") if role == Role.Link else None

    # the tree

    def isValid(self) -> bool:
        return shiboken6.isValid(self.doc) and self.doc.nodes_alive

    def object(self) -> QObject | None:  # type: ignore[override]  # Qt takes a null interface (None)
        return None

    def window(self) -> Any:
        return self.doc.window() if shiboken6.isValid(self.doc) else None

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt takes a null interface (None)
        if self.up is not None:
            return self.up
        return self.doc if shiboken6.isValid(self.doc) else None  # the widget may be going

    def childCount(self) -> int:
        return len(self.children)

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt takes a null interface (None)
        return self.children[index] if 0 <= index < len(self.children) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return _index(self.children, child)

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt takes a null interface (None)
        return next((c for c in self.children if c.rect().contains(x, y)), None)

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt takes a null interface (None)
        return None

    def relations(self, match: Any = None) -> list[Any]:
        return []

    # what it says

    def role(self) -> Role:
        return self._role

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self.value if self._role != Role.List else self.list_name()
        if kind == QAccessible.Text.Description and self.href:
            return _link_description(self.href)
        return ""

    def list_name(self) -> str:
        n = len(self.children)
        return f"Liste de {n} élément{'s' if n > 1 else ''}"

    def setText(self, kind: QAccessible.Text, text: str) -> None:
        pass

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        state.readOnly = True
        if not self.isValid():
            state.invalid = True
            return state
        rect = self.rect()
        if rect.isEmpty() or not self.doc.visible_rect().intersects(rect):
            state.offscreen = True
        if self._role == Role.Link:
            state.focusable = True
            state.linked = True
            state.focused = self.doc.focused_link() is self
        return state

    def rect(self) -> QRect:
        return self.doc.rect_of(self.start, self.end) if self.isValid() else QRect()

    def interface_cast(self, kind: QAccessible.InterfaceType) -> Any:
        types = QAccessible.InterfaceType
        if kind == types.AttributesInterface and self._level is not None:
            return self._level
        if kind == types.TextInterface and self._text is not None:
            return self._text
        if kind == types.ActionInterface and self._press is not None:
            return self._press
        return _NULL


def _index(nodes: list[Any], child: QAccessibleInterface | None) -> int:
    if child is None:
        return -1
    for i, node in enumerate(nodes):
        if node is child:
            return i
    return -1


class TextAccessible(QAccessibleWidget):
    """A read-only QTextBrowser as a document of headings, paragraphs, lists and links."""

    def __init__(self, browser: QTextBrowser) -> None:
        super().__init__(browser, Role.Document)
        self.browser = browser
        self.nodes: list[_Node] = []
        self.nodes_alive = False  # nodes built for the current text
        self._handed_out: list[_Node] = []
        self._stale = True
        self._focused: _Node | None = None
        browser.document().contentsChanged.connect(self._text_changed)
        browser.cursorPositionChanged.connect(self._cursor_moved)
        browser.destroyed.connect(self.drop_nodes)

    # Qt's side

    def role(self) -> Role:
        return Role.Document

    def state(self) -> QAccessible.State:
        state = super().state()
        state.readOnly = True
        state.editable = False
        state.multiLine = True
        return state

    def childCount(self) -> int:
        return len(self._blocks())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt takes a null interface (None)
        blocks = self._blocks()
        return blocks[index] if 0 <= index < len(blocks) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return _index(self._blocks(), child)

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt takes a null interface (None)
        return next((c for c in self._blocks() if c.rect().contains(x, y)), None)

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt takes a null interface (None)
        return self.focused_link()

    def interface_cast(self, kind: QAccessible.InterfaceType) -> Any:
        # No text and no editable text: the text is read through the nodes. The widget's own
        # actions (focus, scroll) stay.
        if kind == QAccessible.InterfaceType.ActionInterface:
            return super().interface_cast(kind)
        return _NULL

    # the nodes

    def _blocks(self) -> list[_Node]:
        if self._stale:
            self.drop_nodes()
            self.nodes = build_nodes(self)
            self.nodes_alive = True
            self._stale = False
            stack = list(self.nodes)
            while stack:
                node = stack.pop()
                self._handed_out.append(node)
                _keep(node)
                stack.extend(node.children)
        return self.nodes

    def drop_nodes(self, *_args: object) -> None:
        """Hands the nodes of the previous text back to Qt, which deletes them."""
        nodes, self._handed_out = self._handed_out, []
        self.nodes = []
        self.nodes_alive = False
        self._focused = None
        for node in nodes:
            if shiboken6.isValid(node):
                QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(node))

    def _text_changed(self) -> None:
        if self._stale:
            return
        self._stale = True
        if self.nodes_alive and QAccessible.isActive():
            from PySide6.QtCore import QTimer

            # Once the whole new text is in (setHtml changes it in several steps).
            QTimer.singleShot(0, self._renew)

    def _renew(self) -> None:
        """A screen reader has seen the previous text: it hears its blocks go and the new ones
        come (children-changed), so that what it keeps of the tree stays true."""
        if not (shiboken6.isValid(self) and shiboken6.isValid(self.browser)) or not self._stale:
            return
        # WORKAROUND: not ObjectReorder, which Qt 6.11's AT-SPI bridge sends with a wrong
        # D-Bus signature (a string for the child): libatspi drops it with a warning.
        for node in self.nodes:
            QAccessible.updateAccessibility(QAccessibleEvent(node, QAccessible.Event.ObjectDestroyed))
        for node in self._blocks():
            QAccessible.updateAccessibility(QAccessibleEvent(node, QAccessible.Event.ObjectCreated))

    def _cursor_moved(self) -> None:
        """Tab onto a link (the browser selects it): the screen reader hears the link."""
        if not QAccessible.isActive() or not self.browser.hasFocus():
            self._focused = None
            return
        link = self.link_at_cursor()
        if link is not None and link is not self._focused:
            self._focused = link
            QAccessible.updateAccessibility(QAccessibleEvent(link, QAccessible.Event.Focus))

    def link_at_cursor(self) -> _Node | None:
        cursor = self.browser.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        return next((n for n in self.links() if n.start <= start and end <= n.end), None)

    def focused_link(self) -> _Node | None:
        return self.link_at_cursor() if self.browser.hasFocus() else None

    def links(self) -> list[_Node]:
        out: list[_Node] = []
        stack = list(reversed(self._blocks()))
        while stack:
            node = stack.pop()
            if node.role() == Role.Link:
                out.append(node)
            stack.extend(reversed(node.children))
        return out

    def follow(self, link: _Node) -> None:
        """The link's « press »: as a click, the cursor on the link (popups open beside it)."""
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(link.start)
        cursor.setPosition(link.end, QTextCursor.MoveMode.KeepAnchor)
        self.browser.setTextCursor(cursor)
        self.browser.anchorClicked.emit(QUrl(link.href))

    def visible_rect(self) -> QRect:
        viewport = self.browser.viewport()
        return QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())

    def rect_of(self, start: int, end: int) -> QRect:
        """Where the text between start and end is on screen (global coordinates)."""
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(start)
        first = self.browser.cursorRect(cursor)
        cursor.setPosition(max(start, end))
        last = self.browser.cursorRect(cursor)
        viewport = self.browser.viewport()
        if last.top() > first.top():  # over several lines: the whole width of the column
            left = min(first.left(), 0)
            rect = QRect(QPoint(left, first.top()), QPoint(viewport.width(), last.bottom()))
        else:
            rect = QRect(first.topLeft(), last.bottomRight())
        return QRect(viewport.mapToGlobal(rect.topLeft()), rect.size())


def build_nodes(doc: TextAccessible) -> list[_Node]:
    """The document's blocks as nodes, in reading order; the rows of a table with several
    columns as one paragraph each (« Ctrl+F – Rechercher »)."""
    document = doc.browser.document()
    out: list[_Node] = []
    current_list: tuple[int, _Node] | None = None
    done_rows: set[tuple[int, int]] = set()
    block = document.begin()
    while block.isValid():
        cursor = QTextCursor(block)
        table = cursor.currentTable()
        if table is not None and table.columns() > 1:
            cell = table.cellAt(cursor)
            key = (table.objectIndex(), cell.row())
            if key not in done_rows:
                done_rows.add(key)
                out.append(_row_node(doc, table, cell.row()))
            current_list = None
            block = block.next()
            continue
        text = _plain(block.text())
        if not text:
            block = block.next()
            continue
        text_list = block.textList()
        start, end = block.position(), block.position() + block.length() - 1
        if text_list is not None:
            if current_list is None or current_list[0] != text_list.objectIndex():
                group = _Node(doc, None, Role.List, start=start, end=end)
                out.append(group)
                current_list = (text_list.objectIndex(), group)
            group = current_list[1]
            group.end = end
            item = _Node(doc, group, Role.ListItem, text, start, end)
            item.children = _links(doc, item, block)
            group.children.append(item)
        else:
            current_list = None
            level = block.blockFormat().headingLevel()
            node = _Node(doc, None, Role.Heading if level else Role.Paragraph, text, start, end, level=level)
            node.children = _links(doc, node, block)
            out.append(node)
        block = block.next()
    return out


def _row_node(doc: TextAccessible, table: Any, row: int) -> _Node:
    texts, links = [], []
    start = end = None
    node = _Node(doc, None, Role.Paragraph)
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        cell_texts = []
        block = cell.firstCursorPosition().block()
        last = cell.lastCursorPosition().block()
        while block.isValid():
            if _plain(block.text()):
                cell_texts.append(_plain(block.text()))
                links.extend(_links(doc, node, block))
            start = block.position() if start is None else start
            end = block.position() + block.length() - 1
            if block == last:
                break
            block = block.next()
        if cell_texts:
            texts.append(" ".join(cell_texts))
    node.value = " – ".join(texts)
    node.start, node.end = start or 0, end or 0
    node.children = links
    return node


def _links(doc: TextAccessible, parent: _Node, block: QTextBlock) -> list[_Node]:
    """The links of a block, adjacent pieces of one link merged."""
    out: list[_Node] = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        fmt = fragment.charFormat()
        href = fmt.anchorHref() if fmt.isAnchor() else ""
        if href:
            start, text = fragment.position(), fragment.text()
            last = out[-1] if out else None
            if last is not None and last.href == href and last.end == start:
                last.value = _plain(last.value + text)
                last.end = start + len(text)
            else:
                out.append(_Node(doc, parent, Role.Link, _plain(text), start, start + len(text), href=href))
        it += 1
    return out
