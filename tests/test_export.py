"""Downloads are the contract's format: they load back unchanged and never run as formulas."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

import acpeu_data as ad
from acpeu_data import contract, export

TABLES = list(contract.TABLES)
RISKY_TITLES = ["=1+1", "@SUM(A1:A2)", "-5", "+33 1 23", "<script>alert(1)</script>", "\t=cmd"]


@pytest.fixture
def risky(data_copy):
    """The valid folder with titles a spreadsheet would run as formulas, and an odd extra column."""
    for row, title in enumerate(RISKY_TITLES[:5], start=2):
        data_copy.set_cell("requests.csv", row, "title", title)
    data_copy.set_cell("requests.csv", 2, "note", '=HYPERLINK("http://x")')
    data_copy.set_cell("meetings.csv", 2, "title", RISKY_TITLES[5])
    return data_copy


def test_csv_escapes_formulas_and_keeps_numbers(risky):
    ds = ad.load(risky.path)
    text = export.table_to_csv(ds.requests, "requests").decode("utf-8-sig")
    assert "'=1+1" in text and "'@SUM(A1:A2)" in text and "'-5" in text and "'+33 1 23" in text
    assert "<script>alert(1)</script>" in text and "'<script>" not in text
    assert "'=HYPERLINK" in text
    meetings = export.table_to_csv(ds.meetings, "meetings").decode("utf-8-sig")
    assert ",-1.29,36.82," in meetings  # numbers are numbers, never escaped


def test_csv_columns_in_contract_order_with_extras_after(risky):
    header, records = risky.rows("requests.csv")
    risky.write_rows("requests.csv", ["remark", *header], [["odd", *r] for r in records])
    ds = ad.load(risky.path)
    header = export.table_to_csv(ds.requests, "requests").decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == contract.REQUESTS.column_names + ["remark"]
    assert "topic_visas" not in header and "beneficiaries" not in header


@pytest.mark.parametrize("hxl", [False, True])
def test_csv_round_trip_gives_equal_frames(risky, hxl):
    ds = ad.load(risky.path)
    files = {f"{t}.csv": export.table_to_csv(getattr(ds, t), t, hxl=hxl) for t in TABLES}
    again = ad.load_files(files)
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(again, table), getattr(ds, table))
    assert again.requests["title"].tolist()[:5] == RISKY_TITLES[:5]
    assert again.meetings.loc[0, "title"] == RISKY_TITLES[5]


def test_hxl_row_is_written_under_the_header(risky):
    ds = ad.load(risky.path)
    lines = export.table_to_csv(ds.requests, "requests", hxl=True).decode("utf-8-sig").splitlines()
    tags = lines[1].split(",")
    assert tags[:2] == ["#activity+id", "#date+received"]
    assert tags[-1] == "#meta+illustrative"  # illustrative_fields: the last contract column
    header, records = risky.rows("requests.csv")
    risky.write_rows("requests.csv", [*header, "remark"], [[*r, "odd"] for r in records])
    again = ad.load(risky.path)
    lines = export.table_to_csv(again.requests, "requests", hxl=True).decode("utf-8-sig")
    assert lines.splitlines()[1].split(",")[-1] == ""  # an extra column has no tag


def test_xlsx_writes_text_as_text_and_round_trips(risky):
    ds = ad.load(risky.path)
    about = [("Filter", "Region: Caribbean"), ("Data source", "=evil()")]
    book = export.tables_to_xlsx({t: getattr(ds, t) for t in TABLES}, about=about)
    workbook = openpyxl.load_workbook(io.BytesIO(book))  # formulas would show as "=..." cells
    sheet = workbook["requests"]
    titles = [sheet.cell(row, 10).value for row in range(2, 7)]
    assert titles == RISKY_TITLES[:5]
    assert all(sheet.cell(row, 10).data_type == "s" for row in range(2, 7))
    assert workbook["participation"]["E2"].value == 9  # counts stay numbers
    assert [tuple(r) for r in workbook["about"].iter_rows(values_only=True)] == about
    again = ad.load_files({"programme.xlsx": book})
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(again, table), getattr(ds, table))


def test_xlsx_with_hxl_loads_back(risky):
    ds = ad.load(risky.path)
    book = export.tables_to_xlsx({t: getattr(ds, t) for t in TABLES}, hxl=True)
    pd.testing.assert_frame_equal(ad.load_files({"programme.xlsx": book}).requests, ds.requests)


def test_filtered_subset_exports_its_rows_only(valid_dir):
    ds = ad.load(valid_dir)
    subset = ds.requests[ds.requests["region"] == "Caribbean"]
    lines = export.table_to_csv(subset, "requests").decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(subset)
    assert lines[1].startswith("R-002,2016-05-02,regional_organisation,CARICOM,GUY;JAM,")


def test_loader_removes_exactly_one_escape_apostrophe(data_copy):
    data_copy.set_cell("requests.csv", 2, "title", "''=x")
    data_copy.set_cell("requests.csv", 3, "title", "'plain quote")
    data_copy.set_cell("requests.csv", 4, "title", "'=1+1")
    titles = ad.load(data_copy.path).requests["title"].tolist()
    assert titles[:3] == ["''=x", "'plain quote", "=1+1"]


@pytest.mark.parametrize(
    ("table", "slug", "as_of", "ext", "expected"),
    [
        ("requests", "caribbean", dt.date(2017, 3, 21), "csv", "requests_caribbean_2017-03-21.csv"),
        ("meetings", "", dt.date(2019, 8, 31), "xlsx", "meetings_2019-08-31.xlsx"),
        (
            "requests",
            "Côte d'Ivoire / São Tomé",
            dt.date(2017, 1, 1),
            "csv",
            "requests_cote-d-ivoire-sao-tome_2017-01-01.csv",
        ),
        (
            "regional_organisations",
            "x",
            dt.date(2017, 1, 1),
            "csv",
            "regional_organisations_x_2017-01-01.csv",
        ),
    ],
)
def test_export_filename(table, slug, as_of, ext, expected):
    assert export.export_filename(table, slug, as_of, ext) == expected


def test_export_filename_without_a_date_uses_today():
    name = export.export_filename("requests", "", None, "csv")
    assert name == f"requests_{dt.date.today().isoformat()}.csv"
    assert name.isascii()


def test_missing_values_of_any_kind_are_written_empty(valid_dir):
    ds = ad.load(valid_dir)
    participation = ds.participation.astype({"women": "Int64", "organisation": "string"})
    lines = export.table_to_csv(participation, "participation").decode("utf-8-sig").splitlines()
    assert lines[2] == "M-1,acp_government,NAM,,2,,illustrative"
