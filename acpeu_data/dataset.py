"""The dataset every page reads: the contract's tables, typed and with derived columns
(docs/architecture.md, "The data API"), plus the files they came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from acpeu_data.validate import Problem


@dataclass(frozen=True)
class FileInfo:
    """A file (or workbook sheet) a dataset was read from."""

    name: str
    modified: dt.datetime | None
    rows: int


@dataclass
class Dataset:
    """The tables of the contract, typed and with derived columns, plus where they came from.

    `request_events` is empty when the data has no such table (`has_events` False): the status
    history is then estimated from the requests (acpeu_data.history).
    """

    countries: pd.DataFrame
    regional_organisations: pd.DataFrame
    requests: pd.DataFrame
    meetings: pd.DataFrame
    participation: pd.DataFrame
    request_events: pd.DataFrame = field(default_factory=lambda: empty_events())
    has_events: bool = False
    warnings: list[Problem] = field(default_factory=list)
    origin: str = ""
    is_bundled: bool = False
    files: list[FileInfo] = field(default_factory=list)
    illustrative: dict[str, int] = field(default_factory=dict)
    version: tuple = ()


def empty_events() -> pd.DataFrame:
    """Return a request_events table without rows, typed as the loader types one."""
    return pd.DataFrame(
        {
            "request_id": pd.Series([], dtype="str"),
            "status": pd.Series([], dtype="str"),
            "changed_on": pd.Series([], dtype="datetime64[us]"),
            "note": pd.Series([], dtype="str"),
        }
    )
