"""The contract in code (acpeu_data.contract) and in words (docs/data-contract.md) agree."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from acpeu_data import contract

DOC = Path(__file__).parent.parent / "docs" / "data-contract.md"
HEX = re.compile(r"^#[0-9A-F]{6}$")


def documented_tables() -> dict[str, list[dict[str, str]]]:
    """Return file name -> rows (column, req., type, rule) of each table in the document."""
    tables: dict[str, list[dict[str, str]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (\w+\.csv)", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
        elif current is not None and line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if cells[0] != "column":
                for name in cells[0].split(","):  # "lat, lon" documents two columns
                    current.append(
                        dict(
                            zip(
                                ["column", "req", "type", "rule"],
                                [name.strip(), *cells[1:]],
                                strict=True,
                            )
                        )
                    )
    return tables


def test_the_document_lists_every_table():
    assert list(documented_tables()) == [t.file for t in contract.TABLES.values()]


@pytest.mark.parametrize("table", list(contract.TABLES.values()), ids=lambda t: t.name)
def test_columns_required_and_types_match(table):
    rows = documented_tables()[table.file]
    assert [r["column"] for r in rows] == table.column_names
    for row in rows:
        column = table.column(row["column"])
        assert row["req"] == ("yes" if column.required else "no"), column.name
        assert row["type"] == contract.TYPE_LABELS[column.type], column.name


@pytest.mark.parametrize(
    ("table", "column"),
    [(t.name, c.name) for t in contract.TABLES.values() for c in t.columns if c.codes],
)
def test_code_lists_match(table, column):
    schema = contract.TABLES[table]
    row = next(r for r in documented_tables()[schema.file] if r["column"] == column)
    listed = re.findall(r"`([a-z_]+)`", row["rule"])
    if not listed:
        assert row["rule"].startswith("as in"), f"{table}.{column} documents no codes"
        return
    assert listed == list(schema.column(column).allowed)


def test_code_lists_are_lower_case_ascii_with_labels():
    for name, codes in contract.CODE_LISTS.items():
        assert codes, name
        for code, label in codes.items():
            assert re.fullmatch(r"[a-z_]+", code), code
            assert label and label[0].isupper(), (code, label)
    assert contract.TOPICS["trafficking"] == "Trafficking in human beings"
    assert contract.TYPOLOGIES["capacity_building"] == "Capacity building"


def test_every_code_column_names_a_code_list_and_types_are_known():
    for table in contract.TABLES.values():
        for column in table.columns:
            assert column.type in contract.COLUMN_TYPES
            assert (column.codes is not None) == (column.type in ("code", "list_code"))
            assert column.hxl.startswith("#")


def test_colours_are_fixed_distinct_hex_per_topic():
    assert list(contract.TOPIC_COLOURS) == list(contract.TOPICS)
    colours = list(contract.TOPIC_COLOURS.values()) + contract.REGION_COLOURS
    assert all(HEX.match(c) for c in colours + [contract.NON_ACP_COLOUR])
    assert len(set(contract.TOPIC_COLOURS.values())) == len(contract.TOPICS)
    assert len(set(contract.REGION_COLOURS)) == len(contract.REGION_COLOURS) >= 5


def test_sdg_mapping_covers_every_topic_with_texts():
    assert set(contract.SDG_TARGETS) == set(contract.TOPICS)
    assert contract.SDG_TARGETS["trafficking"] == ("5.2", "8.7", "16.2")
    assert contract.SDG_TARGETS["remittances"] == ("10.c",)
    for topic in ("visas", "readmission", "smuggling"):
        assert contract.SDG_TARGETS[topic] == ("10.7",)
    used = {t for targets in contract.SDG_TARGETS.values() for t in targets}
    assert used == set(contract.SDG_TARGET_TEXTS)
    assert "21 March 2017" in contract.SDG_SOURCE


def test_formula_prefixes_are_the_documented_ones():
    assert set(contract.FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}
    text = DOC.read_text(encoding="utf-8")
    assert "`=`, `+`, `-`, `@`, a tab or a carriage return" in text


def test_derived_columns_never_collide_with_contract_columns():
    for name, derived in contract.DERIVED_COLUMNS.items():
        assert not set(derived) & set(contract.TABLES[name].column_names)


def test_documented_limits_are_the_enforced_ones():
    text = DOC.read_text(encoding="utf-8")
    assert f"at most {contract.MAX_FILE_BYTES // 2**20} MB per file" in text
    assert f"files of up to {contract.MAX_FOLDER_FILE_BYTES // 2**20:,} MB" in text
    assert f"{contract.MAX_UPLOAD_BYTES // 2**20} MB per upload" in text
    assert f"{contract.MAX_ROWS:,} rows" in text
    assert f"{contract.MAX_CELL_CHARS:,} characters per cell" in text
    assert f"stopped after {contract.MAX_UPLOAD_READ_SECONDS} seconds" in text


def test_documented_plausible_values_are_the_enforced_ones():
    text = DOC.read_text(encoding="utf-8")
    assert f"from {contract.EARLIEST_DATE.isoformat()} to one year after the day" in text
    assert f"a date before {contract.EARLIEST_DATE.isoformat()} or later than one year" in text
    assert f"above {contract.MAX_COUNT:,} in one row" in text
    assert f"{contract.MAX_COLUMNS:,} columns per table" in text
    assert f"at most {contract.MAX_UPLOAD_READER_BYTES // 2**20:,} MB of memory" in text
    rows = {r["column"]: r["rule"] for r in documented_tables()["participation.csv"]}
    assert rows["participants"] == f"0 to {contract.MAX_COUNT:,}"
    assert contract.PARTICIPATION.column("participants").description == rows["participants"]
    # Totals cannot overflow: the documented bound holds for the largest table allowed.
    assert f"{contract.MAX_ROWS:,} rows of {contract.MAX_COUNT:,}" in text
    assert contract.MAX_ROWS * contract.MAX_COUNT < 2**63
    latest = contract.latest_date(dt.date(2030, 6, 1))
    assert latest == dt.date(2031, 6, 1)  # "one year after"


def test_optional_tables_are_documented_as_optional():
    text = DOC.read_text(encoding="utf-8")
    for table in contract.TABLES.values():
        heading = next(line for line in text.splitlines() if line.startswith(f"## {table.file}"))
        assert ("optional" in heading) == table.optional, heading
    assert set(contract.REQUIRED_TABLES) == {
        "countries",
        "regional_organisations",
        "requests",
        "meetings",
        "participation",
    }


def test_event_checks_are_documented_with_their_severity():
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for severity, text in contract.EVENT_CHECKS.values():
        assert f"- {severity}: {text}" in lines
    assert {s for s, _ in contract.EVENT_CHECKS.values()} == {"error", "warning"}
    assert contract.FINAL_STATUSES == ("completed", "rejected", "withdrawn")
    assert set(contract.OPEN_STATUSES) | set(contract.FINAL_STATUSES) == set(contract.STATUSES)
