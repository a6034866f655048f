"""ui.widgets: a figure handed to Streamlit unvalidated is sent as Plotly would send it."""

from __future__ import annotations

import json

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
