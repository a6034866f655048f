"""Pipeline, written plainly: stages, ageing, oldest open requests, stages by month, stays."""

import datetime as dt

import common
import pandas as pd
import plotly.express as px
import streamlit as st

data, f = common.setup("Pipeline")
r = common.filter_requests(data, f)
today = pd.Timestamp(f["to"] or dt.date.today())

left, right = st.columns(2)
with left:
    stages = r["status"].value_counts().rename_axis("stage").reset_index(name="requests")
    common.chart(px.bar(stages, x="requests", y="stage", orientation="h", title="By stage"), stages)
opened = r[r["status"].isin(common.OPEN)].assign(days=lambda o: (today - o["received_on"]).dt.days)
with right:
    bands = pd.cut(opened["days"], [-1, 90, 180, 365, 730, 10**6]).value_counts(sort=False)
    bands = bands.rename_axis("days").reset_index(name="requests").astype({"days": str})
    common.chart(px.bar(bands, x="days", y="requests", title="Open requests by age"), bands)

st.header("Oldest open requests")
oldest = opened.sort_values("days", ascending=False)
st.dataframe(oldest[["request_id", "requester", "topics", "status", "received_on", "days"]])
common.downloads(oldest, "open_requests")

st.header("Requests in each stage, month by month")
events = data["events"]
events = events[events["request_id"].isin(r["request_id"])].sort_values(
    ["request_id", "changed_on"]
)
ends = events.groupby("request_id")["changed_on"].shift(-1)
start = events["changed_on"].dt.to_period("M")
end = ends.dt.to_period("M")
into = pd.crosstab(start, events["status"])
out = pd.crosstab(end, events["status"]).reindex(columns=into.columns, fill_value=0)
months = into.sub(out, fill_value=0).sort_index().cumsum()
months.index = months.index.to_timestamp()
months = months.reset_index().melt(months.index.name or "index", var_name="stage")
months.columns = ["month", "stage", "requests"]
common.chart(px.area(months, x="month", y="requests", color="stage", title="Stages"), months)
with st.expander("Moves between stages"):
    previous = events.groupby("request_id")["status"].shift(1)
    st.dataframe(pd.crosstab(previous, events["status"]))

st.header("Days spent in each stage")
stays = (ends - events["changed_on"]).dt.days.dropna()
median = stays.groupby(events["status"]).median().rename_axis("stage").reset_index(name="days")
common.chart(px.bar(median, x="days", y="stage", orientation="h", title="Median days"), median)
