"""Every screen at every size, in both themes and at two zoom steps, as a real window under Xvfb
(no window manager): the window and its dialogs inside the screen, no widget cut or overlapping
a sibling, text contrast measured on the grabbed pixels, no sideways scrolling where one reads.

One Xvfb per screen size, one process (tests/e2e/matrix_driver.py) that walks the screens × themes ×
zoom steps on it. The grabs of the last run are kept in build/matrix/<width>x<height>/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.xserver import xvfb

pytestmark = pytest.mark.xvfb

ROOT = Path(__file__).resolve().parents[2]
GRABS = ROOT / "build" / "matrix"
SIZES = [(1024, 700), (1366, 768), (1920, 1080)]


def run_matrix(width: int, height: int) -> list[dict[str, object]]:
    """The driver's cases on a width × height screen, each with its problems."""
    out = GRABS / f"{width}x{height}"
    shutil.rmtree(out, ignore_errors=True)
    with xvfb(width, height) as env:
        env = {**env, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
        env.pop("QT_QPA_PLATFORM", None)
        done = subprocess.run(
            [sys.executable, "-X", "faulthandler", "-m", "tests.e2e.matrix_driver", str(out)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert done.returncode == 0, done.stderr[-4000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits_and_reads_at_this_size(width: int, height: int) -> None:
    cases = run_matrix(width, height)
    assert len(cases) == 1 + 13 * 2 * 2  # the first start, then 13 screens × 2 themes × 2 zoom steps
    failed = {c["case"]: c["problems"] for c in cases if c["problems"]}
    report = "\n".join(f"{case}:\n  " + "\n  ".join(problems) for case, problems in failed.items())
    assert not failed, f"{len(failed)} of {len(cases)} cases at {width}×{height} (grabs in {GRABS}):\n{report}"
