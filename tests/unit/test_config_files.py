"""Settings and kiosk files nobody can break: hostile numbers, deep nesting, huge text, one bad
byte, concurrent saves, a weak or exposed PIN. Each ends in defaults for what is broken only,
a French warning, and a window, export or kiosk that still starts."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fiche_desktop import config, paths
from fiche_desktop.exit_codes import ExitCode
from fiche_desktop.kiosk import pin as admin_pin
from fiche_desktop.kiosk import session
from tests.conftest import REAL_DB
from tests.helpers import kiosk_pin

BIG = "1" + "0" * 399  # a 400-digit integer


def export_msp(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "fiche_desktop", "export", "msp", "-o", str(tmp_path / "msp.pdf"), "--db", str(REAL_DB)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def write_settings(text: str) -> Path:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- Desk settings -----------------------------------------------------------------------


def test_a_400_digit_zoom_falls_back_to_100_and_export_still_works(tmp_path: Path) -> None:
    write_settings(f'{{"zoom": {BIG}, "contact_name": "MSP des Tilleuls"}}')
    settings, warnings = config.load_settings()
    assert settings.zoom == 100 and settings.contact_name == "MSP des Tilleuls"
    assert warnings == ["Réglages : zoom hors limites (50 à 300 %), 100 % utilisé"]
    result = export_msp(tmp_path)
    assert result.returncode == ExitCode.OK, result.stderr
    assert "zoom hors limites" in result.stderr and (tmp_path / "msp.pdf").is_file()


def test_100000_nested_brackets_set_the_file_aside_and_export_still_works(tmp_path: Path) -> None:
    path = write_settings("[" * 100_000 + "]" * 100_000)
    settings, warnings = config.load_settings()
    assert settings == config.Settings()
    assert len(warnings) == 1 and "illisible" in warnings[0] and "conservé sous settings.json.corrompu-" in warnings[0]
    assert not path.exists() and list(path.parent.glob("settings.json.corrompu-*"))
    path.write_text("{" * 100_000, encoding="utf-8")
    result = export_msp(tmp_path)
    assert result.returncode == ExitCode.OK, result.stderr
    assert "Fichier de réglages illisible" in result.stderr


def test_a_huge_settings_file_is_set_aside() -> None:
    path = write_settings(json.dumps({"contact_name": "x" * (config.MAX_SETTINGS_BYTES + 10)}))
    settings, warnings = config.load_settings()
    assert settings == config.Settings() and "illisible" in warnings[0] and not path.exists()


def test_a_3_mb_contact_is_cut_to_500_characters_and_export_stays_quick(tmp_path: Path) -> None:
    write_settings(json.dumps({"contact_name": "Cabinet " * 400_000, "contact_phone": "04 67 00 00 00"}))
    settings, warnings = config.load_settings()
    assert len(settings.contact_name) == config.CONTACT_MAX_CHARS and settings.contact_phone == "04 67 00 00 00"
    assert warnings == ["Réglages : « contact_name » trop long, coupé à 500 caractères"]
    result = export_msp(tmp_path)  # within the subprocess timeout
    assert result.returncode == ExitCode.OK, result.stderr


def test_two_windows_saving_different_fields_keep_each_other_s() -> None:
    first, _ = config.load_settings()
    second, _ = config.load_settings()
    first.zoom = 150
    config.save_settings(first)
    second.contact_name = "Maison de santé des Tilleuls"
    config.save_settings(second)
    saved = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert saved["zoom"] == 150 and saved["contact_name"] == "Maison de santé des Tilleuls"
    assert second.zoom == 150  # the second window now holds the first one's zoom too
    first.text_version = "falc"
    config.save_settings(first)
    saved = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert saved == {**saved, "zoom": 150, "contact_name": "Maison de santé des Tilleuls", "text_version": "falc"}


SAVER = textwrap.dedent(
    """
    import sys
    from fiche_desktop import config
    field, count = sys.argv[1], int(sys.argv[2])
    settings, _ = config.load_settings()
    for i in range(count):
        setattr(settings, field, (60 + i % 200) if field == "zoom" else f"valeur {i}")
        config.save_settings(settings)
    """
)


def test_concurrent_saves_from_two_processes_lose_nothing() -> None:
    count = 60
    procs = [
        subprocess.Popen([sys.executable, "-c", SAVER, field, str(count)], stderr=subprocess.PIPE, text=True)
        for field in ("zoom", "contact_name", "contact_address")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    saved = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert saved["zoom"] == 60 + (count - 1) % 200
    assert saved["contact_name"] == saved["contact_address"] == f"valeur {count - 1}"
    assert not [p for p in paths.config_dir().iterdir() if p.name.endswith(".tmp")]


# --- Kiosk configuration -----------------------------------------------------------------


def kiosk_files(toml: bytes | str, pin: str | None = None, pin_mode: int = 0o640) -> Path:
    folder = paths.system_config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kiosk.toml"
    path.write_bytes(toml.encode("utf-8") if isinstance(toml, str) else toml)
    if pin is not None:
        pin_file = folder / "kiosk-pin"
        pin_file.write_text(pin + "\n", encoding="ascii")
        pin_file.chmod(pin_mode)
    return path


GOOD_HASH = admin_pin.hash_pin("482913", iterations=admin_pin.PIN_MIN_ITERATIONS)


def test_a_400_digit_number_falls_back_for_that_key_alone() -> None:
    path = kiosk_files(f'idle_timeout_seconds = {BIG}\nprinting = true\ntext_version = "standard"\n')
    cfg = session.load_config(path)
    assert (cfg.idle_timeout_seconds, cfg.printing, cfg.text_version) == (120, True, "standard")
    assert any("idle_timeout_seconds hors limites" in w for w in cfg.warnings)


def test_deep_nesting_costs_its_own_line_only(tmp_path: Path) -> None:
    nested = "fiches = " + "[" * 100_000 + "]" * 100_000
    path = kiosk_files(f'text_version = "standard"\n{nested}\nmax_pages_per_session = 3\n', pin=GOOD_HASH)
    cfg = session.load_config(path)
    assert (cfg.text_version, cfg.max_pages_per_session, cfg.fiches) == ("standard", 3, [])
    assert cfg.admin_pin_hash == GOOD_HASH
    assert any("TOML invalide" in w for w in cfg.warnings) and any("ligne 2" in w for w in cfg.warnings)


def test_one_bad_byte_keeps_every_other_setting_and_the_pin() -> None:
    toml = b'text_version = "standard"\n# caf\xe9 mal encod\xe9\nprinting = tr\xffue\nmax_pages_per_session = 4\n'
    path = kiosk_files(toml, pin=GOOD_HASH)
    cfg = session.load_config(path)
    assert (cfg.text_version, cfg.max_pages_per_session, cfg.printing) == ("standard", 4, False)
    assert cfg.admin_pin_hash == GOOD_HASH
    assert any("octets invalides" in w for w in cfg.warnings) and any("ligne 3" in w for w in cfg.warnings)


def test_a_multi_line_list_survives_a_broken_line_elsewhere() -> None:
    path = kiosk_files('fiches = [\n  "msp",\n  "esp",\n]\nidle_timeout_seconds = = 3\n')
    cfg = session.load_config(path)
    assert cfg.fiches == ["msp", "esp"] and cfg.idle_timeout_seconds == 120


def test_a_zero_iteration_pin_hash_means_no_pin_and_never_crashes() -> None:
    zero = "pbkdf2_sha256$0$" + "00" * 16 + "$" + "00" * 32
    path = kiosk_files(f'admin_pin_hash = "{zero}"\n')
    cfg = session.load_config(path)
    assert cfg.admin_pin_hash == ""
    assert any("itérations hors limites" in w for w in cfg.warnings)
    assert any("pas de code administrateur" in w for w in cfg.warnings)
    assert admin_pin.PinGuard(zero).check("1234") is False  # a visitor's try is refused, no crash
    kiosk_files("", pin=zero)
    cfg = session.load_config(path)
    assert cfg.admin_pin_hash == "" and any("kiosk-pin : empreinte refusée" in w for w in cfg.warnings)


@pytest.mark.parametrize(
    "value, problem",
    [
        ("pbkdf2_sha256$99999$" + "00" * 16 + "$" + "00" * 32, "itérations hors limites"),
        ("pbkdf2_sha256$10000001$" + "00" * 16 + "$" + "00" * 32, "itérations hors limites"),
        ("pbkdf2_sha256$" + "9" * 400 + "$" + "00" * 16 + "$" + "00" * 32, "itérations illisible"),
        ("pbkdf2_sha256$200000$00$" + "00" * 32, "sel de longueur inattendue"),
        ("pbkdf2_sha256$200000$" + "00" * 16 + "$00", "empreinte de longueur inattendue"),
        ("md5$200000$00$00", "format inconnu"),
    ],
)
def test_pin_hash_parameters_are_bounded(value: str, problem: str) -> None:
    assert problem in (admin_pin.pin_hash_problem(value) or "")
    assert admin_pin.verify_pin("1234", value) is False


def test_the_pin_file_wins_over_kiosk_toml() -> None:
    other = admin_pin.hash_pin("902716", iterations=admin_pin.PIN_MIN_ITERATIONS)
    path = kiosk_files(f'admin_pin_hash = "{other}"\n', pin=GOOD_HASH)
    cfg = session.load_config(path)
    assert cfg.admin_pin_hash == GOOD_HASH


@pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX permission bits; on Windows ProgramData's ACLs protect the files (README)"
)
def test_a_world_readable_pin_file_is_refused_with_the_fix() -> None:
    path = kiosk_files("", pin=GOOD_HASH, pin_mode=0o644)
    cfg = session.load_config(path)
    assert cfg.admin_pin_hash == ""
    warning = next(w for w in cfg.warnings if "kiosk-pin" in w and "autres comptes" in w)
    assert "0644" in warning and "fiche-desktop kiosk-pin --group" in warning
    (path.parent / "kiosk-pin").chmod(0o640)
    assert session.load_config(path).admin_pin_hash == GOOD_HASH


@pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX permission bits; on Windows ProgramData's ACLs protect the files (README)"
)
def test_a_pin_hash_in_a_world_readable_kiosk_toml_still_works_with_a_warning() -> None:
    path = kiosk_files(f'admin_pin_hash = "{GOOD_HASH}"\n')
    path.chmod(0o644)
    cfg = session.load_config(path)
    assert cfg.admin_pin_hash == GOOD_HASH
    assert any("lisible par tous" in w and "kiosk-pin" in w for w in cfg.warnings)


def test_a_broken_kiosk_toml_never_locks_the_administrator_out() -> None:
    path = kiosk_files(b"\x00\x01 ceci n'est pas du TOML [[[", pin=GOOD_HASH)
    cfg = session.load_config(path)
    assert cfg.admin_pin_hash == GOOD_HASH and admin_pin.PinGuard(cfg.admin_pin_hash).check("482913")


# --- kiosk-pin ---------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["0000", "1111", "1234", "9876", "7890", "3210", "123456", "1212", "123123", "2580"])
def test_trivial_pins_are_refused(pin: str) -> None:
    out = kiosk_pin(stdin=pin + "\n")
    assert out.returncode == ExitCode.ERROR and out.stdout == ""
    assert "trop facile à deviner" in out.stderr and "6 chiffres" in out.stderr
    assert not admin_pin.pin_path().exists()


@pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX groups (grp, chown); Windows: test_kiosk_pin_on_windows_refuses_group"
)
def test_kiosk_pin_writes_a_0640_file_the_kiosk_group_reads(tmp_path: Path) -> None:
    import grp

    group = grp.getgrgid(os.getgid()).gr_name
    out = kiosk_pin("--group", group, stdin="482913\n")
    assert out.returncode == ExitCode.OK, out.stderr
    pin_file = admin_pin.pin_path()
    st = pin_file.stat()
    assert stat.S_IMODE(st.st_mode) == 0o640 and grp.getgrgid(st.st_gid).gr_name == group
    assert "482913" not in pin_file.read_text() + out.stdout + out.stderr
    assert f"droits 0640, lisible par le groupe {group}" in out.stdout
    cfg = session.load_config(config.kiosk_config_path())
    assert admin_pin.verify_pin("482913", cfg.admin_pin_hash)


@pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX groups (grp, chown); Windows: test_kiosk_pin_on_windows_refuses_group"
)
def test_kiosk_pin_recommends_six_digits_and_names_an_unknown_group() -> None:
    out = kiosk_pin(stdin="7391\n")
    assert out.returncode == ExitCode.OK and "6 chiffres ou plus" in out.stderr
    out = kiosk_pin("--group", "groupe-qui-n-existe-pas", stdin="482913\n")
    assert out.returncode == ExitCode.ERROR and "groupe inconnu" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(sys.platform != "win32", reason="Windows' counterpart of the two tests above")
def test_kiosk_pin_on_windows_refuses_group() -> None:
    out = kiosk_pin(stdin="7391\n")
    assert out.returncode == 0 and "6 chiffres ou plus" in out.stderr
    out = kiosk_pin("--group", "Utilisateurs", stdin="482913\n")
    assert out.returncode == 1 and "n’existe pas sous Windows" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_kiosk_pin_to_an_unwritable_place_says_so_in_french(tmp_path: Path) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    out = kiosk_pin("-o", str(blocker / "kiosk-pin"), stdin="482913\n")
    assert out.returncode == ExitCode.ERROR and "Traceback" not in out.stderr
    assert "n’est pas un dossier" in out.stderr or "existe" in out.stderr


def test_settings_records_behave_as_values_with_lists_of_their_own() -> None:
    a, b = config.Settings(), config.Settings()
    a.favourites.append("msp")
    assert b.favourites == [] and config.Settings().favourites == []  # no list shared through the default
    assert config.Settings(zoom=130) == config.Settings(zoom=130) != config.Settings()
    assert config.Settings(on_disk={"zoom": 100}) == config.Settings()  # what was read from disk is not compared
    changed = a.replace(zoom=150)
    assert (changed.zoom, changed.favourites, a.zoom) == (150, ["msp"], 100)
    assert "on_disk" not in config.Settings.settable_names() and "warnings" not in config.KioskConfig.settable_names()
    assert repr(config.KioskConfig(fiches=["msp"])).startswith("KioskConfig(idle_timeout_seconds=120, ")
    with pytest.raises(TypeError):
        config.Settings(zooom=130)
