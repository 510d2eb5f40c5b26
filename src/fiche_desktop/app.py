"""main(argv) -> exit status. The only module that knows every part: it parses the arguments
(cli), runs the Qt-free commands (search, export, packs, kiosk-pin) without loading Qt, and for
the desk window, the kiosk and the smoke test makes the one QApplication, opens the content
(installed packs included) and installs the last-resort error handler.

PySide6 is imported inside the functions that need it, so that `fiche-desktop search` and the
other Qt-free commands never load it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace, TracebackType
from typing import TYPE_CHECKING, Any

from fiche_desktop import config, console, paths
from fiche_desktop.content import TextVersion
from fiche_desktop.db import ContentDB, DatabaseError
from fiche_desktop.exit_codes import ExitCode

if TYPE_CHECKING:
    import argparse
    import logging

    from PySide6.QtWidgets import QApplication


def _log() -> logging.Logger:
    """The application's logger (logging is imported on first use: it is not needed to start)."""
    import logging

    return logging.getLogger("fiche_desktop")


# --- The application ----------------------------------------------------------------------


def make_application(offscreen_without_display: bool = False, *, first_frame_only: bool = False) -> QApplication:
    """The one QApplication: names, icon, bundled fonts, Qt's own French translations.

    offscreen_without_display: with no X11 / Wayland display (export, smoke test on a server),
    Qt runs off-screen instead of failing. first_frame_only: what the desk's first frame needs
    (names, fonts); finish_application() adds the rest once it has painted.
    """
    if offscreen_without_display and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    quiet_atspi_warnings()
    from fiche_desktop.session_bus import leave_a_frozen_bus

    if (why := leave_a_frozen_bus()) is not None:  # Qt would wait for it without end
        _log().info(why)
    faster_pyside_import_hook()
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from fiche_desktop.gui.fonts import register_fonts

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0] or "fiche-desktop"])
    QGuiApplication.setApplicationName("Fiche Desktop")
    QGuiApplication.setApplicationDisplayName("Fiche Desktop")
    QGuiApplication.setDesktopFileName("fiche-desktop")
    register_fonts()
    if not first_frame_only:
        finish_application(app)
    return app


def faster_pyside_import_hook() -> None:
    """WORKAROUND (start-up time, PySide6 6.11): for its `__feature__` switches, PySide6 asks of
    every module imported whether its source mentions "PySide6", through inspect.getsource()
    (linecache, encoding detection, the file split into lines): about 7 ms of the first frame
    for this application's modules. The same question is answered here by reading the file's
    bytes; a module without a source file is still asked PySide6's way. Runs before PySide6
    is first imported (it then scans the modules already loaded)."""
    if "PySide6" in sys.modules:
        return
    try:
        import shiboken6  # noqa: F401  (loads shibokensupport.feature, not Qt)
    except ImportError:
        return
    feature = sys.modules.get("shibokensupport.feature")
    asked = getattr(feature, "_mod_uses_pyside", None)
    if asked is None or getattr(asked, "fiche_desktop", False):
        return

    def uses_pyside(module: object) -> bool:
        source = getattr(module, "__file__", None)
        if isinstance(source, str) and source.endswith(".py"):
            try:
                with open(source, "rb") as f:
                    return b"PySide6" in f.read()
            except OSError:
                pass
        return bool(asked(module))

    uses_pyside.fiche_desktop = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


ATSPI_QUIET = "qt.accessibility.atspi.warning=false"


def quiet_atspi_warnings() -> None:
    """WORKAROUND: Qt's AT-SPI bridge warns in the journal whenever a screen reader asks for an
    object that has just gone (a page's widgets replaced): noise for the journal. Read before Qt
    starts; QT_LOGGING_RULES of one's own still takes precedence."""
    rules = os.environ.get("QT_LOGGING_RULES", "")
    if "qt.accessibility.atspi" not in rules:
        os.environ["QT_LOGGING_RULES"] = f"{rules};{ATSPI_QUIET}" if rules else ATSPI_QUIET


def finish_application(app: QApplication) -> None:
    """The window icon and Qt's French translations."""
    from PySide6.QtGui import QGuiApplication, QIcon

    QGuiApplication.setWindowIcon(QIcon(str(paths.require(paths.icon_file()))))
    install_french_translations(app)


def install_french_translations(app: QApplication) -> bool:
    """Loads Qt's own French catalogue (qtbase_fr, shipped with PySide6) once; True when loaded.

    Qt's standard dialogs (print, preview, save) and buttons then speak French.
    """
    if getattr(app, "_fiche_translator", None) is not None:
        return True
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.French, QLocale.Country.France), "qtbase", "_", folder):
        _log().warning("Traductions françaises de Qt introuvables dans %s", folder)
        return False
    app.installTranslator(translator)
    from fiche_desktop.gui.french import MissingFrench

    app.installTranslator(MissingFrench(app))  # what qtbase_fr lacks (the file dialog's labels)
    app._fiche_translator = translator  # type: ignore[attr-defined]
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    return True


def show_fatal_error(message: str, timeout_ms: int = 0) -> None:
    """Shows message in a dialog (tests replace this function); stderr already has it.

    timeout_ms: the kiosk's dialog closes by itself, so that the supervisor can restart it.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, "Fiche Desktop", message)
    if timeout_ms:
        QTimer.singleShot(timeout_ms, box.accept)
    box.exec()


def open_content(
    explicit: Path | None, *, system_only: bool = False, check_now: bool = True, skip: frozenset[Path] = frozenset()
) -> tuple[ContentDB, list[str]]:
    """The content for every mode (packs.open_content): --db, else the newest usable content."""
    from fiche_desktop.packs import open_content as open_newest

    db, warnings = open_newest(explicit, system_only=system_only, check_now=check_now, skip=skip)
    from fiche_desktop import contacts  # the useful contacts' set-aside entries, said with the rest

    warnings = [*warnings, *contacts.current(db.path).warnings]
    for warning in warnings:
        print(warning, file=sys.stderr)
        _log().warning("%s", warning)
    return db, warnings


def _write_log(details: str) -> Path:
    where = paths.log_file()
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        with where.open("a", encoding="utf-8", errors="backslashreplace") as f:
            f.write(details)
    except OSError:
        where = Path(os.devnull)
    return where


class CrashGuard:
    """Catches a Python exception raised inside a Qt slot (which Qt would only print).

    fatal (the kiosk): the event loop ends with status 1, so that the supervisor restarts it.
    Otherwise (the desk): the traceback goes to the log file and on_error shows a French line.
    """

    def __init__(
        self,
        app: Any,
        *,
        fatal: bool,
        on_error: Callable[[str], None] | None = None,
        status: int = ExitCode.ERROR,
        on_damaged: Callable[[DatabaseError], None] | None = None,
    ) -> None:
        self.app = app
        self.fatal = fatal
        self.on_error = on_error
        self.on_damaged = on_damaged  # a base found damaged while read: the next content replaces it
        self.status = status
        self.crashed = False
        self._previous = sys.excepthook

    def __enter__(self) -> CrashGuard:
        sys.excepthook = self._hook
        return self

    def __exit__(self, *exc: object) -> None:
        sys.excepthook = self._previous

    def _hook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if isinstance(value, DatabaseError) and self.on_damaged is not None and not self.fatal:
            _log().warning("%s", value)
            self.on_damaged(value)
            return
        self.crashed = True
        import traceback

        details = "".join(traceback.format_exception(kind, value, tb))
        where = _write_log(details)
        if self.fatal:
            _log().error("Erreur inattendue, arrêt (code %d) :\n%s", self.status, details)
            self.app.exit(self.status)
        elif self.on_error is not None:
            self.on_error(f"Erreur inattendue ({kind.__name__}) : détails dans {where}")


# --- The modes ----------------------------------------------------------------------------


def run_gui(args: argparse.Namespace) -> int:
    """The desk window. What the first frame does not show is built right after it has painted,
    and the content's integrity is then checked off the GUI thread: a base found damaged is
    replaced by the next valid content (a window on it, with one French line), or, given
    with --db, ends the application with its message."""
    app = make_application(first_frame_only=True)
    try:
        db, warnings = open_content(args.db, check_now=False)
    except DatabaseError as e:
        print(str(e), file=sys.stderr)
        finish_application(app)
        show_fatal_error(f"{e}\n\nRéinstallez l’application ou contactez votre service informatique.")
        return ExitCode.ERROR
    if args.fiche and db.fiche(args.fiche) is None:
        from fiche_desktop.files import clip

        print(f"Fiche inconnue : « {clip(args.fiche)} ». Fiches disponibles : {', '.join(db.slugs())}", file=sys.stderr)
        return ExitCode.ERROR
    settings, setting_warnings = config.load_settings()
    if args.falc:
        settings.text_version = TextVersion.FALC.value
    from fiche_desktop.views.main_window import MainWindow

    def make_window(db: ContentDB, warnings: list[str], *, defer: bool) -> MainWindow:
        window = MainWindow(db, settings, warnings=warnings, defer_start=defer)
        if args.fiche:
            window.open_fiche(args.fiche)
        elif settings.restore_session and settings.last_fiche and db.fiche(settings.last_fiche) is not None:
            window.open_fiche(settings.last_fiche, settings.last_section)  # in the version saved with it
        return window

    def reopen(bad: ContentDB, reason: str) -> tuple[ContentDB, list[str]] | None:
        """The next valid content after bad (fully checked), with the line that says why; None
        (after the French dialog) when there is none, or when bad was given with --db."""
        from fiche_desktop import packs

        bad.close()
        try:
            if args.db is not None:
                raise DatabaseError(reason)
            message = packs.set_aside(bad.path, reason)
            print(message, file=sys.stderr)
            _log().warning("%s", message)
            new_db, more = open_content(None, skip=frozenset({bad.path}))
        except DatabaseError as e:
            print(str(e), file=sys.stderr)
            finish_application(app)
            show_fatal_error(f"{e}\n\nRéinstallez l’application ou contactez votre service informatique.")
            return None
        return new_db, [message, *more]

    checked = False  # the content shown has had its full check
    try:
        first = make_window(db, warnings + setting_warnings, defer=True)
    except DatabaseError as e:  # a page the first frame reads is damaged
        from fiche_desktop.packs import check_integrity

        opened = reopen(db, check_integrity(db.path) or str(e))
        if opened is None:
            return ExitCode.ERROR
        first, checked = make_window(*opened, defer=True), True
    state = SimpleNamespace(window=first, status=ExitCode.OK)
    bench = bool(os.environ.get("FICHE_DESKTOP_BENCH_EXIT_WHEN_SHOWN"))

    def damaged(reason: str, path: Path) -> None:
        """path, checked or read, is damaged: if the window still shows it, the next valid
        content in a new window, or the end (a late report about a base already replaced is
        left alone)."""
        old: MainWindow = state.window
        if old.db.path != path:
            return
        opened = reopen(old.db, reason)
        if opened is None:
            state.status = ExitCode.ERROR
            app.setQuitOnLastWindowClosed(False)  # the status is ExitCode.ERROR, not a closed window's
            old.close()
            app.exit(ExitCode.ERROR)
            return
        window = make_window(*opened, defer=False)
        window.setGeometry(old.geometry())
        state.window = window
        window.show()
        old.close()
        old.deleteLater()

    checker = IntegrityCheck(damaged)

    def newer_installed(path: Path) -> None:
        """Content installed while the window runs: a window on it, on the same page."""
        old: MainWindow = state.window
        try:
            new_db, more = open_content(None)
        except DatabaseError as e:
            old.statusBar().showMessage(str(e), 20000)
            return
        if new_db.path == old.db.path:
            new_db.close()
            return
        where = old.current_location()
        window = make_window(new_db, more, defer=False)
        if window.version is not old.version:
            window.set_version(old.version)
        window.setGeometry(old.geometry())
        state.window = window
        window.show()
        window.go(where, record=False)
        from fiche_desktop.gui.content_watch import installed_message

        window.statusBar().showMessage(installed_message(new_db.meta.content_version), 20000)
        old.close()
        old.db.close()
        old.deleteLater()

    def finish() -> None:
        if bench:  # benchmarks/run.py times the first paint, as it does the bare window's
            print("SHOWN", flush=True)
        finish_application(app)
        state.window.finish_start()
        if not checked:
            checker.start(state.window.db.path)
        if args.db is None:  # --db names one base: nothing else replaces it
            from fiche_desktop.gui.content_watch import ContentWatch

            state.watch = ContentWatch(lambda: state.window.db.path)  # goes with run_gui, not the app
            state.watch.installed.connect(newer_installed)
            state.watch.problem.connect(lambda line: state.window.statusBar().showMessage(line, 20000))
        if bench:  # ... and when what was deferred (menus, shortcuts, translations) is built
            print("READY", flush=True)
            state.window.close()

    cancel_finish = _after_first_paint(state.window, finish)
    state.window.show()

    def read_failed(error: DatabaseError) -> None:
        """A read of the content in use failed (a damaged base): the next content, as at start."""
        damaged(str(error), error.path or state.window.db.path)

    on_error = lambda m: state.window.statusBar().show_error(m)  # noqa: E731
    with CrashGuard(app, fatal=False, on_error=on_error, on_damaged=read_failed):
        status = int(app.exec())
    cancel_finish()  # an event loop run later (tests) must not finish a window whose base is closed
    if getattr(state, "watch", None) is not None:
        state.watch.stop()  # nor watch the content for a window that is gone
    checker.wait()
    state.window.db.close()
    return state.status or status


class IntegrityCheck:
    """packs.check_integrity on a thread (SQLite releases the interpreter while it reads the
    base); a failure's French line and the base checked are handed to on_damaged on the GUI thread."""

    def __init__(self, on_damaged: Callable[[str, Path], None]) -> None:
        from PySide6.QtCore import QObject, Signal

        class Relay(QObject):
            damaged = Signal(str, object)

            def deliver(self, message: str, path: Path) -> None:
                on_damaged(message, path)

        self._relay = Relay()
        # A method of an object of the GUI thread: emitted from the check's thread, queued.
        self._relay.damaged.connect(self._relay.deliver)
        self._thread: Any = None

    def start(self, path: Path) -> None:
        import threading

        from fiche_desktop.packs import check_integrity

        def run() -> None:
            message = check_integrity(path)
            if message:
                self._relay.damaged.emit(message, path)

        self._thread = threading.Thread(target=run, name="integrity-check", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Waits for a check still running (bounded by the check's own deadline)."""
        if self._thread is not None:
            self._thread.join()


def _after_first_paint(window: Any, then: Callable[[], None]) -> Callable[[], None]:
    """Runs then() once, right after window's first paint (or after a second, if it never
    paints); returns what cancels it if it has not run yet."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    done = False

    def once() -> None:
        nonlocal done
        if not done:
            done = True
            then()

    def cancel() -> None:
        nonlocal done
        done = True

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                QTimer.singleShot(0, once)
            return False

    window._first_paint = FirstPaint(window)
    window.installEventFilter(window._first_paint)
    QTimer.singleShot(1000, once)
    return cancel


def run_kiosk(args: argparse.Namespace) -> int:
    """The waiting-room kiosk; 0 when the admin quits, 1 on any failure (the supervisor restarts it)."""
    from fiche_desktop.kiosk import session

    session.setup_logging()
    cfg = session.load_config(getattr(args, "config", None))
    if getattr(args, "falc", False):
        cfg.text_version = TextVersion.FALC.value
    app = make_application()
    try:
        # A kiosk trusts only the content installed for all users, never a user's own pack.
        db, _warnings = open_content(args.db, system_only=True)
    except DatabaseError as e:
        _log().error("%s", e)
        show_fatal_error(f"{e}\n\nRéinstallez l’application ou contactez votre service informatique.", 60_000)
        return ExitCode.ERROR
    clean = True
    try:
        session.check_fiches(cfg, db.slugs())
        start = getattr(args, "fiche", None)
        if start and (db.fiche(start) is None or (cfg.fiches and start not in cfg.fiches)):
            from fiche_desktop.files import clip

            _log().error(
                "Fiche inconnue : « %s ». Fiches disponibles : %s", clip(start), ", ".join(cfg.fiches or db.slugs())
            )
            return ExitCode.ERROR
        from PySide6.QtCore import QCoreApplication, QEvent

        from fiche_desktop.views.kiosk_window import KioskWindow

        window = KioskWindow(db, cfg)
        window.exit_requested.connect(app.exit)
        # Only the admin's exit ends the kiosk: never a window that another program hid or closed.
        app.setQuitOnLastWindowClosed(False)
        if start:
            window.start_idle = False
        window.show_kiosk()
        if start:
            window.open_fiche(start)
        _log().info(
            "Kiosque démarré (contenu %s, inactivité : %s s, avertissement : %s s, impression : %s)",
            db.meta.content_version,
            cfg.idle_timeout_seconds,
            cfg.warning_seconds,
            "oui" if cfg.printing else "non",
        )
        with CrashGuard(app, fatal=True) as guard:
            status = int(app.exec())
        status = ExitCode.ERROR if guard.crashed and status == ExitCode.OK else status
        clean = window.shutdown()
        window.close()
        if clean:
            # Gone now, not at the next event loop: nothing of the kiosk outlives run_kiosk().
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        _log().info("Kiosque arrêté (code %d)", status)
    finally:
        db.close()
    if not clean:
        # WORKAROUND: a speech-dispatcher that wedges keeps the speech thread inside a Qt
        # call; letting Python tear that thread down aborts the process. Leave right away
        # with the status the supervisor expects.
        import logging

        logging.shutdown()
        os._exit(status)
    return status


# The smoke test renders every fiche when there are at most this many; beyond, the overview's
# structures and a sample spread over the base (every fiche is still read and checked).
SMOKE_RENDER_ALL_UP_TO = 60
SMOKE_SAMPLE = 40


def smoke_sample(slugs: list[str], keep: set[str]) -> list[str]:
    """The fiches the smoke test opens in the window: all of a small base; else those of keep
    and an even spread of the rest."""
    if len(slugs) <= SMOKE_RENDER_ALL_UP_TO:
        return list(slugs)
    step = max(1, len(slugs) // SMOKE_SAMPLE)
    return [s for i, s in enumerate(slugs) if s in keep or i % step == 0]


def smoke_test(args: argparse.Namespace) -> int:
    """Reads every fiche, opens fiches in both versions and the comparison, searches, exports a PDF.

    Prints one line per step; on failure, names the failing step on stderr and exits 1.
    """
    import tempfile

    step = "démarrage"
    try:
        step = "création de l'application"
        app = make_application(offscreen_without_display=True)
        step = "traductions françaises de Qt"
        if not install_french_translations(app):
            raise RuntimeError("catalogue qtbase_fr introuvable")
        step = "ouverture de la base de contenu"
        db, _warnings = open_content(args.db)
        slugs = db.slugs()
        step = "lecture de toutes les fiches"
        for slug in slugs:
            if db.fiche(slug) is None:
                raise RuntimeError(f"fiche {slug} illisible")
        from fiche_desktop.views.main_window import MainWindow

        step = "fenêtre principale"
        window = MainWindow(db, config.Settings(), save_settings=lambda s: None)
        window.show()
        grouped = {m for g in db.groups() for m in g.members}
        shown = smoke_sample(slugs, grouped)
        for version in (TextVersion.STANDARD, TextVersion.FALC):
            window.set_version(version)
            for slug in shown:
                step = f"fiche {slug} ({version.value})"
                if not window.open_fiche(slug) or not window.fiche_view.text().strip():
                    raise RuntimeError("fiche vide ou introuvable")
            step = f"comparaison ({version.value})"
            window.open_compare()
            if window.compare_view.model.rowCount() < 3:
                raise RuntimeError("comparaison incomplète")
        step = "recherche"
        from fiche_desktop.search import search

        if not search(db, "maison de santé"):
            raise RuntimeError("aucun résultat pour « maison de santé »")
        step = "export PDF"
        from fiche_desktop import printing

        with tempfile.TemporaryDirectory(prefix="fiche-desktop-smoke-") as tmp:
            pdf = Path(tmp) / "smoke.pdf"
            printing.export_fiches_pdf(db, slugs[:3], TextVersion.FALC, pdf)
            data = pdf.read_bytes()
            if not data.startswith(b"%PDF") or b"%%EOF" not in data[-2048:] or len(data) < 2000:
                raise RuntimeError("PDF invalide")
        step = "impression (pages SVG)"
        from PySide6.QtPrintSupport import QPrinter

        from fiche_desktop.gui import paper

        with tempfile.TemporaryDirectory(prefix="fiche-desktop-smoke-") as tmp:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(Path(tmp) / "printed.pdf"))
            document = printing.fiches_document(db, ["msp"], TextVersion.FALC)
            if paper.print_document(document, printer) != document.page_count:
                raise RuntimeError("pages imprimées incomplètes")
        window.close()
        app.processEvents()
    except Exception as e:  # the failing step is what matters to the installer  # noqa: BLE001
        print(f"Échec du test de fonctionnement à l'étape « {step} » : {e}", file=sys.stderr)
        return ExitCode.ERROR
    print(
        f"Test de fonctionnement réussi : {len(slugs)} fiches lues, {len(shown)} affichées × 2 versions, "
        f"comparaison, recherche, PDF (contenu {db.meta.content_version})."
    )
    return ExitCode.OK


# --- Entry point --------------------------------------------------------------------------


def _no_arguments() -> SimpleNamespace:
    """The arguments of a plain `fiche-desktop` (the desktop entry), without parsing anything."""
    return SimpleNamespace(
        command=None, fiche=None, falc=False, db=None, smoke_test=False, kiosk=False, config=None, first_start=True
    )


def _run(argv: list[str]) -> int:
    if not argv:  # the common start: skip argparse, which costs start-up time
        return run_gui(_no_arguments())  # type: ignore[arg-type]
    from fiche_desktop import cli

    try:
        args = cli.parse_args(argv)
    except cli.UsageError as e:
        print(f"fiche-desktop : {e} (voir fiche-desktop --help)", file=sys.stderr)
        return ExitCode.USAGE
    except SystemExit as e:  # --help / --version
        return int(e.code or 0)
    status = cli.run(args)
    if status is not None:
        return status
    if args.smoke_test:
        return smoke_test(args)
    if args.kiosk:
        return run_kiosk(args)
    return run_gui(args)


def _never_fail_on_text() -> None:
    """What the standard streams' encoding cannot hold is replaced, never fatal: on Windows a pipe
    or a file gets the ANSI code page (cp1252), without Arabic-Indic digits among others (a console
    gets Unicode, as a Linux terminal does). A PIN read so is refused as not made of digits."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(errors="replace")
        elif reconfigure is not None and stream is not sys.stdin:
            # A file name that is not UTF-8 (surrogate-escaped by Python) is written back as
            # its own bytes, never an UnicodeEncodeError.
            reconfigure(errors="surrogateescape")


def main(argv: Sequence[str] | None = None) -> int:
    """Runs fiche-desktop with argv (sys.argv[1:] by default); returns the exit status.

    The last resort: no traceback reaches a user; an unexpected error is logged and named in
    one French line.
    """
    _never_fail_on_text()
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--speech-worker"]:  # the frozen app as its own speech engine (gui.speech)
        from fiche_desktop.gui import speech_child

        return speech_child.main(args[1:])
    try:
        status = _run(args)
        console.flush_output()
        return status
    except (DatabaseError, paths.MissingFileError) as e:
        print(str(e), file=sys.stderr)
        return ExitCode.ERROR
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # `fiche-desktop search … | head`: the reader has gone
        console.silence_output()
        return ExitCode.ERROR
    except OSError as e:  # every system error in French, with its path
        return console.os_error(e)
    except Exception as e:  # the last resort, by design  # noqa: BLE001
        import traceback

        where = _write_log(traceback.format_exc())
        print(f"Erreur inattendue : {e.__class__.__name__}. Détails dans {where}", file=sys.stderr)
        return ExitCode.ERROR
