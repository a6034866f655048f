"""Command line for data officers: check, import and export the programme's data.

    python -m acpeu_data validate PATH_OR_URL
    python -m acpeu_data import FOLDER_OR_WORKBOOK URL [--replace]
    python -m acpeu_data export URL_OR_PATH FOLDER

PATH is a data folder of CSV files or a programme.xlsx workbook; URL a SQLAlchemy database
URL (postgresql+psycopg://user:password@host:port/database or sqlite:///path/to/file.db).
Exit status: 0 done, 1 the data has errors (or the database refused it), 2 wrong usage.
Messages are in English; a password is never printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from acpeu_data import contract, database, export
from acpeu_data.dataset import Dataset
from acpeu_data.load import load
from acpeu_data.validate import DataError, Problem


def _where(problem: Problem) -> str:
    parts = [problem.file]
    if problem.record:
        parts.append(problem.record)
    elif problem.row is not None:
        parts.append(f"row {problem.row}")
    if problem.column:
        parts.append(f"column {problem.column}")
    if problem.value not in (None, ""):
        parts.append(f"value {problem.value!r}")
    return ", ".join(parts)


def _print_problems(problems: list[Problem], out) -> None:
    for problem in problems:
        print(f"{problem.severity}: {_where(problem)}: {problem.message}", file=out)


def _shown(source: str) -> str:
    return database.display_url(source) if database.is_url(source) else source


def _load(source: str) -> Dataset | None:
    """Return the dataset, or print every problem to stderr and return None."""
    try:
        ds = load(source)
    except DataError as error:
        _print_problems(error.problems, sys.stderr)
        count = len(error.problems)
        print(f"{_shown(source)}: {count} problem(s); the data cannot be used.", file=sys.stderr)
        return None
    _print_problems(ds.warnings, sys.stderr)
    return ds


def _summary(ds: Dataset) -> str:
    return ", ".join(f"{f.name} {f.rows:,}" for f in ds.files)


def validate(source: str) -> int:
    """Print every problem of the data at `source`; 1 when there is an error."""
    ds = _load(source)
    if ds is None:
        return 1
    warned = f" ({len(ds.warnings)} warning(s) above)" if ds.warnings else ""
    print(f"{_shown(source)}: valid{warned}: {_summary(ds)} rows.")
    return 0


def import_(source: str, url: str, replace_tables: bool) -> int:
    """Validate a folder or workbook, then write it to the database in one transaction."""
    if not database.is_url(url):
        print(f"{url}: expected a database URL as the target", file=sys.stderr)
        return 2
    ds = _load(source)
    if ds is None:
        print("Nothing was written to the database.", file=sys.stderr)
        return 1
    try:
        counts = database.write(url, ds, replace_tables=replace_tables)
    except DataError as error:
        _print_problems(error.problems, sys.stderr)
        print("Nothing was written to the database.", file=sys.stderr)
        return 1
    written = ", ".join(f"{name} {rows:,}" for name, rows in counts.items())
    print(f"{database.display_url(url)}: imported {written} rows in one transaction.")
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_(source: str, folder: str) -> int:
    """Write the contract's CSV files of the data at `source` into `folder`."""
    ds = _load(source)
    if ds is None:
        print("Nothing was exported.", file=sys.stderr)
        return 1
    target = Path(folder).expanduser()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in contract.TABLES:
            frame = getattr(ds, name, None)
            if frame is not None:
                data = export.table_to_csv(frame, name)
                _write_atomically(target / contract.TABLES[name].file, data)
    except OSError as error:
        print(f"{target}: cannot write ({error.strerror or error})", file=sys.stderr)
        return 1
    print(f"{target}: exported {_summary(ds)} rows.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m acpeu_data",
        description="Check, import and export the ACP-EU Migration Action's data.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="print every problem; exit 1 on an error")
    check.add_argument("source", help="data folder, programme.xlsx, or database URL")
    put = commands.add_parser(
        "import", help="validate a folder or workbook, then write it to a database"
    )
    put.add_argument("source", help="data folder or programme.xlsx")
    put.add_argument("url", help="database URL (postgresql+psycopg://... or sqlite:///...)")
    put.add_argument("--replace", action="store_true", help="replace tables already there")
    get = commands.add_parser("export", help="write the contract's CSV files of a database")
    get.add_argument("source", help="database URL (or a data folder / workbook)")
    get.add_argument("folder", help="folder to write the CSV files into (made when missing)")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args.source)
    if args.command == "import":
        return import_(args.source, args.url, args.replace)
    return export_(args.source, args.folder)


if __name__ == "__main__":
    sys.exit(main())
