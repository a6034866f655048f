"""Countries: ISO 3166-1 alpha-3 codes, their names (translated with pycountry's catalogues), centroids."""

from __future__ import annotations

import csv
import gettext
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pycountry

CENTROIDS_CSV = Path(__file__).parent / "reference" / "centroids.csv"


@cache
def iso3_codes() -> frozenset[str]:
    """Return every ISO 3166-1 alpha-3 code pycountry knows."""
    return frozenset(c.alpha_3 for c in pycountry.countries)


def is_iso3(code: object) -> bool:
    """Return whether `code` is a real ISO 3166-1 alpha-3 code (upper case, as the contract asks)."""
    return isinstance(code, str) and code in iso3_codes()


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


_PREPOSITIONS = {"of", "the", "de", "du", "des", "do", "da", "dos", "das", "del", "la"}


def _invert(name: str) -> str:
    # ISO lists write some names inverted for sorting ("Moldova, Republic of", "Congo,
    # République démocratique du"); read them the natural way round.
    head, sep, tail = name.partition(", ")
    if sep and tail.split()[-1].lower() in _PREPOSITIONS:
        natural = f"{tail} {head}"
        return natural[4:] if natural.startswith("The ") else natural
    return name


@cache
def _name(iso3: str, lang: str) -> str:
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    common = getattr(country, "common_name", None)
    if lang == "en":
        return common or _invert(country.name)
    catalogue = _catalogue(lang)
    if common and catalogue.gettext(common) != common:
        return catalogue.gettext(common)
    translated = catalogue.gettext(country.name)
    if common and (translated == country.name or ", " in translated):
        return common  # the short name is the same in this language ("Bolivia")
    return _invert(translated)


def country_name(iso3: str, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
    """Return the country's short name in `lang` (en, fr, pt, es), or the code when unknown.

    `names` (iso3 -> English name, e.g. from countries.csv) overrides the English name.
    """
    if lang == "en" and names and iso3 in names:
        return names[iso3]
    return _name(iso3, lang)


@cache
def _centroids() -> dict[str, tuple[float, float]]:
    if not CENTROIDS_CSV.exists():
        return {}
    with CENTROIDS_CSV.open(newline="", encoding="utf-8") as handle:
        return {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)}


def centroid(iso3: str) -> tuple[float, float] | None:
    """Return the (lat, lon) where the dashboard places a country, None when it has none."""
    return _centroids().get(iso3)
