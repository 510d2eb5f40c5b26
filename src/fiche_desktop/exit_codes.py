"""The exit statuses of fiche-desktop, for every mode and command, defined once. No Qt."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What the process returns; scripts, installers and the kiosk's supervisor read it."""

    OK = 0  # done (the kiosk: the administrator left with the right PIN)
    ERROR = 1  # one French line on stderr says why (the kiosk: the supervisor restarts it)
    USAGE = 2  # arguments that cannot be used, as argparse's own status
    INTERRUPTED = 130  # Ctrl+C: 128 + SIGINT, as a shell reports it
