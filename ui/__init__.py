"""The Streamlit adapter: the only code that knows both Streamlit and acpeu_data."""
