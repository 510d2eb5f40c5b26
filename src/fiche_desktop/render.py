"""(fiche, text version) -> escaped HTML for the screen (paper and PDF: printing/, set by typst). No Qt here."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fiche_desktop.content import (
    CRITERIA,
    Erratum,
    Fiche,
    Section,
    Source,
    Term,
    TextVersion,
    date_in_words,
)
from fiche_desktop.search import MARK_END, MARK_START

# Colours chosen for a contrast of at least 7:1 on white.
INK = "#1b1b1b"
MUTED = "#454545"
ACCENT = "#0b3d6e"
NOTICE_BG = "#fff4d6"
ERRATUM_BG = "#eef3f8"

FALC_NOTICE = "Pas de version FALC validée pour cette partie. Voici le texte standard :"
NO_VALUE = "Non précisé par les sources"

LEVEL_TITLES = {
    "summary": "L’essentiel (tableau de synthèse)",
    "detail": "Fiche détaillée",
    "other": "Ce que disent les autres sources",
}

URL_PATTERN = r"https?://[^\s<>\"')\]]+"

# Printed beside the QR codes of a fiche's web pages (printing/data.py).
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

    def __post_init__(self) -> None:
        self._term_re = _term_regex(self.terms) if self.link_terms else None

    @property
    def falc_pt(self) -> float:
        # FALC text is at least 14 pt at the default size, larger on screen. On paper it is 14 pt, like
        # the rest of the page: a larger size would wrap more of its lines, which are kept as validated.
        if self.falc_print:
            return max(14.0, self.base_pt)
        return max(14.0, self.base_pt * 1.45)


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
        out.append(esc(text[pos : m.start()]))
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
    out.append(esc(text[pos:]))
    return "".join(out)


def _tooltip(term: Term) -> str:
    head = f"{term.term} : {term.expansion}" if term.expansion else term.term
    return f"{head}. {term.definition}"


def highlight(snippet: str) -> str:
    """Escapes a search snippet and turns its match marks into <b> highlights."""
    out = esc(snippet)
    return out.replace(MARK_START, f'<b style="background:{NOTICE_BG}">').replace(MARK_END, "</b>")


# --- Building blocks ------------------------------------------------------------------


def _css(ctx: RenderContext) -> str:
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
        f"body {{ color: {INK}; font-size: {base:.1f}pt; }}"
        f"h1 {{ color: {ACCENT}; font-size: {base * 1.9:.1f}pt; margin-bottom: 4px; }}"
        f"h2 {{ color: {ACCENT}; font-size: {base * 1.35:.1f}pt; margin-top: 18px; margin-bottom: 6px; }}"
        f"h3 {{ color: {ACCENT}; font-size: {base * 1.15:.1f}pt; margin-top: 14px; margin-bottom: 4px; }}"
        f"p {{ margin-top: 0px; margin-bottom: {gap}; line-height: {spacing}%; }}"
        f"li {{ margin-bottom: 3px; line-height: {spacing}%; }}"
        f".meta {{ color: {MUTED}; font-size: {meta:.1f}pt; }}"
        f".falc {{ font-size: {ctx.falc_pt:.1f}pt; line-height: {falc_spacing}%; "
        f"margin-bottom: {ctx.falc_pt * 0.5 * 4 / 3:.0f}px; }}"
        f".falcgap {{ font-size: {ctx.falc_pt:.1f}pt; line-height: {falc_spacing}%; }}"
        f"a {{ color: {ACCENT}; }}"
    )


def _source_line(section: Section, ctx: RenderContext, falc: bool = False) -> str:
    source_id = section.falc_source if falc and section.falc_source else section.source
    src = ctx.sources.get(source_id)
    title = src.title if src else source_id
    date = section.date if not falc else (src.date if src else None)
    date_part = f" – {date_in_words(date)}" if date else (" – non daté" if src and not src.date else "")
    return f'<p class="meta">Source : {esc(title)}{esc(date_part)}</p>'


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


def _errata_notes(section: Section, ctx: RenderContext) -> str:
    notes = [e for e in ctx.errata if e.fiche == section.fiche and e.section == section.id]
    if not notes:
        return ""
    items = "".join(
        f'<p class="meta">Correction : « {esc(e.correction)} » ; la source indique '
        f"« {esc(e.original)} ». {esc(e.note)}</p>"
        for e in notes
    )
    return f'<table width="100%" cellpadding="6" style="background:{ERRATUM_BG}"><tr><td>{items}</td></tr></table>'


def section_html(
    section: Section,
    version: TextVersion,
    ctx: RenderContext,
    fiche: Fiche | None = None,
    linked: set[str] | None = None,
) -> str:
    """One section, with its anchor, title, text, source and errata."""
    linked = linked if linked is not None else set()
    anchor = f'<a name="section-{esc(section.id)}"></a>'
    if version is TextVersion.FALC and section.has_falc:
        title = section.falc_title or section.title
        body = falc_lines_html(section.falc, ctx, linked)
        parts = [f"<h2>{anchor}{esc(title)}</h2>", body, _source_line(section, ctx, falc=True)]
    else:
        parts = [f"<h2>{anchor}{esc(section.title)}</h2>"]
        if version is TextVersion.FALC:
            parts.append(
                f'<table width="100%" cellpadding="6" style="background:{NOTICE_BG}"><tr><td>'
                f'<p class="falc">{esc(FALC_NOTICE)}</p></td></tr></table>'
            )
        parts.append(_standard_body(section, ctx, linked))
        parts.append(_source_line(section, ctx))
    parts.append(_errata_notes(section, ctx))
    if section.more and fiche is not None and not ctx.for_print:
        target = fiche.section(section.more)
        if target is not None:
            parts.append(
                f'<p><a href="section:{esc(section.more)}">Plus d’infos : '
                f"{esc(target.title)} (fiche détaillée) →</a></p>"
            )
    return "".join(parts)


def fiche_title(fiche: Fiche, version: TextVersion) -> str:
    if version is TextVersion.FALC and fiche.falc_title:
        return f"{fiche.acronym} – {fiche.falc_title}" if fiche.acronym else fiche.falc_title
    return fiche.label


def fiche_meta_line(fiche: Fiche, ctx: RenderContext) -> str:
    """'Fiche du 17 septembre 2024 – Sources : …'"""
    titles = [ctx.sources[s].label if s in ctx.sources else s for s in fiche.source_ids()]
    date = f"Fiche du {date_in_words(fiche.date)}" if fiche.date else "Fiche non datée"
    return f"{date} – Sources : {' ; '.join(titles)}"


def fiche_html(fiche: Fiche, version: TextVersion, ctx: RenderContext) -> str:
    """The whole fiche: title, date and sources, sections by level, links, clause, credit."""
    linked: set[str] = set()
    parts = [f"<html><head><style>{_css(ctx)}</style></head><body>"]
    parts.append(f"<h1>{esc(fiche_title(fiche, version))}</h1>")
    parts.append(f'<p class="meta">{esc(fiche_meta_line(fiche, ctx))}</p>')
    shown_falc = False
    for level in ("summary", "detail", "other"):
        sections = [s for s in fiche.sections if s.level == level]
        if not sections:
            continue
        if fiche.kind != "overview":
            parts.append(f'<h3 style="color:{MUTED}">{esc(LEVEL_TITLES[level])}</h3>')
        for s in sections:
            shown_falc |= version is TextVersion.FALC and s.has_falc
            parts.append(section_html(s, version, ctx, fiche, linked))
    if fiche.links:
        parts.append('<h2><a name="section-liens"></a>Liens utiles</h2><ul>')
        seen: set[str] = set()
        for link in fiche.links:
            if link.url in seen:
                continue
            seen.add(link.url)
            label = f"{esc(link.label)} : " if link.label else ""
            parts.append(f'<li>{label}<a href="{esc(link.url)}">{esc(link.url)}</a></li>')
        parts.append("</ul>")
    if ctx.clause is not None and fiche.slug != ctx.clause.fiche:
        shown_falc |= version is TextVersion.FALC and ctx.clause.has_falc
        parts.append(section_html(ctx.clause, version, ctx))
    if shown_falc:
        parts.append(credit_html(ctx))
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
        f'style="border-collapse:collapse; border-color:{ACCENT}; margin-top:14px">'
        f"<tr><td><h3>Votre contact</h3>{lines}</td></tr></table>"
    )


def glossary_html(terms: list[Term], ctx: RenderContext) -> str:
    parts = [f"<html><head><style>{_css(ctx)}</style></head><body><h1>Glossaire</h1>"]
    parts.append(
        '<p class="meta">Les définitions marquées « rédigée par Fiche Desktop » ne '
        "viennent pas des sources ; les autres sont citées mot pour mot.</p>"
    )
    for t in terms:
        anchor = f'<a name="terme-{esc(t.term)}"></a>'
        expansion = f" – {esc(t.expansion)}" if t.expansion else ""
        if t.project:
            origin = "définition rédigée par Fiche Desktop"
        else:
            src = ctx.sources.get(t.source or "")
            origin = f"source : {src.title}" if src else f"source : {t.source}"
        parts.append(
            f'<h3>{anchor}{esc(t.term)}{expansion}</h3><p>{esc(t.definition)}</p><p class="meta">{esc(origin)}</p>'
        )
    parts.append("</body></html>")
    return "".join(parts)


def sources_html(
    sources: Iterable[Source],
    errata: list[Erratum],
    ctx: RenderContext,
    content_version: str = "",
    content_date: str = "",
) -> str:
    parts = [f"<html><head><style>{_css(ctx)}</style></head><body><h1>Sources et erratum</h1>"]
    if content_version:
        parts.append(
            f'<p class="meta">Contenu version {esc(content_version)}, à jour des sources '
            f"du {esc(date_in_words(content_date))}.</p>"
        )
    parts.append(
        "<p>Chaque phrase de Fiche Desktop est reprise mot pour mot de l’une de ces "
        "sources, qui est indiquée sous chaque partie de fiche.</p>"
    )
    for s in sources:
        parts.append(f"<h2>{esc(s.title)}</h2>")
        rows = [
            ("Éditeur", s.publisher),
            ("Date", date_in_words(s.date)),
            ("Nature", s.kind),
            ("Fichier source", s.file),
        ]
        if s.date_text:
            rows.append(("Mention", s.date_text))
        if s.credit:
            rows.append(("Crédit", s.credit))
        parts.append("".join(f"<p><b>{esc(k)} :</b> {esc(v)}</p>" for k, v in rows))
    parts.append("<h1>Erratum</h1><p>Erreurs évidentes des sources, corrigées dans l’application :</p>")
    for e in errata:
        src = ctx.sources.get(e.source)
        parts.append(
            f"<h3>Fiche « {esc(e.fiche)} », partie « {esc(e.section)} »</h3>"
            f"<p><b>La source indique :</b> « {esc(e.original)} »</p>"
            f"<p><b>Correction :</b> « {esc(e.correction)} »</p>"
            f'<p class="meta">{esc(e.note)} Source : {esc(src.title if src else e.source)}.</p>'
        )
    parts.append("</body></html>")
    return "".join(parts)


def criterion_label(criterion: str) -> str:
    return CRITERIA.get(criterion, criterion)
