"""Kiosk mode: idle watcher, session state, lock-down filter, PIN guard, read aloud, entry points."""

from __future__ import annotations

import argparse
import getpass
import importlib.util
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from fiche_desktop import config, paths
from fiche_desktop.content import TextVersion
from fiche_desktop.db import ContentDB, DatabaseError

log = logging.getLogger("fiche_desktop.kiosk")

EXIT_OK, EXIT_ERROR = 0, 1
PIN_MIN_DIGITS, PIN_MAX_DIGITS = 4, 12

# Text sizes the A- / A+ buttons step through, in percent of the configured font scale.
ZOOM_STEPS = (80, 100, 120, 140, 170, 200)
ZOOM_DEFAULT = 100

# While reading aloud, the idle countdown waits, but never longer than this.
MAX_LISTENING_MS = 10 * 60 * 1000

# The hidden admin gesture: this many taps within this delay in the top-left corner.
ADMIN_TAPS, ADMIN_TAP_WINDOW_MS, ADMIN_CORNER_PX = 5, 3000, 120

ET = QEvent.Type
_MOVE_EVENTS = frozenset({ET.MouseMove, ET.TabletMove})
_PRESS_EVENTS = frozenset({ET.MouseButtonPress, ET.MouseButtonDblClick, ET.TouchBegin, ET.TabletPress})
_OTHER_INPUT = frozenset({ET.MouseButtonRelease, ET.TouchUpdate, ET.TouchEnd, ET.TabletRelease})
_KEY_EVENTS = frozenset({ET.KeyPress})
_WHEEL_EVENTS = frozenset({ET.Wheel})
INPUT_EVENTS = _MOVE_EVENTS | _PRESS_EVENTS | _OTHER_INPUT | _KEY_EVENTS | _WHEEL_EVENTS


# --- Session ----------------------------------------------------------------------------


@dataclass
class Session:
    """Everything one visitor changes; a reset replaces it with a fresh one."""

    version: TextVersion
    zoom: int = ZOOM_DEFAULT
    pages_printed: int = 0
    fiches_opened: int = 0


def new_session(cfg: config.KioskConfig) -> Session:
    return Session(version=TextVersion(cfg.text_version))


# --- Idle watcher -----------------------------------------------------------------------


class IdleWatcher(QObject):
    """An application event filter: any user input restarts a single-shot idle timer.

    Emits activity(kind) on input, kind being "press" (mouse, touch, pen), "key", "wheel",
    "move" (a pointer move of a few pixels or more: sensor jitter does not count) or "other";
    emits timed_out when no input came for timeout_ms.
    """

    activity = Signal(str)
    timed_out = Signal()
    MOVE_THRESHOLD_PX = 8

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(timeout_ms)))
        self.timer.timeout.connect(self.timed_out)
        self._last_move: QPoint | None = None
        self._installed = False

    @property
    def timeout_ms(self) -> int:
        return self.timer.interval()

    def start(self) -> None:
        """Installs the filter (once) and starts counting."""
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.timer.start()

    def restart(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt virtual)
        kind = event.type()
        if kind not in INPUT_EVENTS:
            return False
        if kind in _MOVE_EVENTS:
            pos = event.globalPosition().toPoint()  # type: ignore[attr-defined]
            last = self._last_move
            if last is not None and (pos - last).manhattanLength() < self.MOVE_THRESHOLD_PX:
                return False
            self._last_move = pos
            name = "move"
        elif kind in _PRESS_EVENTS:
            name = "press"
        elif kind in _KEY_EVENTS:
            name = "key"
        elif kind in _WHEEL_EVENTS:
            name = "wheel"
        else:
            name = "other"
        self.timer.start()
        self.activity.emit(name)
        return False


# --- Lock-down --------------------------------------------------------------------------


def is_blocked_key(event: QKeyEvent) -> bool:
    """True for the keys that would quit, close, switch or leave full screen."""
    key = event.key()
    mods = event.modifiers()
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_F11, Qt.Key.Key_Close, Qt.Key.Key_Exit, Qt.Key.Key_Cancel):
        return True
    if key == Qt.Key.Key_F4 and mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier):
        return True
    return bool(mods & Qt.KeyboardModifier.ControlModifier and key in (Qt.Key.Key_Q, Qt.Key.Key_W))


class LockDown(QObject):
    """An application event filter that swallows the quit / close / full-screen keys, context
    menus and tooltips, and watches for the hidden admin gesture (taps in the top-left corner).

    Close requests are refused by the kiosk window itself (its closeEvent).
    """

    admin_gesture = Signal()

    def __init__(
        self,
        window: QWidget,
        *,
        taps: int = ADMIN_TAPS,
        tap_window_ms: int = ADMIN_TAP_WINDOW_MS,
        corner_px: int = ADMIN_CORNER_PX,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.taps = taps
        self.tap_window_ms = tap_window_ms
        self.corner_px = corner_px
        self._clock = clock or monotonic_ms
        self._tap_times: list[float] = []
        self._last_press: tuple[int, int, int] | None = None
        self._installed = False

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt virtual)
        kind = event.type()
        if kind in (ET.KeyPress, ET.KeyRelease, ET.ShortcutOverride):
            if is_blocked_key(event):  # type: ignore[arg-type]
                if kind == ET.KeyPress:
                    log.info("Touche ignorée en mode kiosque : %s", _key_name(event))  # type: ignore[arg-type]
                event.accept()
                return True
            return False
        if kind in (ET.ContextMenu, ET.ToolTip, ET.WhatsThis, ET.QueryWhatsThis):
            event.accept()
            return True
        if kind == ET.MouseButtonPress:
            self._count_tap(event)  # type: ignore[arg-type]
        return False

    def _count_tap(self, event: QMouseEvent) -> None:
        # One physical press reaches the filter several times (window, then each widget it
        # propagates to): count it once.
        global_pos = event.globalPosition().toPoint()
        key = (int(event.timestamp()), global_pos.x(), global_pos.y())
        if key == self._last_press:
            return
        self._last_press = key
        local = self.window.mapFromGlobal(global_pos)
        if not QRect(0, 0, self.corner_px, self.corner_px).contains(local):
            self._tap_times.clear()
            return
        now = self._clock()
        self._tap_times = [t for t in self._tap_times if now - t <= self.tap_window_ms] + [now]
        if len(self._tap_times) >= self.taps:
            self._tap_times.clear()
            self.admin_gesture.emit()


def monotonic_ms() -> float:
    import time

    return time.monotonic() * 1000


def _key_name(event: QKeyEvent) -> str:
    from PySide6.QtGui import QKeySequence

    return QKeySequence(event.keyCombination()).toString()


# --- Admin PIN --------------------------------------------------------------------------


class PinGuard:
    """Checks the admin PIN against its salted hash; each wrong PIN doubles the wait before
    the next try. The count of failures survives session resets (only a right PIN clears it)."""

    def __init__(self, pin_hash: str, base_delay_ms: int = 1000, max_delay_ms: int = 300_000) -> None:
        self.pin_hash = pin_hash
        self.base_delay_ms = base_delay_ms
        self.max_delay_ms = max_delay_ms
        self.failures = 0

    @property
    def enabled(self) -> bool:
        return bool(self.pin_hash)

    def check(self, pin: str) -> bool:
        ok = self.enabled and config.verify_pin(pin, self.pin_hash)
        self.failures = 0 if ok else self.failures + 1
        if not ok:
            log.warning("Code administrateur incorrect (%d essai(s) manqué(s))", self.failures)
        return ok

    def delay_ms(self) -> int:
        """How long the keypad stays locked after the last wrong PIN."""
        if not self.failures:
            return 0
        return int(min(self.max_delay_ms, self.base_delay_ms * 2 ** min(self.failures - 1, 30)))


# --- Read aloud -------------------------------------------------------------------------


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


# --- Entry points -----------------------------------------------------------------------


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a message comes (it may be replaced meanwhile)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def setup_logging() -> None:
    """Kiosk messages go to stderr (the journal under systemd), or to a file when there is none."""
    root = logging.getLogger("fiche_desktop")
    if getattr(root, "_kiosk_handler", False):
        return
    if sys.stderr is not None:
        handler: logging.Handler = _StderrHandler()
    else:  # pythonw on Windows has no stderr
        log_file = paths.data_dir() / "fiche-desktop-kiosk.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(
        logging.Formatter("fiche-desktop kiosque %(asctime)s %(levelname)s : %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root._kiosk_handler = True  # type: ignore[attr-defined]


def load_config(path: Path | None) -> config.KioskConfig:
    """The kiosk configuration; every problem is logged and replaced by a safe default."""
    cfg, warnings = config.load_kiosk_config(path)
    for warning in warnings:
        log.warning("Configuration : %s", warning)
    if not cfg.admin_pin_hash:
        log.warning("Configuration : pas de admin_pin_hash, la sortie administrateur est impossible")
    return cfg


def check_fiches(cfg: config.KioskConfig, db: ContentDB) -> None:
    """Drops (with a warning) the fiches of cfg.fiches that the database does not have."""
    known = set(db.slugs())
    unknown = [slug for slug in cfg.fiches if slug not in known]
    if unknown:
        log.warning("Configuration : fiches inconnues ignorées : %s", ", ".join(unknown))
        cfg.fiches = [slug for slug in cfg.fiches if slug in known]


def show_fatal_error(message: str, timeout_ms: int = 60_000) -> None:
    """Shows message on screen for a while (replaced in tests); the log already has it."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, "Fiche Desktop", message)
    QTimer.singleShot(timeout_ms, box.accept)
    box.exec()


def make_application() -> QApplication:
    from PySide6.QtGui import QGuiApplication

    from fiche_desktop.fonts import register_fonts

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv and sys.argv[0] else "fiche-desktop"])
    QGuiApplication.setApplicationName("Fiche Desktop")
    QGuiApplication.setApplicationDisplayName("Fiche Desktop")
    QGuiApplication.setDesktopFileName("fiche-desktop")
    register_fonts()
    assert isinstance(app, QApplication)
    return app


class CrashGuard:
    """Turns a Python exception raised inside a Qt slot (which Qt would only print) into the
    end of the event loop with a non-zero status, so that the supervisor restarts the kiosk."""

    def __init__(self, app: QApplication, status: int = EXIT_ERROR) -> None:
        self.app = app
        self.status = status
        self.crashed = False
        self._previous = sys.excepthook

    def __enter__(self) -> CrashGuard:
        sys.excepthook = self._hook
        return self

    def __exit__(self, *exc: object) -> None:
        sys.excepthook = self._previous

    def _hook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        self.crashed = True
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("Erreur inattendue, arrêt du kiosque (code %d) :\n%s", self.status, details)
        self.app.exit(self.status)


def run_kiosk(args: argparse.Namespace) -> int:
    """Runs the waiting-room kiosk; 0 when the admin quits, non-zero on any failure."""
    setup_logging()
    cfg = load_config(getattr(args, "config", None))
    if getattr(args, "falc", False):
        cfg.text_version = TextVersion.FALC.value
    app = make_application()
    db_path = args.db if getattr(args, "db", None) is not None else paths.bundled_db()
    try:
        db = ContentDB(db_path)
    except DatabaseError as e:
        log.error("%s", e)
        show_fatal_error(f"{e}\n\nRéinstallez l’application ou contactez votre service informatique.")
        return EXIT_ERROR
    try:
        check_fiches(cfg, db)
        start = getattr(args, "fiche", None)
        if start and (db.fiche(start) is None or (cfg.fiches and start not in cfg.fiches)):
            log.error("Fiche inconnue : « %s ». Fiches disponibles : %s", start, ", ".join(cfg.fiches or db.slugs()))
            return EXIT_ERROR
        from fiche_desktop.views.kiosk_window import KioskWindow

        window = KioskWindow(db, cfg)
        window.exit_requested.connect(app.exit)
        if start:
            window.start_idle = False
        window.show_kiosk()
        if start:
            window.open_fiche(start)
        log.info(
            "Kiosque démarré (inactivité : %s s, avertissement : %s s, impression : %s)",
            cfg.idle_timeout_seconds,
            cfg.warning_seconds,
            "oui" if cfg.printing else "non",
        )
        with CrashGuard(app) as guard:
            status = int(app.exec())
        status = EXIT_ERROR if guard.crashed and status == 0 else status
        clean = window.shutdown()
        window.close()
        if clean:
            # Gone now, not at the next event loop: nothing of the kiosk outlives run_kiosk().
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        log.info("Kiosque arrêté (code %d)", status)
    finally:
        db.close()
    if not clean:
        # WORKAROUND: a speech-dispatcher that wedges keeps the speech thread inside a Qt
        # call; letting Python tear that thread down aborts the process. Leave right away
        # with the status the supervisor expects.
        logging.shutdown()
        os._exit(status)
    return status


_PIN_RE = re.compile(rf"[0-9]{{{PIN_MIN_DIGITS},{PIN_MAX_DIGITS}}}")


def cmd_kiosk_pin(args: argparse.Namespace) -> int:
    """Asks the admin PIN (twice on a terminal, once on stdin otherwise) and prints the
    kiosk.toml line holding its salted hash."""
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            pin = getpass.getpass(f"Code administrateur du kiosque ({PIN_MIN_DIGITS} à {PIN_MAX_DIGITS} chiffres) : ")
            again = getpass.getpass("Tapez-le une deuxième fois : ")
        except EOFError:
            print("fiche-desktop : aucun code saisi", file=sys.stderr)
            return EXIT_ERROR
        if pin != again:
            print("fiche-desktop : les deux codes sont différents, rien n’a été créé", file=sys.stderr)
            return EXIT_ERROR
    else:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        pin = line.strip()
    if not _PIN_RE.fullmatch(pin):
        print(
            f"fiche-desktop : le code doit avoir de {PIN_MIN_DIGITS} à {PIN_MAX_DIGITS} chiffres "
            "(seulement des chiffres, rien d’autre)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    print(f'admin_pin_hash = "{config.hash_pin(pin)}"')
    if sys.stdout is not None and sys.stdout.isatty():
        print(f"Copiez cette ligne dans {config.kiosk_config_path()} (section principale).", file=sys.stderr)
    return EXIT_OK
