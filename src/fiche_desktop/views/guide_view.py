"""« Quelle structure ? »: two paths of plain questions; each answer names the fiches that fit, with
the source sentences that justify them, a way to each fiche and to the comparison."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fiche_desktop import contacts, guide
from fiche_desktop.content import GuidePath, GuideQuestion, TextVersion
from fiche_desktop.db import ContentDB
from fiche_desktop.presentation import attribution
from fiche_desktop.render import RenderContext, esc, falc_sentences, reach_html
from fiche_desktop.search import LEVEL_PARTS
from fiche_desktop.theme import STANDARD, Palette
from fiche_desktop.views import screen_fit
from fiche_desktop.views.flow_layout import FlowBar
from fiche_desktop.views.list_model import ListModel
from fiche_desktop.views.rich_text import HtmlDelegate, WrappingListView

QUESTION_ROLE = Qt.ItemDataRole.UserRole + 5
NO_GUIDE = "Ce contenu n’a pas de guide d’orientation."
ANSWER_HEADING = "Ce qui peut répondre"
SOURCES_HEADING = "Ce que disent les sources"
FALC_NOTICE = "Texte standard : pas de version FALC validée."


def question_value(questions: Sequence[GuideQuestion], row: int, role: int) -> Any:
    """A question's row: its text, read aloud with its place in the path."""
    q = questions[row]
    if role == Qt.ItemDataRole.DisplayRole:
        return q.question
    if role == Qt.ItemDataRole.AccessibleTextRole:
        return f"Question {row + 1} sur {len(questions)} : {q.question}"
    if role == Qt.ItemDataRole.ToolTipRole:
        return "Entrée ou clic : voir les structures qui correspondent"
    if role == QUESTION_ROLE:
        return q.id
    return None


SIDE_BY_SIDE_CHARS = 70


class GuideView(QWidget):
    """Paths as two buttons, their questions in a list, the chosen answer beside it."""

    open_fiche = Signal(str, str)  # slug, section ('' for the top)
    compare_requested = Signal(list)  # slugs

    def __init__(self, db: ContentDB, parent: QWidget | None = None, theme: Palette = STANDARD) -> None:
        super().__init__(parent)
        self.db = db
        self.version = TextVersion.STANDARD
        self.theme = theme  # the theme's colours: the answer draws in them
        self._stale = False
        self.paths: list[GuidePath] = guide.paths(db)
        self.path = self.paths[0].id if self.paths else ""
        self.answer: guide.GuideAnswer | None = None
        # The page scrolls up and down only when the window is too short (a large zoom): the
        # questions and the answer keep most of its height (resizeEvent).
        self.page_scroll, layout = screen_fit.scrolling_page(self, "guidePage", "Quelle structure ?")
        layout.setContentsMargins(20, 14, 20, 14)
        title = QLabel("Quelle structure\u00a0?")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.note = QLabel(guide.PROJECT_NOTE)
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Origine du guide")
        layout.addWidget(self.note)

        row = FlowBar(margin=0)  # the paths' buttons wrap at a large zoom
        self.path_group = QButtonGroup(self)
        self.path_group.setExclusive(True)
        self.path_buttons: dict[str, QPushButton] = {}
        for p in self.paths:
            button = QPushButton(p.title)
            button.setCheckable(True)
            button.setObjectName("versionButton")
            button.setAccessibleName(f"Parcours : {p.title}")
            button.clicked.connect(lambda _=False, pid=p.id: self.select_path(pid))
            self.path_group.addButton(button)
            self.path_buttons[p.id] = button
            row.add(button, place=False)
        row.relayout()
        layout.addWidget(row)

        self.splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 6, 8, 0)
        self.intro = QLabel()
        self.intro.setObjectName("groupTitle")
        self.intro.setWordWrap(True)
        left_layout.addWidget(self.intro)
        self.model = ListModel(question_value, parent=self)
        self.list = WrappingListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(HtmlDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setAccessibleName("Questions")
        self.list.selectionModel().currentChanged.connect(lambda index, _old: self._show(index))
        self.list.activated.connect(lambda _index: self.focus_text())
        left_layout.addWidget(self.list, 1)
        self.splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 6, 0, 0)
        self.action_row = FlowBar(margin=0)  # wraps beside a narrow answer, at a large zoom
        self.action_buttons: list[QPushButton] = []
        right_layout.addWidget(self.action_row)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Réponse : structures qui correspondent et citations des sources")
        self.browser.anchorClicked.connect(self._on_link)
        right_layout.addWidget(self.browser, 1)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout.addWidget(self.splitter, 1)
        if self.path:
            self.select_path(self.path)
        else:
            self.browser.setPlainText(NO_GUIDE)

    # --- choices

    def focus_text(self) -> None:
        self.browser.setFocus()

    def select_path(self, path: str, question: str = "") -> None:
        if path not in self.path_buttons:
            return
        self.path = path
        self.path_buttons[path].setChecked(True)
        chosen = next(p for p in self.paths if p.id == path)
        self.intro.setText(chosen.intro)
        self.model.set_items(guide.questions(self.db, path))
        row = next((i for i, q in enumerate(self.model.items) if q.id == question), 0)
        if self.model.rowCount():
            selection = self.list.selectionModel()
            selection.blockSignals(True)
            self.list.setCurrentIndex(self.model.index(row))
            selection.blockSignals(False)
            self.list.viewport().update()
            self._show(self.model.index(row))

    def select_question(self, question: str) -> bool:
        q = next((q for q in self.db.guide_questions() if q.id == question), None)
        if q is None:
            return False
        self.select_path(q.path, q.id)
        return True

    def current_question(self) -> str:
        return self.answer.question.id if self.answer else ""

    def set_theme(self, palette: Palette) -> None:
        """Draws the answer in the theme's colours: now if shown, else when next shown."""
        if palette is not self.theme:
            self.theme = palette
            self.set_version(self.version)

    def set_version(self, version: TextVersion) -> None:
        self.version = version
        if self.isVisible():
            self._show(self.list.currentIndex())
        else:
            self._stale = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a zoom step
            self._fit()

    def _fit(self) -> None:
        """Side by side when both fit (about 70 characters), else the questions above the answer;
        they keep most of the page's height."""
        wide = self.width() >= SIDE_BY_SIDE_CHARS * self.fontMetrics().averageCharWidth()
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        screen_fit.keep_share(self.splitter, self.height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._show(self.list.currentIndex())

    # --- the answer

    def _show(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if not index.isValid() or index.row() >= len(self.model.items):
            return
        self.answer = guide.resolve(self.db, self.model.items[index.row()], self.version)
        self.browser.setHtml(self.answer_html(self.answer))
        self._fill_actions(self.answer)

    def _fill_actions(self, answer: guide.GuideAnswer) -> None:
        self.action_row.clear()  # hidden at once: never left painted until the event loop deletes them
        self.action_buttons = []
        for fiche in answer.fiches:
            name = fiche.acronym or fiche.display_title(self.version)
            button = QPushButton(f"Ouvrir : {name}")
            button.setAccessibleName(f"Ouvrir la fiche {fiche.display_label(self.version)}")
            button.clicked.connect(lambda _=False, s=fiche.slug: self.open_fiche.emit(s, ""))
            self.action_row.add(button, place=False)
            self.action_buttons.append(button)
        if answer.compare:
            button = QPushButton(self.compare_label(answer))
            button.setAccessibleName(self.compare_label(answer))
            button.clicked.connect(lambda _=False, c=list(answer.compare): self.compare_requested.emit(c))
            self.action_row.add(button, place=False)
            self.action_buttons.append(button)
        self.action_row.relayout()

    def compare_label(self, answer: guide.GuideAnswer) -> str:
        names = [f.acronym or f.title for f in answer.fiches if f.slug in answer.structures]
        if len(names) >= 2:
            return "Comparer " + ", ".join(names[:-1]) + " et " + names[-1]
        return f"Comparer {names[0]} aux autres structures" if names else ""

    def answer_html(self, answer: guide.GuideAnswer) -> str:
        """The answer: the question and the fiches that fit (written by the project, and said so),
        then, per fiche, the quotations with their source, part and date."""
        base = self.font().pointSizeF()
        falc_pt = max(14.0, base * 1.35)
        sources = self.db.sources()
        falc = self.version is TextVersion.FALC
        p = self.theme
        out = [
            f"<html><body style='color:{p.ink}'>",
            f"<h2 style='color:{p.accent}'>{esc(answer.question.question)}</h2>",
            f'<p style="color:{p.muted}"><i>La question et le choix des fiches : texte {esc(guide.PROJECT_MARK)}.'
            + (f" {esc(guide.FALC_NOTE)}" if falc else "")
            + "</i></p>",
            f"<h3 style='color:{p.accent}'>{esc(ANSWER_HEADING)}</h3><ul>",
        ]
        for fiche in answer.fiches:
            out.append(f'<li><a href="fiche:{esc(fiche.slug)}">{esc(fiche.display_label(self.version))}</a></li>')
        out.append("</ul>")
        if answer.compare:
            out.append(
                f'<p><a href="comparer:{esc(",".join(answer.compare))}">{esc(self.compare_label(answer))}</a></p>'
            )
        # « Comment les joindre »: the practice's contacts (contacts.toml), apart from the quotations.
        ctx = RenderContext(base_pt=base, useful=tuple(contacts.current(self.db.path).contacts))
        names = {f.slug: f.display_label(self.version) for f in answer.fiches}
        out.append(reach_html(names, self.version, ctx, names))
        out.append(f"<h3 style='color:{p.accent}'>{esc(SOURCES_HEADING)}</h3>")
        for fiche in answer.fiches:
            out.append(f"<h4>{esc(fiche.display_label(self.version))}</h4>")
            for q in answer.quotes_for(fiche.slug):
                if q.falc:
                    body = "".join(
                        f'<p style="font-size:{falc_pt:.1f}pt">' + "<br>".join(esc(x) for x in sentence) + "</p>"
                        for sentence in falc_sentences(q.lines)
                        if sentence
                    )
                else:
                    notice = f'<p style="color:{p.muted}"><i>{esc(FALC_NOTICE)}</i></p>' if falc else ""
                    body = notice + "".join(f"<p>« {esc(line)} »</p>" for line in q.lines)
                shown = attribution(q.source, sources, q.date)
                part = LEVEL_PARTS.get(q.level, "")
                where = f"{q.section_title} ({part})" if part else q.section_title
                out.append(
                    f'<table width="100%" cellpadding="8" style="background:{p.erratum_bg}; margin-bottom:6px">'
                    f"<tr><td>{body}"
                    f'<p style="color:{p.muted}">{esc(shown.line())} · partie « {esc(where)} » · '
                    f'<a href="fiche:{esc(q.fiche)}#{esc(q.section)}">lire dans la fiche</a></p></td></tr></table>'
                )
        if any(q.falc for q in answer.quotes):
            credits = (s.credit for s in sources.values())
            out += [f'<p style="color:{p.muted}"><b>{esc(c)}</b></p>' for c in credits if c]
        out.append("</body></html>")
        return "".join(out)

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == "fiche":
            self.open_fiche.emit(url.path(), url.fragment())
        elif url.scheme() == "comparer":
            self.compare_requested.emit([s for s in url.path().split(",") if s])

    def text(self) -> str:
        return self.browser.toPlainText()
