"""Countries, written plainly: requests per country on a world map, with its numbers."""

import common
import plotly.express as px
import streamlit as st

data, f = common.setup("Countries")
r = common.filter_requests(data, f)
gov = r["requester_type"] == "government"
beneficiaries = r["countries"].where(r["countries"] != "", r["requester"].where(gov, ""))
per_country = beneficiaries.str.split(";").explode()
per_country = per_country[per_country != ""].value_counts().rename_axis("iso3")
per_country = per_country.reset_index(name="requests").merge(data["countries"], on="iso3")
fig = px.choropleth(
    per_country, locations="iso3", color="requests", hover_name="name", title="Requests"
)
fig.update_geos(resolution=50)  # plotly's default 110m shapes lack 22 programme states
common.chart(fig, per_country, config=common.GEO_CONFIG)
st.header("Requests per country")
common.downloads(r, "requests")
