"""Overview (/): the programme's headline figures for the current filter."""

import streamlit as st

from ui.screen import current_page
from ui.widgets import headlines, show

page = current_page()
# What the page shows is declared once in acpeu_data/views.py (the reports print the same).
section = page.section()

headlines(section.headlines, per_row=4)

for text in section.text:
    st.markdown(text)

for item in section.charts:
    show(page, item)
