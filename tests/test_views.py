"""acpeu_data.views: a chart's numbers are made when first read, from its aggregates only."""

from __future__ import annotations

import gc
import weakref

import pandas as pd
import pytest

import acpeu_data as ad
from acpeu_data import views


@pytest.mark.parametrize("page", list(views.PAGES))
def test_a_charts_numbers_are_made_once_when_first_read(page):
    ds = ad.load()
    section = views.PAGES[page](views.View(ds, ad.Filters(regions=("Caribbean",)), "en"))
    drawn = [c for c in section.charts if c.figure is not None]
    assert drawn
    for chart in drawn:
        numbers = chart.numbers
        assert isinstance(numbers, pd.DataFrame) and len(numbers.columns)
        assert chart.numbers is numbers  # made once


def test_a_kept_section_holds_no_filtered_rows():
    # ui.memo keeps sections for many filter states; the functions that make their numbers
    # must not keep each state's filtered rows alive with them.
    ds = ad.load()
    view = views.View(ds, ad.Filters(regions=("Pacific",)), "en")
    sections = [builder(view) for builder in views.PAGES.values()]
    rows = [weakref.ref(view.requests), weakref.ref(view.meetings)]
    del view
    gc.collect()
    assert sections and all(ref() is None for ref in rows)
