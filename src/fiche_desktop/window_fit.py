"""Where windows go on a screen, and the zoom's steps: plain rectangles and numbers, no Qt.

A rectangle is (x, y, width, height) in the screen's pixels. The desk window's last place is saved
as « x,y,largeur,hauteur » text in the settings; fit() brings any rectangle back onto a screen."""

from __future__ import annotations

Rect = tuple[int, int, int, int]

MIN_WIDTH, MIN_HEIGHT = 640, 480
MAXIMISED = "max"
# The zoom's steps: 10 to 25 % apart, 100 % to 200 % in five presses, up to 300 %.
ZOOM_STEPS = (50, 60, 70, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)


def parse_geometry(text: str) -> Rect | None:
    """The rectangle saved as « x,y,w,h » (« x,y,w,h,max » when the window was maximised); None
    for anything else (an old or edited file)."""
    parts = text.split(",")
    if len(parts) == 5 and parts[4].strip() == MAXIMISED:
        parts = parts[:4]
    if len(parts) != 4:
        return None
    try:
        x, y, w, h = (int(p.strip()) for p in parts)
    except ValueError:
        return None
    if w <= 0 or h <= 0 or max(abs(x), abs(y), w, h) > 100_000:
        return None
    return x, y, w, h


def geometry_text(rect: Rect, maximised: bool = False) -> str:
    return ",".join([*(str(v) for v in rect), *([MAXIMISED] if maximised else [])])


def is_maximised(text: str) -> bool:
    """Whether the place saved was a maximised window's (its normal place first)."""
    return parse_geometry(text) is not None and text.rsplit(",", 1)[-1].strip() == MAXIMISED


def fit(rect: Rect, screen: Rect) -> Rect:
    """rect made to fit inside screen: no larger than it (nor smaller than the window's minimum,
    when the screen allows), then moved in by the least."""
    sx, sy, sw, sh = screen
    x, y, w, h = rect
    w = min(max(w, min(MIN_WIDTH, sw)), sw)
    h = min(max(h, min(MIN_HEIGHT, sh)), sh)
    x = min(max(x, sx), sx + sw - w)
    y = min(max(y, sy), sy + sh - h)
    return x, y, w, h


def overlap(a: Rect, b: Rect) -> int:
    """The area a and b share."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


def zoom_in(zoom: int) -> int:
    """The next step up from zoom (a zoom saved between two steps goes to the next one)."""
    return next((z for z in ZOOM_STEPS if z > zoom), ZOOM_STEPS[-1])


def zoom_out(zoom: int) -> int:
    return next((z for z in reversed(ZOOM_STEPS) if z < zoom), ZOOM_STEPS[0])


def zoom_label(zoom: int) -> str:
    return f"Zoom {zoom}\u00a0%"
