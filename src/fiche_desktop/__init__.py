"""Fiche Desktop: offline reference fiches on French coordinated primary care."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fiche-desktop")
except PackageNotFoundError:  # frozen build without metadata
    __version__ = "0.1.0"
