"""Which dataset a session sees: the session's upload, else the configured database, else the
latest published version (ui/publishing.py), else the configured folder, else the bundled data.

A database (ACPEU_DATA_URL, or [connections.programme] url in .streamlit/secrets.toml) wins
over a folder; it is asked whether its data changed at most once per check_seconds (default
60) per server, and re-read only when it did. Versions published to a database are kept in it
(acpeu_data.database_versions): its tables are the latest version, earlier ones are read from
the rows kept of them.

Datasets are cached with st.cache_resource, keyed by the data files' version (names, sizes and
modification times), so one copy is shared by every session and a changed file is re-read on the
next rerun without a restart. Pages treat the frames as read-only (pandas copy-on-write keeps a
derived frame from writing through to the cached one).
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import re
import string
import sys
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

import acpeu_data as ad
from acpeu_data import contract, database, export, tables
from acpeu_data.database_versions import DatabaseVersionStore
from acpeu_data.i18n import Translate
from acpeu_data.load import BUNDLED_DIR, prepare
from acpeu_data.validate import N_, make
from acpeu_data.versions import Version
from ui import memo

UPLOAD_KEY = "uploaded_dataset"
UPLOAD_PROBLEMS_KEY = "upload_problems"
UPLOAD_FILES_KEY = "uploaded_files"  # the upload's bytes, kept for a data manager to publish
# Each uploaded file, as the loader allows (Streamlit's server.maxUploadSize is set to the same).
MAX_UPLOAD_MB = contract.MAX_FILE_BYTES // 2**20

# CommonMark lets a backslash escape any ASCII punctuation, which turns off every Markdown
# construct (emphasis, links, HTML tags, Streamlit's :colour[...] and :material/...: codes).
_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


@dataclass(frozen=True)
class DataState:
    """The dataset a page shows, and what went wrong with the one it was meant to show."""

    dataset: ad.Dataset | None  # None only when no data at all can be read (not even bundled)
    problems: list[ad.Problem] = field(default_factory=list)  # errors of the configured folder
    failed_origin: str | None = None  # the folder that has those errors (its name, not a path)
    is_upload: bool = False
    version: Version | None = None  # the published version shown (None: a folder or upload)
    is_database: bool = False  # the configured source is a database (ACPEU_DATA_URL)


def configured_folder() -> Path | None:
    """Return the folder from `streamlit run dashboard.py -- --data DIR`, else ACPEU_DATA_DIR."""
    folder = _data_argument(tuple(sys.argv[1:])) or os.environ.get("ACPEU_DATA_DIR")
    return Path(folder).expanduser() if folder else None


@functools.cache
def _data_argument(argv: tuple[str, ...]) -> str | None:
    # Parsed once per command line (a parser costs about 0.3 ms, and this is read on each rerun).
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _unknown = parser.parse_known_args(list(argv))
    return args.data


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
    # The last dataset of each database or folder that passed every check, for every session:
    # a broken or unreachable source leaves the dashboard on it, also for a session that
    # starts then.
    return {}


def _bundled() -> ad.Dataset | None:
    """Return the bundled data, or None when not even it can be read."""
    result = _load(BUNDLED_DIR)
    return result if isinstance(result, ad.Dataset) else None


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
    prepare(ds)
    return ds


def _load(origin: Path) -> ad.Dataset | ad.DataError:
    try:
        version = ad.data_version(origin)
    except ad.DataError as error:
        return error
    return _load_version(str(origin), version)


def current() -> DataState:
    """Return the session's upload if any, else the configured folder, else the bundled data.

    A folder that cannot be used (errors in its files, or an OS error such as a missing or
    unreadable file) is replaced by its last good data, else by the bundled data; the state
    carries its problems for the banner. Only when not even the bundled data can be read is
    the dataset None.
    """
    uploads().forget_ended()
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is not None:
        return DataState(dataset=uploaded, is_upload=True)
    url = configured_url()
    if url is not None:
        result = _load_database(url)
        if isinstance(result, ad.Dataset):
            _last_good()[url] = result
            version = _published_in_database(url, result)
            return DataState(dataset=result, is_database=True, version=version)
        fallback = _last_good().get(url) or _bundled()
        return DataState(
            dataset=fallback,
            problems=result.problems,
            failed_origin=database.display_url(url),
            is_database=True,
        )
    published = _published()
    if published is not None:
        return published
    folder = configured_folder()
    if folder is not None:
        result = _load(folder)
        if isinstance(result, ad.Dataset):
            _last_good()[str(folder)] = result
            return DataState(dataset=result)
        # A folder with errors is not used: keep its last good data, else the bundled data.
        fallback = _last_good().get(str(folder)) or _bundled()
        return DataState(dataset=fallback, problems=result.problems, failed_origin=folder.name)
    bundled = _load(BUNDLED_DIR)
    if isinstance(bundled, ad.DataError):
        return DataState(dataset=None, problems=bundled.problems, failed_origin=BUNDLED_DIR.name)
    return DataState(dataset=bundled)


def _published() -> DataState | None:
    """The latest published version, read again on every rerun (a listing and a small file)."""
    from ui import store  # ui.store reads configured_folder from here

    try:
        latest = store.version_store().latest()
    except OSError:
        return None
    if latest is None:
        return None
    result = _load(Path(latest.location))
    if isinstance(result, ad.Dataset):
        _last_good()["published"] = result
        return DataState(dataset=result, version=latest)
    # Checked before it was published, so only a later change of the rules can get here.
    fallback = _last_good().get("published") or _bundled()
    return DataState(
        dataset=fallback, problems=result.problems, failed_origin=f"version {latest.number}"
    )


def _published_in_database(url: str, ds: ad.Dataset) -> Version | None:
    """The published version the database's tables hold (None: none, or changed otherwise)."""
    try:
        return _database_version(url, ds.version, ds)
    except ad.DataError:  # not cached: asked again at the next rerun
        return None


@st.cache_resource(show_spinner=False, max_entries=8)
def _database_version(url: str, version: tuple, _dataset: ad.Dataset) -> Version | None:
    # Asked once per data version: every publication and rollback moves the version row.
    del version
    return DatabaseVersionStore(url).version_of(_dataset)


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_from_database(url: str, number: int) -> ad.Dataset:
    # A published version never changes: kept until pushed out. DataError is not cached.
    store = DatabaseVersionStore(url)
    version = store.get(number)
    if version is None:
        raise ad.DataError([])
    ds = store.load(version)
    prepare(ds)
    return ds


def load_version(version: Version) -> ad.Dataset | None:
    """A published version's dataset (shared cache), None when it no longer loads."""
    if database.is_url(version.location):  # kept in the database (DatabaseVersionStore)
        try:
            return _load_from_database(version.location, version.number)
        except ad.DataError:
            return None
    result = _load(Path(version.location))
    return result if isinstance(result, ad.Dataset) else None


def load_configured() -> ad.Dataset | None:
    """The configured folder's (else the bundled) dataset, None when it has errors."""
    result = _load(configured_folder() or BUNDLED_DIR)
    return result if isinstance(result, ad.Dataset) else None


def source_label(ds: ad.Dataset, translate: Translate) -> str:
    """Return where the data comes from in words, naming a folder by its name only.

    Shown on screen and written in downloads: it never discloses a path on the server.
    """
    _ = translate
    if ds.version[:1] == ("database",):
        return ds.origin  # the database's URL without its password (database.display_url)
    if ds.origin == "upload":
        return _("files uploaded in this browser session")
    if ds.is_bundled:
        return _("the bundled data")
    return _("the configured data folder ({name})").format(name=Path(ds.origin).name)


class Uploads:
    """The uploaded datasets held in memory by all sessions, within one server-wide budget.

    A dataset is counted from its admission until it is garbage: when its session drops it
    ("Back to ...", a new upload) or ends. What the memo stores built from it is then forgotten
    (at the next page run of any session: forgetting takes locks a garbage collection must not).
    """

    def __init__(self, budget: int):
        self.budget = budget
        self._held: dict[int, tuple[tuple, int]] = {}  # id(dataset) -> (version, bytes)
        self._ended: list[tuple] = []
        self._lock = threading.Lock()

    @property
    def held_bytes(self) -> int:
        return sum(size for _version, size in list(self._held.values()))

    def admit(self, dataset: ad.Dataset, replacing: ad.Dataset | None = None) -> ad.Problem | None:
        """Count `dataset` in, or return the problem that refuses it (over the budget)."""
        size = dataset_bytes(dataset)
        with self._lock:
            others = self.held_bytes - self._held.get(id(replacing), ((), 0))[1]
            if others + size > self.budget:
                gc.collect()  # datasets of ended sessions that only a collection frees
                others = self.held_bytes - self._held.get(id(replacing), ((), 0))[1]
            if others + size > self.budget:
                return _over_budget(size, others, self.budget)
            self._held[id(dataset)] = (dataset.version, size)
            weakref.finalize(dataset, self._release, id(dataset), dataset.version)
        return None

    def _release(self, key: int, version: tuple) -> None:
        # Called by the garbage collector, in whatever thread it runs: no lock, atomic steps only.
        self._held.pop(key, None)
        self._ended.append(version)

    def forget_ended(self) -> None:
        """Drop from the memo stores what was built from uploads no session holds any more."""
        while self._ended:
            version = self._ended.pop()
            if all(held != version for held, _size in list(self._held.values())):
                memo.forget_data("upload", version)


def _over_budget(size: int, others: int, budget: int) -> ad.Problem:
    message = N_(
        "the server holds too much uploaded data right now: this upload needs {size} MB in "
        "memory and {free} MB of the {limit} MB for uploads are free. Try again later, or ask "
        "for the data to be placed in the data folder"
    )
    return make(
        "upload",
        None,
        None,
        None,
        message,
        size=format(-(-size // 2**20), ","),
        free=format(max(budget - others, 0) // 2**20, ","),
        limit=format(budget // 2**20, ","),
    )


def dataset_bytes(dataset: ad.Dataset) -> int:
    """Return the memory a dataset holds: its tables, every Python object they point to included."""
    return sum(
        int(getattr(dataset, table).memory_usage(index=True, deep=True).sum())
        for table in contract.TABLES
    )


@st.cache_resource(show_spinner=False)
def uploads() -> Uploads:
    """The server's ledger of uploads in memory."""
    return Uploads(contract.MAX_UPLOADS_IN_MEMORY_BYTES)


def use_upload(files: list[tuple[str, bytes]], *, keep_files: bool = False) -> list[ad.Problem]:
    """Load uploaded files for this session only; return their problems (empty when used).

    Files with errors, or beyond the server's memory budget for uploads, leave the session's
    data as it was; their problems stay in the session (upload_problems()) until the next
    upload or "Back to the bundled data".
    """
    try:
        dataset = ad.load_files(files, time_limit=contract.MAX_UPLOAD_READ_SECONDS)
        prepare(dataset)
    except ad.DataError as error:
        st.session_state[UPLOAD_PROBLEMS_KEY] = error.problems
        return error.problems
    refused = uploads().admit(dataset, replacing=st.session_state.get(UPLOAD_KEY))
    if refused is not None:
        st.session_state[UPLOAD_PROBLEMS_KEY] = [refused]
        return [refused]
    st.session_state[UPLOAD_KEY] = dataset
    st.session_state.pop(UPLOAD_PROBLEMS_KEY, None)
    if keep_files:
        st.session_state[UPLOAD_FILES_KEY] = dict(files)
    return []


def upload_problems() -> list[ad.Problem]:
    """Return the errors of this session's last refused upload (empty when none)."""
    return list(st.session_state.get(UPLOAD_PROBLEMS_KEY, []))


def forget_upload() -> None:
    """Go back to the configured or bundled data for this session."""
    st.session_state.pop(UPLOAD_KEY, None)
    st.session_state.pop(UPLOAD_PROBLEMS_KEY, None)
    st.session_state.pop(UPLOAD_FILES_KEY, None)


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
