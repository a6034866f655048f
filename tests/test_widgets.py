"""ui.widgets: a figure handed to Streamlit unvalidated is sent as Plotly would send it."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_charts import _figures, plain_json


def _script(name: str) -> None:
    import plotly.graph_objects as go
    import streamlit as st

    from tests.test_charts import _figures
    from ui.widgets import Prebuilt

    figure = _figures()[name]
    st.plotly_chart(go.Figure(figure), key="validated")
    st.plotly_chart(Prebuilt(figure), key="prebuilt")


@pytest.mark.parametrize("name", list(_figures()))
def test_a_prebuilt_figure_reaches_the_browser_as_the_validated_figure_would(name):
    # Streamlit's own path for a graph_objects.Figure (to_dict, then to_json) against the
    # dict handed over as it is: the same figure, numbers as lists instead of base64.
    app = AppTest.from_function(_script, args=(name,), default_timeout=30).run()
    assert not app.exception
    validated, prebuilt = (json.loads(chart.proto.spec) for chart in app.get("plotly_chart"))
    assert plain_json(prebuilt) == plain_json(validated)


@pytest.mark.parametrize("name", list(_figures()))
def test_the_screen_figure_carries_its_look_in_the_layout_and_leaves_the_figure_as_it_was(name):
    from ui.widgets import STREAMLIT_LOOK, screen_figure

    figure = _figures()[name]
    before = json.dumps(figure, default=str)
    screen = screen_figure(figure)
    assert json.dumps(figure, default=str) == before  # shared between sessions: unchanged
    layout = screen["layout"]
    # No template object for plotly.js to find changed on Streamlit's second hand-over, and
    # the data's digest for it to find the data the same.
    assert "template" not in layout and layout["datarevision"] == figure["layout"]["datarevision"]
    assert layout["title"]["text"] == f"<b>{figure['layout']['title']['text']}</b>"
    assert layout["hoverlabel"]["font"]["family"] == STREAMLIT_LOOK["font"]["family"]
    # The figure's own settings win over the look; a map gets no axes.
    assert layout["font"] == {**STREAMLIT_LOOK["font"], **figure["layout"]["font"]}
    assert ("xaxis" in layout) == ("xaxis" in figure["layout"] or "yaxis" in figure["layout"])
    assert screen["data"] is figure["data"]


def test_a_figure_s_datarevision_follows_its_data_only():
    from acpeu_data import charts

    frame = pd.DataFrame({"label": ["a", "b"], "n": [1, 2]})
    made = [
        charts.bar(frame, label="label", value="n", title=t, colours="#000", value_title="n")
        for t in ("one", "two")
    ]
    other = charts.bar(
        frame.assign(n=[1, 3]),
        label="label",
        value="n",
        title="one",
        colours="#000",
        value_title="n",
    )
    revisions = [f["layout"]["datarevision"] for f in (*made, other)]
    assert revisions[0] == revisions[1] != revisions[2]
