"""Where published versions and the audit log live, for the app (settings from the environment).

With a database source (ACPEU_DATA_URL, or [connections.programme] url in secrets.toml) the
versions are kept in that database (acpeu_data.database_versions). Otherwise:
ACPEU_VERSIONS_DIR: the versions folder (default: next to the data folder, e.g. /srv/data ->
/srv/data-versions; next to the bundled data/ when ACPEU_DATA_DIR is not set).
ACPEU_AUDIT_LOG: the audit log file (default: audit.jsonl in the versions folder).
"""

from __future__ import annotations

import os
from pathlib import Path

from acpeu_data.audit import AuditLog
from acpeu_data.database_versions import DatabaseVersionStore
from acpeu_data.load import BUNDLED_DIR
from acpeu_data.versions import FolderVersionStore, VersionStore, default_versions_dir

AUDIT_ENV_VAR = "ACPEU_AUDIT_LOG"


def _data_location() -> str | None:
    # The same setting ui.data reads (`-- --data DIR` or ACPEU_DATA_DIR), without importing
    # Streamlit's side of it here.
    from ui.data import configured_folder

    folder = configured_folder()
    return str(folder) if folder is not None else None


def versions_dir() -> Path:
    return default_versions_dir(_data_location(), BUNDLED_DIR)


def version_store() -> VersionStore:
    """The store every session reads the latest published version from."""
    from ui.data import configured_url

    url = configured_url()
    if url is not None:
        return DatabaseVersionStore(url)
    return FolderVersionStore(versions_dir())


def audit_log() -> AuditLog:
    configured = os.environ.get(AUDIT_ENV_VAR)
    return AuditLog(Path(configured).expanduser() if configured else versions_dir() / "audit.jsonl")
