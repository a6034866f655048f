"""The version store: publication, history, rollback, atomicity under faults, concurrency."""

from __future__ import annotations

import errno
import multiprocessing
from pathlib import Path

import pytest

import acpeu_data as ad
from acpeu_data import versions
from acpeu_data.versions import FolderVersionStore, PublishError, Seed


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_an_empty_store_has_no_version(tmp_path):
    store = FolderVersionStore(tmp_path / "versions")
    assert store.latest() is None and store.history() == []


def test_publish_keeps_every_version_with_its_files(tmp_path, valid_dir, data_copy):
    store = FolderVersionStore(tmp_path / "versions")
    first = store.publish(
        _files(valid_dir), by="alice@example.org", comment="first", counts={"requests": 5}
    )
    data_copy.add_row(
        "requests.csv",
        request_id="R-100",
        received_on="2018-01-02",
        requester_type="government",
        requester="KEN",
        topics="visas",
        status="received",
        title="New",
        source="illustrative",
    )
    second = store.publish(
        _files(data_copy.path), by="bob@example.org", comment="second", counts={"requests": 6}
    )
    assert (first.number, second.number) == (1, 2)
    assert store.latest() == second
    assert [v.number for v in store.history()] == [2, 1]
    assert second.by == "bob@example.org" and second.comment == "second"
    assert second.counts == {"requests": 6}
    assert second.published_at >= first.published_at
    # Nothing was overwritten: each version loads as it was published.
    assert len(ad.load(first.location).requests) == 5
    assert len(ad.load(second.location).requests) == 6
    assert (Path(first.location) / "requests.csv").read_bytes() == (
        valid_dir / "requests.csv"
    ).read_bytes()


def test_every_file_is_kept_not_a_fixed_list(tmp_path, valid_dir):
    store = FolderVersionStore(tmp_path / "versions")
    files = {**_files(valid_dir), "request_events.csv": b"request_id,on\nR-001,2016-01-01\n"}
    version = store.publish(files, by="a@example.org", comment="", counts={})
    assert sorted(p.name for p in Path(version.location).iterdir()) == sorted(files)


def test_a_file_name_with_a_path_is_refused(tmp_path):
    store = FolderVersionStore(tmp_path / "versions")
    with pytest.raises(PublishError, match="not a plain file name"):
        store.publish({"../requests.csv": b"x"}, by="a@example.org", comment="", counts={})
    assert store.latest() is None
    assert not (tmp_path / "requests.csv").exists()


def test_the_data_in_use_is_recorded_first_so_it_can_come_back(tmp_path, valid_dir, data_copy):
    store = FolderVersionStore(tmp_path / "versions")
    data_copy.delete("requests.csv")  # the new data differs
    seed = Seed(valid_dir, counts={"requests": 5})
    version = store.publish(
        _files(valid_dir), by="a@example.org", comment="c", counts={}, seed=seed
    )
    initial = store.get(1)
    assert initial.kind == versions.INITIAL and initial.by is None
    assert initial.counts == {"requests": 5}
    assert sorted(initial.files) == sorted(p.name for p in valid_dir.glob("*.csv"))
    assert version.number == 2
    # A seed is recorded only into an empty store.
    again = store.publish(_files(valid_dir), by="a@example.org", comment="", counts={}, seed=seed)
    assert again.number == 3
    assert [v.kind for v in store.history()].count(versions.INITIAL) == 1


def test_rollback_is_a_new_version_with_the_old_files(tmp_path, valid_dir, data_copy):
    store = FolderVersionStore(tmp_path / "versions")
    store.publish(_files(valid_dir), by="a@example.org", comment="good", counts={"requests": 5})
    data_copy.set_cell("requests.csv", 2, "title", "Changed")
    store.publish(_files(data_copy.path), by="a@example.org", comment="bad", counts={"requests": 5})
    seen = []
    back = store.rollback(
        1, by="b@example.org", comment="undo", changes=lambda prev: seen.append(prev.number) or {}
    )
    assert back.number == 3 and back.kind == versions.ROLLED_BACK and back.restored_from == 1
    assert seen == [2]  # the change summary is computed against the version it replaces
    assert back.counts == {"requests": 5}
    assert store.latest() == back
    assert [v.number for v in store.history()] == [3, 2, 1]
    assert (Path(back.location) / "requests.csv").read_bytes() == (
        valid_dir / "requests.csv"
    ).read_bytes()
    with pytest.raises(PublishError, match="no version 9"):
        store.rollback(9, by="b@example.org", comment="")


@pytest.mark.parametrize("fail_at", [1, 3, "meta"])
def test_a_failure_mid_write_leaves_the_current_version_intact(
    tmp_path, valid_dir, data_copy, monkeypatch, fail_at
):
    store = FolderVersionStore(tmp_path / "versions")
    current = store.publish(_files(valid_dir), by="a@example.org", comment="good", counts={})
    before = {p.name: p.read_bytes() for p in Path(current.location).iterdir()}
    real_write = versions._write_file
    written = []

    def failing_write(target, source):
        written.append(target.name)
        if (fail_at == "meta" and target.name == "version.json") or len(written) == fail_at:
            if isinstance(source, bytes):  # half the file reached the disk, then it was full
                target.write_bytes(source[: len(source) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(target, source)

    monkeypatch.setattr(versions, "_write_file", failing_write)
    data_copy.set_cell("requests.csv", 2, "title", "Changed")
    with pytest.raises(PublishError, match="No space left on device.*current version is unchanged"):
        store.publish(_files(data_copy.path), by="b@example.org", comment="x", counts={})
    assert store.latest() == current
    assert [v.number for v in store.history()] == [1]
    assert {p.name: p.read_bytes() for p in Path(current.location).iterdir()} == before
    assert sorted(p.name for p in store.root.iterdir()) == [".lock", "000001"]  # temp removed
    assert len(ad.load(store.latest().location).requests) == 5


def test_a_half_written_version_from_a_crash_is_ignored(tmp_path, valid_dir):
    store = FolderVersionStore(tmp_path / "versions")
    current = store.publish(_files(valid_dir), by="a@example.org", comment="", counts={})
    crashed = store.root / ".tmp-0123456789abcdef" / "files"
    crashed.mkdir(parents=True)
    (crashed / "requests.csv").write_bytes(b"request_id\nR-1")
    (store.root / "000002").mkdir()  # a folder without its record is not a version either
    assert store.latest() == current
    assert [v.number for v in store.history()] == [1]


def _publish_from_process(root: str, folder: str, who: str, start) -> None:
    start.wait(30)
    store = FolderVersionStore(root)
    store.publish(_files(Path(folder)), by=who, comment=f"by {who}", counts={"requests": 5})


def test_concurrent_publications_both_end_up_in_the_history(tmp_path, valid_dir):
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    root = str(tmp_path / "versions")
    who = [f"manager{i}@example.org" for i in range(4)]
    workers = [
        context.Process(target=_publish_from_process, args=(root, str(valid_dir), w, start))
        for w in who
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    history = FolderVersionStore(root).history()
    assert [v.number for v in history] == [4, 3, 2, 1]
    assert sorted(v.by for v in history) == who
    for version in history:
        assert len(ad.load(version.location).requests) == 5


def test_default_versions_dir(tmp_path, monkeypatch):
    monkeypatch.delenv(versions.ENV_VAR, raising=False)
    bundled = tmp_path / "repo" / "data"
    assert versions.default_versions_dir(None, bundled) == tmp_path / "repo" / "data-versions"
    assert versions.default_versions_dir("/srv/acpeu/data", bundled) == Path(
        "/srv/acpeu/data-versions"
    )
    assert versions.default_versions_dir("/srv/programme.xlsx", bundled) == Path(
        "/srv/programme-versions"
    )
    monkeypatch.setenv(versions.ENV_VAR, str(tmp_path / "v"))
    assert versions.default_versions_dir("/srv/acpeu/data", bundled) == tmp_path / "v"


# --- the change summary --------------------------------------------------------------------


def test_the_change_summary_counts_rows_added_removed_and_changed(valid_dir, data_copy):
    old = ad.load(valid_dir)
    header, records = data_copy.rows("requests.csv")
    removed_id = records[-1][0]
    data_copy.write_rows("requests.csv", header, records[:-1])  # one removed
    data_copy.set_cell("requests.csv", 2, "title", "A new title")  # one changed
    data_copy.set_cell("requests.csv", 3, "status", "completed")  # another changed
    data_copy.set_cell("requests.csv", 3, "completed_on", "2017-01-01")
    data_copy.add_row(
        "requests.csv",
        request_id="R-900",
        received_on="2018-01-02",
        requester_type="government",
        requester="KEN",
        topics="visas",
        status="received",
        title="New",
        source="illustrative",
    )
    part_header, part = data_copy.rows("participation.csv")
    part[0][part_header.index("participants")] = "10"  # no key: one removed, one added
    data_copy.write_rows("participation.csv", part_header, part)
    new = ad.load(data_copy.path)
    assert removed_id not in set(new.requests["request_id"])
    changes = versions.summarize_changes(old, new)
    assert changes["requests"] == {"added": 1, "removed": 1, "changed": 2}
    assert changes["participation"] == {"added": 1, "removed": 1, "changed": 0}
    for table in ("countries", "regional_organisations", "meetings"):
        assert changes[table] == {"added": 0, "removed": 0, "changed": 0}


def test_the_same_data_has_no_changes_even_from_a_workbook(valid_dir, data_copy, tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "programme.xlsx").write_bytes(data_copy.workbook())
    changes = versions.summarize_changes(ad.load(valid_dir), ad.load(tmp_path / "book"))
    assert all(c == {"added": 0, "removed": 0, "changed": 0} for c in changes.values())


def test_row_counts(valid_dir):
    ds = ad.load(valid_dir)
    counts = versions.row_counts(ds)
    assert counts["requests"] == len(ds.requests) == 5
    assert counts["participation"] == len(ds.participation)
