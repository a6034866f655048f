"""Published versions of the data: a folder per version, never overwritten (no Streamlit here).

    <versions folder>/
        000001/                 one published version
            version.json        number, when (UTC), by whom, comment, row counts, changes
            files/              the files as published (CSV files or one workbook)
        000002/ ...
        .tmp-<random>/          a publication being written (ignored; removed when it fails)
        .lock                   serialises the choice of the next number

A publication writes every file and `version.json` into a temporary folder, flushes them to
disk, and only then renames the folder to the next number (a rename is atomic on one file
system). A crash or a full disk midway leaves the latest version as it was and, at worst, a
`.tmp-` folder that nothing reads. Two publications at the same moment write in parallel and
take numbers one after the other under a file lock: both end up in the history.

`VersionStore` is the interface the dashboard uses; `FolderVersionStore` keeps versions in a
folder as above, `acpeu_data.database_versions.DatabaseVersionStore` in the source database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Protocol

import pandas as pd

from acpeu_data import contract
from acpeu_data.dataset import Dataset

__all__ = [
    "PUBLISHED",
    "ROLLED_BACK",
    "INITIAL",
    "FolderVersionStore",
    "PublishError",
    "Seed",
    "Version",
    "VersionStore",
    "contract_files",
    "default_versions_dir",
    "row_counts",
    "summarize_changes",
]

PUBLISHED = "publish"
ROLLED_BACK = "rollback"
INITIAL = "initial"
ENV_VAR = "ACPEU_VERSIONS_DIR"
_VERSION_DIR = re.compile(r"^\d{6}$")
_META = "version.json"
_FILES = "files"
_TEMP_PREFIX = ".tmp-"
# A temporary folder older than this is left over from a crash: removed at the next publication.
_STALE_TEMP_SECONDS = 24 * 3600

Changes = dict[str, dict[str, int]]  # table -> {"added": n, "removed": n, "changed": n}


class PublishError(Exception):
    """A publication could not be written; the current version is unchanged."""


@dataclass(frozen=True)
class Version:
    """One published version of the data and what is known about it."""

    number: int
    published_at: dt.datetime  # UTC
    by: str | None  # the publisher's e-mail; None for the data folder recorded as version 1
    comment: str
    kind: str = PUBLISHED  # PUBLISHED, ROLLED_BACK (restored_from says which) or INITIAL
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows
    changes: Changes | None = None  # against the previous version; None for the first
    restored_from: int | None = None
    files: tuple[str, ...] = ()
    location: str = ""  # where `acpeu_data.load` reads it (a folder for FolderVersionStore)

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "published_at": self.published_at.isoformat(timespec="seconds"),
            "by": self.by,
            "comment": self.comment,
            "kind": self.kind,
            "counts": self.counts,
            "changes": self.changes,
            "restored_from": self.restored_from,
            "files": list(self.files),
        }

    @classmethod
    def from_json(cls, data: Mapping, location: str) -> Version:
        return cls(
            number=int(data["number"]),
            published_at=dt.datetime.fromisoformat(data["published_at"]),
            by=data.get("by"),
            comment=str(data.get("comment") or ""),
            kind=str(data.get("kind") or PUBLISHED),
            counts={str(k): int(v) for k, v in (data.get("counts") or {}).items()},
            changes=data.get("changes"),
            restored_from=data.get("restored_from"),
            files=tuple(data.get("files") or ()),
            location=location,
        )


@dataclass(frozen=True)
class Seed:
    """The data in use before the first publication, recorded as version 1 so it can come back."""

    folder: Path  # a data folder, or a workbook file
    counts: dict[str, int]


# What the caller computes under the store's lock, once the previous version is known.
ChangesOf = Callable[[Version | None], Changes | None]


class VersionStore(Protocol):
    """Where published versions live. Every method is safe to call from concurrent sessions."""

    def latest(self) -> Version | None:
        """The current version (the highest number), None before the first publication."""

    def history(self) -> list[Version]:
        """Every version, newest first."""

    def get(self, number: int) -> Version | None:
        """The version with this number, None when there is none."""

    def publish(
        self,
        files: Mapping[str, bytes],
        *,
        by: str,
        comment: str,
        counts: Mapping[str, int],
        changes: ChangesOf | None = None,
        seed: Seed | None = None,
    ) -> Version:
        """Record `files` as the next version; raise PublishError when it cannot be written.

        `seed`: the data in use until now, recorded first into an empty store (a store that
        holds the data itself, such as a database, records its own and ignores it).
        """

    def rollback(
        self, number: int, *, by: str, comment: str, changes: ChangesOf | None = None
    ) -> Version:
        """Record version `number`'s files again as the next version (history is kept)."""


def contract_files() -> list[str]:
    """The file names a data folder may hold: one CSV per contract table, or the workbook."""
    return [table.file for table in contract.TABLES.values()] + [contract.WORKBOOK_NAME]


def default_versions_dir(data_location: str | os.PathLike | None, bundled: Path) -> Path:
    """$ACPEU_VERSIONS_DIR, else a folder next to the data: /srv/data -> /srv/data-versions."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    base = Path(data_location).expanduser() if data_location else bundled
    base = Path(os.path.abspath(base))
    return base.parent / f"{base.stem if base.suffix else base.name}-versions"


def _check_name(name: str) -> str:
    if not name or PurePath(name).name != name or name.startswith(".") or "\\" in name:
        raise PublishError(f"{name!r} is not a plain file name")
    return name


def _write_file(target: Path, source: bytes | Path) -> None:
    """Write bytes (or copy a file) to `target` and flush it to the disk."""
    with target.open("xb") as out:
        if isinstance(source, Path):
            with source.open("rb") as src:
                shutil.copyfileobj(src, out, 1024 * 1024)
        else:
            out.write(source)
        out.flush()
        os.fsync(out.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FolderVersionStore:
    """Versions as numbered folders under `root` (see the module's docstring)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    # --- reading ---------------------------------------------------------------------------

    def _read(self, folder: Path) -> Version | None:
        try:
            data = json.loads((folder / _META).read_text(encoding="utf-8"))
            return Version.from_json(data, str(folder / _FILES))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # not a (complete) version

    def _numbers(self) -> list[int]:
        try:
            names = os.listdir(self.root)
        except FileNotFoundError:
            return []
        return sorted((int(n) for n in names if _VERSION_DIR.match(n)), reverse=True)

    def latest(self) -> Version | None:
        for number in self._numbers():
            version = self._read(self.root / f"{number:06d}")
            if version is not None:
                return version
        return None

    def history(self) -> list[Version]:
        found = (self._read(self.root / f"{n:06d}") for n in self._numbers())
        return [v for v in found if v is not None]

    def get(self, number: int) -> Version | None:
        return self._read(self.root / f"{number:06d}")

    # --- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _new_temp(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        temp = self.root / f"{_TEMP_PREFIX}{uuid.uuid4().hex}"
        (temp / _FILES).mkdir(parents=True)
        return temp

    def _remove_stale_temps(self) -> None:
        now = dt.datetime.now().timestamp()
        for temp in self.root.glob(f"{_TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                if now - temp.stat().st_mtime > _STALE_TEMP_SECONDS:
                    shutil.rmtree(temp)

    def _commit(self, temp: Path, make: Callable[[int, Version | None], Version]) -> Version:
        """Under the lock: number the version, write its record, rename the folder into place."""
        with self._lock():
            previous = self.latest()
            number = (previous.number if previous else 0) + 1
            target = self.root / f"{number:06d}"
            version = make(number, previous)
            meta = json.dumps(version.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
            _write_file(temp / _META, meta)
            _fsync_dir(temp / _FILES)
            _fsync_dir(temp)
            os.rename(temp, target)
            _fsync_dir(self.root)
        return self._read(target) or version

    def _write_new(
        self,
        sources: Mapping[str, bytes | Path],
        make: Callable[[int, Version | None], Version],
    ) -> Version:
        temp = self._new_temp()
        try:
            for name, source in sources.items():
                _write_file(temp / _FILES / _check_name(name), source)
            return self._commit(temp, make)
        except (OSError, PublishError) as error:
            shutil.rmtree(temp, ignore_errors=True)
            if isinstance(error, PublishError):
                raise
            reason = error.strerror or str(error)
            raise PublishError(
                f"the new version could not be written ({reason}); the current version is unchanged"
            ) from error

    def publish(
        self,
        files: Mapping[str, bytes],
        *,
        by: str,
        comment: str,
        counts: Mapping[str, int],
        changes: ChangesOf | None = None,
        seed: Seed | None = None,
    ) -> Version:
        if not files:
            raise PublishError("no files to publish")
        self._remove_stale_temps()
        if seed is not None and self.latest() is None:
            self._record_seed(seed)

        def make(number: int, previous: Version | None) -> Version:
            return Version(
                number=number,
                published_at=dt.datetime.now(dt.UTC),
                by=by,
                comment=comment,
                kind=PUBLISHED,
                counts=dict(counts),
                changes=changes(previous) if changes and previous else None,
                files=tuple(sorted(files)),
            )

        return self._write_new(dict(files), make)

    def _record_seed(self, seed: Seed) -> None:
        folder = seed.folder
        if folder.is_file():
            sources = {folder.name: folder}
        else:
            sources = {n: folder / n for n in contract_files() if (folder / n).is_file()}
        if not sources:
            return

        def make(number: int, previous: Version | None) -> Version:
            if previous is not None:  # another session recorded it first
                raise _AlreadySeeded
            return Version(
                number=number,
                published_at=dt.datetime.now(dt.UTC),
                by=None,
                comment="",
                kind=INITIAL,
                counts=dict(seed.counts),
                files=tuple(sorted(sources)),
            )

        with contextlib.suppress(_AlreadySeeded):
            self._write_new(sources, make)

    def rollback(
        self, number: int, *, by: str, comment: str, changes: ChangesOf | None = None
    ) -> Version:
        old = self.get(number)
        if old is None:
            raise PublishError(f"there is no version {number}")
        folder = Path(old.location)
        sources = {name: folder / name for name in old.files}

        def make(new_number: int, previous: Version | None) -> Version:
            return Version(
                number=new_number,
                published_at=dt.datetime.now(dt.UTC),
                by=by,
                comment=comment,
                kind=ROLLED_BACK,
                counts=dict(old.counts),
                changes=changes(previous) if changes and previous else None,
                restored_from=number,
                files=old.files,
            )

        return self._write_new(sources, make)


class _AlreadySeeded(PublishError):
    pass


# --- what changed between two versions -----------------------------------------------------


def row_counts(dataset: Dataset) -> dict[str, int]:
    """Rows per contract table of a loaded Dataset."""
    return {
        name: len(frame)
        for name in contract.TABLES
        if isinstance(frame := getattr(dataset, name, None), pd.DataFrame)
    }


def _row_hashes(frame: pd.DataFrame, table: str) -> pd.Series:
    """One 64-bit hash per row over the contract's columns (extra columns are ignored).

    Typed columns are hashed as they are (dates as dates, numbers as numbers), so a file and
    the same table read from a workbook hash alike; list columns are hashed as their text
    (both sides come from the same loader, so equal lists give equal text).
    """
    schema = contract.TABLES[table]
    columns = {}
    for column in schema.columns:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        if column.type.startswith("list_"):
            values = values.astype(str)
        columns[column.name] = values
    comparable = pd.DataFrame(columns, index=frame.index)
    try:
        hashes = pd.util.hash_pandas_object(comparable, index=False)
    except TypeError:  # a cell pandas cannot hash (an unexpected list): compare as text
        hashes = pd.util.hash_pandas_object(comparable.astype(str), index=False)
    if schema.key and schema.key in frame.columns:
        hashes.index = pd.Index(frame[schema.key].to_numpy(dtype=object))
    return hashes


def summarize_changes(old, new) -> Changes:
    """Rows added, removed and changed per table between two loaded Datasets.

    Rows are matched on the table's key (request_id, meeting_id, ...): a key in both whose
    contract columns differ is changed. A table without a key (participation) is compared as
    a multiset of rows: an edited row counts as one removed and one added.
    """
    result: Changes = {}
    for name, schema in contract.TABLES.items():
        before, after = getattr(old, name, None), getattr(new, name, None)
        if not isinstance(after, pd.DataFrame):
            continue
        if not isinstance(before, pd.DataFrame):
            result[name] = {"added": len(after), "removed": 0, "changed": 0}
            continue
        a, b = _row_hashes(before, name), _row_hashes(after, name)
        if schema.key:
            # Keys are unique (the loader checks it), so index operations match rows.
            common = a.index.intersection(b.index)
            changed = int((a.reindex(common).to_numpy() != b.reindex(common).to_numpy()).sum())
            result[name] = {
                "added": len(b) - len(common),
                "removed": len(a) - len(common),
                "changed": changed,
            }
        else:
            counts_a, counts_b = a.value_counts(), b.value_counts()
            both = counts_a.index.union(counts_b.index)
            ca = counts_a.reindex(both, fill_value=0)
            cb = counts_b.reindex(both, fill_value=0)
            result[name] = {
                "added": int((cb - ca).clip(lower=0).sum()),
                "removed": int((ca - cb).clip(lower=0).sum()),
                "changed": 0,
            }
    return result
