"""The screen matrix's driver, run in its own process on an X display of the size under test
(tests/e2e/test_matrix.py starts it): the desk window as a first start shows it, then every screen
× theme × zoom step, each grabbed from the screen and checked. One JSON line per case on stdout:
{"case": ..., "problems": [...]}; the grabs go to the folder given.

    python -m tests.e2e.matrix_driver OUT_DIR [screen ...]
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

# A throwaway profile: a first start, whatever this machine's user has saved.
_PROFILE = tempfile.mkdtemp(prefix="fiche-matrix-")


def _setup_env() -> None:
    import os

    os.environ["FICHE_DESKTOP_CONFIG_DIR"] = _PROFILE
    os.environ["FICHE_DESKTOP_DATA_DIR"] = _PROFILE
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ.pop("QT_SCALE_FACTOR", None)


_setup_env()

from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QGraphicsView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QRadioButton,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QToolBar,
    QWidget,
)

SCREENS = (
    "home",
    "fiche",
    "fiche-falc",
    "compare-2",
    "compare-7",
    "guide",
    "glossary",
    "search",
    "sources",
    "help",
    "print",
    "preview",
    "settings",
)
NO_SIDEWAYS = ("home", "fiche", "fiche-falc", "guide")
THEMES = ("standard", "contrast")
ZOOMS = (100, 200)
MIN_RATIO = {"standard": 4.5, "contrast": 7.0}


# --- pixels


def luminance(rgb: int) -> float:
    """WCAG relative luminance of a 0xRRGGBB colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: int, b: int) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Pixels:
    """A screen grab as rows of 0xRRGGBB ints."""

    def __init__(self, image: QImage) -> None:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        self.width, self.height = image.width(), image.height()
        data = memoryview(image.constBits()).cast("I")
        stride = image.bytesPerLine() // 4
        self.rows = [[p & 0xFFFFFF for p in data[y * stride : y * stride + self.width]] for y in range(self.height)]

    def crop(self, r: QRect) -> list[list[int]]:
        x0, y0 = max(0, r.left()), max(0, r.top())
        x1, y1 = min(self.width, r.right() + 1), min(self.height, r.bottom() + 1)
        return [row[x0:x1] for row in self.rows[y0:y1]] if x1 > x0 and y1 > y0 else []


def text_contrast(block: list[list[int]]) -> tuple[float, int, int] | None:
    """(ratio, text colour, background) of the text in a block of pixels, None when it holds no
    text. Each row's background is its commonest colour (a header's gradient changes it row by
    row); columns that one colour almost fills (a border, a grid line) are left out; the text's
    colour is the commonest other colour, with the background it sits on (antialiasing spreads a
    glyph's edges over many rare shades, its core is the text's own colour); a colour that fills
    areas rather than strokes (a box behind the text) is no text."""
    if len(block) < 4 or len(block[0]) < 4:
        return None
    width = len(block[0])
    counts: Counter[int] = Counter()
    for row in block:
        counts.update(row)
    bg = counts.most_common(1)[0][0]
    keep = [x for x in range(width) if _fill([row[x] for row in block], bg) < 0.8]
    if len(keep) < 3:
        return None
    found = _text_on(block, keep, None)
    if found is None:
        return None
    ratio, fg, bg, n = found
    if ratio < 7:  # a closer look before saying so: no border, no antialiasing shade, no area
        found = _text_on(block, keep, _rules(block))
        if found is None:
            return None
        ratio, fg, bg, n = found
        if ratio < 7 and _area_like(block, fg, n):
            return None
    return ratio, fg, bg


def _text_on(block: list[list[int]], keep: list[int], skip: set[tuple[int, int]]) -> tuple[float, int, int, int] | None:
    """(ratio, text, background, count) from the pixels of the columns kept, less those skipped."""
    pairs: Counter[tuple[int, int]] = Counter()
    for y, row in enumerate(block):
        cells = [row[x] for x in keep if (x, y) not in skip] if skip else [row[x] for x in keep]
        if len(cells) < len(keep) / 2:  # a row that was mostly a line
            continue
        mode = Counter(cells).most_common(1)[0][0]
        pairs.update((c, mode) for c in cells if c != mode)
    if not pairs:
        return None
    (fg, bg), n = pairs.most_common(1)[0]
    if n < 4:
        return None
    if skip is not None:
        fg = _core(fg, bg, {c: k for (c, b), k in pairs.items() if b == bg})
    return contrast(fg, bg), fg, bg, n


def _core(fg: int, bg: int, counts: dict[int, int]) -> int:
    """The colour whose antialiased edge fg is: the farthest colour from bg, seen at least twice,
    with fg on the straight line between bg and it (fg itself when it is the farthest)."""

    def rgb(c: int) -> tuple[int, int, int]:
        return (c >> 16) & 255, (c >> 8) & 255, c & 255

    b, f = rgb(bg), rgb(fg)
    best, reach = fg, sum((f[i] - b[i]) ** 2 for i in range(3))
    for colour, count in counts.items():
        if count < 2:
            continue
        c = rgb(colour)
        span = sum((c[i] - b[i]) ** 2 for i in range(3))
        if span <= reach:
            continue
        t = sum((f[i] - b[i]) * (c[i] - b[i]) for i in range(3)) / span
        off = sum((b[i] + t * (c[i] - b[i]) - f[i]) ** 2 for i in range(3))
        if 0 < t < 1 and off <= 16**2:
            best, reach = colour, span
    return best


def _rules(block: list[list[int]]) -> set[tuple[int, int]]:
    """The pixels of lines (borders, rules, a frame's edges): runs of one colour other than the
    background at least 24 pixels long across, or 16 down."""
    marked: set[tuple[int, int]] = set()
    height, width = len(block), len(block[0])
    counts: Counter[int] = Counter()
    for row in block:
        counts.update(row)
    bg = counts.most_common(1)[0][0]
    for y, row in enumerate(block):
        start = 0
        for x in range(1, width + 1):
            if x == width or row[x] != row[start]:
                if x - start >= 24 and row[start] != bg:
                    marked.update((i, y) for i in range(start, x))
                start = x
    for x in range(width):
        start = 0
        for y in range(1, height + 1):
            if y == height or block[y][x] != block[start][x]:
                if y - start >= 16 and block[start][x] != bg:
                    marked.update((x, j) for j in range(start, y))
                start = y
    return marked


def _fill(line: list[int], bg: int) -> float:
    """The share of line taken by its commonest colour other than bg."""
    counts = Counter(line)
    counts.pop(bg, None)
    return counts.most_common(1)[0][1] / len(line) if counts else 0.0


def _area_like(block: list[list[int]], colour: int, n: int) -> bool:
    """Whether colour's pixels are mostly inside areas (all four neighbours the same colour)."""
    inside = 0
    for y in range(1, len(block) - 1):
        row, up, down = block[y], block[y - 1], block[y + 1]
        for x in range(1, len(row) - 1):
            if (
                row[x] == colour
                and row[x - 1] == colour
                and row[x + 1] == colour
                and up[x] == colour
                and down[x] == colour
            ):
                inside += 1
    return inside > 0.4 * n


def hex_colour(c: int) -> str:
    return f"#{c:06x}"


# --- widgets


def visible_widgets(top: QWidget) -> Iterator[QWidget]:
    for w in top.findChildren(QWidget):
        if w.isVisible() and w.window() is top and w.width() > 0 and w.height() > 0:
            yield w


def global_rect(w: QWidget) -> QRect:
    return QRect(w.mapToGlobal(w.rect().topLeft()), w.size())


def in_scrolled_content(w: QWidget) -> bool:
    """Whether w lives in what a scroll area scrolls (cut by its viewport on purpose)."""
    p = w.parentWidget()
    while p is not None:
        parent = p.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and p is parent.viewport() and w is not p:
            return True
        if isinstance(p, QGraphicsView):
            return True
        p = parent
    return False


def name(w: QWidget) -> str:
    text = ""
    if isinstance(w, (QLabel, QAbstractButton)):
        text = w.text()
    label = w.accessibleName() or text or w.objectName()
    return f"{type(w).__name__}«{label[:40]}»"


def layout_problems(top: QWidget) -> list[str]:
    """Visible widgets cut by the window or by their parent, and siblings that overlap."""
    problems = []
    window_rect = global_rect(top)
    for w in visible_widgets(top):
        if in_scrolled_content(w) or w.objectName().startswith("qt_") or isinstance(w.parentWidget(), QLineEdit):
            continue  # Qt's own parts (a line edit's clear button sits on its edge)
        r = global_rect(w)
        if not window_rect.contains(r):
            problems.append(f"{name(w)} cut by the window ({_box(r)} outside {_box(window_rect)})")
            continue
        parent = w.parentWidget()
        if parent is not None and parent is not top and not global_rect(parent).contains(r):
            if not isinstance(w, QScrollBar):
                problems.append(f"{name(w)} cut by its parent {name(parent)}")
        if isinstance(w, QLabel) and w.text().strip():
            if w.wordWrap() and w.height() < w.heightForWidth(w.width()) - 2:
                problems.append(f"{name(w)} shows {w.height()} of its {w.heightForWidth(w.width())} pixels of text")
            elif not w.wordWrap() and w.width() < w.minimumSizeHint().width() - 2:
                problems.append(f"{name(w)} shows {w.width()} of its {w.minimumSizeHint().width()} pixels of text")
    for parent in [top, *visible_widgets(top)]:
        if isinstance(parent, (QAbstractScrollArea, QToolBar, QMenuBar)):
            continue
        children = [
            c
            for c in parent.children()
            if isinstance(c, QWidget)
            and c.isVisible()
            and not c.isWindow()
            and not c.objectName().startswith("qt_")
            and not isinstance(c, QScrollBar)
        ]
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                overlap = a.geometry().intersected(b.geometry())
                if overlap.width() > 1 and overlap.height() > 1:
                    problems.append(f"{name(a)} overlaps {name(b)} ({_box(overlap)})")
    return problems


def _box(r: QRect) -> str:
    return f"{r.width()}×{r.height()}+{r.x()}+{r.y()}"


def text_regions(top: QWidget) -> Iterator[tuple[QWidget, QRect]]:
    """The screen rectangles where top shows text, each small enough to hold one text colour on
    one background: a label or a button (inside its border), an item view's cells, a text view's
    lines in pieces."""
    clip = global_rect(top)
    for w in visible_widgets(top):
        if not _shown_on_screen(w, top):
            continue
        r = global_rect(w).intersected(clip)
        if isinstance(w, QLabel) and w.text().strip() and w.pixmap().isNull():
            yield w, r.adjusted(1, 1, -1, -1)
        elif isinstance(w, (QCheckBox, QRadioButton)) and w.text().strip():
            yield w, _label_part(w).intersected(clip)  # the box or the dot is no text
        elif isinstance(w, QAbstractButton) and w.text().strip() and not _icon_only(w):
            yield w, r.adjusted(4, 4, -4, -4)
        elif (
            isinstance(w, QLineEdit)
            and (w.text() or w.placeholderText())
            and not isinstance(w.parentWidget(), QComboBox)
        ):
            yield w, r.adjusted(4, 4, -4, -4)
        elif isinstance(w, QComboBox):
            yield w, r.adjusted(4, 4, -20, -4)
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                tab = w.tabRect(i)
                yield w, QRect(w.mapToGlobal(tab.topLeft()), tab.size()).adjusted(5, 5, -5, -5).intersected(clip)
        elif isinstance(w, QHeaderView):
            for i in range(w.count()):
                if w.isSectionHidden(i) or w.sectionSize(i) < 12:
                    continue
                start = w.sectionViewportPosition(i)
                if w.orientation() == Qt.Orientation.Horizontal:
                    section = QRect(start, 0, w.sectionSize(i), w.height())
                else:
                    section = QRect(0, start, w.width(), w.sectionSize(i))
                port = w.viewport()
                g = QRect(port.mapToGlobal(section.topLeft()), section.size())
                yield w, g.adjusted(4, 4, -4, -4).intersected(clip)
        elif isinstance(w, QAbstractItemView):
            yield from _cells(w, clip)
        elif isinstance(w, QTextEdit):
            yield from _lines(w, clip)


def _label_part(button: QCheckBox | QRadioButton) -> QRect:
    """Where a check box or a radio button draws its text, on the screen."""
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = button.text()
    element = (
        QStyle.SubElement.SE_CheckBoxContents
        if isinstance(button, QCheckBox)
        else QStyle.SubElement.SE_RadioButtonContents
    )
    part = button.style().subElementRect(element, option, button)
    return QRect(button.mapToGlobal(part.topLeft()), part.size()).adjusted(1, 1, -1, -1)


def _icon_only(button: QAbstractButton) -> bool:
    from PySide6.QtWidgets import QToolButton

    return isinstance(button, QToolButton) and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly


def _shown_on_screen(w: QWidget, top: QWidget) -> bool:
    """Not hidden behind a scroll area's edge: at least partly inside every ancestor."""
    r = global_rect(w)
    p = w.parentWidget()
    while p is not None and p is not top:
        r = r.intersected(global_rect(p))
        p = p.parentWidget()
    return r.width() > 8 and r.height() > 8


def _cells(view: QAbstractItemView, clip: QRect) -> Iterator[tuple[QWidget, QRect]]:
    model = view.model()
    if model is None:
        return
    port = view.viewport()
    area = global_rect(port).intersected(clip)
    from PySide6.QtCore import QModelIndex

    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model's columnCount is private: one column
        columns = 1
    for row in range(min(model.rowCount(QModelIndex()), 200)):
        for col in range(columns):
            rect = view.visualRect(model.index(row, col))
            if rect.isEmpty():
                continue
            g = QRect(port.mapToGlobal(rect.topLeft()), rect.size()).adjusted(3, 3, -3, -3).intersected(area)
            if g.height() > 0.6 * rect.height() and g.width() > 6:  # cells cut by the edge: not measured
                yield view, g


def _lines(view: QTextEdit, clip: QRect) -> Iterator[tuple[QWidget, QRect]]:
    """The document's laid-out lines shown in the viewport, in pieces of about 250 pixels."""
    port = view.viewport()
    area = global_rect(port).intersected(clip)
    doc = view.document()
    layout = doc.documentLayout()
    dx, dy = view.horizontalScrollBar().value(), view.verticalScrollBar().value()
    origin = port.mapToGlobal(port.rect().topLeft())
    block = doc.begin()
    while block.isValid():
        box = layout.blockBoundingRect(block)
        top = origin.y() + int(box.top()) - dy
        if top > area.bottom():
            break
        text_layout = block.layout()
        if top + box.height() >= area.top() and text_layout is not None:
            for i in range(text_layout.lineCount()):
                line = text_layout.lineAt(i)
                r = line.naturalTextRect().translated(text_layout.position()).toAlignedRect()
                g = QRect(origin.x() + r.x() - dx, origin.y() + r.y() - dy, r.width(), r.height())
                if not area.contains(g):
                    continue
                for x in range(g.left(), g.right(), 250):
                    yield view, QRect(x, g.top(), min(250, g.right() - x), g.height())
        block = block.next()


def contrast_problems(pixels: Pixels, top: QWidget, minimum: float) -> list[str]:
    problems: dict[str, str] = {}
    for w, rect in text_regions(top):
        measured = text_contrast(pixels.crop(rect))
        if measured is None:
            continue
        ratio, fg, bg = measured
        if ratio < minimum:
            key = f"{name(w)} {hex_colour(fg)} on {hex_colour(bg)}"
            problems.setdefault(key, f"{key}: contrast {ratio:.2f} < {minimum} at {_box(rect)}")
    return list(problems.values())


def sideways_problems(page: QWidget) -> list[str]:
    return [
        f"horizontal scroll bar in {name(bar.parentWidget().parentWidget() or bar)}"
        for bar in page.findChildren(QScrollBar)
        if bar.orientation() == Qt.Orientation.Horizontal and bar.isVisible() and bar.maximum() > 0
    ]


def screen_problems(top: QWidget) -> list[str]:
    screen = top.screen()
    available = screen.availableGeometry()
    frame = top.frameGeometry()
    if available.contains(frame):
        return []
    return [f"{top.windowTitle()!r} {_box(frame)} is not inside the screen's {_box(available)}"]


# --- the walk


def settle(ms: int = 120) -> None:
    QTest.qWait(ms)
    QApplication.processEvents()


class Walk:
    def __init__(self, out: Path) -> None:
        from fiche_desktop import app as fiche_app
        from fiche_desktop import config
        from fiche_desktop.views.main_window import MainWindow

        self.out = out
        self.app = fiche_app.make_application()
        db, _warnings = fiche_app.open_content(None)
        self.db = db
        settings, _ = config.load_settings()
        self.window = MainWindow(db, settings, search_delay_ms=20)
        self.window.ask_save_path = lambda *a: ""  # type: ignore[method-assign]
        self.window.show()
        QTest.qWaitForWindowExposed(self.window)
        settle(300)
        self.dialogs: list[QWidget] = []

    def set_case(self, theme: str, zoom: int) -> None:
        from fiche_desktop.content import TextVersion

        w = self.window
        w.settings.theme = theme
        w.apply_theme()
        w.set_zoom(zoom)
        w.set_version(TextVersion.STANDARD)
        settle()

    def show(self, screen: str) -> list[QWidget]:
        """Shows screen; returns the top-level windows it shows (the desk window, a dialog)."""
        from fiche_desktop.content import TextVersion
        from fiche_desktop.navigation import Location, Page

        w = self.window
        w.set_version(TextVersion.FALC if screen == "fiche-falc" else TextVersion.STANDARD)
        shown: list[QWidget] = [w]
        if screen == "home":
            w.go_home()
        elif screen.startswith("fiche"):
            w.open_fiche("msp")
        elif screen == "compare-2":
            w.search.leave()
            w.go(Location(Page.COMPARE, "msp,cpts"))
        elif screen == "compare-7":
            w.search.leave()
            w.go(Location(Page.COMPARE, "esp,msp,cds,cpts,dac,sas,ess"))
        elif screen == "guide":
            w.open_page("guide")
            w.guide_view.select_question("soins-48h")
        elif screen == "glossary":
            term = self.db.terms()[len(self.db.terms()) // 2].term
            w.open_page("glossary", f"terme-{term}")
        elif screen == "search":
            w.go_home()
            w.search_field.setText("coordination")
            settle(300)
        elif screen == "sources":
            w.open_page("sources")
        elif screen == "help":
            w.open_page("help")
        elif screen in ("print", "preview"):
            w.open_fiche("msp")
            dialog = w.open_print_dialog()
            self.dialogs.append(dialog)
            shown.append(dialog)
            if screen == "preview":
                self.printer = dialog.make_printer()  # the preview paints on it: kept alive
                preview = dialog.make_preview(self.printer)
                preview.show()
                self.dialogs.append(preview)
                shown.append(preview)
        elif screen == "settings":
            dialog = w.open_contact_settings()
            self.dialogs.append(dialog)
            shown.append(dialog)
        settle(250)
        for top in shown[1:]:
            QTest.qWaitForWindowExposed(top)
        settle(150)
        return shown

    def close_dialogs(self) -> None:
        for d in reversed(self.dialogs):
            d.close()
        self.dialogs.clear()
        self.window.clear_search()
        settle(50)

    def check(self, screen: str, theme: str, zoom: int) -> dict[str, object]:
        case = f"{theme}-{zoom}-{screen}"
        shown = self.show(screen)
        grab = self.window.screen().grabWindow(0)
        grab.save(str(self.out / f"{case}.png"))
        pixels = Pixels(grab.toImage())
        problems: list[str] = []
        for top in shown:
            problems += screen_problems(top)
            problems += layout_problems(top)
        # Text is measured on the top-most window only: a dialog covers the desk window's text.
        problems += contrast_problems(pixels, shown[-1], MIN_RATIO[theme])
        if screen in NO_SIDEWAYS:
            problems += sideways_problems(self.window.stack.currentWidget())
        self.close_dialogs()
        return {"case": case, "problems": problems}


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    screens = argv[1:] or list(SCREENS)
    walk = Walk(out)
    first = walk.window
    print(
        json.dumps(
            {"case": "first-start", "problems": screen_problems(first), "geometry": _box(first.frameGeometry())}
        ),
        flush=True,
    )
    for theme in THEMES:
        for zoom in ZOOMS:
            walk.set_case(theme, zoom)
            for screen in screens:
                print(json.dumps(walk.check(screen, theme, zoom)), flush=True)
    walk.window.close()
    settle(200)
    shutil.rmtree(_PROFILE, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
