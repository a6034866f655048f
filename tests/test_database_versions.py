"""Versions published to a database (acpeu_data.database_versions) against a real PostgreSQL
server (tests/pg_server.py) and SQLite: publish, history, rollback restoring exactly, a failing
publication writing nothing, the change summary, two stores on one database, change detection,
and the Data page offering publishing with a database source to a data manager (AppTest)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from apptest import open_app
from streamlit.testing.v1 import AppTest
from test_database import as_text, execute, imported

import acpeu_data as ad
from acpeu_data import contract, database, database_versions, versions
from acpeu_data.database_versions import DatabaseVersionStore
from acpeu_data.versions import PublishError
from ui import data as ui_data

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ui_data.BUNDLED_DIR
MANAGER = "manager@example.org"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    """A new, empty database of the backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/programme.db"
    return request.getfixturevalue("postgres").create_database()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def publish(store, folder: Path, comment: str = "new", by: str = MANAGER) -> versions.Version:
    """Publish a folder's files as the Data page does (counts, change summary)."""
    new = ad.load(folder)
    return store.publish(
        files_of(folder),
        by=by,
        comment=comment,
        counts=versions.row_counts(new),
        changes=lambda previous: versions.summarize_changes(store.load(previous), new),
    )


def tables_of(ds: ad.Dataset) -> dict[str, pd.DataFrame]:
    """Every table as contract text, rows in their order (what 'exactly' compares)."""
    return {t: as_text(ds, t, by_key=False) for t in contract.TABLES}


def assert_same(a: ad.Dataset, b: ad.Dataset) -> None:
    left, right = tables_of(a), tables_of(b)
    for table in contract.TABLES:
        pd.testing.assert_frame_equal(left[table], right[table], check_dtype=False)


def edited(data_copy) -> Path:
    """The valid data with one request's title changed, one request added, an extra column."""
    data_copy.set_cell("requests.csv", 2, "title", "A new title")
    data_copy.add_row(
        "requests.csv",
        request_id="R-900",
        received_on="2018-01-02",
        requester_type="government",
        requester="KEN",
        topics="visas",
        status="received",
        title="New",
        source="illustrative",
    )
    header, records = data_copy.rows("meetings.csv")
    data_copy.write_rows(
        "meetings.csv", [*header, "room"], [[*r, f"room {i}"] for i, r in enumerate(records)]
    )
    return data_copy.path


def archived_rows(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        present = set(sa.inspect(connection).get_table_names())
        counts = {
            t: connection.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
            for t in sorted(present)
            if t.startswith(database_versions.ARCHIVE_PREFIX)
            and t != database_versions.VERSIONS_TABLE
        }
    engine.dispose()
    return counts


# --- publish, history, get, rollback -----------------------------------------------------------


def test_an_empty_database_has_no_version(url, valid_dir):
    imported(url, valid_dir)
    store = DatabaseVersionStore(url)
    assert store.latest() is None and store.history() == [] and store.get(1) is None


def test_publish_records_the_data_in_use_first_then_the_new_version(url, valid_dir, data_copy):
    imported(url, valid_dir)
    store = DatabaseVersionStore(url)
    new = publish(store, edited(data_copy), comment="March")
    assert new.number == 2 and new.kind == versions.PUBLISHED
    assert (new.by, new.comment, new.location) == (MANAGER, "March", url)
    assert new.counts["requests"] == 6
    initial = store.get(1)
    assert initial.kind == versions.INITIAL and initial.by is None
    assert initial.counts["requests"] == 5
    assert store.latest() == new == store.get(2)
    assert [v.number for v in store.history()] == [2, 1]
    # The tables are the new version (what every server reads), the extra column included ...
    assert_same(ad.load(url), ad.load(data_copy.path))
    assert "room" in ad.load(url).meetings.columns
    # ... and each version is kept as it was.
    assert_same(store.load(initial), ad.load(valid_dir))
    assert_same(store.load(new), ad.load(data_copy.path))
    assert store.version_of(ad.load(url)) == new


def test_rollback_restores_a_version_exactly_as_a_new_version(url, valid_dir, data_copy):
    imported(url, valid_dir)
    store = DatabaseVersionStore(url)
    publish(store, edited(data_copy), comment="edited")
    publish(store, BUNDLED, comment="bundled")
    before_rollback = archived_rows(url)
    seen = []

    def changes(previous):
        seen.append(previous.number)
        return versions.summarize_changes(store.load(previous), store.load(store.get(2)))

    back = store.rollback(2, by="b@example.org", comment="undo", changes=changes)
    assert (back.number, back.kind, back.restored_from, back.by) == (
        4,
        "rollback",
        2,
        "b@example.org",
    )
    assert seen == [3]  # the summary is against the version it replaces
    assert back.counts == store.get(2).counts
    assert back.changes["requests"] == {"added": 6, "removed": 71, "changed": 0}
    assert_same(ad.load(url), ad.load(data_copy.path))  # rows, their order, the extra column
    assert archived_rows(url) == before_rollback  # the rows of version 2 are not copied again
    assert_same(store.load(back), ad.load(data_copy.path))
    first = store.rollback(1, by="b@example.org", comment="the start")
    assert first.number == 5
    assert_same(ad.load(url), ad.load(valid_dir))
    assert "room" not in ad.load(url).meetings.columns
    assert [v.kind for v in store.history()] == [
        "rollback",
        "rollback",
        "publish",
        "publish",
        "initial",
    ]
    with pytest.raises(PublishError, match="no version 9"):
        store.rollback(9, by="b@example.org", comment="")
    assert store.latest() == first


def test_the_change_summary_is_recorded(url, valid_dir, data_copy):
    imported(url, valid_dir)
    store = DatabaseVersionStore(url)
    version = publish(store, edited(data_copy))
    assert store.get(version.number).changes == version.changes
    assert version.changes["requests"] == {"added": 1, "removed": 0, "changed": 1}
    for table in ("countries", "regional_organisations", "participation"):
        assert version.changes[table] == {"added": 0, "removed": 0, "changed": 0}
    assert store.get(1).changes is None


def test_publishing_to_a_database_without_tables_starts_at_version_1(url, valid_dir):
    store = DatabaseVersionStore(url)
    if url.startswith("sqlite"):  # a missing file is not made (a mistyped path would be)
        with pytest.raises(PublishError, match="no such database file"):
            publish(store, valid_dir)
        sqlite3.connect(sa.engine.make_url(url).database).close()
    version = publish(store, valid_dir)
    assert version.number == 1 and version.changes is None
    assert [v.number for v in store.history()] == [1]
    assert_same(ad.load(url), ad.load(valid_dir))


def test_a_database_made_by_hand_is_recorded_and_comes_back(url, valid_dir, data_copy):
    from test_database import write_text_tables

    write_text_tables(url, valid_dir)  # every column text, no version table
    store = DatabaseVersionStore(url)
    publish(store, BUNDLED)
    store.rollback(1, by=MANAGER, comment="back")
    assert_same(ad.load(url), ad.load(valid_dir))


# --- a failure writes nothing ----------------------------------------------------------------


def snapshot(url: str, store: DatabaseVersionStore):
    return (
        store.latest(),
        [v.number for v in store.history()],
        tables_of(ad.load(url)),
        database.version(url),
        archived_rows(url),
    )


def assert_unchanged(url: str, store: DatabaseVersionStore, before) -> None:
    latest, numbers, tables, data_version, archived = snapshot(url, store)
    assert (latest, numbers, data_version, archived) == (before[0], before[1], before[3], before[4])
    for table in contract.TABLES:
        pd.testing.assert_frame_equal(tables[table], before[2][table])


def test_a_constraint_violation_at_the_end_writes_nothing(url, valid_dir, data_copy):
    imported(url, valid_dir)
    store = DatabaseVersionStore(url)
    publish(store, BUNDLED, comment="same words")
    # A rule of the database's own that only the version's record breaks, after every table
    # and every kept row of the new version were written in the transaction.
    execute(url, "CREATE UNIQUE INDEX one_comment ON published_versions (comment)")
    before = snapshot(url, store)
    with pytest.raises(PublishError, match="refused it .*current version is unchanged"):
        publish(store, edited(data_copy), comment="same words")
    assert_unchanged(url, store, before)


def fail_after_the_first_table(url, valid_dir, data_copy, monkeypatch, lose_connection=False):
    """Publish, then make the next publication fail once its first table is written."""
    imported(url, valid_dir)
    store = DatabaseVersionStore(url)
    publish(store, BUNDLED)
    before = snapshot(url, store)
    real_fill, written = database.fill, []

    def failing_fill(connection, target, table, frame):
        written.append(target)
        if len(written) == 2:
            if lose_connection:  # the server ends this session midway (raises itself)
                connection.exec_driver_sql("SELECT pg_terminate_backend(pg_backend_pid())")
            raise sa.exc.OperationalError("INSERT", {}, RuntimeError("disk full"))
        real_fill(connection, target, table, frame)

    monkeypatch.setattr(database, "fill", failing_fill)
    with pytest.raises(PublishError, match="current version is unchanged") as caught:
        publish(store, edited(data_copy))
    monkeypatch.undo()
    assert written[0] == "countries"
    assert_unchanged(url, store, before)
    assert publish(store, data_copy.path).number == 3  # and the next publication works
    return caught.value


def test_a_failure_after_the_first_table_writes_nothing(url, valid_dir, data_copy, monkeypatch):
    error = fail_after_the_first_table(url, valid_dir, data_copy, monkeypatch)
    assert "disk full" in str(error)


def test_a_connection_lost_midway_writes_nothing(postgres, valid_dir, data_copy, monkeypatch):
    url = postgres.create_database()
    error = fail_after_the_first_table(url, valid_dir, data_copy, monkeypatch, True)
    assert "terminating connection" in str(error) or "closed" in str(error)


def test_files_with_errors_are_not_published(url, valid_dir, data_copy):
    imported(url, valid_dir)
    store = DatabaseVersionStore(url)
    publish(store, BUNDLED)
    before = snapshot(url, store)
    data_copy.set_cell("requests.csv", 2, "status", "done")
    with pytest.raises(PublishError, match="files have errors: requests.csv, 2, status"):
        store.publish(files_of(data_copy.path), by=MANAGER, comment="", counts={})
    with pytest.raises(PublishError, match="no files"):
        store.publish({}, by=MANAGER, comment="", counts={})
    assert_unchanged(url, store, before)


# --- several stores, servers and publishers ----------------------------------------------------


def other_url(url: str) -> str:
    """The same database through another engine (another server's connection pool)."""
    return url + ("?timeout=20" if url.startswith("sqlite") else "?application_name=other")


def test_two_stores_on_one_database_see_the_same_latest(url, valid_dir, data_copy):
    imported(url, valid_dir)
    one, two = DatabaseVersionStore(url), DatabaseVersionStore(other_url(url))
    published = publish(one, edited(data_copy))
    seen = two.latest()
    assert (seen.number, seen.by, seen.published_at, seen.changes) == (
        published.number,
        published.by,
        published.published_at,
        published.changes,
    )
    two.rollback(1, by="b@example.org", comment="back")
    assert one.latest().number == 3 and one.latest().restored_from == 1
    assert [v.number for v in one.history()] == [v.number for v in two.history()] == [3, 2, 1]


def test_publishing_moves_the_change_detection_version(url, valid_dir, data_copy):
    imported(url, valid_dir)
    store = DatabaseVersionStore(url)
    first = database.checked_version(url, 3600)
    publish(store, edited(data_copy))
    second = database.version(url)
    assert second != first
    # This server does not wait for its next check: the publication is seen at once.
    assert database.checked_version(url, 3600) == second
    store.rollback(1, by=MANAGER, comment="back")
    assert database.version(url) not in (first, second)
    assert store.version_of(ad.load(url)) == store.latest()
    execute(url, "UPDATE requests SET title = 'By hand' WHERE request_id = 'R-001'")
    assert store.version_of(ad.load(url)) is None  # changed otherwise since


def test_concurrent_publications_both_end_up_in_the_history(url, valid_dir):
    imported(url, valid_dir)
    DatabaseVersionStore(url).publish(files_of(valid_dir), by=MANAGER, comment="", counts={})
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def publisher(i: int) -> None:
        try:
            start.wait(30)
            store = DatabaseVersionStore(url if i == 0 else other_url(url))
            store.publish(files_of(valid_dir), by=f"m{i}@example.org", comment=str(i), counts={})
        except BaseException as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=publisher, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    history = DatabaseVersionStore(url).history()
    assert [v.number for v in history] == [5, 4, 3, 2, 1]
    assert sorted(v.by for v in history[:3]) == [
        "m0@example.org",
        "m1@example.org",
        "m2@example.org",
    ]


def test_no_password_in_a_publication_error(postgres, valid_dir):
    url = imported(postgres.create_database(), valid_dir)
    secret = sa.engine.make_url(url).password
    wrong = url.replace(secret, secret + "x")
    with pytest.raises(PublishError) as caught:
        publish(DatabaseVersionStore(wrong), BUNDLED)
    assert "password authentication failed" in str(caught.value)
    assert secret not in str(caught.value)
    with pytest.raises(ad.DataError) as read:
        DatabaseVersionStore(wrong).history()
    assert secret not in read.value.problems[0].message + read.value.problems[0].file


# --- the Data page (AppTest) -------------------------------------------------------------------


def manager_data_page(monkeypatch, url: str, tmp_path: Path, state: dict | None = None) -> AppTest:
    monkeypatch.setenv(database.URL_ENV, url)
    monkeypatch.setenv(database.CHECK_ENV, "3600")
    monkeypatch.setenv("ACPEU_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    return open_app(
        "app_pages/data.py",
        state=state,
        access={"viewers": [], "data_managers": [MANAGER]},
        user={"is_logged_in": True, "email": MANAGER, "iat": 7},
    )


def test_the_data_page_offers_publishing_to_the_database(tmp_path, valid_dir, monkeypatch):
    url = imported(f"sqlite:///{tmp_path}/live.db", valid_dir)
    files = files_of(BUNDLED)
    upload = ad.load_files(files)
    state = {ui_data.UPLOAD_KEY: upload, ui_data.UPLOAD_FILES_KEY: files}
    app = manager_data_page(monkeypatch, url, tmp_path, state)
    assert "Published versions" in [h.value for h in app.header]
    assert any("everyone sees the tables of the database" in m.value for m in app.markdown)
    app.text_input(key="publish_comment").input("The bundled data")
    form_button = next(b for b in app.button if b.label == "Publish")
    form_button.click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Version 2 is published" in s.value.replace("\\", "") for s in app.success)
    assert len(ad.load(url).requests) == len(upload.requests)  # the tables are the new version
    texts = " ".join(m.value for m in app.markdown).replace("\\", "")
    assert "Published version 2" in texts  # this server shows it at once
    (history,) = [f.value for f in app.dataframe if "Version" in f.value.columns]
    assert list(history["Version"]) == [2, 1]
    app.selectbox(key="rollback_version").select(1)
    app.text_input(key="rollback_comment").input("back to the start")
    next(b for b in app.button if b.label == "Make this version current again").click().run()
    assert not app.exception, [e.value for e in app.exception]
    success = " ".join(s.value.replace("\\", "") for s in app.success)
    assert "Version 1 is current again (recorded as version 3)" in success
    assert len(ad.load(url).requests) == 5
    audit = (tmp_path / "audit.jsonl").read_text()
    assert '"event": "publish"' in audit and '"event": "rollback"' in audit
