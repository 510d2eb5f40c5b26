"""The wheel, as a new user installs it: built, installed into a fresh virtual environment,
run from a folder outside the checkout. Then the same installation, broken on purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fiche_desktop.exit_codes import ExitCode
from tests.conftest import ROOT

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(3600)]  # builds take minutes: not the global 300 s


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv where the project's wheel is installed (with its dependencies)."""
    root = tmp_path_factory.mktemp("wheel")
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    wheels = list((root / "dist").glob("fiche_desktop-*.whl"))
    assert len(wheels) == 1, wheels
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheels[0])],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return venv / "bin"


def clean_env(bin_dir: Path) -> dict[str, str]:
    """The environment with nothing of the checkout or of the test venv in sight (no PYTHONPATH)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # the command line chooses off-screen by itself
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def run(bin_dir: Path, cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """fiche-desktop ARGS from cwd, in clean_env."""
    return subprocess.run(
        [str(bin_dir / "fiche-desktop"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_env(bin_dir),
        timeout=timeout,
    )


def installed_python(bin_dir: Path, cwd: Path, code: str) -> str:
    """What the installed wheel's Python prints for code, in clean_env."""
    out = subprocess.run(
        [str(bin_dir / "python"), "-c", code], capture_output=True, text=True, cwd=cwd, env=clean_env(bin_dir)
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_the_installed_wheel_searches_exports_and_passes_its_smoke_test(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    out = run(installed, elsewhere, "search", "msp", "--json")
    assert out.returncode == ExitCode.OK, out.stderr
    assert json.loads(out.stdout)[0]["slug"] == "msp"
    out = run(installed, elsewhere, "export", "msp", "-o", "x.pdf")
    assert out.returncode == ExitCode.OK, out.stderr
    assert (elsewhere / "x.pdf").read_bytes().startswith(b"%PDF")
    out = run(installed, elsewhere, "--smoke-test")
    assert out.returncode == ExitCode.OK, out.stderr[-2000:]
    assert "Test de fonctionnement réussi" in out.stdout


def test_the_wheel_uses_its_own_files_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    code = "from fiche_desktop import paths; print(paths.bundled_db()); print(paths.fonts_dir())"
    for line in installed_python(installed, tmp_path, code).splitlines():
        assert "site-packages" in line and str(ROOT) not in line, line


def test_a_broken_installation_names_the_missing_file(installed: Path, tmp_path: Path) -> None:
    """Last: it removes a font from the installation."""
    code = "from fiche_desktop import paths; print(paths.fonts_dir() / 'Andika-Regular.ttf')"
    font = Path(installed_python(installed, tmp_path, code).strip())
    # Never the checkout's font (the installation's Python once saw the checkout through PYTHONPATH).
    assert "site-packages" in font.parts and not font.is_relative_to(ROOT), font
    font.unlink()
    out = run(installed, tmp_path, "export", "msp", "-o", "x.pdf")
    assert out.returncode == ExitCode.ERROR
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Fichier de l’application manquant" in lines[0] and "Andika-Regular.ttf" in lines[0]
    assert "Traceback" not in out.stderr and not (tmp_path / "x.pdf").exists()
