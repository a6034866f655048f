"""The programme data contract as data: tables, columns, code lists, labels, colours, SDG targets.

Written once and used both to validate files (validate.py) and to document them
(docs/data-contract.md is checked against it by tests/test_contract.py). Labels are plain
English strings; the i18n layer translates them with gettext at display time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# --- code lists (code -> English label) -------------------------------------------------------

TOPICS: dict[str, str] = {
    "visas": "Visas",
    "readmission": "Readmission",
    "remittances": "Remittances",
    "trafficking": "Trafficking in human beings",
    "smuggling": "Smuggling of migrants",
}

TYPOLOGIES: dict[str, str] = {
    "capacity_building": "Capacity building",
    "studies_research": "Studies and research",
    "policy_analysis": "Policy analysis",
    "institutional_legislation": "Institutional and legislative support",
    "regional_cooperation": "Regional cooperation",
}

STATUSES: dict[str, str] = {
    "received": "Received",
    "under_review": "Under review",
    "approved": "Approved",
    "ongoing": "Ongoing",
    "completed": "Completed",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
}
# A request in one of these statuses is closed: nothing follows (request_events.csv).
FINAL_STATUSES: tuple[str, ...] = ("completed", "rejected", "withdrawn")
# The stages of an open request, in the order it moves through them.
OPEN_STATUSES: tuple[str, ...] = tuple(s for s in STATUSES if s not in FINAL_STATUSES)

MEETING_KINDS: dict[str, str] = {
    "peer_to_peer": "Peer-to-peer exchange meeting",
    "regional_thematic": "Regional thematic meeting",
    "closing_event": "Closing event",
    "other": "Related event",
}

STAKEHOLDER_TYPES: dict[str, str] = {
    "acp_government": "ACP government",
    "eu_member_state": "EU member state",
    "regional_organisation": "Regional organisation",
    "international_organisation": "International organisation",
    "civil_society": "Civil society",
    "academia": "Academia",
    "expert": "Expert",
    "iom": "IOM",
    "other": "Other",
}

# How a meeting's published participant total reads: "70 participants" or "over 50".
REPORTED_QUALIFIERS: dict[str, str] = {
    "exactly": "Exactly",
    "more_than": "More than",
}

# Meetings the programme itself held; the other kinds (ACP-EU Dialogue seminars and the like)
# are related events, shown and counted apart from them.
PROGRAMME_MEETING_KINDS: tuple[str, ...] = ("peer_to_peer", "regional_thematic", "closing_event")

REQUESTER_TYPES: dict[str, str] = {
    "government": "Government",
    "regional_organisation": "Regional organisation",
}

CODE_LISTS: dict[str, dict[str, str]] = {
    "topics": TOPICS,
    "typologies": TYPOLOGIES,
    "statuses": STATUSES,
    "meeting_kinds": MEETING_KINDS,
    "stakeholder_types": STAKEHOLDER_TYPES,
    "requester_types": REQUESTER_TYPES,
    "reported_qualifiers": REPORTED_QUALIFIERS,
}

# --- special values ---------------------------------------------------------------------------

ILLUSTRATIVE = "illustrative"  # the `source` of a record that is made up, not a fact
PUBLIC_SOURCE_PREFIXES = ("https://", "http://")  # a `source` that is a URL: a public source
NON_ACP = "Non-ACP"  # the region of a delegation whose country is not in countries.csv
LIST_SEPARATOR = ";"
PROGRAMME_START = dt.date(2014, 6, 1)
PROGRAMME_END = dt.date(2019, 8, 31)
WORKBOOK_NAME = "programme.xlsx"

# Spreadsheets run a cell that starts with one of these as a formula; exports prefix it with
# an apostrophe and the loader removes exactly that apostrophe again.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"


def is_public_source(value: object) -> bool:
    """Return whether a record's `source` is a URL (a public source), not `illustrative` or empty."""
    return isinstance(value, str) and value.strip().lower().startswith(PUBLIC_SOURCE_PREFIXES)


# --- limits (a file beyond them is refused with a clear message, never half-read) -------------

# An upload travels through the browser and is held in memory per session: kept small. A data
# folder on the server is the operator's choice (ACPEU_DATA_DIR), so it may be as large as a
# programme of a million requests (requests.csv about 150 MB).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FOLDER_FILE_BYTES = 1024 * 1024 * 1024
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
# An upload is read in a separate process, stopped after this many seconds, whose address
# space is limited to this many bytes (a legitimate upload of 70 MB peaks near 1 GB resident).
MAX_UPLOAD_READ_SECONDS = 60
MAX_UPLOAD_READER_BYTES = 3 * 1024 * 1024 * 1024
# The uploads all sessions of a server hold in memory at once (a 70 MB upload takes about
# 440 MB once read); an upload beyond it is refused until others are dropped.
MAX_UPLOADS_IN_MEMORY_BYTES = 1024 * 1024 * 1024
MAX_WORKBOOK_UNPACKED_BYTES = 500 * 1024 * 1024  # guards against zip bombs
MAX_ROWS = 2_000_000
# The status history holds several changes per request (about four): a programme of a
# million requests writes four to five million.
MAX_EVENT_ROWS = 10_000_000
MAX_CELL_CHARS = 2_000
# A header wider than this is not a table of the contract (the widest has 11 columns): it is
# refused before its cells are read, so a crafted header cannot cost gigabytes.
MAX_COLUMNS = 1_000

# --- plausible values (beyond them a value is an error, located like every other) -------------

# Dates: from EARLIEST_DATE to one year after the day of loading. A typo such as 9999-12-31
# would otherwise stretch every timeline over thousands of years.
EARLIEST_DATE = dt.date(1990, 1, 1)


def latest_date(today: dt.date | None = None) -> dt.date:
    """Return the latest date the contract accepts: one year after `today` (default: today)."""
    today = today or dt.date.today()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


# Counts (integer columns) per row: a delegation of more people than this is a typo. With
# MAX_ROWS rows the sum of a column stays far below the int64 limit (2**63), so no total can
# overflow (tests/test_contract.py holds the two limits to that).
MAX_COUNT = 100_000

# --- colours ----------------------------------------------------------------------------------

# Okabe-Ito palette (distinguishable with the common colour-vision deficiencies); yellow is
# left out because it is unreadable on white. Fixed per topic so every chart agrees.
TOPIC_COLOURS: dict[str, str] = {
    "visas": "#0072B2",
    "readmission": "#E69F00",
    "remittances": "#009E73",
    "trafficking": "#D55E00",
    "smuggling": "#CC79A7",
}

# One colour per status (Okabe-Ito again, grey for a request not yet looked at); charts also
# set each status apart by pattern and label, never by colour alone.
STATUS_COLOURS: dict[str, str] = {
    "received": "#999999",
    "under_review": "#E69F00",
    "approved": "#56B4E9",
    "ongoing": "#0072B2",
    "completed": "#009E73",
    "rejected": "#D55E00",
    "withdrawn": "#CC79A7",
}

# Paul Tol's "bright" scheme (colour-blind safe), taken in order of the regions listed.
REGION_COLOURS: list[str] = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377"]
NON_ACP_COLOUR = "#BBBBBB"


def region_order(countries) -> list[str]:
    """Return the regions in the order countries.csv first names them: the one order of the
    sidebar's choices, of charts and tables by region, and of REGION_COLOURS."""
    return list(dict.fromkeys(countries["region"]))


# --- SDG targets ------------------------------------------------------------------------------

SDG_TARGETS: dict[str, tuple[str, ...]] = {
    "visas": ("10.7",),
    "readmission": ("10.7",),
    "remittances": ("10.c",),
    "trafficking": ("5.2", "8.7", "16.2"),
    "smuggling": ("10.7",),
}

SDG_TARGET_TEXTS: dict[str, str] = {
    "5.2": "Eliminate all forms of violence against all women and girls in the public and "
    "private spheres, including trafficking and sexual and other types of exploitation",
    "8.7": "Take immediate and effective measures to eradicate forced labour, end modern "
    "slavery and human trafficking and secure the prohibition and elimination of the worst "
    "forms of child labour, including recruitment and use of child soldiers, and by 2025 end "
    "child labour in all its forms",
    "10.7": "Facilitate orderly, safe, regular and responsible migration and mobility of people, "
    "including through the implementation of planned and well-managed migration policies",
    "10.c": "By 2030, reduce to less than 3 per cent the transaction costs of migrant remittances "
    "and eliminate remittance corridors with costs higher than 5 per cent",
    "16.2": "End abuse, exploitation, trafficking and all forms of violence against and torture "
    "of children",
}

SDG_SOURCE = (
    "SDG targets: 5.2, 8.7 and 16.2 (trafficking) as named in IOM's news release of "
    "21 March 2017 on the ACP-EU Migration Action; 10.c (remittances) and 10.7 (visas, "
    "readmission, smuggling) and all target texts from the UN global indicator framework "
    "for the Sustainable Development Goals (A/RES/71/313)."
)

# --- tables -----------------------------------------------------------------------------------

COLUMN_TYPES = ("text", "iso3", "code", "list_code", "list_iso3", "date", "number", "integer")


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, type, whether it must be filled, and what it means."""

    name: str
    type: str
    required: bool
    description: str
    codes: str | None = None  # key into CODE_LISTS for code / list_code columns
    hxl: str = ""  # Humanitarian Exchange Language hashtag written under the header on request

    @property
    def allowed(self) -> dict[str, str]:
        """Return the code -> label mapping of a code column (empty for other types)."""
        return CODE_LISTS[self.codes] if self.codes else {}

    @property
    def is_list(self) -> bool:
        """Return whether the cell holds several values separated by ';'."""
        return self.type.startswith("list_")


@dataclass(frozen=True)
class Table:
    """One file of the data folder."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: str | None = None  # the column whose values must be unique
    min_rows: int = 0
    optional: bool = False  # a data folder may leave this table out
    max_rows: int | None = None  # None: MAX_ROWS

    @property
    def file(self) -> str:
        """Return the CSV file name (the workbook sheet is the name without .csv)."""
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        """Return the contract's column names in order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """Return the column called `name` (KeyError when the contract has none)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


_SOURCE = Column(
    "source",
    "text",
    False,
    "where the record comes from: a URL or document, or `illustrative` for a record that is not real",
    hxl="#meta+source",
)

_NOTE = Column(
    "note",
    "text",
    False,
    "what the source says and what is estimated or illustrative in the record",
    hxl="#description+notes",
)

COUNTRIES = Table(
    "countries",
    "the countries the programme serves (one row each)",
    (
        Column("iso3", "iso3", True, "unique, a real ISO 3166-1 alpha-3 code", hxl="#country+code"),
        Column("name", "text", True, "English short name", hxl="#country+name"),
        Column(
            "region",
            "text",
            True,
            "programme region; the set of regions is whatever this file holds",
            hxl="#region+name",
        ),
    ),
    key="iso3",
    min_rows=1,
)

REGIONAL_ORGANISATIONS = Table(
    "regional_organisations",
    "organisations that can request assistance",
    (
        Column(
            "code",
            "text",
            True,
            "unique acronym, e.g. `ECOWAS`; must not collide with an iso3",
            hxl="#org+code",
        ),
        Column("name", "text", True, "full name", hxl="#org+name"),
        Column("region", "text", True, "one of the regions in countries.csv", hxl="#region+name"),
        Column("members", "list_iso3", False, "member states", hxl="#country+code+list"),
    ),
    key="code",
)

REQUESTS = Table(
    "requests",
    "technical assistance requests (one row per request)",
    (
        Column("request_id", "text", True, "unique", hxl="#activity+id"),
        Column("received_on", "date", True, "", hxl="#date+received"),
        Column(
            "requester_type",
            "code",
            True,
            "`government` or `regional_organisation`",
            codes="requester_types",
            hxl="#org+type",
        ),
        Column(
            "requester",
            "text",
            True,
            "an iso3 in countries.csv (government) or a code in regional_organisations.csv "
            "(regional organisation)",
            hxl="#org+requester",
        ),
        Column(
            "countries",
            "list_iso3",
            False,
            "beneficiary countries, each in countries.csv; empty means the requester itself "
            "(a government) or the organisation as a whole",
            hxl="#country+code+beneficiary",
        ),
        Column(
            "topics", "list_code", True, "one or more topics", codes="topics", hxl="#sector+list"
        ),
        Column("typology", "code", False, "", codes="typologies", hxl="#activity+type"),
        Column("status", "code", True, "", codes="statuses", hxl="#status"),
        Column("completed_on", "date", False, "not before received_on", hxl="#date+completed"),
        Column("title", "text", False, "short description", hxl="#activity+name"),
        _SOURCE,
        _NOTE,
        Column(
            "illustrative_fields",
            "text",
            False,
            "columns of a sourced record that are still illustrative or estimated, separated "
            "by `;` (e.g. `typology;status;completed_on`)",
            hxl="#meta+illustrative",
        ),
    ),
    key="request_id",
)

MEETINGS = Table(
    "meetings",
    "meetings and events of the programme",
    (
        Column("meeting_id", "text", True, "unique", hxl="#event+id"),
        Column("title", "text", True, "", hxl="#event+name"),
        Column("kind", "code", True, "", codes="meeting_kinds", hxl="#event+type"),
        Column("topics", "list_code", False, "as in requests", codes="topics", hxl="#sector+list"),
        Column("city", "text", True, "", hxl="#loc+name"),
        Column(
            "country_iso3",
            "iso3",
            True,
            "any real country (venues can be outside the ACP)",
            hxl="#country+code",
        ),
        Column("lat", "number", False, "venue latitude, -90..90", hxl="#geo+lat"),
        Column("lon", "number", False, "venue longitude, -180..180", hxl="#geo+lon"),
        Column("start_date", "date", True, "", hxl="#date+start"),
        Column("end_date", "date", True, "not before start_date", hxl="#date+end"),
        _SOURCE,
        _NOTE,
        Column(
            "reported_participants",
            "integer",
            False,
            "the participant total a public source gives for the meeting (0 or more); empty "
            "when none was published",
            hxl="#reached+total+reported",
        ),
        Column(
            "reported_qualifier",
            "code",
            False,
            '`exactly` (the default when empty) or `more_than`, when the source says e.g. "over 50"',
            codes="reported_qualifiers",
            hxl="#reached+total+qualifier",
        ),
        Column(
            "reported_source",
            "text",
            False,
            "where the total is published (a URL); empty: the meeting's `source`",
            hxl="#meta+source+reported",
        ),
    ),
    key="meeting_id",
)

PARTICIPATION = Table(
    "participation",
    "who took part in each meeting, as counts per delegation",
    (
        Column("meeting_id", "text", True, "a meeting_id in meetings.csv", hxl="#event+id"),
        Column(
            "stakeholder_type",
            "code",
            True,
            "",
            codes="stakeholder_types",
            hxl="#org+type",
        ),
        Column(
            "country_iso3",
            "iso3",
            False,
            "the delegation's country, any real country",
            hxl="#country+code",
        ),
        Column(
            "organisation",
            "text",
            False,
            "the delegation's organisation, where it is not a country",
            hxl="#org+name",
        ),
        Column("participants", "integer", True, "0 to 100,000", hxl="#reached+total"),
        Column("women", "integer", False, "0..participants", hxl="#reached+f"),
        _SOURCE,
    ),
)

REQUEST_EVENTS = Table(
    "request_events",
    "status history of the requests (one row per change of status; optional)",
    (
        Column("request_id", "text", True, "a request_id in requests.csv", hxl="#activity+id"),
        Column(
            "status", "code", True, "the status from that day on", codes="statuses", hxl="#status"
        ),
        Column(
            "changed_on", "date", True, "not before the request's received_on", hxl="#date+changed"
        ),
        Column("note", "text", False, "what happened", hxl="#description"),
    ),
    optional=True,
    max_rows=MAX_EVENT_ROWS,
)

# The checks of request_events and their severity (docs/data-contract.md lists them as is).
EVENT_CHECKS: dict[str, tuple[str, str]] = {
    "unknown_request": ("error", "request_id not in requests.csv (unknown request)"),
    "unknown_status": ("error", "status not one of the status codes (unknown status)"),
    "before_received": ("error", "changed_on before the request's received_on"),
    "last_disagrees": (
        "error",
        "the request's last change has another status than its status in requests.csv",
    ),
    "completed_disagrees": (
        "error",
        "the request's last completed change is on another day than its completed_on",
    ),
    "after_final": (
        "warning",
        "a change after a final status (a closed request reopened); the history is used as given",
    ),
}

TABLES: dict[str, Table] = {
    t.name: t
    for t in (COUNTRIES, REGIONAL_ORGANISATIONS, REQUESTS, MEETINGS, PARTICIPATION, REQUEST_EVENTS)
}
# The tables a data folder must hold (the others may be left out).
REQUIRED_TABLES: tuple[str, ...] = tuple(n for n, t in TABLES.items() if not t.optional)

# Columns the loader adds (load.py / derive.py); exports drop them so files load back unchanged.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "countries": (),
    "regional_organisations": (),
    "requests": ("region", "requester_name", "beneficiaries", *(f"topic_{t}" for t in TOPICS)),
    "meetings": ("located_by_centroid", "country_name", "participants", "women"),
    "participation": ("region", "country_name"),
    "request_events": (),
}

TYPE_LABELS: dict[str, str] = {
    "text": "text",
    "iso3": "ISO3",
    "code": "code",
    "list_code": "list of codes",
    "list_iso3": "list of ISO3",
    "date": "date",
    "number": "number",
    "integer": "integer",
}
