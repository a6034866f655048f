"""Reading a data folder, a workbook or uploaded files into a Dataset; DataError on any error.

Every rule of the contract is checked and all problems of a load are collected before
anything is raised, so a user fixes a file in one go. Nothing is ever written to disk.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import multiprocessing
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from stat import S_ISDIR, S_ISREG

import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type stubs

from acpeu_data import contract, headline_figures, meeting_figures, read, request_figures
from acpeu_data.dataset import Dataset, FileInfo
from acpeu_data.derive import build_tables
from acpeu_data.filters import Filters, filter_meetings, filter_participation, filter_requests
from acpeu_data.rules import check_rules
from acpeu_data.validate import (
    N_,
    DataError,
    Problem,
    check_cell_types,
    check_unique,
    make,
)

__all__ = [
    "BUNDLED_DIR",
    "DataError",
    "Dataset",
    "FileInfo",
    "Problem",
    "data_version",
    "load",
    "load_files",
    "prepare",
]

BUNDLED_DIR = (Path(__file__).parent.parent / "data").resolve()
ENV_VAR = "ACPEU_DATA_DIR"
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls")


@dataclass(frozen=True)
class _Source:
    """One file to read: a table's CSV, or the workbook holding every table."""

    label: str
    data: bytes
    modified: dt.datetime | None
    table: str | None  # None for a workbook


# --- where the data is --------------------------------------------------------------------------


def resolve(folder: str | os.PathLike | None = None) -> Path:
    """Return the data location: `folder`, else $ACPEU_DATA_DIR, else the bundled data/."""
    if folder is None:
        folder = os.environ.get(ENV_VAR) or BUNDLED_DIR
    return Path(folder).expanduser()


def _stat(path: Path) -> os.stat_result | OSError:
    # An OS error is an answer here (missing, unreadable, ...), never an exception.
    try:
        return path.stat()
    except OSError as error:
        return error


def _os_problem(label: str, error: OSError) -> Problem:
    """Return the located problem of an OS error met while reading `label`."""
    if isinstance(error, FileNotFoundError):
        return make(label, None, None, None, "missing: the data folder must hold this file")
    if isinstance(error, PermissionError):
        message = N_("cannot be read: the server is not allowed to open it (permissions)")
        return make(label, None, None, None, message)
    if isinstance(error, IsADirectoryError):
        return make(label, None, None, None, "a folder, not a file: expected a file here")
    if isinstance(error, NotADirectoryError):
        return make(label, None, None, None, "a file, not a folder: expected a folder here")
    message = N_("cannot be read ({reason})")
    return make(label, None, None, None, message, reason=error.strerror or type(error).__name__)


def _location(path: Path) -> tuple[str, list[Path]]:
    """Return ("folder" or "workbook", the files to read), or raise DataError (located).

    Labels name files by their name only: a message never discloses where the server keeps them.
    """
    stat = _stat(path)
    if isinstance(stat, OSError):
        if isinstance(stat, FileNotFoundError):
            message = N_("no such folder or file: check the configured data folder")
            raise DataError([make(path.name, None, None, None, message)])
        raise DataError([_os_problem(path.name, stat)])
    if S_ISREG(stat.st_mode):
        return "workbook", [path]
    if not S_ISDIR(stat.st_mode):
        raise DataError([_not_regular(path.name)])
    csvs = [path / t.file for t in contract.TABLES.values()]
    workbook = path / contract.WORKBOOK_NAME
    found = [_stat(p) for p in csvs]
    closed = [f for f in found if isinstance(f, PermissionError)]
    if len(closed) == len(found):  # the folder itself is closed
        raise DataError([_os_problem(path.name, closed[0])])
    if all(isinstance(f, FileNotFoundError) for f in found) and not isinstance(
        _stat(workbook), OSError
    ):
        return "workbook", [workbook]
    # A missing required file is a problem to report; a missing optional one is no file at all.
    return "folder", [
        p
        for p, f, t in zip(csvs, found, contract.TABLES.values(), strict=True)
        if not t.optional or not isinstance(f, FileNotFoundError)
    ]


def _not_regular(label: str) -> Problem:
    message = N_("not a regular file (a pipe, a socket or a device): expected a file")
    return make(label, None, None, None, message)


def data_version(folder: str | os.PathLike | None = None) -> tuple:
    """Return a hashable key that changes when the files `load(folder)` reads change.

    Cheap (no file is opened): names, sizes and modification times. Raises DataError when
    the folder cannot be used (missing, unreadable, not a folder or file).
    """
    path = resolve(folder)
    key: list[tuple[str, str | int, int | None] | tuple[str, int, int, int]] = []
    for file in _location(path)[1]:
        stat = _stat(file)
        if isinstance(stat, OSError):
            key.append((file.name, type(stat).__name__, None))
        else:
            key.append((file.name, stat.st_size, stat.st_mtime_ns, stat.st_mode))
    return (str(path.resolve()), *key)


# --- public entry points ----------------------------------------------------------------------


def load(folder: str | os.PathLike | None = None) -> Dataset:
    """Return the dataset in a folder of CSVs or a programme.xlsx (path or folder holding only it),
    or in a database given by its SQLAlchemy URL (`sqlite:///...`, `postgresql+psycopg://...`).

    None means $ACPEU_DATA_DIR, else the bundled data/. Raises DataError with every problem.
    """
    if isinstance(folder, str) and "://" in folder:  # a database URL (database.py)
        from acpeu_data import database

        return database.load(folder)
    path = resolve(folder)
    version = data_version(path)
    kind, files = _location(path)
    sources, problems = [], []
    for file in files:
        source, problem = _read_source(file, kind)
        if source is not None:
            sources.append(source)
        if problem is not None:
            problems.append(problem)
    is_bundled = path.resolve() == BUNDLED_DIR
    return _load_sources(sources, problems, str(path), is_bundled, version)


Uploads = Mapping[str, bytes] | Iterable[tuple[str, bytes]]


def load_files(
    files: Uploads,
    *,
    time_limit: float | None = None,
    memory_limit: int | None = None,
) -> Dataset:
    """Return the dataset in uploaded files (CSV files by name, or one .xlsx); no disk is touched.

    `files`: names -> bytes, or (name, bytes) pairs (two files of the same name are refused).
    With `time_limit` (seconds) the files are read in a separate process, stopped when it takes
    longer, and limited to `memory_limit` bytes of address space (default
    contract.MAX_UPLOAD_READER_BYTES): a crafted file can cost time and memory beyond its size
    (e.g. a workbook of huge sheets), and a thread that parses cannot be stopped.
    """
    pairs = list(files.items() if isinstance(files, Mapping) else files)
    if time_limit is not None:
        limit = contract.MAX_UPLOAD_READER_BYTES if memory_limit is None else memory_limit
        return _load_files_within(pairs, time_limit, limit)
    problems: list[Problem] = []
    total = sum(len(data) for _name, data in pairs)
    if total > contract.MAX_UPLOAD_BYTES:
        limit = contract.MAX_UPLOAD_BYTES // 2**20
        problems.append(
            make("upload", None, None, None, "more than {limit} MB in all: too large", limit=limit)
        )
        raise DataError(problems)
    sources, problems = _upload_sources(pairs)
    digest = hashlib.sha256()
    for name, data in sorted(pairs, key=lambda pair: pair[0]):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return _load_sources(sources, problems, "upload", False, ("upload", digest.hexdigest()))


def _read_uploads(files: list[tuple[str, bytes]], memory_limit: int, connection) -> None:
    # Runs in the child process: send back the dataset or the DataError, nothing else.
    import resource

    try:
        # Address space, not resident memory: every allocation beyond it fails at once,
        # so the child can never take the server's memory, whatever the file.
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        connection.send(load_files(files))
    except DataError as error:
        connection.send(error)
    except MemoryError:
        connection.send(DataError([_out_of_memory(memory_limit)]))
    finally:
        connection.close()


def _out_of_memory(memory_limit: int) -> Problem:
    return make(
        "upload",
        None,
        None,
        None,
        "needs more than {limit} MB of memory to read: split the data into smaller files, "
        "or ask for it to be placed in the data folder",
        limit=format(memory_limit // 2**20, ","),
    )


def _load_files_within(
    files: list[tuple[str, bytes]], seconds: float, memory_limit: int
) -> Dataset:
    # "spawn": a fresh interpreter, never a fork of the server's threads.
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    worker = context.Process(target=_read_uploads, args=(files, memory_limit, sending), daemon=True)
    worker.start()
    sending.close()
    try:
        if receiving.poll(seconds):
            result = receiving.recv()
        else:
            result = DataError(
                [
                    make(
                        "upload",
                        None,
                        None,
                        None,
                        "took longer than {seconds} seconds to read: split the data into "
                        "smaller files, or ask for it to be placed in the data folder",
                        seconds=format(seconds, "g"),
                    )
                ]
            )
    except EOFError:  # the reader died without an answer: a native library out of memory
        result = DataError([_out_of_memory(memory_limit)])
    finally:
        receiving.close()
        if worker.is_alive():
            worker.kill()
        worker.join()
    if isinstance(result, DataError):
        raise result
    return result


# --- collecting the sources ---------------------------------------------------------------------


def _too_large(label: str, size: int, limit_bytes: int) -> Problem | None:
    if size > limit_bytes:
        limit = limit_bytes // 2**20
        return make(
            label, None, None, None, "larger than {limit} MB: too large to read", limit=limit
        )
    return None


def _read_source(file: Path, kind: str) -> tuple[_Source | None, Problem | None]:
    table = file.name[: -len(".csv")] if kind == "folder" else None
    if table is None and file.suffix.lower() not in EXCEL_SUFFIXES:
        message = N_("expected a folder of CSV files or an Excel workbook ({workbook})")
        return None, make(file.name, None, None, None, message, workbook=contract.WORKBOOK_NAME)
    try:
        return _read_regular_file(file, table)
    except OSError as error:
        return None, _os_problem(file.name, error)


def _read_regular_file(file: Path, table: str | None) -> tuple[_Source | None, Problem | None]:
    # Opened without blocking (a FIFO would wait for a writer forever) and checked on the open
    # file itself, so a file replaced or removed meanwhile is never half-read.
    descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        before = os.fstat(descriptor)
        if S_ISDIR(before.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if not S_ISREG(before.st_mode):
            return None, _not_regular(file.name)
        problem = _too_large(file.name, before.st_size, contract.MAX_FOLDER_FILE_BYTES)
        if problem is not None:
            return None, problem
        data = handle.read(contract.MAX_FOLDER_FILE_BYTES + 1)
        after = os.fstat(descriptor)
    problem = _too_large(file.name, len(data), contract.MAX_FOLDER_FILE_BYTES)
    if problem is not None:
        return None, problem
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(
        data
    ) != after.st_size:
        message = N_("changed while it was read: reload the page once it is saved")
        return None, make(file.name, None, None, None, message)
    modified = dt.datetime.fromtimestamp(after.st_mtime)
    return _Source(file.name, data, modified, table), None


def _upload_sources(files: list[tuple[str, bytes]]) -> tuple[list[_Source], list[Problem]]:
    wanted = {t.file: name for name, t in contract.TABLES.items()}
    sources: list[_Source] = []
    problems: list[Problem] = []
    names: dict[str, list[str]] = {}
    repeated: set[str] = set()
    for name, _data in files:
        base = PurePath(name.replace("\\", "/")).name
        names.setdefault(base.lower(), []).append(base)
    for name, data in files:
        base = PurePath(name.replace("\\", "/")).name
        lower = base.lower()
        same = names[lower]
        problem = _too_large(base, len(data), contract.MAX_FILE_BYTES)
        if len(same) > 1:
            if lower not in repeated:  # one problem per name, naming every file that has it
                repeated.add(lower)
                message = N_(
                    "{count} files of this name ({names}): upload each file once, so that "
                    "it is clear which one to read"
                )
                problems.append(
                    make(base, None, None, None, message, count=len(same), names=", ".join(same))
                )
        elif problem is not None:
            problems.append(problem)
        elif lower.endswith(EXCEL_SUFFIXES):
            sources.append(_Source(base, data, None, None))
        elif lower in wanted:
            sources.append(_Source(base, data, None, wanted[lower]))
        else:
            expected = ", ".join(wanted) + " / " + contract.WORKBOOK_NAME
            problems.append(
                make(
                    base,
                    None,
                    None,
                    None,
                    "not a file of the data: expected {files}",
                    files=expected,
                )
            )
    books = [s for s in sources if s.table is None]
    if books and len(sources) > 1:
        message = N_("upload either one Excel workbook or the CSV files, not both")
        problems.append(make(books[0].label, None, None, None, message))
    elif not books:
        present = {s.table for s in sources} | {wanted.get(name) for name in repeated}
        problems += [
            make(t.file, None, None, None, "missing: upload this file too")
            for name, t in contract.TABLES.items()
            if name not in present and not t.optional
        ]
    return sources, problems


# --- reading, checking, building ----------------------------------------------------------------


def _raw_tables(sources: list[_Source], problems: list[Problem]):
    raws: dict[str, tuple[str, pd.DataFrame, dt.datetime | None]] = {}
    for source in sources:
        if source.table is not None:
            raw, found = read.parse_csv(source.data, source.label)
            problems += found
            if raw is not None:
                raws[source.table] = (source.label, raw, source.modified)
            continue
        if source.label.lower().endswith((".xlsm", ".xltm")):
            message = N_(
                "a macro-enabled workbook is not read: save it as an Excel workbook (.xlsx)"
            )
            problems.append(make(source.label, None, None, None, message))
            continue
        sheets, found = read.parse_workbook(
            source.data,
            source.label,
            list(contract.REQUIRED_TABLES),
            optional=[n for n in contract.TABLES if n not in contract.REQUIRED_TABLES],
        )
        problems += found
        for table, raw in sheets.items():
            raws[table] = (f"{source.label} [{table}]", raw, source.modified)
    return raws


def _check(frames: dict[str, pd.DataFrame], labels: dict[str, str]):
    errors: list[Problem] = []
    for name, frame in frames.items():
        table, file = contract.TABLES[name], labels[name]
        missing = [c for c in table.columns if c.name not in frame]
        have = ", ".join(frame.columns) or "no columns"
        for column in missing:
            if column.required:
                errors.append(_missing_column(file, column.name, list(frame.columns), have))
            # An empty stand-in lets every other rule run; its cells are not checked.
            frame[column.name] = pd.Series("", index=frame.index, dtype="str")
        present = [c for c in table.columns if c not in missing]
        errors += check_cell_types(table, frame, file, present)
        errors += check_unique(table, frame, file)
    rule_errors, warnings = check_rules(frames, labels)
    return errors + rule_errors, warnings


def _missing_column(file: str, name: str, header: list[str], have: str) -> Problem:
    def key(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    near = [h for h in header if key(h) == key(name)]
    if near:  # "Request ID" or "ISO3" for request_id, iso3
        message = N_(
            "missing required column '{name}': found '{found}'; "
            "column names are lower case, with _ between words"
        )
        return make(file, 1, name, near[0], message, name=name, found=near[0])
    message = N_("missing required column '{name}' (the header has: {header})")
    return make(file, 1, name, None, message, name=name, header=have)


def _load_sources(sources, problems, origin, is_bundled, version) -> Dataset:
    warnings: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    labels: dict[str, str] = {}
    files: list[FileInfo] = []
    raws = _raw_tables(sources, problems)
    for table in [t for t in contract.TABLES if t in raws]:
        label, raw, modified = raws[table]
        frame, errors, notes = read.tidy(raw, label, contract.TABLES[table].max_rows)
        problems += errors
        warnings += notes
        if frame is not None:
            frames[table], labels[table] = frame, label
            files.append(FileInfo(label, modified, len(frame)))
    return build_dataset(frames, labels, files, problems, warnings, origin, is_bundled, version)


def build_dataset(
    frames, labels, files, problems, warnings, origin, is_bundled, version
) -> Dataset:
    """Check tidy tables of text (index = row) with every rule, then build the Dataset.

    Raises DataError with `problems` and every error found. Shared by the file sources above
    and the database source (database.py), so both are held to exactly the same contract.
    """
    errors, notes = _check(frames, labels)
    problems += errors
    warnings += notes
    if problems:
        raise DataError(_in_order(problems))
    tables = {name: one_chunk(frame) for name, frame in build_tables(frames).items()}
    illustrative = {
        name: int((frame["source"] == contract.ILLUSTRATIVE).sum())
        for name, frame in tables.items()
        if "source" in frame
    }
    return Dataset(
        **tables,
        warnings=_in_order(warnings),
        origin=origin,
        is_bundled=is_bundled,
        files=files,
        illustrative=illustrative,
        version=version,
        has_events="request_events" in frames,
    )


def one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame with each Arrow column in one chunk (the same values and dtypes).

    Reading a large file gives text columns in many chunks (a million requests: 16), and a
    filtered subset's take of a column (when a page reads it: arrays.rows) costs about twice
    as much over a chunked column as over a single chunk, so the chunks are combined once here.
    """
    combined = {}
    for name, values in frame.items():
        arrow = isinstance(values.dtype, pd.ArrowDtype) or (
            isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"
        )
        if not arrow:
            continue
        stored = pa.array(values.array)  # the column's own Arrow data (no copy)
        if isinstance(stored, pa.ChunkedArray) and stored.num_chunks > 1:
            combined[name] = pd.Series(
                pd.array(stored.combine_chunks(), dtype=values.dtype), index=frame.index
            )
    return frame.assign(**combined) if combined else frame


# --- warming up a loaded dataset --------------------------------------------------------------


# Any dates do: the filters build their date arrays on first use of a date bound.
PREPARE_FROM = contract.PROGRAMME_START
PREPARE_TO = contract.PROGRAMME_END


def prepare(ds: Dataset) -> None:
    """Build, once at load time, the arrays that filters and figures read (acpeu_data.arrays).

    They are otherwise built by the first filter change after a load (about a second at a
    million requests), which would make the first manager to use a new data version wait.
    """
    regions = tuple(contract.region_order(ds.countries))[:1]
    every = Filters(
        regions=regions,
        topics=tuple(contract.TOPICS)[:1],
        countries=tuple(ds.countries["iso3"])[:1],
        requester_types=tuple(contract.REQUESTER_TYPES)[:1],
        statuses=tuple(contract.STATUSES)[:1],
        date_from=PREPARE_FROM,
        date_to=PREPARE_TO,
    )
    for f in (Filters(regions=regions), every):
        requests = filter_requests(ds, f)
        meetings = filter_meetings(ds, f)
        participation = filter_participation(ds, f)
        headline_figures.kpis(requests, meetings, participation)
        request_figures.requests_over_time(requests, include_total=True)
        request_figures.requests_by_region(requests, contract.region_order(ds.countries))
        request_figures.requests_by_topic(requests)
        request_figures.requests_by_status(requests)
        request_figures.requests_by_typology(requests)
        request_figures.requests_by_country(ds, requests)
        request_figures.completion_times(requests)
        meeting_figures.participation_by_meeting(meetings, participation)
        meeting_figures.participation_by_region(meetings, participation)
        meeting_figures.participation_by_stakeholder_type(participation)
        meeting_figures.women_share(participation)


def _in_order(problems: list[Problem]) -> list[Problem]:
    # Problems by file, then row (file-level ones first), keeping the checks' order otherwise.
    files = list(dict.fromkeys(p.file for p in problems))
    return sorted(problems, key=lambda p: (files.index(p.file), p.row or 0))
