"""How the command line ends when the system fails it: a closed pipe, a full disk, any OSError
named in French with its path. No Qt."""

from __future__ import annotations

import os
import sys

from fiche_desktop.exit_codes import ExitCode


def flush_output() -> None:
    """Flushes stdout now, inside main: a full disk or a closed pipe is then an error main
    reports, not Python's « Exception ignored » at exit."""
    if sys.stdout is not None:
        sys.stdout.flush()


def silence_output() -> None:
    """stdout pointed at the null device: what is still buffered is dropped at exit, quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass


def os_error(error: OSError) -> int:
    """One French line for an OSError that reached main; stdout's own failure (a full disk
    under `> fichier`) named as such."""
    from fiche_desktop import files

    reason = files.french_reason(error)
    if error.filename is None and sys.stdout is not None and _is_stdout_failure(error):
        silence_output()
        print(f"fiche-desktop : sortie standard : écriture impossible ({reason}).", file=sys.stderr)
        return ExitCode.ERROR
    if error.filename is None:
        print(f"fiche-desktop : erreur système : {reason}.", file=sys.stderr)
        return ExitCode.ERROR
    name = error.filename
    where = os.fsdecode(name) if isinstance(name, str | bytes | os.PathLike) else str(name)
    print(f"fiche-desktop : « {files.clip(where, 240)} » : {reason}.", file=sys.stderr)
    return ExitCode.ERROR


def _is_stdout_failure(error: OSError) -> bool:
    import errno

    return error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE)
