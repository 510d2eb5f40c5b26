"""The speech engine's own process: QTextToSpeech, driven by JSON lines on its standard input.

The window never calls the engine: a speech-dispatcher that wedges blocks this process alone
(gui.speech kills it at its deadline), never the window's event loop, its watchdog or its idle
reset. Run as `python -m fiche_desktop.gui.speech_child ENGINE` (the frozen app:
`fiche-desktop --speech-worker ENGINE`).

In (one JSON object a line): {"id": n, "say": text} or {"id": n, "stop": true}; end of input: quit.
Out (one line each, tab-separated): `ready`, or `unavailable<TAB>reason` (French), once;
`done<TAB>n` once command n has returned from the engine; `speaking<TAB>1` / `speaking<TAB>0`.
"""

from __future__ import annotations

import json
import sys
import threading


def _out(*fields: str) -> None:
    sys.stdout.write("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    engine = args[0] if args else ""
    from PySide6.QtCore import QCoreApplication, QLocale, QLoggingCategory, QObject, Signal

    # QtMultimedia (loaded by QtTextToSpeech) reports every optional library it does not find
    # (PipeWire, VA-API...), from its loading on: noise for the journal.
    QLoggingCategory.setFilterRules("qt.multimedia*=false")
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as e:  # absent, or present without its system libraries (libpulse.so.0)
        _out("unavailable", f"module QtTextToSpeech inutilisable ({e})")
        return 0
    app = QCoreApplication([sys.argv[0] or "fiche-desktop-speech"])
    try:
        engines = QTextToSpeech.availableEngines()
        if not engines or (engine and engine not in engines):
            _out("unavailable", f"aucun moteur de synthèse vocale ({', '.join(engines) or 'aucun'})")
            return 0
        tts = QTextToSpeech(engine) if engine else QTextToSpeech()
        if tts.state() == QTextToSpeech.State.Error:
            _out("unavailable", f"moteur en erreur : {tts.errorString()}")
            return 0
        french = [loc for loc in tts.availableLocales() if loc.language() == QLocale.Language.French]
        if french:
            tts.setLocale(french[0])
        elif engine != "mock":
            _out("unavailable", "pas de voix française installée")
            return 0
    except Exception as e:  # noqa: BLE001 - an optional feature: said, never a traceback
        _out("unavailable", f"{e.__class__.__name__}: {e}")
        return 0

    class Commands(QObject):
        received = Signal(str)

    commands = Commands()

    def run(line: str) -> None:
        try:
            command = json.loads(line)
            number = str(int(command["id"]))
        except (ValueError, KeyError, TypeError):
            return
        if isinstance(command.get("say"), str):
            tts.say(command["say"])
        elif command.get("stop"):
            tts.stop()
        _out("done", number)

    def read() -> None:  # blocking reads, off the engine's thread
        for line in sys.stdin:
            commands.received.emit(line)
        commands.received.emit("")

    commands.received.connect(lambda line: run(line) if line else app.quit())
    tts.stateChanged.connect(lambda state: _out("speaking", "1" if state == QTextToSpeech.State.Speaking else "0"))
    threading.Thread(target=read, name="stdin", daemon=True).start()
    _out("ready")
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
