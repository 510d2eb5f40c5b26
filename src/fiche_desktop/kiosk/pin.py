"""The kiosk's admin PIN, in one place: its rules, its salted hash, its file, and the guard against guessing. No Qt.

The PIN is stored only as a salted PBKDF2 hash, in its own file beside kiosk.toml (0640,
readable by the kiosk account's group) or, less safely, as admin_pin_hash in kiosk.toml.
`fiche-desktop kiosk-pin` (cli) creates it, config reads it, the kiosk window asks it.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import sys
from pathlib import Path

from fiche_desktop import files, paths

log = logging.getLogger("fiche_desktop.kiosk")

PIN_FILE = "kiosk-pin"
MAX_PIN_FILE_BYTES = 4096

# --- What a PIN may be -------------------------------------------------------------------

PIN_MIN_DIGITS, PIN_MAX_DIGITS = 4, 12
PIN_ADVISED_DIGITS = 6
PIN_RE = re.compile(rf"[0-9]{{{PIN_MIN_DIGITS},{PIN_MAX_DIGITS}}}")
# Among the most used PINs, beyond the repeated digits and sequences that trivial_pin finds.
COMMON_PINS = frozenset(
    {
        "1004",
        "2000",
        "2580",
        "0852",
        "1379",
        "1397",
        "2468",
        "1357",
        "13579",
        "24680",
        "147258",
        "159753",
        "789456",
        "147852",
        "753951",
        "102030",
        "131313",
        "696969",
        "007007",
        "112358",
        "314159",
        "1998",
        "1999",
        "2001",
        "2020",
    }
)


def trivial_pin(pin: str) -> bool:
    """A PIN anyone would try first: one digit repeated (0000), a run up or down (1234, 9876,
    7890), a short block repeated (1212, 123123) or a well-known one (2580, 147258)."""
    if len(set(pin)) == 1 or pin in COMMON_PINS:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({1}, {9}):
        return True
    return any(len(pin) % n == 0 and pin == pin[:n] * (len(pin) // n) for n in range(1, len(pin) // 2 + 1))


def new_pin_problem(pin: str) -> str | None:
    """Why pin cannot become the admin PIN, in French (not 4 to 12 digits, or too easy to
    guess); None when it can."""
    if not PIN_RE.fullmatch(pin):
        return (
            f"le code doit avoir de {PIN_MIN_DIGITS} à {PIN_MAX_DIGITS} chiffres (seulement des chiffres, rien d’autre)"
        )
    if trivial_pin(pin):
        return (
            "code trop facile à deviner (chiffres tous identiques, suite comme 1234 ou 9876, "
            f"motif répété ou code courant) : choisissez-en un autre, de {PIN_ADVISED_DIGITS} chiffres de préférence"
        )
    return None


# --- The salted hash ---------------------------------------------------------------------

_PIN_ALGO = "pbkdf2_sha256"
_PIN_ITERATIONS = 600_000
PIN_MIN_ITERATIONS, PIN_MAX_ITERATIONS = 100_000, 10_000_000
PIN_SALT_BYTES = (16, 64)  # accepted salt lengths, in bytes
PIN_DIGEST_BYTES = 32


def hash_pin(pin: str, salt: bytes | None = None, iterations: int = _PIN_ITERATIONS) -> str:
    import hashlib
    import secrets

    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return f"{_PIN_ALGO}${iterations}${salt.hex()}${digest.hex()}"


def pin_hash_problem(value: str) -> str | None:
    """Why value is not a usable PIN hash, in French; None when it is."""
    parts = value.split("$")
    if len(parts) != 4 or parts[0] != _PIN_ALGO:
        return "format inconnu, créez-le avec « fiche-desktop kiosk-pin »"
    if not re.fullmatch(r"[0-9]{1,8}", parts[1]):
        return "nombre d’itérations illisible"
    iterations = int(parts[1])
    if not PIN_MIN_ITERATIONS <= iterations <= PIN_MAX_ITERATIONS:
        return f"nombre d’itérations hors limites ({PIN_MIN_ITERATIONS:_} à {PIN_MAX_ITERATIONS:_})".replace("_", " ")
    if not re.fullmatch(r"(?:[0-9a-f]{2})+", parts[2]) or not re.fullmatch(r"[0-9a-f]+", parts[3]):
        return "sel ou empreinte illisible"
    low, high = PIN_SALT_BYTES
    if not low <= len(parts[2]) // 2 <= high:
        return f"sel de longueur inattendue ({low} à {high} octets)"
    if len(parts[3]) != 2 * PIN_DIGEST_BYTES:
        return f"empreinte de longueur inattendue ({PIN_DIGEST_BYTES} octets)"
    return None


def verify_pin(pin: str, stored: str) -> bool:
    """True when pin matches the stored hash; False (never an error) for an empty or invalid hash."""
    if not stored or pin_hash_problem(stored):
        return False
    import hashlib
    import hmac

    _, iterations, salt_hex, digest_hex = stored.split("$")
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), bytes.fromhex(salt_hex), int(iterations))
    return hmac.compare_digest(digest.hex(), digest_hex)


def toml_line(pin_hash: str) -> str:
    """The kiosk.toml line that holds pin_hash (when the PIN file cannot be used)."""
    return f'admin_pin_hash = "{pin_hash}"'


# --- The PIN file ------------------------------------------------------------------------


class PinFileError(Exception):
    """The PIN file cannot be written; the message is one line of French."""


def pin_path(config_path: Path | None = None) -> Path:
    """The admin PIN's own file: kiosk-pin beside kiosk.toml (default /etc/fiche-desktop/kiosk-pin)."""
    return (config_path.parent if config_path else paths.system_config_dir()) / PIN_FILE


def loose_permissions(st: os.stat_result) -> bool:
    """Readable or writable by every account, or writable by the group (POSIX only)."""
    return sys.platform != "win32" and bool(st.st_mode & 0o027)


def read_pin_file(path: Path) -> tuple[str | None, list[str]]:
    """The admin PIN hash of path ('' when unusable, None when there is no such file), and
    the warnings. A file others can read (offline guessing) or write is refused."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None, []
    except OSError as e:
        return "", [f"{path} : illisible ({files.french_reason(e)}) : pas de code administrateur"]
    if not stat.S_ISREG(st.st_mode):
        return "", [f"{path} : ce n’est pas un fichier : pas de code administrateur"]
    if loose_permissions(st):
        return "", [
            f"{path} : lisible ou modifiable par d’autres comptes (droits {stat.S_IMODE(st.st_mode):04o}) : code "
            f"ignoré. Recréez-le avec « fiche-desktop kiosk-pin --group GROUPE_DU_KIOSQUE » (droits 0640)"
        ]
    try:
        text = files.read_controlled_file(path, MAX_PIN_FILE_BYTES).decode("ascii")
    except (OSError, ValueError, MemoryError) as e:  # UnicodeDecodeError is a ValueError
        reason = files.french_reason(e) if isinstance(e, OSError) else "contenu inattendu"
        return "", [f"{path} : illisible ({reason}) : pas de code administrateur"]
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    value = lines[0] if len(lines) == 1 else ""
    problem = pin_hash_problem(value) if value else "fichier vide ou de plusieurs lignes"
    if problem:
        return "", [f"{path} : empreinte refusée ({problem}) : pas de code administrateur"]
    return value, []


def write_pin_file(path: Path, pin_hash: str, group: str | None = None, *, create_folder: bool = False) -> None:
    """Writes pin_hash to path atomically, mode 0640, group-owned by group when given (the
    kiosk account's group reads it; nobody else can). Raises PinFileError. The export's rules
    apply (files.check_output): no FIFO, device, link or read-only file replaced, and a
    missing folder is created only when create_folder (the default place, not a path given)."""
    import tempfile

    gid = -1
    if group:
        if sys.platform == "win32":
            raise PinFileError("--group n’existe pas sous Windows : réglez les droits du fichier dans ses propriétés")
        import grp

        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise PinFileError(f"groupe inconnu : « {group} »") from None
    if create_folder:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise PinFileError(files.french_os_error(e, path)) from None
    try:
        files.check_output(path)
    except files.OutputError as e:
        raise PinFileError(str(e)) from None
    tmp: Path | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        tmp = Path(tmp_name)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            if sys.platform != "win32":
                os.fchmod(f.fileno(), 0o640)
                if gid != -1:
                    os.fchown(f.fileno(), -1, gid)
            f.write(pin_hash + "\n")
            f.flush()
            os.fsync(f.fileno())
        paths.replace_file(tmp, path)
        tmp = None
    except OSError as e:
        raise PinFileError(files.french_os_error(e, path)) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


# --- The guard against guessing ----------------------------------------------------------


class PinGuard:
    """Checks the admin PIN against its salted hash; each wrong PIN doubles the wait before
    the next try. The count of failures survives session resets (only a right PIN clears it)."""

    def __init__(self, pin_hash: str, base_delay_ms: int = 1000, max_delay_ms: int = 300_000) -> None:
        self.pin_hash = pin_hash
        self.base_delay_ms = base_delay_ms
        self.max_delay_ms = max_delay_ms
        self.failures = 0

    @property
    def enabled(self) -> bool:
        return bool(self.pin_hash)

    def check(self, pin: str) -> bool:
        ok = self.enabled and verify_pin(pin, self.pin_hash)
        self.failures = 0 if ok else self.failures + 1
        if not ok:
            log.warning("Code administrateur incorrect (%d essai(s) manqué(s))", self.failures)
        return ok

    def delay_ms(self) -> int:
        """How long the keypad stays locked after the last wrong PIN."""
        if not self.failures:
            return 0
        return int(min(self.max_delay_ms, self.base_delay_ms * 2 ** min(self.failures - 1, 30)))
