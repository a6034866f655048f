"""The database source against a real PostgreSQL server (tests/pg_server.py) and SQLite:
import, read, every validation rule, export round trip, change detection, no password shown."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest
from test_validate import CELL_CASES

import acpeu_data as ad
from acpeu_data import __main__ as cli
from acpeu_data import contract, database, export

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def new_url(request, tmp_path):
    """Return a function giving the URL of a new, empty database of the backend."""
    counter = iter(range(1000))

    def make() -> str:
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path}/programme{next(counter)}.db"
        return request.getfixturevalue("postgres").create_database()

    return make


@pytest.fixture
def url(new_url) -> str:
    return new_url()


def imported(url: str, folder: Path) -> str:
    assert cli.main(["import", str(folder), url]) == 0
    return url


def sort_key(table: str, frame: pd.DataFrame) -> list[str]:
    schema = contract.TABLES[table]
    return [schema.key] if schema.key else [c for c in schema.column_names if c in frame]


def as_text(ds: ad.Dataset, table: str, by_key: bool = True) -> pd.DataFrame:
    """The table as the contract's text (what a file holds), in key order."""
    frame = export.contract_frame(getattr(ds, table), table)
    if by_key:
        frame = frame.sort_values(sort_key(table, frame), kind="stable").reset_index(drop=True)
    return frame


def write_text_tables(url: str, folder: Path) -> None:
    """Put a folder's CSV files into a database as they are: every column text, no rules.

    This is a database made by hand (not by import), so it can hold every kind of mistake.
    """
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for path in sorted(folder.glob("*.csv")):
            with path.open(newline="", encoding="utf-8-sig") as handle:
                header, *records = list(csv.reader(handle))
            table = sa.Table(path.stem, sa.MetaData(), *(sa.Column(c, sa.Text) for c in header))
            table.create(connection)
            if records:
                connection.execute(
                    table.insert(),
                    [
                        {c: (v if v != "" else None) for c, v in zip(header, r, strict=True)}
                        for r in records
                    ],
                )
    engine.dispose()


def execute(url: str, statement: str) -> None:
    """Commit one statement from a separate connection, as another writer would."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()


# --- import and read --------------------------------------------------------------------------


def test_import_then_read_gives_the_same_dataset(url, valid_dir):
    imported(url, valid_dir)
    from_db, from_files = ad.load(url), ad.load(valid_dir)
    for table in contract.TABLES:
        pd.testing.assert_frame_equal(as_text(from_db, table), as_text(from_files, table))
    assert [(w.column, w.value, w.message) for w in from_db.warnings] == [
        (w.column, w.value, w.message) for w in from_files.warnings
    ]
    assert [f.name for f in from_db.files] == list(contract.REQUIRED_TABLES)  # no history
    assert from_db.origin == database.display_url(url)
    assert from_db.version[0] == "database"


def test_the_bundled_data_imports_and_reads_back(url):
    imported(url, ad.load.__globals__["BUNDLED_DIR"])
    from_db, from_files = ad.load(url), ad.load()
    for table in contract.TABLES:
        pd.testing.assert_frame_equal(as_text(from_db, table), as_text(from_files, table))
    assert from_db.illustrative == from_files.illustrative


def test_import_creates_keys_types_and_constraints(url, valid_dir):
    imported(url, valid_dir)
    engine = sa.create_engine(url)
    inspector = sa.inspect(engine)
    assert inspector.get_pk_constraint("requests")["constrained_columns"] == ["request_id"]
    assert inspector.get_pk_constraint("countries")["constrained_columns"] == ["iso3"]
    columns = {c["name"]: c for c in inspector.get_columns("requests")}
    assert isinstance(columns["received_on"]["type"], sa.Date)
    assert not columns["status"]["nullable"] and columns["completed_on"]["nullable"]
    participation = {c["name"]: c for c in inspector.get_columns("participation")}
    assert isinstance(participation["participants"]["type"], sa.BigInteger | sa.Integer)
    foreign = inspector.get_foreign_keys("participation")
    assert foreign[0]["referred_table"] == "meetings"
    refused = [
        "UPDATE requests SET status = 'done'",
        "UPDATE participation SET participants = -1",
        "UPDATE participation SET women = participants + 1",
        "UPDATE meetings SET end_date = '2000-01-01'",
        "UPDATE requests SET topics = ' '",
        "INSERT INTO countries (iso3, name, region) VALUES ('KEN', 'Again', 'Caribbean')",
    ]
    for statement in refused:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            connection.exec_driver_sql(statement)
    engine.dispose()


def test_import_with_errors_writes_nothing(url, data_copy, capsys):
    data_copy.set_cell("requests.csv", 2, "status", "done")
    assert cli.main(["import", str(data_copy.path), url]) == 1
    err = capsys.readouterr().err
    assert "requests.csv, row 2, column status, value 'done'" in err
    assert "Nothing was written" in err
    engine = database.engine(url)
    with engine.connect() as connection:
        assert sa.inspect(connection).get_table_names() == []


def test_import_that_fails_midway_leaves_the_database_as_it_was(url, valid_dir, monkeypatch):
    imported(url, valid_dir)
    before = {t: as_text(ad.load(url), t) for t in contract.TABLES}

    def fail(*_args):
        raise sa.exc.OperationalError("CREATE TRIGGER", {}, RuntimeError("disk full"))

    monkeypatch.setattr(database, "_version_table", fail)
    bundled = ad.load.__globals__["BUNDLED_DIR"]
    assert cli.main(["import", str(bundled), url, "--replace"]) == 1
    monkeypatch.undo()
    after = ad.load(url)
    for table in contract.TABLES:  # the rows written before the failure were rolled back
        pd.testing.assert_frame_equal(as_text(after, table), before[table])


def test_import_does_not_replace_tables_unless_asked(url, valid_dir, capsys):
    imported(url, valid_dir)
    bundled = ad.load.__globals__["BUNDLED_DIR"]
    assert cli.main(["import", str(bundled), url]) == 1
    assert "--replace" in capsys.readouterr().err
    assert len(ad.load(url).requests) == len(ad.load(valid_dir).requests)
    assert cli.main(["import", str(bundled), url, "--replace"]) == 0
    assert len(ad.load(url).requests) == len(ad.load().requests)


def test_a_workbook_imports_too(url, data_copy, tmp_path):
    book = tmp_path / contract.WORKBOOK_NAME
    book.write_bytes(data_copy.workbook())
    imported(url, book)
    for table in contract.TABLES:
        pd.testing.assert_frame_equal(
            as_text(ad.load(url), table), as_text(ad.load(data_copy.path), table)
        )


# --- every rule through the database ------------------------------------------------------------


@pytest.mark.parametrize(("file", "row", "column", "value", "words"), CELL_CASES)
def test_every_cell_rule_is_located_by_table_record_and_column(
    url, data_copy, file, row, column, value, words
):
    data_copy.set_cell(file, row, column, value)
    header, records = data_copy.rows(file)
    record = dict(zip(header, records[row - 2], strict=True))
    write_text_tables(url, data_copy.path)
    with pytest.raises(ad.DataError) as caught:
        ad.load(url)
    table = file[: -len(".csv")]
    found = [p for p in caught.value.problems if (p.file, p.column) == (table, column)]
    assert found, caught.value.problems
    schema = contract.TABLES[table]
    if schema.key:
        expected = f"{schema.key} = {record[schema.key]}"
        assert any(p.record == expected for p in found), found
    else:
        assert any(p.record and f"meeting_id = {record['meeting_id']}" in p.record for p in found)
    problem = found[0]
    assert problem.row is None  # no row numbers in a database
    if words.startswith("row "):  # a duplicate key: the database has no row 2 to point to
        assert "more than one record" in problem.message
    else:
        assert words in problem.message
    assert (problem.value or "").strip() in value


def test_a_missing_table_and_a_missing_column_are_named(url, data_copy):
    data_copy.delete("meetings.csv")
    data_copy.drop_column("requests.csv", "status")
    data_copy.delete("participation.csv")  # it refers to meetings; keep the report short
    write_text_tables(url, data_copy.path)
    with pytest.raises(ad.DataError) as caught:
        ad.load(url)
    messages = {(p.file, p.column): p.message for p in caught.value.problems}
    assert "no table named 'meetings'" in messages[("meetings", None)]
    assert "missing required column 'status'" in messages[("requests", "status")]
    assert "no table named 'participation'" in messages[("participation", None)]


def test_too_many_rows_and_too_long_cells(url, data_copy, monkeypatch):
    data_copy.set_cell("requests.csv", 2, "title", "x" * 50)
    write_text_tables(url, data_copy.path)
    monkeypatch.setattr(contract, "MAX_CELL_CHARS", 20)
    with pytest.raises(ad.DataError) as caught:
        ad.load(url)
    long = {(p.file, p.record, p.column) for p in caught.value.problems if "too long" in p.message}
    assert ("requests", "request_id = R-001", "title") in long
    monkeypatch.setattr(contract, "MAX_ROWS", 1)
    with pytest.raises(ad.DataError) as caught:
        ad.load(url)
    too_many = {p.file for p in caught.value.problems if "too many" in p.message}
    assert too_many == set(contract.REQUIRED_TABLES)  # the fixture has no status history


def test_warnings_are_located_by_record(url, valid_dir):
    imported(url, valid_dir)
    execute(url, "UPDATE requests SET received_on = '2010-01-01' WHERE request_id = 'R-001'")
    warned = [w for w in ad.load(url).warnings if w.column == "received_on"]
    assert [(w.file, w.record, w.row) for w in warned] == [("requests", "request_id = R-001", None)]


# --- export ---------------------------------------------------------------------------------------


def test_export_writes_files_that_load_back_identically(url, tmp_path, capsys):
    bundled = ad.load.__globals__["BUNDLED_DIR"]
    imported(url, bundled)
    execute(
        url,
        "UPDATE requests SET title = '=1+1, \"quoted\"' WHERE request_id = "
        "(SELECT min(request_id) FROM requests)",
    )
    folder = tmp_path / "exported"
    assert cli.main(["export", url, str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        t.file for t in contract.TABLES.values()
    )
    from_db, from_files = ad.load(url), ad.load(folder)
    for table in contract.TABLES:
        pd.testing.assert_frame_equal(getattr(from_db, table), getattr(from_files, table))
    assert '=1+1, "quoted"' in set(from_files.requests["title"])
    # and the files import into a second database giving the same data again
    again = f"sqlite:///{tmp_path}/again.db"
    imported(again, folder)
    for table in contract.TABLES:
        pd.testing.assert_frame_equal(as_text(ad.load(again), table), as_text(from_db, table))


def test_export_of_broken_data_writes_nothing(url, data_copy, tmp_path):
    data_copy.set_cell("requests.csv", 2, "status", "done")
    write_text_tables(url, data_copy.path)
    folder = tmp_path / "out"
    assert cli.main(["export", url, str(folder)]) == 1
    assert not folder.exists()


# --- change detection -----------------------------------------------------------------------------


def test_a_committed_change_changes_the_version_and_the_data(url, valid_dir):
    imported(url, valid_dir)
    first = database.version(url)
    assert database.version(url) == first  # nothing changed
    execute(url, "UPDATE requests SET status = 'completed' WHERE request_id = 'R-002'")
    second = database.version(url)
    assert second != first
    assert ad.load(url).requests.set_index("request_id").at["R-002", "status"] == "completed"
    execute(url, "DELETE FROM participation WHERE meeting_id = 'M-2'")
    assert database.version(url) not in (first, second)


def test_a_database_made_by_hand_is_watched_too(url, valid_dir):
    write_text_tables(url, valid_dir)  # no version table, no triggers
    first = database.version(url)
    execute(url, "UPDATE requests SET title = 'Changed' WHERE request_id = 'R-001'")
    assert database.version(url) != first


def test_the_check_is_asked_at_most_once_per_delay(url, valid_dir):
    imported(url, valid_dir)
    first = database.checked_version(url, 3600)
    execute(url, "UPDATE requests SET title = 'Changed' WHERE request_id = 'R-001'")
    assert database.checked_version(url, 3600) == first  # within the delay: not asked again
    assert database.checked_version(url, 0) != first  # after it: the change is seen


def test_the_check_reads_no_data_table(url, valid_dir):
    imported(url, valid_dir)
    seen: list[str] = []
    engine = database.engine(url)
    listener = lambda *args: seen.append(args[2])  # noqa: E731 (conn, cursor, statement, ...)
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        database.version(url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert seen
    statements = " ".join(seen).lower()
    assert database.VERSION_TABLE in statements
    for table in contract.TABLES:
        assert f"from {table}" not in statements and f'from "{table}"' not in statements


def test_check_delay_setting():
    assert database.check_seconds(None) == database.DEFAULT_CHECK_SECONDS == 60
    assert database.check_seconds("2.5") == 2.5
    assert database.check_seconds("soon") == 60


# --- passwords and unreachable databases ----------------------------------------------------------


def test_no_password_in_what_is_shown(postgres, valid_dir, capsys):
    url = imported(postgres.create_database(), valid_dir)
    secret = postgres.url().split(":")[2].split("@")[0]
    shown = database.display_url(url)
    assert secret not in shown and "@127.0.0.1" in shown
    assert secret not in ad.load(url).origin
    assert cli.main(["validate", url]) == 0
    out = capsys.readouterr()
    assert secret not in out.out + out.err
    wrong = url.replace(secret, secret + "x")
    with pytest.raises(ad.DataError) as caught:
        database.load(wrong)
    problem = caught.value.problems[0]
    assert "password authentication failed" in problem.message
    assert secret not in problem.message + problem.file
    query_url = postgres.url(password=False) + f"?password={secret}"
    assert secret not in database.display_url(query_url)


def test_an_unreachable_server_is_one_clear_problem(capsys):
    with pytest.raises(ad.DataError) as caught:
        database.load("postgresql+psycopg://someone:pw@127.0.0.1:1/programme")
    (problem,) = caught.value.problems
    assert problem.file == "postgresql+psycopg://someone@127.0.0.1:1/programme"
    assert "cannot be read" in problem.message and "pw" not in problem.message


def test_a_missing_sqlite_file_is_not_created(tmp_path):
    path = tmp_path / "nothing.db"
    with pytest.raises(ad.DataError) as caught:
        database.load(f"sqlite:///{path}")
    assert "no such database file" in caught.value.problems[0].message
    assert not path.exists()


def test_a_url_that_is_not_a_database_url():
    with pytest.raises(ad.DataError) as caught:
        database.load("mysql://user:pw@host/db")
    assert "postgresql+psycopg://" in caught.value.problems[0].message
    assert "pw" not in caught.value.problems[0].file


# --- the dashboard on a database (AppTest) ----------------------------------------------------------


def data_page(monkeypatch, url: str) -> AppTest:
    monkeypatch.setenv(database.URL_ENV, url)
    monkeypatch.setenv(database.CHECK_ENV, "0")
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def page_text(app: AppTest) -> str:
    parts = [
        str(e.value) for e in [*app.header, *app.markdown, *app.text, *app.caption, *app.error]
    ]
    parts += [e.label for e in app.expander]
    for frame in app.dataframe:
        parts.append(frame.value.to_csv())
    return " ".join(parts)


def test_data_page_names_the_database_without_its_password(postgres, valid_dir, monkeypatch):
    url = imported(postgres.create_database(), valid_dir)
    app = data_page(monkeypatch, url)
    text = page_text(app)
    secret = postgres.url().split(":")[2].split("@")[0]
    assert database.display_url(url) in text
    assert secret not in text
    assert "database" in text


def test_broken_database_keeps_the_last_good_data_and_lists_problems(
    tmp_path, data_copy, monkeypatch
):
    url = f"sqlite:///{tmp_path}/live.db"
    write_text_tables(url, data_copy.path)
    good = data_page(monkeypatch, url)
    assert "The programme's database" in page_text(good)
    execute(url, "UPDATE requests SET status = 'done' WHERE request_id = 'R-001'")
    app = data_page(monkeypatch, url)
    text = page_text(app)
    assert "Problems in the database" in text
    assert "request_id = R-001" in text and "done" in text
    assert "the last good data" in text
    # the last good data is the database's (its tables), not the bundled files
    (files,) = [f.value for f in app.dataframe if "Last changed" in f.value.columns]
    written = [t for t in contract.TABLES if (data_copy.path / f"{t}.csv").exists()]
    assert list(files["File"]) == written


def test_secrets_configure_the_database(tmp_path, valid_dir, monkeypatch):
    url = imported(f"sqlite:///{tmp_path}/secret.db", valid_dir)
    monkeypatch.delenv(database.URL_ENV, raising=False)
    monkeypatch.delenv(database.CHECK_ENV, raising=False)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.secrets["connections"] = {"programme": {"url": url, "check_seconds": 5}}
    app.run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception, [e.value for e in app.exception]
    text = page_text(app)
    assert database.display_url(url) in text
    assert "within 5 seconds" in text


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database, just text" * 100)
    with pytest.raises(ad.DataError) as caught:
        database.load(f"sqlite:///{path}")
    (problem,) = caught.value.problems
    assert "cannot be read" in problem.message and "not a database" in problem.message


def test_a_reader_without_permission_gets_a_clear_problem(postgres, valid_dir):
    url = imported(postgres.create_database(), valid_dir)
    name = "reader_" + url.rsplit("_", 1)[1]
    execute(url, f"CREATE ROLE {name} LOGIN PASSWORD 'pw-{name}'")
    execute(url, f"GRANT SELECT ON countries, regional_organisations, requests TO {name}")
    execute(url, f"GRANT SELECT ON {database.VERSION_TABLE} TO {name}")
    parsed = sa.engine.make_url(url)
    reader = parsed._replace(username=name, password=f"pw-{name}")
    with pytest.raises(ad.DataError) as caught:
        database.load(reader.render_as_string(hide_password=False))
    (problem,) = caught.value.problems
    assert "permission denied" in problem.message and "meetings" in problem.message
    assert f"pw-{name}" not in problem.message + problem.file


def test_the_fast_text_of_a_table_is_the_export_format(valid_dir):
    for ds in (ad.load(valid_dir), ad.load()):
        for table in contract.TABLES:
            frame = getattr(ds, table)
            pd.testing.assert_frame_equal(
                database.contract_text(frame, table),
                export.contract_frame(frame, table),
                check_dtype=False,
            )
