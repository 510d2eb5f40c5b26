"""main(argv) -> exit status: arguments, QApplication, wiring. The only module that knows every part."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from fiche_desktop import __version__, config, paths
from fiche_desktop.content import TextVersion
from fiche_desktop.db import ContentDB, DatabaseError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

_ARGPARSE_FR = [
    (r"unrecognized arguments: (.*)", r"arguments inconnus : \1"),
    (r"the following arguments are required: (.*)", r"argument obligatoire manquant : \1"),
    (r"argument (\S+): expected one argument", r"l'option \1 attend une valeur"),
    (r"argument (\S+): invalid choice: (.*)", r"choix invalide pour \1 : \2"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"valeur invalide pour \1 : \3"),
    (r"argument (\S+): not allowed with argument (\S+)", r"\1 ne peut pas être utilisé avec \2"),
]


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, french in _ARGPARSE_FR:
            message = re.sub(pattern, french, message)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fiche-desktop",
        description="Fiches de référence hors ligne : dispositifs de soins primaires et de "
        "coordination, en version standard et en version FALC.",
        epilog="Sans commande, ouvre la fenêtre principale.",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    parser.add_argument(
        "--version", action="version", version=f"fiche-desktop {__version__}", help="affiche la version et quitte"
    )
    parser.add_argument("--fiche", metavar="SLUG", help="ouvre cette fiche (ex. : msp)")
    parser.add_argument("--falc", action="store_true", help="version FALC (facile à lire)")
    parser.add_argument("--db", metavar="CHEMIN", type=Path, help="utilise cette base de contenu")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="vérifie l'installation sans utilisateur (fiches, comparaison, PDF) et quitte",
    )
    parser.add_argument("--kiosk", action="store_true", help="mode kiosque (salle d'attente)")
    parser.add_argument(
        "--config",
        metavar="FICHIER",
        type=Path,
        help="configuration du kiosque (par défaut : /etc/fiche-desktop/kiosk.toml)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser)
    p_search = sub.add_parser("search", help="cherche dans les fiches et affiche les résultats", add_help=False)
    p_search.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    p_search.add_argument("query", metavar="TEXTE", help="le texte à chercher")
    p_search.add_argument("--falc", action="store_true", help="extraits de la version FALC")
    p_search.add_argument("--json", action="store_true", help="sortie JSON")
    p_search.add_argument("--db", metavar="CHEMIN", type=Path, help="utilise cette base de contenu")
    p_export = sub.add_parser("export", help="exporte des fiches (ou une comparaison) en PDF", add_help=False)
    p_export.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    p_export.add_argument("slugs", metavar="SLUG", nargs="*", help="les fiches à exporter")
    p_export.add_argument("--all", action="store_true", help="le livret complet")
    p_export.add_argument("--compare", metavar="SLUGS", help="comparaison, ex. : esp,msp,cds")
    p_export.add_argument("--falc", action="store_true", help="version FALC (facile à lire)")
    p_export.add_argument(
        "-o", "--output", metavar="FICHIER.pdf", type=Path, required=True, help="le fichier PDF à écrire"
    )
    p_export.add_argument("--db", metavar="CHEMIN", type=Path, help="utilise cette base de contenu")
    p_import = sub.add_parser("import-pack", help="installe un paquet de contenu plus récent", add_help=False)
    p_import.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    p_import.add_argument("pack", metavar="FICHIER", type=Path, help="le paquet (.zip)")
    p_import.add_argument("--force", action="store_true", help="accepte un contenu plus ancien")
    p_import.add_argument(
        "--system", action="store_true", help="installe pour tous les utilisateurs (/var/lib/fiche-desktop)"
    )
    p_back = sub.add_parser("rollback", help="revient au contenu précédent", add_help=False)
    p_back.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    p_back.add_argument("--system", action="store_true", help="le contenu installé pour tous")
    p_pin = sub.add_parser("kiosk-pin", help="crée l'empreinte du code administrateur du kiosque", add_help=False)
    p_pin.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def resolve_db(explicit: Path | None) -> Path:
    """The content database to use: --db, else the newest of the installed packs and the bundled one."""
    if explicit is not None:
        return explicit
    from fiche_desktop.packs import resolve_database

    return resolve_database(paths.bundled_db())


def cmd_import_pack(args: argparse.Namespace) -> int:
    from fiche_desktop.packs import PackError, import_pack

    try:
        current = ContentDB(resolve_db(None))
        version = current.meta.content_version
        current.close()
    except DatabaseError:
        version = None
    try:
        installed = import_pack(args.pack, force=args.force, system=args.system, current_version=version)
    except PackError as e:
        print(str(e), file=sys.stderr)
        return EXIT_ERROR
    print(f"Contenu {installed.content_version} installé ({installed.path}).")
    return EXIT_OK


def cmd_rollback(args: argparse.Namespace) -> int:
    from fiche_desktop.packs import PackError, rollback

    try:
        restored = rollback(system=args.system)
    except PackError as e:
        print(str(e), file=sys.stderr)
        return EXIT_ERROR
    if restored.content_version:
        print(f"Contenu {restored.content_version} rétabli.")
    else:
        print("Contenu d’origine de l’application rétabli.")
    return EXIT_OK


def open_db(explicit: Path | None) -> ContentDB:
    return ContentDB(resolve_db(explicit))


def cmd_search(args: argparse.Namespace) -> int:
    from fiche_desktop.search import search

    db = open_db(args.db)
    try:
        results = search(db, args.query, TextVersion.FALC if args.falc else TextVersion.STANDARD)
    finally:
        db.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "slug": r.slug,
                        "section": r.section,
                        "kind": r.kind,
                        "fiche": r.fiche_title,
                        "section_title": r.section_title,
                        "snippet": r.plain_snippet,
                    }
                    for r in results
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not results:
        print("Aucun résultat")
    else:
        for r in results:
            where = f"{r.slug}#{r.section}" if r.section else r.slug
            print(f"{where}\t{r.fiche_title}{' › ' + r.section_title if r.section_title else ''}\t{r.plain_snippet}")
    return EXIT_OK


def show_fatal_error(message: str) -> None:
    """Shows message in a dialog (replaced in tests); stderr already has it."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, "Fiche Desktop", message)


def make_application(argv0: str = "fiche-desktop") -> object:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from fiche_desktop.fonts import register_fonts

    app = QApplication.instance() or QApplication([argv0])
    QGuiApplication.setApplicationName("Fiche Desktop")
    QGuiApplication.setApplicationDisplayName("Fiche Desktop")
    QGuiApplication.setDesktopFileName("fiche-desktop")
    from PySide6.QtGui import QIcon

    QGuiApplication.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "fiche-desktop.png")))
    register_fonts()
    return app


def run_gui(args: argparse.Namespace) -> int:
    from fiche_desktop.views.main_window import MainWindow

    app = make_application()
    try:
        db = open_db(args.db)
    except DatabaseError as e:
        print(str(e), file=sys.stderr)
        show_fatal_error(f"{e}\n\nRéinstallez l’application ou contactez votre service informatique.")
        return EXIT_ERROR
    if args.fiche and db.fiche(args.fiche) is None:
        message = f"Fiche inconnue : « {args.fiche} ». Fiches disponibles : {', '.join(db.slugs())}"
        print(message, file=sys.stderr)
        return EXIT_ERROR
    settings, warnings = config.load_settings()
    if args.falc:
        settings.text_version = TextVersion.FALC.value
    window = MainWindow(db, settings, warnings=warnings)
    if args.fiche:
        window.open_fiche(args.fiche)
    window.show()
    if os.environ.get("FICHE_DESKTOP_BENCH_EXIT_WHEN_SHOWN"):
        # Used by benchmarks/run.py to time start-up exactly like the bare-window baseline.
        from PySide6.QtCore import QTimer

        def shown() -> None:
            print("SHOWN", flush=True)
            window.close()

        QTimer.singleShot(0, shown)
    return int(app.exec())  # type: ignore[attr-defined]


def smoke_test(args: argparse.Namespace) -> int:
    """Opens every fiche in both versions and the comparison, exports and checks a PDF.

    Prints one line per step; on failure, names the failing step on stderr and exits 1.
    """
    import tempfile

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    step = "démarrage"
    try:
        step = "ouverture de la base de contenu"
        db = open_db(args.db)
        step = "création de l'application"
        app = make_application()
        from fiche_desktop.views.main_window import MainWindow

        step = "fenêtre principale"
        window = MainWindow(db, config.Settings(), save_settings=lambda s: None)
        window.show()
        slugs = db.slugs()
        for version in (TextVersion.STANDARD, TextVersion.FALC):
            window.set_version(version)
            for slug in slugs:
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

        from fiche_desktop.printing import paper

        with tempfile.TemporaryDirectory(prefix="fiche-desktop-smoke-") as tmp:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(Path(tmp) / "printed.pdf"))
            document = printing.fiches_document(db, ["msp"], TextVersion.FALC)
            if paper.print_document(document, printer) != document.page_count:
                raise RuntimeError("pages imprimées incomplètes")
        window.close()
        app.processEvents()  # type: ignore[attr-defined]
    except Exception as e:  # noqa: BLE001 - the step is what matters to the installer
        print(f"Échec du test de fonctionnement à l'étape « {step} » : {e}", file=sys.stderr)
        return EXIT_ERROR
    print(
        f"Test de fonctionnement réussi : {len(slugs)} fiches × 2 versions, comparaison, recherche, PDF "
        f"(contenu {db.meta.content_version})."
    )
    return EXIT_OK


def _log_file() -> Path:
    return paths.data_dir() / "fiche-desktop.log"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parse_args(argv)
    except UsageError as e:
        print(f"fiche-desktop : {e} (voir fiche-desktop --help)", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as e:  # --help / --version
        return int(e.code or 0)
    try:
        if args.command == "search":
            return cmd_search(args)
        if args.command == "import-pack":
            return cmd_import_pack(args)
        if args.command == "rollback":
            return cmd_rollback(args)
        if args.command == "kiosk-pin":
            from fiche_desktop.kiosk import cmd_kiosk_pin

            return cmd_kiosk_pin(args)
        if args.smoke_test:
            return smoke_test(args)
        if args.kiosk:
            from fiche_desktop.kiosk import run_kiosk

            return run_kiosk(args)
        if args.command == "export":
            from fiche_desktop.printing.command import cmd_export

            return cmd_export(args)
        return run_gui(args)
    except DatabaseError as e:
        print(str(e), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - last resort: no traceback reaches a user
        where = _log_file()
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            with where.open("a", encoding="utf-8") as f:
                f.write(traceback.format_exc())
        except OSError:
            where = Path(os.devnull)
        print(f"Erreur inattendue : {e.__class__.__name__}. Détails dans {where}", file=sys.stderr)
        return EXIT_ERROR
