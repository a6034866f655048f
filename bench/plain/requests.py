"""Requests, written plainly: the rows, four bar charts, time to completion, SDG targets."""

import common
import pandas as pd
import plotly.express as px
import streamlit as st

data, f = common.setup("Requests")
r = common.filter_requests(data, f)
st.dataframe(r.drop(columns=["region"]), hide_index=True)
common.downloads(r, "requests")


def bars(column: str, title: str, values: pd.Series | None = None) -> None:
    counts = (values if values is not None else r[column]).value_counts()
    counts = counts.rename_axis(column).reset_index(name="requests")
    common.chart(px.bar(counts, x="requests", y=column, orientation="h", title=title), counts)


topics = r["topics"].str.split(";").explode()
left, right = st.columns(2)
with left:
    bars("topic", "Requests by topic", topics.rename("topic"))
    bars("status", "Requests by status")
with right:
    bars("typology", "Requests by type of assistance")
    bars("region", "Requests by region")

st.header("Time from request to completion")
days = (r["completed_on"] - r["received_on"]).dt.days.dropna()
for column, (name, value) in zip(
    st.columns(3),
    {"Completed": len(days), "Median days": days.median(), "Average days": days.mean()}.items(),
    strict=True,
):
    column.metric(name, f"{value:,.0f}" if len(days) else "–")
common.chart(
    px.histogram(days.rename("days").to_frame(), x="days", nbins=20, title="Days to complete"),
    days.describe().rename("days").reset_index(),
)

st.header("Sustainable Development Goal targets the requests touch")
sdg = topics.map(common.SDG).explode().groupby(level=0).unique().explode()
st.dataframe(sdg.value_counts().rename_axis("target").reset_index(name="requests"))
