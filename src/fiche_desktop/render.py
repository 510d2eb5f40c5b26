"""(fiche, text version) -> escaped HTML for the screen (paper and PDF are typst's: printing/). No Qt here."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fiche_desktop.contacts import UsefulContact
from fiche_desktop.content import (
    CRITERIA,
    Erratum,
    Fiche,
    Section,
    Source,
    Term,
    TextVersion,
    date_in_words,
    date_span,
)
from fiche_desktop.db import ContentDB
from fiche_desktop.presentation import (
    HOW_TO_REACH,
    NEAR_YOU,
    contact_label,
    contact_lines,
    erratum_version,
    fiche_header,
    initial,
    keep_together,
    part_attribution,
    part_errata,
    qr_data_uri,
    source_title,
    structure_contacts,
    term_origin,
)
from fiche_desktop.search import MARK_END, MARK_START
from fiche_desktop.theme import ACCENT as ACCENT
from fiche_desktop.theme import ERRATUM_BG as ERRATUM_BG
from fiche_desktop.theme import INK as INK
from fiche_desktop.theme import MUTED as MUTED
from fiche_desktop.theme import NOTICE_BG as NOTICE_BG
from fiche_desktop.theme import STANDARD, Palette

FALC_NOTICE = "Pas de version FALC validée pour cette partie. Voici le texte standard :"
# The FALC view: the validated FALC text is the page; the rest is gathered once, at the end, folded.
MORE_TITLE = "Pour en savoir plus (version standard, non FALC)"
FOLD_URL = "fold:standard"
NO_VALUE = "Non précisé par les sources"

LEVEL_TITLES = {
    "summary": "L’essentiel (tableau de synthèse)",
    "detail": "Fiche détaillée",
    "other": "Ce que disent les autres sources",
}

URL_PATTERN = r"https?://[^\s<>\"')\]]+"

NEAR_YOU_ANCHOR = "section-pres-de-chez-vous"
QR_HINT = "Scannez le code avec un téléphone pour ouvrir la page sur internet."

# A FALC sentence ends with one of these (the validated text is cut into lines at these points).
FALC_SENTENCE_END = ".!?:;,"


@dataclass
class RenderContext:
    """What rendering needs besides the fiche: reference tables and display options."""

    sources: dict[str, Source] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    errata: list[Erratum] = field(default_factory=list)
    clause: Section | None = None
    base_pt: float = 11.0
    for_print: bool = False
    link_terms: bool = True
    contact: tuple[str, str, str] | None = None  # name, address, phone
    falc_print: bool = False  # FALC on paper: no text under 14 pt, 1.5 line spacing everywhere
    palette: Palette = STANDARD  # the screen's theme
    useful: tuple[UsefulContact, ...] = ()  # the practice's contacts (contacts.toml), every structure's
    contact_qr: bool = False  # the kiosk: each useful contact's web address as a QR code, not a link

    def __post_init__(self) -> None:
        self._term_re = _term_regex(self.terms) if self.link_terms else None

    @property
    def falc_pt(self) -> float:
        # FALC text is at least 14 pt at the default size, larger on screen. On paper it is 14 pt, like
        # the rest of the page: a larger size would wrap more of its lines, which are kept as validated.
        if self.falc_print:
            return max(14.0, self.base_pt)
        return max(14.0, self.base_pt * 1.45)


def make_context(
    db: ContentDB,
    *,
    base_pt: float,
    for_print: bool = False,
    contact: tuple[str, str, str] | None = None,
    falc_print: bool = False,
    palette: Palette = STANDARD,
    useful: Iterable[UsefulContact] | None = None,
    contact_qr: bool = False,
) -> RenderContext:
    """The one way to build a RenderContext from the content: the screen, the kiosk and paper.
    useful: the practice's contacts; None reads them (contacts.current, for db's content pack)."""
    if useful is None:
        from fiche_desktop import contacts

        useful = contacts.current(db.path).contacts
    overview = db.fiche("dispositifs")
    return RenderContext(
        sources=db.sources(),
        terms=db.terms(),
        errata=db.errata(),
        clause=overview.section("clause") if overview else None,
        base_pt=base_pt,
        for_print=for_print,
        link_terms=not for_print,
        contact=contact if contact and any(x.strip() for x in contact) else None,
        falc_print=falc_print,
        palette=palette,
        useful=tuple(useful),
        contact_qr=contact_qr,
    )


def _term_regex(terms: Iterable[Term]) -> re.Pattern[str] | None:
    names: set[str] = set()
    for t in terms:
        for name in (t.term, *t.aliases):
            if len(name) >= 2:
                names.add(name)
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _term_key(ctx: RenderContext, name: str) -> Term | None:
    for t in ctx.terms:
        if name == t.term or name in t.aliases:
            return t
    return None


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def inline(text: str, ctx: RenderContext, linked: set[str] | None = None) -> str:
    """Escapes text; makes http(s) URLs and glossary terms into links (on screen only)."""
    patterns = [URL_PATTERN]
    if ctx._term_re is not None and not ctx.for_print:
        patterns.append(ctx._term_re.pattern)
    combined = re.compile("|".join(f"({p})" for p in patterns))
    out: list[str] = []
    pos = 0
    for m in combined.finditer(text):
        out.append(esc(keep_together(text[pos : m.start()])))
        token = m.group(0)
        if m.group(1):  # URL
            url = token.rstrip(".,;:")
            tail = token[len(url) :]
            if ctx.for_print:
                out.append(esc(url))
            else:
                out.append(f'<a href="{esc(url)}">{esc(url)}</a>')
            out.append(esc(tail))
        else:
            term = _term_key(ctx, token)
            if term is None or (linked is not None and term.term in linked):
                out.append(esc(token))
            else:
                if linked is not None:
                    linked.add(term.term)
                out.append(f'<a href="glossaire:{esc(term.term)}" title="{esc(_tooltip(term))}">{esc(token)}</a>')
        pos = m.end()
    out.append(esc(keep_together(text[pos:])))
    return "".join(out)


def _tooltip(term: Term) -> str:
    head = f"{term.term} : {term.expansion}" if term.expansion else term.term
    return f"{head}. {term.definition}"


def highlight(snippet: str, palette: Palette = STANDARD) -> str:
    """Escapes a search snippet and turns its match marks into <b> highlights."""
    out = esc(snippet)
    mark = f'<b style="background:{palette.mark_bg}; color:{palette.mark_ink}">'
    return out.replace(MARK_START, mark).replace(MARK_END, "</b>")


# --- Building blocks ------------------------------------------------------------------


def _css(ctx: RenderContext) -> str:
    p = ctx.palette
    base = max(ctx.base_pt, 14.0) if ctx.falc_print else ctx.base_pt
    meta = base if ctx.falc_print else base * 0.9
    # Qt's style sheets take margins in px only (a 'pt' margin is silently dropped): 1 pt = 4/3 px.
    gap = f"{base * 0.5 * 4 / 3:.0f}px" if ctx.falc_print else "6px"
    # Qt's line-height percentage scales the font's own line height, which for Andika is 1.6 times its
    # size: on paper 100 % already spaces lines 1.6 apart (FALC asks for at least 1.5).
    if ctx.for_print:
        spacing, falc_spacing = (100 if ctx.falc_print else 90), 100
    else:
        spacing, falc_spacing = 130, 150
    return (
        f"body {{ color: {p.ink}; background: {p.background}; font-size: {base:.1f}pt; }}"
        f"h1 {{ color: {p.accent}; font-size: {base * 1.9:.1f}pt; margin-bottom: 4px; }}"
        f"h2 {{ color: {p.accent}; font-size: {base * 1.55:.1f}pt; font-weight: 800; margin-top: 26px; "
        "margin-bottom: 8px; }"
        f"h3 {{ color: {p.accent}; font-size: {base * 1.25:.1f}pt; margin-top: 16px; margin-bottom: 4px; }}"
        f"h4 {{ color: {p.accent}; font-size: {base * 1.1:.1f}pt; margin-top: 12px; margin-bottom: 4px; }}"
        f"p {{ margin-top: 0px; margin-bottom: {gap}; line-height: {spacing}%; }}"
        f"li {{ margin-bottom: 3px; line-height: {spacing}%; }}"
        f".meta {{ color: {p.muted}; font-size: {meta:.1f}pt; }}"
        f".falc {{ font-size: {ctx.falc_pt:.1f}pt; line-height: {falc_spacing}%; "
        f"margin-bottom: {ctx.falc_pt * 0.5 * 4 / 3:.0f}px; }}"
        f".falcgap {{ font-size: {ctx.falc_pt:.1f}pt; line-height: {falc_spacing}%; }}"
        f"a {{ color: {p.accent}; }}"
    )


def _standard_body(section: Section, ctx: RenderContext, linked: set[str]) -> str:
    out: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if bullets:
            out.append("<ul>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
            bullets.clear()

    for line in section.paragraphs():
        if line.startswith("- "):
            bullets.append(inline(line[2:], ctx, linked))
        else:
            flush()
            out.append(f"<p>{inline(line, ctx, linked)}</p>")
    flush()
    return "".join(out)


def falc_sentences(lines: Iterable[str]) -> list[tuple[str, ...]]:
    """Groups validated FALC lines into sentences; a '' line (a blank gap) becomes ().

    A sentence runs up to a line ending with . ! ? : ; or , and stops before a bullet line ('• ').
    """
    groups: list[tuple[str, ...]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            groups.append(tuple(current))
            current.clear()

    for line in lines:
        if not line:
            flush()
            groups.append(())
            continue
        if line.startswith("• "):
            flush()
        current.append(line)
        end = line.rstrip(' »”’")')[-1:]
        if end and end in FALC_SENTENCE_END:
            flush()
    flush()
    return groups


def falc_lines_html(lines: Iterable[str], ctx: RenderContext, linked: set[str] | None = None) -> str:
    """One paragraph per FALC sentence, its lines kept as they are (<br>); '' lines become a blank gap.

    A sentence is one block, so that print can keep it whole on one page.
    """
    out: list[str] = []
    for sentence in falc_sentences(lines):
        if sentence:
            body = "<br>".join(inline(line, ctx, linked) for line in sentence)
            out.append(f'<p class="falc" align="left">{body}</p>')
        else:
            out.append('<p class="falcgap">&nbsp;</p>')
    return "".join(out)


def _errata_notes(section: Section, ctx: RenderContext, version: TextVersion) -> str:
    notes = part_errata(section, version, ctx.errata)
    if not notes:
        return ""
    items = "".join(
        f'<p class="meta">Texte corrigé par Fiche Desktop : la source indique « {esc(e.original)} », '
        f"corrigé en « {esc(e.correction)} ». {esc(e.note)}</p>"
        for e in notes
    )
    bg = ctx.palette.erratum_bg
    return f'<table width="100%" cellpadding="6" style="background:{bg}"><tr><td>{items}</td></tr></table>'


def section_html(
    section: Section,
    version: TextVersion,
    ctx: RenderContext,
    fiche: Fiche | None = None,
    linked: set[str] | None = None,
    level: int = 3,
) -> str:
    """One section, with its anchor, title (an h<level>), text, source and errata.

    In FALC, a section with validated FALC text shows that text; one without shows the standard
    text (the FALC view calls this only inside its folded « Pour en savoir plus » block)."""
    linked = linked if linked is not None else set()
    anchor = f'<a name="section-{esc(section.id)}"></a>'
    falc = version is TextVersion.FALC and section.has_falc
    h = f"h{level}"
    if falc:
        parts = [
            f"<{h}>{anchor}{esc(section.display_title(version))}</{h}>",
            falc_lines_html(section.falc, ctx, linked),
        ]
    else:
        parts = [f"<{h}>{anchor}{esc(section.title)}</{h}>", _standard_body(section, ctx, linked)]
    parts.append(f'<p class="meta">{esc(part_attribution(section, version, ctx.sources).line())}</p>')
    parts.append(_errata_notes(section, ctx, version))
    if section.more and fiche is not None and not ctx.for_print and not falc:
        target = fiche.section(section.more)
        if target is not None:
            parts.append(
                f'<p><a href="section:{esc(section.more)}">Plus d’infos : '
                f"{esc(target.title)} (fiche détaillée) →</a></p>"
            )
    return "".join(parts)


def fiche_title(fiche: Fiche, version: TextVersion) -> str:
    return fiche.display_label(version)


def fiche_meta_line(fiche: Fiche, ctx: RenderContext, version: TextVersion = TextVersion.STANDARD) -> str:
    """'Fiche du 17 septembre 2024 – Sources : …'; in FALC, the FALC text's own source and date."""
    when, sources = fiche_header(fiche, version, ctx.sources)
    return f"{when} – {sources}"


def clause_applies(fiche: Fiche, ctx: RenderContext) -> bool:
    """The flexibility clause and its « Mise à jour du … » belong to its own source (Fiche 2):
    it closes the fiches taken from that source, never those taken from other sources only."""
    clause = ctx.clause
    if clause is None or fiche.slug == clause.fiche:
        return False
    return clause.source in {s.source for s in fiche.sections}


def _links_html(fiche: Fiche, level: int = 2) -> str:
    h = f"h{level}"
    parts = [f'<{h}><a name="section-liens"></a>Liens utiles</{h}><ul>']
    for url, label in unique_links(fiche):
        text = f"{esc(label)} : " if label else ""
        parts.append(f'<li>{text}<a href="{esc(url)}">{esc(url)}</a></li>')
    parts.append("</ul>")
    return "".join(parts)


def falc_parts(fiche: Fiche) -> tuple[list[Section], list[Section]]:
    """(the sections with validated FALC text, the others), in the fiche's order."""
    with_falc = [s for s in fiche.sections if s.has_falc]
    return with_falc, [s for s in fiche.sections if not s.has_falc]


def _standard_levels(fiche: Fiche, sections: list[Section], ctx: RenderContext, linked: set[str], top: int) -> str:
    """Sections grouped under their part (L'essentiel, Fiche détaillée, Ce que disent…)."""
    parts: list[str] = []
    for level in ("summary", "detail", "other"):
        chosen = [s for s in sections if s.level == level]
        if not chosen:
            continue
        if fiche.kind != "overview":
            parts.append(f'<h{top}><a name="part-{level}"></a>{esc(LEVEL_TITLES[level])}</h{top}>')
        for s in chosen:
            sub = top + 1 if fiche.kind != "overview" else top
            parts.append(section_html(s, TextVersion.STANDARD, ctx, fiche, linked, level=sub))
    return "".join(parts)


def fiche_html(fiche: Fiche, version: TextVersion, ctx: RenderContext, *, unfolded: bool = False) -> str:
    """The whole fiche for the screen.

    Standard: the title, its date and sources, the parts and their sections, the links, the
    flexibility clause when the fiche comes from its source. FALC: the validated FALC text is
    the page (with its credit); the parts without validated FALC text are gathered once, at the
    end, under « Pour en savoir plus (version standard, non FALC) », folded unless unfolded.
    """
    linked: set[str] = set()
    parts = [f"<html><head><style>{_css(ctx)}</style></head><body>"]
    parts.append(f"<h1>{esc(fiche_title(fiche, version))}</h1>")
    parts.append(f'<p class="meta">{esc(fiche_meta_line(fiche, ctx, version))}</p>')
    clause = ctx.clause if clause_applies(fiche, ctx) else None
    if version is TextVersion.STANDARD:
        parts.append(_standard_levels(fiche, list(fiche.sections), ctx, linked, top=2))
        if fiche.links:
            parts.append(_links_html(fiche))
        if clause is not None:
            parts.append(section_html(clause, version, ctx, level=2))
    else:
        with_falc, rest = falc_parts(fiche)
        for s in with_falc:
            parts.append(section_html(s, version, ctx, fiche, linked, level=2))
        if clause is not None and clause.has_falc:
            parts.append(section_html(clause, version, ctx, level=2))
        if with_falc or (clause is not None and clause.has_falc):
            parts.append(credit_html(ctx))
        else:
            parts.append('<p class="falc">Cette fiche n’a pas encore de version FALC validée.</p>')
        if clause is not None and not clause.has_falc:
            rest = [*rest, clause]
        if rest or fiche.links:
            parts.append(f'<h2><a name="section-plus"></a>{esc(MORE_TITLE)}</h2>')
            count = len(rest) + (1 if fiche.links else 0)
            what = f"{count} partie{'s' if count > 1 else ''}"
            if unfolded:
                parts.append(f'<p><a href="{FOLD_URL}">Masquer ces {what} en version standard</a></p>')
                parts.append(_standard_levels(fiche, rest, ctx, linked, top=3))
                if fiche.links:
                    parts.append(_links_html(fiche, level=3))
            else:
                parts.append(
                    f'<p class="falc"><a href="{FOLD_URL}">Afficher {what} de la fiche en version standard</a></p>'
                )
    near = structure_contacts(ctx.useful, fiche.slug)
    if near:
        parts.append(f'<h2><a name="{NEAR_YOU_ANCHOR}"></a>{esc(NEAR_YOU)}</h2>')
        parts.append(useful_contacts_html(near, version, ctx))
    if ctx.contact and any(ctx.contact):
        parts.append(contact_html(ctx.contact, version, ctx))
    parts.append("</body></html>")
    return "".join(parts)


def unique_links(fiche: Fiche) -> list[tuple[str, str | None]]:
    """The fiche's web pages, each once: (url, label or None)."""
    seen: dict[str, str | None] = {}
    for link in fiche.links:
        if link.url not in seen or (seen[link.url] is None and link.label):
            seen[link.url] = link.label
    return list(seen.items())


def credit_html(ctx: RenderContext) -> str:
    credits = [s.credit for s in ctx.sources.values() if s.credit]
    return "".join(f'<p class="meta"><b>{esc(c)}</b></p>' for c in credits)


def contact_html(contact: tuple[str, str, str], version: TextVersion, ctx: RenderContext) -> str:
    size = ctx.falc_pt if version is TextVersion.FALC else ctx.base_pt * 1.1
    lines = "".join(f'<p style="font-size:{size:.1f}pt">{esc(x)}</p>' for x in contact if x.strip())
    return (
        f'<table width="100%" cellpadding="10" cellspacing="0" border="1" '
        f'style="border-collapse:collapse; border-color:{ctx.palette.accent}; margin-top:14px">'
        f"<tr><td><h3>Votre contact</h3>{lines}</td></tr></table>"
    )


def useful_contacts_html(contacts: Iterable[UsefulContact], version: TextVersion, ctx: RenderContext) -> str:
    """The practice's contacts, each in its own framed box, apart from the sourced text: the name,
    the phone in large, the other lines, and the label saying who gave it and when
    (presentation.contact_label). On the kiosk (ctx.contact_qr) the web address is a QR code."""
    p = ctx.palette
    size = ctx.falc_pt if version is TextVersion.FALC else ctx.base_pt * 1.1
    out = []
    for c in contacts:
        rows = [f'<p><span style="font-size:{size * 1.15:.1f}pt; font-weight:bold">{esc(c.name)}</span></p>']
        for line in contact_lines(c):
            value = esc(line.value)
            if line.label == "Site" and not ctx.contact_qr:
                value = f'<a href="{value}">{value}</a>'
            # Qt's rich text keeps a size on a span (a <b> or <p> one is lost in a table cell).
            big = line.label == "Téléphone"
            if big:  # a number is never cut across two lines
                value = value.replace(" ", "\u00a0")
            style = f"font-size:{size * 1.4:.1f}pt; font-weight:bold" if big else f"font-size:{size:.1f}pt"
            rows.append(
                f'<p><span style="font-size:{size:.1f}pt">{esc(line.label)} : </span>'
                f'<span style="{style}">{value}</span></p>'
            )
        # The label: who gave it and when (FALC asks for no italics, on screen as on paper).
        rows.append(
            f'<p class="meta"><span style="font-size:{max(size * 0.85, 11):.1f}pt">{esc(contact_label(c))}</span></p>'
        )
        qr = ""
        if ctx.contact_qr and c.web:
            px = int(size * 9)
            qr = (
                f'<td width="{px + 16}" valign="middle"><img src="{qr_data_uri(c.web)}" width="{px}" '
                f'height="{px}" alt="Code QR du site {esc(c.web)}"></td>'
            )
        out.append(
            f'<table width="100%" cellpadding="12" cellspacing="0" border="1" '
            f'style="border-collapse:collapse; border-color:{p.accent}; margin-top:10px; margin-bottom:10px">'
            f'<tr><td valign="middle">{"".join(rows)}</td>{qr}</tr></table>'
        )
    return "".join(out)


def reach_html(
    slugs: Iterable[str], version: TextVersion, ctx: RenderContext, names: dict[str, str] | None = None
) -> str:
    """« Comment les joindre »: the practice's contacts for each structure of slugs (a guide
    answer's), under the structure's name; "" when none is given."""
    p = ctx.palette
    out = []
    for slug in slugs:
        near = structure_contacts(ctx.useful, slug)
        if near:
            if names and slug in names:
                out.append(f"<h4 style='color:{p.accent}'>{esc(names[slug])}</h4>")
            out.append(useful_contacts_html(near, version, ctx))
    if not out:
        return ""
    return f"<h3 style='color:{p.accent}'>{esc(HOW_TO_REACH)}</h3>" + "".join(out)


def glossary_html(
    terms: list[Term], ctx: RenderContext, version: TextVersion = TextVersion.STANDARD, filtered: bool = False
) -> str:
    """The terms, in the order given (the view sorts them in French order), under their letter
    (presentation.initial, the paper's letter too).

    In FALC, each term says plainly that it has no FALC definition (none is validated); a
    definition written by the project is marked as such in both versions."""
    parts = [f"<html><head><style>{_css(ctx)}</style></head><body><h1>Glossaire</h1>"]
    if version is TextVersion.FALC:
        parts.append(
            '<p class="falc">Ces mots n’ont pas encore d’explication en version FALC validée. '
            "Voici leur explication en version standard.</p>"
        )
    parts.append(
        '<p class="meta">Les définitions marquées « rédigée par Fiche Desktop » ne '
        "viennent pas des sources ; les autres sont citées mot pour mot.</p>"
    )
    if not terms:
        parts.append("<p>Aucun terme ne correspond à ce filtre.</p>" if filtered else "<p>Aucun terme.</p>")
    letter = ""
    for t in terms:
        if initial(t.term) != letter:
            letter = initial(t.term)
            parts.append(f'<h2><a name="lettre-{esc(letter)}"></a>{esc(letter)}</h2>')
        anchor = f'<a name="terme-{esc(t.term)}"></a>'
        expansion = f" – {esc(t.expansion)}" if t.expansion else ""
        origin = term_origin(t, ctx.sources)
        note = '<p class="meta">Pas de version FALC pour ce mot.</p>' if version is TextVersion.FALC else ""
        parts.append(
            f"<h3>{anchor}{esc(t.term)}{expansion}</h3>{note}<p>{esc(t.definition)}</p>"
            f'<p class="meta">{esc(origin)}</p>'
        )
    parts.append("</body></html>")
    return "".join(parts)


def erratum_place(e: Erratum, fiches: dict[str, Fiche]) -> str:
    """« MSP – Maison de santé pluriprofessionnelle, partie « Quels soins ? » (version FALC) »."""
    fiche = fiches.get(e.fiche)
    section = fiche.section(e.section) if fiche else None
    version = erratum_version(e, section)
    falc = version is TextVersion.FALC
    name = fiche.label if fiche else e.fiche
    part = section.display_title(version) if section else e.section
    return f"{name}, partie « {part} » ({'version FALC' if falc else 'version standard'})"


def sources_html(
    sources: Iterable[Source],
    errata: list[Erratum],
    ctx: RenderContext,
    content_version: str = "",
    content_date: str = "",
    fiches: dict[str, Fiche] | None = None,
) -> str:
    """The sources, each with its publisher and date, and the errata in words a reader understands."""
    sources = list(sources)
    fiches = fiches or {}
    parts = [f"<html><head><style>{_css(ctx)}</style></head><body><h1>Sources et erratum</h1>"]
    if content_version:
        parts.append(f'<p class="meta">Contenu version {esc(content_version)} – {esc(date_span(sources))}.</p>')
    parts.append(
        "<p>Chaque phrase de Fiche Desktop est reprise mot pour mot de l’une de ces "
        "sources, qui est indiquée sous chaque partie de fiche, avec sa date.</p>"
    )
    for s in sources:
        parts.append(f"<h2>{esc(s.title)}</h2>")
        rows = [("Éditeur", s.publisher), ("Date", date_in_words(s.date)), ("Nature", s.kind)]
        if s.date_text:
            rows.append(("Mention", s.date_text))
        if s.credit:
            rows.append(("Crédit", s.credit))
        parts.append("".join(f"<p><b>{esc(k)} :</b> {esc(v)}</p>" for k, v in rows))
    parts.append("<h1>Erratum</h1><p>Erreurs évidentes des sources, corrigées dans l’application :</p>")
    for e in errata:
        parts.append(
            f"<h3>{esc(erratum_place(e, fiches))}</h3>"
            f"<p><b>La source indique :</b> « {esc(e.original)} »</p>"
            f"<p><b>Correction :</b> « {esc(e.correction)} »</p>"
            f'<p class="meta">{esc(e.note)} Source : {esc(source_title(e.source, ctx.sources))}.</p>'
        )
    parts.append("</body></html>")
    return "".join(parts)


def criterion_label(criterion: str) -> str:
    return CRITERIA.get(criterion, criterion)


# --- the desk's Help and About pages (the window passes what they list)

# The keys the Help page's text names, as Linux and Windows write them; the window passes its own,
# written the platform's way (⌘F on a Mac).
HELP_KEYS = {
    "find": "Ctrl+F",
    "find_in_page": "Ctrl+Maj+F",
    "find_next": "F3",
    "contrast": "Ctrl+Maj+H",
    "zoom_in": "Ctrl++",
    "zoom_out": "Ctrl+-",
}

HELP_SCREENS = [
    (
        "Accueil",
        "les structures et les outils en cartes, le médecin traitant pivot, vos favoris ; une carte ouvre sa fiche.",
    ),
    (
        "Fiche",
        "le sommaire à gauche suit la lecture ; chaque partie indique sa source et sa date. "
        "En FALC, le texte validé est la page ; les parties sans version FALC sont regroupées à la fin, "
        "repliées. Un mot souligné ouvre sa définition sans quitter la fiche (Échap la ferme). "
        "★ ajoute la fiche aux favoris ; « Imprimer / PDF » l’imprime, aussi pour le patient (FALC).",
    ),
    (
        "Recherche",
        "{find} cherche dans toutes les fiches, sans se soucier des accents ; "
        "{find_in_page} cherche un mot dans la fiche ouverte ({find_next} : suivant).",
    ),
    ("Comparer", "les structures côte à côte ; une case ouvre la partie de la fiche d’où elle vient."),
    ("Glossaire", "les sigles et les termes, dans l’ordre alphabétique, avec un filtre et les lettres A–Z."),
    ("Sources et erratum", "les cinq documents sources, leur date, et les corrections apportées."),
]


def _page_css(palette: Palette, base_pt: float) -> str:
    p = palette
    return (
        f"<style>body {{ color: {p.ink}; font-size: {base_pt:.1f}pt; }} "
        f"h1, h2 {{ color: {p.accent}; }} a {{ color: {p.accent}; }} td {{ padding: 4px 10px 4px 0; }}</style>"
    )


def _rows(rows: Iterable[tuple[str, ...]]) -> str:
    """Table rows, the first cell in bold."""
    return "".join(
        f"<tr><td><b>{esc(first)}</b></td>" + "".join(f"<td>{esc(c)}</td>" for c in rest) + "</tr>"
        for first, *rest in rows
    )


def help_html(
    shortcuts: Iterable[tuple[str, str]], palette: Palette, base_pt: float, keys: Mapping[str, str] | None = None
) -> str:
    """The desk's Help page: its screens, then shortcuts as (keys in French, what they do); keys: the
    keys its text names (HELP_KEYS' names), as the platform writes them."""
    k = {name: esc(key) for name, key in {**HELP_KEYS, **(keys or {})}.items()}
    screens = [(title, text.format_map(k)) for title, text in HELP_SCREENS]
    return (
        f"<html><head>{_page_css(palette, base_pt)}</head><body><h1>Aide</h1>"
        "<p>Fiche Desktop présente les dispositifs de soins primaires et de coordination, "
        "mot pour mot d’après leurs sources, en version standard et en version FALC "
        "(facile à lire et à comprendre).</p>"
        f"<h2>Les écrans</h2><table>{_rows(screens)}</table>"
        f"<h2>Raccourcis clavier</h2><table>{_rows(shortcuts)}</table>"
        f"<h2>Confort de lecture</h2><p>Affichage › Contraste élevé ({k['contrast']}) ; {k['zoom_in']} et "
        f"{k['zoom_out']} pour la taille ; Affichage › Écouter lit la partie affichée ou le texte choisi, "
        "quand une voix française est installée ; Édition › Copier avec la source copie le texte choisi "
        "avec sa source et sa date.</p>"
        "<h2>Sources</h2><p>Chaque partie de fiche indique sa source et sa date. "
        "La page « Sources et erratum » liste les documents et les corrections.</p>"
        "</body></html>"
    )


def about_html(
    sources: Iterable[Source],
    *,
    app_version: str,
    content_version: str,
    db_path: str,
    qt_version: str,
    pyside_version: str,
    palette: Palette,
    base_pt: float,
) -> str:
    """The desk's About page: the application's and the content's versions, the sources, the
    fonts and libraries with their licences."""
    sources = list(sources)
    libraries = [
        ("Police Andika", "SIL International", "SIL Open Font License 1.1 (resources/fonts/OFL.txt)"),
        (f"Qt {qt_version} et PySide6 {pyside_version}", "The Qt Company", "LGPL 3"),
        ("SQLite", "D. Richard Hipp et contributeurs", "domaine public"),
        ("segno (codes QR)", "Lars Heuer", "BSD 3-Clause"),
        ("Python", "Python Software Foundation", "licence PSF"),
    ]
    listed = "".join(f"<li>{esc(s.title)} – {esc(s.publisher)}, {esc(s.date_text or 'non daté')}</li>" for s in sources)
    return (
        f"<html><head>{_page_css(palette, base_pt)}</head><body><h1>À propos de Fiche Desktop</h1>"
        f"<p><b>Application :</b> version {esc(app_version)} (licence MIT).</p>"
        f"<p><b>Contenu :</b> version {esc(content_version)} – {esc(date_span(sources))}"
        f" ; base : {esc(db_path)}</p>"
        f"<h2>Sources du contenu</h2><ul>{listed}</ul>"
        "<p>Chaque phrase est reprise mot pour mot de ces sources ; le texte FALC est celui validé par le "
        "bureau FALC de l’Esat de Castelnau-le-Lez (Unapei 34), reproduit ligne pour ligne.</p>"
        f"<h2>Polices et bibliothèques</h2><table>{_rows(libraries)}</table>"
        "</body></html>"
    )
