"""A data folder with errors shows located problems in the app, never a traceback."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import acpeu_data as ad

BAD_DATE = "2017-02-30"
UNKNOWN_COUNTRY = "ZZZ"


def _corrupt_requests(path: Path) -> tuple[int, int]:
    """Give one request an impossible date and one government an unknown country.

    Returns the spreadsheet rows (header = 1) of the two broken records.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        records = list(reader)
    date_index = 0
    country_index = next(
        i for i, r in enumerate(records) if i > 0 and r["requester_type"] == "government"
    )
    records[date_index]["received_on"] = BAD_DATE
    records[country_index]["requester"] = UNKNOWN_COUNTRY
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(records)
    return date_index + 2, country_index + 2


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory, copy_bundled_data) -> tuple[Path, int, int]:
    folder = copy_bundled_data(tmp_path_factory.mktemp("broken") / "data")
    date_row, country_row = _corrupt_requests(folder / "requests.csv")
    with pytest.raises(ad.DataError):
        ad.load(folder)  # the folder really is broken, so the app must say so
    return folder, date_row, country_row


@pytest.fixture(scope="module")
def data_dir(broken: tuple[Path, int, int]) -> Path:
    return broken[0]


def test_every_page_warns_and_falls_back_to_the_bundled_data(browsing):
    app = browsing.open("/")

    banner = app.page.get_by_test_id("stAlertContentError")
    assert banner.count() == 1
    assert "problem" in banner.inner_text().lower()
    app.expect_metric("Requests", str(len(ad.load().requests)))
    assert app.exceptions() == []
    browsing.assert_clean()


def test_data_page_lists_file_row_and_column_of_each_problem(browsing, broken):
    _, date_row, country_row = broken
    app = browsing.open("/data")
    # The grids are drawn a moment after the script reports idle: wait for the problems' one.
    problems = (
        app.page.get_by_test_id("stDataFrame")
        .filter(has=app.page.locator('th:has-text("Problem")'))
        .first
    )
    problems.locator('table[role="grid"]').wait_for(state="attached")
    header, rows = app.table(problems)
    located = {
        (row[header.index("File")], row[header.index("Row")], row[header.index("Column")]): row
        for row in rows
    }
    assert ("requests.csv", str(date_row), "received_on") in located
    assert ("requests.csv", str(country_row), "requester") in located
    assert (
        located[("requests.csv", str(date_row), "received_on")][header.index("Value")] == BAD_DATE
    )
    assert app.exceptions() == []
    browsing.assert_clean()
