"""Allows `python -m fiche_desktop`; the installed `fiche-desktop` command calls app.main too."""

import sys

from fiche_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
