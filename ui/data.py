"""Which dataset a session sees: the configured database or folder, the bundled data, or the
session's upload.

A database (ACPEU_DATA_URL, or [connections.programme] url in .streamlit/secrets.toml) wins
over a folder; it is asked whether its data changed at most once per check_seconds (default
60) per server, and re-read only when it did.

Datasets are cached with st.cache_resource, keyed by the data files' version (names, sizes and
modification times), so one copy is shared by every session and a changed file is re-read on the
next rerun without a restart. Pages treat the frames as read-only (pandas copy-on-write keeps a
derived frame from writing through to the cached one).
"""

from __future__ import annotations

import argparse
import os
import re
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

import acpeu_data as ad
from acpeu_data import contract, database, export, metrics, tables
from acpeu_data.i18n import Translate
from acpeu_data.load import BUNDLED_DIR

UPLOAD_KEY = "uploaded_dataset"
UPLOAD_PROBLEMS_KEY = "upload_problems"
# Each uploaded file, as the loader allows (Streamlit's server.maxUploadSize is set to the same).
MAX_UPLOAD_MB = contract.MAX_FILE_BYTES // 2**20

# CommonMark lets a backslash escape any ASCII punctuation, which turns off every Markdown
# construct (emphasis, links, HTML tags, Streamlit's :colour[...] and :material/...: codes).
_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


@dataclass(frozen=True)
class DataState:
    """The dataset a page shows, and what went wrong with the one it was meant to show."""

    dataset: ad.Dataset
    problems: list[ad.Problem] = field(default_factory=list)  # errors of the configured folder
    failed_origin: str | None = None  # the folder that has those errors
    is_upload: bool = False
    is_database: bool = False  # the configured source is a database (ACPEU_DATA_URL)


def configured_folder() -> Path | None:
    """Return the folder from `streamlit run dashboard.py -- --data DIR`, else ACPEU_DATA_DIR."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _unknown = parser.parse_known_args(sys.argv[1:])
    folder = args.data or os.environ.get("ACPEU_DATA_DIR")
    return Path(folder).expanduser() if folder else None


def _database_settings() -> dict:
    # [connections.programme] in .streamlit/secrets.toml; {} when there is no secrets file.
    try:
        section = st.secrets.get("connections", {}).get("programme", {})
        return dict(section) if hasattr(section, "keys") else {}
    except Exception:  # no secrets.toml, or one that does not parse: no database from it
        return {}


def configured_url() -> str | None:
    """Return the database URL: $ACPEU_DATA_URL, else [connections.programme] url in secrets."""
    url = os.environ.get(database.URL_ENV) or _database_settings().get("url")
    return str(url).strip() if url else None


def check_seconds() -> float:
    """Return how often (seconds) the database is asked whether its data changed (default 60)."""
    configured = os.environ.get(database.CHECK_ENV) or _database_settings().get("check_seconds")
    return database.check_seconds(configured)


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[str, ad.Dataset]:
    # The last dataset of each database that passed every check, for every session: a broken
    # or unreachable database leaves the dashboard on it, also for a session that starts then.
    return {}


def _load_database(url: str) -> ad.Dataset | ad.DataError:
    try:
        version = database.checked_version(url, check_seconds())
    except ad.DataError as error:
        return error
    result = _load_version(url, version)
    if isinstance(result, ad.DataError) and any(
        p.file == database.display_url(url) for p in result.problems
    ):
        # The database could not be reached while reading (not a fault in the data): try
        # again at the next rerun instead of keeping the failure for this version.
        _load_version.clear(url, version)
    return result


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_version(origin: str, version: tuple) -> ad.Dataset | ad.DataError:
    # The version is part of the key only: a new version means a new entry.
    del version
    try:
        ds = ad.load(origin)
    except ad.DataError as error:
        return error
    metrics.prepare(ds)
    return ds


def _load(origin: Path) -> ad.Dataset | ad.DataError:
    try:
        version = ad.data_version(origin)
    except ad.DataError as error:
        return error
    return _load_version(str(origin), version)


def current() -> DataState:
    """Return the session's upload if any, else the configured folder, else the bundled data."""
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is not None:
        return DataState(dataset=uploaded, is_upload=True)
    url = configured_url()
    if url is not None:
        result = _load_database(url)
        if isinstance(result, ad.Dataset):
            _last_good()[url] = result
            return DataState(dataset=result, is_database=True)
        fallback = _last_good().get(url) or _load(BUNDLED_DIR)
        return DataState(
            dataset=fallback,
            problems=result.problems,
            failed_origin=database.display_url(url),
            is_database=True,
        )
    folder = configured_folder()
    if folder is not None:
        result = _load(folder)
        if isinstance(result, ad.Dataset):
            st.session_state["last_good_dataset"] = result
            return DataState(dataset=result)
        # A folder with errors is not used: keep what this session had, else the bundled data.
        fallback = st.session_state.get("last_good_dataset")
        if fallback is None:
            fallback = _load(BUNDLED_DIR)
        return DataState(dataset=fallback, problems=result.problems, failed_origin=str(folder))
    return DataState(dataset=_load(BUNDLED_DIR))


def use_upload(files: dict[str, bytes]) -> list[ad.Problem]:
    """Load uploaded files for this session only; return their problems (empty when used).

    Files with errors leave the session's data as it was; their problems stay in the session
    (upload_problems()) until the next upload or "Back to the bundled data".
    """
    try:
        dataset = ad.load_files(files, time_limit=contract.MAX_UPLOAD_READ_SECONDS)
        metrics.prepare(dataset)
    except ad.DataError as error:
        st.session_state[UPLOAD_PROBLEMS_KEY] = error.problems
        return error.problems
    st.session_state[UPLOAD_KEY] = dataset
    st.session_state.pop(UPLOAD_PROBLEMS_KEY, None)
    return []


def upload_problems() -> list[ad.Problem]:
    """Return the errors of this session's last refused upload (empty when none)."""
    return list(st.session_state.get(UPLOAD_PROBLEMS_KEY, []))


def forget_upload() -> None:
    """Go back to the configured or bundled data for this session."""
    st.session_state.pop(UPLOAD_KEY, None)
    st.session_state.pop(UPLOAD_PROBLEMS_KEY, None)


def escape_markdown(text: object) -> str:
    """Return `text` so that Markdown shows it literally (for data text in captions, alerts)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def by_file(problems: list[ad.Problem]) -> dict[str, list[ad.Problem]]:
    """Return the problems grouped by file, in the order the files first appear."""
    groups: dict[str, list[ad.Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.file, []).append(problem)
    return groups


def problems_csv(problems: list[ad.Problem], translate: Translate) -> bytes:
    """Return the problem list as UTF-8 CSV; a cell a spreadsheet would run gets an apostrophe."""
    frame = tables.problems_for_display(problems, translate)
    for column in frame.columns:
        frame[column] = frame[column].map(
            lambda v: export.escape_formula(v) if isinstance(v, str) else v
        )
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
