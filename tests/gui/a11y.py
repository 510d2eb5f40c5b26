"""Walking the accessibility tree in process (QAccessible), as a screen reader would get it."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QWidget

Role = QAccessible.Role
# Nodes a user acts on. Scroll bars are left out: no keyboard reaches them (the page scrolls
# with the keys) and no screen reader offers them as controls.
CONTROLS = {
    Role.Button,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.Link,
    Role.MenuItem,
    Role.ButtonMenu,
    Role.ButtonDropDown,
    Role.SpinBox,
    Role.Slider,
    Role.PageTab,
    Role.ListItem,
    Role.Cell,
    Role.List,
    Role.Table,
    Role.Document,
}


@dataclass
class Node:
    role: Role
    name: str
    description: str
    path: str
    state: QAccessible.State
    level: int = 0
    children: list[Node] = field(default_factory=list)
    iface: QAccessibleInterface | None = None
    covered: bool = False  # a table cell under a merged cell: drawn and read as part of the one before

    @property
    def interactive(self) -> bool:
        return self.role in CONTROLS or bool(self.state.focusable)

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def find(self, role: Role, name: str | None = None) -> list[Node]:
        return [n for n in self.walk() if n.role == role and (name is None or n.name == name)]


def level_of(iface: QAccessibleInterface) -> int:
    attributes = iface.attributesInterface()
    if attributes is None:
        return 0
    value = attributes.attributeValue(QAccessible.Attribute.Level)
    return int(value) if value else 0


def tree(widget: QWidget | QAccessibleInterface, path: str = "", depth: int = 0) -> Node:
    """The accessible tree under widget (its interface), as plain data."""
    iface = widget if isinstance(widget, QAccessibleInterface) else QAccessible.queryAccessibleInterface(widget)
    assert iface is not None and iface.isValid()
    name = iface.text(QAccessible.Text.Name)
    here = f"{path} / {iface.role().name} « {name[:40]} »" if path else f"{iface.role().name} « {name[:40]} »"
    node = Node(iface.role(), name, iface.text(QAccessible.Text.Description), here, iface.state(), level_of(iface))
    node.iface = iface
    if depth < 60:
        previous = None
        for i in range(iface.childCount()):
            child = iface.child(i)
            if child is not None:
                node.children.append(tree(child, here, depth + 1))
                rect = child.rect()
                node.children[-1].covered = child.role() == Role.Cell and rect == previous and not rect.isEmpty()
                previous = rect
    return node


def unnamed_controls(root: Node) -> list[str]:
    """The paths of the controls a screen reader would announce without a name."""
    return [n.path for n in root.walk() if n.interactive and not n.name.strip() and not n.covered]
