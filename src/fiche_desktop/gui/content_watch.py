"""Content installed while the desk window runs: noticed (current.json watched, and looked at again
whenever the application comes back to the front), announced, and shown in place of the old.
Made once the window has painted (it uses PySide6's Qt namespace, which the first frame avoids)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal  # built after the first paint
from PySide6.QtWidgets import QApplication

from fiche_desktop import paths


def installed_message(version: str) -> str:
    return f"Nouveau contenu installé (version {version})."


class ContentWatch(QObject):
    """Emits installed(path) when the newest usable content is no longer the one shown (an
    import-pack or a rollback, by this account or for all), and problem(line) once for each
    content folder whose current.json cannot be read."""

    installed = Signal(object)
    problem = Signal(str)

    def __init__(
        self,
        shown: Callable[[], Path],
        parent: QObject | None = None,
        *,
        bundled: Path | None = None,
        delay_ms: int = 300,
    ) -> None:
        super().__init__(parent)
        from fiche_desktop.packs import content_dir

        self._shown = shown
        self._bundled = bundled
        self._folders = [content_dir(system=False), content_dir(system=True)]
        self._said: set[str] = set()
        self._announced: Path | None = None
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._soon)
        self._watcher.fileChanged.connect(self._soon)
        self._timer = QTimer(self)  # an import writes a file, then renames current.json: one look
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.check)
        self._stopped = False
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._on_state)
        self._arm()

    def stop(self) -> None:
        """Watches no more (the window's run has ended; the application may run another)."""
        self._stopped = True
        self._timer.stop()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.disconnect(self._on_state)
        watched = self._watcher.directories() + self._watcher.files()
        if watched:
            self._watcher.removePaths(watched)

    def _arm(self) -> None:
        """Watches each content folder, or its nearest existing parent until it is made."""
        wanted: list[str] = []
        for folder in self._folders:
            for candidate in (folder, folder.parent, folder.parent.parent):
                if candidate.is_dir():
                    wanted.append(str(candidate))
                    pointer = candidate / "current.json"
                    if candidate == folder and pointer.is_file():
                        wanted.append(str(pointer))
                    break
        watched = set(self._watcher.directories()) | set(self._watcher.files())
        missing = [w for w in dict.fromkeys(wanted) if w not in watched]
        if missing:
            self._watcher.addPaths(missing)

    def _soon(self, _path: str = "") -> None:
        self._arm()
        self._timer.start()

    def _on_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()

    def check(self) -> None:
        """Looks at the installed content now."""
        if self._stopped:
            return
        from fiche_desktop.packs import candidates
        from fiche_desktop.packs.store import read_pointer_checked

        for folder in self._folders:
            problem = read_pointer_checked(folder)[1]
            if problem and problem not in self._said:
                self._said.add(problem)
                self.problem.emit(problem)
        found = candidates(self._bundled or paths.bundled_db(), system_only=False)
        newest = found[0][0] if found else None
        if newest is None or newest == self._shown() or newest == self._announced:
            return
        self._announced = newest
        self.installed.emit(newest)
