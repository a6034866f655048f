"""Templates: empty files in the contract's format that load once filled in."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

import acpeu_data as ad
from acpeu_data import contract, templates

# One valid record per table, as a manager would type it.
ONE_ROW = {
    "countries": {"iso3": "GHA", "name": "Ghana", "region": "West Africa"},
    "regional_organisations": {
        "code": "ECOWAS",
        "name": "Economic Community of West African States",
        "region": "West Africa",
        "members": "GHA",
    },
    "requests": {
        "request_id": "R-1",
        "received_on": "2016-03-01",
        "requester_type": "government",
        "requester": "GHA",
        "topics": "visas;trafficking",
        "typology": "capacity_building",
        "status": "completed",
        "completed_on": "2017-01-15",
        "title": "Visa policy review",
    },
    "meetings": {
        "meeting_id": "M-1",
        "title": "Peer-to-peer meeting",
        "kind": "peer_to_peer",
        "topics": "visas",
        "city": "Accra",
        "country_iso3": "GHA",
        "start_date": "2017-05-02",
        "end_date": "2017-05-04",
    },
    "participation": {
        "meeting_id": "M-1",
        "stakeholder_type": "acp_government",
        "country_iso3": "GHA",
        "participants": "12",
        "women": "5",
    },
}


def _fill(template: bytes) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template))
    for table, record in ONE_ROW.items():
        sheet = book[table]
        header = [cell.value for cell in sheet[1]]
        sheet.append([record.get(name, "") for name in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_zip_holds_one_headed_empty_file_per_table():
    with zipfile.ZipFile(io.BytesIO(templates.csv_templates_zip())) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert sorted(files) == sorted(t.file for t in contract.TABLES.values())
    for table in contract.TABLES.values():
        lines = files[table.file].decode("utf-8-sig").splitlines()
        assert lines == [",".join(table.column_names)]


def test_filled_csv_templates_load():
    with zipfile.ZipFile(io.BytesIO(templates.csv_templates_zip())) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    for table, record in ONE_ROW.items():
        names = contract.TABLES[table].column_names
        files[f"{table}.csv"] += (",".join(record.get(n, "") for n in names) + "\r\n").encode()
    ds = ad.load_files(files)
    assert ds.requests["topics"].tolist() == [["visas", "trafficking"]]


def test_workbook_has_a_sheet_per_table_with_the_contract_header():
    book = openpyxl.load_workbook(io.BytesIO(templates.xlsx_template()))
    for name, table in contract.TABLES.items():
        assert [cell.value for cell in book[name][1]] == table.column_names
        assert book[name].max_row == 1
    assert book[templates.CODES_SHEET].sheet_state == "hidden"


def test_workbook_code_columns_have_drop_down_lists_of_their_codes():
    book = openpyxl.load_workbook(io.BytesIO(templates.xlsx_template()))
    codes = book[templates.CODES_SHEET]
    for name, table in contract.TABLES.items():
        sheet = book[name]
        validations = sheet.data_validations.dataValidation
        for index, column in enumerate(table.columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            found = [v for v in validations if f"{letter}2" in v.sqref]
            if not column.codes:
                assert found == []
                continue
            assert len(found) == 1 and found[0].type == "list", (name, column.name)
            # The formula points at the hidden sheet's range that holds exactly this list.
            cells = codes[found[0].formula1.split("!")[1].replace("$", "")]
            assert [c[0].value for c in cells] == list(column.allowed)
            assert found[0].showErrorMessage is not column.is_list


def test_columns_sheet_explains_every_contract_column():
    book = openpyxl.load_workbook(io.BytesIO(templates.xlsx_template()))
    rows = list(book[templates.COLUMNS_SHEET].iter_rows(min_row=4, values_only=True))
    described = {(r[0], r[1]) for r in rows}
    expected = {(n, c.name) for n, t in contract.TABLES.items() for c in t.columns}
    assert described == expected
    topics = next(r for r in rows if r[:2] == ("requests", "topics"))
    assert "visas = Visas" in topics[5] and topics[3] == "yes" and topics[6] == "#sector+list"


def test_filled_workbook_template_loads():
    data = _fill(templates.xlsx_template())
    ds = ad.load_files({contract.WORKBOOK_NAME: data})
    assert len(ds.requests) == 1 and len(ds.meetings) == 1
    assert ds.participation["participants"].tolist() == [12]


def test_empty_workbook_template_is_refused_with_located_problems():
    # An untouched template has no country: the loader says so instead of showing empty pages.
    with pytest.raises(ad.DataError) as caught:
        ad.load_files({contract.WORKBOOK_NAME: templates.xlsx_template()})
    assert any("countries" in p.file for p in caught.value.problems)


def test_template_texts_are_translatable():
    upper = templates.column_rows(str.upper)
    assert upper[0][3] == "YES"
    book = openpyxl.load_workbook(
        io.BytesIO(templates.xlsx_template(lambda t: t.replace("Table", "TABLE")))
    )
    assert book[templates.COLUMNS_SHEET]["A3"].value == "TABLE"
