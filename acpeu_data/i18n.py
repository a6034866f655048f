"""Translations (gettext catalogues in acpeu_data/locale) and locale-aware number and date formats.

English is the source language: the msgids in the code are the English texts, so a missing
catalogue falls back to English rather than to a key.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "pt": "Português",
    "es": "Español",
}
DEFAULT_LANGUAGE = "en"

Translate = Callable[[str], str]


def N_(template: str) -> str:
    """Return `template` unchanged: marks a text for extraction (pybabel's N_), translated later."""
    return template


def normalise_language(code: str | None) -> str:
    """Return a supported language code for a code such as 'fr-FR' or 'pt_BR', else English."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def catalogue_path(lang: str) -> Path:
    """The .po of a language: the only form of the catalogue kept in the repository."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def _translations(lang: str) -> gettext.NullTranslations:
    # The .po is compiled in memory once per process (a few ms), so no binary .mo is kept in
    # git: catalogues merge as text, and what the app reads is always what the .po says.
    path = catalogue_path(lang)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translator(lang: str) -> Translate:
    """Return the gettext function for a language (English texts are the keys)."""
    return _translations(normalise_language(lang)).gettext


def ngettext(lang: str) -> Callable[[str, str, int], str]:
    """Return the plural-aware gettext function for a language."""
    return _translations(normalise_language(lang)).ngettext


def format_number(value: float | int, lang: str) -> str:
    """Return an integer with the language's grouping, e.g. 1,234 (en) or 1 234 (fr)."""
    return _format_number(value, lang)


# Pages format the same few numbers on every rerun (a table of meetings: one per row); babel
# takes about 12 µs a number.
@lru_cache(maxsize=4096)
def _format_number(value: float | int, lang: str) -> str:
    return babel_numbers.format_decimal(value, format="#,##0", locale=normalise_language(lang))


def format_percent(share: float | None, lang: str) -> str:
    """Return a 0..1 share as a whole percentage in the language's format (41% / 41 %); '–' if unknown."""
    if share is None:
        return "–"
    # The locale's own pattern: French and Spanish put a no-break space before the sign.
    return babel_numbers.format_percent(share, locale=normalise_language(lang))


def iso_dates(dates: pd.Series, unit: Literal["D", "M"] = "D") -> np.ndarray:
    """Return dates as ISO text, 2017-03-21 (unit "D") or 2017-03 ("M"), as Series.dt.strftime
    gives it, in one numpy pass when no date is missing."""
    values = dates.to_numpy()
    if values.dtype.kind != "M" or np.isnat(values).any():
        return dates.dt.strftime("%Y-%m-%d" if unit == "D" else "%Y-%m").to_numpy(dtype=object)
    return np.datetime_as_string(values.astype(f"datetime64[{unit}]")).astype(object)


def format_date(value: dt.date | None, lang: str, fmt: str = "medium") -> str:
    """Return a date in the language's format (e.g. 21 Mar 2017 / 21 mars 2017)."""
    if value is None:
        return "–"
    return babel_dates.format_date(value, format=fmt, locale=normalise_language(lang))
