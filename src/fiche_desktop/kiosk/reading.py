"""What the kiosk reads aloud, without Qt: the FALC text of the fiche on screen, or of the home screen."""

from __future__ import annotations

from collections.abc import Callable

from fiche_desktop.content import Fiche, TextVersion
from fiche_desktop.db import ContentDB

FALC = TextVersion.FALC


def read_aloud_text(db: ContentDB, fiche: Fiche | None, allowed: Callable[[str], bool]) -> str:
    """The fiche's title and FALC parts ("" when it has none); with no fiche, the home screen's
    FALC introduction, then each group's title and its fiches (those allowed) by their FALC titles.
    One line each, without bullets."""
    lines: list[str] = []
    if fiche is not None:
        parts = [s for s in fiche.sections if s.has_falc]
        if not parts:
            return ""
        lines.append(fiche.display_title(FALC))
        for s in parts:
            lines.append(s.display_title(FALC))
            lines.extend(line for line in s.falc if line)
    else:
        overview = db.fiche("dispositifs")
        pivot = overview.section("pivot") if overview else None
        if pivot is not None and pivot.has_falc:
            lines.extend(line for line in pivot.falc if line)
        headers = {f.slug: f for f in db.fiche_headers()}
        for group in db.groups():
            members = [headers[m] for m in group.members if m in headers and allowed(m)]
            if members:
                lines.append(group.display_title(FALC))
                lines.extend(f.display_title(FALC) for f in members)
    cleaned = [line.lstrip("•-– ").strip() for line in lines]
    return "\n".join(line for line in cleaned if line)
