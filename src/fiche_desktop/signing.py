"""minisign signatures (https://jedisct1.github.io/minisign/), read and written. No Qt.

Formats, as the `minisign` tool writes them (base64 lines after an "untrusted comment:" line):
- public key: "Ed" + key id (8 bytes) + Ed25519 public key (32 bytes);
- secret key: "Ed" + KDF ("\\0\\0" when unencrypted, `minisign -G -W`) + "B2" + KDF salt,
  limits (48 bytes) + key id (8) + Ed25519 secret key (64: seed, public key) + a BLAKE2b-256
  checksum of "Ed" + key id + secret key (32; minisign 0.11 leaves it zero when unencrypted);
- signature: "ED" (prehashed: Ed25519 over the BLAKE2b-512 of the file) or "Ed" (legacy: over
  the file itself) + key id (8) + signature (64), then "trusted comment: ..." and the global
  signature: Ed25519 over the signature's 64 bytes followed by the trusted comment.

The cryptography is `cryptography`'s Ed25519 and hashlib's BLAKE2b; nothing is written here
but the file formats.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Iterable
from dataclasses import dataclass

UNTRUSTED_PREFIX = "untrusted comment: "
TRUSTED_PREFIX = "trusted comment: "
MAX_KEY_FILE_BYTES = 4096
MAX_SIGNATURE_FILE_BYTES = 8192


class SignatureError(Exception):
    """A key or a signature that cannot be used or does not verify; the message is French."""


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes  # 8 bytes, as stored
    key: bytes  # 32 bytes
    origin: str = ""  # where it was read, for messages

    @property
    def id_hex(self) -> str:
        """The key id as minisign prints it (the stored bytes in reverse order, hexadecimal)."""
        return self.key_id[::-1].hex().upper()


@dataclass(frozen=True)
class SecretKey:
    key_id: bytes
    seed: bytes  # 32 bytes: the Ed25519 private key
    public: bytes  # 32 bytes

    def public_key(self) -> PublicKey:
        return PublicKey(self.key_id, self.public)


def _b64(line: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(line.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what} illisible (base64 invalide).") from None
    if len(raw) != size:
        raise SignatureError(f"{what} illisible (taille inattendue).")
    return raw


def _data_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.startswith(UNTRUSTED_PREFIX)]


def parse_public_key(text: str, origin: str = "") -> PublicKey:
    """A minisign public key from a .pub file's text (or the bare base64 line)."""
    lines = _data_lines(text)
    if len(lines) != 1:
        raise SignatureError(f"Clé publique minisign illisible{f' : {origin}' if origin else ''}.")
    raw = _b64(lines[0], 42, f"Clé publique minisign{f' {origin}' if origin else ''}")
    if raw[:2] != b"Ed":
        raise SignatureError(f"Clé publique d’un autre algorithme que Ed25519{f' : {origin}' if origin else ''}.")
    return PublicKey(raw[2:10], raw[10:42], origin)


def public_key_text(key: PublicKey) -> str:
    """The text of a minisign .pub file for key."""
    line = base64.b64encode(b"Ed" + key.key_id + key.key).decode("ascii")
    return f"{UNTRUSTED_PREFIX}minisign public key {key.id_hex}\n{line}\n"


def parse_secret_key(text: str) -> SecretKey:
    """An unencrypted minisign secret key (`minisign -G -W`) from its file's text."""
    lines = _data_lines(text)
    if len(lines) != 1:
        raise SignatureError("Clé secrète minisign illisible.")
    raw = _b64(lines[0], 158, "Clé secrète minisign")
    sig_alg, kdf_alg, chk_alg = raw[0:2], raw[2:4], raw[4:6]
    if sig_alg != b"Ed" or chk_alg != b"B2":
        raise SignatureError("Clé secrète minisign d’un format inconnu.")
    if kdf_alg != b"\0\0":
        raise SignatureError(
            "Clé secrète chiffrée par un mot de passe : fiche-desktop ne sait signer qu’avec une clé "
            "non chiffrée (minisign -G -W). Sinon signez manifest.json avec « minisign -S »."
        )
    key_id, secret, checksum = raw[54:62], raw[62:126], raw[126:158]
    expected = hashlib.blake2b(sig_alg + key_id + secret, digest_size=32).digest()
    # minisign 0.11 leaves the checksum of an unencrypted key at zero; other tools fill it in.
    if checksum != bytes(32) and not hmac.compare_digest(expected, checksum):
        raise SignatureError("Clé secrète minisign altérée (somme de contrôle fausse).")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    seed, public = secret[:32], secret[32:]
    derived = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    if derived != public:
        raise SignatureError("Clé secrète minisign incohérente.")
    return SecretKey(key_id, seed, public)


def _prehash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=64).digest()


def sign(data: bytes, key: SecretKey, *, file_name: str = "", trusted_comment: str | None = None) -> str:
    """The text of a prehashed ("ED") minisign signature of data, as `minisign -S` writes it."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.from_private_bytes(key.seed)
    signature = private.sign(_prehash(data))
    if trusted_comment is None:
        trusted_comment = f"timestamp:{int(time.time())}\tfile:{file_name}\thashed"
    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise SignatureError("Le commentaire signé doit tenir sur une ligne.")
    global_signature = private.sign(signature + trusted_comment.encode("utf-8"))
    line = base64.b64encode(b"ED" + key.key_id + signature).decode("ascii")
    return (
        f"{UNTRUSTED_PREFIX}signature from fiche-desktop make-pack\n{line}\n"
        f"{TRUSTED_PREFIX}{trusted_comment}\n{base64.b64encode(global_signature).decode('ascii')}\n"
    )


@dataclass(frozen=True)
class Signature:
    algorithm: bytes  # b"ED" (prehashed) or b"Ed" (legacy)
    key_id: bytes
    signature: bytes
    trusted_comment: bytes
    global_signature: bytes

    @property
    def id_hex(self) -> str:
        return self.key_id[::-1].hex().upper()


def parse_signature(text: str) -> Signature:
    """A minisign signature file's four lines."""
    lines = text.splitlines()
    if len(lines) < 4 or not lines[0].startswith(UNTRUSTED_PREFIX) or not lines[2].startswith(TRUSTED_PREFIX):
        raise SignatureError("Signature minisign illisible.")
    raw = _b64(lines[1], 74, "Signature minisign")
    if raw[:2] not in (b"ED", b"Ed"):
        raise SignatureError("Signature d’un algorithme inconnu.")
    comment = lines[2][len(TRUSTED_PREFIX) :].encode("utf-8")
    global_signature = _b64(lines[3], 64, "Signature du commentaire minisign")
    return Signature(raw[:2], raw[2:10], raw[10:74], comment, global_signature)


def verify(data: bytes, signature_text: str, keys: Iterable[PublicKey]) -> tuple[PublicKey, str]:
    """The trusted key that signed data, and the signature's trusted comment.

    Checks the signature of data and the global signature of the trusted comment, exactly
    as `minisign -V` does. Raises SignatureError when no key of keys made the signature.
    """
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    sig = parse_signature(signature_text)
    matching = [k for k in keys if hmac.compare_digest(k.key_id, sig.key_id)]
    if not matching:
        raise SignatureError(f"signée par une clé non reconnue ({sig.id_hex})")
    message = _prehash(data) if sig.algorithm == b"ED" else data
    for key in matching:
        public = Ed25519PublicKey.from_public_bytes(key.key)
        try:
            public.verify(sig.signature, message)
        except InvalidSignature:
            continue
        try:
            public.verify(sig.global_signature, sig.signature + sig.trusted_comment)
        except InvalidSignature:
            raise SignatureError("commentaire signé altéré (signature globale fausse)") from None
        return key, sig.trusted_comment.decode("utf-8", "replace")
    raise SignatureError(f"signature fausse : fichier altéré ou signé par une autre clé ({sig.id_hex})")
