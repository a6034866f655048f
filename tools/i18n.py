"""Build the translation template and catalogues: `python tools/i18n.py` (or `make i18n`).

1. pybabel's extractor collects every `_("...")` in the code (babel.cfg).
2. Texts that reach `_()` as data are added: the contract's code labels and SDG texts, the
   region names of the bundled data, "Non-ACP", the page names of the sidebar, and the
   message templates of acpeu_data's Problems (the `template` of validate.make).
3. Each language's .po is updated from the template (new texts get an empty translation,
   which tests/test_i18n.py reports). The app compiles the .po in memory (acpeu_data/i18n.py).

Catalogues are written sorted by text, without source locations or dates, so that two branches
adding texts touch different lines and merge without conflicts.
"""

from __future__ import annotations

import ast
import csv
import datetime
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from acpeu_data import contract, i18n  # noqa: E402

TEMPLATE = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
# `N_("Overview")` marks a text translated where it is shown; `n = i18n.ngettext(lang)` is plural.
KEYWORDS = {**DEFAULT_KEYWORDS, "n": (1, 2)}
# Modules whose Problem messages are shown translated (Problem.template is the msgid).
MESSAGE_MODULES = (
    "acpeu_data/validate.py",
    "acpeu_data/rules.py",
    "acpeu_data/read.py",
    "acpeu_data/load.py",
)
# Calls whose string arguments are Problem message templates.
MESSAGE_CALLS = {"make", "located", "_error", "Problem"}
MESSAGE_NAMES = {"message", "summary", "template"}
LANGUAGE_TEAM = "ACP-EU Migration Action dashboard maintainers"
# A fixed header date: a date that changed at every run would make every branch conflict.
CREATION_DATE = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
WRITE_OPTIONS = {"width": 100, "sort_output": True, "no_location": True}


def _code_texts() -> list[str]:
    texts = [label for labels in contract.CODE_LISTS.values() for label in labels.values()]
    texts += list(contract.SDG_TARGET_TEXTS.values())
    return [*texts, contract.SDG_SOURCE, contract.NON_ACP]


def _region_texts() -> list[str]:
    with (ROOT / "data" / "countries.csv").open(encoding="utf-8") as handle:
        return sorted({row["region"] for row in csv.DictReader(handle)})


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _template_strings(tree: ast.AST) -> set[str]:
    """Strings passed to the Problem builders, assigned to `message`, or returned with params."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in MESSAGE_CALLS:
                args = [*node.args, *(k.value for k in node.keywords)]
                found |= {s for s in map(_literal, args) if s and " " in s}
        elif isinstance(node, ast.Assign):
            targets = {getattr(t, "id", "") for t in node.targets}
            if targets & MESSAGE_NAMES and (text := _literal(node.value)):
                found.add(text)
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            first = node.value.elts[0] if node.value.elts else None
            if first is not None and (text := _literal(first)) and " " in text:
                found.add(text)
    return found


def message_templates() -> list[str]:
    """Return the English Problem message templates of acpeu_data, sorted."""
    found: set[str] = set()
    for module in MESSAGE_MODULES:
        found |= _template_strings(ast.parse((ROOT / module).read_text(encoding="utf-8")))
    return sorted(found)


def build_template() -> Catalog:
    """Return the template: extracted texts plus the data texts shown through `_()`."""
    catalog = Catalog(
        project="acpeu-dashboard", version="1", fuzzy=False, creation_date=CREATION_DATE
    )
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, locations=[(filename, lineno)])
    for source, texts in (
        ("acpeu_data/contract.py", _code_texts()),
        ("data/countries.csv", _region_texts()),
        ("acpeu_data/validate.py", message_templates()),
    ):
        for text in texts:
            catalog.add(text, locations=[(source, 0)])
    return catalog


def update_languages(template: Catalog) -> None:
    """Merge the template into each language's .po."""
    for lang in i18n.LANGUAGES:
        if lang == i18n.DEFAULT_LANGUAGE:
            continue
        folder = i18n.LOCALE_DIR / lang / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        po_path = folder / f"{i18n.DOMAIN}.po"
        if po_path.exists():
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="acpeu-dashboard")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False  # the header: translations are reviewed, not machine-made
        catalog.project, catalog.version = "acpeu-dashboard", "1"
        catalog.language_team = LANGUAGE_TEAM
        catalog.creation_date = CREATION_DATE
        with po_path.open("wb") as handle:
            write_po(handle, catalog, **WRITE_OPTIONS)


def main() -> None:
    """Write the template and update every language."""
    template = build_template()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as handle:
        write_po(handle, template, **WRITE_OPTIONS)
    update_languages(template)
    print(f"{len(template)} texts in {TEMPLATE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
