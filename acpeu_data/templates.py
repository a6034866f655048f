"""Empty files in the contract's format for managers to fill in: CSVs in a zip, or one workbook.

Both are built from contract.py, so a template never disagrees with what the loader checks.
The workbook has one sheet per table (the loader reads it as programme.xlsx), drop-down lists
on the code columns, and a 'columns' sheet that says what each column holds.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from acpeu_data import contract

COLUMNS_SHEET = "columns"
CODES_SHEET = "codes"
# Drop-downs cover this many data rows; a longer table still loads, only without the list.
VALIDATED_ROWS = 5_000


def _identity(text: str) -> str:
    return text


def csv_header(table: str) -> bytes:
    """Return the header line of a table's CSV file (UTF-8 with BOM, so Excel keeps accents)."""
    return (",".join(contract.TABLES[table].column_names) + "\r\n").encode("utf-8-sig")


def csv_templates_zip() -> bytes:
    """Return a zip holding one empty, correctly headed CSV file per table of the contract."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in contract.TABLES.items():
            archive.writestr(table.file, csv_header(name))
    return buffer.getvalue()


def column_rows(translate: Callable[[str], str] = _identity) -> list[list[str]]:
    """Return one row per contract column: table, column, type, required, meaning, codes, HXL."""
    _ = translate
    rows = []
    for name, table in contract.TABLES.items():
        for column in table.columns:
            codes = "; ".join(f"{code} = {_(label)}" for code, label in column.allowed.items())
            rows.append(
                [
                    name,
                    column.name,
                    _(contract.TYPE_LABELS[column.type]),
                    _("yes") if column.required else _("no"),
                    column.description.replace("`", ""),
                    codes,
                    column.hxl,
                ]
            )
    return rows


def xlsx_template(translate: Callable[[str], str] = _identity) -> bytes:
    """Return an empty .xlsx with a sheet per table, drop-downs for codes and a 'columns' sheet."""
    import xlsxwriter  # imported here: only template downloads pay for it

    _ = translate
    buffer = io.BytesIO()
    # Nothing we write may turn into a formula, link or number behind the user's back.
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(buffer, options) as book:
        bold = book.add_format({"bold": True, "bg_color": "#F0F3F7"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        ranges = _code_ranges()
        for name, table in contract.TABLES.items():
            _write_table_sheet(book, name, table, ranges, bold, _)
        _write_columns_sheet(book, bold, wrap, _)
        # Last: Excel cannot hide the first (active) sheet.
        _write_codes(book, bold)
    return buffer.getvalue()


def _code_ranges() -> dict[str, str]:
    """Return code list name -> the range of the hidden codes sheet that holds its codes."""
    ranges = {}
    for col, (key, codes) in enumerate(contract.CODE_LISTS.items()):
        letter = _column_letter(col)
        ranges[key] = f"={CODES_SHEET}!${letter}$2:${letter}${len(codes) + 1}"
    return ranges


def _write_codes(book, bold) -> None:
    """Write every code list, one per column, on a hidden sheet (the drop-downs' source)."""
    sheet = book.add_worksheet(CODES_SHEET)
    for col, (key, codes) in enumerate(contract.CODE_LISTS.items()):
        sheet.write_string(0, col, key, bold)
        for row, code in enumerate(codes, start=1):
            sheet.write_string(row, col, code)
    sheet.hide()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _write_table_sheet(book, name: str, table, ranges: dict[str, str], bold, _) -> None:
    sheet = book.add_worksheet(name)
    text = book.add_format({"num_format": "@"})
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column.name, bold)
        # Text cells keep what is typed: Excel would otherwise turn an id like '1-2' into a date.
        typed = column.type in ("date", "number", "integer")
        sheet.set_column(col, col, max(14, len(column.name) + 4), None if typed else text)
        if column.codes:
            sheet.data_validation(1, col, VALIDATED_ROWS, col, _code_validation(column, ranges, _))
    sheet.freeze_panes(1, 0)


def _code_validation(column, ranges: dict[str, str], _) -> dict:
    validation = {
        "validate": "list",
        "source": ranges[column.codes],
        "input_title": column.name[:32],
        "input_message": _code_hint(column, _)[:255],
    }
    if column.is_list:
        # A list column takes several codes joined by ';': the drop-down offers one, typing is allowed.
        validation["error_type"] = "information"
        validation["show_error"] = False
    else:
        validation["error_title"] = _("Not a code of this column")[:32]
        validation["error_message"] = _("Choose one of the codes in the list.")[:255]
    return validation


def _code_hint(column, _) -> str:
    if column.is_list:
        return _("One or more codes separated by ';', e.g. {example}").format(
            example=";".join(list(column.allowed)[:2])
        )
    return _("Choose one code from the list.")


def _write_columns_sheet(book, bold, wrap, _) -> None:
    sheet = book.add_worksheet(COLUMNS_SHEET)
    intro = _(
        "Fill in one sheet per table (the first row holds the column names: keep them). "
        "Dates are YYYY-MM-DD; lists are separated by ';'. Save as programme.xlsx."
    )
    sheet.write_string(0, 0, intro)
    headings = [
        _("Table"),
        _("Column"),
        _("Type"),
        _("Required"),
        _("What it holds"),
        _("Allowed codes"),
        _("HXL hashtag"),
    ]
    for col, heading in enumerate(headings):
        sheet.write_string(2, col, heading, bold)
    for row, values in enumerate(column_rows(_), start=3):
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, wrap)
    for col, width in enumerate([22, 18, 14, 10, 60, 60, 26]):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(3, 0)
