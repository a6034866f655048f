"""Small in-memory Datasets from Python rows, typed and derived exactly as the loader does it."""

from __future__ import annotations

import pandas as pd

from acpeu_data import contract
from acpeu_data.dataset import Dataset
from acpeu_data.derive import build_tables


def _frame(table: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    """Return the text table the loader would read: every contract column, empty when not given."""
    names = [column.name for column in contract.TABLES[table].columns]
    cells = [{name: str(row.get(name, "")) for name in names} for row in rows]
    return pd.DataFrame(cells, columns=names, dtype="str")


def make_dataset(
    countries: list[dict[str, str]],
    regional_organisations: list[dict[str, str]] = (),
    requests: list[dict[str, str]] = (),
    meetings: list[dict[str, str]] = (),
    participation: list[dict[str, str]] = (),
) -> Dataset:
    """Return a Dataset from rows of text cells as they would appear in the CSV files."""
    tables = build_tables(
        {
            "countries": _frame("countries", countries),
            "regional_organisations": _frame("regional_organisations", regional_organisations),
            "requests": _frame("requests", requests),
            "meetings": _frame("meetings", meetings),
            "participation": _frame("participation", participation),
        }
    )
    return Dataset(**tables, origin="tests")


def _country(iso3: str, name: str, region: str) -> dict[str, str]:
    return {"iso3": iso3, "name": name, "region": region}


def _request(rid, received, kind, requester, countries, topics, typology, status, done=""):
    return {
        "request_id": rid,
        "received_on": received,
        "requester_type": kind,
        "requester": requester,
        "countries": countries,
        "topics": topics,
        "typology": typology,
        "status": status,
        "completed_on": done,
    }


def _meeting(mid, topics, city, iso3, start, end):
    return {
        "meeting_id": mid,
        "title": f"Meeting {mid}",
        "kind": "peer_to_peer",
        "topics": topics,
        "city": city,
        "country_iso3": iso3,
        "start_date": start,
        "end_date": end,
    }


def _delegation(mid, kind, iso3, participants, women="", organisation=""):
    return {
        "meeting_id": mid,
        "stakeholder_type": kind,
        "country_iso3": iso3,
        "organisation": organisation,
        "participants": str(participants),
        "women": str(women),
    }


def small_dataset() -> Dataset:
    """Return five requests, three meetings and seven delegations whose figures are known by hand.

    R1 JAM gov, trafficking, completed after 90 days     (Caribbean)
    R2 FJI gov, visas + smuggling, ongoing               (Pacific)
    R3 ECOWAS, remittances, no beneficiaries, approved   (West and Central Africa; members GHA, NGA)
    R4 CARICOM for TTO, trafficking + smuggling, completed after 30 days (Caribbean)
    R5 GHA gov for NGA, readmission, rejected            (West and Central Africa)
    M1 Kingston JAM 2016 trafficking; M2 Accra GHA 2017 remittances + visas; M3 Brussels BEL 2019.
    """
    return make_dataset(
        countries=[
            _country("JAM", "Jamaica", "Caribbean"),
            _country("TTO", "Trinidad and Tobago", "Caribbean"),
            _country("FJI", "Fiji", "Pacific"),
            _country("GHA", "Ghana", "West and Central Africa"),
            _country("NGA", "Nigeria", "West and Central Africa"),
            _country("KEN", "Kenya", "East and Horn of Africa"),
        ],
        regional_organisations=[
            {
                "code": "ECOWAS",
                "name": "ECOWAS",
                "region": "West and Central Africa",
                "members": "GHA;NGA",
            },
            {"code": "CARICOM", "name": "CARICOM", "region": "Caribbean", "members": "JAM;TTO"},
        ],  # fmt: skip
        requests=[
            _request(
                "R1",
                "2015-03-10",
                "government",
                "JAM",
                "",
                "trafficking",
                "capacity_building",
                "completed",
                "2015-06-08",
            ),
            _request(
                "R2",
                "2015-03-20",
                "government",
                "FJI",
                "",
                "visas;smuggling",
                "studies_research",
                "ongoing",
            ),
            _request(
                "R3",
                "2016-01-05",
                "regional_organisation",
                "ECOWAS",
                "",
                "remittances",
                "",
                "approved",
            ),
            _request(
                "R4",
                "2016-07-01",
                "regional_organisation",
                "CARICOM",
                "TTO",
                "trafficking;smuggling",
                "policy_analysis",
                "completed",
                "2016-07-31",
            ),
            _request(
                "R5",
                "2017-12-31",
                "government",
                "GHA",
                "NGA",
                "readmission",
                "institutional_legislation",
                "rejected",
            ),
        ],  # fmt: skip
        meetings=[
            _meeting("M1", "trafficking", "Kingston", "JAM", "2016-05-01", "2016-05-03"),
            _meeting("M2", "remittances;visas", "Accra", "GHA", "2017-02-01", "2017-02-02"),
            _meeting("M3", "", "Brussels", "BEL", "2019-06-01", "2019-06-01"),
        ],
        participation=[
            _delegation("M1", "acp_government", "JAM", 10, 6),
            _delegation("M1", "acp_government", "TTO", 4),
            _delegation("M1", "iom", "", 2, 1, organisation="IOM"),
            _delegation("M2", "acp_government", "GHA", 5, 2),
            _delegation("M2", "acp_government", "FJI", 3, 3),
            _delegation("M3", "eu_member_state", "BEL", 7),
            _delegation("M3", "acp_government", "NGA", 2, 1),
        ],
    )
