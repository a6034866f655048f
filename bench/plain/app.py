"""The straightforward dashboard as one app: `streamlit run bench/plain/app.py`."""

import streamlit as st

PAGES = ["overview.py", "requests.py", "pipeline.py", "countries.py", "meetings.py"]
st.navigation([st.Page(page) for page in PAGES]).run()
