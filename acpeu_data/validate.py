"""The contract's rules as checks over text tables, returning located Problems.

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


def N_(template: str) -> str:
    """Return `template` unchanged: marks a message for extraction (pybabel -k N_)."""
    return template


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


def _codes_text(allowed: Iterable[str]) -> str:
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
            file, name, filled[~isin(filled, allowed)], message, codes=_codes_text(allowed)
        )
    if column.type == "list_iso3":
        items = filled
        return located(file, name, items[~isin(items, geo.iso3_codes())], _iso3_message)
    if column.type == "list_code":
        items = filled
        allowed = column.allowed
        message = N_("unknown code in the list: expected some of {codes}, separated by ;")
        return located(
            file, name, items[~isin(items, allowed)], message, codes=_codes_text(allowed)
        )
    if column.type == "date":
        return located(file, name, _bad_dates(filled), _date_message)
    if column.type == "number":
        return located(file, name, _bad_numbers(filled), _number_message)
    if column.type == "integer":
        whole = filled.str.match(INTEGER_RE)
        problems = located(file, name, filled[~whole], "not a whole number: expected e.g. 12")
        good = filled[whole].astype("int64")
        return problems + located(
            file, name, filled[good.index[good < 0]], "negative: expected 0 or more"
        )
    return []


def check_unique(table: Table, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Return a problem for each row repeating the key of an earlier row."""
    if table.key is None or table.key not in frame:
        return []
    keys = frame[table.key].str.strip()
    keys = keys[keys != ""]
    if not keys.duplicated().any():
        return []
    first_row = pd.Series(keys.index, index=keys.values).groupby(level=0).min()
    repeats = keys[keys.duplicated()]
    return located(
        file,
        table.key,
        repeats,
        lambda v: _duplicate_message(table.key, first_row[v.strip()]),
    )


def _duplicate_message(key: str, first: int) -> tuple[str, dict]:
    template = N_("duplicate {name}: already used in row {first}; each must be unique")
    return template, {"name": key, "first": first}


# --- rules across columns and tables ----------------------------------------------------------


def _filled(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series([], dtype="str")
    cells = frame[column].str.strip()
    return cells[cells != ""]


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    cells = _filled(frame, column)
    return pd.to_datetime(
        cells[cells.str.match(DATE_RE)], format="%Y-%m-%d", errors="coerce"
    ).dropna()


def _ints(frame: pd.DataFrame, column: str) -> pd.Series:
    cells = _filled(frame, column)
    return cells[cells.str.match(INTEGER_RE)].astype("int64")


def _not_before(frame: pd.DataFrame, file: str, early: str, late: str) -> list[Problem]:
    first, then = _dates(frame, early), _dates(frame, late)
    both = then.index.intersection(first.index)
    wrong = both[then[both] < first[both]]
    return located(
        file,
        late,
        frame.loc[wrong, late],
        "{late} is before {early}: expected the same day or later",
        late=late,
        early=early,
    )


def _countries_rules(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    frame = frames["countries"]
    file = files["countries"]
    if len(frame) == 0:
        return [make(file, None, None, None, "no countries: expected at least one row")]
    return []


def check_rules(
    frames: dict[str, pd.DataFrame], files: dict[str, str]
) -> tuple[list[Problem], list[Problem]]:
    """Return (errors, warnings) of the rules that span columns or tables.

    `frames` holds the tables that could be read (a missing one skips the checks needing it).
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    countries = frames.get("countries")
    known = set(_filled(countries, "iso3")) if countries is not None else None
    regions = set(_filled(countries, "region")) if countries is not None else None
    if countries is not None:
        errors += _countries_rules(frames, files)
    orgs = frames.get("regional_organisations")
    if orgs is not None:
        errors += _organisation_rules(orgs, files["regional_organisations"], known, regions)
    org_codes = set(_filled(orgs, "code")) if orgs is not None else None
    if "requests" in frames:
        e, w = _request_rules(frames["requests"], files["requests"], known, org_codes)
        errors, warnings = errors + e, warnings + w
    meetings = frames.get("meetings")
    if meetings is not None:
        e, w = _meeting_rules(meetings, files["meetings"], known)
        errors, warnings = errors + e, warnings + w
    if "participation" in frames:
        meeting_ids = set(_filled(meetings, "meeting_id")) if meetings is not None else None
        e, w = _participation_rules(
            frames["participation"], files["participation"], known, meeting_ids
        )
        errors, warnings = errors + e, warnings + w
    return errors, warnings


def _organisation_rules(
    frame: pd.DataFrame, file: str, known: set[str] | None, regions: set[str] | None
) -> list[Problem]:
    codes = _filled(frame, "code")
    problems = located(
        file,
        "code",
        codes[isin(codes, geo.iso3_codes())],
        "this code is also a country's ISO3 code: expected an acronym that is not a country code",
    )
    if regions is not None:
        region = _filled(frame, "region")
        problems += located(
            file,
            "region",
            region[~isin(region, regions)],
            "unknown region: expected one of the regions in countries.csv ({regions})",
            regions=_codes_text(sorted(regions)),
        )
    if known is not None:
        members = split_list(_filled(frame, "members"))
        members = members[isin(members, geo.iso3_codes())]
        problems += located(
            file,
            "members",
            members[~isin(members, known)],
            "unknown member: expected an iso3 listed in countries.csv",
        )
    return problems


def _request_rules(
    frame: pd.DataFrame, file: str, known: set[str] | None, org_codes: set[str] | None
) -> tuple[list[Problem], list[Problem]]:
    errors = _not_before(frame, file, "received_on", "completed_on")
    kind = frame["requester_type"].str.strip() if "requester_type" in frame else None
    requester = _filled(frame, "requester")
    if kind is not None and known is not None:
        government = requester[kind[requester.index] == "government"]
        errors += located(
            file,
            "requester",
            government[~isin(government, known)],
            "unknown requester: a government requester must be an iso3 listed in countries.csv",
        )
    if kind is not None and org_codes is not None:
        org = requester[kind[requester.index] == "regional_organisation"]
        errors += located(
            file,
            "requester",
            org[~isin(org, org_codes)],
            "unknown requester: a regional organisation must be a code in regional_organisations.csv",
        )
    if known is not None:
        items = split_list(_filled(frame, "countries"))
        items = items[isin(items, geo.iso3_codes())]
        errors += located(
            file,
            "countries",
            items[~isin(items, known)],
            "unknown beneficiary: expected an iso3 listed in countries.csv",
        )
    received = _dates(frame, "received_on")
    start, end = pd.Timestamp(contract.PROGRAMME_START), pd.Timestamp(contract.PROGRAMME_END)
    odd = received[(received < start) | (received > end)].index
    warnings = located(
        file,
        "received_on",
        frame.loc[odd, "received_on"],
        "outside the programme ({start} to {end}): please check the date",
        severity="warning",
        start=contract.PROGRAMME_START.isoformat(),
        end=contract.PROGRAMME_END.isoformat(),
    )
    return errors, warnings


def _meeting_rules(
    frame: pd.DataFrame, file: str, known: set[str] | None
) -> tuple[list[Problem], list[Problem]]:
    errors = _not_before(frame, file, "start_date", "end_date")
    for column, limit in (("lat", 90), ("lon", 180)):
        cells = _filled(frame, column)
        numbers = pd.to_numeric(cells, errors="coerce")
        errors += located(
            file,
            column,
            cells[numbers.abs() > limit],
            "out of range: expected a number from -{limit} to {limit}",
            limit=limit,
        )
    warnings: list[Problem] = []
    if "lat" in frame and "lon" in frame:
        lat_blank, lon_blank = frame["lat"].str.strip() == "", frame["lon"].str.strip() == ""
        half = frame.loc[lat_blank != lon_blank, "lat"]
        warnings += located(
            file,
            "lat",
            half,
            "only one of lat and lon is given: the venue is placed at its country",
            "warning",
        )
    if known is not None:
        venue = _filled(frame, "country_iso3")
        venue = venue[isin(venue, geo.iso3_codes())]
        warnings += located(
            file,
            "country_iso3",
            venue[~isin(venue, known)],
            "the venue's country is not in countries.csv (allowed; shown as outside the programme)",
            "warning",
        )
    return errors, warnings


def _participation_rules(
    frame: pd.DataFrame, file: str, known: set[str] | None, meeting_ids: set[str] | None
) -> tuple[list[Problem], list[Problem]]:
    errors: list[Problem] = []
    if meeting_ids is not None:
        ids = _filled(frame, "meeting_id")
        errors += located(
            file,
            "meeting_id",
            ids[~isin(ids, meeting_ids)],
            "unknown meeting: expected a meeting_id in meetings.csv",
        )
    women, participants = _ints(frame, "women"), _ints(frame, "participants")
    both = women.index.intersection(participants.index)
    above = both[women[both] > participants[both]]
    errors += located(
        file,
        "women",
        frame.loc[above, "women"],
        "more women than participants: expected 0..participants",
    )
    warnings: list[Problem] = []
    if known is not None and "stakeholder_type" in frame:
        # Delegations from outside the programme (EU states, agencies) are expected; an ACP
        # government whose country the programme does not list is the odd case.
        country = _filled(frame, "country_iso3")
        acp = frame.loc[country.index, "stakeholder_type"].str.strip() == "acp_government"
        country = country[acp & isin(country, geo.iso3_codes())]
        warnings += located(
            file,
            "country_iso3",
            country[~isin(country, known)],
            "an ACP government from a country not in countries.csv: counted as Non-ACP",
            "warning",
        )
    return errors, warnings
