"""Domain modules never import Qt."""

from __future__ import annotations

import subprocess
import sys

DOMAIN = ["content", "build", "db", "search", "render", "config", "paths"]


def test_domain_modules_do_not_load_pyside6() -> None:
    code = (
        "import sys\n"
        + "".join(f"import fiche_desktop.{m}\n" for m in DOMAIN)
        + "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
