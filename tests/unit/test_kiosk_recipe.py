"""The Linux kiosk recipe in installer/kiosk: example configuration, session wrapper, unit."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from fiche_desktop import config

KIOSK = Path(__file__).resolve().parents[2] / "installer" / "kiosk"


def test_the_example_documents_every_key_with_its_default() -> None:
    text = (KIOSK / "kiosk.toml.example").read_text(encoding="utf-8")
    parsed, warnings = config.parse_kiosk_config(text)
    assert warnings == []
    assert parsed == config.KioskConfig()
    settable = {f.name for f in dataclasses.fields(config.KioskConfig) if not f.metadata.get("internal")}
    # The PIN hash has its own file (kiosk-pin); the example only mentions the old key.
    assert set(tomllib.loads(text)) == settable - {"admin_pin_hash"} and "admin_pin_hash" in text


def write_stand_in_cage(folder: Path) -> Path:
    """Behaves like cage 0.1.x: runs its client, then exits 0 whatever the client did."""
    cage = folder / "cage"
    cage.write_text('#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done\nshift\n"$@"\nexit 0\n', encoding="utf-8")
    cage.chmod(0o755)
    return cage


@pytest.mark.skipif(os.name != "posix", reason="a POSIX shell script")
@pytest.mark.parametrize("status", [0, 1, 3])
def test_the_session_wrapper_forwards_the_app_status_through_cage(tmp_path: Path, status: int) -> None:
    app = tmp_path / "fiche-desktop"
    app.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/args"\nexit {status}\n', encoding="utf-8")
    app.chmod(0o755)
    env = {
        **os.environ,
        "FICHE_DESKTOP_BIN": str(app),
        "CAGE_BIN": str(write_stand_in_cage(tmp_path)),
        "RUNTIME_DIRECTORY": str(tmp_path),
    }
    done = subprocess.run(
        [str(KIOSK / "fiche-desktop-kiosk-session"), "--config", "/etc/k.toml"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == status
    assert (tmp_path / "args").read_text(encoding="utf-8").split() == ["--kiosk", "--config", "/etc/k.toml"]
    assert not list(tmp_path.glob("fiche-desktop-kiosk.*"))  # the status file is cleaned up


@pytest.mark.skipif(os.name != "posix", reason="a POSIX shell script")
def test_the_session_wrapper_fails_when_the_app_never_ran(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FICHE_DESKTOP_BIN": str(tmp_path / "absent"),
        "CAGE_BIN": "/bin/false",
        "RUNTIME_DIRECTORY": str(tmp_path),
    }
    done = subprocess.run(
        [str(KIOSK / "fiche-desktop-kiosk-session")], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 70 and "n'a pas rendu de code" in done.stderr


def test_the_unit_file_is_valid_for_systemd(tmp_path: Path) -> None:
    assert shutil.which("systemd-analyze"), "systemd-analyze missing: run scripts/install-system-deps.sh test"
    unit = (KIOSK / "fiche-desktop-kiosk.service").read_text(encoding="utf-8")
    assert "Restart=always" in unit and "RestartPreventExitStatus=0" in unit
    # verify checks that ExecStart exists: point it at the wrapper of this checkout.
    local = tmp_path / "fiche-desktop-kiosk.service"
    local.write_text(
        unit.replace("/usr/lib/fiche-desktop/fiche-desktop-kiosk-session", str(KIOSK / "fiche-desktop-kiosk-session")),
        encoding="utf-8",
    )
    done = subprocess.run(["systemd-analyze", "verify", str(local)], capture_output=True, text=True, timeout=60)
    problems = [line for line in (done.stdout + done.stderr).splitlines() if local.name in line]
    assert done.returncode == 0 and problems == [], done.stdout + done.stderr
