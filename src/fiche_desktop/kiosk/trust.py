"""Whether the kiosk may trust its administrator's files (kiosk.toml, the PIN file). No Qt.

A file the kiosk's own account can change is a file a visitor who got a shell on that account
could change: a PIN of their own, then the admin exit. Each file, and the folder that holds it
(in a folder it can write, the account can put another file in its place), must be owned by root
and not writable by the account the kiosk runs as, checked with that account's real rights
(os.access with the effective ids: mode bits, group membership and ACLs together). Run as root
(as the tests do), root owning them is all that can be checked.

Windows keeps its rights in ACLs that this module does not read: nothing is checked there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from fiche_desktop import files


def admin_file_problem(path: Path) -> str | None:
    """Why the kiosk must not trust path (French), or None (also when it does not exist)."""
    if sys.platform == "win32":
        return None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        return f"{path} : illisible ({files.french_reason(e)})"
    # The folder of the path given, and of the file it leads to (a link elsewhere).
    real = Path(os.path.realpath(path))
    folders = [path.parent] + ([real.parent] if real.parent != path.parent else [])
    for target, kind in ((path, "fichier"), *((folder, "dossier") for folder in folders)):
        try:
            owner = st.st_uid if target is path else os.stat(target).st_uid
        except OSError as e:
            return f"{target} : illisible ({files.french_reason(e)})"
        where = f"{path}" if target is path else f"{path} : son dossier {target}"
        if owner != 0:
            return f"{where} appartient au compte n° {owner}, pas à root"
        if os.geteuid() != 0 and os.access(target, os.W_OK, effective_ids=True):
            return f"{where} : {kind} modifiable par le compte du kiosque (n° {os.geteuid()})"
    return None
