"""Where the application keeps its files on each platform, and output that never fails on a narrow
code page (Windows gives a pipe or a file its ANSI code page, cp1252)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fiche_desktop import paths

OVERRIDES = [
    "FICHE_DESKTOP_CONFIG_DIR",
    "FICHE_DESKTOP_DATA_DIR",
    "FICHE_DESKTOP_SYSTEM_CONFIG_DIR",
    "FICHE_DESKTOP_SYSTEM_DATA_DIR",
    "FICHE_DESKTOP_KIOSK_STATE_DIR",
]


@pytest.fixture
def no_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OVERRIDES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("STATE_DIRECTORY", raising=False)


@pytest.mark.skipif(sys.platform == "win32", reason="the Linux folders; Windows: the test below")
def test_linux_folders_are_etc_var_lib_and_xdg(no_overrides, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert paths.system_config_dir() == Path("/etc/fiche-desktop")
    assert paths.system_data_dir() == Path("/var/lib/fiche-desktop")
    assert paths.config_dir() == tmp_path / "cfg" / "fiche-desktop"
    assert paths.data_dir() == tmp_path / "share" / "fiche-desktop"
    assert paths.kiosk_state_dir() == paths.data_dir()


@pytest.mark.skipif(sys.platform != "win32", reason="the Windows folders; Linux: the test above")
def test_windows_folders_are_programdata_appdata_and_localappdata(no_overrides) -> None:
    program_data = Path(os.environ["PROGRAMDATA"])
    assert paths.system_config_dir() == program_data / "FicheDesktop"
    assert paths.system_data_dir() == program_data / "FicheDesktop" / "data"
    assert paths.config_dir() == Path(os.environ["APPDATA"]) / "fiche-desktop"
    assert paths.data_dir() == Path(os.environ["LOCALAPPDATA"]) / "fiche-desktop"
    assert paths.kiosk_state_dir() == paths.data_dir()


def test_a_state_directory_with_a_drive_letter_is_kept_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """systemd's list is split on os.pathsep: "C:\\…" on Windows is one folder, not "C"."""
    monkeypatch.delenv("FICHE_DESKTOP_KIOSK_STATE_DIR")
    folder = "C:\\ProgramData\\FicheDesktop\\state" if sys.platform == "win32" else "/var/lib/fiche-desktop-kiosk"
    monkeypatch.setenv("STATE_DIRECTORY", folder)
    assert paths.kiosk_state_dir() == Path(folder)


def run_narrow(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The command line with an output encoding narrower than the text (ASCII: narrower than cp1252)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUTF8"}
    env["PYTHONIOENCODING"] = "ascii"
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", *args], input=stdin, capture_output=True, timeout=120, env=env
    )


def test_text_the_output_cannot_hold_is_replaced_never_a_crash() -> None:
    out = run_narrow("search", "zzzzqqqq")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == b"Aucun r?sultat"
    out = run_narrow("kiosk-pin", stdin="١٢٣٤\n".encode())  # Arabic-Indic digits
    assert out.returncode == 1 and b"Traceback" not in out.stderr
    assert b"le code doit avoir de 4 ? 12 chiffres" in out.stderr


def test_json_is_utf8_whatever_the_output_encoding() -> None:
    out = run_narrow("search", "travailleurs indépendants", "--falc", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout.decode("utf-8"))
    assert "travailleurs indépendants" in rows[0]["snippet"]


def test_the_windows_lane_installs_every_pinned_dependency_of_the_project() -> None:
    """installer/windows/wine/requirements.txt carries each run-time and dev dependency of
    pyproject.toml at the same version (the lint tools run on Linux only): a dependency added to
    the project and forgotten there fails the lane on a module that cannot be imported."""
    import tomllib

    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pins = {line.split("#")[0].strip().lower() for line in wanted}
    pins -= {p for p in pins if p.split("==")[0] in ("ruff", "mypy")}
    lane = root / "installer" / "windows" / "wine" / "requirements.txt"
    listed = {line.strip().lower() for line in lane.read_text(encoding="utf-8").splitlines() if "==" in line}
    assert pins and pins <= listed, sorted(pins - listed)
