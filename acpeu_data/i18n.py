"""Translations (gettext catalogues in acpeu_data/locale) and locale-aware number and date formats.

English is the source language: the msgids in the code are the English texts, so a missing
catalogue falls back to English rather than to a key.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel import dates as babel_dates
from babel import numbers as babel_numbers

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


def normalise_language(code: str | None) -> str:
    """Return a supported language code for a code such as 'fr-FR' or 'pt_BR', else English."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=len(LANGUAGES))
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def translator(lang: str) -> Translate:
    """Return the gettext function for a language (English texts are the keys)."""
    return _translations(normalise_language(lang)).gettext


def ngettext(lang: str) -> Callable[[str, str, int], str]:
    """Return the plural-aware gettext function for a language."""
    return _translations(normalise_language(lang)).ngettext


def format_number(value: float | int, lang: str) -> str:
    """Return an integer with the language's grouping, e.g. 1,234 (en) or 1 234 (fr)."""
    return babel_numbers.format_decimal(value, format="#,##0", locale=normalise_language(lang))


def format_percent(share: float | None, lang: str) -> str:
    """Return a 0..1 share as a whole percentage in the language's format (41% / 41 %); '–' if unknown."""
    if share is None:
        return "–"
    # The locale's own pattern: French and Spanish put a no-break space before the sign.
    return babel_numbers.format_percent(share, locale=normalise_language(lang))


def format_date(value: dt.date | None, lang: str, fmt: str = "medium") -> str:
    """Return a date in the language's format (e.g. 21 Mar 2017 / 21 mars 2017)."""
    if value is None:
        return "–"
    return babel_dates.format_date(value, format=fmt, locale=normalise_language(lang))
