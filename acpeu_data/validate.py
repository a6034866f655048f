"""Located Problems, DataError, and the contract's checks of single columns (rules.py: across them).

Every check takes tables of strings whose index is the spreadsheet row (header = 1) and says
which file, row, column and value is wrong and what is expected. Checks never raise on bad
data; load.py raises DataError once all of them have run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from acpeu_data import contract, geo
from acpeu_data.contract import Column, Table
from acpeu_data.i18n import N_

MAX_LISTED = 200  # per check: a file that is wrong everywhere still gets a readable report
DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # ASCII digits only, unlike \d
INTEGER_RE = r"^[+-]?[0-9]{1,15}$"  # 15 digits: beyond that a count is a typo, and int64 is safe


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or odd) in the data, located as a spreadsheet user would find it."""

    file: str
    row: int | None  # header = 1; None when not about one row
    column: str | None
    value: str | None
    message: str  # in English, ready to show
    severity: str = "error"  # "error" blocks the load; "warning" is shown only
    template: str = ""  # the message before its {params} were filled in: the gettext msgid
    params: tuple[tuple[str, str], ...] = ()
    # In a database there are no row numbers: the record, by its key ("request_id = R-017").
    record: str | None = None

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        """Return the message in the language of `translate` (a gettext function), else English."""
        if translate is None or not self.template:
            return self.message
        try:
            return translate(self.template).format(**dict(self.params))
        except (KeyError, IndexError, ValueError):  # a translation with broken placeholders
            return self.message


def make(
    file: str,
    row: int | None,
    column: str | None,
    value: str | None,
    template: str,
    /,  # positional only, so a template may use {file}, {row}, {column} or {value} freely
    severity: str = "error",
    **params: object,
) -> Problem:
    """Return a Problem whose message is `template` filled with `params` (kept for translation)."""
    texts = {key: str(v) for key, v in params.items()}
    return Problem(
        file, row, column, value, template.format(**texts), severity, template, tuple(texts.items())
    )


class DataError(Exception):
    """The data could not be used; `.problems` lists every error found in the load."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        summary = f"{first.file}: {first.message}" if first else "no details"
        super().__init__(f"{len(self.problems)} problem(s) in the data; first: {summary}")

    def __reduce__(self):
        # Rebuilt from its problems when it crosses a process boundary (load_files(time_limit)).
        return (DataError, (self.problems,))


# A message template, or a function of the cell's value giving (template, params).
Message = str | Callable[[str], tuple[str, dict]]


def located(
    file: str,
    column: str | None,
    cells: pd.Series,
    message: Message,
    /,
    severity: str = "error",
    **params: object,
) -> list[Problem]:
    """Return one Problem per cell of `cells` (index = spreadsheet row), listing at most MAX_LISTED."""
    if cells.empty:
        return []
    problems = []
    for row, value in cells.iloc[:MAX_LISTED].items():
        template, extra = message(value) if callable(message) else (message, {})
        problems.append(
            make(file, int(row), column, str(value), template, severity, **params, **extra)
        )
    if len(cells) > MAX_LISTED:
        summary = N_("{count} more rows like this: {problem}")
        last = problems[-1].message
        problems.append(
            make(
                file,
                None,
                column,
                None,
                summary,
                severity,
                count=len(cells) - MAX_LISTED,
                problem=last,
            )
        )
    return problems


def isin(cells: pd.Series, values) -> pd.Series:
    """Return whether each cell is in `values` (a set or dict), as a boolean Series."""
    # A plain loop over Python strings: pandas' isin on arrow strings rebuilds the value set
    # on every call, and iterating a Series boxes each cell.
    found = np.fromiter((v in values for v in cells.tolist()), dtype=bool, count=len(cells))
    return pd.Series(found, index=cells.index)


def split_list(cells: pd.Series) -> pd.Series:
    """Return the items of ';'-separated cells, one per entry, index kept, blanks dropped."""
    several = cells.str.contains(contract.LIST_SEPARATOR, regex=False)
    single = cells[~several].str.strip()
    single = single[single != ""]
    if not several.any():
        return single
    rows: list = []
    items: list[str] = []
    multi = cells[several]
    for row, cell in zip(multi.index.tolist(), multi.tolist(), strict=True):
        for item in cell.split(contract.LIST_SEPARATOR):
            item = item.strip()
            if item:
                rows.append(row)
                items.append(item)
    split = pd.Series(items, index=pd.Index(rows, dtype=cells.index.dtype), dtype="str")
    return pd.concat([single, split]).sort_index(kind="stable")


def codes_text(allowed: Iterable[str]) -> str:
    return ", ".join(allowed)


def _iso3_message(value: str) -> tuple[str, dict]:
    if geo.is_iso3(value.upper()):
        return N_("country codes are written in capital letters: expected {code}"), {
            "code": value.upper()
        }
    return (
        N_(
            "not an ISO 3166-1 alpha-3 country code: expected three capital letters, e.g. KEN for Kenya"
        ),
        {},
    )


def _bad_dates(cells: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
    return cells[parsed.isna() | ~cells.str.match(DATE_RE)]


def _dates_out_of_window(cells: pd.Series, file: str, name: str) -> list[Problem]:
    # `cells`: real dates as YYYY-MM-DD, which compare as text in the order of the days.
    earliest, latest = contract.EARLIEST_DATE.isoformat(), contract.latest_date().isoformat()
    outside = cells[(cells < earliest) | (cells > latest)]
    return located(
        file,
        name,
        outside,
        "outside the dates the dashboard reads: expected a date from {earliest} to {latest} "
        "(one year after today)",
        earliest=earliest,
        latest=latest,
    )


def _date_message(value: str) -> tuple[str, dict]:
    if re.match(DATE_RE, value):
        return N_("no such day: expected a real date as YYYY-MM-DD, e.g. 2017-03-21"), {}
    return N_("not a date: expected YYYY-MM-DD, e.g. 2017-03-21"), {}


def _bad_numbers(cells: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(cells, errors="coerce")
    return cells[~np.isfinite(numbers.astype("float64"))]


def _number_message(value: str) -> tuple[str, dict]:
    if re.fullmatch(r"[+-]?[0-9]+,[0-9]+", value.strip()):
        return N_("not a number: use a point as the decimal separator, e.g. 12.5"), {}
    return N_("not a number: expected a number with a point as decimal separator, e.g. -1.29"), {}


def check_cell_types(
    table: Table, frame: pd.DataFrame, file: str, columns: Iterable[Column] | None = None
) -> list[Problem]:
    """Return the problems of the contract columns' cells (all, or `columns`): required, types."""
    problems: list[Problem] = []
    for column in table.columns if columns is None else columns:
        if column.name in frame:
            problems += _check_column(column, frame[column.name], file)
    return problems


def _check_column(column: Column, cells: pd.Series, file: str) -> list[Problem]:
    name = column.name
    if column.type == "text" and not column.required:
        return []  # free text: anything goes (length is checked when reading)
    stripped = cells.str.strip()
    blank = stripped == ""
    problems = []
    items = split_list(stripped) if column.is_list else None
    if column.required:
        if items is not None:  # "; ;" is as empty as ""
            empty = cells[~cells.index.isin(items.index)]
        else:
            empty = cells[blank]
        problems += located(file, name, empty, "empty: {name} must be filled in", name=name)
    if column.type == "text":
        return problems
    filled = items if items is not None else stripped[~blank] if blank.any() else stripped
    return problems + _check_type(column, filled, file)


def _check_type(column: Column, filled: pd.Series, file: str) -> list[Problem]:
    # `filled`: the non-blank cells, or for a list column its items (index = row).
    name = column.name
    if column.type == "iso3":
        return located(file, name, filled[~isin(filled, geo.iso3_codes())], _iso3_message)
    if column.type == "code":
        allowed = column.allowed
        message = N_("unknown code: expected one of {codes}")
        return located(
            file, name, filled[~isin(filled, allowed)], message, codes=codes_text(allowed)
        )
    if column.type == "list_iso3":
        items = filled
        return located(file, name, items[~isin(items, geo.iso3_codes())], _iso3_message)
    if column.type == "list_code":
        items = filled
        allowed = column.allowed
        message = N_("unknown code in the list: expected some of {codes}, separated by ;")
        return located(file, name, items[~isin(items, allowed)], message, codes=codes_text(allowed))
    if column.type == "date":
        bad = _bad_dates(filled)
        return located(file, name, bad, _date_message) + _dates_out_of_window(
            filled.drop(bad.index), file, name
        )
    if column.type == "number":
        return located(file, name, _bad_numbers(filled), _number_message)
    if column.type == "integer":
        whole = filled.str.match(INTEGER_RE)
        problems = located(file, name, filled[~whole], "not a whole number: expected e.g. 12")
        good = filled[whole].astype("int64")
        problems += located(
            file, name, filled[good.index[good < 0]], "negative: expected 0 or more"
        )
        return problems + located(
            file,
            name,
            filled[good.index[good > contract.MAX_COUNT]],
            "more than {limit} in one row: expected a count of 0 to {limit}",
            limit=format(contract.MAX_COUNT, ","),
        )
    return []


def check_unique(table: Table, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Return a problem for each row repeating the key of an earlier row."""
    key = table.key
    if key is None or key not in frame:
        return []
    keys = frame[key].str.strip()
    keys = keys[keys != ""]
    if not keys.duplicated().any():
        return []
    first_row = pd.Series(keys.index, index=keys.values).groupby(level=0).min()
    repeats = keys[keys.duplicated()]
    return located(
        file,
        key,
        repeats,
        lambda v: _duplicate_message(key, first_row[v.strip()]),
    )


def _duplicate_message(key: str, first: int) -> tuple[str, dict]:
    template = N_("duplicate {name}: already used in row {first}; each must be unique")
    return template, {"name": key, "first": first}
