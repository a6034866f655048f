"""Overview (/): the programme's headline figures for the current filter."""

import streamlit as st

from ui.screen import current_page
from ui.widgets import show

page = current_page()
# What the page shows is declared once in acpeu_data/views.py (the reports print the same).
section = page.section()

first, second = st.columns(4), st.columns(4)
for column, headline in zip([*first, *second], section.headlines, strict=False):
    # Under each figure, in grey and without an arrow: what of it is illustrative or unknown.
    column.metric(
        headline.label,
        headline.value,
        delta=headline.note or None,
        delta_color="off",
        delta_arrow="off",
        help=headline.help or None,
    )

for text in section.text:
    st.markdown(text)

for item in section.charts:
    show(page, item)
