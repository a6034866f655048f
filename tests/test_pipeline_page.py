"""The Pipeline page and the "as of" of every page, through AppTest on a folder with events.

tests/fixtures/events has a status history whose answer at 2016-12-31 is computed by hand in
tests/test_history.py (STATUS_AS_OF): the pages must show exactly those statuses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from acpeu_data import contract
from tests.apptest import open_app, unfold
from tests.test_history import AS_OF, EVENTS_DIR, STATUS_AS_OF

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60


@pytest.fixture
def events_folder(monkeypatch) -> Path:
    monkeypatch.setenv("ACPEU_DATA_DIR", str(EVENTS_DIR))
    return EVENTS_DIR


def run(page: str, query: dict[str, list[str]]) -> AppTest:
    return unfold(open_app(page, query=query), "Numbers")  # the charts' numbers, opened


def numbers_of(app: AppTest, label_column: str) -> dict[str, int]:
    """Return the numbers table of the chart whose first column is `label_column`."""
    frame = next(d.value for d in app.dataframe if list(d.value.columns)[:1] == [label_column])
    return dict(zip(frame[label_column], frame.iloc[:, 1], strict=True))


def expected_counts() -> dict[str, int]:
    counts = dict.fromkeys(contract.STATUSES.values(), 0)
    for status in STATUS_AS_OF.values():
        counts[contract.STATUSES[status]] += 1
    return counts


def test_requests_page_as_of_shows_the_status_on_that_day(events_folder):
    app = run("app_pages/requests.py", {"to": [AS_OF.isoformat()]})
    table = app.dataframe[0].value
    shown = dict(zip(table["request_id"], table["status"], strict=True))
    assert shown == {rid: contract.STATUSES[s] for rid, s in STATUS_AS_OF.items()}
    assert numbers_of(app, "Status") == expected_counts()
    # One completion up to that day (R-001, 319 days).
    assert {m.label: m.value for m in app.metric}["Completed requests"] == "1"


def test_pipeline_page_counts_stages_and_ages_as_of_to(events_folder):
    app = run("app_pages/pipeline.py", {"to": [AS_OF.isoformat()]})
    assert app.title[0].value == "Pipeline"
    assert numbers_of(app, "Stage") == expected_counts()
    assert not [i for i in app.info if "estimated" in i.value]
    oldest = next(d.value for d in app.dataframe if "days" in d.value.columns)
    assert oldest["request_id"].tolist() == ["R-002", "R-005"]
    assert oldest["days"].tolist() == [243, 31]
    assert oldest["status"].tolist() == ["Approved", "Under review"]


def test_pipeline_page_lists_what_happened_between_from_and_to(events_folder):
    app = run("app_pages/pipeline.py", {"from": ["2016-11-01"], "to": ["2017-02-01"]})
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["New requests"] == "1"
    assert metrics["Other status changes"] == "2"
    assert metrics["Withdrawals"] == "1"
    changes = next(d.value for d in app.dataframe if "kind" in d.value.columns)
    assert changes["request_id"].tolist() == ["R-005", "R-005", "R-002", "R-005"]


def test_pages_say_stages_are_estimated_without_events(monkeypatch):
    monkeypatch.setenv("ACPEU_DATA_DIR", str(ROOT / "tests" / "fixtures" / "valid"))
    app = run("app_pages/pipeline.py", {})
    assert any("Stages are estimated" in i.value for i in app.info)
    requests = run("app_pages/requests.py", {"to": [AS_OF.isoformat()]})
    assert any("are estimated" in c.value for c in requests.caption)


def test_requests_page_says_nothing_is_estimated_with_events(events_folder):
    app = run("app_pages/requests.py", {"to": [AS_OF.isoformat()]})
    assert not any("are estimated" in c.value for c in app.caption)


@pytest.mark.parametrize("lang", ["fr", "pt", "es"])
def test_pipeline_page_runs_in_every_language(events_folder, lang):
    app = run(
        "app_pages/pipeline.py", {"lang": [lang], "from": ["2016-01-01"], "to": ["2017-06-30"]}
    )
    assert app.title[0].value != "Pipeline"
