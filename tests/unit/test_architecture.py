"""The architecture, read from the source: imports go one way, the domain never loads Qt.

content ← db ← presentation, search, compare, packs ← render ← printing ← views ← app, with cli ← app;
only __main__ imports app. The graph is built from every module's import statements (ast),
those inside functions included. No cycle either, but through imports for type hints only (under
`if TYPE_CHECKING:`, never run): a part may name the type of the window that owns it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "fiche_desktop"
PACKAGE = "fiche_desktop"

# The layers, lowest first. A module may import modules of its own layer or of lower ones.
LAYERS: list[tuple[str, list[str]]] = [
    (
        "base",
        [
            "fiche_desktop",
            "paths",
            "content",
            "theme",
            "files",
            "signing",
            "schema",
            "exit_codes",
            "session_bus",
            "window_fit",
        ],
    ),
    # kiosk.pin: the admin PIN's hash and file, which config reads (the rest of kiosk/ is domain).
    ("store", ["config", "db", "build", "kiosk.pin", "contacts"]),
    ("domain", ["presentation", "search", "compare", "guide", "navigation", "packs", "packs.*", "kiosk", "kiosk.*"]),
    ("render", ["render"]),
    ("printing", ["printing", "printing.*"]),
    ("gui", ["gui", "gui.*"]),
    ("views", ["views", "views.*"]),
    ("cli", ["cli", "console"]),
    ("app", ["app"]),
    ("entry", ["__main__"]),
]
# Where Qt may be loaded: the screens (views/), the Qt services (gui/) and the wiring (app).
QT_FOLDERS = ("views", "gui", "app", "__main__")


def qt_free_modules() -> list[str]:
    """Every module outside views/, gui/ and app: the tree itself says which folders are Qt-free."""
    return sorted(name for name in all_modules() if name != PACKAGE and name.split(".")[0] not in QT_FOLDERS)


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or PACKAGE


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _type_hints_only(tree: ast.AST) -> set[int]:
    """The nodes under `if TYPE_CHECKING:` (imports for type hints, never run)."""
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for statement in node.body
        for inner in ast.walk(statement)
    }


def imports_of(path: Path, name: str, known: set[str], *, type_hints: bool = True) -> set[str]:
    """The project modules that path imports (absolute or relative), anywhere in its code;
    type_hints=False: leaves out the imports under `if TYPE_CHECKING:`."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped = set() if type_hints else _type_hints_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package and package != PACKAGE else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                mod = ".".join([*base, node.module] if node.module else base)
                targets = [f"{PACKAGE}.{mod}" if mod else PACKAGE]
            elif node.module:
                targets = [node.module]
            # `from fiche_desktop import config` imports the module config
            targets += [f"{t}.{a.name}" for t in list(targets) for a in node.names]
        for target in targets:
            if target == PACKAGE:
                found.add(PACKAGE)
            elif target.startswith(PACKAGE + "."):
                short = target[len(PACKAGE) + 1 :]
                while short and short not in known:
                    short = short.rpartition(".")[0]
                if short:
                    found.add(short)
    found.discard(name)
    return found


def graph(*, type_hints: bool = True) -> dict[str, set[str]]:
    modules = all_modules()
    known = set(modules)
    return {name: imports_of(path, name, known, type_hints=type_hints) for name, path in modules.items()}


def layer_of(name: str) -> int:
    for index, (_, members) in enumerate(LAYERS):
        for m in members:
            if name == m or (m.endswith(".*") and name.startswith(m[:-1])):
                return index
    raise AssertionError(f"module {name} has no layer: add it to LAYERS in {Path(__file__).name}")


def test_every_module_has_a_layer() -> None:
    for name in all_modules():
        layer_of(name)


def test_imports_go_one_way() -> None:
    wrong = [
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {dep} ({LAYERS[layer_of(dep)][0]})"
        for name, deps in graph().items()
        for dep in deps
        if dep != PACKAGE and layer_of(dep) > layer_of(name)
    ]
    assert not wrong, "\n".join(wrong)


def test_only_main_imports_app() -> None:
    assert {n for n, deps in graph().items() if "app" in deps} <= {"__main__"}


def test_no_import_cycle() -> None:
    g = graph(type_hints=False)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(g.get(node, ())):
            if dep == PACKAGE or dep.startswith(node + "."):
                continue  # a package's __init__ may name its submodules
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep) :] + [dep]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node)


def test_the_checker_sees_a_cycle_and_a_wrong_way_import(tmp_path: Path) -> None:
    """The graph test must be able to fail: a relative import and a function-level one are seen."""
    pkg = tmp_path / "fiche_desktop"
    (pkg / "views").mkdir(parents=True)
    (pkg / "db.py").write_text("def f():\n    from .views import home\n", encoding="utf-8")
    (pkg / "views" / "home.py").write_text("from fiche_desktop import db\n", encoding="utf-8")
    known = {"db", "views.home", "views"}
    assert imports_of(pkg / "db.py", "db", known) == {"views.home", "views"}
    assert imports_of(pkg / "views" / "home.py", "views.home", known) == {"db", "fiche_desktop"}
    assert layer_of("views.home") > layer_of("db")  # so db importing views.home is reported
    # An import for type hints only counts for the layers, not for cycles.
    (pkg / "views" / "bar.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from fiche_desktop.views import home\n",
        encoding="utf-8",
    )
    known.add("views.bar")
    assert imports_of(pkg / "views" / "bar.py", "views.bar", known) == {"views.home", "views"}
    assert imports_of(pkg / "views" / "bar.py", "views.bar", known, type_hints=False) == set()


def _loaded_after(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_domain_modules_and_cli_never_load_pyside6() -> None:
    assert {"kiosk.session", "printing.data", "render", "cli", "db"} <= set(qt_free_modules())
    code = (
        "import sys\n"
        + "".join(f"import fiche_desktop.{m}\n" for m in qt_free_modules())
        + "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    assert _loaded_after(code) == "[]"


@pytest.mark.parametrize("argv", [["kiosk-pin", "--help"], ["search", "msp"], ["--help"], ["rollback", "--help"]])
def test_qt_free_commands_do_not_load_pyside6(argv: list[str]) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from fiche_desktop import app\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    status = app.main({argv!r})\n"
        "assert status == 0, status\n"
        "assert out.getvalue().strip()\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    assert _loaded_after(code) == "[]"


def test_unit_tests_import_no_qt() -> None:
    """Every module of tests/unit, imported as pytest would, leaves PySide6 unloaded."""
    names = [f"tests.unit.{p.stem}" for p in sorted((ROOT / "tests" / "unit").glob("test_*.py"))]
    code = (
        "import sys, importlib\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    assert _loaded_after(code) == "[]"
