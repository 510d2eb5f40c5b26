"""Runs Debian's /usr/bin/orca unchanged, its debug file line-buffered so that a test reads what Orca
speaks while it runs (Orca writes it in blocks otherwise). Run with /usr/bin/python3 (Orca's own).

usage: python3 orca_launcher.py DEBUG_FILE [orca options…]
"""

import builtins
import runpy
import sys

# This folder is not Orca's: its modules must not shadow Orca's own packages.
sys.path[:] = [p for p in sys.path if p and not p.endswith("tests/e2e")]
debug_path = sys.argv[1]
_open = builtins.open


def line_buffered_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
    if str(file) == debug_path and "w" in mode:
        return _open(file, mode, buffering=1, encoding="utf-8")
    return _open(file, mode, *args, **kwargs)


builtins.open = line_buffered_open
sys.argv = ["/usr/bin/orca", "--debug-file", debug_path, *sys.argv[2:]]
runpy.run_path("/usr/bin/orca", run_name="__main__")
