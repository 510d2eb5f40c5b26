"""Fiche Desktop: offline reference fiches on French coordinated primary care."""

# The one version source: pyproject.toml reads it (hatchling: [tool.hatch.version]).
__version__ = "0.1.0"
