"""Exports never clobber: the safe writer refuses what is not a plain writable file, creates
its temporary exclusively, reports a missing folder, and speaks French about system errors."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fiche_desktop import files
from fiche_desktop.exit_codes import ExitCode
from tests.conftest import REAL_DB, Unprivileged


def export(output: Path | str, user: Unprivileged | None = None) -> subprocess.CompletedProcess[str]:
    """The export command run by the current user, or by user."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    args = [sys.executable, "-m", "fiche_desktop", "export", "msp", "-o", str(output), "--db", str(REAL_DB)]
    if user is not None:
        return user.run(args, env=env)
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == ExitCode.ERROR, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def no_temporary(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="device files are POSIX and the unprivileged user is a POSIX account; Windows has neither",
)
@pytest.mark.parametrize("who", ["current user", "unprivileged user"])
def test_a_device_target_is_refused_and_left_as_it_is(who: str, unprivileged) -> None:
    """/dev/null itself, asked for by the user running the suite (root in CI) and by an
    unprivileged one: refused by its kind, whoever could write it."""
    target = Path("/dev/null")
    result = export(target) if who == "current user" else export(target, unprivileged)
    assert_refused(result, "/dev/null", "périphérique", "pas remplacé")
    assert stat.S_ISCHR(os.lstat(target).st_mode)


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="device files and named pipes (mkfifo) are POSIX; Windows has neither in its file system",
)
def test_a_fifo_target_is_refused_without_hanging(tmp_path: Path) -> None:
    target = tmp_path / "tube.pdf"
    os.mkfifo(target)
    assert_refused(export(target), "tube nommé (FIFO)", "pas remplacé")
    assert stat.S_ISFIFO(os.lstat(target).st_mode) and no_temporary(tmp_path)


def test_a_read_only_target_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "msp.pdf"
    target.write_bytes(b"version signee par le medecin")
    target.chmod(0o444)
    assert_refused(export(target), "lecture seule")
    assert target.read_bytes() == b"version signee par le medecin" and no_temporary(tmp_path)


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="symbolic links: Windows needs an administrator or developer mode to make one, and Wine's are Unix links",
)
def test_a_symlink_target_is_refused_and_neither_link_nor_its_target_changes(tmp_path: Path) -> None:
    victim = tmp_path / "important.txt"
    victim.write_text("à garder", encoding="utf-8")
    link = tmp_path / "msp.pdf"
    link.symlink_to(victim)
    assert_refused(export(link), "lien symbolique")
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "à garder"


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="symbolic links: Windows needs an administrator or developer mode to make one, and Wine's are Unix links",
)
def test_a_symlink_to_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dossier").mkdir()
    link = tmp_path / "msp.pdf"
    link.symlink_to(tmp_path / "dossier")
    assert_refused(export(link), "dossier")
    assert link.is_symlink() and not list((tmp_path / "dossier").iterdir())


def test_a_missing_parent_folder_is_reported_not_created(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "sous-dossier" / "msp.pdf"
    assert_refused(export(target), "n’existe pas")
    assert not (tmp_path / "absent").exists()


def test_a_symlink_planted_at_the_old_temporary_name_is_never_followed(tmp_path: Path) -> None:
    """The old writer used .NAME.PID.tmp; the new one creates a random name exclusively."""
    victim = tmp_path / "victime.txt"
    victim.write_text("intact", encoding="utf-8")
    target = tmp_path / "out.pdf"
    for name in (f".out.pdf.{os.getpid()}.tmp", ".out.pdf.tmp"):
        (tmp_path / name).symlink_to(victim)
    files.write_output(target, b"%PDF-1.4 test")
    assert victim.read_text(encoding="utf-8") == "intact"
    assert target.read_bytes() == b"%PDF-1.4 test" and not target.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.is_symlink()) == ["out.pdf", "victime.txt"]


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="POSIX permission bits and umask; Windows: ACLs (the read-only attribute is tested above)",
)
def test_an_existing_plain_file_is_replaced_whole_with_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "msp.pdf"
    target.write_bytes(b"ancien")
    target.chmod(0o640)
    files.write_output(target, b"nouveau")
    assert target.read_bytes() == b"nouveau" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["msp.pdf"]


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="POSIX permission bits and umask; Windows: ACLs (the read-only attribute is tested above)",
)
def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        files.write_output(tmp_path / "a.pdf", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.pdf").stat().st_mode) == 0o640


def test_a_folder_target_is_refused(tmp_path: Path) -> None:
    with pytest.raises(files.OutputError, match="dossier"):
        files.write_output(tmp_path, b"x")


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.ENOSPC, "Espace disque insuffisant"),
        (errno.EACCES, "accès refusé"),
        (errno.EROFS, "lecture seule"),
        (errno.EIO, "erreur de lecture ou d’écriture"),
        (errno.ENAMETOOLONG, "trop long"),
        (9999, "erreur système n° 9999"),
    ],
)
def test_system_errors_are_told_in_french_never_in_english(code: int, words: str) -> None:
    error = OSError(code, os.strerror(code) if code != 9999 else "Unknown error")
    message = files.french_os_error(error, Path("/tmp/x.pdf"))
    assert words in message and (error.strerror or "") not in message


@pytest.mark.skipif(
    sys.platform == "win32", reason="runs commands as the POSIX account nobody (setpriv); Windows has no such account"
)
def test_the_unprivileged_user_of_these_tests_is_not_root(unprivileged) -> None:
    """The other side of the root/non-root tests runs for real: no root, no group of root's, its own home."""
    ids = unprivileged.run(["id"]).stdout
    assert "uid=0(" not in ids and "gid=0(" not in ids and "groups=0(" not in ids, ids
    probe = unprivileged.run([sys.executable, "-c", "import os; open(os.environ['HOME'] + '/x', 'w').write('ok')"])
    assert probe.returncode == 0 and (unprivileged.home / "x").read_text() == "ok", probe.stderr
    assert unprivileged.run(["touch", "/etc/fiche-desktop-test"]).returncode != 0
    assert not Path("/etc/fiche-desktop-test").exists()
