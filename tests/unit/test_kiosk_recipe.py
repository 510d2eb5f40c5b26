"""The Linux kiosk recipe in installer/kiosk: example configuration, session wrapper, unit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from fiche_desktop import config
from fiche_desktop.kiosk import pin as admin_pin
from tests.conftest import Unprivileged

KIOSK = Path(__file__).resolve().parents[2] / "installer" / "kiosk"


def test_the_example_documents_every_key_with_its_default() -> None:
    text = (KIOSK / "kiosk.toml.example").read_text(encoding="utf-8")
    parsed, warnings = config.parse_kiosk_config(text)
    assert warnings == []
    assert parsed == config.KioskConfig()
    settable = set(config.KioskConfig.settable_names())
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


UNITS = ("fiche-desktop-kiosk.service", "fiche-desktop-kiosk-x11.service", "fiche-desktop-kiosk-failure@.service")


def local_units(folder: Path) -> list[Path]:
    """The units with their ExecStart= pointing at this checkout (verify checks they exist)."""
    out = []
    for name in UNITS:
        text = (KIOSK / name).read_text(encoding="utf-8").replace("/usr/lib/fiche-desktop/", f"{KIOSK}/")
        (folder / name).write_text(text, encoding="utf-8")
        out.append(folder / name)
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="systemd units of the Linux kiosk (systemd-analyze)")
def test_the_unit_files_are_valid_for_systemd(tmp_path: Path) -> None:
    assert shutil.which("systemd-analyze"), "systemd-analyze missing: run scripts/install-system-deps.sh test"
    units = local_units(tmp_path)
    instance = "fiche-desktop-kiosk-failure@fiche-desktop-kiosk.service.service"
    done = subprocess.run(
        ["systemd-analyze", "verify", str(units[0]), str(units[1]), instance],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    problems = [line for line in (done.stdout + done.stderr).splitlines() if "fiche-desktop" in line]
    assert done.returncode == 0 and problems == [], done.stdout + done.stderr


@pytest.mark.parametrize("unit", UNITS[:2])
def test_the_kiosk_units_restart_and_are_sandboxed(unit: str) -> None:
    text = (KIOSK / unit).read_text(encoding="utf-8")
    lines = set(text.splitlines())
    for wanted in (
        "Restart=always",
        "RestartPreventExitStatus=0",
        "User=kiosque",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=tmpfs",
        "PrivateTmp=yes",
        "StateDirectory=fiche-desktop-kiosk",
        "OnFailure=fiche-desktop-kiosk-failure@%n.service",
    ):
        assert wanted in lines, wanted
    bind = next(line for line in lines if line.startswith("BindPaths="))
    assert "-/home/kiosque" in bind and "/run/user" in bind  # the kiosk's own home, its runtime folder


def test_the_failure_hook_says_what_happened_and_what_to_do() -> None:
    text = (KIOSK / "fiche-desktop-kiosk-failure@.service").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("ExecStart="))
    assert "<3>" in line  # error priority in the journal
    assert "journalctl" in line and "systemctl reset-failed" in line and "%i" in line


# --- The X11 session -----------------------------------------------------------------------


def write_stand_in_xinit(folder: Path) -> Path:
    """Behaves like xinit: runs its client (with the client's arguments), then ends."""
    xinit = folder / "xinit"
    xinit.write_text(
        '#!/bin/sh\nclient=$1; shift; args=""\n'
        'while [ $# -gt 0 ] && [ "$1" != "--" ]; do args="$args $1"; shift; done\n'
        'shift; echo "$@" > "$(dirname "$0")/server-args"\n'
        '# shellcheck disable=SC2086\n"$client" $args\nexit 0\n',
        encoding="utf-8",
    )
    xinit.chmod(0o755)
    return xinit


@pytest.mark.skipif(os.name != "posix", reason="a POSIX shell script")
@pytest.mark.parametrize("status", [0, 1, 3])
def test_the_x11_session_forwards_the_app_status_through_xinit(tmp_path: Path, status: int) -> None:
    app = tmp_path / "fiche-desktop"
    app.write_text(f'#!/bin/sh\necho "$QT_QPA_PLATFORM $@" > "{tmp_path}/args"\nexit {status}\n', encoding="utf-8")
    app.chmod(0o755)
    write_stand_in_xinit(tmp_path)
    env = {
        **os.environ,
        "PATH": f"{tmp_path}:{os.environ['PATH']}",
        "FICHE_DESKTOP_BIN": str(app),
        "RUNTIME_DIRECTORY": str(tmp_path),
    }
    env.pop("DISPLAY", None)
    done = subprocess.run(
        [str(KIOSK / "fiche-desktop-kiosk-x11-session"), "--config", "/etc/k.toml"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == status, done.stderr
    assert (tmp_path / "args").read_text(encoding="utf-8").split() == ["xcb", "--kiosk", "--config", "/etc/k.toml"]
    server = (tmp_path / "server-args").read_text(encoding="utf-8").split()
    assert server[:3] == ["/usr/lib/xorg/Xorg", ":0", "-noreset"]
    assert {"vt1", "-keeptty", "-nolisten", "tcp"} <= set(server)
    assert not list(tmp_path.glob("fiche-desktop-kiosk.*"))


@pytest.mark.skipif(os.name != "posix", reason="a POSIX shell script")
def test_the_x11_session_fails_when_the_app_never_ran(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FICHE_DESKTOP_XSERVER": "/bin/false",
        "FICHE_DESKTOP_BIN": str(tmp_path / "absent"),
        "RUNTIME_DIRECTORY": str(tmp_path),
        "PATH": f"{tmp_path}:{os.environ['PATH']}",
    }
    (tmp_path / "xinit").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (tmp_path / "xinit").chmod(0o755)
    done = subprocess.run(
        [str(KIOSK / "fiche-desktop-kiosk-x11-session")], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 70 and "n'a pas rendu de code" in done.stderr


def test_the_shipped_openbox_binds_nothing_and_has_one_desktop() -> None:
    import xml.etree.ElementTree as ET

    ns = {"ob": "http://openbox.org/3.4/rc"}
    root = ET.parse(KIOSK / "openbox-rc.xml").getroot()
    assert root.findall(".//ob:keybind", ns) == [] and root.findall(".//ob:mousebind", ns) == []
    assert root.findall(".//ob:context", ns) == []
    assert root.findtext("ob:desktops/ob:number", namespaces=ns) == "1"
    app = root.find("ob:applications/ob:application", ns)
    assert app is not None and app.get("class") == "*"
    settings = {c.tag.split("}")[1]: c.text for c in app}
    assert settings.items() >= {"decor": "no", "fullscreen": "yes", "layer": "above", "desktop": "all"}.items()


# --- Hardening: fiche-desktop-kiosk-setup --------------------------------------------------

SETUP = KIOSK / "fiche-desktop-kiosk-setup"


def throwaway_root(folder: Path, *, kiosk_in_video: bool = False) -> Path:
    """A system root with just the account files, as useradd --root needs them."""
    etc = folder / "etc"
    etc.mkdir(parents=True)
    passwd = ["root:x:0:0:root:/root:/bin/sh"]
    group = ["root:x:0:", "video:x:44:" + ("kiosque" if kiosk_in_video else "")]
    shadow = ["root:*:19000:0:99999:7:::"]
    gshadow = ["root:*::", "video:!::" + ("kiosque" if kiosk_in_video else "")]
    if kiosk_in_video:
        passwd.append("kiosque:x:1001:1001::/home/kiosque:/bin/sh")
        group.append("kiosque:x:1001:")
        shadow.append("kiosque:$6$salt$hash:19000:0:99999:7:::")
        gshadow.append("kiosque:!::")
    for name, lines in (("passwd", passwd), ("group", group), ("shadow", shadow), ("gshadow", gshadow)):
        (etc / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run_setup(
    root: Path, *args: str, pin: str = "", user: Unprivileged | None = None
) -> subprocess.CompletedProcess[str]:
    """The set-up script on root, run by the current user or by user."""
    for tool in ("useradd", "usermod", "userdel", "groupdel"):
        assert shutil.which(tool), f"{tool} missing (package passwd): run scripts/install-system-deps.sh test"
    app = root.parent / "fiche-desktop"  # this checkout's command, for --pin
    app.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m fiche_desktop "$@"\n', encoding="utf-8")
    app.chmod(0o755)
    env = {**os.environ, "FICHE_DESKTOP_BIN": str(app)}
    command = [str(SETUP), "--root", str(root), *args]
    if user is not None:
        return user.run(command, env=env, input=pin, timeout=60)
    return subprocess.run(command, input=pin, capture_output=True, text=True, timeout=60, env=env)


def entry(root: Path, file: str, name: str) -> list[str] | None:
    for line in (root / "etc" / file).read_text(encoding="utf-8").splitlines():
        if line.split(":")[0] == name:
            return line.split(":")
    return None


def require_root() -> None:
    """useradd --root and chown need root: CI and this project's machines run the suite as root
    (the refusal without root is checked as nobody, above)."""
    assert os.geteuid() == 0, "the set-up script's work needs root: run the suite as root (CI does)"


@pytest.mark.skipif(
    sys.platform == "win32", reason="runs commands as the POSIX account nobody (setpriv); Windows has no such account"
)
def test_setup_refuses_plainly_without_root(unprivileged) -> None:
    """Run by an unprivileged user, the script stops at once with one French line, changing nothing."""
    root = throwaway_root(unprivileged.home / "root")
    before = {p: p.read_bytes() for p in (root / "etc").iterdir()}
    done = run_setup(root, user=unprivileged)
    assert done.returncode == 1 and "administrateur" in done.stderr, done.stderr
    assert {p: p.read_bytes() for p in (root / "etc").iterdir()} == before


@pytest.mark.skipif(sys.platform == "win32", reason="fiche-desktop-kiosk-setup is the Linux kiosk's POSIX shell script")
def test_setup_locks_the_machine_down_in_a_throwaway_root(tmp_path: Path) -> None:
    require_root()
    root = throwaway_root(tmp_path / "root")
    done = run_setup(root, "--pin", pin="246813\n")
    assert done.returncode == 0, done.stderr
    logind = (root / "etc/systemd/logind.conf.d/90-fiche-desktop-kiosk.conf").read_text(encoding="utf-8")
    for line in ("[Login]", "NAutoVTs=0", "ReserveVT=0", "HandlePowerKey=ignore"):
        assert line in logind.splitlines(), line
    assert "kernel.sysrq = 0" in (root / "etc/sysctl.d/90-fiche-desktop-kiosk.conf").read_text(encoding="utf-8")
    assert os.readlink(root / "etc/systemd/system/ctrl-alt-del.target") == "/dev/null"
    account = entry(root, "passwd", "kiosque")
    assert account is not None and account[5] == "/var/lib/fiche-desktop-kiosk" and account[6] == "/usr/sbin/nologin"
    uid, gid = int(account[2]), int(account[3])
    assert entry(root, "group", "kiosque")[2] == str(gid)  # type: ignore[index]
    members = {
        line.split(":")[0] for line in (root / "etc/group").read_text().splitlines() if "kiosque" in line.split(":")[3]
    }
    assert members == set()  # in no group but its own
    assert entry(root, "shadow", "kiosque")[1].startswith("!")  # type: ignore[index]  # no password
    pin = root / "etc/fiche-desktop/kiosk-pin"
    info = pin.stat()
    assert (info.st_mode & 0o777, info.st_uid, info.st_gid) == (0o640, 0, gid)
    hashed, problems = admin_pin.read_pin_file(pin)
    assert problems == [] and hashed and admin_pin.verify_pin("246813", hashed)
    home = (root / "var/lib/fiche-desktop-kiosk").stat()
    assert (home.st_mode & 0o777, home.st_uid) == (0o700, uid)
    # Twice is the same as once; the administrator's PIN is kept (and its rights put back).
    pin.chmod(0o644)
    assert run_setup(root).returncode == 0
    assert pin.read_text(encoding="utf-8").strip() == hashed and pin.stat().st_mode & 0o777 == 0o640
    assert entry(root, "passwd", "kiosque") == account
    # --undo takes back what setup did, and keeps the PIN the administrator wrote.
    done = run_setup(root, "--undo")
    assert done.returncode == 0, done.stderr
    assert not (root / "etc/systemd/logind.conf.d/90-fiche-desktop-kiosk.conf").exists()
    assert not (root / "etc/sysctl.d/90-fiche-desktop-kiosk.conf").exists()
    assert not os.path.lexists(root / "etc/systemd/system/ctrl-alt-del.target")
    assert entry(root, "passwd", "kiosque") is None and entry(root, "group", "kiosque") is None
    assert not (root / "var/lib/fiche-desktop-kiosk").exists()
    assert pin.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="fiche-desktop-kiosk-setup is the Linux kiosk's POSIX shell script")
def test_setup_takes_an_existing_account_out_of_other_groups_and_undo_puts_it_back(tmp_path: Path) -> None:
    require_root()
    root = throwaway_root(tmp_path / "root", kiosk_in_video=True)
    cad = root / "etc/systemd/system/ctrl-alt-del.target"
    cad.parent.mkdir(parents=True)
    cad.write_text("[Unit]\nDescription=the admin's own\n", encoding="utf-8")
    done = run_setup(root)
    assert done.returncode == 0, done.stderr
    assert "retiré des groupes : video" in done.stdout
    assert entry(root, "group", "video")[3] == ""  # type: ignore[index]
    assert entry(root, "shadow", "kiosque")[1].startswith("!")  # type: ignore[index]
    assert os.readlink(cad) == "/dev/null"
    # Without --pin no PIN file is made: an empty one would set aside kiosk.toml's admin_pin_hash.
    assert not (root / "etc/fiche-desktop/kiosk-pin").exists()
    assert "fiche-desktop kiosk-pin --group kiosque" in done.stdout
    assert run_setup(root, "--undo").returncode == 0
    assert entry(root, "group", "video")[3] == "kiosque"  # type: ignore[index]
    assert entry(root, "passwd", "kiosque") is not None  # not ours to remove
    assert entry(root, "shadow", "kiosque")[1] == "$6$salt$hash"  # type: ignore[index]
    assert "the admin's own" in cad.read_text(encoding="utf-8")
    assert not (root / "home/kiosque").exists()  # made empty by setup, taken back


@pytest.mark.skipif(sys.platform == "win32", reason="fiche-desktop-kiosk-setup is the Linux kiosk's POSIX shell script")
def test_setup_refuses_an_unknown_option() -> None:
    done = subprocess.run([str(SETUP), "--frobnicate"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "option inconnue" in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="fiche-desktop-kiosk-setup is the Linux kiosk's POSIX shell script")
def test_setup_leaves_the_kiosk_account_no_terminal_or_run_dialog_in_openbox(tmp_path: Path) -> None:
    """Issue 32: a plain openbox started for the account (a badly set-up session) finds the locked
    configuration (no binding) and menus with nothing in them, all root's; kiosk.toml is root's."""
    import xml.etree.ElementTree as ET

    require_root()
    root = throwaway_root(tmp_path / "root")
    (root / "etc" / "fiche-desktop").mkdir(parents=True)
    toml = root / "etc" / "fiche-desktop" / "kiosk.toml"
    toml.write_text("printing = true\n", encoding="utf-8")
    toml.chmod(0o666)
    done = run_setup(root)
    assert done.returncode == 0, done.stderr
    ob = root / "var/lib/fiche-desktop-kiosk/.config/openbox"
    assert (ob / "rc.xml").read_bytes() == (KIOSK / "openbox-rc.xml").read_bytes()
    menu = ET.parse(ob / "menu.xml").getroot()
    assert [m.get("id") for m in menu] == ["root-menu", "client-list-combined-menu"]
    assert all(len(m) == 0 for m in menu)  # no item: no terminal, no run dialog, no exit
    for path in (ob.parent, ob, ob / "rc.xml", ob / "menu.xml", toml, toml.parent):
        info = path.stat()
        assert info.st_uid == 0 and not info.st_mode & 0o022, (path, oct(info.st_mode))
    assert "openbox du compte « kiosque » verrouillé" in done.stdout
    done = run_setup(root, "--undo")
    assert done.returncode == 0, done.stderr
    assert not ob.exists()
