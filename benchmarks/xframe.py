"""Time from a process's start to its first frame on an X server, measured from outside.

The same measure for any program (a bare PySide6 window, Fiche Desktop, Zeal, Kiwix): the
clock starts just before the process is spawned and stops at the first grab of the screen in
which one of the program's top-level windows shows non-uniform pixels (a drawn frame, not a
blank or single-colour window). libX11 through ctypes, no extra package.

Without a window manager, a top-level window is a child of the root window, so the root's
SubstructureNotify events report its MapNotify; from then on the window's rectangle is grabbed
from the root window (XGetImage, ZPixmap, all planes) until it is not uniform. A grab is taken
at the map, at each change the X server reports in the window (the DAMAGE extension: nothing is
grabbed while the program draws nothing, so that a slow program is not slowed further by the
grabs) and, as a fallback, every FALLBACK_POLL seconds. The X server must paint its root in one
colour (Xvfb -br), or a window without a background would show the root's pattern. The grab is
the same for every program (the same rectangle for the same window size); its duration is
measured and reported.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import subprocess
import time
from typing import NamedTuple

MAP_NOTIFY = 19
DESTROY_NOTIFY = 17
UNMAP_NOTIFY = 18
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
Z_PIXMAP = 2
ALL_PLANES = 0xFFFFFFFF
MIN_SIDE = 200  # a main window, not a tooltip or a helper window
FALLBACK_POLL = 0.02  # seconds between grabs when the X server reports no change
DAMAGE_REPORT_NON_EMPTY = 3  # one DamageNotify until the damage is subtracted


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
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("rest", ctypes.c_char * 256),
    ]


class _XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.c_void_p),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
    ]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_ignore_errors = _ERROR_HANDLER(lambda display, error: 0)  # a window gone between two requests


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
    lib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XWindowAttributes)]
    lib.XGetImage.restype = ctypes.POINTER(_XImage)
    lib.XGetImage.argtypes = [
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_ulong,
        ctypes.c_int,
    ]
    lib.XDestroyImage.argtypes = [ctypes.POINTER(_XImage)]
    lib.XDisplayWidth.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.XSetErrorHandler.argtypes = [_ERROR_HANDLER]
    lib.XSetErrorHandler.restype = ctypes.c_void_p
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return lib


def _xdamage() -> ctypes.CDLL | None:
    """libXdamage, or None (the grabs then run every FALLBACK_POLL seconds only)."""
    name = ctypes.util.find_library("Xdamage")
    if not name:
        return None
    lib = ctypes.CDLL(name)
    lib.XDamageQueryExtension.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_int),
    ]
    lib.XDamageCreate.restype = ctypes.c_ulong
    lib.XDamageCreate.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int]
    lib.XDamageSubtract.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return lib


class Frame(NamedTuple):
    mapped: float  # seconds from the spawn to the MapNotify of the first main window
    painted: float  # seconds from the spawn to the first grab with non-uniform pixels
    grabs: int  # grabs taken between the two
    grab_seconds: float  # their total time (the poll interval is grab_seconds / grabs)


def _uniform(data: bytes, bytes_per_pixel: int) -> bool:
    """Every pixel the same (C speed: one comparison of the whole buffer)."""
    first = data[:bytes_per_pixel]
    return data == first * (len(data) // bytes_per_pixel)


def time_to_first_frame(
    cmd: list[str], env: dict[str, str], timeout: float = 30.0, stderr: object = subprocess.DEVNULL
) -> Frame:
    """Spawns cmd, returns when one of its main windows (at least MIN_SIDE px) first shows a
    non-uniform frame; the process is terminated afterwards. stderr: where its error output goes
    (an open file to read it)."""
    lib = _xlib()
    lib.XSetErrorHandler(_ignore_errors)
    display = lib.XOpenDisplay(env.get("DISPLAY", os.environ.get("DISPLAY", "")).encode())
    if not display:
        raise RuntimeError("serveur X injoignable")
    damage_lib = _xdamage()
    damage_event, damage_error = ctypes.c_int(-1), ctypes.c_int()
    if damage_lib is not None and not damage_lib.XDamageQueryExtension(
        display, ctypes.byref(damage_event), ctypes.byref(damage_error)
    ):
        damage_lib = None
    try:
        root = lib.XDefaultRootWindow(display)
        screen_w, screen_h = lib.XDisplayWidth(display, 0), lib.XDisplayHeight(display, 0)
        lib.XSelectInput(display, root, SUBSTRUCTURE_NOTIFY_MASK)
        lib.XSync(display, 0)
        fd = lib.XConnectionNumber(display)
        event = _XEvent()
        attrs = _XWindowAttributes()
        watched: dict[int, tuple[int, int, int, int]] = {}  # window -> rectangle on the root
        damages: dict[int, int] = {}  # window -> its Damage object
        dirty: set[int] = set()  # windows to grab now
        mapped = 0.0
        grabs, grab_seconds = 0, 0.0
        last_grab = 0.0
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)  # type: ignore[call-overload]
        try:
            while True:
                if time.perf_counter() - t0 > timeout:
                    raise TimeoutError(f"aucune image après {timeout:.0f} s : {cmd[0]}")
                if proc.poll() is not None and not watched:
                    raise RuntimeError(f"{cmd[0]} s'est arrêté (code {proc.returncode}) sans fenêtre")
                while lib.XPending(display):
                    lib.XNextEvent(display, ctypes.byref(event))
                    window = event.xmap.window
                    if event.type == damage_event.value and damage_lib is not None:
                        drawable = event.xmap.event  # XDamageNotifyEvent.drawable, at the same offset
                        if drawable in damages:
                            damage_lib.XDamageSubtract(display, damages[drawable], 0, 0)
                            dirty.add(drawable)
                    elif event.type in (UNMAP_NOTIFY, DESTROY_NOTIFY):
                        watched.pop(window, None)
                        dirty.discard(window)
                    elif event.type == MAP_NOTIFY and not event.xmap.override_redirect:
                        at = time.perf_counter() - t0
                        if not lib.XGetWindowAttributes(display, window, ctypes.byref(attrs)):
                            continue
                        if min(attrs.width, attrs.height) < MIN_SIDE:
                            continue
                        x, y = max(0, attrs.x), max(0, attrs.y)
                        w = min(screen_w, attrs.x + attrs.width) - x
                        h = min(screen_h, attrs.y + attrs.height) - y
                        if w > 0 and h > 0:
                            watched[window] = (x, y, w, h)
                            if damage_lib is not None and window not in damages:
                                damages[window] = damage_lib.XDamageCreate(display, window, DAMAGE_REPORT_NON_EMPTY)
                                lib.XFlush(display)
                            dirty.add(window)  # what it shows already
                            mapped = mapped or at
                now = time.perf_counter()
                if watched and now - last_grab >= FALLBACK_POLL:
                    dirty.update(watched)
                if not dirty:  # wait for the X server's events (a map, a change)
                    wait = FALLBACK_POLL - (now - last_grab) if watched else 0.05
                    select.select([fd], [], [], max(0.0, wait))
                    continue
                for window in list(dirty):
                    dirty.discard(window)
                    if window not in watched:
                        continue
                    x, y, w, h = watched[window]
                    start = time.perf_counter()
                    image = lib.XGetImage(display, root, x, y, w, h, ALL_PLANES, Z_PIXMAP)
                    if not image:
                        continue
                    try:
                        im = image.contents
                        data = ctypes.string_at(im.data, im.bytes_per_line * im.height)
                        blank = _uniform(data, max(1, im.bits_per_pixel // 8))
                    finally:
                        lib.XDestroyImage(image)
                    last_grab = time.perf_counter()
                    grabs += 1
                    grab_seconds += last_grab - start
                    if not blank:
                        return Frame(mapped, start - t0, grabs, grab_seconds)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        lib.XCloseDisplay(display)
