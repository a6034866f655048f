"""Tables to CSV / XLSX bytes in the contract's own format, safe to open in a spreadsheet.

A download loads back through the contract unchanged: contract columns first, derived columns
dropped, lists joined with ';', ISO dates. Text that a spreadsheet would run as a formula (a cell
or a column name) gets a leading apostrophe in CSV (the loader removes it) and is written as
text in Excel.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

import pandas as pd

from acpeu_data import contract


def _cell(value: object) -> str:
    if isinstance(value, list | tuple):
        return contract.LIST_SEPARATOR.join(str(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # NaN, NaT, pd.NA
        return ""
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_text(cells: pd.Series, kind: str | None) -> pd.Series:
    if kind == "date":
        return pd.to_datetime(cells).dt.strftime("%Y-%m-%d").fillna("").astype(object)
    return cells.astype(object).map(_cell)


def contract_frame(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return `df` as the contract's text table: contract columns in order, then extra columns."""
    schema = contract.TABLES[table]
    derived = set(contract.DERIVED_COLUMNS[table])
    extra = [c for c in df.columns if c not in schema.column_names and c not in derived]
    columns = [c for c in schema.column_names if c in df.columns] + extra
    kinds = {c.name: c.type for c in schema.columns}
    out = pd.DataFrame({c: _column_text(df[c], kinds.get(c)) for c in columns}, index=df.index)
    if "located_by_centroid" in df and {"lat", "lon"} <= set(out.columns):
        # Coordinates the loader filled in from the country's centre were not in the file.
        placed = df["located_by_centroid"].astype(bool)
        out.loc[placed, ["lat", "lon"]] = ""
    return out.reset_index(drop=True)


def _text_columns(table: str, columns) -> list[str]:
    # Numbers, integers and dates are written by us and never start like a formula on purpose;
    # escaping them ("'-1.29") would stop spreadsheets reading them as numbers.
    schema = contract.TABLES[table]
    kinds = {c.name: c.type for c in schema.columns}
    return [c for c in columns if kinds.get(c) not in ("number", "integer", "date")]


def escape_formula(text: str) -> str:
    """Return `text` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return contract.FORMULA_ESCAPE + text if text.startswith(contract.FORMULA_PREFIXES) else text


def hxl_row(table: str, columns) -> list[str]:
    """Return the HXL hashtags for the columns (empty for columns the contract does not know)."""
    tags = {c.name: c.hxl for c in contract.TABLES[table].columns}
    return [tags.get(c, "") for c in columns]


def table_to_csv(df: pd.DataFrame, table: str, hxl: bool = False) -> bytes:
    """Return the table as UTF-8 CSV bytes (with BOM, so Excel reads the accents), formula-safe."""
    out = contract_frame(df, table)
    for column in _text_columns(table, out.columns):
        out[column] = out[column].map(escape_formula)
    if hxl:
        tags = pd.DataFrame([hxl_row(table, out.columns)], columns=out.columns)
        out = pd.concat([tags, out], ignore_index=True)
    # Extra columns keep the names a file gave them: the header is escaped like the cells.
    out.columns = [escape_formula(str(name)) for name in out.columns]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def tables_to_xlsx(
    tables: dict[str, pd.DataFrame],
    about: list[tuple[str, str]] | None = None,
    hxl: bool = False,
) -> bytes:
    """Return an .xlsx workbook with one sheet per table (and an 'about' sheet), text as text."""
    import xlsxwriter  # imported here: only Excel downloads pay for it

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(buffer, options) as book:
        bold = book.add_format({"bold": True})
        for table, df in tables.items():
            _write_sheet(book, table, df, bold, hxl)
        if about:
            sheet = book.add_worksheet("about")
            for row, (key, value) in enumerate(about):
                sheet.write_string(row, 0, str(key), bold)
                sheet.write_string(row, 1, str(value))
            sheet.set_column(0, 0, 28)
            sheet.set_column(1, 1, 80)
    return buffer.getvalue()


def _write_sheet(book, table: str, df: pd.DataFrame, bold, hxl: bool) -> None:
    out = contract_frame(df, table)
    sheet = book.add_worksheet(table)
    kinds = {c.name: c.type for c in contract.TABLES[table].columns}
    for col, name in enumerate(out.columns):
        sheet.write_string(0, col, name, bold)
    first = 1
    if hxl:
        for col, tag in enumerate(hxl_row(table, out.columns)):
            sheet.write_string(1, col, tag)
        first = 2
    for col, name in enumerate(out.columns):
        numeric = kinds.get(name) in ("number", "integer")
        for row, text in enumerate(out[name], start=first):
            if numeric and text != "":
                sheet.write_number(row, col, float(text))
            elif text != "":
                sheet.write_string(row, col, text)
    sheet.freeze_panes(first, 0)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def export_filename(table: str, filters_slug: str, as_of: dt.date | None, ext: str) -> str:
    """Return a download file name such as 'requests_caribbean_2017-03-21.csv' (ASCII only)."""
    day = (as_of or dt.date.today()).isoformat()
    parts = [re.sub(r"[^a-z0-9_]+", "-", table.lower()), _slug(filters_slug or ""), day]
    return "_".join(p for p in parts if p) + "." + _slug(ext)
