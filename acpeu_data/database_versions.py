"""Published versions kept in the programme's database itself (no Streamlit here).

The contract's tables (`requests`, `meetings`, ...) always hold the current version, so that
every dashboard server reading the database (acpeu_data.database) shows it. Beside them:

    published_versions      one row per version: number, published_at (UTC), published_by,
                            comment, kind (publish, rollback, initial), counts and changes
                            (JSON text), restored_from, rows_of (the version whose rows it
                            has: itself, or the version a rollback restored), tables (JSON text:
                            table -> its columns) and data_version (the change-detection row
                            `acpeu_data_version.version` as the publication left it)
    published_<table>       every version's rows of a contract table: published_version,
                            published_row (the row's place in the table), then its columns

A publication is ONE transaction: the new rows replace the contract tables (as
`python -m acpeu_data import --replace` does: created again with their keys, constraints and
triggers), are copied into the published_<table> tables, the version row is bumped (other
servers see the change at their next check) and the version is recorded. Any failure (the
database refuses a row, the connection is lost) rolls all of it back: the current version and
the tables stay as they were. A rollback is a new version whose tables are refilled from the
rows of the version it restores (kept once, not copied again). Publications take a lock
(PostgreSQL: a transaction-level advisory lock; SQLite: BEGIN IMMEDIATE), so two at the same
moment both end up in the history, one after the other.

Data already in the database when it is first published to is recorded first (its own
transaction) as version 1, kind "initial", so it can come back, as FolderVersionStore does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from acpeu_data import contract, database
from acpeu_data.dataset import Dataset, FileInfo
from acpeu_data.load import load_files
from acpeu_data.validate import N_, DataError, make
from acpeu_data.versions import (
    INITIAL,
    PUBLISHED,
    ROLLED_BACK,
    ChangesOf,
    PublishError,
    Seed,
    Version,
    row_counts,
)

VERSIONS_TABLE = "published_versions"
ARCHIVE_PREFIX = "published_"
VERSION_COLUMN = "published_version"
ROW_COLUMN = "published_row"
# PostgreSQL advisory lock key of publications (any number, the same for every server).
_LOCK_KEY = 7_041_213_310


def archive_table(table: str) -> str:
    """The table that keeps every version's rows of contract table `table`."""
    return f"{ARCHIVE_PREFIX}{table}"


def _versions_table(metadata):
    import sqlalchemy as sa

    return sa.Table(
        VERSIONS_TABLE,
        metadata,
        sa.Column("number", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Text()),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text()),
        sa.Column("restored_from", sa.BigInteger()),
        sa.Column("rows_of", sa.BigInteger(), nullable=False),
        sa.Column("tables", sa.Text(), nullable=False),
        sa.Column("data_version", sa.BigInteger()),
    )


@dataclass(frozen=True)
class _Stored:
    """A version as the database keeps it: what Version shows, and where its rows are."""

    version: Version
    rows_of: int
    tables: dict[str, list[str]]  # table -> columns, in order
    data_version: int | None


class DatabaseVersionStore:
    """Versions in the database at `url` (see the module's docstring); a VersionStore.

    `Version.location` is the URL: `acpeu_data.load` reads the current version there; an
    earlier one is read with `load(version)`. Reading methods raise DataError when the
    database cannot be read; publish and rollback raise PublishError.
    """

    def __init__(self, url: str) -> None:
        self.url = url

    # --- reading ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self) -> Iterator:
        try:
            with database.connect_for_reading(self.url) as connection:
                yield connection
                connection.rollback()
        except DataError:
            raise
        except Exception as error:
            if database.is_driver_error(error):
                raise database._database_problem(self.url, error) from None
            raise

    def _stored(self, connection, number: int | None = None, newest: bool = False) -> list[_Stored]:
        import sqlalchemy as sa

        if not sa.inspect(connection).has_table(VERSIONS_TABLE):
            return []
        table = _versions_table(sa.MetaData())
        query = sa.select(table).order_by(table.c.number.desc())
        if number is not None:
            query = query.where(table.c.number == number)
        if newest:
            query = query.limit(1)
        return [self._from_row(row) for row in connection.execute(query).mappings()]

    def _from_row(self, row: Mapping) -> _Stored:
        published_at = row["published_at"]
        if isinstance(published_at, str):
            published_at = dt.datetime.fromisoformat(published_at)
        if published_at.tzinfo is None:  # SQLite keeps no time zone: it was written in UTC
            published_at = published_at.replace(tzinfo=dt.UTC)
        tables = json.loads(row["tables"])
        version = Version(
            number=int(row["number"]),
            published_at=published_at.astimezone(dt.UTC),
            by=row["published_by"],
            comment=row["comment"] or "",
            kind=row["kind"],
            counts={str(k): int(v) for k, v in json.loads(row["counts"]).items()},
            changes=json.loads(row["changes"]) if row["changes"] else None,
            restored_from=row["restored_from"],
            files=tuple(tables),
            location=self.url,
        )
        data_version = row["data_version"]
        return _Stored(
            version,
            int(row["rows_of"]),
            tables,
            None if data_version is None else int(data_version),
        )

    def latest(self) -> Version | None:
        with self._reading() as connection:
            found = self._stored(connection, newest=True)
        return found[0].version if found else None

    def history(self) -> list[Version]:
        with self._reading() as connection:
            return [stored.version for stored in self._stored(connection)]

    def get(self, number: int) -> Version | None:
        with self._reading() as connection:
            found = self._stored(connection, number)
        return found[0].version if found else None

    def version_of(self, dataset: Dataset) -> Version | None:
        """The published version `dataset` (read from this database's tables) is; None when the
        tables were changed otherwise (by hand, by an import) since the last publication."""
        key = dataset.version[2] if len(dataset.version) == 3 else None
        if not (isinstance(key, tuple) and key[:1] == ("version",)):
            return None
        with self._reading() as connection:
            found = self._stored(connection, newest=True)
        if found and found[0].data_version == key[1]:
            return found[0].version
        return None

    def load(self, version: Version) -> Dataset:
        """A version's data, from the rows kept of it, through every check; DataError."""
        with self._reading() as connection:
            found = self._stored(connection, version.number)
            if not found:
                message = N_("there is no published version {number}")
                shown = database.display_url(self.url)
                raise DataError([make(shown, None, None, None, message, number=version.number)])
            database.reading_settings(connection)
            frames = self._frames(connection, found[0])
        files = [FileInfo(t, version.published_at, len(frame)) for t, frame in frames.items()]
        key = ("published", version.number)
        return database.checked_dataset(self.url, frames, files, [], key)

    def _frames(self, connection, stored: _Stored) -> dict[str, pd.DataFrame]:
        where = f"WHERE {VERSION_COLUMN} = {int(stored.rows_of)} ORDER BY {ROW_COLUMN}"
        return {
            table: database.read_text(connection, archive_table(table), columns, where)
            for table, columns in stored.tables.items()
        }

    # --- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self) -> Iterator:
        """One transaction, under the publications' lock; any failure: PublishError."""
        import sqlalchemy as sa

        try:
            with database.engine(self.url).connect() as connection:
                connection.execution_options(sqlite_immediate=True)
                with connection.begin():
                    if connection.dialect.name == "postgresql":
                        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
                    _versions_table(sa.MetaData()).create(connection, checkfirst=True)
                    yield connection
        except PublishError:
            raise
        except DataError as error:
            raise PublishError(_problems_text(error)) from None
        except Exception as error:
            if database.is_driver_error(error):  # rolled back: nothing written
                reason = database.driver_reason(self.url, error)
                raise PublishError(
                    f"the database refused it ({reason}); the current version is unchanged"
                ) from None
            raise
        finally:
            database.forget_check(self.url)  # this server shows the new data at once

    def publish(
        self,
        files: Mapping[str, bytes],
        *,
        by: str,
        comment: str,
        counts: Mapping[str, int],
        changes: ChangesOf | None = None,
        seed: Seed | None = None,
    ) -> Version:
        """Write `files`' tables as the next version (one transaction); `seed` is not used:
        the data already in the database is recorded as version 1 before the first one."""
        del seed
        if not files:
            raise PublishError("no files to publish")
        try:
            new = load_files(dict(files))
        except DataError as error:
            raise PublishError(_problems_text(error, "the files have errors: ")) from None
        tables = database.text_tables(new)
        for table, frame in tables.items():
            if {VERSION_COLUMN, ROW_COLUMN} & set(frame.columns):
                raise PublishError(
                    f"{table}: the column names {VERSION_COLUMN} and "
                    f"{ROW_COLUMN} are kept for the versions"
                )
        try:
            first = self.latest() is None
        except DataError as error:
            raise PublishError(_problems_text(error)) from None
        if first:
            self._record_initial()
        with self._writing() as connection:
            previous = self._newest(connection)
            summary = changes(previous) if changes and previous else None
            database.write_tables(connection, tables, replace_tables=True)
            number = (previous.number if previous else 0) + 1
            columns = self._archive(connection, number, tables)
            version = self._record(
                connection,
                number=number,
                by=by,
                comment=comment,
                kind=PUBLISHED,
                counts=dict(counts),
                changes=summary,
                rows_of=number,
                tables=columns,
            )
        return version

    def rollback(
        self, number: int, *, by: str, comment: str, changes: ChangesOf | None = None
    ) -> Version:
        """Make version `number`'s rows current again, as a new version (one transaction)."""
        with self._writing() as connection:
            found = self._stored(connection, number)
            if not found:
                raise PublishError(f"there is no version {number}")
            old = found[0]
            previous = self._newest(connection)
            database.reading_settings(connection)
            frames = self._frames(connection, old)
            summary = changes(previous) if changes and previous else None
            database.write_tables(connection, frames, replace_tables=True)
            return self._record(
                connection,
                number=(previous.number if previous else 0) + 1,
                by=by,
                comment=comment,
                kind=ROLLED_BACK,
                counts=dict(old.version.counts),
                changes=summary,
                restored_from=number,
                rows_of=old.rows_of,
                tables=old.tables,
            )

    def _newest(self, connection) -> Version | None:
        found = self._stored(connection, newest=True)
        return found[0].version if found else None

    def _record_initial(self) -> None:
        """Record the data in the database (when it passes the checks) as version 1."""
        try:
            current = database.load(self.url)
        except DataError:
            return  # nothing usable to come back to
        tables = database.text_tables(current)
        key = current.version[2]
        data_version = key[1] if isinstance(key, tuple) and key[:1] == ("version",) else None
        with self._writing() as connection:
            if self._newest(connection) is not None:  # another session recorded it first
                return
            self._record(
                connection,
                number=1,
                by=None,
                comment="",
                kind=INITIAL,
                counts=row_counts(current),
                changes=None,
                rows_of=1,
                tables=self._archive(connection, 1, tables),
                data_version=data_version,
            )

    def _archive(self, connection, number: int, tables: dict[str, pd.DataFrame]) -> dict:
        """Copy a version's rows into the published_<table> tables; return table -> columns."""
        import sqlalchemy as sa

        columns = {}
        for table, frame in tables.items():
            name = archive_table(table)
            kinds = {c.name: c.type for c in contract.TABLES[table].columns}
            wanted = list(frame.columns)
            if not sa.inspect(connection).has_table(name):
                keys = [
                    sa.Column(c, sa.BigInteger(), primary_key=True, autoincrement=False)
                    for c in (VERSION_COLUMN, ROW_COLUMN)
                ]
                typed = [sa.Column(c, database.sql_type(kinds.get(c, "text"))) for c in wanted]
                sa.Table(name, sa.MetaData(), *keys, *typed).create(connection)
            else:  # a column no earlier version had (an extra column, a newer contract)
                present = {c["name"] for c in sa.inspect(connection).get_columns(name)}
                for column in (c for c in wanted if c not in present):
                    kind = database.sql_type(kinds.get(column, "text"))
                    connection.exec_driver_sql(
                        f"ALTER TABLE {_quote(connection, name)} ADD COLUMN "
                        f"{_quote(connection, column)} {kind.compile(dialect=connection.dialect)}"
                    )
            rows = frame.copy()
            rows.insert(0, ROW_COLUMN, range(len(rows)))
            rows.insert(0, VERSION_COLUMN, number)
            database.fill(connection, name, table, rows)
            columns[table] = wanted
        return columns

    def _record(self, connection, *, number: int, rows_of: int, tables: dict, **what) -> Version:
        import sqlalchemy as sa

        if "data_version" in what:
            data_version = what.pop("data_version")
        else:  # as the publication left it (write_tables bumped it)
            data_version = connection.exec_driver_sql(
                f"SELECT version FROM {database.VERSION_TABLE} WHERE id = 1"
            ).scalar()
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        connection.execute(
            _versions_table(sa.MetaData()).insert(),
            {
                "number": number,
                "published_at": now,
                "published_by": what["by"],
                "comment": what["comment"],
                "kind": what["kind"],
                "counts": json.dumps(what["counts"]),
                "changes": None if what["changes"] is None else json.dumps(what["changes"]),
                "restored_from": what.get("restored_from"),
                "rows_of": rows_of,
                "tables": json.dumps(tables),
                "data_version": data_version,
            },
        )
        return Version(
            number=number,
            published_at=now,
            files=tuple(tables),
            location=self.url,
            **what,
        )


def _quote(connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _problems_text(error: DataError, prefix: str = "") -> str:
    problems = error.problems
    if not problems:
        return prefix.rstrip(": ") or "the data cannot be read"
    first = problems[0]
    where = ", ".join(str(p) for p in (first.file, first.record or first.row, first.column) if p)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{prefix}{where}: {first.message}{more}"
