"""The "as of" and the Pipeline page in a real browser, on a folder with a status history.

tests/fixtures/events's statuses at 2016-12-31 are computed by hand (tests/test_history.py):
the status chart's numbers and the downloaded `status` column must be exactly those.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import acpeu_data as ad
from acpeu_data import contract

EVENTS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "events"
AS_OF = "2016-12-31"
# By hand, from tests/fixtures/events/request_events.csv (see tests/test_history.py).
STATUS_AS_OF = {"R-001": "completed", "R-002": "approved", "R-005": "under_review"}


@pytest.fixture(scope="module")
def data_dir() -> Path:
    return EVENTS_DIR


def numbers_table(app, title: str) -> dict[str, str]:
    """Open the 'Numbers: <title>' expander and return its table as {label: value}."""
    expander = app.page.get_by_test_id("stExpander").filter(has_text=f"Numbers: {title}")
    expander.locator("summary").click()
    app.wait_until_idle()
    _header, rows = app.table(expander.get_by_test_id("stDataFrame"))
    return {row[0]: row[1] for row in rows}


def expected_counts() -> dict[str, str]:
    counts = dict.fromkeys(contract.STATUSES.values(), 0)
    for status in STATUS_AS_OF.values():
        counts[contract.STATUSES[status]] += 1
    return {label: str(count) for label, count in counts.items()}


def test_requests_as_of_status_chart_and_download(browsing, tmp_path):
    app = browsing.open(f"/requests?to={AS_OF}")
    assert numbers_table(app, "Requests by status") == expected_counts()

    with app.page.expect_download() as info:
        app.page.get_by_role("button", name="Download CSV").first.click()
    data = Path(info.value.path()).read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["request_id"]: r["status"] for r in rows} == STATUS_AS_OF
    # Completed later than the day: no completion date in the download.
    assert {r["request_id"]: r["completed_on"] for r in rows} == {
        "R-001": "2016-01-29",
        "R-002": "",
        "R-005": "",
    }
    # It loads back as the programme then (the history estimated from it agrees).
    files = {p.name: p.read_bytes() for p in EVENTS_DIR.glob("*.csv")}
    files.pop("request_events.csv")
    files["requests.csv"] = data
    back = ad.load_files(files)
    assert dict(zip(back.requests["request_id"], back.requests["status"], strict=True)) == (
        STATUS_AS_OF
    )
    browsing.assert_clean()


def test_pipeline_page_as_of(browsing):
    app = browsing.open(f"/pipeline?to={AS_OF}")
    assert app.exceptions() == []
    assert numbers_table(app, "Requests by stage") == expected_counts()
    text = app.page.get_by_test_id("stMain").inner_text()
    assert "Stages are estimated" not in text
    assert app.page.get_by_test_id("stPlotlyChart").count() >= 4
    browsing.assert_clean()


def test_pipeline_page_lists_the_changes_between_from_and_to(browsing):
    app = browsing.open("/pipeline?from=2016-11-01&to=2017-02-01")
    app.expect_metric("New requests", "1")
    app.expect_metric("Other status changes", "2")
    app.expect_metric("Withdrawals", "1")
    with app.page.expect_download() as info:
        app.page.get_by_role("button", name="Download CSV").last.click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    assert [(r["changed_on"], r["request_id"], r["status"]) for r in rows] == [
        ("2016-11-30", "R-005", "received"),
        ("2016-12-05", "R-005", "under_review"),
        ("2017-01-10", "R-002", "ongoing"),
        ("2017-02-01", "R-005", "withdrawn"),
    ]
    browsing.assert_clean()


def test_the_filter_survives_navigation_to_and_from_the_pipeline(browsing):
    app = browsing.open(f"/pipeline?region=Caribbean&to={AS_OF}")
    assert app.chosen("Region") == ["Caribbean"]
    app.go_to_page("Requests")
    assert app.chosen("Region") == ["Caribbean"]
    assert numbers_table(app, "Requests by status")["Approved"] == "1"
    app.go_to_page("Pipeline")
    assert app.chosen("Region") == ["Caribbean"]
    assert "region=Caribbean" in app.page.url and f"to={AS_OF}" in app.page.url
    assert app.exceptions() == []
    browsing.assert_clean()
