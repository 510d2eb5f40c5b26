"""Allows `python -m fiche_desktop`."""

import sys

from fiche_desktop.app import main

sys.exit(main())
