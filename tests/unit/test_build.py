"""The content build: validation messages, determinism, atomicity, the committed data.db."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from fiche_desktop import build
from fiche_desktop.build import ContentError, validate, write_database
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
    assert build.main([str(content), str(out)]) == 1
    err = capsys.readouterr().err
    assert "msp.toml" in err and "kind" in err and "maison" in err
    assert out.read_bytes() == b"previous database"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".data-")] == []


def test_toml_syntax_error_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "sources.toml").write_text((CONTENT / "sources.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (content / "broken.toml").write_text('slug = "broken\n', encoding="utf-8")
    assert build.main([str(content), str(tmp_path / "x.db")]) == 1
    assert "broken.toml" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()
