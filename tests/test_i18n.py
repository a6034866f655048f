"""Translations: every interface text in French, Portuguese and Spanish, and pages that use them."""

from __future__ import annotations

import gettext
import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

import acpeu_data as ad
from acpeu_data import contract, geo, i18n

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TIMEOUT = 60
# (page file or None for the Overview, its title, its metric labels in English)
PAGES = [
    (
        None,
        "Overview",
        [
            "Requests",
            "Governments",
            "Regional organisations",
            "Trafficking or smuggling",
            "Countries reached",
            "Programme meetings",
            "Participants",
        ],
    ),
    ("app_pages/requests.py", "Requests", []),
    ("app_pages/countries.py", "Countries", []),
    ("app_pages/meetings.py", "Meetings", []),
    ("app_pages/data.py", "Data", []),
]


def _tools_i18n():
    spec = importlib.util.spec_from_file_location("tools_i18n", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _po_path(lang: str) -> Path:
    return i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def _ids(catalog: Catalog) -> set:
    return {message.id for message in catalog if message.id}


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot")


def test_template_is_up_to_date_with_the_code(template: Catalog) -> None:
    """A new `_()` text, code label or data message must be extracted (`make i18n`)."""
    fresh = _ids(_tools_i18n().build_template())
    assert fresh - _ids(template) == set(), "texts missing from the template: run `make i18n`"
    assert _ids(template) - fresh == set(), "texts no longer used: run `make i18n`"


def test_data_messages_and_labels_are_in_the_template(template: Catalog) -> None:
    ids = _ids(template)
    for labels in contract.CODE_LISTS.values():
        assert set(labels.values()) <= ids
    assert set(ad.load().countries["region"]) | {contract.NON_ACP} <= ids
    assert "empty: {name} must be filled in" in ids  # a Problem template of validate.py


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_has_a_translation(template: Catalog, lang: str) -> None:
    catalog = _read(_po_path(lang), lang)
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found else None
        forms = strings if isinstance(strings, tuple) else (strings,)
        if found is None or found.fuzzy or not all(forms):
            missing.append(message.id)
    assert missing == [], f"{len(missing)} texts without a {lang} translation"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_are_kept(lang: str) -> None:
    wrong = []
    for message in _read(_po_path(lang), lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        wrong += [(ids[0], form) for form in forms if set(PLACEHOLDER.findall(form)) != expected]
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogue_matches_the_po(lang: str) -> None:
    """What the app reads (the .po compiled in memory) says what the .po says."""
    compiled = i18n._translations(lang)
    catalog = _read(_po_path(lang), lang)
    plural = gettext.c2py(catalog.plural_expr)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for count in (1, 5):
                expected = message.string[plural(count)]
                assert compiled.ngettext(*message.id, count) == expected, message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translator_and_number_formats(lang: str) -> None:
    _ = i18n.translator(lang)
    assert _("Requests") != "Requests"
    assert _("West and Central Africa") != "West and Central Africa"
    assert i18n.format_number(12345, lang) != i18n.format_number(12345, "en")
    assert i18n.translator(f"{lang}-XX")("Requests") == _("Requests")


def test_unknown_language_falls_back_to_english() -> None:
    assert i18n.normalise_language("de-DE") == "en"
    assert i18n.normalise_language(None) == "en"
    assert i18n.translator("de")("Requests") == "Requests"
    assert i18n.format_percent(0.41, "fr") == "41\u00a0%"
    assert i18n.format_percent(0.41, "en") == "41%"


def _run(lang: str, page: str | None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _shown_texts(app: AppTest) -> list[str]:
    """The texts a user reads as interface: titles, labels, captions, placeholders."""
    texts = [el.value for kind in ("title", "header", "subheader") for el in app.get(kind)]
    texts += [el.label for el in app.metric]
    texts += [el.proto.label for el in app.get("expander")]
    texts += [el.label for el in app.multiselect]
    texts += [el.proto.placeholder for el in app.multiselect]
    texts += [el.label for el in app.button]
    return texts


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
@pytest.mark.parametrize(("page", "title", "metrics"), PAGES, ids=[p[1] for p in PAGES])
def test_page_renders_in_the_language(page, title, metrics, lang: str) -> None:
    _ = i18n.translator(lang)
    app = _run(lang, page)
    assert app.title[0].value == _(title)
    labels = [m.label for m in app.metric]
    for english in metrics:
        assert _(english) in labels
        if lang != "en":
            assert english not in labels or _(english) == english
    if lang != "en":
        english_only = {
            text for text in _ids(_read(i18n.LOCALE_DIR / "messages.pot")) if _(text) != text
        }
        leftovers = [text for text in _shown_texts(app) if text in english_only]
        assert leftovers == [], f"English texts on a {lang} page"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_sidebar_options_are_translated(lang: str) -> None:
    _ = i18n.translator(lang)
    app = _run(lang, None)
    regions = app.multiselect(key="w_region")
    assert list(regions.options) == [_(r) for r in dict.fromkeys(ad.load().countries["region"])]
    countries = app.multiselect(key="w_country")
    expected = sorted(geo.country_name(c, lang) for c in ad.load().countries["iso3"])
    assert list(countries.options) == expected


def test_language_survives_a_page_change() -> None:
    app = _run("es", None)
    assert app.title[0].value == "Resumen"
    app.switch_page("app_pages/meetings.py").run()
    assert app.title[0].value == i18n.translator("es")("Meetings")
    assert app.query_params.get("lang") in ("es", ["es"])


def test_choosing_a_language_in_the_sidebar() -> None:
    app = _run("en", None)
    app.selectbox(key="w_lang").set_value("pt").run()
    assert app.title[0].value == "Visão geral"
    assert app.query_params.get("lang") in ("pt", ["pt"])
