"""Data (/data): what data is loaded, where it comes from, its problems, and bringing your own.

Text that comes from data files (file names, paths, values) is shown in tables or escaped, so
a cell never becomes Markdown or HTML on screen.
"""

from functools import partial
from pathlib import Path

import streamlit as st

import acpeu_data as ad
from acpeu_data import contract, export, i18n, tables, templates
from ui import auth, memo, publishing, store
from ui import data as ui_data
from ui.screen import current_page
from ui.widgets import download, table

CONTRACT = Path(__file__).resolve().parent.parent / "docs" / "data-contract.md"

page = current_page()
_ = page._
n = i18n.ngettext(page.lang)
ds, state = page.dataset, page.state
identity = page.identity
# Versions are kept in the versions folder, or in the database when the source is one.
can_publish = identity.is_data_manager


def show_problems(problems, key: str, warnings: bool = False) -> None:
    """List problems by file (one expander each, with its count) and offer them all as CSV."""
    count = len(problems)
    if warnings:
        summary = n("{count} warning, by file:", "{count} warnings, by file:", count)
        per_file = lambda k: n("{file}: {count} warning", "{file}: {count} warnings", k)  # noqa: E731
    else:
        summary = n("{count} problem, by file:", "{count} problems, by file:", count)
        per_file = lambda k: n("{file}: {count} problem", "{file}: {count} problems", k)  # noqa: E731
    st.write(summary.format(count=page.number(count)))
    download(
        _("Download the list (CSV)"),
        lambda: ui_data.problems_csv(problems, _),
        f"{key}-problems.csv",
        key=f"{key}_problems_csv",
    )
    for file, found in ui_data.by_file(problems).items():
        # File names of uploads are chosen by whoever uploads: escaped, never Markdown.
        label = per_file(len(found)).format(
            file=ui_data.escape_markdown(file), count=page.number(len(found))
        )
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


def back_label() -> str:
    """Return the label of the button that drops the upload, naming where it goes back to."""
    if ui_data.configured_url() is not None:
        return _("Back to the database")
    folder = ui_data.configured_folder()
    if folder is None or folder.resolve() == ui_data.BUNDLED_DIR:
        return _("Back to the bundled data")
    return _("Back to the data folder")


def forget_problems() -> None:
    """A new choice of files: the problems of the previous one no longer apply."""
    st.session_state.pop(ui_data.UPLOAD_PROBLEMS_KEY, None)


if not identity.sign_in:
    auth.open_server_warning(_)
publishing.show_flash()

if state.problems and state.is_database:
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
    show_problems(state.problems, "database")
elif state.problems:
    st.header(_("Problems in the data folder"), anchor=False)
    st.text(state.failed_origin)
    st.write(
        _(
            "These files were not used: fix the problems in the files (a spreadsheet program "
            "shows the row numbers used here), save, and reload this page."
        )
    )
    show_problems(state.problems, "folder")

st.header(_("Data in use"), anchor=False)
if state.is_upload:
    st.write(_("Your uploaded files (this browser session only; nothing is saved on the server)."))
    st.button(back_label(), on_click=ui_data.forget_upload, icon=":material/undo:", key="back")
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

st.header(_("Where the records come from"), anchor=False)
table(page, memo.for_data(ds, ("sources", page.lang), lambda: tables.sources_for_display(ds, _)))

if any(ds.illustrative.values()):
    st.header(_("Which records are illustrative"), anchor=tables.illustrative_anchor(_))
    st.write(
        _(
            "These records are made up (their source is 'illustrative'), so that the dashboard "
            "has something realistic to show between the published figures. They are not facts "
            "about any country or organisation. The switch 'Public sources only' in the sidebar "
            "leaves them out of every page."
        )
    )
    tables_with = [t for t in ("requests", "meetings", "participation") if ds.illustrative.get(t)]
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

if ds.warnings:
    st.header(_("Warnings (the data is used, but have a look)"), anchor=False)
    show_problems(ds.warnings, "warnings", warnings=True)

try:
    history = store.version_store().history()
except ad.DataError:  # the database cannot be read: its problems are listed above
    history = []
if history or can_publish:
    st.header(_("Published versions"), anchor=False)
if history:
    st.write(
        _(
            "Every publication is kept: who published it, when, why, its rows and what "
            "changed since the version before. Everyone sees the newest."
        )
    )
    table(page, publishing.history_frame(history, _, page.lang))
elif can_publish and ui_data.configured_url() is not None:
    st.write(
        _(
            "Nothing has been published yet: everyone sees the tables of the database. Upload "
            "files below, check them, and publish them for everyone: they replace the tables, "
            "and the data in them now is kept as version 1."
        )
    )
elif can_publish:
    st.write(
        _(
            "Nothing has been published yet: everyone sees the data folder. Upload files "
            "below, check them, and publish them for everyone."
        )
    )
if can_publish and len(history) > 1:
    with st.form("rollback", border=True):
        st.subheader(_("Make an earlier version current again"), anchor=False)
        earlier = {v.number: v for v in history[1:]}
        chosen = st.selectbox(
            _("Version"),
            list(earlier),
            format_func=lambda number: _("Version {number} of {when}: {comment}").format(
                number=number,
                when=publishing.when(earlier[number].published_at, page.lang),
                comment=earlier[number].comment or publishing.kind_text(earlier[number], _),
            ),
            key="rollback_version",
        )
        reason = st.text_input(
            _("Why (a short comment, kept in the history)"),
            max_chars=publishing.MAX_COMMENT_CHARS,
            key="rollback_comment",
        )
        if st.form_submit_button(_("Make this version current again"), icon=":material/history:"):
            if not reason.strip():
                st.error(_("Write a short comment first: it tells the others why."))
            else:
                publishing.roll_back(identity, chosen, reason.strip(), _)
                st.rerun()

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
if can_publish:
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
st.caption(
    _(
        "Limits: {size} MB per file, {rows} rows per table, {chars} characters per cell. "
        "CSV files must be UTF-8 (in Excel: Save as > CSV UTF-8). Workbooks with macros are refused."
    ).format(
        size=page.number(ui_data.MAX_UPLOAD_MB),
        rows=page.number(contract.MAX_ROWS),
        chars=page.number(contract.MAX_CELL_CHARS),
    )
)
uploads = st.file_uploader(
    _("CSV files or one Excel workbook"),
    type=["csv", "xlsx"],
    accept_multiple_files=True,
    key="upload",
    max_upload_size=ui_data.MAX_UPLOAD_MB,
    on_change=forget_problems,
)
if uploads and st.button(_("Use these files"), type="primary", key="use_upload"):
    with st.spinner(_("Checking the files...")):
        found = ui_data.use_upload(
            [(f.name, f.getvalue()) for f in uploads], keep_files=identity.is_data_manager
        )
    if not found:
        st.rerun()

if can_publish and state.is_upload and st.session_state.get(ui_data.UPLOAD_FILES_KEY):
    with st.form("publish", border=True):
        st.subheader(_("Publish these files for everyone"), anchor=False)
        st.write(
            _(
                "The files you uploaded have no errors and are what you see now. Publishing "
                "keeps them as a new version: everyone sees them from their next click, and "
                "the version before stays in the history."
            )
        )
        comment = st.text_input(
            _("What is new (a short comment, kept in the history)"),
            max_chars=publishing.MAX_COMMENT_CHARS,
            key="publish_comment",
        )
        if st.form_submit_button(_("Publish"), type="primary", icon=":material/publish:"):
            if not comment.strip():
                st.error(_("Write a short comment first: it tells the others what changed."))
            else:
                with st.spinner(_("Publishing...")):
                    publishing.publish_upload(identity, comment.strip(), _)
                st.rerun()

refused = ui_data.upload_problems()
if refused:
    st.error(
        n(
            "The files have {count} problem and were not used: the dashboard keeps its data.",
            "The files have {count} problems and were not used: the dashboard keeps its data.",
            len(refused),
        ).format(count=page.number(len(refused))),
        icon=":material/error:",
    )
    show_problems(refused, "upload")

if identity.is_data_manager:
    st.header(_("Audit log"), anchor=False)
    log = store.audit_log()
    events = log.read(last=publishing.AUDIT_ROWS_SHOWN)
    st.write(
        _(
            "Sign-ins, refusals, publications and rollbacks, newest first (the last {count})."
        ).format(count=page.number(publishing.AUDIT_ROWS_SHOWN))
    )
    table(page, publishing.audit_frame(events, _))
    download(
        _("Download the audit log (JSON lines)"), log.raw, "acpeu-audit.jsonl", key="audit_download"
    )
