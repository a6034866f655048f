"""Bringing your own data, in the browser: a data folder that changes or breaks, and uploads.

The module's server reads a copy of the bundled data that the tests edit while it runs (the
app must notice without a restart); a second server on the bundled data takes the uploads.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

import acpeu_data as ad
from acpeu_data import contract
from tests.browser.helpers import BUNDLED_DATA, browsing_context, start_app, stop_process

TRICKY_TITLE = "=1+1 <script>alert(1)</script> <b>bold</b>"
PAGES = ["Overview", "Requests", "Pipeline", "Countries", "Meetings", "Data"]


def read_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def write_rows(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def with_cell(data: bytes, row: int, column: str, value: str) -> bytes:
    """Return CSV bytes with one cell changed; `row` counts as a spreadsheet does (header = 1)."""
    rows = read_rows(data)
    rows[row - 1][rows[0].index(column)] = value
    return write_rows(rows)


def bundled_upload(**changes: bytes) -> list[dict]:
    """The bundled CSV files as Playwright upload payloads, some replaced by `changes`."""
    files = {p.name: p.read_bytes() for p in sorted(BUNDLED_DATA.glob("*.csv"))}
    files.update({name.replace("_csv", ".csv"): data for name, data in changes.items()})
    return [{"name": n, "mimeType": "text/csv", "buffer": b} for n, b in files.items()]


# --- servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_bundled_data) -> Path:
    return copy_bundled_data(tmp_path_factory.mktemp("own") / "data")


@pytest.fixture
def folder(data_dir: Path) -> Iterator[Path]:
    """The module server's data folder; whatever a test changes in it is put back afterwards."""
    saved = {p.name: p.read_bytes() for p in data_dir.glob("*.csv")}
    yield data_dir
    for name, data in saved.items():
        (data_dir / name).write_bytes(data)


@pytest.fixture(scope="module")
def bundled_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = start_app(BUNDLED_DATA, tmp_path_factory.mktemp("bundled") / "streamlit.log")
    try:
        yield server.base_url
    finally:
        stop_process(server.process)


@pytest.fixture
def uploader(browser, bundled_url):
    with browsing_context(browser, bundled_url) as current:
        yield current


@pytest.fixture
def colleague(browser, bundled_url):
    with browsing_context(browser, bundled_url) as current:
        yield current


# --- page helpers -----------------------------------------------------------------------------


def upload(app, files: list[dict]) -> None:
    app.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files)
    button = app.page.get_by_role("button", name="Use these files")
    expect(button).to_be_visible()
    button.click()
    app.wait_until_idle(settle_ms=800)


def first_title(app) -> str:
    """The Title cell of the first row of the Requests table."""
    # The grid puts only the columns in view into its accessible table: make room for all.
    app.page.set_viewport_size({"width": 3600, "height": 1000})
    frame = app.page.get_by_test_id("stDataFrame").first
    # A first visit may still be drawing the page after the script finished (slow machines).
    expect(frame.locator('table[role="grid"]')).to_be_attached(timeout=30_000)
    for _attempt in range(40):  # the grid redraws for the wider window in its own time
        header, rows = app.table(frame)
        if "Title" in header and rows:
            break
        app.page.wait_for_timeout(250)
    assert "Title" in header, header
    return rows[0][header.index("Title")]


def problem_rows(app) -> list[dict[str, str]]:
    """Every row of every File/Row/Column/Value/Problem table on the page."""
    # The grid component loads after the script has finished: wait for the tables to exist.
    grids = app.page.get_by_test_id("stDataFrame").locator('table[role="grid"]')
    expect(grids.first).to_be_attached(timeout=30_000)
    found = []
    for frame in app.page.get_by_test_id("stDataFrame").all():
        if not frame.is_visible():
            continue  # in a closed expander (e.g. the lists of illustrative records)
        frame.scroll_into_view_if_needed()
        header, rows = app.table(frame)
        if {"File", "Row", "Column", "Value", "Problem"} <= set(header):
            found += [dict(zip(header, row, strict=True)) for row in rows]
    return found


def download(app, button: str, last: bool = False) -> bytes:
    buttons = app.page.get_by_role("button", name=button)
    with app.page.expect_download() as info:
        (buttons.last if last else buttons.first).click()
    return Path(info.value.path()).read_bytes()


def alerts(page) -> list[str]:
    opened: list[str] = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    return opened


# --- the data folder --------------------------------------------------------------------------


def test_an_edited_file_shows_on_the_next_reload_without_a_restart(browsing, folder):
    app = browsing.open("/")
    before = len(ad.load(folder).requests)
    app.expect_metric("Requests", str(before))

    rows = read_rows((folder / "requests.csv").read_bytes())
    (folder / "requests.csv").write_bytes(write_rows(rows[:-1]))
    app.reload()

    app.expect_metric("Requests", str(before - 1))
    assert app.exceptions() == []
    browsing.assert_clean()


def test_a_broken_folder_lists_every_problem_and_the_app_stays_usable(browsing, folder):
    shorter = write_rows(read_rows((folder / "requests.csv").read_bytes())[:-1])
    (folder / "requests.csv").write_bytes(shorter)
    app = browsing.open("/")
    good = len(ad.load(folder).requests)
    app.expect_metric("Requests", str(good))

    broken = with_cell(shorter, 2, "received_on", "2017-02-30")
    (folder / "requests.csv").write_bytes(with_cell(broken, 4, "status", "done"))
    meetings = (folder / "meetings.csv").read_bytes()
    (folder / "meetings.csv").write_bytes(with_cell(meetings, 3, "kind", "<b>party</b>"))
    with pytest.raises(ad.DataError) as caught:
        ad.load(folder)
    expected = {(p.file, str(p.row), p.column or "") for p in caught.value.problems}
    assert len(expected) == 3

    # Same session: it keeps the data it had (one request fewer than the bundled data).
    app.go_to_page("Data")
    banner = app.page.get_by_test_id("stAlertContentError").first
    expect(banner).to_contain_text("has 3 problems and was not used")
    expect(banner).to_contain_text("the last good data")
    expect(banner).to_contain_text(folder.name)  # by its name: no server path on screen
    listed = {(r["File"], r["Row"], r["Column"]) for r in problem_rows(app)}
    assert expected <= listed
    kinds = [r for r in problem_rows(app) if r["Column"] == "kind"]
    assert kinds[0]["Value"] == "<b>party</b>"
    for name in PAGES:
        app.go_to_page(name)
        assert app.exceptions() == [], name
        expect(app.page.get_by_test_id("stAlertContentError").first).to_contain_text("was not used")

    # A new visitor gets the server's last good data too, with the same banner.
    fresh = browsing.open("/")
    expect(fresh.page.get_by_test_id("stAlertContentError").first).to_contain_text(
        "the last good data"
    )
    fresh.expect_metric("Requests", str(good))
    assert fresh.exceptions() == []
    browsing.assert_clean()


# --- uploads ----------------------------------------------------------------------------------


def test_an_upload_is_shown_literally_exported_safely_and_only_to_its_session(uploader, colleague):
    requests = (BUNDLED_DATA / "requests.csv").read_bytes()
    app = uploader.open("/data")
    opened = alerts(app.page)
    upload(app, bundled_upload(requests_csv=with_cell(requests, 2, "title", TRICKY_TITLE)))
    expect(app.page.get_by_test_id("stAlertContentInfo").first).to_contain_text(
        "files you uploaded"
    )

    app.go_to_page("Requests")
    assert first_title(app) == TRICKY_TITLE
    assert app.page.locator("[data-testid='stMain'] b", has_text="bold").count() == 0
    assert opened == []

    csv_rows = read_rows(download(app, "Download CSV"))
    title = csv_rows[0].index("title")
    assert csv_rows[1][title] == "'" + TRICKY_TITLE

    workbook = openpyxl.load_workbook(io.BytesIO(download(app, "Download Excel")))
    sheet = workbook["requests"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index("title") + 1)
    assert cell.data_type == "s" and cell.value == TRICKY_TITLE

    other = colleague.open("/requests")
    assert first_title(other) != TRICKY_TITLE
    assert other.page.get_by_test_id("stAlertContentInfo").count() == 0

    app.go_to_page("Data")
    app.page.get_by_role("button", name="Back to the bundled data").click()
    app.wait_until_idle(settle_ms=800)
    app.go_to_page("Requests")
    assert first_title(app) == first_title(other)
    assert app.exceptions() == [] and other.exceptions() == []
    uploader.assert_clean()
    colleague.assert_clean()


def test_an_upload_with_errors_is_listed_and_not_used(uploader):
    requests = (BUNDLED_DATA / "requests.csv").read_bytes()
    bad = with_cell(with_cell(requests, 2, "title", "kept out"), 3, "received_on", "21/03/2017")
    app = uploader.open("/data")
    upload(app, bundled_upload(requests_csv=bad))

    error = app.page.get_by_test_id("stAlertContentError").first
    expect(error).to_contain_text("1 problem and were not used")
    expect(app.page.get_by_test_id("stExpander").filter(has_text="requests.csv: 1 problem"))
    # The bundled data's own warnings are listed too: only requests.csv is about the upload.
    rows = [r for r in problem_rows(app) if r["File"] == "requests.csv"]
    assert [(r["File"], r["Row"], r["Column"], r["Value"]) for r in rows] == [
        ("requests.csv", "3", "received_on", "21/03/2017")
    ]
    listed = read_rows(download(app, "Download the list (CSV)", last=True))
    assert listed[1][:4] == ["requests.csv", "3", "received_on", "21/03/2017"]
    assert app.page.get_by_test_id("stAlertContentInfo").count() == 0

    app.go_to_page("Requests")
    assert first_title(app) != "kept out"
    assert app.exceptions() == []
    uploader.assert_clean()


def test_templates_download_from_the_data_page(uploader):
    app = uploader.open("/data")
    archive = download(app, "CSV templates (zip)")
    assert archive[:2] == b"PK"
    workbook = openpyxl.load_workbook(io.BytesIO(download(app, "Excel template")))
    assert set(contract.TABLES) <= set(workbook.sheetnames)
    assert re.search("Limits: 50 MB per file", app.page.get_by_test_id("stMain").inner_text())
    uploader.assert_clean()
