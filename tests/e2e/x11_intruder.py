"""Another X client's override-redirect window (what a menu, a tooltip or a splash screen is):
no window manager manages or stacks it. Shown over the whole screen, raised once, then left
alone; it prints its X window id and stays until killed."""

from __future__ import annotations

import sys


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    w = QWidget(None, Qt.WindowType.ToolTip | Qt.WindowType.X11BypassWindowManagerHint)
    w.setWindowTitle("intruder")
    w.setStyleSheet("background: #c00000")
    w.setGeometry(app.primaryScreen().geometry())
    w.show()
    w.raise_()
    print(hex(int(w.windowHandle().winId())), flush=True)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
