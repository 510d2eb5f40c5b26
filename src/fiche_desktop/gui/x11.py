"""What Qt does not tell about an X11 window, read and put right through libxcb (ctypes).

Qt follows its window's full-screen and minimised states, but not whether a window manager
still keeps it above the others, on the current desktop, or whether another client unmapped
its frame. The kiosk's watchdog asks here on its own X connection, and asks the window
manager (EWMH client messages) to put things back. No Qt here; nothing when there is no X11.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import POINTER, Structure, byref, c_char_p, c_int, c_uint8, c_uint16, c_uint32, c_void_p
from typing import Any

_U8, _U16, _U32 = c_uint8, c_uint16, c_uint32

# EWMH / ICCCM values
_NET_WM_STATE_ADD = 1
_SOURCE_APPLICATION = 1
_EVENT_MASK_SUBSTRUCTURE = (1 << 19) | (1 << 20)  # SubstructureNotify | SubstructureRedirect
_CLIENT_MESSAGE = 33
_MAP_STATE_VIEWABLE = 2
_CONFIG_WINDOW_STACK_MODE = 64
_STACK_MODE_ABOVE = 0
_STACK_MODE_BELOW = 1
_ANY_PROPERTY_TYPE = 0
ALL_DESKTOPS = 0xFFFFFFFF


class _Cookie(Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _InternAtomReply(Structure):
    _fields_ = [("response_type", _U8), ("pad0", _U8), ("sequence", _U16), ("length", _U32), ("atom", _U32)]


class _GetPropertyReply(Structure):
    _fields_ = [
        ("response_type", _U8),
        ("format", _U8),
        ("sequence", _U16),
        ("length", _U32),
        ("type", _U32),
        ("bytes_after", _U32),
        ("value_len", _U32),
        ("pad0", _U8 * 12),
    ]


class _WindowAttributesReply(Structure):
    _fields_ = [
        ("response_type", _U8),
        ("backing_store", _U8),
        ("sequence", _U16),
        ("length", _U32),
        ("visual", _U32),
        ("klass", _U16),
        ("bit_gravity", _U8),
        ("win_gravity", _U8),
        ("backing_planes", _U32),
        ("backing_pixel", _U32),
        ("save_under", _U8),
        ("map_is_installed", _U8),
        ("map_state", _U8),
        ("override_redirect", _U8),
        ("colormap", _U32),
        ("all_event_masks", _U32),
        ("your_event_mask", _U32),
        ("do_not_propagate_mask", _U16),
        ("pad0", _U8 * 2),
    ]


class _QueryTreeReply(Structure):
    _fields_ = [
        ("response_type", _U8),
        ("pad0", _U8),
        ("sequence", _U16),
        ("length", _U32),
        ("root", _U32),
        ("parent", _U32),
        ("children_len", _U16),
        ("pad1", _U8 * 14),
    ]


class _GeometryReply(Structure):
    _fields_ = [
        ("response_type", _U8),
        ("depth", _U8),
        ("sequence", _U16),
        ("length", _U32),
        ("root", _U32),
        ("x", ctypes.c_int16),
        ("y", ctypes.c_int16),
        ("width", _U16),
        ("height", _U16),
        ("border_width", _U16),
        ("pad0", _U8 * 2),
    ]


class _ClientMessage(Structure):
    _fields_ = [
        ("response_type", _U8),
        ("format", _U8),
        ("sequence", _U16),
        ("window", _U32),
        ("type", _U32),
        ("data", _U32 * 5),
    ]


class _Screen(Structure):
    _fields_ = [("root", _U32)]  # the rest of xcb_screen_t is not needed


class _ScreenIterator(Structure):
    _fields_ = [("data", POINTER(_Screen)), ("rem", c_int), ("index", c_int)]


def _load() -> Any | None:
    global _LIBC
    if os.name != "posix":
        return None
    name = ctypes.util.find_library("xcb") or "libxcb.so.1"
    try:
        lib = ctypes.CDLL(name)
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    libc.free.argtypes = [c_void_p]
    libc.free.restype = None
    _LIBC = libc
    sigs: dict[str, tuple[Any, list[Any]]] = {
        "xcb_connect": (c_void_p, [c_char_p, POINTER(c_int)]),
        "xcb_connection_has_error": (c_int, [c_void_p]),
        "xcb_disconnect": (None, [c_void_p]),
        "xcb_flush": (c_int, [c_void_p]),
        "xcb_get_setup": (c_void_p, [c_void_p]),
        "xcb_setup_roots_iterator": (_ScreenIterator, [c_void_p]),
        "xcb_screen_next": (None, [POINTER(_ScreenIterator)]),
        "xcb_intern_atom": (_Cookie, [c_void_p, _U8, _U16, c_char_p]),
        "xcb_intern_atom_reply": (POINTER(_InternAtomReply), [c_void_p, _Cookie, POINTER(c_void_p)]),
        "xcb_get_property": (_Cookie, [c_void_p, _U8, _U32, _U32, _U32, _U32, _U32]),
        "xcb_get_property_reply": (POINTER(_GetPropertyReply), [c_void_p, _Cookie, POINTER(c_void_p)]),
        "xcb_get_property_value": (c_void_p, [POINTER(_GetPropertyReply)]),
        "xcb_get_window_attributes": (_Cookie, [c_void_p, _U32]),
        "xcb_get_window_attributes_reply": (POINTER(_WindowAttributesReply), [c_void_p, _Cookie, POINTER(c_void_p)]),
        "xcb_get_geometry": (_Cookie, [c_void_p, _U32]),
        "xcb_get_geometry_reply": (POINTER(_GeometryReply), [c_void_p, _Cookie, POINTER(c_void_p)]),
        "xcb_query_tree": (_Cookie, [c_void_p, _U32]),
        "xcb_query_tree_reply": (POINTER(_QueryTreeReply), [c_void_p, _Cookie, POINTER(c_void_p)]),
        "xcb_query_tree_children": (POINTER(_U32), [POINTER(_QueryTreeReply)]),
        "xcb_send_event": (_Cookie, [c_void_p, _U8, _U32, _U32, c_void_p]),
        "xcb_configure_window": (_Cookie, [c_void_p, _U32, _U16, POINTER(_U32)]),
    }
    try:
        for fn, (restype, argtypes) in sigs.items():
            f = getattr(lib, fn)
            f.restype = restype
            f.argtypes = argtypes
    except AttributeError:
        return None
    return lib


_LIBC: Any = None


def _free(pointer: Any) -> None:
    """Frees a reply libxcb allocated (malloc)."""
    if pointer and _LIBC is not None:
        _LIBC.free(ctypes.cast(pointer, c_void_p))


class X11:
    """One X connection of the kiosk's own, for the properties of its window."""

    def __init__(self, lib: Any, conn: int, root: int) -> None:
        self._lib = lib
        self._conn = conn
        self.root = root
        self._atoms: dict[str, int] = {}

    @classmethod
    def connect(cls, display: str | None = None) -> X11 | None:
        """A connection to display (default $DISPLAY), or None without X11 or libxcb."""
        display = display or os.environ.get("DISPLAY")
        if not display:
            return None
        lib = _load()
        if lib is None:
            return None
        screen_number = c_int(0)
        conn = lib.xcb_connect(display.encode(), byref(screen_number))
        if not conn or lib.xcb_connection_has_error(conn):
            if conn:
                lib.xcb_disconnect(conn)
            return None
        it = lib.xcb_setup_roots_iterator(lib.xcb_get_setup(conn))
        for _ in range(screen_number.value):
            lib.xcb_screen_next(byref(it))
        if it.rem <= 0 and screen_number.value:
            lib.xcb_disconnect(conn)
            return None
        return cls(lib, conn, int(it.data.contents.root))

    def close(self) -> None:
        if self._conn:
            self._lib.xcb_disconnect(self._conn)
            self._conn = 0

    @property
    def alive(self) -> bool:
        return bool(self._conn) and not self._lib.xcb_connection_has_error(self._conn)

    # --- reading

    def atom(self, name: str) -> int:
        if name not in self._atoms:
            raw = name.encode()
            error = c_void_p()
            reply = self._lib.xcb_intern_atom_reply(
                self._conn, self._lib.xcb_intern_atom(self._conn, 0, len(raw), raw), byref(error)
            )
            _free(error)
            if not reply:
                return 0
            self._atoms[name] = int(reply.contents.atom)
            _free(reply)
        return self._atoms[name]

    def _property(self, window: int, name: str) -> list[int] | None:
        """A 32-bit property as a list of numbers; None when the window has no such property."""
        error = c_void_p()
        cookie = self._lib.xcb_get_property(self._conn, 0, window, self.atom(name), _ANY_PROPERTY_TYPE, 0, 1024)
        reply = self._lib.xcb_get_property_reply(self._conn, cookie, byref(error))
        _free(error)
        if not reply:
            return None
        try:
            r = reply.contents
            if r.type == 0 or r.format != 32:
                return None
            values = ctypes.cast(self._lib.xcb_get_property_value(reply), POINTER(_U32))
            return [int(values[i]) for i in range(r.value_len)]
        finally:
            _free(reply)

    def _attributes(self, window: int) -> tuple[int, bool] | None:
        """(map_state, override_redirect), or None for a window that is gone."""
        error = c_void_p()
        reply = self._lib.xcb_get_window_attributes_reply(
            self._conn, self._lib.xcb_get_window_attributes(self._conn, window), byref(error)
        )
        _free(error)
        if not reply:
            return None
        try:
            return int(reply.contents.map_state), bool(reply.contents.override_redirect)
        finally:
            _free(reply)

    def geometry(self, window: int) -> tuple[int, int, int, int] | None:
        """(x, y, width, height) of a child of the root window, or None for a window that is gone."""
        error = c_void_p()
        reply = self._lib.xcb_get_geometry_reply(
            self._conn, self._lib.xcb_get_geometry(self._conn, window), byref(error)
        )
        _free(error)
        if not reply:
            return None
        try:
            r = reply.contents
            return int(r.x), int(r.y), int(r.width), int(r.height)
        finally:
            _free(reply)

    def _tree(self, window: int) -> tuple[int, list[int]] | None:
        """(parent, children bottom to top), or None for a window that is gone."""
        error = c_void_p()
        reply = self._lib.xcb_query_tree_reply(self._conn, self._lib.xcb_query_tree(self._conn, window), byref(error))
        _free(error)
        if not reply:
            return None
        try:
            n = reply.contents.children_len
            children = self._lib.xcb_query_tree_children(reply)
            return int(reply.contents.parent), [int(children[i]) for i in range(n)]
        finally:
            _free(reply)

    def exists(self, window: int) -> bool:
        """False once the window has been destroyed (by another client: `xdotool windowclose`)."""
        return self._attributes(window) is not None

    def override_redirect(self, window: int) -> bool:
        attributes = self._attributes(window)
        return attributes is not None and attributes[1]

    def viewable(self, window: int) -> bool:
        """Mapped, and every ancestor too (a window manager hides a window by unmapping its frame)."""
        attributes = self._attributes(window)
        return attributes is not None and attributes[0] == _MAP_STATE_VIEWABLE

    def window_manager(self) -> bool:
        """True while an EWMH window manager runs (its check window exists)."""
        check = self._property(self.root, "_NET_SUPPORTING_WM_CHECK")
        return bool(check) and self._attributes(check[0]) is not None  # type: ignore[index]

    def states(self, window: int) -> set[str]:
        """The names of the window's _NET_WM_STATE atoms that the kiosk cares about."""
        values = set(self._property(window, "_NET_WM_STATE") or [])
        return {name for name in (*WANTED_STATES, "_NET_WM_STATE_HIDDEN") if self.atom(name) in values}

    def desktop(self, window: int) -> int | None:
        values = self._property(window, "_NET_WM_DESKTOP")
        return values[0] if values else None

    def current_desktop(self) -> int | None:
        values = self._property(self.root, "_NET_CURRENT_DESKTOP")
        return values[0] if values else None

    def showing_desktop(self) -> bool:
        values = self._property(self.root, "_NET_SHOWING_DESKTOP")
        return bool(values and values[0])

    def top_level(self, window: int) -> int:
        """The child of the root window that holds window (its frame under a window manager)."""
        current = window
        for _ in range(64):
            tree = self._tree(current)
            if tree is None or tree[0] in (0, self.root):
                return current
            current = tree[0]
        return current

    def covered_by(self, window: int, *, override_redirect_only: bool = False) -> int | None:
        """A viewable window stacked above window's top level and overlapping it (more than a
        few pixels), or None when nothing covers it. override_redirect_only: only the windows
        no window manager manages (menus, tooltips, splash screens of another client), which
        it never stacks below a full-screen window that is above the others."""
        mine = self.top_level(window)
        tree = self._tree(self.root)
        box = self.geometry(mine)
        if tree is None or box is None or mine not in tree[1]:
            return None
        x, y, w, h = box
        for other in reversed(tree[1][tree[1].index(mine) + 1 :]):
            attributes = self._attributes(other)
            if attributes is None or attributes[0] != _MAP_STATE_VIEWABLE:
                continue
            if override_redirect_only and not attributes[1]:
                continue
            g = self.geometry(other)
            if g is None:
                continue
            overlap_w = min(x + w, g[0] + g[2]) - max(x, g[0])
            overlap_h = min(y + h, g[1] + g[3]) - max(y, g[1])
            if overlap_w > 0 and overlap_h > 0 and overlap_w * overlap_h > 16:
                return other
        return None

    # --- asking to put things back

    def _client_message(self, window: int, message: str, *data: int) -> None:
        event = _ClientMessage()
        event.response_type = _CLIENT_MESSAGE
        event.format = 32
        event.window = window
        event.type = self.atom(message)
        for i, value in enumerate(data[:5]):
            event.data[i] = value
        self._lib.xcb_send_event(self._conn, 0, self.root, _EVENT_MASK_SUBSTRUCTURE, byref(event))

    def add_states(self, window: int, names: list[str]) -> None:
        """Asks the window manager to add each _NET_WM_STATE of names (two per message)."""
        for i in range(0, len(names), 2):
            pair = [self.atom(n) for n in names[i : i + 2]] + [0]
            self._client_message(window, "_NET_WM_STATE", _NET_WM_STATE_ADD, pair[0], pair[1], _SOURCE_APPLICATION)
        self.flush()

    def move_to_desktop(self, window: int, desktop: int) -> None:
        self._client_message(window, "_NET_WM_DESKTOP", desktop, _SOURCE_APPLICATION)
        self.flush()

    def stop_showing_desktop(self) -> None:
        self._client_message(self.root, "_NET_SHOWING_DESKTOP", 0)
        self.flush()

    def window_manager_name(self) -> str:
        """The running EWMH window manager's _NET_WM_NAME ('' when none, or when it gives none)."""
        check = self._property(self.root, "_NET_SUPPORTING_WM_CHECK")
        if not check:
            return ""
        error = c_void_p()
        name = self.atom("_NET_WM_NAME")
        cookie = self._lib.xcb_get_property(self._conn, 0, check[0], name, _ANY_PROPERTY_TYPE, 0, 64)
        reply = self._lib.xcb_get_property_reply(self._conn, cookie, byref(error))
        _free(error)
        if not reply:
            return ""
        try:
            r = reply.contents
            if r.type == 0 or r.format != 8:
                return ""
            raw = ctypes.string_at(self._lib.xcb_get_property_value(reply), r.value_len)
            return raw.decode("utf-8", "replace")
        finally:
            _free(reply)

    def raise_window(self, window: int) -> None:
        """Stacks window's top level above its siblings (the window manager's frame too: above an
        override-redirect window, which the window manager does not stack)."""
        value = (_U32 * 1)(_STACK_MODE_ABOVE)
        self._lib.xcb_configure_window(self._conn, self.top_level(window), _CONFIG_WINDOW_STACK_MODE, value)
        self.flush()

    def lower_window(self, window: int) -> None:
        """Stacks window below its siblings: for another client's override-redirect window, which
        a window manager lets anyone restack (a request to restack a window it manages, such as
        the kiosk's own frame, it may refuse)."""
        value = (_U32 * 1)(_STACK_MODE_BELOW)
        self._lib.xcb_configure_window(self._conn, window, _CONFIG_WINDOW_STACK_MODE, value)
        self.flush()

    def flush(self) -> None:
        self._lib.xcb_flush(self._conn)


# What the kiosk window keeps under a window manager: full screen and above the others (and,
# through _NET_WM_DESKTOP, on every desktop: switching desktop never uncovers anything).
WANTED_STATES = ("_NET_WM_STATE_FULLSCREEN", "_NET_WM_STATE_ABOVE")
