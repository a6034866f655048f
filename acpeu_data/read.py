"""Bytes to tables of text: CSV (UTF-8) and Excel workbooks, with located problems.

Nothing here knows the contract's column rules (validate.py does); this only turns a file into
a DataFrame of strings whose index is the spreadsheet row (header = 1) and whose columns are
the header's names, or says plainly why the file cannot be read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

import pandas as pd

from acpeu_data import contract
from acpeu_data.validate import N_, Problem, located, make

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_HXL_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+[a-z][a-z0-9_]*)*$", re.IGNORECASE)
_FORMULA_ESCAPED = "^'[" + re.escape("".join(contract.FORMULA_PREFIXES)) + "]"


def _error(
    file: str, template: str, row: int | None = None, value: str | None = None, **params: object
) -> Problem:
    return make(file, row, None, value, template, "error", **params)


def _guess_encoding(data: bytes) -> str:
    try:
        data.decode("cp1252")
        return "Windows-1252"
    except UnicodeDecodeError:
        return "Latin-1 (ISO-8859-1)"


def _sample(data: bytes, start: int) -> str:
    # The word around the first byte UTF-8 cannot read, as the guessed encoding shows it.
    left = max(data.rfind(b" ", 0, start), data.rfind(b",", 0, start), data.rfind(b"\n", 0, start))
    chunk = data[left + 1 : start + 20]
    text = chunk.decode("latin-1")
    return re.split(r"[,\r\n]", text)[0][:40]


def decode_csv(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Return the text of a UTF-8 CSV file (BOM removed), or the problem that stops reading it."""
    if data.startswith(b"PK\x03\x04"):
        return None, [
            _error(
                file,
                "this is an Excel workbook (or zip file), not a CSV: in Excel use 'Save as > CSV UTF-8'",
            )
        ]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            _error(file, "the file is UTF-16, not UTF-8: in Excel use 'Save as > CSV UTF-8'")
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if b"\x00" in data:
            return None, [_error(file, "not a CSV file: this looks like a binary file")]
        guess = _guess_encoding(data)
        row = data.count(b"\n", 0, error.start) + 1
        message = N_(
            "the file is not UTF-8 (looks like {encoding}): in Excel use 'Save as > CSV UTF-8'"
        )
        return None, [_error(file, message, row, _sample(data, error.start), encoding=guess)]
    if len(_CONTROL.findall(text[:100_000])) > max(2, len(text[:100_000]) // 100):
        return None, [_error(file, "not a CSV file: this looks like a binary file")]
    return text, []


def _csv_module_rows(text: str, file: str) -> tuple[list[list[str]] | None, list[Problem]]:
    # Slow path, used only when pandas refuses the file: finds the rows that are wrong.
    rows: list[list[str]] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for record in reader:
            rows.append(record)
    except csv.Error as error:
        return None, [
            _error(file, "not a readable CSV file ({reason})", len(rows) + 1, reason=error)
        ]
    width = len(rows[0]) if rows else 0
    for number, record in enumerate(rows[1:], start=2):
        extra = record[width:]
        if any(cell.strip() for cell in extra):
            message = N_(
                "this row has {cells} cells but the header has {width}: "
                "a value with a comma in it must be in double quotes"
            )
            problems.append(_error(file, message, number, cells=len(record), width=width))
        del record[width:]
    return rows, problems


def parse_csv(data: bytes, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Return the raw rows of a CSV file (row 0 is the header), or its problems."""
    if len(data) == 0:
        return None, [
            _error(file, "the file is empty: expected a header row with the column names")
        ]
    text, problems = decode_csv(data, file)
    if text is None:
        return None, problems
    # Refused before parsing: a header of a million columns costs gigabytes to parse.
    end = text.find("\n")
    if text.count(",", 0, end if end >= 0 else len(text)) >= contract.MAX_COLUMNS:
        return None, [_too_many_columns(file, 1)]
    options = dict(header=None, dtype=str, keep_default_na=False, na_filter=False)
    try:
        raw = pd.read_csv(io.StringIO(text), skip_blank_lines=False, **options)
    except pd.errors.EmptyDataError:
        return None, [
            _error(file, "the file is empty: expected a header row with the column names")
        ]
    except (pd.errors.ParserError, ValueError, OverflowError):
        rows, problems = _csv_module_rows(text, file)
        if rows is None or problems:
            return None, problems
        raw = pd.DataFrame(rows, dtype="str")
    return raw, []


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _check_zip(data: bytes, file: str) -> list[Problem]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return [
            _error(file, "this is an old Excel .xls file: save it as an Excel workbook (.xlsx)")
        ]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return [_error(file, "not an Excel workbook (.xlsx): the file cannot be opened as one")]
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return [
            _error(file, "the workbook contains macros: save it as a plain Excel workbook (.xlsx)")
        ]
    if unpacked > contract.MAX_WORKBOOK_UNPACKED_BYTES:
        limit = contract.MAX_WORKBOOK_UNPACKED_BYTES // 2**20
        return [
            _error(
                file, "the workbook unpacks to more than {limit} MB: too large to read", limit=limit
            )
        ]
    return []


def parse_workbook(
    data: bytes, file: str, sheets: list[str], optional: Sequence[str] = ()
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Return the raw rows (row 0 = header) of each wanted sheet of an .xlsx workbook, or problems.

    A sheet of `optional` is read when the workbook has it; its absence is no problem.
    Values are read as stored (data_only): nothing in the workbook is evaluated or run.
    """
    problems = _check_zip(data, file)
    if problems:
        return {}, problems
    import openpyxl  # imported here: only workbook users pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        return {}, [
            _error(file, "the workbook cannot be read ({reason})", reason=type(error).__name__)
        ]
    try:
        by_name = {name.strip().lower(): name for name in book.sheetnames}
        frames: dict[str, pd.DataFrame] = {}
        for sheet in [*sheets, *optional]:
            name = by_name.get(sheet) or by_name.get(f"{sheet}.csv")
            label = f"{file} [{sheet}]"
            if name is None and sheet in optional:
                continue
            if name is None:
                have = ", ".join(book.sheetnames)
                problems.append(
                    _error(
                        file,
                        "no sheet named '{sheet}' (the workbook has: {sheets})",
                        sheet=sheet,
                        sheets=have,
                    )
                )
                continue
            limit = contract.TABLES[sheet].max_rows if sheet in contract.TABLES else None
            raw, sheet_problems = _sheet_rows(book[name], label, limit)
            problems += sheet_problems
            if raw is not None:
                frames[sheet] = raw
    finally:
        book.close()
    return frames, problems


def _sheet_rows(
    sheet, label: str, limit: int | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    limit = limit or contract.MAX_ROWS
    rows: list[list[str]] = []
    try:
        # The <dimension> a sheet declares may be stale (smaller than what it holds): read
        # every row and cell there is, never only the declared range.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            values = list(values)
            while values and values[-1] is None:  # formatted but empty cells at a row's end
                values.pop()
            if len(values) > contract.MAX_COLUMNS:
                return None, [_too_many_columns(label, len(rows) + 1)]
            rows.append([_cell_text(v) for v in values])
            if len(rows) > limit + 2:
                return None, [_too_many_rows(label, limit)]
    except Exception as error:  # a damaged sheet: say so instead of crashing the app
        return None, [
            _error(label, "the sheet cannot be read ({reason})", reason=type(error).__name__)
        ]
    if not rows:
        return None, [
            _error(label, "the sheet is empty: expected a header row with the column names")
        ]
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str"), []


def _too_many_columns(file: str, row: int) -> Problem:
    return _error(
        file,
        "more than {limit} columns: not a table of the data contract",
        row,
        limit=format(contract.MAX_COLUMNS, ","),
    )


def _too_many_rows(file: str, limit: int | None = None) -> Problem:
    limit = limit or contract.MAX_ROWS
    return _error(file, "more than {limit} rows: too many to read", limit=format(limit, ","))


def tidy(
    raw: pd.DataFrame, file: str, max_rows: int | None = None
) -> tuple[pd.DataFrame | None, list[Problem], list[Problem]]:
    """Return (table, errors, warnings): header applied, blank rows and an HXL row dropped,
    formula escapes undone, index = spreadsheet row. More than `max_rows` rows (default
    contract.MAX_ROWS): an error."""
    max_rows = max_rows or contract.MAX_ROWS
    raw = raw.fillna("").astype("str")
    if len(raw) > max_rows + 1:
        return None, [_too_many_rows(file, max_rows)], []
    header = [_unescape_name(str(name).strip().lstrip("\ufeff")) for name in raw.iloc[0]]
    frame = raw.iloc[1:].copy()
    frame.columns = range(len(header))
    frame.index = range(2, len(frame) + 2)
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        used = "';'" if ";" in header[0] else "tabs"
        message = N_(
            "the values are separated by {separator}, not commas: "
            "in Excel use 'Save as > CSV UTF-8 (comma delimited)'"
        )
        return None, [_error(file, message, 1, header[0][:80], separator=used)], []
    errors, warnings = _header_problems(header, frame, file)
    keep = [i for i, name in enumerate(header) if name]
    frame = frame[keep]
    frame.columns = [header[i] for i in keep]
    if errors:
        return None, errors, warnings
    # Blank lines (and Excel's formatted but empty rows) are not records.
    frame = frame[(frame != "").any(axis=1)] if len(frame.columns) else frame
    frame = _drop_hxl_row(frame)
    frame = frame.apply(_unescape) if len(frame.columns) else frame
    errors += _long_cells(frame, file)
    return frame, errors, warnings


def _header_problems(header: list[str], frame: pd.DataFrame, file: str):
    errors, warnings = [], []
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            errors.append(make(file, 1, name, name, "this column name appears twice in the header"))
        seen.add(name)
    for i, name in enumerate(header):
        if not name and (frame[i].str.strip() != "").any():
            message = N_("a column without a name in the header holds data: it is ignored")
            warnings.append(make(file, 1, None, None, message, "warning"))
    return errors, warnings


def _drop_hxl_row(frame: pd.DataFrame) -> pd.DataFrame:
    # An HXL hashtag row (#country+code, ...) right under the header is metadata, not data.
    if frame.empty:
        return frame
    filled = [cell.strip() for cell in frame.iloc[0].tolist() if cell.strip()]
    if filled and all(_HXL_TAG.match(cell) for cell in filled):
        return frame.iloc[1:]
    return frame


def _unescape_name(name: str) -> str:
    # A column name escaped by a download ("'=x") reads back as written ("=x").
    return name[1:] if re.match(_FORMULA_ESCAPED, name) else name


def _unescape(cells: pd.Series) -> pd.Series:
    if not cells.str.startswith(contract.FORMULA_ESCAPE).any():
        return cells
    escaped = cells.str.contains(_FORMULA_ESCAPED, regex=True)
    return cells.where(~escaped, cells.str.slice(1)) if escaped.any() else cells


def _long_cells(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems: list[Problem] = []
    limit = contract.MAX_CELL_CHARS
    for column in frame.columns:
        lengths = frame[column].str.len()
        if not len(lengths) or lengths.max() <= limit:
            continue
        long = frame[column][lengths > limit]
        problems += located(
            file,
            column,
            long.str.slice(0, 80) + "...",
            "longer than {limit} characters: too long for a cell",
            limit=format(limit, ","),
        )
    return problems
