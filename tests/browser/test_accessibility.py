"""WCAG 2.1 AA in the browser: an axe-core audit of every page in every language.

Each page is audited as a user first sees it and again with the first "Numbers" expander
open (the text alternative of a chart, an st.dataframe grid). The app's own content must
have no violation of impact serious or critical. A violation that comes from Streamlit's
own components is accepted only when listed in helpers.STREAMLIT_OWN with the reason; the list is
matched on the rule and the Streamlit component, never on the rule alone.
"""

from __future__ import annotations

import pytest

from acpeu_data import i18n
from tests.browser.helpers import blocking_violations

PAGES = ["/", "/requests", "/pipeline", "/countries", "/meetings", "/data"]


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_no_serious_accessibility_violation(browsing, lang: str) -> None:
    """Every page, in one tab (so Plotly's bundle loads once per language)."""
    _ = i18n.translator(lang)
    app = browsing.open(f"/?lang={lang}")
    problems: list[str] = []
    for path in PAGES:
        app.goto(f"{path}?lang={lang}")
        assert app.page.get_by_role("heading", level=1).first.inner_text().strip() != ""
        problems += [f"{path}: {p}" for p in blocking_violations(app.page)]
        numbers = app.page.get_by_test_id("stExpander").filter(
            has_text=_("Numbers: {title}").split("{")[0]
        )
        if numbers.count():
            numbers.first.locator("summary").click()
            app.wait_until_idle()
            problems += [f"{path}, numbers open: {p}" for p in blocking_violations(app.page)]
    assert problems == [], "\n".join(problems)
    browsing.assert_clean()


def _first_line(title) -> str:
    lines = title.locator("tspan.line")
    if lines.count():
        return lines.first.text_content(timeout=10_000).strip()
    return title.text_content(timeout=10_000).strip()


@pytest.mark.parametrize("path", ["/", "/requests", "/pipeline", "/countries", "/meetings"])
def test_every_chart_has_a_title_and_its_numbers_one_click_away(browsing, path: str) -> None:
    """A screen-reader user gets each chart as a title plus a table (WCAG 1.1.1)."""
    app = browsing.open(f"{path}?lang=fr")
    _ = i18n.translator("fr")
    charts = app.page.get_by_test_id("stPlotlyChart")
    app.wait_for_shapes(".main-svg", charts.count())
    # A title with a second line (what of the chart is illustrative) is drawn as one tspan
    # per line; its first line is the title the numbers' expander starts with.
    titles = [_first_line(chart.locator(".gtitle").first) for chart in charts.all()]
    assert titles and all(titles), f"a chart without a title on {path}"
    expanders = app.page.get_by_test_id("stExpander").locator("summary").all_inner_texts()
    for title in titles:
        label = _("Numbers: {title}").format(title=title)
        assert any(label in text for text in expanders), f"no numbers table for {title!r}"
