"""fiche-desktop kiosk-pin: the admin PIN becomes its salted hash, in the kiosk-pin file (or a kiosk.toml line)."""

from __future__ import annotations

import re
import sys
import tomllib

import pytest

from fiche_desktop import config
from fiche_desktop.exit_codes import ExitCode
from fiche_desktop.kiosk import pin as admin_pin
from tests.helpers import kiosk_pin


def test_a_pin_on_stdin_goes_to_the_pin_file() -> None:
    out = kiosk_pin(stdin="482913\n")
    assert out.returncode == ExitCode.OK, out.stderr
    stored = admin_pin.pin_path().read_text(encoding="ascii").strip()
    assert admin_pin.verify_pin("482913", stored) and not admin_pin.verify_pin("482914", stored)
    assert "482913" not in out.stdout + out.stderr
    assert admin_pin.read_pin_file(admin_pin.pin_path()) == (stored, [])


def test_with_output_dash_it_gives_the_kiosk_toml_line_to_paste() -> None:
    out = kiosk_pin("-o", "-", stdin="482913\n")
    assert out.returncode == ExitCode.OK, out.stderr
    assert re.fullmatch(r'admin_pin_hash = "pbkdf2_sha256\$\d+\$[0-9a-f]+\$[0-9a-f]+"\n', out.stdout)
    stored = tomllib.loads(out.stdout)["admin_pin_hash"]
    assert admin_pin.verify_pin("482913", stored) and not admin_pin.verify_pin("482914", stored)
    assert "482913" not in out.stdout + out.stderr
    parsed, warnings = config.parse_kiosk_config(out.stdout)
    assert parsed.admin_pin_hash == stored and warnings == []


@pytest.mark.parametrize("pin", ["123", "", "12a4", "1234567890123", "١٢٣٤"])
def test_short_or_non_digit_pins_are_refused(pin: str) -> None:
    out = kiosk_pin(stdin=pin + "\n")
    assert out.returncode == ExitCode.ERROR
    assert out.stdout == ""
    assert "le code doit avoir de 4 à 12 chiffres" in out.stderr


def _on_a_terminal(answers: list[str]) -> tuple[int, str]:
    """Runs kiosk-pin with a pseudo-terminal as its terminal; answers each prompt in turn."""
    import os
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pty
        os.execv(sys.executable, [sys.executable, "-m", "fiche_desktop", "kiosk-pin"])
    output = b""
    pending = list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            prompts = output.count(b" : ")  # each prompt ends with " : "
            if pending and prompts > len(answers) - len(pending):
                os.write(fd, pending.pop(0).encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_the_pin_is_asked_twice_without_echo() -> None:
    status, text = _on_a_terminal(["7391", "7391"])
    assert status == ExitCode.OK, text
    assert "Code administrateur du kiosque" in text and "deuxième fois" in text
    assert "7391" not in text  # never echoed
    assert admin_pin.verify_pin("7391", admin_pin.pin_path().read_text(encoding="ascii").strip())


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_two_different_pins_are_refused() -> None:
    status, text = _on_a_terminal(["7391", "7392"])
    assert status == ExitCode.ERROR
    assert "les deux codes sont différents" in text and not admin_pin.pin_path().exists()
