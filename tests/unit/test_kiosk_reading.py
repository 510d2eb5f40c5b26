"""What the kiosk reads aloud (kiosk.reading): the FALC text of the fiche or of the home screen."""

from __future__ import annotations

from fiche_desktop.content import TextVersion
from fiche_desktop.kiosk.reading import read_aloud_text

FALC = TextVersion.FALC


def test_a_fiche_is_read_from_its_title_through_its_falc_parts(real_db) -> None:
    fiche = real_db.fiche("msp")
    lines = read_aloud_text(real_db, fiche, lambda slug: True).split("\n")
    assert lines[0] == fiche.display_title(FALC)
    assert "Les professionnels libéraux sont des travailleurs indépendants." in lines
    parts = [s for s in fiche.sections if s.has_falc]
    assert parts and all(s.display_title(FALC) in lines for s in parts)
    assert not any(line.startswith(("•", "-", "–", " ")) for line in lines)  # no bullets read out


def test_the_home_screen_reads_each_group_with_the_fiches_the_kiosk_shows(real_db) -> None:
    everything = read_aloud_text(real_db, None, lambda slug: True).split("\n")
    only_msp = read_aloud_text(real_db, None, lambda slug: slug == "msp").split("\n")
    msp, cds = real_db.fiche("msp").display_title(FALC), real_db.fiche("cds").display_title(FALC)
    assert msp in everything and cds in everything
    assert msp in only_msp and cds not in only_msp
    group = next(g for g in real_db.groups() if "msp" in g.members)
    assert group.display_title(FALC) in only_msp
