"""Overview, written plainly: seven figures, a sentence, requests over time and by region."""

import common
import plotly.express as px
import streamlit as st

data, f = common.setup("Overview")
r = common.filter_requests(data, f)
m, p = common.filter_meetings(data, f)
gov = r["requester_type"] == "government"
beneficiaries = r["countries"].where(r["countries"] != "", r["requester"].where(gov, ""))
reached = beneficiaries.str.split(";").explode()
reached = reached[reached != ""]
values = {
    "Requests": f"{len(r):,}",
    "Governments": f"{r.loc[gov, 'requester'].nunique():,}",
    "Regional organisations": f"{r.loc[~gov, 'requester'].nunique():,}",
    "Trafficking or smuggling": f"{r['topics'].str.contains('trafficking|smuggling').mean():.0%}"
    if len(r)
    else "–",
    "Countries reached": f"{reached.nunique():,}",
    "Programme meetings": f"{len(m):,}",
    "Participants": f"{int(p['participants'].sum()):,}",
}
for column, (name, value) in zip([*st.columns(4), *st.columns(4)], values.items(), strict=False):
    column.metric(name, value)
st.markdown(f"{len(r):,} requests from {r['requester'].nunique():,} requesters.")

topics = r[["received_on", "topics"]].assign(topic=r["topics"].str.split(";")).explode("topic")
topics["month"] = topics["received_on"].dt.to_period("M").dt.to_timestamp()
over_time = topics.groupby(["month", "topic"]).size().unstack(fill_value=0).cumsum()
over_time = over_time.reset_index().melt("month", var_name="topic", value_name="requests")
common.chart(
    px.line(over_time, x="month", y="requests", color="topic", title="Requests over time"),
    over_time,
)
by_region = r["region"].value_counts().rename_axis("region").reset_index(name="requests")
common.chart(
    px.bar(by_region, x="requests", y="region", orientation="h", title="Requests by region"),
    by_region,
)
