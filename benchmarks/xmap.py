"""Time from a process's start to its first top-level window mapped on an X server.

The same measure for any program (a bare PySide6 window, Fiche Desktop, Zeal, Kiwix), taken
from the X server's side: libX11 through ctypes, no extra package. Without a window manager,
a top-level window is a child of the root window, so the root's SubstructureNotify events
report its MapNotify.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import subprocess
import time

MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
MIN_SIDE = 200  # a main window, not a tooltip or a helper window


class _XMapEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("event", ctypes.c_ulong),
        ("window", ctypes.c_ulong),
        ("override_redirect", ctypes.c_int),
    ]


class _XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xmap", _XMapEvent), ("pad", ctypes.c_long * 24)]


class _XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("rest", ctypes.c_char * 256),
    ]


def _xlib() -> ctypes.CDLL:
    name = ctypes.util.find_library("X11")
    if not name:
        raise RuntimeError("libX11 introuvable")
    lib = ctypes.CDLL(name)
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    lib.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
    lib.XConnectionNumber.argtypes = [ctypes.c_void_p]
    lib.XPending.argtypes = [ctypes.c_void_p]
    lib.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(_XEvent)]
    lib.XFlush.argtypes = [ctypes.c_void_p]
    lib.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XWindowAttributes)]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return lib


def time_to_map(cmd: list[str], env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from starting cmd to the MapNotify of its first window of at least MIN_SIDE px.

    The process is terminated afterwards."""
    lib = _xlib()
    display = lib.XOpenDisplay(env.get("DISPLAY", os.environ.get("DISPLAY", "")).encode())
    if not display:
        raise RuntimeError("serveur X injoignable")
    try:
        lib.XSelectInput(display, lib.XDefaultRootWindow(display), SUBSTRUCTURE_NOTIFY_MASK)
        lib.XFlush(display)
        fd = lib.XConnectionNumber(display)
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            event = _XEvent()
            attrs = _XWindowAttributes()
            while True:
                left = timeout - (time.perf_counter() - t0)
                if left <= 0:
                    raise TimeoutError(f"aucune fenêtre après {timeout:.0f} s : {cmd[0]}")
                if not lib.XPending(display):
                    select.select([fd], [], [], min(left, 0.5))
                    continue
                lib.XNextEvent(display, ctypes.byref(event))
                if event.type != MAP_NOTIFY or event.xmap.override_redirect:
                    continue
                elapsed = time.perf_counter() - t0
                if (
                    lib.XGetWindowAttributes(display, event.xmap.window, ctypes.byref(attrs))
                    and min(attrs.width, attrs.height) >= MIN_SIDE
                ):
                    return elapsed
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        lib.XCloseDisplay(display)
