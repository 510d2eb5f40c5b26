"""Files people and administrators control, hostile shapes: never a hang, a French line, nothing replaced.

Each shape runs under a guard that FAILS when it takes too long (a subprocess timeout, or a
thread joined with a deadline), instead of blocking the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fiche_desktop import config, files, paths
from fiche_desktop.kiosk import pin as admin_pin

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and device nodes are POSIX")

ROOT = Path(__file__).resolve().parents[2]


def cli(
    *args: str, timeout: float = 10, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`fiche-desktop ARGS…` in a subprocess of this checkout; a hang fails the test (TimeoutExpired)."""
    environment = dict(os.environ if env is None else env)
    environment["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + environment.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
    )


def within(seconds: float, call: Callable[[], Any]) -> Any:
    """call()'s result; the test fails (instead of hanging) when it has not returned in time."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as e:  # handed back to the test  # noqa: BLE001
            box["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"still running after {seconds} s (a blocking open?)")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


# --- The gate itself --------------------------------------------------------------------------

SPECIAL_SHAPES = {
    "fifo": lambda p: fifo(p),
    "folder": lambda p: p.mkdir(),
    "link to a fifo": lambda p: (fifo(p.with_name("real-fifo")), p.symlink_to(p.with_name("real-fifo"))),
    "device": lambda p: p.symlink_to("/dev/zero"),
}


@pytest.mark.parametrize("shape", SPECIAL_SHAPES)
def test_the_gate_refuses_what_is_not_a_regular_file_without_blocking(tmp_path: Path, shape: str) -> None:
    path = tmp_path / "file"
    SPECIAL_SHAPES[shape](path)
    with pytest.raises(files.SpecialFileError) as caught:
        within(5, lambda: files.read_controlled_file(path, 1024))
    assert "pas un fichier" in files.french_reason(caught.value)


def test_the_gate_caps_the_size(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(files.FileTooLargeError, match="trop grand"):
        files.read_controlled_file(path, 1024)
    assert files.read_controlled_file(path, 4096) == b"x" * 2048


# --- Readers ----------------------------------------------------------------------------------


def test_a_fifo_as_settings_gives_the_defaults_and_a_warning() -> None:
    fifo(paths.settings_file())
    settings, warnings = within(5, config.load_settings)
    assert settings == config.Settings()
    assert warnings == [
        f"Fichier de réglages illisible (« {paths.settings_file()} » est un tube nommé (FIFO), pas un fichier), "
        "réglages par défaut utilisés."
    ]
    assert paths.settings_file().is_fifo()  # not moved aside: not ours to rename


def test_saving_over_a_fifo_settings_is_refused_in_french() -> None:
    fifo(paths.settings_file())
    with pytest.raises(OSError) as caught:
        within(5, lambda: config.save_settings(config.Settings(zoom=150)))
    assert "tube nommé (FIFO)" in files.french_reason(caught.value)
    assert paths.settings_file().is_fifo()


@pytest.mark.parametrize("which", ["kiosk.toml", "kiosk-pin"])
def test_a_fifo_as_kiosk_file_gives_the_defaults_and_a_warning(tmp_path: Path, which: str) -> None:
    toml = tmp_path / "kiosk.toml"
    if which == "kiosk.toml":
        fifo(toml)
    else:
        toml.write_text("printing = true\n", encoding="utf-8")
        fifo(tmp_path / "kiosk-pin")
    cfg, warnings = within(5, lambda: config.load_kiosk_config(toml))
    assert cfg.admin_pin_hash == ""
    assert any("pas un fichier" in w for w in warnings), warnings


def test_a_lone_surrogate_in_settings_is_dropped_and_saving_works() -> None:
    paths.settings_file().parent.mkdir(parents=True)
    paths.settings_file().write_text('{"contact_phone": "\\ud800", "zoom": 130}', encoding="utf-8")
    settings, warnings = config.load_settings()
    assert settings.contact_phone == "" and settings.zoom == 130
    assert warnings == [
        "Réglages : « contact_phone » : caractères invalides (pas de l’Unicode valide), valeur par défaut utilisée"
    ]
    settings.zoom = 150
    config.save_settings(settings)
    assert config.load_settings()[0].zoom == 150


def test_a_huge_setting_value_is_echoed_cut_to_80_characters() -> None:
    paths.settings_file().parent.mkdir(parents=True)
    paths.settings_file().write_text('{"theme": "' + "x" * 3_000_000 + '"}', encoding="utf-8")
    _settings, warnings = config.load_settings()
    assert warnings == [f"Réglages : thème « {'x' * 79}… » inconnu, thème automatique utilisé"]


# --- The command line, in a subprocess --------------------------------------------------------


def profile_env(profile: Path) -> dict[str, str]:
    return dict(os.environ)  # the autouse fixture already points every folder into the profile


def test_search_with_a_fifo_as_current_json_answers_and_says_so() -> None:
    from fiche_desktop.packs import content_dir

    pointer = fifo(content_dir() / "current.json")
    out = cli("search", "msp")
    assert out.returncode == 0, out.stderr
    assert "msp" in out.stdout
    assert f"Fichier {pointer} illisible (« {pointer} » est un tube nommé (FIFO), pas un fichier)" in out.stderr


def test_random_bytes_as_current_json_are_reported() -> None:
    from fiche_desktop.packs import content_dir

    pointer = content_dir() / "current.json"
    pointer.parent.mkdir(parents=True)
    pointer.write_bytes(os.urandom(300))
    out = cli("search", "msp")
    assert out.returncode == 0, out.stderr
    assert f"Fichier {pointer} illisible (contenu invalide) : le contenu installé là est ignoré" in out.stderr


def test_import_with_a_fifo_as_trusted_key_does_not_hang(tmp_path: Path) -> None:
    fifo(paths.system_config_dir() / "trusted-keys" / "editeur.pub")
    pack = tmp_path / "p.zip"
    pack.write_bytes(b"PK")
    out = cli("import-pack", str(pack))
    assert out.returncode == 1
    assert out.stderr.startswith("Aucune clé de confiance : ce paquet ne peut pas être vérifié")


def test_import_of_a_fifo_as_pack_is_refused(tmp_path: Path) -> None:
    from tests.helpers import make_keys

    make_keys(tmp_path / "keys", "editeur").trust()
    pack = fifo(tmp_path / "p.zip")
    out = cli("import-pack", str(pack))
    assert (out.returncode, out.stderr) == (
        1,
        f"Paquet refusé : « {pack} » est un tube nommé (FIFO), pas un fichier.\n",
    )


def test_make_pack_with_a_fifo_as_key_is_refused(tmp_path: Path) -> None:
    key = fifo(tmp_path / "secret.key")
    out = cli("make-pack", str(ROOT / "data.db"), "--key", str(key), "-o", str(tmp_path / "p.zip"))
    assert out.returncode == 1
    assert out.stderr.startswith(f"Clé secrète illisible : {key} (« {key} » est un tube nommé (FIFO)")
    assert not (tmp_path / "p.zip").exists()


def device(folder: Path) -> Path:
    """A device node to write to: a private copy of /dev/null made with mknod as root (code that
    wrongly replaced it must never replace the system's own), /dev/null itself otherwise (a user
    cannot replace it, wrong code or not)."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    import stat

    node = folder / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return node


# Where kiosk-pin -o, make-pack -o and export -o must not write: (make the target, its expected line).
OUTPUT_SHAPES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "fifo": (lambda d: fifo(d / "out"), "est un tube nommé (FIFO), pas un fichier : il n’est pas remplacé"),
    "device": (lambda d: device(d), "est un périphérique, pas un fichier : il n’est pas remplacé"),
    "missing folder": (lambda d: d / "absent" / "out", "n’existe pas : créez-le ou choisissez un autre emplacement"),
    "folder": (lambda d: d, "est un dossier"),
}


@pytest.mark.parametrize("shape", OUTPUT_SHAPES)
@pytest.mark.parametrize("command", ["kiosk-pin", "make-pack", "export"])
def test_writers_refuse_special_targets_alike(tmp_path: Path, shape: str, command: str) -> None:
    make, expected = OUTPUT_SHAPES[shape]
    target = make(tmp_path)
    watched = target if target.exists() else tmp_path  # what must stay as it is
    before = os.stat(watched)
    args = {
        "kiosk-pin": ["kiosk-pin", "-o", str(target)],
        "make-pack": ["make-pack", str(ROOT / "data.db"), "--manifest-only", "-o", str(target)],
        "export": ["export", "msp", "-o", str(target)],
    }[command]
    out = cli(*args, stdin="73914628\n", timeout=30)
    assert out.returncode == 1, out.stdout
    assert expected in out.stderr
    assert not (tmp_path / "absent").exists()
    after = os.stat(watched)
    assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)


def test_kiosk_pin_still_creates_its_default_folder(tmp_path: Path) -> None:
    out = cli("kiosk-pin", stdin="73914628\n")
    assert out.returncode == 0, out.stderr
    assert admin_pin.pin_path().is_file()


def test_export_with_a_fifo_as_settings_writes_its_pdf(tmp_path: Path) -> None:
    settings = fifo(paths.settings_file())
    pdf = tmp_path / "msp.pdf"
    out = cli("export", "msp", "-o", str(pdf), timeout=30)
    assert out.returncode == 0, out.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert out.stderr == (
        f"Fichier de réglages illisible (« {settings} » est un tube nommé (FIFO), pas un fichier), "
        "réglages par défaut utilisés.\n"
    )
