"""Shared fixtures: a tiny valid data folder (tests/fixtures/valid) and copies of it to break."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

VALID_DIR = Path(__file__).parent / "fixtures" / "valid"


class DataFolder:
    """A writable copy of the valid fixture folder, with one-line ways to break it."""

    def __init__(self, path: Path):
        self.path = path

    def rows(self, file: str) -> tuple[list[str], list[list[str]]]:
        """Return (header, records) of a CSV file of the folder."""
        with (self.path / file).open(newline="", encoding="utf-8-sig") as handle:
            header, *records = list(csv.reader(handle))
        return header, records

    def write_rows(self, file: str, header: list[str], records: list[list[str]]) -> None:
        """Write a CSV file of the folder from a header and records."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([header, *records])
        (self.path / file).write_text(buffer.getvalue(), encoding="utf-8")

    def set_cell(self, file: str, row: int, column: str, value: str) -> None:
        """Set one cell; `row` counts as a spreadsheet does (header = 1)."""
        header, records = self.rows(file)
        records[row - 2][header.index(column)] = value
        self.write_rows(file, header, records)

    def add_row(self, file: str, **cells: str) -> int:
        """Append a record (missing cells empty); return its spreadsheet row."""
        header, records = self.rows(file)
        records.append([cells.get(name, "") for name in header])
        self.write_rows(file, header, records)
        return len(records) + 1

    def drop_column(self, file: str, column: str) -> None:
        """Remove a column from a CSV file."""
        header, records = self.rows(file)
        i = header.index(column)
        self.write_rows(file, header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in records])

    def write_bytes(self, file: str, data: bytes) -> None:
        """Replace a file's content."""
        (self.path / file).write_bytes(data)

    def read_bytes(self, file: str) -> bytes:
        """Return a file's content."""
        return (self.path / file).read_bytes()

    def delete(self, file: str) -> None:
        """Remove a file from the folder."""
        (self.path / file).unlink()

    def workbook(self) -> bytes:
        """Return the folder as programme.xlsx: one sheet per CSV file, every cell as text."""
        import openpyxl

        book = openpyxl.Workbook()
        book.remove(book.active)
        for path in sorted(self.path.glob("*.csv")):
            sheet = book.create_sheet(path.stem)
            header, records = self.rows(path.name)
            for r, record in enumerate([header, *records], start=1):
                for c, value in enumerate(record, start=1):
                    cell = sheet.cell(r, c, value)
                    cell.data_type = "s"  # text stays text, even "=1+1"
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def as_upload(self) -> dict[str, bytes]:
        """Return the folder's files as an upload (name -> bytes)."""
        return {p.name: p.read_bytes() for p in sorted(self.path.iterdir()) if p.is_file()}


@pytest.fixture
def valid_dir() -> Path:
    """Return the read-only valid fixture folder."""
    return VALID_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> DataFolder:
    """Return a fresh copy of the valid fixture folder, free to break."""
    target = tmp_path / "data"
    shutil.copytree(VALID_DIR, target)
    return DataFolder(target)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (tests/pg_server.py); missing: a failure in CI."""
    import os

    from pg_server import PostgresServer, find_bin

    bin_dir = find_bin()
    if bin_dir is None:
        reason = (
            "no PostgreSQL server in /usr/lib/postgresql/*/bin: install the Debian package "
            "'postgresql' (`make test` does this as root on Debian: scripts/find_postgres.sh)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI requires the database tests: {reason}", pytrace=False)
        pytest.skip(reason)
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()
