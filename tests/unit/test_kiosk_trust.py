"""The kiosk trusts kiosk.toml and the PIN file only when its own account cannot change them
(issue 32): owned by root, not writable by that account, in a folder it cannot write either;
otherwise no admin PIN (the kiosk stays locked, no exit) and the journal says why."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fiche_desktop.kiosk import pin as admin_pin
from fiche_desktop.kiosk.trust import admin_file_problem

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0,
    reason="root-owned files and another account's rights need root (make test and CI run as root); "
    "Windows keeps its rights in ACLs",
)

HASH = admin_pin.hash_pin("2468", iterations=admin_pin.PIN_MIN_ITERATIONS)


@pytest.fixture
def etc() -> Iterator[Path]:
    """A root-owned folder that every account can read, as /etc/fiche-desktop is."""
    folder = Path(tempfile.mkdtemp(prefix="fiche-kiosk-etc-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_root_owned_files_are_trusted_and_others_are_not(etc: Path) -> None:
    import pwd

    nobody = pwd.getpwnam("nobody")
    toml = etc / "kiosk.toml"
    toml.write_text(f'admin_pin_hash = "{HASH}"\n', encoding="utf-8")
    assert admin_file_problem(toml) is None
    assert admin_file_problem(etc / "absent") is None
    os.chown(toml, nobody.pw_uid, -1)
    assert admin_file_problem(toml) == f"{toml} appartient au compte n° {nobody.pw_uid}, pas à root"
    os.chown(toml, 0, -1)
    os.chown(etc, nobody.pw_uid, -1)
    assert admin_file_problem(toml) == f"{toml} : son dossier {etc} appartient au compte n° {nobody.pw_uid}, pas à root"


def test_a_link_to_a_file_in_a_folder_another_account_owns_is_not_trusted(etc: Path, unprivileged) -> None:
    """/etc/fiche-desktop/kiosk.toml may be a link: the folder of the file it leads to counts too."""
    elsewhere = unprivileged.home / "kiosk.toml"  # root's file, in a folder the other account owns
    elsewhere.write_text("printing = true\n", encoding="utf-8")
    link = etc / "kiosk.toml"
    link.symlink_to(elsewhere)
    problem = admin_file_problem(link)
    assert problem is not None and f"son dossier {unprivileged.home} appartient au compte n°" in problem


LOAD = (
    "import sys; from pathlib import Path; from fiche_desktop.kiosk import session; "
    "session.setup_logging(); cfg = session.load_config(Path(sys.argv[1])); "
    "print('PIN' if cfg.admin_pin_hash else 'NO PIN')"
)


def load_as_the_kiosk_account(unprivileged, toml: Path) -> tuple[str, str]:
    result = unprivileged.run([sys.executable, "-c", LOAD, str(toml)])
    assert result.returncode == 0, result.stderr
    return result.stdout.strip(), result.stderr


def admin_files(etc: Path) -> tuple[Path, Path]:
    """kiosk.toml (0644 root:root) and the PIN file (0640 root:nogroup), as the setup makes them."""
    toml = etc / "kiosk.toml"
    toml.write_text("idle_timeout_seconds = 60\n", encoding="utf-8")
    toml.chmod(0o644)
    pin_file = etc / admin_pin.PIN_FILE
    admin_pin.write_pin_file(pin_file, HASH, group="nogroup")
    return toml, pin_file


def test_the_admin_files_as_the_setup_makes_them_are_trusted(unprivileged, etc: Path) -> None:
    answer, log = load_as_the_kiosk_account(unprivileged, admin_files(etc)[0])
    assert answer == "PIN", log
    assert "Fichier d’administration refusé" not in log


@pytest.mark.parametrize("writable", ["kiosk.toml", "kiosk-pin", "the folder"])
def test_a_file_the_kiosk_account_can_change_leaves_the_kiosk_locked(unprivileged, etc: Path, writable: str) -> None:
    """Checked with the kiosk account's real rights (here the unprivileged user's): root's
    files with mode bits that let every account write them, or a folder it can write."""
    toml, pin_file = admin_files(etc)
    if writable == "kiosk.toml":
        toml.chmod(0o666)
    elif writable == "kiosk-pin":
        unprivileged.own(pin_file)  # the kiosk's own account owns it: it can write it
        pin_file.chmod(0o600)
    elif writable == "the folder":
        etc.chmod(0o777)
    answer, log = load_as_the_kiosk_account(unprivileged, toml)
    assert answer == "NO PIN", log
    assert "Fichier d’administration refusé" in log and "le kiosque reste verrouillé sans sortie" in log
    reason = {
        "kiosk.toml": f"{toml} : fichier modifiable par le compte du kiosque",
        "kiosk-pin": f"{pin_file} appartient au compte n°",
        "the folder": f"{toml} : son dossier {etc} : dossier modifiable par le compte du kiosque",
    }[writable]
    assert reason in log, log
