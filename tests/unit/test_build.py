"""The content build: validation messages, determinism, atomicity, the committed data.db."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from fiche_desktop import build
from fiche_desktop.build import ContentError, validate, write_database
from fiche_desktop.exit_codes import ExitCode
from tests.conftest import CONTENT, REAL_DB
from tests.helpers import tiny_content


# The bytes depend on the SQLite library that wrote them (its version in the header, and how its
# full-text index lays out pages): Windows' CPython bundles its own SQLite, Debian's Python uses
# the system's. On Windows the rebuilt base must hold the same schema and rows.
@pytest.mark.skipif(sys.platform == "win32", reason="bytes of Debian's SQLite; Windows: the test below")
def test_committed_data_db_is_what_the_build_produces(tmp_path: Path) -> None:
    """Fails when resources/content changed without `make data`."""
    out = tmp_path / "data.db"
    build.build(CONTENT, out)
    assert out.read_bytes() == REAL_DB.read_bytes(), "data.db is stale: run `make data` and commit it"


@pytest.mark.skipif(sys.platform != "win32", reason="Windows' counterpart of the test above")
def test_the_build_on_windows_holds_the_committed_schema_and_rows(tmp_path: Path) -> None:
    out = tmp_path / "data.db"
    build.build(CONTENT, out)
    built, committed = sqlite3.connect(out), sqlite3.connect(REAL_DB)
    try:
        assert list(built.iterdump()) == list(committed.iterdump()), "data.db is stale: run `make data`"
    finally:
        built.close()
        committed.close()


def test_build_is_byte_identical_when_repeated(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    build.build(CONTENT, a)
    build.build(CONTENT, b)
    assert a.read_bytes() == b.read_bytes()


def test_build_writes_schema_tables_and_search_index(tmp_path: Path) -> None:
    out = tmp_path / "d.db"
    write_database(validate(tiny_content()), out)
    conn = sqlite3.connect(out)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "meta",
        "sources",
        "fiches",
        "sections",
        "glossary",
        "attributes",
        "links",
        "contacts",
        "errata",
        "groups",
        "search_docs_fts",
    } <= tables
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name='search_docs_fts'").fetchone()[0]
    assert "remove_diacritics 2" in sql
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta == {"schema_version": "1", "content_version": "test.1", "content_date": "2024-09-25"}


def _error(files: dict) -> ContentError:
    with pytest.raises(ContentError) as info:
        validate(files)
    return info.value


def test_unknown_source_is_named_with_file_and_field() -> None:
    files = tiny_content()
    files["alpha.toml"]["sections"][1]["source"] = "inconnue"
    e = _error(files)
    assert (e.file, e.field) == ("alpha.toml", "sections[1].source")
    assert "inconnue" in str(e)


def test_missing_required_field() -> None:
    files = tiny_content()
    del files["alpha.toml"]["title"]
    e = _error(files)
    assert (e.file, e.field) == ("alpha.toml", "title")
    assert "obligatoire" in e.message


def test_wrong_type_and_unknown_field() -> None:
    files = tiny_content()
    files["alpha.toml"]["order"] = "premier"
    assert _error(files).field == "order"
    files = tiny_content()
    files["alpha.toml"]["sections"][0]["falcc"] = []
    assert _error(files).field == "sections[0].falcc"


def test_falc_without_falc_source_is_refused() -> None:
    files = tiny_content()
    del files["alpha.toml"]["sections"][0]["falc_source"]
    assert _error(files).field == "sections[0].falc_source"


def test_attribute_must_quote_its_section_unless_marked_as_project_text() -> None:
    files = tiny_content()
    files["alpha.toml"]["attributes"][0]["value"] = "trois médecins"
    e = _error(files)
    assert e.field == "attributes[0].value" and "mot pour mot" in e.message
    files["alpha.toml"]["attributes"][0]["project"] = True
    validate(files)


def test_only_http_links_are_allowed() -> None:
    files = tiny_content()
    files["alpha.toml"]["links"][0]["url"] = "file:///etc/passwd"
    assert _error(files).field == "links[0].url"


def test_invalid_date_and_slug_mismatch() -> None:
    files = tiny_content()
    files["alpha.toml"]["date"] = "31/07/2024"
    assert _error(files).field == "date"
    files = tiny_content()
    files["alpha.toml"]["slug"] = "beta"
    assert _error(files).field == "slug"


def test_erratum_must_point_at_its_corrected_text() -> None:
    files = tiny_content()
    files["sources.toml"]["errata"][0]["correction"] = "absent"
    assert _error(files).field == "errata[0].correction"


def test_glossary_definition_is_sourced_or_marked_as_written_by_the_project() -> None:
    files = tiny_content()
    del files["glossaire.toml"]["terms"][0]["project"]
    assert _error(files).field == "terms[0]"


def test_command_line_reports_invalid_content_and_keeps_previous_db(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for f in CONTENT.glob("*.toml"):
        (content / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    bad = content / "msp.toml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('kind = "structure"', 'kind = "maison"'), encoding="utf-8")
    out = tmp_path / "data.db"
    out.write_bytes(b"previous database")
    assert build.main([str(content), str(out)]) == ExitCode.ERROR
    err = capsys.readouterr().err
    assert "msp.toml" in err and "kind" in err and "maison" in err
    assert out.read_bytes() == b"previous database"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".data-")] == []


def test_toml_syntax_error_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "sources.toml").write_text((CONTENT / "sources.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (content / "broken.toml").write_text('slug = "broken\n', encoding="utf-8")
    assert build.main([str(content), str(tmp_path / "x.db")]) == ExitCode.ERROR
    assert "broken.toml" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


# --- The search vocabulary (resources/content/vocabulary.toml) -----------------------------------


def _with_vocabulary(*entries: dict) -> dict:
    files = tiny_content()
    files["vocabulary.toml"] = {"entries": list(entries)}
    return files


def test_vocabulary_targets_are_checked_at_build() -> None:
    e = _error(_with_vocabulary({"words": ["argent"], "targets": ["beta"]}))
    assert (e.file, e.field) == ("vocabulary.toml", "entries[0].targets[0]") and "fiche inconnue « beta »" in e.message
    e = _error(_with_vocabulary({"words": ["argent"], "targets": ["alpha#cout"]}))
    assert e.field == "entries[0].targets[0]" and "section inconnue « cout »" in e.message
    e = _error(_with_vocabulary({"words": ["argent"], "targets": []}))
    assert e.field == "entries[0].targets"
    e = _error(_with_vocabulary({"words": ["« - »"], "targets": ["alpha"]}))
    assert e.field == "entries[0].words[0]" and "aucun mot cherchable" in e.message
    e = _error(_with_vocabulary({"words": ["argent"], "targets": ["alpha"], "note": "x"}))
    assert e.field == "entries[0].note" and e.message == "champ inconnu"


def test_vocabulary_is_indexed_for_its_targets_only_and_never_stored_as_text(tmp_path: Path) -> None:
    out = tmp_path / "v.db"
    write_database(validate(_with_vocabulary({"words": ["argent", "qui paie"], "targets": ["alpha#financement"]})), out)
    conn = sqlite3.connect(out)
    rows = dict(conn.execute("SELECT slug || '#' || section, vocabulary FROM search_docs WHERE vocabulary != ''"))
    assert rows == {"alpha#financement": "argent qui paie"}
    shown = " ".join(r[0] for r in conn.execute("SELECT text || ' ' || title FROM sections"))
    assert "argent" not in shown  # the sections keep their sourced text only
    assert ("argent", "argent") in set(conn.execute("SELECT word, display FROM spelling"))


def test_word_stems_list_each_word_of_the_index_under_its_french_stem(tmp_path: Path) -> None:
    files = tiny_content()
    files["alpha.toml"]["sections"][1]["text"] = "Infirmières et infirmier."
    out = tmp_path / "s.db"
    write_database(validate(files), out)
    conn = sqlite3.connect(out)
    assert {w for (w,) in conn.execute("SELECT word FROM word_stems WHERE stem = 'infirm'")} == {
        "infirmieres",
        "infirmier",
    }


def test_every_domain_type_reads_each_of_its_fields_from_a_column_of_its_table() -> None:
    """db.from_row derives each mapping from the schema and the NamedTuple fields: a field renamed
    in content.py or a column renamed in schema.py fails here, not on a user's screen."""
    from fiche_desktop import db, schema

    for kind, table in db.TABLE_OF.items():
        plan = db.row_plan(kind)
        columns = [column for column, _ in plan]
        fields = kind._fields  # type: ignore[attr-defined]
        # The fields read in order; the others (a fiche's sections...) keep their defaults.
        assert all(f in kind._field_defaults for f in fields[len(plan) :]), kind.__name__  # type: ignore[attr-defined]
        # Every column is read but `position`, which only orders the rows.
        assert set(schema.TABLES[table][0]) - set(columns) <= {"position"}, table
        assert len(set(columns)) == len(columns) and set(columns) <= set(schema.TABLES[table][0]), table
    decoded = {(kind.__name__, column) for kind in db.TABLE_OF for column, decode in db.row_plan(kind) if decode}
    assert decoded == {
        ("Section", "falc"),
        ("Attribute", "project"),
        ("Term", "project"),
        ("Term", "aliases"),
        ("GuideQuestion", "fiches"),
        ("GuideQuestion", "quotes"),
        ("Group", "members"),
    }


def test_rows_read_back_as_the_domain_types_they_were_built_from(tiny_db) -> None:
    """JSON lists come back as tuples, 0/1 flags as bools, renamed columns under their field."""
    fiche = tiny_db.fiche("alpha")
    assert fiche.group == "soins" and isinstance(fiche.order, int)
    assert any(s.falc for s in fiche.sections) and all(isinstance(s.falc, tuple) for s in fiche.sections)
    assert all(isinstance(a.project, bool) for a in fiche.attributes)
    assert all(isinstance(t.project, bool) and isinstance(t.aliases, tuple) for t in tiny_db.terms())
    assert all(isinstance(g.members, tuple) and g.members for g in tiny_db.groups())
