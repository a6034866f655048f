"""Data (/data): what data is loaded, where it comes from, its problems, and bringing your own."""

from pathlib import Path

import streamlit as st

from acpeu_data import tables
from ui import data as ui_data
from ui import page as ui_page

CONTRACT = Path(__file__).resolve().parent.parent / "docs" / "data-contract.md"

page = ui_page.setup("Data")
_ = page._
ds, state = page.dataset, page.state

if state.problems:
    st.subheader(_("Problems in {folder}").format(folder=state.failed_origin), anchor=False)
    st.dataframe(tables.problems_for_display(state.problems, _), hide_index=True, width="stretch")

st.subheader(_("Data in use"), anchor=False)
if state.is_upload:
    st.write(_("Your uploaded files (this browser session only)."))
    st.button(_("Back to the bundled data"), on_click=ui_data.forget_upload)
elif ds.is_bundled:
    st.write(_("The bundled data of the ACP-EU Migration Action, June 2014 to August 2019."))
else:
    st.write(_("Your data folder: {folder}").format(folder=ds.origin))
st.dataframe(tables.files_for_display(ds, _, page.lang), hide_index=True, width="stretch")

st.subheader(_("Where the records come from"), anchor=False)
st.dataframe(tables.sources_for_display(ds, _), hide_index=True, width="stretch")

if ds.warnings:
    st.subheader(_("Warnings (the data is used, but have a look)"), anchor=False)
    st.dataframe(tables.problems_for_display(ds.warnings, _), hide_index=True, width="stretch")

st.subheader(_("Bring your own data"), anchor=False)
st.write(
    _(
        "Upload the five tables as CSV files, or one Excel workbook with a sheet per table, "
        "in the format of the data contract. They are used in this browser session only and "
        "never saved on the server."
    )
)
with st.expander(
    _("The data contract: the format your files must follow"), icon=":material/description:"
):
    # Our own documentation file, not user data: safe to render as Markdown.
    st.markdown(CONTRACT.read_text(encoding="utf-8"))
uploads = st.file_uploader(
    _("CSV files or one Excel workbook"),
    type=["csv", "xlsx"],
    accept_multiple_files=True,
    key="upload",
)
if uploads and st.button(_("Use these files"), type="primary"):
    found = ui_data.use_upload({f.name: f.getvalue() for f in uploads})
    if found:
        st.error(
            _("The files have {count} problems and were not used:").format(
                count=page.number(len(found))
            )
        )
        st.dataframe(tables.problems_for_display(found, _), hide_index=True, width="stretch")
    else:
        st.rerun()
