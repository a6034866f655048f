"""Meetings, written plainly: venues on a map, the meetings' table, participation charts."""

import common
import plotly.express as px
import streamlit as st

data, f = common.setup("Meetings")
m, p = common.filter_meetings(data, f)
totals = p.groupby("meeting_id")[["participants", "women"]].sum()
m = m.merge(totals, left_on="meeting_id", right_index=True, how="left")
venues = m.groupby(["city", "lat", "lon"], as_index=False)["participants"].sum()
fig = px.scatter_geo(venues, lat="lat", lon="lon", size="participants", hover_name="city")
fig.update_geos(resolution=50)  # plotly's default 110m shapes lack 22 programme states
common.chart(fig, venues, config=common.GEO_CONFIG)

st.header("Meetings")
st.dataframe(m, hide_index=True)
common.downloads(m, "meetings")
largest = m.nlargest(30, "participants")["meeting_id"]
by_region = p[p["meeting_id"].isin(largest)].groupby(["meeting_id", "region"], as_index=False)
by_region = by_region["participants"].sum()
common.chart(
    px.bar(by_region, x="participants", y="meeting_id", color="region", orientation="h"),
    by_region,
)
left, right = st.columns(2)
with left:
    types = p.groupby("stakeholder_type", as_index=False)["participants"].sum()
    common.chart(px.bar(types, x="participants", y="stakeholder_type", orientation="h"), types)
with right:
    known = p[p["women"].notna()]
    share = known["women"].sum() / known["participants"].sum() if len(known) else None
    st.metric("Women among participants", f"{share:.0%}" if share is not None else "unknown")
common.downloads(p, "participation")
