"""Figure builders: data text never becomes Plotly markup."""

import pandas as pd

from acpeu_data import charts


def test_data_text_is_escaped_before_plotly_reads_it_as_markup():
    frame = pd.DataFrame({"label": ["<b>bold</b> & <a href='x'>link</a>"], "n": [3]})
    fig = charts.bar(frame, label="label", value="n", title="t", colours="#000", value_title="n")
    assert list(fig.data[0].y) == ["&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href='x'&gt;link&lt;/a&gt;"]


def test_meetings_map_escapes_titles_and_cities():
    venues = pd.DataFrame(
        {
            "lat": [1.0],
            "lon": [2.0],
            "city": ["<i>Suva</i>"],
            "title": ["<br>T"],
            "meetings": [1],
            "participants": [5],
        }
    )
    links = pd.DataFrame(columns=["from_lat", "to_lat", "from_lon", "to_lon"])
    fig = charts.meetings_map(venues, links, str)
    markers = fig.data[-1]
    assert list(markers.text) == ["&lt;i&gt;Suva&lt;/i&gt;"]
    assert markers.customdata[0][0] == "&lt;br&gt;T"
