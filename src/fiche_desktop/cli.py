"""The command line without Qt: French arguments, and the commands that need no window
(search, export, import-pack, rollback, make-pack, kiosk-pin). app.py runs the windows."""

from __future__ import annotations

import argparse
import getpass
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from fiche_desktop import __version__
from fiche_desktop.exit_codes import ExitCode

# argparse's own messages, in French: Python ships no French catalogue for its gettext domain
# « argparse », so its msgids are translated here (argparse looks up its module's _ and ngettext
# when it speaks). A message missing here stays English: tests/unit/test_hostile_cli.py checks
# every message argparse can give a user.
_ARGPARSE_FR: dict[str, str] = {
    "usage: ": "utilisation : ",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "commande inconnue %(parser_name)r (choix : %(choices)s)",
    'argument "-" with mode %r': "argument « - » en mode %r",
    "can't open '%(filename)s': %(error)s": "impossible d’ouvrir « %(filename)s » : %(error)s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "not allowed with argument %s": "ne peut pas être utilisé avec %s",
    "ignored explicit argument %r": "cette option n’attend pas de valeur : %r",
    "one of the arguments %s is required": "une de ces options est obligatoire : %s",
    "the following arguments are required: %s": "argument obligatoire manquant : %s",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "%r is not callable": "%r n’est pas appelable",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choisir parmi %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "positional arguments": "arguments ",
    "options": "options ",
    "show program's version number and exit": "affiche la version et quitte",
    "show this help message and exit": "affiche cette aide et quitte",
}


def _french(message: str) -> str:
    return _ARGPARSE_FR.get(message, message)


def _french_plural(singular: str, plural: str, n: int) -> str:
    return _french(singular if n == 1 else plural)


def _speak_french() -> None:
    """argparse's messages from the French catalogue above (its gettext domain has none)."""
    argparse._ = _french  # type: ignore[attr-defined]
    argparse.ngettext = _french_plural  # type: ignore[attr-defined]


# Global options, and the commands each one applies to ("" : the window, without a command).
GLOBAL_OPTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "db": ("--db", ("", "search", "export", "print")),
    "falc": ("--falc", ("", "search", "export", "print")),
    "fiche": ("--fiche", ("",)),
    "smoke_test": ("--smoke-test", ("",)),
    "kiosk": ("--kiosk", ("",)),
    "config": ("--config", ("",)),
}


class UsageError(Exception):
    """Arguments that cannot be used; the message is French."""


class _Formatter(argparse.HelpFormatter):
    """French headings for argparse's help ("usage:" becomes "utilisation :")."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="utilisation : " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        # argparse writes "title:"; French typography puts a space before the colon.
        self._positionals.title = "arguments "
        self._optionals.title = "options "
        self.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")

    def error(self, message: str) -> NoReturn:
        from fiche_desktop.files import clip

        # Every value echoed cut to 80 characters (a 3 MB argument is not printed back).
        raise UsageError(re.sub(r"\S{81,}", lambda m: clip(m.group()), message))


def build_parser() -> argparse.ArgumentParser:
    _speak_french()
    parser = _Parser(
        prog="fiche-desktop",
        description="Fiches de référence hors ligne : dispositifs de soins primaires et de "
        "coordination, en version standard et en version FALC.",
        epilog="Sans commande, ouvre la fenêtre principale.",
    )
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
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser, title="commandes ")
    p_search = sub.add_parser("search", help="cherche dans les fiches et affiche les résultats")
    p_search.add_argument("query", metavar="TEXTE", help="le texte à chercher")
    p_search.add_argument("--falc", action="store_true", help="extraits de la version FALC", default=argparse.SUPPRESS)
    p_search.add_argument("--json", action="store_true", help="sortie JSON")
    p_search.add_argument(
        "--db", metavar="CHEMIN", type=Path, help="utilise cette base de contenu", default=argparse.SUPPRESS
    )
    p_export = sub.add_parser("export", help="exporte des fiches (ou une comparaison) en PDF")
    p_export.add_argument("slugs", metavar="SLUG", nargs="*", help="les fiches à exporter")
    p_export.add_argument("--all", action="store_true", help="le livret complet")
    p_export.add_argument("--compare", metavar="SLUGS", help="comparaison, ex. : esp,msp,cds")
    p_export.add_argument("--falc", action="store_true", help="version FALC (facile à lire)", default=argparse.SUPPRESS)
    p_export.add_argument(
        "-o", "--output", metavar="FICHIER.pdf", type=Path, required=True, help="le fichier PDF à écrire"
    )
    p_export.add_argument(
        "--db", metavar="CHEMIN", type=Path, help="utilise cette base de contenu", default=argparse.SUPPRESS
    )
    p_print = sub.add_parser("print", help="imprime des fiches (ou le livret) sur une imprimante (CUPS)")
    p_print.add_argument("slugs", metavar="SLUG", nargs="*", help="les fiches à imprimer")
    p_print.add_argument("--all", action="store_true", help="le livret complet")
    p_print.add_argument(
        "--falc",
        action="store_true",
        help="version FALC (facile à lire), pour le patient",
        default=argparse.SUPPRESS,
    )
    p_print.add_argument("--printer", metavar="NOM", help="l'imprimante (par défaut : celle du système)")
    p_print.add_argument("--copies", metavar="N", type=int, default=1, help="nombre d'exemplaires (1 à 99)")
    p_print.add_argument(
        "--db", metavar="CHEMIN", type=Path, help="utilise cette base de contenu", default=argparse.SUPPRESS
    )
    p_import = sub.add_parser("import-pack", help="installe un paquet de contenu plus récent")
    p_import.add_argument("pack", metavar="FICHIER", type=Path, help="le paquet (.zip)")
    p_import.add_argument("--force", action="store_true", help="accepte un contenu plus ancien")
    p_import.add_argument(
        "--system", action="store_true", help="installe pour tous les utilisateurs (/var/lib/fiche-desktop)"
    )
    p_back = sub.add_parser("rollback", help="revient au contenu précédent")
    p_back.add_argument("--system", action="store_true", help="le contenu installé pour tous")
    p_make = sub.add_parser("make-pack", help="crée un paquet de contenu signé (minisign)")
    p_make.add_argument("database", metavar="DATA_DB", type=Path, help="la base de contenu (data.db)")
    p_make.add_argument(
        "-o", "--output", metavar="FICHIER", type=Path, required=True, help="le paquet .zip (ou manifest.json) à écrire"
    )
    p_make.add_argument(
        "--contacts", metavar="CONTACTS_TOML", type=Path, help="les contacts utiles à joindre au paquet (contacts.toml)"
    )
    how = p_make.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--key", metavar="CLÉ_SECRÈTE", type=Path, help="clé secrète minisign non chiffrée (créée par minisign -G -W)"
    )
    how.add_argument(
        "--manifest-only",
        action="store_true",
        help="écrit seulement manifest.json, à signer ensuite avec « minisign -S -m manifest.json »",
    )
    p_pin = sub.add_parser("kiosk-pin", help="crée le fichier du code administrateur du kiosque")
    p_pin.add_argument(
        "-o",
        "--output",
        metavar="FICHIER",
        help="le fichier à écrire (par défaut : kiosk-pin dans /etc/fiche-desktop, ou %%PROGRAMDATA%%\\FicheDesktop "
        "sous Windows) ; « - » affiche à la place la ligne admin_pin_hash pour kiosk.toml",
    )
    p_pin.add_argument(
        "--group",
        metavar="GROUPE",
        help="le groupe qui pourra lire le fichier : celui du compte du kiosque (ex. : kiosque)",
    )
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The parsed arguments; UsageError on bad ones (a global option given to a command it
    does not apply to included); SystemExit(0) after --help or --version."""
    args = build_parser().parse_args(list(argv))
    command = args.command or ""
    for name, (option, commands) in GLOBAL_OPTIONS.items():
        if getattr(args, name, None) not in (None, False) and command not in commands:
            where = f"la commande {command}" if command else "la fenêtre"
            raise UsageError(f"l’option {option} ne s’applique pas à {where}")
    return args


class ExportChoiceError(Exception):
    """An export command that asks for nothing sensible; the message is one line of French."""


@dataclass(frozen=True)
class ExportChoice:
    """What `fiche-desktop export` was asked for."""

    slugs: tuple[str, ...]  # the fiches; empty with booklet (every fiche)
    compare: tuple[str, ...]  # the structures to compare, or ()
    booklet: bool
    falc: bool
    output: Path


def export_choice(args: argparse.Namespace) -> ExportChoice:
    """Checks `export`'s arguments (exactly one of SLUG…, --all, --compare, and a file name)."""
    slugs = tuple(s.strip().lower() for s in args.slugs or [] if s.strip())
    if args.compare is not None and (slugs or args.all):
        raise ExportChoiceError("--compare ne se combine ni avec des fiches ni avec --all.")
    if args.compare is None and not slugs and not args.all:
        raise ExportChoiceError(
            "Indiquez au moins une fiche (ex. : msp), --all pour le livret complet, ou --compare esp,msp,cds."
        )
    if args.all and slugs:
        raise ExportChoiceError("Indiquez des fiches ou --all (le livret complet), pas les deux.")
    output = Path(args.output).expanduser()
    if str(args.output) in ("", "."):
        raise ExportChoiceError("Indiquez le fichier PDF à écrire.")
    if output.is_dir():
        raise ExportChoiceError(f"« {output} » est un dossier : indiquez un nom de fichier PDF.")
    from fiche_desktop.compare import parse_slugs

    compare = tuple(parse_slugs(args.compare)) if args.compare is not None else ()
    return ExportChoice(slugs, compare, bool(args.all), bool(args.falc), output)


def run(args: argparse.Namespace) -> int | None:
    """Runs a command that needs no Qt and returns its exit status; None for the others."""
    if args.command == "search":
        return cmd_search(args)
    if args.command == "import-pack":
        return cmd_import_pack(args)
    if args.command == "rollback":
        return cmd_rollback(args)
    if args.command == "kiosk-pin":
        return cmd_kiosk_pin(args)
    if args.command == "export":
        return cmd_export(args)
    if args.command == "make-pack":
        return cmd_make_pack(args)
    if args.command == "print":
        return cmd_print(args)
    return None


def cmd_export(args: argparse.Namespace) -> int:
    """export SLUG… | --all | --compare a,b,c [--falc] -o FILE.pdf: 0, or 1 and one French line.

    --falc with fiches: each fiche's FALC patient handout, one after the other; --all: the booklet.
    Typst sets the pages: no Qt, no display needed."""
    from fiche_desktop import config, contacts, printing
    from fiche_desktop.content import TextVersion
    from fiche_desktop.db import DatabaseError
    from fiche_desktop.packs import open_content

    try:
        choice = export_choice(args)
    except ExportChoiceError as e:
        print(str(e), file=sys.stderr)
        return ExitCode.ERROR
    version = TextVersion.FALC if choice.falc else TextVersion.STANDARD
    try:
        printing.check_output(choice.output)
        db, warnings = open_content(args.db)
        for warning in warnings:
            print(warning, file=sys.stderr)
        try:
            if choice.compare:
                pages = printing.export_comparison_pdf(db, list(choice.compare), version, choice.output)
            else:
                settings, setting_warnings = config.load_settings()
                for warning in [*setting_warnings, *contacts.current(db.path).warnings]:
                    print(warning, file=sys.stderr)
                slugs = list(choice.slugs) or db.slugs()
                pages = printing.export_fiches_pdf(
                    db, slugs, version, choice.output, booklet=choice.booklet, contact=settings.contact()
                )
        finally:
            db.close()
    except (printing.PrintError, DatabaseError) as e:
        print(" ".join(str(e).split()), file=sys.stderr)
        return ExitCode.ERROR
    print(f"PDF enregistré : {choice.output} ({pages} page{'s' if pages > 1 else ''})")
    return ExitCode.OK


def cmd_print(args: argparse.Namespace) -> int:
    """print SLUG… | --all [--falc] [--printer NOM] [--copies N]: the PDF that export writes, sent to a
    CUPS queue through the same code as the window; 0, or 1 and one French line (nothing printed)."""
    from fiche_desktop import config, printing
    from fiche_desktop.content import TextVersion
    from fiche_desktop.db import DatabaseError
    from fiche_desktop.packs import open_content

    slugs = [s.strip().lower() for s in args.slugs or [] if s.strip()]
    if bool(slugs) == bool(args.all):
        print("Indiquez des fiches à imprimer (ex. : msp) ou --all pour le livret complet.", file=sys.stderr)
        return ExitCode.ERROR
    version = TextVersion.FALC if args.falc else TextVersion.STANDARD
    try:
        db, warnings = open_content(args.db)
        for warning in warnings:
            print(warning, file=sys.stderr)
        try:
            settings, setting_warnings = config.load_settings()
            for warning in setting_warnings:
                print(warning, file=sys.stderr)
            document = printing.fiches_document(
                db, slugs or db.slugs(), version, booklet=args.all, contact=settings.contact()
            )
            job = printing.send_to_printer(document, printer=args.printer, copies=args.copies)
        finally:
            db.close()
    except (printing.PrintError, DatabaseError) as e:
        reason = " ".join(str(e).split())
        print(f"Impression impossible : {reason}", file=sys.stderr)
        return ExitCode.ERROR
    print(printing.printed_message(job))
    return ExitCode.OK


def print_utf8(text: str) -> None:
    """Prints text in UTF-8 whatever the output's encoding: JSON is UTF-8 (RFC 8259), while Windows
    gives a pipe or a file its ANSI code page (cp1252), which lacks most of Unicode."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()


def cmd_search(args: argparse.Namespace) -> int:
    from fiche_desktop.content import TextVersion
    from fiche_desktop.packs import open_content
    from fiche_desktop.search import search

    db, warnings = open_content(args.db)
    for warning in warnings:
        print(warning, file=sys.stderr)
    try:
        results = search(db, args.query, TextVersion.FALC if args.falc else TextVersion.STANDARD)
    finally:
        db.close()
    if args.json:
        rows = [
            {
                "slug": r.slug,
                "section": r.section,
                "kind": r.kind,
                "fiche": r.fiche_title,
                "section_title": r.section_title,
                "snippet": r.plain_snippet,
            }
            for r in results
        ]
        print_utf8(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not results:
        print("Aucun résultat")
    else:
        for r in results:
            where = f"{r.slug}#{r.section}" if r.section else r.slug
            title = f"{r.fiche_title}{' › ' + r.section_title if r.section_title else ''}"
            print(f"{where}\t{title}\t{r.plain_snippet}")
    return ExitCode.OK


def cmd_import_pack(args: argparse.Namespace) -> int:
    from fiche_desktop import paths
    from fiche_desktop.packs import PackError, candidates, import_pack

    try:
        installed = import_pack(args.pack, force=args.force, system=args.system)
    except PackError as e:
        print(str(e), file=sys.stderr)
        return ExitCode.ERROR
    who = "pour tous les utilisateurs" if args.system else "pour cet utilisateur"
    print(
        f"Contenu {installed.content_version} installé et activé {who} ({installed.fiches} fiches, "
        f"signé par la clé {installed.key_id}) : {installed.path}"
    )
    in_use = candidates(paths.bundled_db(), system_only=args.system)
    if in_use and in_use[0][0] != installed.path:
        print(f"Attention : un contenu plus récent reste utilisé ({in_use[0][1]}, {in_use[0][0]}).", file=sys.stderr)
    return ExitCode.OK


def cmd_make_pack(args: argparse.Namespace) -> int:
    from fiche_desktop.packs import PackError, make_pack, write_manifest

    try:
        if args.manifest_only:
            manifest = write_manifest(args.database, args.output)
        else:
            manifest = make_pack(args.database, args.output, args.key, args.contacts)
    except PackError as e:
        print(str(e), file=sys.stderr)
        return ExitCode.ERROR
    what = "Manifeste" if args.manifest_only else "Paquet signé"
    print(f"{what} écrit : {args.output} (contenu {manifest.content_version} du {manifest.content_date}).")
    if args.manifest_only:
        print(
            f"Signez-le avec « minisign -S -s VOTRE_CLÉ -m {args.output} », puis mettez manifest.json, "
            "manifest.json.minisig et data.db dans un zip.",
            file=sys.stderr,
        )
    return ExitCode.OK


def cmd_rollback(args: argparse.Namespace) -> int:
    from fiche_desktop.packs import PackError, rollback

    try:
        restored = rollback(system=args.system)
    except PackError as e:
        print(str(e), file=sys.stderr)
        return ExitCode.ERROR
    if restored.content_version:
        print(f"Contenu {restored.content_version} rétabli.")
    else:
        print("Contenu d’origine de l’application rétabli.")
    return ExitCode.OK


def cmd_kiosk_pin(args: argparse.Namespace) -> int:
    """Asks the admin PIN (twice on a terminal, once on stdin otherwise) and writes its salted
    hash to the kiosk's PIN file (0640, readable by --group), or prints the kiosk.toml line."""
    from fiche_desktop.kiosk import pin as admin_pin

    if sys.stdin is not None and sys.stdin.isatty():
        try:
            digits = (
                f"{admin_pin.PIN_MIN_DIGITS} à {admin_pin.PIN_MAX_DIGITS} chiffres, "
                f"{admin_pin.PIN_ADVISED_DIGITS} ou plus conseillés"
            )
            pin = getpass.getpass(f"Code administrateur du kiosque ({digits}) : ")
            again = getpass.getpass("Tapez-le une deuxième fois : ")
        except EOFError:
            print("fiche-desktop : aucun code saisi", file=sys.stderr)
            return ExitCode.ERROR
        if pin != again:
            print("fiche-desktop : les deux codes sont différents, rien n’a été créé", file=sys.stderr)
            return ExitCode.ERROR
    else:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        pin = line.strip()
    problem = admin_pin.new_pin_problem(pin)
    if problem:
        print(f"fiche-desktop : {problem}", file=sys.stderr)
        return ExitCode.ERROR
    if len(pin) < admin_pin.PIN_ADVISED_DIGITS:
        print(
            f"fiche-desktop : conseil : un code de {admin_pin.PIN_ADVISED_DIGITS} chiffres ou plus est bien plus sûr",
            file=sys.stderr,
        )
    hashed = admin_pin.hash_pin(pin)
    if args.output == "-":
        print(admin_pin.toml_line(hashed))
        return ExitCode.OK
    target = Path(args.output) if args.output else admin_pin.pin_path()
    try:
        admin_pin.write_pin_file(target, hashed, args.group, create_folder=not args.output)
    except admin_pin.PinFileError as e:
        print(f"fiche-desktop : {e}", file=sys.stderr)
        return ExitCode.ERROR
    group = f", lisible par le groupe {args.group}" if args.group else ""
    print(f"Code administrateur enregistré dans {target} (droits 0640{group}).")
    return ExitCode.OK
