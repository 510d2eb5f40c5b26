"""The desk's status bar: its messages are in a line a keyboard and a screen reader reach, and an
error takes the focus there (a status-bar message alone is never heard by Orca 43)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget


class MessageBar(QStatusBar):
    """QStatusBar's message API (showMessage, clearMessage, currentMessage, messageChanged) shown in
    a focusable, selectable line; show_error() also moves the focus to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Barre d’état")
        self.line = QLabel()
        self.line.setObjectName("statusMessage")
        self.line.setMinimumWidth(1)  # a long message is cut, never widening the window
        # A QLabel takes no focus: it will while it has a message (the Qt namespace, about 25 ms to
        # build, is not touched before the first message: the first frame does without it).
        self.line.installEventFilter(self)
        self.addWidget(self.line, 1)
        self._message = ""
        self._expired = False  # its time ran out while it was being read
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int | None = 0) -> None:  # noqa: N802 (QStatusBar's API)
        """Shows text (for timeout ms, 0: until the next message); a screen reader hears it."""
        from PySide6.QtCore import Qt  # builds the Qt namespace: never on the first frame's path

        self._message = text
        self._expired = False
        self.line.setText(text)
        self.line.setToolTip(text)
        self.line.setAccessibleName(f"Message : {text}" if text else "")
        self.line.setFocusPolicy(Qt.FocusPolicy.StrongFocus if text else Qt.FocusPolicy.NoFocus)
        self.line.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self._timer.stop()
        if text and timeout:
            self._timer.start(timeout)
        self.messageChanged.emit(text)
        if text:
            from fiche_desktop.views import accessibility  # not on the first frame's path

            accessibility.announce(self, text)

    def show_error(self, text: str, timeout: int = 20000) -> None:
        """Shows an error and moves the focus to it: Orca reads it at once, Tab goes on from there."""
        from PySide6.QtCore import Qt

        self.showMessage(text, timeout)
        # After what the failed action goes on to do (a re-render puts the focus in the page's text).
        QTimer.singleShot(
            0, lambda: self.line.setFocus(Qt.FocusReason.OtherFocusReason) if self._message == text else None
        )

    def clearMessage(self) -> None:  # noqa: N802 (QStatusBar's API)
        if self.line.hasFocus():  # being read: it goes when the focus leaves it
            self._expired = True
            return
        self.showMessage("")

    def currentMessage(self) -> str:  # noqa: N802 (QStatusBar's API)
        return self._message

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line and event.type() == QEvent.Type.FocusOut and self._expired:
            QTimer.singleShot(0, self.clearMessage)
        return False
