"""`fiche-desktop export`: fiches, FALC handouts, the booklet or a comparison as PDF. No Qt.

The argument parsing stays with the command line (app.py); this is what the command does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fiche_desktop.content import TextVersion
from fiche_desktop.db import ContentDB, DatabaseError
from fiche_desktop.printing import PrintError, check_output, export_comparison_pdf, export_fiches_pdf
from fiche_desktop.printing.data import Contact


def saved_contact() -> Contact:
    """The practice's contact from the user's settings, or None."""
    from fiche_desktop import config

    settings, _warnings = config.load_settings()
    if not settings.has_contact():
        return None
    return settings.contact_name, settings.contact_address, settings.contact_phone


def cmd_export(args: argparse.Namespace) -> int:
    """export SLUG... [--all] [--compare a,b,c] [--falc] -o FILE.pdf: 0, or 1 and one French line on stderr.

    --falc with fiches: each fiche's FALC patient handout, one after the other; --all: the booklet."""
    from fiche_desktop.app import resolve_db
    from fiche_desktop.compare import parse_slugs

    version = TextVersion.FALC if args.falc else TextVersion.STANDARD
    slugs = [s.strip().lower() for s in args.slugs or [] if s.strip()]
    output = Path(args.output)
    try:
        if args.compare is not None and (slugs or args.all):
            raise PrintError("--compare ne se combine ni avec des fiches ni avec --all.")
        if args.compare is None and not slugs and not args.all:
            raise PrintError(
                "Indiquez au moins une fiche (ex. : msp), --all pour le livret complet, ou --compare esp,msp,cds."
            )
        if args.all and slugs:
            raise PrintError("Indiquez des fiches ou --all (le livret complet), pas les deux.")
        check_output(output)
        db = ContentDB(resolve_db(args.db))
        try:
            if args.compare is not None:
                pages = export_comparison_pdf(db, parse_slugs(args.compare), version, output)
            else:
                pages = export_fiches_pdf(
                    db, slugs or db.slugs(), version, output, booklet=bool(args.all), contact=saved_contact()
                )
        finally:
            db.close()
    except (PrintError, DatabaseError) as e:
        print(" ".join(str(e).split()), file=sys.stderr)
        return 1
    print(f"PDF enregistré : {output} ({pages} page{'s' if pages > 1 else ''})")
    return 0
