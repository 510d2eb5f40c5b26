"""Read aloud, offline and optional: QtTextToSpeech (PySide6-Addons) in a process of its own.

The engine runs in gui/speech_child.py, a child process spoken to through its standard input
and output (QProcess: never a blocking call here). No code of this process ever calls
speech-dispatcher, so a daemon that wedges cannot hold the interpreter's lock or the window's
event loop: the child must answer each command within a deadline, else it is killed and
« Écouter » becomes unavailable (stuck, with a sentence for the screen).
"""

from __future__ import annotations

import importlib.util
import json
import sys

from PySide6.QtCore import QLoggingCategory, QObject, QProcess, QTimer, Signal

from fiche_desktop.kiosk.session import log, monotonic_ms

# The engine's start (QTextToSpeech's constructor: about 3 s with speechd) and each command.
START_DEADLINE_MS = 30_000
COMMAND_DEADLINE_MS = 3_000
# The frozen application runs the child as itself with this first argument (app.main).
WORKER_FLAG = "--speech-worker"
STUCK_LINES = ["La lecture à voix haute ne marche pas pour le moment.", "Demandez à l’accueil si besoin."]


def speech_module_present() -> bool:
    """True when the optional QtTextToSpeech module (PySide6-Addons) is installed."""
    try:
        return importlib.util.find_spec("PySide6.QtTextToSpeech") is not None
    except (ImportError, ValueError):
        return False


def worker_command(engine: str) -> tuple[str, list[str]]:
    """The program and arguments that run the speech engine's process."""
    if getattr(sys, "frozen", False):
        return sys.executable, [WORKER_FLAG, engine]
    return sys.executable, ["-m", "fiche_desktop.gui.speech_child", engine]


class SpeechService(QObject):
    """Read aloud, offline and optional. start() starts the engine's process; until it reports
    ready (and when no module, engine, French voice or audio output exists) available stays
    False and the window hides its "Écouter" button. An engine that does not answer in time is
    killed: available False, stuck True."""

    availability_changed = Signal(bool)
    speaking_changed = Signal(bool)

    def __init__(self, engine: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.available = False
        self.speaking = False
        self.stuck = False
        self.speaking_since = 0.0
        self.reason = "pas encore démarrée"
        self._process: QProcess | None = None
        self._buffer = b""
        self._next_id = 0
        self._waiting: dict[int, str] = {}  # commands sent, not yet done: id -> what
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._on_deadline)

    def start(self) -> None:
        if self._process is not None:
            return
        if not speech_module_present():
            self.reason = "module QtTextToSpeech absent (installez l’extra « speech »)"
            log.info("Lecture à voix haute indisponible : %s", self.reason)
            return
        if self.engine != "mock" and not self._has_audio_output():
            log.info("Lecture à voix haute indisponible : %s", self.reason)
            return
        process = self._process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        process.readyReadStandardOutput.connect(self._on_output)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        program, args = worker_command(self.engine)
        process.start(program, args)
        self._deadline.start(START_DEADLINE_MS)
        self._waiting[-1] = "démarrage"

    def _has_audio_output(self) -> bool:
        """Asked on the GUI thread (QtMultimedia's backend, PulseAudio, answers at once)."""
        # QtMultimedia reports every optional library it does not find (PipeWire, VA-API...):
        # noise for the user's terminal and journal; what matters is logged here.
        QLoggingCategory.setFilterRules("qt.multimedia*=false")
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError as e:  # present without its system libraries (libpulse.so.0)
            self.reason = f"module QtMultimedia inutilisable ({e})"
            return False
        if not QMediaDevices.audioOutputs():
            self.reason = "aucune sortie audio"
            return False
        return True

    # --- commands

    def _send(self, command: dict[str, object], what: str) -> None:
        process = self._process
        if process is None or not self.available:
            return
        self._next_id += 1
        command["id"] = self._next_id
        self._waiting[self._next_id] = what
        process.write((json.dumps(command, ensure_ascii=False) + "\n").encode("utf-8"))
        if not self._deadline.isActive():
            self._deadline.start(COMMAND_DEADLINE_MS)

    def say(self, text: str) -> None:
        if self.available and text.strip():
            self._send({"say": text}, "lecture")

    def stop(self) -> None:
        if self.available:
            self._send({"stop": True}, "arrêt")

    def shutdown(self, wait_ms: int = 2000) -> bool:
        """Ends the engine's process (killed when it does not end in time); always True: nothing
        of it is left in this process."""
        process = self._process
        if process is None:
            return True
        self._deadline.stop()
        self._process = None
        process.finished.disconnect(self._on_finished)
        process.errorOccurred.disconnect(self._on_error)
        if process.state() != QProcess.ProcessState.NotRunning:
            process.closeWriteChannel()  # end of input: the child quits
            if not process.waitForFinished(wait_ms):
                log.warning("Le moteur de synthèse vocale ne répond pas à l’arrêt : arrêté de force")
                process.kill()
                process.waitForFinished(1000)
        return True

    # --- what the engine says

    def _on_output(self) -> None:
        process = self._process
        if process is None:
            return
        self._buffer += bytes(process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            # rstrip: on Windows the child's text-mode stdout ends its lines with \r\n.
            kind, _, value = raw.decode("utf-8", "replace").rstrip("\r").partition("\t")
            if kind == "ready":
                self._waiting.pop(-1, None)
                self._restart_deadline()
                self._set_available(True, "")
            elif kind == "unavailable":
                self._waiting.pop(-1, None)
                self._restart_deadline()
                self._set_available(False, value or "moteur indisponible")
            elif kind == "done":
                self._waiting.pop(int(value) if value.isdigit() else 0, None)
                self._restart_deadline()
            elif kind == "speaking":
                self._on_speaking(value == "1")

    def _restart_deadline(self) -> None:
        if self._waiting:
            self._deadline.start(COMMAND_DEADLINE_MS)
        else:
            self._deadline.stop()

    def _on_deadline(self) -> None:
        if not self._waiting:
            return
        what = ", ".join(sorted(set(self._waiting.values())))
        self._give_up(f"moteur de synthèse vocale bloqué ({what} sans réponse)", stuck=True)

    def _on_finished(self, code: int, _status: object) -> None:
        if self._process is not None:
            self._give_up(f"moteur de synthèse vocale arrêté (code {code})", stuck=self.available)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._process is not None:
            self._give_up("moteur de synthèse vocale impossible à lancer", stuck=False)

    def _give_up(self, reason: str, *, stuck: bool) -> None:
        process, self._process = self._process, None
        self._deadline.stop()
        self._waiting.clear()
        if process is not None:
            process.finished.disconnect(self._on_finished)
            process.errorOccurred.disconnect(self._on_error)
            process.kill()  # never waited for here: reaped by Qt when it ends
        self.stuck = stuck
        log.warning("Lecture à voix haute arrêtée : %s", reason)
        if self.speaking:
            self._on_speaking(False)
        self._set_available(False, reason)

    def _set_available(self, available: bool, reason: str) -> None:
        changed = available != self.available
        self.available = available
        self.reason = reason
        if available:
            log.info("Lecture à voix haute disponible")
        elif not self.stuck:
            log.info("Lecture à voix haute indisponible : %s", reason)
        if changed or not available:
            self.availability_changed.emit(available)

    def _on_speaking(self, speaking: bool) -> None:
        if speaking and not self.speaking:
            self.speaking_since = monotonic_ms()
        self.speaking = speaking
        self.speaking_changed.emit(speaking)
