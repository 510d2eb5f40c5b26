"""Kiosk rules without Qt: what a visitor's session holds, zoom steps, the pages printed today, the log.

The admin PIN (its rules, hash, file and guard) is in kiosk/pin.py."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from typing import Any

from fiche_desktop import config, paths
from fiche_desktop.content import TextVersion

log = logging.getLogger("fiche_desktop.kiosk")

# Text sizes the A- / A+ buttons step through, in percent of the configured font scale.
ZOOM_STEPS = (80, 100, 120, 140, 170, 200)
ZOOM_DEFAULT = 100

# While reading aloud, the idle countdown waits, but never longer than this.
MAX_LISTENING_MS = 10 * 60 * 1000

# The hidden admin gesture: this many taps within this delay in the top-left corner.
ADMIN_TAPS, ADMIN_TAP_WINDOW_MS, ADMIN_CORNER_PX = 5, 3000, 120


@dataclass
class Session:
    """Everything one visitor changes; a reset replaces it with a fresh one."""

    version: TextVersion
    zoom: int = ZOOM_DEFAULT
    pages_printed: int = 0
    fiches_opened: int = 0


def new_session(cfg: config.KioskConfig) -> Session:
    return Session(version=TextVersion(cfg.text_version))


def monotonic_ms() -> float:
    return time.monotonic() * 1000


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a message comes (it may be replaced meanwhile)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def setup_logging() -> None:
    """Kiosk messages go to stderr (the journal under systemd), or to a file when there is none."""
    root = logging.getLogger("fiche_desktop")
    if getattr(root, "_kiosk_handler", False):
        return
    if sys.stderr is not None:
        handler: logging.Handler = _StderrHandler()
    else:  # pythonw on Windows has no stderr
        log_file = paths.data_dir() / "fiche-desktop-kiosk.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(
        logging.Formatter("fiche-desktop kiosque %(asctime)s %(levelname)s : %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root._kiosk_handler = True  # type: ignore[attr-defined]


def load_config(path: Any) -> config.KioskConfig:
    """The kiosk configuration; every problem is logged (the journal under systemd) and
    replaced by a safe default. The problems stay in cfg.warnings, for the administrator."""
    cfg, _warnings = config.load_kiosk_config(path)
    _distrust_admin_files(cfg, config.kiosk_config_path(path))
    if not cfg.admin_pin_hash:
        cfg.warnings.append(
            "pas de code administrateur (ni admin_pin_hash ni fichier kiosk-pin valable) : la sortie "
            "administrateur est impossible ; créez-le avec « fiche-desktop kiosk-pin »"
        )
    for warning in cfg.warnings:
        log.warning("Configuration : %s", warning)
    return cfg


def _distrust_admin_files(cfg: config.KioskConfig, config_path: Any) -> None:
    """No admin PIN (the kiosk stays locked, no exit) when kiosk.toml or the PIN file could have
    been changed by the kiosk's own account (kiosk.trust); the journal says which and why."""
    from fiche_desktop.kiosk.pin import pin_path
    from fiche_desktop.kiosk.trust import admin_file_problem

    for file in (config_path, pin_path(config_path)):
        problem = admin_file_problem(file)
        if problem:
            log.error(
                "Fichier d’administration refusé (%s) : pas de code administrateur, le kiosque reste verrouillé "
                "sans sortie. Corrigez : sudo chown root:root %s && sudo chmod go-w %s (et son dossier)",
                problem,
                file,
                file,
            )
            cfg.warnings.append(f"{problem} : code administrateur ignoré")
            cfg.admin_pin_hash = ""


def check_fiches(cfg: config.KioskConfig, known_slugs: list[str]) -> None:
    """Drops (with a warning) the fiches of cfg.fiches that the content does not have."""
    known = set(known_slugs)
    unknown = [slug for slug in cfg.fiches if slug not in known]
    if unknown:
        log.warning("Configuration : fiches inconnues ignorées : %s", ", ".join(unknown))
        cfg.fiches = [slug for slug in cfg.fiches if slug in known]
