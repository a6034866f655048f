"""The Report control on every page (AppTest): built only when asked, then downloadable."""

from __future__ import annotations

import pytest

from acpeu_data import report
from tests.apptest import unfold
from tests.test_pages import PAGES, run_app


def run_with_control(query: dict | None = None, page: str | None = None):
    """Return the app run with the Report control opened (its contents are drawn once open)."""
    return unfold(run_app(query, page=page), "Report")


def control_widgets(app):
    radios = {r.label: r for r in app.radio}
    buttons = {b.label: b for b in app.button}
    return radios, buttons


@pytest.mark.parametrize("page", [None, *PAGES])
def test_every_page_has_the_same_report_control(page):
    closed = run_app({"region": ["Caribbean"]}, page=page)
    assert "Report: PDF or HTML to send" in [e.label for e in closed.expander]
    assert closed.radio.len == 0  # nothing of the control is drawn until it is opened
    app = unfold(closed, "Report")
    radios, buttons = control_widgets(app)

    assert "Report: PDF or HTML to send" in [e.label for e in app.expander]
    assert set(radios) >= {"Pages", "Format"}
    assert "Make the report" in buttons
    # Nothing is built before it is asked for.
    assert app.get("download_button") == [] or all(
        "report" not in (d.proto.label or "").lower() for d in app.get("download_button")
    )
    scopes = radios["Pages"].options
    if page == "app_pages/data.py":
        assert scopes == ["All pages"]
    else:
        assert scopes[-1] == "All pages" and scopes[0].startswith("This page")


def _report_downloads(app):
    return [d for d in app.get("download_button") if "report" in d.proto.label.lower()]


def test_an_html_report_is_made_on_click_and_offered_for_download():
    app = run_with_control({"region": ["Caribbean"]})
    radios, buttons = control_widgets(app)
    radios["Format"].set_value("html").run()
    assert _report_downloads(app) == []

    control_widgets(app)[1]["Make the report"].click().run()

    assert not app.exception
    (download,) = _report_downloads(app)
    assert download.proto.label.startswith("Download the report (")
    # Kept for the same filter across reruns; a filter change drops it.
    app.run()
    assert len(_report_downloads(app)) == 1
    app.multiselect(key="w_region").set_value(["Pacific"]).run()
    assert _report_downloads(app) == []


def test_a_missing_pdf_renderer_is_a_message_on_the_control(monkeypatch):
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    app = run_with_control()
    assert control_widgets(app)[0]["Format"].value == "pdf"

    errors = [e.value for e in app.error]
    assert any("PDF reports need Chromium" in e and "Choose HTML" in e for e in errors), errors
    assert not app.exception
