"""Runs searches off the GUI thread, with its own read-only connection; drops stale answers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from fiche_desktop.content import Meta, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.search import Answer, answer


class _Worker(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, db_path: Path, meta: Meta) -> None:
        super().__init__()
        self._db_path = db_path
        self._meta = meta
        self._db: ContentDB | None = None

    @Slot(int, str, str)
    def run(self, seq: int, text: str, version: str) -> None:
        try:
            if self._db is None:
                self._db = ContentDB(self._db_path, meta=self._meta)  # checked once, at start
            result = answer(self._db, text, TextVersion(version))
        except Exception as e:  # handed to the GUI thread, never raised on this one  # noqa: BLE001
            self.failed.emit(seq, e)
            return
        self.done.emit(seq, result)

    @Slot()
    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class SearchService(QObject):
    """submit() returns at once; answer_ready(Answer) follows for the latest request, or
    failed(Exception) on the GUI thread when it could not be answered (a damaged base:
    db.DatabaseError, « Base de contenu endommagée : … »)."""

    answer_ready = Signal(object)
    failed = Signal(object)
    _request = Signal(int, str, str)
    _close = Signal()

    def __init__(self, db_path: Path, meta: Meta, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._seq = 0
        self._thread = QThread(self)
        self._thread.setObjectName("search")
        self._worker = _Worker(db_path, meta)
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run)
        self._close.connect(self._worker.close)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self._worker.deleteLater)

    def submit(self, text: str, version: TextVersion) -> None:
        if not self._thread.isRunning():  # started on first use: nothing to pay at start-up
            self._thread.start()
        self._seq += 1
        self._request.emit(self._seq, text, version.value)

    @Slot(int, object)
    def _on_done(self, seq: int, result: Answer) -> None:
        if seq == self._seq:
            self.answer_ready.emit(result)

    @Slot(int, object)
    def _on_failed(self, seq: int, error: Exception) -> None:
        if seq == self._seq:
            self.failed.emit(error)

    def shutdown(self) -> None:
        if self._thread.isRunning():
            self._close.emit()
            self._thread.quit()
            self._thread.wait(5000)
