"""Shared fixtures: offscreen Qt, a throwaway profile for every test, the real and a tiny db."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No sound server for the tests, wherever they run (CI has none): QtMultimedia then finds no audio
# output, and the read-aloud tests know what to expect (the mock engine needs none).
os.environ["PULSE_SERVER"] = "unix:/nonexistent/fiche-desktop-tests/pulse"
os.environ["PIPEWIRE_REMOTE"] = "/nonexistent/fiche-desktop-tests/pipewire"

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "resources" / "sources"
REAL_DB = ROOT / "data.db"
CONTENT = ROOT / "resources" / "content"
# The variables that point the application's folders elsewhere, and each one's folder in a profile.
PROFILE_DIRS = {
    "FICHE_DESKTOP_CONFIG_DIR": "config",
    "FICHE_DESKTOP_DATA_DIR": "data",
    "FICHE_DESKTOP_SYSTEM_CONFIG_DIR": "etc",
    "FICHE_DESKTOP_SYSTEM_DATA_DIR": "var",
    "FICHE_DESKTOP_KIOSK_STATE_DIR": "kiosk-state",
}


@pytest.fixture(autouse=True)
def _throwaway_profile(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own settings, data and system-config folders."""
    profile = tmp_path_factory.mktemp("profile")
    for name, folder in PROFILE_DIRS.items():
        monkeypatch.setenv(name, str(profile / folder))
    return profile


@pytest.fixture(scope="session")
def real_db():
    from fiche_desktop.db import ContentDB

    db = ContentDB(REAL_DB)
    yield db
    db.close()


@pytest.fixture
def tiny_db(tmp_path: Path):
    """A small database built from Python data with the project's build code."""
    from fiche_desktop.build import validate, write_database
    from fiche_desktop.db import ContentDB
    from tests.helpers import tiny_content

    path = tmp_path / "tiny.db"
    write_database(validate(tiny_content()), path)
    db = ContentDB(path)
    yield db
    db.close()


@dataclass
class Unprivileged:
    """Runs commands as an unprivileged user: as root (CI), the user nobody through setpriv, with
    no supplementary group and no way to regain privileges; otherwise the current user, who is not
    root. `home` is a folder that user owns, outside root's private temporary folders."""

    home: Path

    USER = "nobody"
    GROUP = "nogroup"

    def command(self, args: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return list(args)
        switch = [f"--reuid={self.USER}", f"--regid={self.GROUP}", "--clear-groups", "--no-new-privs"]
        return ["setpriv", *switch, "--", *args]

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """base (os.environ) with a HOME, a temporary folder and a profile the user can write."""
        env = dict(os.environ if base is None else base)
        env.pop("XDG_RUNTIME_DIR", None)
        env |= {"HOME": str(self.home), "TMPDIR": str(self.home / "tmp")}
        for name, folder in PROFILE_DIRS.items():
            env[name] = str(self.home / "profile" / folder)
        return env

    def run(
        self, args: list[str], *, env: dict[str, str] | None = None, **kwargs: Any
    ) -> subprocess.CompletedProcess[str]:
        kwargs.setdefault("capture_output", True)
        kwargs.setdefault("text", True)
        kwargs.setdefault("timeout", 120)
        return subprocess.run(self.command(args), env=self.env(env), **kwargs)  # type: ignore[call-overload, no-any-return]

    def own(self, path: Path) -> None:
        """Gives path to the unprivileged user (as root; otherwise it is already theirs)."""
        if os.geteuid() == 0:
            import pwd  # POSIX only: this conftest also runs on Windows

            user = pwd.getpwnam(self.USER)
            os.chown(path, user.pw_uid, user.pw_gid)


@pytest.fixture
def unprivileged() -> Iterator[Unprivileged]:
    """An unprivileged user and a home folder of theirs (removed afterwards)."""
    home = Path(tempfile.mkdtemp(prefix="fiche-desktop-unprivileged-"))
    runner = Unprivileged(home)
    (home / "tmp").mkdir()
    for path in (home, home / "tmp"):
        runner.own(path)
    yield runner
    for path in [home, *home.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o700)  # a read-only folder a test made, so that it can be removed
    shutil.rmtree(home)
