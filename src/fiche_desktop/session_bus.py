"""Is the D-Bus session bus answering? Qt connects to it when the first window is built (the
screen reader's bus, the desktop's settings) and waits without end for a bus that is frozen: a
start would hang. Asked once before the QApplication, with a short deadline; no Qt here."""

from __future__ import annotations

import os
import socket

DEADLINE_S = 0.5


def _socket_address(address: str) -> str | None:
    """The first unix socket of a D-Bus address list (path or abstract), or None."""
    for entry in address.split(";"):
        kind, _, params = entry.partition(":")
        if kind != "unix":
            continue
        values = dict(p.partition("=")[::2] for p in params.split(",") if "=" in p)
        if "path" in values:
            return values["path"]
        if "abstract" in values:
            return "\0" + values["abstract"]
    return None


def frozen(address: str, deadline: float = DEADLINE_S) -> bool:
    """True when a bus at address accepts the connection but says nothing to the first step of
    its handshake within deadline seconds. A bus that is gone (refused, missing) is not frozen:
    Qt gives up on it at once."""
    where = _socket_address(address)
    if where is None or not hasattr(socket, "AF_UNIX"):
        return False
    uid = str(os.getuid() if hasattr(os, "getuid") else 0).encode().hex()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(deadline)
            s.connect(where)
            s.sendall(b"\0AUTH EXTERNAL " + uid.encode() + b"\r\n")
            return not s.recv(64)  # « OK … » or « REJECTED … »: alive; closed: gone
    except TimeoutError:
        return True
    except OSError:
        return False


def leave_a_frozen_bus(environ: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    """Removes DBUS_SESSION_BUS_ADDRESS from environ when that bus is frozen (Qt then starts
    without it: no screen reader could be reached through it anyway); returns why, for the log."""
    address = environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not address or not frozen(address):
        return None
    del environ["DBUS_SESSION_BUS_ADDRESS"]
    return f"bus de session D-Bus muet ({address[:80]}) : démarrage sans lui, donc sans lecteur d’écran"
