"""Write the bundled data folder data/ (the data contract's CSV files but countries.csv).

Real records (the 15 requests IOM listed in 2015, the meetings) carry the URL they come
from. The rest is marked `illustrative`: made up, within the published totals, so that
every figure in data/README.md's checkpoint table comes out exactly. The made-up dates
and completion times come from a seeded random generator, so this script always writes
the same files. Run from the project root:

    .venv/bin/python tools/make_bundled_data.py
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
# countries.csv is the input: a copy of the programme's list of 80 countries (see data/README.md).
COUNTRIES = DATA / "countries.csv"
SEED = 20140601  # the programme's launch month; any fixed number would do
ILLUSTRATIVE = "illustrative"
LAST_COMPLETION = dt.date(2019, 7, 31)  # the programme closed in August 2019

IOM_2015 = (
    "https://www.iom.int/news/acp-eu-migration-programme-expands-include-trafficking-smuggling"
)
IOM_2015_FR = "https://iom.int/fr/news/le-programme-acp-ue-selargit-pour-inclure-la-traite-et-le-trafic-de-personnes"
EEAS_GUYANA = "https://eeas.europa.eu/delegations/guyana/22334/node/22334_th"
# A Government of Guyana statement (Department of Citizenship, March 2017), republished: the
# e-visa request was made to the programme in June 2015.
GUYANA_STATEMENT = "https://guyana.hoop.la/topic/552438224620783916"
# The Action's own page on the June 2018 Dialogue seminar, which it co-organised.
ACTION_SEMINAR_2018 = "https://acpeumigrationaction.iom.int/technical-seminar-trafficking-human-beings-women-and-girls"
GUYANA_BASELINE = "https://vdocument.in/baseline-assessment-report-acp-eu-migration-action-a-sites-a-default-a-.html"

# --- Regional organisations -------------------------------------------------------------
# (code, full name, region of the secretariat's country, seat, members that are programme
# countries). Membership as of 2019 from the organisations' own member lists (public
# knowledge); non-ACP members (e.g. Egypt in COMESA, Australia in the PIF) are left out.
REGIONAL_ORGANISATIONS = [
    ("CARICOM", "Caribbean Community", "Caribbean", "Georgetown, Guyana",
     "ATG BHS BRB BLZ DMA GRD GUY HTI JAM KNA LCA VCT SUR TTO"),
    ("COMESA", "Common Market for Eastern and Southern Africa", "Southern Africa", "Lusaka, Zambia",
     "BDI COM COD DJI ERI ETH KEN MDG MWI MUS RWA SYC SOM SDN SWZ UGA ZMB ZWE"),
    ("EAC", "East African Community", "East and Horn of Africa", "Arusha, Tanzania",
     "BDI KEN RWA SSD TZA UGA"),
    ("ECCAS", "Economic Community of Central African States", "West and Central Africa",
     "Libreville, Gabon", "AGO BDI CMR CAF TCD COD COG GNQ GAB RWA STP"),
    ("ECOWAS", "Economic Community of West African States", "West and Central Africa",
     "Abuja, Nigeria", "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI NER NGA SEN SLE TGO"),
    ("IGAD", "Intergovernmental Authority on Development", "East and Horn of Africa",
     "Djibouti, Djibouti", "DJI ERI ETH KEN SOM SSD SDN UGA"),
    ("IOC", "Indian Ocean Commission", "Southern Africa", "Ebene, Mauritius", "COM MDG MUS SYC"),
    ("MSG", "Melanesian Spearhead Group", "Pacific", "Port Vila, Vanuatu", "FJI PNG SLB VUT"),
    ("OECS", "Organisation of Eastern Caribbean States", "Caribbean", "Castries, Saint Lucia",
     "ATG DMA GRD KNA LCA VCT"),
    ("PIF", "Pacific Islands Forum Secretariat", "Pacific", "Suva, Fiji",
     "COK FJI FSM KIR MHL NIU NRU PLW PNG SLB TON TUV VUT WSM"),
    ("SADC", "Southern African Development Community", "Southern Africa", "Gaborone, Botswana",
     "AGO BWA COM COD LSO MDG MWI MUS MOZ NAM SYC ZAF SWZ TZA ZMB ZWE"),
    ("UEMOA", "West African Economic and Monetary Union", "West and Central Africa",
     "Ouagadougou, Burkina Faso", "BEN BFA CIV GNB MLI NER SEN TGO"),
]  # fmt: skip

# --- The 15 requests of 2015 (IOM release) -------------------------------------------------
# (received_on, requester, topics, typology, status, completed_on, programme_code, title)
# Only the year is published ("since March 2015"); the days are estimates in the order of
# the programme codes where one is known (BA/013/2015 is the thirteenth). Guyana's e-visa
# request was made in June 2015 (GUYANA_STATEMENT): it keeps the id it had when it was
# placed fourth (FIXED_IDS), so that links to it still work.
REAL_NOTE = (
    "Request published by IOM (2015). Received date estimated within March-June 2015; "
    "typology, status and completion date illustrative."
)
REAL_REQUESTS = [
    ("2015-03-16", "OECS", "remittances", "studies_research", "completed", None, "",
     "Remittances technical assistance for the OECS"),
    ("2015-03-24", "COMESA", "visas", "regional_cooperation", "completed", None, "",
     "Visas technical assistance for COMESA"),
    ("2015-03-30", "BFA", "readmission", "institutional_legislation", "completed", None, "",
     "Readmission technical assistance for Burkina Faso"),
    ("2015-06-04", "GUY", "visas", "policy_analysis", "completed", "2017-03-08", "",
     "Policy recommendations to modernise the visa regime and introduce an e-visa"),
    ("2015-04-14", "SOM", "remittances", "studies_research", "completed", None, "",
     "Remittances technical assistance for Somalia"),
    ("2015-04-21", "NAM", "visas", "policy_analysis", "completed", None, "",
     "Visas technical assistance for Namibia"),
    ("2015-04-28", "COG", "remittances", "policy_analysis", "completed", None, "",
     "Remittances technical assistance for Congo"),
    ("2015-05-05", "KEN", "remittances", "capacity_building", "completed", None, "",
     "Remittances technical assistance for Kenya"),
    ("2015-05-12", "SDN", "visas", "capacity_building", "completed", None, "",
     "Visas technical assistance for Sudan"),
    ("2015-05-19", "ZMB", "remittances", "studies_research", "completed", None, "",
     "Remittances technical assistance for Zambia"),
    ("2015-05-26", "BEN", "visas", "institutional_legislation", "completed", None, "",
     "Visas technical assistance for Benin"),
    ("2015-06-02", "MLI", "remittances", "policy_analysis", "completed", None, "",
     "Remittances technical assistance for Mali"),
    ("2015-06-09", "GUY", "remittances", "studies_research", "completed", None, "BA/013/2015",
     "Study on remittances in Guyana with specific focus on transfer cost and reduction options"),
    ("2015-06-16", "LBR", "visas", "capacity_building", "completed", None, "",
     "Visas technical assistance for Liberia"),
    ("2015-06-23", "MDG", "remittances", "studies_research", "completed", None, "",
     "Remittances technical assistance for Madagascar"),
]  # fmt: skip
FIXED_IDS = {"GUY visas": "ACPEU-2015-004"}
# Columns of a real request that are estimates or illustrative (`illustrative_fields`): every
# day of receipt is an estimate within the published month or period; only Guyana's e-visa
# request has a published outcome, and only its remittances study a published typology.
ILLUSTRATIVE_FIELDS = {
    "GUY visas": "received_on",
    "GUY remittances": "received_on;status;completed_on",
}
REAL_ILLUSTRATIVE_FIELDS = "received_on;typology;status;completed_on"
# Assistance cannot have ended before work on it was documented (baseline assessment date).
WORK_STARTED = {"GUY remittances": dt.date(2016, 1, 13)}
# Notes and further sources for the two Guyana requests, whose details were published.
REAL_DETAILS = {
    "GUY visas": (
        "Requested in June 2015 (Government of Guyana statement; day estimated). Report on visa "
        "and e-visa handed to the Minister of Citizenship on 8 March 2017 (EEAS); typology from "
        "its 'policy recommendations and guidelines'.",
        f"{EEAS_GUYANA} ; {GUYANA_STATEMENT} ; "
        "https://caribbeantrakker.com/guyana-to-get-assistance-for-e-visa-system ; "
        f"{IOM_2015_FR}",
    ),
    "GUY remittances": (
        "Programme code and title from the baseline assessment report dated 13 January 2016. "
        "Received date estimated; status and completion date illustrative.",
        f"{GUYANA_BASELINE} ; {IOM_2015_FR}",
    ),
}

# --- Illustrative requests, in three periods between the published checkpoints -----------
# (requester, topics, typology, status, beneficiary countries, title)
SEPT_2015_TO_OCT_2016 = [
    ("ECOWAS", "trafficking;smuggling", "regional_cooperation", "completed", "",
     "Review of the regional plan of action against trafficking in persons"),
    ("NGA", "trafficking", "institutional_legislation", "completed", "",
     "Review of the national referral mechanism for victims of trafficking"),
    ("GUY", "trafficking", "capacity_building", "completed", "",
     "Training of labour inspectors and police on identifying victims of trafficking in mining areas"),
    ("KEN", "smuggling", "policy_analysis", "completed", "",
     "Assessment of migrant smuggling routes through Kenya and policy options"),
    ("ETH", "trafficking;smuggling", "capacity_building", "completed", "",
     "Training of prosecutors and judges on the new anti-trafficking and anti-smuggling law"),
    ("SEN", "smuggling", "studies_research", "completed", "",
     "Study on migrant smuggling by sea from the Senegalese coast"),
    ("CIV", "trafficking", "", "rejected", "",
     "Running costs of a shelter for child victims of trafficking"),
    ("NER", "smuggling", "institutional_legislation", "completed", "",
     "Implementing regulations for the law against the smuggling of migrants"),
    ("GMB", "trafficking", "capacity_building", "completed", "",
     "Victim identification training for the national anti-trafficking agency"),
    ("SLE", "trafficking", "institutional_legislation", "completed", "",
     "Review of the anti-human trafficking act against international standards"),
    ("UGA", "trafficking", "capacity_building", "completed", "",
     "Investigation and prosecution of trafficking in persons: training for police and prosecutors"),
    ("DJI", "smuggling;trafficking", "studies_research", "completed", "DJI;ETH;SOM",
     "Mapping of mixed migration and smuggling networks transiting Djibouti"),
    ("MWI", "trafficking", "institutional_legislation", "completed", "",
     "Standard operating procedures for the referral of trafficking victims"),
    ("JAM", "trafficking", "policy_analysis", "completed", "",
     "Mid-term review of the national plan of action against trafficking in persons"),
    ("TTO", "trafficking;smuggling", "capacity_building", "completed", "",
     "Training of immigration and coast guard officers on trafficking and smuggling by sea"),
    ("HTI", "trafficking", "", "rejected", "",
     "Equipment for the national anti-trafficking committee"),
    ("PNG", "trafficking;smuggling", "capacity_building", "completed", "",
     "Trafficking and smuggling indicators for immigration and border officers"),
    ("ECOWAS", "visas", "studies_research", "completed", "",
     "Study on the implementation of the free movement protocol and a common visa"),
    ("CARICOM", "visas", "policy_analysis", "completed", "",
     "Options for harmonising visa policies towards extra-regional travellers"),
    ("PIF", "remittances", "studies_research", "completed", "FJI;PNG;SLB;TON;VUT;WSM",
     "Study on the cost of sending remittances to Pacific island countries"),
    ("GHA", "remittances", "policy_analysis", "completed", "",
     "Diaspora remittances policy: lowering costs and channelling savings to investment"),
    ("CMR", "visas", "policy_analysis", "completed", "",
     "Feasibility of an electronic visa system"),
    ("TGO", "remittances", "", "rejected", "",
     "Guarantee fund for diaspora investment projects"),
    ("TZA", "remittances", "policy_analysis", "completed", "",
     "Mobile money remittance corridors with the diaspora: regulatory options"),
    ("RWA", "visas", "studies_research", "completed", "",
     "Effects of visa facilitation for African nationals on trade and tourism"),
    ("ZWE", "remittances", "policy_analysis", "completed", "",
     "Incentives to send diaspora remittances through formal channels"),
    ("MUS", "visas", "", "rejected", "",
     "Hardware for an automated border control system"),
    ("SWZ", "readmission", "institutional_legislation", "withdrawn", "",
     "Procedures for the readmission and reintegration of returning nationals"),
    ("MOZ", "remittances", "capacity_building", "completed", "",
     "Compiling remittance statistics: training for central bank staff"),
    ("DOM", "readmission", "institutional_legislation", "completed", "",
     "Standard procedures for the readmission of nationals and their reintegration"),
    ("BLZ", "visas", "capacity_building", "withdrawn", "",
     "Training of consular and border staff in visa processing"),
    ("SUR", "visas", "", "rejected", "",
     "Construction of a visa application centre"),
    ("LCA", "remittances", "studies_research", "completed", "",
     "National survey of remittance-receiving households"),
    ("VUT", "visas;readmission", "policy_analysis", "completed", "",
     "Visa and return arrangements for seasonal workers with partner countries"),
    ("SLB", "remittances", "studies_research", "completed", "",
     "Remittances of seasonal workers: costs and channels"),
    ("WSM", "remittances", "", "rejected", "",
     "Grants for small businesses started with remittances"),
    ("LSO", "remittances", "policy_analysis", "completed", "",
     "Reducing the cost of remittances from South Africa to Lesotho"),
    ("NGA", "remittances", "studies_research", "completed", "",
     "Diaspora remittance data: sources, gaps and digital channels"),
    ("SEN", "readmission", "policy_analysis", "completed", "",
     "Readmission cooperation with EU member states: practice and options"),
    ("JAM", "remittances", "", "rejected", "",
     "Launch costs of a diaspora bond"),
]  # fmt: skip
OCT_2016_TO_MAR_2017 = [
    ("FJI", "trafficking", "capacity_building", "completed", "",
     "Victim identification for immigration and police officers"),
    ("ZMB", "trafficking;smuggling", "institutional_legislation", "completed", "",
     "Smuggling of migrants provisions in the anti-human trafficking act"),
    ("ETH", "remittances", "", "rejected", "",
     "Matching funds for a diaspora remittance savings scheme"),
]  # fmt: skip
MAR_2017_TO_DEC_2018 = [
    ("SADC", "trafficking", "regional_cooperation", "completed", "",
     "Regional data collection on trafficking in persons"),
    ("IGAD", "smuggling;trafficking", "regional_cooperation", "completed", "DJI;ETH;SOM;SSD;SDN",
     "Regional dialogue on smuggling of migrants along the Horn of Africa routes"),
    ("GIN", "trafficking", "capacity_building", "completed", "",
     "Training of labour inspectors on forced labour and trafficking"),
    ("SSD", "trafficking", "", "rejected", "",
     "Vehicles for anti-trafficking police units"),
    ("AGO", "smuggling", "institutional_legislation", "completed", "",
     "Draft law against the smuggling of migrants"),
    ("BRB", "trafficking", "policy_analysis", "completed", "",
     "National action plan against trafficking in persons"),
    ("TON", "visas", "policy_analysis", "completed", "",
     "Visa and work permit arrangements for labour mobility schemes"),
    ("GHA", "trafficking", "capacity_building", "completed", "",
     "Child trafficking in fishing communities: training for social workers and police"),
    ("NGA", "smuggling", "studies_research", "completed", "",
     "Study on the smuggling of migrants towards North Africa"),
    ("MDG", "trafficking", "institutional_legislation", "completed", "",
     "Regulating recruitment agencies to prevent trafficking of migrant workers"),
    ("DOM", "trafficking;smuggling", "capacity_building", "completed", "",
     "Joint investigation of trafficking and smuggling cases: training for prosecutors"),
    ("FJI", "visas", "policy_analysis", "completed", "",
     "Review of visa categories for labour mobility"),
    ("TTO", "remittances", "", "rejected", "",
     "Software for a remittance tracking system"),
]  # fmt: skip
PERIODS = [
    (dt.date(2015, 9, 1), dt.date(2016, 10, 14), SEPT_2015_TO_OCT_2016),
    (dt.date(2016, 10, 20), dt.date(2017, 3, 17), OCT_2016_TO_MAR_2017),
    (dt.date(2017, 3, 27), dt.date(2018, 12, 14), MAR_2017_TO_DEC_2018),
]

REQUEST_COLUMNS = [
    "request_id", "received_on", "requester_type", "requester", "countries", "topics",
    "typology", "status", "completed_on", "title", "source", "note", "illustrative_fields",
    "programme_code", "other_sources",
]  # fmt: skip


def region_of_country() -> dict[str, str]:
    """Return iso3 -> programme region from data/countries.csv."""
    with COUNTRIES.open(encoding="utf-8") as handle:
        return {row["iso3"]: row["region"] for row in csv.DictReader(handle)}


def requester_type(code: str) -> str:
    """Return the contract's requester type for a country or organisation code."""
    ro_codes = {ro[0] for ro in REGIONAL_ORGANISATIONS}
    return "regional_organisation" if code in ro_codes else "government"


def real_requests() -> list[dict]:
    """Return the 15 published requests of 2015 as contract rows (ids assigned later)."""
    rows = []
    for received, who, topics, typology, status, completed, code, title in REAL_REQUESTS:
        note, others = REAL_DETAILS.get(f"{who} {topics}", (REAL_NOTE, IOM_2015_FR))
        rows.append(
            {"received_on": dt.date.fromisoformat(received), "requester": who, "topics": topics,
             "typology": typology, "status": status,
             "completed_on": dt.date.fromisoformat(completed) if completed else None,
             "countries": "", "title": title, "source": IOM_2015, "programme_code": code,
             "note": note, "other_sources": others,
             "work_started": WORK_STARTED.get(f"{who} {topics}"),
             "request_id": FIXED_IDS.get(f"{who} {topics}"),
             "illustrative_fields": ILLUSTRATIVE_FIELDS.get(f"{who} {topics}",
                                                            REAL_ILLUSTRATIVE_FIELDS)}
        )  # fmt: skip
    return rows


def spread_dates(rng: random.Random, start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    """Return n sorted distinct working days between start and end, both included."""
    days = [start + dt.timedelta(d) for d in range((end - start).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5]
    return sorted(rng.sample(weekdays, n))


def illustrative_requests(rng: random.Random) -> list[dict]:
    """Return the made-up requests, each period's specs shuffled over its working days."""
    rows = []
    for start, end, specs in PERIODS:
        order = list(specs)
        rng.shuffle(order)
        for received, spec in zip(spread_dates(rng, start, end, len(order)), order, strict=True):
            who, topics, typology, status, countries, title = spec
            rows.append(
                {"received_on": received, "requester": who, "topics": topics,
                 "typology": typology, "status": status, "completed_on": None,
                 "countries": countries, "title": title, "source": ILLUSTRATIVE,
                 "programme_code": "", "note": "", "other_sources": ""}
            )  # fmt: skip
    return rows


def complete(rows: list[dict], rng: random.Random) -> None:
    """Give every completed request without a published date a plausible completion date."""
    for row in rows:
        if row["status"] == "completed" and row["completed_on"] is None:
            # Assistance took from about four months to a year and a half.
            start = row.get("work_started") or row["received_on"]
            done = start + dt.timedelta(rng.randint(120, 540))
            row["completed_on"] = min(done, LAST_COMPLETION)


def numbered(rows: list[dict]) -> list[dict]:
    """Return the rows in order of receipt with ids ACPEU-<year>-<number within the year>."""
    rows = sorted(rows, key=lambda r: r["received_on"])
    taken = {row["request_id"] for row in rows if row.get("request_id")}
    per_year: dict[int, int] = {}
    for row in rows:
        if not row.get("request_id"):
            year = row["received_on"].year
            while True:  # the next number of the year that no fixed id holds
                per_year[year] = per_year.get(year, 0) + 1
                row["request_id"] = f"ACPEU-{year}-{per_year[year]:03d}"
                if row["request_id"] not in taken:
                    break
        row["requester_type"] = requester_type(row["requester"])
    return rows


def all_requests() -> list[dict]:
    """Return every request row, real and illustrative, in order of receipt."""
    rng = random.Random(SEED)
    rows = real_requests() + illustrative_requests(rng)
    complete(rows, rng)
    return numbered(rows)


# --- Meetings ------------------------------------------------------------------------------
# Venue coordinates are the cities' (the venues' own were not published), rounded to 0.01.
MEETINGS = [
    {"meeting_id": "P2P-2016-NAIROBI", "kind": "peer_to_peer", "topics": "remittances",
     "title": "Peer-to-peer exchange meeting on remittances",
     "city": "Nairobi", "country_iso3": "KEN", "lat": -1.29, "lon": 36.82,
     "start_date": "2016-10-17", "end_date": "2016-10-19",
     "source": "https://slideplayer.com./slide/13208206",
     "note": "The programme's first peer-to-peer meeting (IOM). Participant total not published: "
             "the breakdown by delegation is illustrative."},
    {"meeting_id": "P2P-2017-GEORGETOWN", "kind": "peer_to_peer", "topics": "trafficking;smuggling",
     "title": "Peer-to-peer exchange meeting on trafficking in human beings and smuggling of migrants",
     "city": "Georgetown", "country_iso3": "GUY", "lat": 6.80, "lon": -58.16,
     "start_date": "2017-03-21", "end_date": "2017-03-23",
     "source": "https://iom.int/news/acp-eu-migration-programme-meets-counter-human-trafficking-migrant-smuggling",
     "reported_participants": 70, "reported_qualifier": "exactly",
     "note": "70 delegates and experts (IOM); the breakdown by delegation is illustrative. "
             "End date from 'three-day' starting 21/03."},
    {"meeting_id": "P2P-2018-LUSAKA", "kind": "peer_to_peer", "topics": "visas",
     "title": "Peer-to-peer exchange meeting on visas",
     "city": "Lusaka", "country_iso3": "ZMB", "lat": -15.42, "lon": 28.28,
     "start_date": "2018-05-22", "end_date": "2018-05-24",
     "source": "https://acpeumigrationaction.iom.int/peer-peer-exchange-meeting-visas",
     "note": "Co-hosted by the Government of Zambia and COMESA. Participant total not published: "
             "the breakdown by delegation is illustrative."},
    {"meeting_id": "RTM-2019-ACCRA", "kind": "regional_thematic", "topics": "remittances",
     "title": "Regional thematic meeting on remittances in Sub-Saharan Africa",
     "city": "Accra", "country_iso3": "GHA", "lat": 5.60, "lon": -0.19,
     "start_date": "2019-02-19", "end_date": "2019-02-21",
     "source": "https://www.ghanabusinessnews.com/2019/02/19/harnessing-the-flow-of-remittances-key-to-development-iom/",
     "reported_participants": 80, "reported_qualifier": "exactly",
     "note": "80 participants; the breakdown by delegation is illustrative. Start: a speech "
             "'on Tuesday' in an article of 19/02/2019; end date from 'three-day'."},
    {"meeting_id": "RTM-2019-GEORGETOWN", "kind": "regional_thematic", "topics": "trafficking;smuggling",
     "title": "Regional thematic meeting on trafficking in human beings and smuggling of migrants in the Caribbean",
     "city": "Georgetown", "country_iso3": "GUY", "lat": 6.80, "lon": -58.16,
     "start_date": "2019-03-12", "end_date": "2019-03-14",
     "source": "https://www.iom.int/news/acp-eu-cmc-iom-tackle-human-trafficking-and-migrant-smuggling-caribbean",
     "reported_participants": 50, "reported_qualifier": "more_than",
     "note": "Over 50 participants; the breakdown by delegation (54) is illustrative. With the "
             "CMC Counter-Trafficking Network. Start date from 'three days' ending 14/03."},
    {"meeting_id": "RTM-2019-PORTVILA", "kind": "regional_thematic", "topics": "visas",
     "title": "Regional thematic meeting on visas, mobility and cooperation in the Pacific",
     "city": "Port Vila", "country_iso3": "VUT", "lat": -17.73, "lon": 168.32,
     "start_date": "2019-04-03", "end_date": "2019-04-05",
     "source": "https://iom.int/news/acp-eu-iom-focus-visas-mobility-and-cooperation-pacific",
     "note": "The source says 'three-day' and '(3-4/04)'; the end date follows 'three-day'. "
             "Participant total not published: the breakdown by delegation is illustrative."},
    {"meeting_id": "CLOSING-2019-BRUSSELS", "kind": "closing_event",
     "topics": "visas;remittances;trafficking;smuggling",
     "title": "ACP-EU Migration Action closing event",
     "city": "Brussels", "country_iso3": "BEL", "lat": 50.85, "lon": 4.35,
     "start_date": "2019-07-11", "end_date": "2019-07-11",
     "source": "https://acpeumigrationaction.iom.int/closing-event",
     "reported_participants": 90, "reported_qualifier": "more_than",
     "note": "Over 90 stakeholders; the breakdown by delegation (93) is illustrative."},
    {"meeting_id": "DIALOGUE-2016-BRUSSELS", "kind": "other", "topics": "remittances",
     "title": "ACP-EU Dialogue seminar on remittances",
     "city": "Brussels", "country_iso3": "BEL", "lat": 50.85, "lon": 4.35,
     "start_date": "2016-07-13", "end_date": "2016-07-13",
     "source": "https://cocorioko.net/diaspora-affairs-director-represents-sierra-leone-at-the-peer-exchange-meeting-on-remittances-in-kenya",
     "note": "A related event: an ACP-EU Dialogue seminar, not an Action meeting (the Nairobi "
             "peer-to-peer meeting was presented as its follow-up). Participant total not published."},
    {"meeting_id": "DIALOGUE-2018-BRUSSELS", "kind": "other", "topics": "trafficking",
     "title": "ACP-EU technical seminar on trafficking in human beings, with special focus on women and children",
     "city": "Brussels", "country_iso3": "BEL", "lat": 50.85, "lon": 4.35,
     "start_date": "2018-06-19", "end_date": "2018-06-20",
     "source": "https://www.oacps.org/uncategorized/acp-eu-technical-seminar-on-trafficking-in-human-beings-with-special-focus-on-women-and-children/",
     "note": "A related event: an ACP-EU Dialogue seminar that the Action co-organised with the "
             "European Commission and the ACP Secretariat, at the request of the Bulgarian "
             f"Presidency ({ACTION_SEMINAR_2018}). Held at the ACP Secretariat (ACP House), "
             "Brussels. Participant total not published."},
]  # fmt: skip
MEETING_COLUMNS = [
    "meeting_id", "title", "kind", "topics", "city", "country_iso3", "lat", "lon",
    "start_date", "end_date", "source", "note", "reported_participants", "reported_qualifier",
    "reported_source",
]  # fmt: skip

# --- Participation (illustrative: no breakdown was ever published) ------------------------
# Per meeting: the total to reach (published, or chosen where none was: see data/README.md)
# and the delegations as "CODE:participants[:women]" for countries and
# (stakeholder_type, organisation, participants, women or None) for organisations.
ACP, EU = "acp_government", "eu_member_state"
IO, RO, IOM = "international_organisation", "regional_organisation", "iom"
CS, EXPERT, ACADEMIA, OTHER = "civil_society", "expert", "academia", "other"
PARTICIPATION = {
    "P2P-2016-NAIROBI": (62,
        "KEN:9:3 SLE:1 SOM:2 COG:1 ZMB:2:1 MLI:2 MDG:1:1 GHA:2 NGA:2:1 ETH:2 UGA:2:1 TZA:2 "
        "RWA:1:1 ZWE:2 MOZ:1 SEN:2 TGO:1 GUY:1:1 JAM:1:1 SLB:1 WSM:1",
        "ITA:1 FRA:1",
        [(RO, "African Institute for Remittances", 3, 1), (RO, "COMESA", 1, None),
         (RO, "EAC", 1, None), (IO, "ACP Secretariat", 2, 1), (IO, "European Commission", 2, None),
         (CS, "Non-state actor focal points", 3, 2), (EXPERT, "Remittance experts", 3, None),
         (IOM, "IOM", 6, 4)]),
    "P2P-2017-GEORGETOWN": (70,
        "GUY:14:8 JAM:2:1 TTO:2:2 BRB:1:1 BLZ:2 SUR:2:1 HTI:2 DOM:2:1 LCA:1 ATG:1:1 BHS:1 "
        "VCT:1 NGA:2:1 GHA:1 SEN:1 CIV:1 ETH:1 KEN:1:1 UGA:1 ZMB:1 MWI:1:1 SLE:1 GMB:1 PNG:1 "
        "FJI:1:1 SLB:1",
        "NLD:1 ESP:1:1 GBR:1",
        [(RO, "CARICOM", 1, None), (IO, "ACP Secretariat", 1, None),
         (IO, "European Union", 2, 1), (IO, "UN Women", 1, 1), (IO, "UNODC", 1, None),
         (IO, "UNICEF", 1, 1), (IOM, "IOM", 7, 4), (EXPERT, "Trafficking and smuggling experts", 4, 2),
         (CS, "Civil society organisations", 3, 3)]),
    "P2P-2018-LUSAKA": (75,
        "ZMB:12:4 KEN:2 ETH:2:1 UGA:1 TZA:2 RWA:1:1 DJI:1 SDN:1 MWI:2 ZWE:2:1 NAM:1 BWA:1 "
        "ZAF:1 LSO:1:1 SWZ:1 AGO:1 MUS:1:1 SYC:1 MDG:1 COM:1 GHA:1 NGA:2 CMR:1 SEN:1 BEN:1 "
        "MLI:1 GUY:1:1 JAM:1 BLZ:1 VUT:1 FJI:1:1 TON:1 PNG:1",
        "DEU:1 BEL:1:1 PRT:1",
        [(RO, "COMESA", 4, 2), (RO, "MSG", 1, None), (RO, "African Union Commission", 1, None),
         (IO, "ACP Secretariat", 1, 1), (IO, "European Commission", 2, None), (IOM, "IOM", 7, 4),
         (EXPERT, "Visa and border management experts", 4, 1), (CS, "Civil society organisations", 2, 1)]),
    "RTM-2019-ACCRA": (80,
        "GHA:14:6 NGA:3:1 SEN:2 CIV:2:1 BFA:2 MLI:2 NER:1 TGO:2:1 BEN:1 LBR:1 SLE:2:1 GMB:1 "
        "GIN:1 CMR:1 KEN:2 ETH:2:1 UGA:1 TZA:1 RWA:1 SOM:1 SDN:1 ZMB:2 ZWE:2:1 MWI:1 MOZ:1 "
        "LSO:1:1 ZAF:1 NAM:1:1",
        "",
        [(RO, "African Institute for Remittances", 2, 1), (RO, "ECOWAS", 2, None),
         (IO, "Making Finance Work for Africa Partnership", 1, None), (IO, "European Union", 2, 1),
         (IO, "UN agencies", 2, 1), (IOM, "IOM", 8, 5), (EXPERT, "Remittance experts", 3, None),
         (CS, "Non-governmental organisations", 4, 2), (OTHER, "Banks and money transfer operators", 3, 1)]),
    "RTM-2019-GEORGETOWN": (54,
        "GUY:10:6 JAM:3:2 TTO:3:1 BRB:2:2 BLZ:2 SUR:2:1 HTI:2 DOM:2:1 BHS:2:1 ATG:1 DMA:1 GRD:1:1 "
        "KNA:1 LCA:1:1 VCT:1",
        "NLD:1 FRA:1 ESP:1:1",
        [(RO, "Caribbean Migration Consultations", 2, 1), (RO, "CARICOM IMPACS", 1, None),
         (IO, "European Union", 1, 1), (IO, "UNODC", 1, None), (IOM, "IOM", 6, 4),
         (EXPERT, "Counter-trafficking experts", 2, 1), (CS, "Non-governmental organisations", 4, 3)]),
    "RTM-2019-PORTVILA": (45,
        "VUT:8:3 FJI:3:1 PNG:3 SLB:2:1 WSM:2:1 TON:2 KIR:1 TUV:1 NRU:1 COK:1:1 NIU:1 MHL:1 FSM:1 "
        "PLW:1 TLS:1",
        "",
        [(RO, "PIF", 1, None), (RO, "MSG", 2, 1), (IO, "International Labour Organization", 1, 1),
         (IO, "European Union", 1, None), (IOM, "IOM", 6, 3), (CS, "Civil society organisations", 3, 2),
         (EXPERT, "Labour mobility experts", 2, None)]),
    "CLOSING-2019-BRUSSELS": (93,
        "NGA:1 GHA:1 SEN:1 CIV:1 MLI:1 BFA:1 CMR:1 KEN:1 ETH:1 UGA:1 SDN:1 ZMB:1 ZWE:1 MDG:1 "
        "NAM:1 MUS:1 ZAF:1 AGO:1 GUY:1 JAM:1 TTO:1 DOM:1 HTI:1 BRB:1 FJI:1 PNG:1 VUT:1 WSM:1 "
        "COG:1 BEN:1 LBR:1 SOM:1 SLE:1 LSO:1 MWI:1 SUR:1 BLZ:1 TON:1 SLB:1",
        "BEL:2:1 DEU:2 FRA:2:1 ITA:1 ESP:1 NLD:1 PRT:1 SWE:1:1 FIN:1 AUT:1 IRL:1 GBR:1 LUX:1 CZE:1",
        [(RO, "ECOWAS", 1, None), (RO, "COMESA", 1, None), (RO, "PIF", 1, None),
         (IO, "ACP Secretariat", 5, 2), (IO, "European Commission", 6, 3),
         (IO, "UN agencies", 3, 2), (IOM, "IOM", 12, 7), (ACADEMIA, "Think tanks", 5, 3),
         (CS, "Civil society organisations", 3, 2)]),
}  # fmt: skip
# Meetings whose (illustrative) lists of delegations recorded gender for every delegation, 0
# included; the other meetings' lists recorded none. Choosing the delegations that had women
# would make the women's share a share among delegations chosen to contain women.
GENDER_REPORTED = {
    "P2P-2017-GEORGETOWN", "P2P-2018-LUSAKA", "RTM-2019-GEORGETOWN", "CLOSING-2019-BRUSSELS",
}  # fmt: skip
PARTICIPATION_COLUMNS = [
    "meeting_id", "stakeholder_type", "country_iso3", "organisation", "participants", "women",
    "source",
]  # fmt: skip


def country_delegations(spec: str, stakeholder_type: str) -> list[dict]:
    """Return rows from "ISO:participants[:women]" items separated by spaces."""
    rows = []
    for item in spec.split():
        iso3, participants, *women = item.split(":")
        rows.append(
            {"stakeholder_type": stakeholder_type, "country_iso3": iso3, "organisation": "",
             "participants": int(participants), "women": int(women[0]) if women else None}
        )  # fmt: skip
    return rows


def participation_rows() -> list[dict]:
    """Return every delegation row; fails if a meeting's rows miss its total."""
    rows = []
    for meeting_id, (total, acp, eu, organisations) in PARTICIPATION.items():
        meeting_rows = country_delegations(acp, ACP) + country_delegations(eu, EU)
        meeting_rows += [
            {"stakeholder_type": kind, "country_iso3": "", "organisation": name,
             "participants": n, "women": women}
            for kind, name, n, women in organisations
        ]  # fmt: skip
        for row in meeting_rows:
            # 0 where a meeting's list recorded gender and the delegation had no women; blank
            # (not reported) for every delegation of a meeting whose list did not.
            if meeting_id in GENDER_REPORTED:
                row["women"] = row["women"] or 0
            else:
                row["women"] = None
        found = sum(r["participants"] for r in meeting_rows)
        if found != total:
            raise SystemExit(f"{meeting_id}: delegations add up to {found}, not {total}")
        rows += [{"meeting_id": meeting_id, **r, "source": ILLUSTRATIVE} for r in meeting_rows]
    return rows


# --- Writing -------------------------------------------------------------------------------
def cell(value: object) -> str:
    """Return a value as the contract writes it: ISO dates, empty for missing."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write(name: str, columns: list[str], rows: list[dict]) -> None:
    """Write one table of the data folder as UTF-8 CSV with Unix line ends."""
    with (DATA / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(row.get(c)) for c in columns] for row in rows)


# --- Status history (illustrative) ----------------------------------------------------------
# No history of the requests was published: request_events.csv is made up from requests.csv
# (each request's receipt, final status and completion date), so that it agrees with it and
# with every checkpoint. One generator per request id: a changed request changes only its rows.
EVENT_COLUMNS = ["request_id", "status", "changed_on", "note"]
EVENT_NOTES = {
    "under_review": "Eligibility and needs assessment (illustrative)",
    "approved": "Terms of reference agreed (illustrative)",
    "ongoing": "Assistance under way (illustrative)",
    "completed": "Assistance completed (illustrative)",
    "rejected": "Not taken up by the programme (illustrative)",
    "withdrawn": "Withdrawn by the requester (illustrative)",
}
STAGES = ["under_review", "approved", "ongoing"]
LAST_CHANGE = dt.date(2019, 8, 31)  # the programme's close


def request_events(requests: list[dict[str, str]]) -> list[dict]:
    """Return status changes for requests.csv's rows, ending on each request's status.

    A completed request passes review, approval and work before its completed_on; a rejected
    or withdrawn one is reviewed first; an open one reaches its status. Every change comes
    after the receipt, and none after the programme closed.
    """
    rows = []
    for request in requests:
        rng = random.Random(f"{SEED}-{request['request_id']}")
        received = dt.date.fromisoformat(request["received_on"])
        status = request["status"]
        done = request["completed_on"]
        if status == "completed" and done:
            end = dt.date.fromisoformat(done)
            # Review, approval and the start of work within the first half of the time taken.
            span = (end - received).days
            cuts = sorted(rng.sample(range(1, max(span // 2, 4)), 3))
            changes = [(s, received + dt.timedelta(c)) for s, c in zip(STAGES, cuts, strict=True)]
            changes.append(("completed", end))
        elif status in ("rejected", "withdrawn", "completed"):
            review = received + dt.timedelta(rng.randint(5, 20))
            closed = review + dt.timedelta(rng.randint(20, 90))
            changes = [("under_review", review), (status, min(closed, LAST_CHANGE))]
        else:
            reached = STAGES[: STAGES.index(status) + 1] if status in STAGES else []
            day, changes = received, []
            for stage in reached:
                day += dt.timedelta(rng.randint(7, 45))
                changes.append((stage, min(day, LAST_CHANGE)))
        for stage, day in changes:
            rows.append(
                {"request_id": request["request_id"], "status": stage,
                 "changed_on": max(day, received), "note": EVENT_NOTES[stage]}
            )  # fmt: skip
    return rows


def write_request_events() -> None:
    """Write request_events.csv from the requests.csv in data/ (so the two always agree)."""
    with (DATA / "requests.csv").open(encoding="utf-8", newline="") as handle:
        requests = list(csv.DictReader(handle))
    write("request_events.csv", EVENT_COLUMNS, request_events(requests))


def main() -> None:
    """Write the tables of data/ that follow from countries.csv."""
    regions = region_of_country()
    organisations = [
        {"code": code, "name": name, "region": region, "secretariat": seat,
         "members": ";".join(m for m in members.split() if m in regions)}
        for code, name, region, seat, members in REGIONAL_ORGANISATIONS
    ]  # fmt: skip
    write("regional_organisations.csv", ["code", "name", "region", "members", "secretariat"],
          organisations)  # fmt: skip
    write("requests.csv", REQUEST_COLUMNS, all_requests())
    write("meetings.csv", MEETING_COLUMNS, MEETINGS)
    write("participation.csv", PARTICIPATION_COLUMNS, participation_rows())
    write_request_events()
    print(f"wrote {', '.join(sorted(p.name for p in DATA.glob('*.csv')))} to {DATA}")


if __name__ == "__main__":
    main()
