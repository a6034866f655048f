"""Each contract rule, broken once in a copy of the valid fixture, gives a located problem."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import acpeu_data as ad
from acpeu_data import contract


def problems_of(folder) -> list[ad.Problem]:
    with pytest.raises(ad.DataError) as caught:
        ad.load(folder)
    problems = caught.value.problems
    assert problems, "a DataError always carries its problems"
    assert all(p.severity == "error" and p.file for p in problems)
    return problems


def find(problems, file, row, column) -> ad.Problem:
    found = [p for p in problems if (p.file, p.row, p.column) == (file, row, column)]
    assert found, f"no problem at {file} row {row} column {column}; got {problems}"
    return found[0]


# (file, row, column, bad value, words the message must contain)
CELL_CASES = [
    ("requests.csv", 3, "status", "", "must be filled"),
    ("requests.csv", 2, "received_on", "2017-02-30", "no such day"),
    ("requests.csv", 3, "received_on", "21/03/2017", "YYYY-MM-DD"),
    ("requests.csv", 4, "status", "done", "completed"),
    ("requests.csv", 2, "requester_type", "ministry", "regional_organisation"),
    ("requests.csv", 2, "typology", "training", "capacity_building"),
    ("countries.csv", 3, "iso3", "XXX", "ISO 3166-1"),
    ("meetings.csv", 2, "country_iso3", "ken", "KEN"),
    ("requests.csv", 2, "requester", "BEN", "countries.csv"),
    ("requests.csv", 3, "requester", "SADC", "regional_organisations.csv"),
    ("requests.csv", 3, "countries", "GUY;BEN", "countries.csv"),
    ("participation.csv", 3, "meeting_id", "M-9", "meetings.csv"),
    ("regional_organisations.csv", 2, "region", "Atlantis", "Caribbean"),
    ("regional_organisations.csv", 3, "members", "KEN;BEN", "countries.csv"),
    ("regional_organisations.csv", 3, "code", "KEN", "country"),
    ("requests.csv", 3, "request_id", "R-001", "row 2"),
    ("meetings.csv", 3, "meeting_id", "M-1", "row 2"),
    ("countries.csv", 3, "iso3", "KEN", "row 2"),
    ("meetings.csv", 2, "lat", "abc", "number"),
    ("meetings.csv", 2, "lon", "36,82", "point"),
    ("participation.csv", 2, "participants", "2.5", "whole number"),
    ("participation.csv", 2, "participants", "-3", "0 or more"),
    ("participation.csv", 2, "women", "x", "whole number"),
    ("meetings.csv", 2, "lat", "95", "-90 to 90"),
    ("meetings.csv", 2, "lon", "-181", "-180 to 180"),
    ("participation.csv", 2, "women", "10", "participants"),
    ("requests.csv", 2, "completed_on", "2015-01-01", "before received_on"),
    ("meetings.csv", 2, "end_date", "2016-10-01", "before start_date"),
    ("meetings.csv", 2, "start_date", "", "must be filled"),
    ("requests.csv", 2, "topics", " ; ", "must be filled"),
]


@pytest.mark.parametrize(("file", "row", "column", "value", "words"), CELL_CASES)
def test_bad_cell_is_located(data_copy, file, row, column, value, words):
    data_copy.set_cell(file, row, column, value)
    problem = find(problems_of(data_copy.path), file, row, column)
    assert words in problem.message
    if value.strip(" ;"):
        assert problem.value in (value, value.split(";")[-1])


def test_each_bad_list_item_is_reported(data_copy):
    data_copy.set_cell("requests.csv", 3, "topics", "visas; trafick;smugling")
    problems = [p for p in problems_of(data_copy.path) if p.column == "topics"]
    assert [(p.row, p.value) for p in problems] == [(3, "trafick"), (3, "smugling")]
    assert "trafficking" in problems[0].message


def test_bad_iso3_in_a_list(data_copy):
    data_copy.set_cell("requests.csv", 3, "countries", "GUY;XXX;JAM")
    problem = find(problems_of(data_copy.path), "requests.csv", 3, "countries")
    assert problem.value == "XXX"


def test_missing_file(data_copy):
    data_copy.delete("meetings.csv")
    problems = problems_of(data_copy.path)
    problem = find(problems, "meetings.csv", None, None)
    assert "missing" in problem.message


def test_empty_file(data_copy):
    data_copy.write_bytes("requests.csv", b"")
    assert "empty" in find(problems_of(data_copy.path), "requests.csv", None, None).message


def test_header_only_is_an_empty_table_but_countries_needs_a_row(data_copy):
    header, _ = data_copy.rows("requests.csv")
    data_copy.write_rows("requests.csv", header, [])
    assert len(ad.load(data_copy.path).requests) == 0
    header, _ = data_copy.rows("countries.csv")
    data_copy.write_rows("countries.csv", header, [])
    assert "at least one" in find(problems_of(data_copy.path), "countries.csv", None, None).message


def test_missing_required_column(data_copy):
    data_copy.drop_column("requests.csv", "status")
    problem = find(problems_of(data_copy.path), "requests.csv", 1, "status")
    assert "missing required column" in problem.message


def test_missing_optional_column_is_fine(data_copy):
    data_copy.drop_column("requests.csv", "typology")
    data_copy.drop_column("meetings.csv", "lat")
    ds = ad.load(data_copy.path)
    assert (ds.requests["typology"] == "").all()
    assert ds.meetings["located_by_centroid"].all()


def test_not_utf8_names_the_likely_encoding_and_the_fix(data_copy):
    text = data_copy.read_bytes("requests.csv").decode("utf-8")
    data_copy.write_bytes("requests.csv", text.encode("cp1252"))
    problem = find(problems_of(data_copy.path), "requests.csv", 6, None)
    assert "not UTF-8" in problem.message and "Windows-1252" in problem.message
    assert "CSV UTF-8" in problem.message
    assert problem.value.startswith("C")  # the word as the guessed encoding shows it


def test_utf8_bom_is_accepted(data_copy):
    data_copy.write_bytes("countries.csv", b"\xef\xbb\xbf" + data_copy.read_bytes("countries.csv"))
    assert list(ad.load(data_copy.path).countries.columns[:1]) == ["iso3"]


@pytest.mark.parametrize(
    "garbage",
    [bytes(range(256)) * 4, b"\x00\x01\x02PNG\x00" * 50, b"PK\x03\x04" + b"\x00" * 40],
)
def test_binary_garbage_is_not_a_csv(data_copy, garbage):
    data_copy.write_bytes("meetings.csv", garbage)
    problem = find(problems_of(data_copy.path), "meetings.csv", None, None)
    assert "not a CSV" in problem.message or "not UTF-8" in problem.message


def test_row_with_too_many_cells(data_copy):
    text = data_copy.read_bytes("countries.csv").decode() + "BEN,Benin,West Africa,BJ,extra,more\n"
    data_copy.write_bytes("countries.csv", text.encode())
    problem = find(problems_of(data_copy.path), "countries.csv", 8, None)
    assert "double quotes" in problem.message


def test_duplicate_column_name(data_copy):
    header, records = data_copy.rows("countries.csv")
    data_copy.write_rows("countries.csv", [*header, "name"], [[*r, "x"] for r in records])
    assert "twice" in find(problems_of(data_copy.path), "countries.csv", 1, "name").message


def test_all_problems_of_a_load_are_reported_together(data_copy):
    data_copy.set_cell("requests.csv", 2, "received_on", "2017-02-30")
    data_copy.set_cell("requests.csv", 4, "requester", "ZZZ")
    data_copy.set_cell("participation.csv", 3, "participants", "many")
    data_copy.delete("meetings.csv")
    problems = problems_of(data_copy.path)
    find(problems, "requests.csv", 2, "received_on")
    find(problems, "requests.csv", 4, "requester")
    find(problems, "participation.csv", 3, "participants")
    find(problems, "meetings.csv", None, None)


def test_blank_lines_do_not_shift_row_numbers(data_copy):
    text = data_copy.read_bytes("requests.csv").decode().replace("\nR-002", "\n\nR-002")
    data_copy.write_bytes("requests.csv", text.encode())
    data_copy.set_cell("requests.csv", 5, "status", "bogus")  # R-003, one line lower
    assert find(problems_of(data_copy.path), "requests.csv", 5, "status").value == "bogus"


# --- warnings: valid but odd ----------------------------------------------------------------


def test_odd_but_valid_data_loads_with_warnings(data_copy):
    data_copy.set_cell("requests.csv", 2, "received_on", "2013-05-01")
    data_copy.set_cell("requests.csv", 2, "completed_on", "")
    data_copy.set_cell("participation.csv", 3, "country_iso3", "BEN")
    ds = ad.load(data_copy.path)
    located = {(w.file, w.row, w.column) for w in ds.warnings}
    assert ("requests.csv", 2, "received_on") in located
    assert ("participation.csv", 3, "country_iso3") in located
    assert ("meetings.csv", 3, "country_iso3") in located  # the Brussels venue
    assert all(w.severity == "warning" for w in ds.warnings)
    assert ds.participation.loc[1, "region"] == contract.NON_ACP


# --- limits (issue 5) -------------------------------------------------------------------------


def test_folder_file_too_large(data_copy, monkeypatch):
    monkeypatch.setattr(contract, "MAX_FOLDER_FILE_BYTES", 100)
    assert "too large" in find(problems_of(data_copy.path), "requests.csv", None, None).message


def test_uploaded_file_has_the_smaller_limit(data_copy, monkeypatch):
    # The same files load from the folder, but an upload of them is refused file by file.
    size = (data_copy.path / "requests.csv").stat().st_size
    monkeypatch.setattr(contract, "MAX_FILE_BYTES", size - 1)
    assert len(ad.load(data_copy.path).requests)
    with pytest.raises(ad.DataError) as caught:
        ad.load_files(data_copy.as_upload())
    refused = [p for p in caught.value.problems if "too large" in p.message]
    assert [p.file for p in refused] == ["requests.csv"]


def test_too_many_rows(data_copy, monkeypatch):
    monkeypatch.setattr(contract, "MAX_ROWS", 3)
    assert "too many" in find(problems_of(data_copy.path), "requests.csv", None, None).message


def test_cell_too_long(data_copy, monkeypatch):
    monkeypatch.setattr(contract, "MAX_CELL_CHARS", 50)
    data_copy.set_cell("requests.csv", 3, "title", "x" * 51)
    assert "too long" in find(problems_of(data_copy.path), "requests.csv", 3, "title").message


def test_upload_too_large(data_copy, monkeypatch):
    monkeypatch.setattr(contract, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(ad.DataError) as caught:
        ad.load_files(data_copy.as_upload())
    assert "too large" in caught.value.problems[0].message


def test_upload_read_in_a_separate_process_gives_the_same_dataset(data_copy):
    here = ad.load_files(data_copy.as_upload())
    there = ad.load_files(data_copy.as_upload(), time_limit=120)
    for table in ("countries", "requests", "meetings", "participation"):
        pd.testing.assert_frame_equal(getattr(here, table), getattr(there, table))


def test_upload_that_takes_too_long_is_stopped(data_copy):
    with pytest.raises(ad.DataError) as caught:
        ad.load_files(data_copy.as_upload(), time_limit=0.001)
    [problem] = caught.value.problems
    assert problem.file == "upload"
    assert "took longer than 0.001 seconds" in problem.message


def test_upload_problems_come_back_from_the_separate_process(data_copy):
    data_copy.set_cell("requests.csv", 3, "received_on", "someday")
    with pytest.raises(ad.DataError) as caught:
        ad.load_files(data_copy.as_upload(), time_limit=120)
    assert find(caught.value.problems, "requests.csv", 3, "received_on")


# --- workbooks ----------------------------------------------------------------------------


def _workbook_problems(data: bytes, name: str = "programme.xlsx") -> list[ad.Problem]:
    with pytest.raises(ad.DataError) as caught:
        ad.load_files({name: data})
    return caught.value.problems


def test_macro_workbook_is_refused(data_copy):
    book = data_copy.workbook()
    assert "macro" in _workbook_problems(book, "programme.xlsm")[0].message
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00" * 10)
    assert "macro" in _workbook_problems(buffer.getvalue())[0].message


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".xls"), (b"hello, world", "not an Excel")],
)
def test_unreadable_workbook(data, words):
    assert words in _workbook_problems(data)[0].message


def test_workbook_missing_a_sheet_and_a_bad_cell(data_copy):
    data_copy.delete("participation.csv")
    data_copy.set_cell("requests.csv", 3, "status", "done")
    problems = _workbook_problems(data_copy.workbook())
    assert any("no sheet named 'participation'" in p.message for p in problems)
    find(problems, "programme.xlsx [requests]", 3, "status")


def test_semicolon_separated_file_says_how_to_save_it(data_copy):
    text = data_copy.read_bytes("countries.csv").decode().replace(",", ";")
    data_copy.write_bytes("countries.csv", text.encode())
    problem = find(problems_of(data_copy.path), "countries.csv", 1, None)
    assert "';'" in problem.message and "comma delimited" in problem.message


def test_a_row_of_excel_errors_is_data_not_hxl(data_copy):
    header, records = data_copy.rows("countries.csv")
    data_copy.write_rows("countries.csv", header, [["#N/A", "#N/A", "#REF!", "#N/A"], *records])
    find(problems_of(data_copy.path), "countries.csv", 2, "iso3")


def test_hxl_row_is_skipped_and_rows_still_count_it(data_copy):
    header, records = data_copy.rows("requests.csv")
    tags = ["#activity+id", "#date +received"] + [""] * (len(header) - 2)
    data_copy.write_rows("requests.csv", header, [tags, *records])
    assert len(ad.load(data_copy.path).requests) == 5
    data_copy.set_cell("requests.csv", 3, "status", "bogus")  # R-001, under the tags
    assert find(problems_of(data_copy.path), "requests.csv", 3, "status").value == "bogus"


def test_problems_keep_their_template_for_translation(data_copy):
    data_copy.set_cell("requests.csv", 3, "status", "done")
    problem = find(problems_of(data_copy.path), "requests.csv", 3, "status")
    assert problem.template == "unknown code: expected one of {codes}"
    assert problem.text() == problem.message
    french = {"unknown code: expected one of {codes}": "code inconnu : attendu l'un de {codes}"}
    translated = problem.text(lambda msgid: french.get(msgid, msgid))
    assert translated.startswith("code inconnu : attendu l'un de received, under_review")
    broken = problem.text(lambda msgid: "{nope}")
    assert broken == problem.message  # a bad translation never hides the problem


def test_every_message_template_is_extractable_for_translation(data_copy):
    from babel.messages.extract import extract_from_file

    keywords = {"make": (5,), "located": (4,), "_error": (2,), "N_": None}
    package = Path(ad.__file__).parent
    extracted = {
        message
        for module in ("validate.py", "rules.py", "read.py", "load.py")
        for _, message, _, _ in extract_from_file("python", package / module, keywords=keywords)
    }
    data_copy.set_cell("requests.csv", 3, "request_id", "R-001")
    data_copy.set_cell("requests.csv", 4, "received_on", "2017-13-01")
    data_copy.set_cell("countries.csv", 2, "iso3", "ken")
    data_copy.set_cell("meetings.csv", 2, "lat", "1,5")
    data_copy.drop_column("participation.csv", "participants")
    problems = problems_of(data_copy.path)
    assert len({p.template for p in problems}) >= 5
    assert {p.template for p in problems} <= extracted


def test_a_column_name_in_the_wrong_case_gets_a_hint(data_copy):
    header, records = data_copy.rows("requests.csv")
    header[header.index("request_id")] = "Request ID"
    data_copy.write_rows("requests.csv", header, records)
    problem = find(problems_of(data_copy.path), "requests.csv", 1, "request_id")
    assert problem.value == "Request ID" and "lower case" in problem.message
