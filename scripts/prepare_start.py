"""Prepares an installed environment (`make setup`) for a fast start of every PySide6 program.

1. PySide6's runtime support modules (shibokensupport: signatures, feature switches) ship as a
   zip archive embedded, base64-encoded, inside libshiboken6; every start of every PySide6
   program decodes it and compiles those modules from source (about 100 M instructions, 16 %
   of a bare PySide6 window's start). `SBK_EMBED=0`, PySide6's own switch, writes them once
   as files beside the shiboken6 package (shiboken6/files.dir), which shiboken6 then imports
   like any module; they are compiled here to bytecode.
2. The application's own modules are compiled to bytecode (an editable install otherwise
   compiles them at each start when PYTHONDONTWRITEBYTECODE is set or src/ is read-only).

Usage: python scripts/prepare_start.py   (with the environment's interpreter; idempotent)
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def unpack_shiboken_support() -> Path | None:
    """shiboken6/files.dir, written once (SBK_EMBED=0) and compiled; None without shiboken6."""
    spec = importlib.util.find_spec("shiboken6")
    if spec is None or spec.origin is None:
        return None
    files_dir = Path(spec.origin).parent / "files.dir"
    if not files_dir.is_dir():
        env = {**os.environ, "SBK_EMBED": "0"}
        subprocess.run([sys.executable, "-c", "import shiboken6.Shiboken"], env=env, check=True)
    if files_dir.is_dir():
        compileall.compile_dir(str(files_dir), quiet=1)
        return files_dir
    return None


def main() -> int:
    files_dir = unpack_shiboken_support()
    print(f"shibokensupport : {files_dir or 'shiboken6 absent'}")
    src = ROOT / "src"
    if src.is_dir():
        compileall.compile_dir(str(src), quiet=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
