"""The frozen app (PyInstaller) and its Debian package: built, smoke-tested, installed, removed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fiche_desktop.exit_codes import ExitCode
from tests.conftest import ROOT

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(3600)]  # builds take minutes: not the global 300 s

DIST = ROOT / "dist"
FROZEN = DIST / "fiche-desktop"
USED_QT = {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtSvg"}  # QtSvg paints typst's pages
MAX_FOLDER_BYTES = 230_000_000
# What the Debian package must hold.
DEB_FILES = (
    "./opt/fiche-desktop/fiche-desktop",
    "./usr/bin/fiche-desktop",
    "./usr/share/applications/fiche-desktop.desktop",
    "./lib/systemd/system/fiche-desktop-kiosk.service",
    "./lib/systemd/system/fiche-desktop-kiosk-x11.service",
    "./lib/systemd/system/fiche-desktop-kiosk-failure@.service",
    "./etc/fiche-desktop/kiosk.toml.example",
    "./usr/lib/fiche-desktop/fiche-desktop-kiosk-session",
    "./usr/lib/fiche-desktop/fiche-desktop-kiosk-x11-session",
    "./usr/lib/fiche-desktop/fiche-desktop-kiosk-xinitrc",
    "./usr/sbin/fiche-desktop-kiosk-setup",
    "./usr/share/fiche-desktop/kiosk/openbox-rc.xml",
    "./etc/pam.d/fiche-desktop-kiosk",
    "./usr/share/icons/hicolor/256x256/apps/fiche-desktop.png",
)
NEVER_QT_LIBS = (
    "Quick",
    "Qml",
    "WebEngine",
    "Qt63D",
    "Network",
    "Pdf",
    "SvgWidgets",
    "Sql",
    "Designer",
    "Multimedia",
    "TextToSpeech",
    "libav",
)


@pytest.fixture(scope="session")
def frozen_app() -> Path:
    """Builds dist/fiche-desktop once per run (the documented `make frozen`)."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            str(ROOT / "installer" / "fiche_desktop.spec"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    exe = FROZEN / "fiche-desktop"
    assert exe.exists()
    return exe


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.pop("DISPLAY", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_frozen_app_passes_its_smoke_test(frozen_app: Path) -> None:
    out = subprocess.run(
        [str(frozen_app), "--smoke-test"], capture_output=True, text=True, env=clean_env(), timeout=300
    )
    assert out.returncode == ExitCode.OK, out.stderr[-2000:]
    assert "Test de fonctionnement réussi" in out.stdout


def test_frozen_app_answers_on_the_command_line(frozen_app: Path) -> None:
    out = subprocess.run(
        [str(frozen_app), "search", "48h", "--json"], capture_output=True, text=True, env=clean_env(), timeout=120
    )
    assert out.returncode == ExitCode.OK and '"slug": "sas"' in out.stdout
    out = subprocess.run(
        [str(frozen_app), "--fiche", "inconnue"], capture_output=True, text=True, env=clean_env(), timeout=120
    )
    assert out.returncode == ExitCode.ERROR and "Fiche inconnue" in out.stderr


def test_frozen_smoke_test_names_the_failing_step(frozen_app: Path, tmp_path: Path) -> None:
    bad = tmp_path / "data.db"
    bad.write_bytes(b"not a database")
    out = subprocess.run(
        [str(frozen_app), "--smoke-test", "--db", str(bad)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert out.returncode == ExitCode.ERROR
    assert "ouverture de la base de contenu" in out.stderr


def test_frozen_folder_holds_only_the_qt_modules_the_app_uses(frozen_app: Path) -> None:
    pyside = FROZEN / "_internal" / "PySide6"
    modules = {p.name.split(".")[0] for p in pyside.glob("Qt*.*") if p.suffix in (".so", ".pyd")}
    assert modules == USED_QT, modules
    libs = [p.name for p in FROZEN.rglob("*Qt6*")]
    assert not [name for name in libs if any(bad in name for bad in NEVER_QT_LIBS)], libs
    assert (FROZEN / "_internal" / "data.db").exists()
    assert (FROZEN / "_internal" / "resources" / "fonts" / "OFL.txt").exists()
    assert list(FROZEN.rglob("qtbase_fr.qm")), "Qt's French translations (print and file dialogs)"
    assert not (FROZEN / "_internal" / "resources" / "content").exists()  # sources, not run-time files
    assert (FROZEN / "_internal" / "resources" / "typst" / "handout.typ").exists()


def test_frozen_app_exports_a_tagged_falc_handout(frozen_app: Path, tmp_path: Path) -> None:
    """typst runs inside the frozen app, with its bundled templates and fonts."""
    out = tmp_path / "msp.pdf"
    result = subprocess.run(
        [str(frozen_app), "export", "msp", "--falc", "-o", str(out)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert result.returncode == ExitCode.OK, result.stderr
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info and "Pages:           2" in info


def test_frozen_folder_stays_within_its_size(frozen_app: Path) -> None:
    size = sum(p.lstat().st_size for p in FROZEN.rglob("*") if p.is_file() and not p.is_symlink())
    assert size <= MAX_FOLDER_BYTES, f"{size / 1e6:.0f} MB"


@pytest.fixture(scope="module")
def deb(frozen_app: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Debian package of the frozen app, with the files it must hold."""
    assert shutil.which("dpkg-deb"), "the .deb test needs Debian's dpkg-deb (a Debian or Ubuntu machine)"
    folder = tmp_path_factory.mktemp("deb")
    out = subprocess.run(
        [str(ROOT / "installer" / "linux" / "build-deb.sh"), str(FROZEN), str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    package = Path(out.stdout.strip().splitlines()[-1])
    info = subprocess.run(["dpkg-deb", "--contents", str(package)], capture_output=True, text=True).stdout
    for path in DEB_FILES:
        assert path in info, path
    return package


def test_debian_package_installs_runs_and_removes_as_root(deb: Path, tmp_path: Path) -> None:
    """Installed on the machine itself, as an administrator does (CI runs the suite as root)."""
    assert os.geteuid() == 0, "installing the .deb on the machine needs root: run the suite as root (CI does)"
    root, dpkg = Path("/"), ["dpkg"]
    try:
        out = subprocess.run([*dpkg, "-i", str(deb)], capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        smoke = subprocess.run(
            [str(root / "opt/fiche-desktop/fiche-desktop"), "--smoke-test"],
            capture_output=True,
            text=True,
            env=clean_env(),
            timeout=300,
        )
        assert smoke.returncode == ExitCode.OK, smoke.stderr[-2000:]
        assert os.readlink(root / "usr" / "bin" / "fiche-desktop") == "/opt/fiche-desktop/fiche-desktop"
        # The installed hardening script, on a throwaway system root.
        target = tmp_path / "target"
        (target / "etc").mkdir(parents=True)
        for name, text in (("passwd", "root:x:0:0::/root:/bin/sh\n"), ("group", "root:x:0:\n")):
            (target / "etc" / name).write_text(text)
        (target / "etc" / "shadow").write_text("root:*:19000:0:99999:7:::\n")
        (target / "etc" / "gshadow").write_text("root:*::\n")
        setup = root / "usr" / "sbin" / "fiche-desktop-kiosk-setup"
        done = subprocess.run([str(setup), "--root", str(target)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert (target / "etc/systemd/logind.conf.d/90-fiche-desktop-kiosk.conf").is_file()
    finally:
        out = subprocess.run([*dpkg, "-r", "fiche-desktop"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert not (root / "opt" / "fiche-desktop").exists()
    assert not (root / "usr" / "bin" / "fiche-desktop").exists()


def test_debian_package_installs_into_a_private_root_as_an_unprivileged_user(deb: Path, unprivileged) -> None:
    """An unprivileged user (nobody, when the suite runs as root) installs it into a private root with
    its own dpkg database, as far as dpkg allows, runs it and removes it."""
    root = unprivileged.home / "root"
    for folder in ("var/lib/dpkg/info", "var/lib/dpkg/updates"):
        (root / folder).mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_text("")
    package = unprivileged.home / deb.name
    shutil.copyfile(deb, package)
    for path in [root, *root.rglob("*"), package]:
        unprivileged.own(path)
    dpkg = [
        "dpkg",
        f"--root={root}",
        "--force-not-root",
        "--force-depends",
        "--force-script-chrootless",
        "--log=/dev/null",
    ]
    try:
        out = unprivileged.run([*dpkg, "-i", str(package)], timeout=300)
        assert out.returncode == 0, out.stderr
        smoke = unprivileged.run(
            [str(root / "opt/fiche-desktop/fiche-desktop"), "--smoke-test"], env=clean_env(), timeout=300
        )
        assert smoke.returncode == 0, smoke.stderr[-2000:]
        assert os.readlink(root / "usr" / "bin" / "fiche-desktop") == "/opt/fiche-desktop/fiche-desktop"
    finally:
        out = unprivileged.run([*dpkg, "-r", "fiche-desktop"], timeout=300)
    assert out.returncode == 0, out.stderr
    assert not (root / "opt" / "fiche-desktop").exists()
    assert not (root / "usr" / "bin" / "fiche-desktop").exists()
