"""The Requests page's downloads hold exactly the filtered rows, and the CSV loads back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import acpeu_data as ad
from acpeu_data import filters as flt

REGION = "Caribbean"


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    rows = flt.filter_requests(ad.load(), ad.Filters(regions=(REGION,)))
    assert 0 < len(rows) < len(ad.load().requests), "the filter must narrow the table"
    return rows


def download(app, button: str) -> Path:
    with app.page.expect_download() as info:
        app.page.get_by_role("button", name=button).click()
    return Path(info.value.path())


def comparable(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].sort_values("request_id").reset_index(drop=True)


def test_csv_download_is_the_filtered_rows_and_loads_back(
    browsing, expected, tmp_path, copy_bundled_data
):
    app = browsing.open(f"/requests?region={REGION}")

    csv = download(app, "Download CSV")

    folder = copy_bundled_data(tmp_path / "data")
    shutil.copyfile(csv, folder / "requests.csv")
    loaded = ad.load(folder).requests
    columns = list(pd.read_csv(csv, nrows=0, encoding="utf-8-sig").columns)
    assert "request_id" in columns
    pd.testing.assert_frame_equal(comparable(loaded, columns), comparable(expected, columns))
    browsing.assert_clean()


def test_excel_download_is_the_filtered_rows(browsing, expected):
    app = browsing.open(f"/requests?region={REGION}")

    workbook = download(app, "Download Excel")

    sheet = pd.read_excel(workbook, sheet_name="requests", dtype=str)
    assert sorted(sheet["request_id"]) == sorted(expected["request_id"])
    received = pd.to_datetime(sheet.set_index("request_id")["received_on"]).dt.date
    wanted = expected.set_index("request_id")["received_on"].dt.date
    assert received.sort_index().to_dict() == wanted.sort_index().to_dict()
    browsing.assert_clean()
