"""The Data page's sections about the data itself: the source's problems, the data in use and
where its records come from, the illustrative records, warnings, templates and the upload.

Publishing, the version history, rollback and the audit log are in ui/publishing.py; which
data is loaded is ui/data.py. Text that comes from data files (file names, paths, values) is
shown in tables or escaped, so a cell never becomes Markdown or HTML on screen.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import streamlit as st

import acpeu_data as ad
from acpeu_data import contract, export, i18n, tables, templates
from ui import data as ui_data
from ui import memo, publishing
from ui.screen import PageContext
from ui.widgets import download, table

CONTRACT = Path(__file__).resolve().parent.parent / "docs" / "data-contract.md"
# The tables whose illustrative records are listed, in this order.
ILLUSTRATIVE_TABLES = ("requests", "meetings", "participation")


def source_problems(page: PageContext) -> None:
    """The problems of the configured database or folder, when it was not used."""
    _, n, state = page._, i18n.ngettext(page.lang), page.state
    if not state.problems:
        return
    if state.is_database:
        st.header(_("Problems in the database"), anchor=False)
        st.text(state.failed_origin)
        seconds = ui_data.check_seconds()
        st.write(
            n(
                "This data was not used: fix the problems in the database (each names its table "
                "and record). The dashboard looks again every {seconds} second.",
                "This data was not used: fix the problems in the database (each names its table "
                "and record). The dashboard looks again every {seconds} seconds.",
                round(seconds),
            ).format(seconds=page.number(seconds))
        )
        problem_list(page, state.problems, "database")
    else:
        st.header(_("Problems in the data folder"), anchor=False)
        st.text(state.failed_origin)
        st.write(
            _(
                "These files were not used: fix the problems in the files (a spreadsheet program "
                "shows the row numbers used here), save, and reload this page."
            )
        )
        problem_list(page, state.problems, "folder")


def data_in_use(page: PageContext) -> None:
    """Which data the page shows (an upload, a published version, the bundled data, a database
    or a folder), and its files."""
    _, n, state, ds = page._, i18n.ngettext(page.lang), page.state, page.dataset
    st.header(_("Data in use"), anchor=False)
    if state.is_upload:
        st.write(
            _("Your uploaded files (this browser session only; nothing is saved on the server).")
        )
        st.button(
            _back_label(page), on_click=ui_data.forget_upload, icon=":material/undo:", key="back"
        )
    elif state.version is not None:
        version = state.version
        st.write(
            _("Published version {number} of {when}, by {by}.").format(
                number=version.number,
                when=publishing.when(version.published_at, page.lang),
                by=ui_data.escape_markdown(version.by or "–"),
            )
        )
        if version.comment:
            st.caption(ui_data.escape_markdown(version.comment))
        if state.is_database:  # the URL without its password (database.display_url)
            st.write(_("The programme's database:"))
            st.text(ds.origin)
    elif ds.is_bundled:
        st.write(_("The bundled data of the ACP-EU Migration Action, June 2014 to August 2019."))
    elif state.is_database or ds.version[:1] == ("database",):
        # The URL without its password (database.display_url).
        st.write(_("The programme's database:"))
        st.text(ds.origin)
        seconds = ui_data.check_seconds()
        st.caption(
            n(
                "Changes committed in the database are shown within {seconds} second.",
                "Changes committed in the database are shown within {seconds} seconds.",
                round(seconds),
            ).format(seconds=page.number(seconds))
        )
    else:
        st.text(ui_data.source_label(ds, _))
    table(
        page,
        memo.for_data(ds, ("files", page.lang), lambda: tables.files_for_display(ds, _, page.lang)),
    )


def _back_label(page: PageContext) -> str:
    """The label of the button that drops the upload, naming where it goes back to."""
    _ = page._
    if ui_data.configured_url() is not None:
        return _("Back to the database")
    folder = ui_data.configured_folder()
    if folder is None or folder.resolve() == ui_data.BUNDLED_DIR:
        return _("Back to the bundled data")
    return _("Back to the data folder")


def record_sources(page: PageContext) -> None:
    """Where the records come from: the sources the data cites, with their counts."""
    _, ds = page._, page.dataset
    st.header(_("Where the records come from"), anchor=False)
    table(
        page, memo.for_data(ds, ("sources", page.lang), lambda: tables.sources_for_display(ds, _))
    )


def illustrative_records(page: PageContext) -> None:
    """The made-up records, a tab per table with a download each, and the sourced requests
    with illustrative fields (nothing when the data has no illustrative record)."""
    _, ds = page._, page.dataset
    if not any(ds.illustrative.values()):
        return
    st.header(_("Which records are illustrative"), anchor=tables.illustrative_anchor(_))
    st.write(
        _(
            "These records are made up (their source is 'illustrative'), so that the dashboard "
            "has something realistic to show between the published figures. They are not facts "
            "about any country or organisation. The switch 'Public sources only' in the sidebar "
            "leaves them out of every page."
        )
    )
    tables_with = [t for t in ILLUSTRATIVE_TABLES if ds.illustrative.get(t)]
    tabs = st.tabs(
        [
            _("{table}: {count}").format(table=t, count=page.number(ds.illustrative[t]))
            for t in tables_with
        ]
    )
    for tab, name in zip(tabs, tables_with, strict=True):
        with tab:
            rows = memo.for_data(
                ds,
                ("illustrative rows", name),
                partial(tables.illustrative_rows, ds, name),
            )
            table(page, rows)
            download(
                _("Download these records (CSV)"),
                partial(export.table_to_csv, rows, name),
                f"{name}-illustrative.csv",
                key=f"illustrative_{name}_csv",
            )
    partly = memo.for_data(ds, "partly illustrative", lambda: tables.partly_illustrative(ds))
    if len(partly):
        st.subheader(_("Sourced requests with illustrative fields"), anchor=False)
        st.write(
            _(
                "These requests are real (from a public source), but some of their columns "
                "are estimated or illustrative, as their note says."
            )
        )
        table(page, partly)


def dataset_warnings(page: PageContext) -> None:
    """The data's warnings (it is used, but worth a look), when it has any."""
    if page.dataset.warnings:
        st.header(page._("Warnings (the data is used, but have a look)"), anchor=False)
        problem_list(page, page.dataset.warnings, "warnings", warnings=True)


def bring_your_own_data(page: PageContext) -> None:
    """'Bring your own data': what to upload, the templates to start from, the data contract."""
    _ = page._
    st.header(_("Bring your own data"), anchor=False)
    st.write(
        _(
            "Upload the five tables as CSV files, or one Excel workbook with a sheet per table, "
            "in the format of the data contract. They are used in this browser session only and "
            "never saved on the server. Start from a template:"
        )
    )
    st.caption(
        _(
            "A sixth table is optional: request_events.csv, the history of each request's status "
            "(without it, stages are estimated from the requests)."
        )
    )
    if page.identity.is_data_manager:
        st.write(
            _(
                "As a data manager you can then publish them for everyone: they are kept on the "
                "server as a new version, and the current one stays in the history."
            )
        )
    left, right, _rest = st.columns([1, 1, 2])
    with left:
        download(
            _("CSV templates (zip)"),
            templates.csv_templates_zip,
            "acpeu-data-templates.zip",
            key="template_zip",
        )
    with right:
        download(
            _("Excel template"),
            lambda: templates.xlsx_template(_),
            contract.WORKBOOK_NAME,
            key="template_xlsx",
        )
    with st.expander(
        _("The data contract: the format your files must follow"), icon=":material/description:"
    ):
        # Our own documentation file, not user data: safe to render as Markdown.
        st.markdown(CONTRACT.read_text(encoding="utf-8"))


def upload(page: PageContext) -> None:
    """The upload: its limits, the file picker and 'Use these files' (checked, then used for
    this session only)."""
    _ = page._
    st.caption(
        _(
            "Limits: {size} MB per file, {rows} rows per table, {chars} characters per cell. "
            "CSV files must be UTF-8 (in Excel: Save as > CSV UTF-8). Workbooks with macros are "
            "refused."
        ).format(
            size=page.number(ui_data.MAX_UPLOAD_MB),
            rows=page.number(contract.MAX_ROWS),
            chars=page.number(contract.MAX_CELL_CHARS),
        )
    )
    files = st.file_uploader(
        _("CSV files or one Excel workbook"),
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key="upload",
        max_upload_size=ui_data.MAX_UPLOAD_MB,
        on_change=_forget_problems,
    )
    if files and st.button(_("Use these files"), type="primary", key="use_upload"):
        with st.spinner(_("Checking the files...")):
            found = ui_data.use_upload(
                [(f.name, f.getvalue()) for f in files],
                keep_files=page.identity.is_data_manager,
            )
        if not found:
            st.rerun()


def _forget_problems() -> None:
    """A new choice of files: the problems of the previous one no longer apply."""
    st.session_state.pop(ui_data.UPLOAD_PROBLEMS_KEY, None)


def upload_problems(page: PageContext) -> None:
    """Why the last upload of this session was refused (nothing when it was not)."""
    refused = ui_data.upload_problems()
    if not refused:
        return
    n = i18n.ngettext(page.lang)
    st.error(
        n(
            "The files have {count} problem and were not used: the dashboard keeps its data.",
            "The files have {count} problems and were not used: the dashboard keeps its data.",
            len(refused),
        ).format(count=page.number(len(refused))),
        icon=":material/error:",
    )
    problem_list(page, refused, "upload")


def problem_list(
    page: PageContext, problems: list[ad.Problem], key: str, warnings: bool = False
) -> None:
    """List problems by file (one expander each, with its count) and offer them all as CSV."""
    _, n, ds = page._, i18n.ngettext(page.lang), page.dataset
    count = len(problems)
    if warnings:
        summary = n("{count} warning, by file:", "{count} warnings, by file:", count)
    else:
        summary = n("{count} problem, by file:", "{count} problems, by file:", count)
    st.write(summary.format(count=page.number(count)))
    download(
        _("Download the list (CSV)"),
        lambda: ui_data.problems_csv(problems, _),
        f"{key}-problems.csv",
        key=f"{key}_problems_csv",
    )
    for file, found in ui_data.by_file(problems).items():
        if warnings:
            per_file = n("{file}: {count} warning", "{file}: {count} warnings", len(found))
        else:
            per_file = n("{file}: {count} problem", "{file}: {count} problems", len(found))
        # File names of uploads are chosen by whoever uploads: escaped, never Markdown.
        label = per_file.format(file=ui_data.escape_markdown(file), count=page.number(len(found)))
        with st.expander(label, expanded=True, icon=":material/description:"):
            if warnings:  # the dataset's own warnings: the same for every filter and session
                shown = memo.for_data(
                    ds,
                    ("warnings", file, page.lang),
                    partial(tables.problems_for_display, found, _),
                )
            else:
                shown = tables.problems_for_display(found, _)
            table(page, shown)
