"""Country codes, names in the app's four languages, and centroids."""

from __future__ import annotations

import pytest

from acpeu_data import geo


@pytest.mark.parametrize(
    ("iso3", "lang", "name"),
    [
        ("KEN", "en", "Kenya"),
        ("BOL", "en", "Bolivia"),  # the common name, not "Bolivia, Plurinational State of"
        ("BOL", "es", "Bolivia"),
        ("TZA", "fr", "Tanzanie"),
        ("COD", "en", "Democratic Republic of the Congo"),
        ("COD", "fr", "République démocratique du Congo"),
        ("COD", "pt", "República Democrática do Congo"),
        ("FSM", "es", "Estados Federados de Micronesia"),
        ("STP", "pt", "São Tomé e Príncipe"),
        ("CIV", "fr", "Côte d'Ivoire"),
        ("BES", "en", "Bonaire, Sint Eustatius and Saba"),  # a comma that is not an inversion
    ],
)
def test_country_name(iso3, lang, name):
    assert geo.country_name(iso3, lang) == name


def test_unknown_code_and_english_override():
    assert geo.country_name("ZZZ", "fr") == "ZZZ"
    names = {"TZA": "Tanzania, United Republic of"}
    assert geo.country_name("TZA", "en", names) == "Tanzania, United Republic of"
    assert geo.country_name("TZA", "fr", names) == "Tanzanie"


def test_is_iso3():
    assert geo.is_iso3("KEN") and geo.is_iso3("BEL")
    assert not geo.is_iso3("ken") and not geo.is_iso3("XXX") and not geo.is_iso3(None)
    assert len(geo.iso3_codes()) == 249


def test_centroid():
    lat, lon = geo.centroid("KEN")
    assert -5 < lat < 5 and 33 < lon < 42
    assert geo.centroid("ZZZ") is None
    assert all(geo.centroid(code) is not None for code in geo.iso3_codes())
