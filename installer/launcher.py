"""Entry point of the frozen application (PyInstaller)."""

import sys

from fiche_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
