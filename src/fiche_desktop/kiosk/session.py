"""Kiosk rules without Qt: what a visitor's session holds, zoom steps, the PIN guard, the log."""

from __future__ import annotations

import logging
import re
import sys
import time
from dataclasses import dataclass
from typing import Any

from fiche_desktop import config, paths
from fiche_desktop.content import TextVersion

log = logging.getLogger("fiche_desktop.kiosk")

EXIT_OK, EXIT_ERROR = 0, 1

PIN_MIN_DIGITS, PIN_MAX_DIGITS = 4, 12
PIN_RE = re.compile(rf"[0-9]{{{PIN_MIN_DIGITS},{PIN_MAX_DIGITS}}}")
# Among the most used PINs, beyond the repeated digits and sequences that trivial_pin finds.
COMMON_PINS = frozenset(
    {
        "1004",
        "2000",
        "2580",
        "0852",
        "1379",
        "1397",
        "2468",
        "1357",
        "13579",
        "24680",
        "147258",
        "159753",
        "789456",
        "147852",
        "753951",
        "102030",
        "131313",
        "696969",
        "007007",
        "112358",
        "314159",
        "1998",
        "1999",
        "2001",
        "2020",
    }
)


def trivial_pin(pin: str) -> bool:
    """A PIN anyone would try first: one digit repeated (0000), a run up or down (1234, 9876,
    7890), a short block repeated (1212, 123123) or a well-known one (2580, 147258)."""
    if len(set(pin)) == 1 or pin in COMMON_PINS:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({1}, {9}):
        return True
    return any(len(pin) % n == 0 and pin == pin[:n] * (len(pin) // n) for n in range(1, len(pin) // 2 + 1))


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


class PinGuard:
    """Checks the admin PIN against its salted hash; each wrong PIN doubles the wait before
    the next try. The count of failures survives session resets (only a right PIN clears it)."""

    def __init__(self, pin_hash: str, base_delay_ms: int = 1000, max_delay_ms: int = 300_000) -> None:
        self.pin_hash = pin_hash
        self.base_delay_ms = base_delay_ms
        self.max_delay_ms = max_delay_ms
        self.failures = 0

    @property
    def enabled(self) -> bool:
        return bool(self.pin_hash)

    def check(self, pin: str) -> bool:
        ok = self.enabled and config.verify_pin(pin, self.pin_hash)
        self.failures = 0 if ok else self.failures + 1
        if not ok:
            log.warning("Code administrateur incorrect (%d essai(s) manqué(s))", self.failures)
        return ok

    def delay_ms(self) -> int:
        """How long the keypad stays locked after the last wrong PIN."""
        if not self.failures:
            return 0
        return int(min(self.max_delay_ms, self.base_delay_ms * 2 ** min(self.failures - 1, 30)))


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
    if not cfg.admin_pin_hash:
        cfg.warnings.append(
            "pas de code administrateur (ni admin_pin_hash ni fichier kiosk-pin valable) : la sortie "
            "administrateur est impossible ; créez-le avec « fiche-desktop kiosk-pin »"
        )
    for warning in cfg.warnings:
        log.warning("Configuration : %s", warning)
    return cfg


def check_fiches(cfg: config.KioskConfig, known_slugs: list[str]) -> None:
    """Drops (with a warning) the fiches of cfg.fiches that the content does not have."""
    known = set(known_slugs)
    unknown = [slug for slug in cfg.fiches if slug not in known]
    if unknown:
        log.warning("Configuration : fiches inconnues ignorées : %s", ", ".join(unknown))
        cfg.fiches = [slug for slug in cfg.fiches if slug in known]
