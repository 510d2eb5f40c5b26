"""Safe file writing, French system errors and per-folder locks. No Qt.

`write_output` is the one way an export reaches the user's disk: the temporary file is
created exclusively beside the target (never through a symlink), and a target that is not
a plain writable file is refused, never replaced. `french_os_error` turns an OSError into a
line of French (Python's own strerror text is English). `locked` serialises the writers of
one folder (content packs, settings) across processes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from fiche_desktop import paths


class OutputError(Exception):
    """A file that cannot or must not be written; the message is one line of French."""


# errno -> what went wrong, in French (never the system's English strerror).
_REASONS: dict[int, str] = {
    errno.ENOSPC: "espace disque insuffisant",
    errno.EDQUOT: "quota disque dépassé",
    errno.EFBIG: "fichier trop grand pour ce disque",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.EROFS: "disque en lecture seule",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOTDIR: "un élément du chemin n’est pas un dossier",
    errno.EISDIR: "c’est un dossier",
    errno.EEXIST: "le fichier existe déjà",
    errno.ENOTEMPTY: "le dossier n’est pas vide",
    errno.EIO: "erreur de lecture ou d’écriture du disque",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ELOOP: "lien symbolique refusé",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ENFILE: "trop de fichiers ouverts sur le système",
    errno.EBUSY: "fichier ou périphérique occupé",
    errno.ETXTBSY: "fichier occupé",
    errno.EXDEV: "déplacement entre deux disques impossible",
    errno.EINVAL: "nom ou opération invalide",
    errno.ENXIO: "périphérique absent",
    errno.ENODEV: "périphérique absent",
    errno.EAGAIN: "ressource momentanément indisponible",
    errno.ENOMEM: "mémoire insuffisante",
}


class RefusedFileError(OSError):
    """A file the application reads or writes is not a plain file, or is too large: refused
    before anything blocks on it. str() and french_reason() give the French reason."""

    def __init__(self, reason: str, path: Path | str = "") -> None:
        super().__init__(errno.EINVAL, reason, str(path))
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class SpecialFileError(RefusedFileError):
    """A FIFO, a device, a folder or a socket where a regular file was expected."""


class FileTooLargeError(RefusedFileError):
    """A file larger than what its reader accepts."""


ECHO_MAX_CHARS = 80


def clip(value: object, limit: int = ECHO_MAX_CHARS) -> str:
    """value as text, cut to limit characters (with « … ») wherever a value read from outside is
    echoed back in a message: a 3 MB setting never fills a status bar or a log."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def french_reason(error: OSError) -> str:
    """What went wrong, in French, from the error's errno (never its English text)."""
    if isinstance(error, RefusedFileError):
        return error.reason
    code = error.errno
    if code in _REASONS:
        return _REASONS[code]
    if isinstance(error, PermissionError):
        return "accès refusé"
    if isinstance(error, FileNotFoundError):
        return "fichier ou dossier introuvable"
    if isinstance(error, TimeoutError):
        return "délai dépassé"
    return f"erreur système n° {code}" if code else "erreur système"


def french_os_error(error: OSError, path: Path) -> str:
    """A one-line French message for a failed operation on path."""
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"Espace disque insuffisant : « {path.name} » n’a pas été enregistré."
    if isinstance(error, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return f"Impossible d’écrire « {path} » : accès refusé."
    return f"Impossible d’enregistrer « {path} » : {french_reason(error)}."


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in French; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "un dossier"
    if stat.S_ISFIFO(mode):
        return "un tube nommé (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "un périphérique"
    if stat.S_ISSOCK(mode):
        return "une prise réseau (socket)"
    if stat.S_ISLNK(mode):
        return "un lien symbolique"
    return "un fichier spécial"


def _size_text(limit: int) -> str:
    return f"{limit // 2**20} Mo" if limit >= 2**20 else f"{max(1, limit // 1024)} Ko"


def open_controlled(path: Path, limit: int) -> BinaryIO:
    """path opened for reading, a regular file of at most limit bytes: the one gate for the
    files people and administrators control (settings, kiosk.toml, the PIN file, contacts,
    trusted keys, packs, a secret key, current.json).

    Never blocks: the kind is looked at before opening, and the file is opened with
    O_NONBLOCK and looked at again (fstat), so a FIFO swapped in meanwhile is refused too.
    Raises FileNotFoundError and the other OSErrors of open; SpecialFileError for anything
    but a regular file, FileTooLargeError past limit (both OSErrors, their text French).
    """
    kind = _kind(os.stat(path).st_mode)
    if kind is not None:
        raise SpecialFileError(f"« {path} » est {kind}, pas un fichier", path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            raise SpecialFileError(f"« {path} » est {kind}, pas un fichier", path)
        if st.st_size > limit:
            raise FileTooLargeError(f"« {path} » est trop grand (plus de {_size_text(limit)})", path)
        if hasattr(os, "O_NONBLOCK"):  # POSIX: reads of the regular file block as usual
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_controlled_file(path: Path, limit: int) -> bytes:
    """The bytes of path, through open_controlled (regular file, at most limit bytes, never a
    blocking open). A file that grows past limit while it is read is refused too."""
    with open_controlled(path, limit) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(f"« {path} » est trop grand (plus de {_size_text(limit)})", path)
    return data


def check_replaceable(path: Path) -> None:
    """Raises SpecialFileError unless path is absent or a regular file (not a FIFO, a device,
    a folder, a link to one): what an application file (settings, current.json) may replace.
    Its folder is the application's own: the caller may create it."""
    try:
        kind = _kind(os.stat(path).st_mode)
    except FileNotFoundError:
        if os.path.islink(path):
            raise SpecialFileError(f"« {path} » est un lien symbolique cassé : il n’est pas remplacé", path) from None
        return
    if kind is not None:
        raise SpecialFileError(f"« {path} » est {kind}, pas un fichier : il n’est pas remplacé", path)


def check_output(path: Path) -> Path:
    """path (user-expanded) if write_output may write it; else OutputError saying why.

    The parent folder must exist (it is never created); an existing target must be a
    regular, writable file and not a symbolic link.
    """
    if str(path) in ("", "."):
        raise OutputError("Indiquez le fichier à écrire.")
    path = Path(path).expanduser()
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent_mode = parent.stat().st_mode
    except FileNotFoundError:
        raise OutputError(
            f"Le dossier « {parent} » n’existe pas : créez-le ou choisissez un autre emplacement."
        ) from None
    except OSError as e:
        raise OutputError(f"Dossier inaccessible « {parent} » : {french_reason(e)}.") from None
    if not stat.S_ISDIR(parent_mode):
        raise OutputError(f"Impossible d’écrire « {path} » : « {parent} » n’est pas un dossier.")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as e:
        raise OutputError(f"Fichier inaccessible « {path} » : {french_reason(e)}.") from None
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(f"« {path} » est un lien symbolique : il n’est pas remplacé. Choisissez un autre nom.")
    kind = _kind(st.st_mode)
    if kind is not None:
        raise OutputError(f"« {path} » est {kind}, pas un fichier : il n’est pas remplacé. Choisissez un autre nom.")
    # Root may write anything: the file's own write bits say whether its owner meant it.
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise OutputError(f"« {path} » est en lecture seule : il n’est pas remplacé. Choisissez un autre nom.")
    return path


def current_umask() -> int:
    """The process's umask (read from /proc when possible: setting it to read it races threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_output(path: Path, data: bytes) -> None:
    """Writes data to path without ever clobbering anything but a plain writable file.

    The temporary file is created exclusively (O_EXCL, never following a symlink) with a
    random name in the target's folder, written and synced, then renamed over the target.
    Raises OutputError with one line of French; no temporary file is left behind.
    """
    write_output_with(path, lambda f: f.write(data))


def write_output_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """write_output for content too large for memory: write(f) fills the temporary file."""
    path = check_output(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        existing_mode: int | None = stat.S_IMODE(os.lstat(path).st_mode)
    except OSError:
        existing_mode = None
    try:
        import tempfile  # on first write: not needed to start

        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as e:
        raise OutputError(french_os_error(e, path)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        mode = existing_mode if existing_mode is not None else 0o666 & ~current_umask()
        if sys.platform != "win32":
            os.chmod(tmp, mode)
        check_output(path)  # again, just before the rename: nothing special appeared meanwhile
        paths.replace_file(tmp, path)
    except OSError as e:
        raise OutputError(french_os_error(e, path)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def hold_in_use(path: Path) -> int | None:
    """A shared lock on path, held while the application reads it (an installed content pack):
    an import prunes only the files nobody holds (in_use). Returns the descriptor to pass to
    release_in_use, or None where there is no such lock (Windows: a file open there cannot be
    deleted anyway)."""
    if sys.platform == "win32":
        return None
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:  # an import deleting it this very moment: nothing to hold
        os.close(fd)
        return None
    return fd


def release_in_use(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def remove_unless_in_use(path: Path) -> bool:
    """Deletes path unless a running application holds it (hold_in_use); True when deleted."""
    if sys.platform == "win32":
        try:
            path.unlink()
        except OSError:
            return False  # a running application may still hold it open
        return True
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        path.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


@contextlib.contextmanager
def locked(lock_file: Path, timeout_s: float = 600.0) -> Iterator[None]:
    """Holds an exclusive lock on lock_file (created if needed) across processes.

    Waits for another holder up to timeout_s, then raises TimeoutError. The lock goes with
    the process: a killed holder never leaves the folder locked.
    """
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        if sys.platform == "win32":
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(errno.EAGAIN, "lock") from None
                    time.sleep(0.1)
        else:
            import fcntl

            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(errno.EAGAIN, "lock") from None
                    time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock
