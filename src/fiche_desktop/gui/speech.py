"""Read aloud, offline and optional: QtTextToSpeech (PySide6-Addons) built off the GUI thread."""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import QLoggingCategory, QObject, QThread, Signal, Slot

from fiche_desktop.kiosk.session import log, monotonic_ms


def speech_module_present() -> bool:
    """True when the optional QtTextToSpeech module (PySide6-Addons) is installed."""
    try:
        return importlib.util.find_spec("PySide6.QtTextToSpeech") is not None
    except (ImportError, ValueError):
        return False


class _SpeechWorker(QObject):
    """Lives in its own thread: QTextToSpeech's constructor may block for seconds (speechd)."""

    ready = Signal(bool, str)  # available, reason when not
    speaking = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.tts: QObject | None = None

    @Slot(str)
    def init(self, engine: str) -> None:
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError as e:  # absent, or present without its system libraries (libpulse.so.0)
            self.ready.emit(False, f"module QtTextToSpeech inutilisable ({e})")
            return
        try:
            engines = QTextToSpeech.availableEngines()
            if not engines or (engine and engine not in engines):
                self.ready.emit(False, f"aucun moteur de synthèse vocale ({', '.join(engines) or 'aucun'})")
                return
            tts = QTextToSpeech(engine, self) if engine else QTextToSpeech(self)
            if tts.state() == QTextToSpeech.State.Error:
                self.ready.emit(False, f"moteur en erreur : {tts.errorString()}")
                return
            from PySide6.QtCore import QLocale

            french = [loc for loc in tts.availableLocales() if loc.language() == QLocale.Language.French]
            if french:
                tts.setLocale(french[0])
            elif engine != "mock":
                self.ready.emit(False, "pas de voix française installée")
                return
            tts.stateChanged.connect(lambda state: self.speaking.emit(state == QTextToSpeech.State.Speaking))
            self.tts = tts
            self.ready.emit(True, "")
        except Exception as e:  # noqa: BLE001 - an optional feature must never take the kiosk down
            self.ready.emit(False, f"{e.__class__.__name__}: {e}")

    @Slot(str)
    def say(self, text: str) -> None:
        if self.tts is not None:
            self.tts.say(text)  # type: ignore[attr-defined]

    @Slot()
    def stop(self) -> None:
        if self.tts is not None:
            self.tts.stop()  # type: ignore[attr-defined]


class SpeechService(QObject):
    """Read aloud, offline and optional. start() builds the engine off the GUI thread; until it
    reports ready (and when no module, engine, French voice or audio output exists) available
    stays False and the window hides its "Écouter" button."""

    availability_changed = Signal(bool)
    speaking_changed = Signal(bool)
    _init_requested = Signal(str)
    _say_requested = Signal(str)
    _stop_requested = Signal()

    def __init__(self, engine: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.available = False
        self.speaking = False
        self.speaking_since = 0.0
        self.reason = "pas encore démarrée"
        self._thread: QThread | None = None
        self._worker: _SpeechWorker | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        if not speech_module_present():
            self.reason = "module QtTextToSpeech absent (installez l’extra « speech »)"
            log.info("Lecture à voix haute indisponible : %s", self.reason)
            return
        # QtMultimedia (loaded by QtTextToSpeech too, mock engine included) reports every optional
        # library it does not find (PipeWire, VA-API...): noise for the user's terminal and journal;
        # what matters is logged here.
        QLoggingCategory.setFilterRules("qt.multimedia*=false")
        if self.engine != "mock" and not self._has_audio_output():
            log.info("Lecture à voix haute indisponible : %s", self.reason)
            return
        self._thread = QThread()
        self._thread.setObjectName("speech")
        self._worker = _SpeechWorker()
        self._worker.moveToThread(self._thread)
        self._init_requested.connect(self._worker.init)
        self._say_requested.connect(self._worker.say)
        self._stop_requested.connect(self._worker.stop)
        self._worker.ready.connect(self._on_ready)
        self._worker.speaking.connect(self._on_speaking)
        self._thread.start()
        self._init_requested.emit(self.engine)

    def _has_audio_output(self) -> bool:
        """Asked on the GUI thread: QtMultimedia's backend (PulseAudio, FFmpeg) is created there,
        not in the speech thread, which only builds the QTextToSpeech engine (it may block)."""
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError as e:  # present without its system libraries (libpulse.so.0)
            self.reason = f"module QtMultimedia inutilisable ({e})"
            return False
        if not QMediaDevices.audioOutputs():
            self.reason = "aucune sortie audio"
            return False
        return True

    def say(self, text: str) -> None:
        if self.available and text.strip():
            self._say_requested.emit(text)

    def stop(self) -> None:
        if self.available:
            self._stop_requested.emit()

    def shutdown(self, wait_ms: int = 2000) -> bool:
        """Stops the engine thread; False when it did not finish in time (a wedged daemon)."""
        if self._thread is None:
            return True
        self.stop()
        self._thread.quit()
        finished = self._thread.wait(wait_ms)
        if finished:
            self._worker = None
            self._thread = None
        else:
            log.warning("Le moteur de synthèse vocale ne répond pas à l’arrêt")
        return bool(finished)

    def _on_ready(self, available: bool, reason: str) -> None:
        self.available = available
        self.reason = reason
        if available:
            log.info("Lecture à voix haute disponible")
        else:
            log.info("Lecture à voix haute indisponible : %s", reason)
        self.availability_changed.emit(available)

    def _on_speaking(self, speaking: bool) -> None:
        if speaking and not self.speaking:
            self.speaking_since = monotonic_ms()
        self.speaking = speaking
        self.speaking_changed.emit(speaking)
