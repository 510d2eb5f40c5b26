"""The project's own standards, checked with the suite: ruff (lint and format) and mypy strict."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

PATHS = ["src", "tests", "benchmarks", "scripts", "installer"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="the source is linted and type-checked once, by the Linux suite (the Windows lane carries no ruff or mypy)",
)
def test_ruff_finds_nothing() -> None:
    out = run("ruff", "check", *PATHS)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="the source is linted and type-checked once, by the Linux suite (the Windows lane carries no ruff or mypy)",
)
def test_the_code_is_formatted() -> None:
    out = run("ruff", "format", "--check", *PATHS)
    assert out.returncode == 0, out.stdout[-4000:]


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="the source is linted and type-checked once, by the Linux suite (the Windows lane carries no ruff or mypy)",
)
def test_mypy_strict_on_every_module() -> None:
    out = run("mypy")  # pyproject.toml: every module of src/fiche_desktop, strict
    assert out.returncode == 0, out.stdout[-4000:]
    assert "no issues found" in out.stdout
