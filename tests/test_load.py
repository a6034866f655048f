"""Loading the valid fixture (and the bundled data) in every form: folder, workbook, upload."""

from __future__ import annotations

import math
import os
import shutil

import pandas as pd
import pytest

import acpeu_data as ad
from acpeu_data import contract, geo, headline_figures, request_figures
from acpeu_data.filters import Filters, filter_requests
from acpeu_data.load import BUNDLED_DIR, prepare

TABLES = list(contract.REQUIRED_TABLES)  # the fixture has no optional table


@pytest.fixture
def ds(valid_dir) -> ad.Dataset:
    return ad.load(valid_dir)


def assert_same_tables(left: ad.Dataset, right: ad.Dataset) -> None:
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(left, table), getattr(right, table))


def test_valid_fixture_loads_with_the_documented_dtypes(ds):
    requests = ds.requests
    assert len(requests) == 5
    assert str(requests["received_on"].dtype).startswith("datetime64")
    assert pd.isna(requests.loc[1, "completed_on"])
    assert requests.loc[1, "topics"] == ["trafficking", "smuggling"]
    assert requests.loc[1, "countries"] == ["GUY", "JAM"]
    assert requests.loc[2, "typology"] == ""  # missing typology is "", never NaN
    assert not requests[["typology", "status", "requester_type"]].isna().any().any()
    assert ds.regional_organisations.loc[1, "members"] == ["KEN", "TZA"]
    assert ds.participation["participants"].dtype == "int64"
    assert ds.participation["women"].dtype == "float64"
    assert math.isnan(ds.participation.loc[1, "women"])


def test_namibia_is_never_missing_data(ds):
    # "NA" is Namibia's ISO2 code and a plausible title: it must stay text.
    assert ds.countries.loc[ds.countries["iso3"] == "NAM", "iso2"].item() == "NA"
    assert ds.requests.loc[2, "title"] == "NA"
    assert ds.requests.loc[2, "note"] == "NA"


def test_extra_columns_are_kept(ds):
    assert "iso2" in ds.countries.columns
    assert ds.requests.loc[1, "note"] == "two beneficiaries"


def test_request_derived_columns(ds):
    requests = ds.requests.set_index("request_id")
    assert requests.loc["R-001", "region"] == "East and Horn of Africa"
    assert requests.loc["R-002", "region"] == "Caribbean"
    assert requests.loc["R-002", "requester_name"] == "Caribbean Community"
    assert requests.loc["R-001", "requester_name"] == "Kenya"
    assert requests.loc["R-001", "beneficiaries"] == ["KEN"]  # a government benefits itself
    assert requests.loc["R-002", "beneficiaries"] == ["GUY", "JAM"]
    assert requests.loc["R-005", "beneficiaries"] == []  # an organisation as a whole
    assert requests["topic_trafficking"].tolist() == [False, True, False, False, True]
    assert requests["topic_visas"].dtype == bool


def test_meeting_derived_columns(ds):
    meetings = ds.meetings.set_index("meeting_id")
    assert meetings.loc["M-1", ["lat", "lon"]].tolist() == [-1.29, 36.82]
    assert not meetings.loc["M-1", "located_by_centroid"]
    assert meetings.loc["M-2", "located_by_centroid"]
    assert (meetings.loc["M-2", "lat"], meetings.loc["M-2", "lon"]) == geo.centroid("BEL")
    assert meetings.loc["M-2", "country_name"] == "Belgium"
    assert meetings["participants"].tolist()[:2] == [12, 7]
    assert math.isnan(meetings.loc["M-3", "participants"])  # no rows: unknown, never 0
    assert meetings.loc["M-1", "women"] == 4  # unknown women count as unknown, not 0
    assert math.isnan(meetings.loc["M-3", "women"])


def test_participation_derived_columns(ds):
    p = ds.participation
    assert p["region"].tolist() == [
        "East and Horn of Africa",
        "Southern Africa",
        contract.NON_ACP,
        contract.NON_ACP,
        contract.NON_ACP,
    ]
    assert p["country_name"].tolist() == ["Kenya", "Namibia", "", "Belgium", ""]


def test_country_names_come_from_countries_csv_in_english(data_copy):
    data_copy.add_row(
        "participation.csv",
        meeting_id="M-1",
        stakeholder_type="acp_government",
        country_iso3="TZA",
        participants="1",
    )
    ds = ad.load(data_copy.path)
    assert ds.participation["country_name"].iloc[-1] == "Tanzania, United Republic of"


def test_dataset_metadata(ds, valid_dir):
    assert ds.origin == str(valid_dir)
    assert not ds.is_bundled
    assert [f.name for f in ds.files] == [f"{t}.csv" for t in TABLES]
    assert [f.rows for f in ds.files] == [6, 2, 5, 3, 5]
    assert all(f.modified is not None for f in ds.files)
    assert ds.illustrative == {"requests": 4, "meetings": 1, "participation": 5}
    assert ds.version == ad.data_version(valid_dir)
    hash(ds.version)


def test_data_version_follows_the_files(data_copy):
    before = ad.data_version(data_copy.path)
    assert ad.data_version(data_copy.path) == before
    data_copy.set_cell("requests.csv", 2, "title", "A longer title than before")
    assert ad.data_version(data_copy.path) != before


def test_data_version_of_a_missing_folder_is_a_data_error(tmp_path):
    with pytest.raises(ad.DataError) as caught:
        ad.data_version(tmp_path / "nowhere")
    assert caught.value.problems[0].file == "nowhere"  # the name only: no server path


def test_environment_variable_then_bundled_data(monkeypatch, valid_dir):
    monkeypatch.setenv("ACPEU_DATA_DIR", str(valid_dir))
    assert len(ad.load().requests) == 5
    monkeypatch.delenv("ACPEU_DATA_DIR")
    assert ad.load().origin == str(BUNDLED_DIR)


def test_bundled_data_loads_cleanly(monkeypatch):
    # How fast is for the benchmark (make bench), not for a test a busy machine could fail.
    monkeypatch.delenv("ACPEU_DATA_DIR", raising=False)
    ds = ad.load()
    assert ds.is_bundled
    lines = (BUNDLED_DIR / "countries.csv").read_text(encoding="utf-8").splitlines()
    assert len(ds.countries) == len(lines) - 1
    assert all(w.severity == "warning" for w in ds.warnings)


# --- the same data in other forms gives the same dataset ------------------------------------


def test_workbook_path_equals_folder(data_copy, tmp_path):
    book = tmp_path / "book" / "programme.xlsx"
    book.parent.mkdir()
    book.write_bytes(data_copy.workbook())
    from_book = ad.load(book)
    assert_same_tables(ad.load(data_copy.path), from_book)
    assert [f.name for f in from_book.files] == [f"programme.xlsx [{t}]" for t in TABLES]


def test_folder_holding_only_the_workbook(data_copy, tmp_path):
    folder = tmp_path / "only_book"
    folder.mkdir()
    (folder / "programme.xlsx").write_bytes(data_copy.workbook())
    assert_same_tables(ad.load(data_copy.path), ad.load(folder))


def test_workbook_cells_typed_by_excel_read_as_text(data_copy, tmp_path):
    import datetime as dt

    import openpyxl

    book = tmp_path / "programme.xlsx"
    book.write_bytes(data_copy.workbook())
    workbook = openpyxl.load_workbook(book)
    workbook["requests"]["B2"] = dt.datetime(2015, 3, 16)  # a real Excel date
    workbook["participation"]["E2"] = 9  # a number, not the text "9"
    workbook["meetings"]["G2"] = -1.29
    workbook.save(book)
    assert_same_tables(ad.load(data_copy.path), ad.load(book))


def test_upload_of_csv_files_equals_folder(data_copy):
    upload = ad.load_files(data_copy.as_upload())
    assert_same_tables(ad.load(data_copy.path), upload)
    assert upload.origin == "upload" and not upload.is_bundled
    assert upload.version == ad.load_files(data_copy.as_upload()).version
    assert all(f.modified is None for f in upload.files)


def test_upload_of_a_workbook_equals_folder(data_copy):
    upload = ad.load_files({"my data.xlsx": data_copy.workbook()})
    assert_same_tables(ad.load(data_copy.path), upload)


def test_upload_names_are_matched_without_folders_or_case(data_copy):
    files = {f"C:\\Users\\me\\{name.upper()}": data for name, data in data_copy.as_upload().items()}
    assert len(ad.load_files(files).requests) == 5


def test_upload_problems(data_copy):
    files = data_copy.as_upload()
    del files["meetings.csv"]
    files["notes.txt"] = b"hello"
    with pytest.raises(ad.DataError) as caught:
        ad.load_files(files)
    located = {(p.file, p.message.split(":")[0]) for p in caught.value.problems}
    assert ("notes.txt", "not a file of the data") in located
    assert ("meetings.csv", "missing") in located
    with pytest.raises(ad.DataError) as caught:
        ad.load_files({**data_copy.as_upload(), "programme.xlsx": data_copy.workbook()})
    assert "not both" in caught.value.problems[-1].message


def test_load_never_writes_to_the_data_folder(data_copy):
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in data_copy.path.iterdir()}
    ad.load(data_copy.path)
    data_copy.set_cell("requests.csv", 2, "status", "bogus")
    before["requests.csv"] = (
        (data_copy.path / "requests.csv").stat().st_mtime_ns,
        data_copy.read_bytes("requests.csv"),
    )
    with pytest.raises(ad.DataError):
        ad.load(data_copy.path)
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in data_copy.path.iterdir()}
    assert after == before


def test_bundled_folder_copy_is_not_bundled(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(BUNDLED_DIR, copy)
    assert not ad.load(copy).is_bundled
    assert ad.load(os.fspath(BUNDLED_DIR)).is_bundled


def test_prepare_changes_no_figure():
    plain, prepared = ad.load(), ad.load()
    prepare(prepared)
    for f in (Filters(), Filters(regions=("Caribbean",), topics=("trafficking",))):
        a, b = filter_requests(plain, f), filter_requests(prepared, f)
        assert a.equals(b)
        assert request_figures.requests_by_status(a).equals(request_figures.requests_by_status(b))
        assert headline_figures.kpis(
            a, plain.meetings.iloc[:0], plain.participation.iloc[:0]
        ) == headline_figures.kpis(b, prepared.meetings.iloc[:0], prepared.participation.iloc[:0])


def test_text_columns_are_combined_into_one_chunk():
    from acpeu_data.load import one_chunk

    parts = [pd.Series(["a", "b"], dtype="str"), pd.Series([None, "c"], dtype="str")]
    frame = pd.DataFrame({"text": pd.concat(parts, ignore_index=True), "n": [1, 2, 3, 4]})
    assert frame["text"].array._pa_array.num_chunks == 2  # as a large file's reader gives it
    combined = one_chunk(frame)
    assert combined["text"].array._pa_array.num_chunks == 1
    pd.testing.assert_frame_equal(combined, frame)
    assert one_chunk(combined) is combined  # nothing left to combine: the same frame
