"""Property: whatever happens to valid files, load gives a Dataset or a located DataError.

Never a traceback: the app shows DataError's problems, so any other exception is a bug.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import acpeu_data as ad

# Not imported from conftest: tests/browser has a conftest of its own, so the name is ambiguous.
VALID_DIR = Path(__file__).parent / "fixtures" / "valid"
FILES = {p.name: p.read_bytes() for p in sorted(VALID_DIR.glob("*.csv"))}
TRICKY = [
    "",
    " ",
    "NA",
    "nan",
    "None",
    "#N/A",
    "=1+1",
    "'=1+1",
    "'",
    "-",
    "+",
    "@",
    ";",
    ";;",
    "KEN",
    "ken",
    "XXX",
    "BEL",
    "GUY;JAM",
    "M-1",
    "R-001",
    "CARICOM",
    "0",
    "-1",
    "1e309",
    "9" * 30,
    "2.5",
    "inf",
    "-inf",
    "NaN",
    "2017-02-30",
    "2017-3-1",
    "2019-07-11",
    "0000-01-01",
    "9999-12-31",
    "visas;",
    "trafficking;smuggling",
    "completed",
    "government",
    "regional_organisation",
    "peer_to_peer",
    "acp_government",
    "\t=cmd",
    "\r",
    "\n",
    '"',
    '""',
    ",",
    "é",
    "\ufeff",
    "\x00",
    "\x1f",
    "#tag",
    "90",
    "-181",
    "x" * 2500,
]

cells = st.one_of(st.sampled_from(TRICKY), st.text(max_size=20))


def _records(data: bytes) -> list[list[str]] | None:
    try:
        records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return None
    # Table-level mutations need a header and a non-empty row to work on.
    return records if records and all(records) else None


def _write(records: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def mutation(draw, data: bytes) -> bytes:
    """Return the file's bytes with one random change: bytes, a cell, a column or rows."""
    kind = draw(st.sampled_from(["bytes", "cell", "cell", "column", "rows", "truncate"]))
    records = _records(data)
    if records is None and kind not in ("bytes", "truncate"):
        kind = "bytes"
    if kind == "bytes":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(max_size=8)) + data[at + draw(st.integers(0, 8)) :]
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "cell":
        row = draw(st.integers(0, len(records) - 1))
        col = draw(st.integers(0, len(records[row]) - 1))
        records[row][col] = draw(cells)
    elif kind == "column":
        col = draw(st.integers(0, len(records[0]) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "rename"]))
        for record in records:
            if action == "drop" and col < len(record):
                del record[col]
            elif action == "duplicate" and col < len(record):
                record.insert(col, record[col])
        if action == "rename":
            records[0][col] = draw(cells)
    else:
        row = draw(st.integers(1, max(1, len(records) - 1)))
        action = draw(st.sampled_from(["delete", "duplicate", "add", "blank"]))
        if action == "delete" and row < len(records):
            del records[row]
        elif action == "duplicate" and row < len(records):
            records.insert(row, list(records[row]))
        elif action == "add":
            records.append(draw(st.lists(cells, max_size=len(records[0]) + 2)))
        elif action == "blank":
            records.insert(row, [])
    try:
        return _write(records)
    except UnicodeEncodeError:
        return data


@st.composite
def broken_upload(draw) -> dict[str, bytes]:
    files = dict(FILES)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        files[name] = draw(mutation(files[name]))
    return files


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_upload())
def test_load_gives_a_dataset_or_located_problems(files):
    try:
        ds = ad.load_files(files)
    except ad.DataError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file, problem
            assert problem.severity == "error"
            assert problem.row is None or problem.row >= 1
            assert isinstance(problem.message, str) and problem.message
        return
    assert set(ds.requests["requester"]) <= set(ds.countries["iso3"]) | set(
        ds.regional_organisations["code"]
    )
    assert (ds.participation["participants"] >= 0).all()
