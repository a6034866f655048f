"""Hostile or broken data (issue 16): each defect of the adversarial review, reproduced and fixed.

Each test builds the input the review used (a folder, an upload, a workbook) and checks that
it gets a located problem instead of costing memory, rows or a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest

import acpeu_data as ad
from acpeu_data import contract, export, headline_figures

ROOT = Path(__file__).resolve().parent.parent


def problems_of(call) -> list[ad.Problem]:
    with pytest.raises(ad.DataError) as caught:
        call()
    return caught.value.problems


# --- 1. extreme dates are errors, located like every other -----------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1989-12-31"])
@pytest.mark.parametrize(
    ("file", "column"),
    [("requests.csv", "received_on"), ("meetings.csv", "start_date")],
)
def test_a_date_outside_the_window_is_a_located_error(data_copy, file, column, value):
    data_copy.set_cell(file, 3, column, value)
    if column == "start_date":  # keep end_date after start_date: only the window is wrong
        data_copy.set_cell(file, 3, "end_date", "9999-12-31" if value > "2000" else "2019-07-11")
    found = problems_of(lambda: ad.load(data_copy.path))
    located = [p for p in found if (p.file, p.row, p.column, p.value) == (file, 3, column, value)]
    assert len(located) == 1, found
    assert contract.EARLIEST_DATE.isoformat() in located[0].message
    assert contract.latest_date().isoformat() in located[0].message


def test_the_window_ends_one_year_after_today_inclusive(data_copy):
    last = contract.latest_date()
    assert last == dt.date.today().replace(year=dt.date.today().year + 1) or (
        last.month,
        last.day,
    ) == (2, 28)
    data_copy.set_cell("requests.csv", 2, "completed_on", last.isoformat())
    data_copy.set_cell("requests.csv", 3, "received_on", contract.EARLIEST_DATE.isoformat())
    assert len(ad.load(data_copy.path).requests)  # both ends are inside
    data_copy.set_cell("requests.csv", 2, "completed_on", (last + dt.timedelta(1)).isoformat())
    found = problems_of(lambda: ad.load(data_copy.path))
    assert [(p.row, p.column) for p in found] == [(2, "completed_on")]


def test_latest_date_of_a_leap_day_is_the_28th_of_february():
    assert contract.latest_date(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert contract.latest_date(dt.date(2026, 12, 2)) == dt.date(2027, 12, 2)


# --- 6. counts above the per-row maximum are errors; sums cannot overflow ----------------------


def test_a_huge_count_is_a_located_error_not_an_overflow(data_copy):
    header, records = data_copy.rows("participation.csv")
    records = [list(records[0]) for _ in range(9_300)]
    column = header.index("participants")
    for record in records:
        record[column] = "999999999999999"
        record[header.index("women")] = ""
    data_copy.write_rows("participation.csv", header, records)
    found = problems_of(lambda: ad.load(data_copy.path))
    assert {(p.column, p.value) for p in found if p.row} == {("participants", "999999999999999")}
    first = next(p for p in found if p.row)
    assert first.row == 2 and f"{contract.MAX_COUNT:,}" in first.message
    assert any(p.row is None and "9100 more rows" in p.message for p in found)  # summed up


def test_the_largest_counts_the_contract_allows_sum_without_overflow(data_copy):
    header, records = data_copy.rows("participation.csv")
    for record in records:
        record[header.index("participants")] = str(contract.MAX_COUNT)
        record[header.index("women")] = str(contract.MAX_COUNT)
    data_copy.write_rows("participation.csv", header, records)
    ds = ad.load(data_copy.path)
    assert headline_figures.kpis(ds.requests, ds.meetings, ds.participation).participants == (
        contract.MAX_COUNT * len(records)
    )
    # At the row limit too: every total fits in int64.
    assert contract.MAX_ROWS * contract.MAX_COUNT < 2**63


# --- 2. a formula in a column header never reaches a CSV download unescaped ------------------


def test_a_formula_column_name_is_escaped_in_the_csv_header_and_loads_back(data_copy):
    name = '=HYPERLINK("http://evil.example","x")'
    header, records = data_copy.rows("requests.csv")
    data_copy.write_rows("requests.csv", [*header, name], [[*r, "1"] for r in records])
    ds = ad.load(data_copy.path)
    text = export.table_to_csv(ds.requests, "requests").decode("utf-8-sig")
    written = next(iter(__import__("csv").reader(io.StringIO(text))))
    assert written[-1] == "'" + name
    assert not any(cell.startswith(contract.FORMULA_PREFIXES) for cell in written)
    files = {f"{t}.csv": export.table_to_csv(getattr(ds, t), t) for t in contract.TABLES}
    assert name in ad.load_files(files).requests.columns  # the round trip keeps the name


# --- 3. every OS error while reading a folder is a located problem -----------------------------


def test_a_csv_file_as_the_data_folder_is_a_located_problem(valid_dir):
    found = problems_of(lambda: ad.load(valid_dir / "requests.csv"))
    assert [(p.file, p.row) for p in found] == [("requests.csv", None)]
    assert contract.WORKBOOK_NAME in found[0].message


def test_a_folder_named_like_a_file_is_a_located_problem(data_copy):
    data_copy.delete("requests.csv")
    (data_copy.path / "requests.csv").mkdir()
    found = problems_of(lambda: ad.load(data_copy.path))
    assert [(p.file, p.message) for p in found] == [
        ("requests.csv", "a folder, not a file: expected a file here")
    ]


def test_a_fifo_is_refused_at_once_instead_of_blocking(data_copy):
    data_copy.delete("requests.csv")
    os.mkfifo(data_copy.path / "requests.csv")
    outcome: list = []
    reader = threading.Thread(
        target=lambda: outcome.append(problems_of(lambda: ad.load(data_copy.path))), daemon=True
    )
    reader.start()
    reader.join(30)  # before the fix: blocked forever, waiting for a writer
    assert not reader.is_alive(), "the loader blocked on a FIFO"
    assert [p.file for p in outcome[0]] == ["requests.csv"]
    assert "not a regular file" in outcome[0][0].message


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_is_refused(data_copy, device):
    data_copy.delete("requests.csv")
    (data_copy.path / "requests.csv").symlink_to(device)
    found = problems_of(lambda: ad.load(data_copy.path))
    assert [(p.file, "not a regular file" in p.message) for p in found] == [("requests.csv", True)]


def test_a_socket_is_refused(data_copy):
    data_copy.delete("requests.csv")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(data_copy.path / "requests.csv"))
        found = problems_of(lambda: ad.load(data_copy.path))
    finally:
        server.close()
    assert [p.file for p in found] == ["requests.csv"]
    assert "cannot be read" in found[0].message or "not a regular file" in found[0].message


def test_a_missing_folder_is_named_without_its_path(tmp_path):
    found = problems_of(lambda: ad.load(tmp_path / "gone"))
    assert [p.file for p in found] == ["gone"]
    assert str(tmp_path) not in found[0].message


def test_files_changing_during_loads_give_a_dataset_or_located_problems(data_copy):
    """The review saw FileNotFoundError escape 2 times in 253 loads of a folder being rewritten."""
    content = data_copy.read_bytes("requests.csv")
    target = data_copy.path / "requests.csv"
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            target.unlink(missing_ok=True)
            target.write_bytes(content[: len(content) // 2])
            target.write_bytes(content)
            time.sleep(0.002)  # let the loads run too

    writer = threading.Thread(target=churn, daemon=True)
    writer.start()
    outcomes = {"dataset": 0, "problems": 0}
    try:
        for _ in range(40):
            try:
                ad.data_version(data_copy.path)
                ad.load(data_copy.path)
                outcomes["dataset"] += 1
            except ad.DataError as error:
                assert all(p.file and p.message for p in error.problems)
                outcomes["problems"] += 1
    finally:
        stop.set()
        writer.join()
    assert sum(outcomes.values()) == 40  # no other exception escaped


UNPRIVILEGED_LOAD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    import acpeu_data as ad
    try:
        ad.data_version({folder!r})
        ad.load({folder!r})
        print("LOADED")
    except ad.DataError as error:
        for p in error.problems:
            print("PROBLEM", p.file, "|", p.message)
    """
)


@pytest.mark.parametrize("unreadable", ["folder", "file"])
def test_an_unreadable_folder_or_file_is_a_located_problem(data_copy, unreadable):
    """Root reads everything: the loader runs without the capabilities that let it (setpriv)."""
    if unreadable == "folder":
        os.chmod(data_copy.path, 0o000)
    else:
        os.chmod(data_copy.path / "meetings.csv", 0o000)
    script = UNPRIVILEGED_LOAD.format(root=str(ROOT), folder=str(data_copy.path))
    command = [sys.executable, "-c", script]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *command]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        os.chmod(data_copy.path, 0o755)
    assert run.returncode == 0, run.stderr  # no traceback
    expected = "data" if unreadable == "folder" else "meetings.csv"
    assert run.stdout.splitlines() == [
        f"PROBLEM {expected} | cannot be read: the server is not allowed to open it (permissions)"
    ]
    assert str(data_copy.path.parent) not in run.stdout


# --- 5. workbooks: every row is read, whatever <dimension> the sheet declares ------------------


def _with_dimension(book: bytes, sheet: str, ref: str) -> bytes:
    """Return the workbook with the <dimension> of `sheet` rewritten (as a stale writer leaves it)."""
    source = zipfile.ZipFile(io.BytesIO(book))
    names = re.findall(r'<sheet name="([^"]+)"', source.read("xl/workbook.xml").decode())
    part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data
                )
                assert count == 1
            target.writestr(info, data)
    return out.getvalue()


def test_a_workbook_with_a_stale_dimension_loads_every_row(data_copy):
    expected = len(ad.load(data_copy.path).requests)
    book = _with_dimension(data_copy.workbook(), "requests", "A1:C2")
    ds = ad.load_files({contract.WORKBOOK_NAME: book})
    assert len(ds.requests) == expected  # before the fix: 1 row of 2 columns
    assert list(ds.requests["request_id"]) == list(ad.load(data_copy.path).requests["request_id"])


def test_a_sheet_wider_than_any_table_is_refused(data_copy):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data_copy.workbook()))
    book["meetings"].cell(3, contract.MAX_COLUMNS + 5, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    found = problems_of(lambda: ad.load_files({contract.WORKBOOK_NAME: buffer.getvalue()}))
    assert [(p.file, p.row) for p in found] == [(f"{contract.WORKBOOK_NAME} [meetings]", 3)]
    assert f"more than {contract.MAX_COLUMNS:,} columns" in found[0].message


# --- 7. two uploaded files of the same name are refused, naming them --------------------------


@pytest.mark.parametrize("second", ["requests.csv", "Requests.csv", "folder/REQUESTS.csv"])
def test_two_uploads_of_the_same_name_are_refused(data_copy, second):
    files = list(data_copy.as_upload().items())
    files.append((second, data_copy.read_bytes("requests.csv")))
    found = problems_of(lambda: ad.load_files(files))
    assert [(p.file, p.row) for p in found] == [("requests.csv", None)]
    assert "2 files of this name" in found[0].message
    assert Path(second).name in found[0].message


# --- 4. the upload reader: absurd shapes refused early, memory capped ---------------------------


def test_a_header_of_a_million_columns_is_refused_before_parsing(data_copy):
    header = b",".join(b"c%d" % i for i in range(1_000_000)) + b"\n"  # 7.9 MB, as reviewed
    files = data_copy.as_upload()
    files["requests.csv"] = header
    started = time.perf_counter()
    found = problems_of(lambda: ad.load_files(files))
    assert time.perf_counter() - started < 10
    assert [(p.file, p.row) for p in found] == [("requests.csv", 1)]
    assert f"more than {contract.MAX_COLUMNS:,} columns" in found[0].message


READER_PEAK = textwrap.dedent(
    """
    import resource, sys
    sys.path.insert(0, {root!r})
    import acpeu_data as ad
    from pathlib import Path

    if __name__ == "__main__":
        folder = Path({folder!r})
        files = {{p.name: p.read_bytes() for p in folder.iterdir()}}
        {change}
        try:
            ad.load_files(files, time_limit=120, memory_limit={limit})
            print("LOADED")
        except ad.DataError as error:
            print("PROBLEM", error.problems[0].message)
        print("PEAK", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
    """
)


def _reader_peak(folder: Path, change: str, limit: int) -> tuple[str, int]:
    script = READER_PEAK.format(root=str(ROOT), folder=str(folder), change=change, limit=limit)
    path = folder.parent / "peak.py"
    path.write_text(script, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=300, cwd=folder.parent
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    return lines[0], int(lines[-1].split()[1])


def test_the_reader_of_a_million_column_header_stays_far_under_its_cap(data_copy):
    change = 'files["requests.csv"] = b",".join(b"c%d" % i for i in range(1_000_000))'
    outcome, peak = _reader_peak(data_copy.path, change, contract.MAX_UPLOAD_READER_BYTES)
    assert outcome.startswith("PROBLEM more than")
    assert peak < 512 * 2**20  # the review's reader reached 4.3 GB


def test_an_upload_needing_more_memory_than_the_cap_is_refused_within_it(data_copy):
    # 120,000 requests (about 18 MB) need more than 450 MB of address space to read.
    header, records = data_copy.rows("requests.csv")
    first = records[0]
    column = header.index("request_id")
    rows = [[*first[:column], f"R{i}", *first[column + 1 :]] for i in range(120_000)]
    data_copy.write_rows("requests.csv", header, rows)
    limit = 450 * 2**20
    outcome, peak = _reader_peak(data_copy.path, "", limit)
    assert (
        outcome == "PROBLEM needs more than 450 MB of memory to read: split the data into "
        "smaller files, or ask for it to be placed in the data folder"
    )
    assert peak < limit
    outcome, _peak = _reader_peak(data_copy.path, "", contract.MAX_UPLOAD_READER_BYTES)
    assert outcome == "LOADED"  # the same upload fits the documented cap
