"""Keyboard only (WCAG 2.1.1): the region filter and a download work without a mouse."""

from __future__ import annotations

from pathlib import Path

import acpeu_data as ad
from acpeu_data import contract
from acpeu_data.load import BUNDLED_DIR

MAX_TABS = 80  # more Tab presses than the page has focusable controls before the target


def _tab_to(app, is_target: str) -> None:
    """Press Tab until the focused element satisfies the JS predicate `is_target`."""
    page = app.page
    page.locator("body").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {is_target}; }}"):
            return
    raise AssertionError(f"Tab never reached the control ({is_target})")


def test_region_filter_with_the_keyboard(browsing) -> None:
    app = browsing.open("/")
    _tab_to(app, "!!el.closest('[data-testid=stMultiSelect]') && el.tagName === 'INPUT'")
    label = app.page.evaluate(
        "() => document.activeElement.closest('[data-testid=stMultiSelect]')"
        ".querySelector('[data-testid=stWidgetLabel]').innerText"
    )
    assert label.strip() == "Region", "the first filter reached by Tab is the region filter"
    app.page.keyboard.type("Caribb")
    app.page.keyboard.press("Enter")
    app.page.keyboard.press("Escape")
    app.wait_until_idle()
    assert app.chosen("Region") == ["Caribbean"]
    assert "region=Caribbean" in app.page.url
    browsing.assert_clean()


def test_download_with_the_keyboard(browsing) -> None:
    app = browsing.open("/requests?region=Caribbean")
    _tab_to(app, "el.tagName === 'BUTTON' && el.innerText.includes('Download CSV')")
    with app.page.expect_download() as info:
        app.page.keyboard.press("Enter")
    path = Path(info.value.path())
    loaded = ad.load_files(
        {"requests.csv": path.read_bytes()}
        | {
            f"{name}.csv": (BUNDLED_DIR / f"{name}.csv").read_bytes()
            for name in contract.REQUIRED_TABLES
            if name != "requests"
        }
    )
    assert set(loaded.requests["region"]) == {"Caribbean"}
    browsing.assert_clean()
