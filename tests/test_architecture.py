"""docs/architecture.md names every module, and the code keeps to its layers.

The layers: app_pages/ (widgets only) -> ui/ (the Streamlit adapter) -> acpeu_data/ (plain
functions, no Streamlit). A page never reads pandas itself, and nothing imports upwards.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
ENTRY_POINT = "dashboard.py"
PACKAGES = ("acpeu_data", "ui", "app_pages")
# A top-level entry of the layout ("ui/", "dashboard.py"), or one indented by two spaces under
# the folder above it ("  screen.py"); deeper indentation continues a description.
ENTRY = re.compile(r"^(?P<indent>(  )?)(?P<name>[\w.]+/?)(\s|$)")


def _layout() -> str:
    """The first code block of the document: the tree of folders and modules."""
    return DOC.read_text(encoding="utf-8").split("```")[1]


def documented_paths() -> set[str]:
    """Return every path the layout names, e.g. 'dashboard.py', 'ui/', 'ui/screen.py'."""
    paths: set[str] = set()
    folder = ""
    for line in _layout().splitlines():
        entry = ENTRY.match(line)
        if not entry:
            continue
        name = entry["name"]
        if entry["indent"]:
            paths.add(folder + name)
        else:
            paths.add(name)
            folder = name if name.endswith("/") else ""
    return paths


def modules() -> list[str]:
    """Return the project's modules: the entry point and every .py file of the packages."""
    found = [ENTRY_POINT]
    for package in PACKAGES:
        found += sorted(str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py"))
    return found


def imported(module: str) -> set[str]:
    """Return the top-level names a module imports, anywhere in it (lazy imports too)."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_the_layout_is_read():
    # Guards the parser: a layout it cannot read would make the tests below pass vacuously.
    assert {ENTRY_POINT, "ui/", "ui/screen.py", "acpeu_data/load.py"} <= documented_paths()


@pytest.mark.parametrize("module", modules())
def test_the_architecture_document_names_every_module(module):
    assert module in documented_paths(), f"docs/architecture.md does not name {module}"


def test_every_path_the_document_names_exists():
    missing = sorted(path for path in documented_paths() if not (ROOT / path).exists())
    assert missing == [], f"docs/architecture.md names what does not exist: {missing}"


@pytest.mark.parametrize("module", [m for m in modules() if m.startswith("acpeu_data/")])
def test_the_data_package_knows_nothing_of_streamlit_or_the_ui(module):
    assert not imported(module) & {"streamlit", "ui", "app_pages"}


@pytest.mark.parametrize("module", [m for m in modules() if m.startswith("ui/")])
def test_the_ui_never_imports_a_page(module):
    assert "app_pages" not in imported(module)


@pytest.mark.parametrize("module", [m for m in modules() if m.startswith("app_pages/")])
def test_a_page_only_composes_widgets(module):
    # Tables are shaped in acpeu_data (tables.py, metrics.py), not on a page.
    assert not imported(module) & {"pandas", "numpy", "app_pages"}
