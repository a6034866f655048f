"""The Data page with a broken data folder and with uploads (AppTest), and its helpers."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path

import pytest
from apptest import open_app
from streamlit.testing.v1 import AppTest

import acpeu_data as ad
from acpeu_data import contract
from ui import data as ui_data

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
TRICKY_TITLE = "=1+1 <script>alert(1)</script> <b>bold</b>"


def data_page(folder: Path | None = None, monkeypatch=None, state: dict | None = None) -> AppTest:
    if folder is not None:
        monkeypatch.setenv("ACPEU_DATA_DIR", str(folder))
    return open_app("app_pages/data.py", state=state)


def bundled_files(title: str | None = None) -> dict[str, bytes]:
    """The bundled CSV files as an upload; `title` replaces the first request's title."""
    files = {p.name: p.read_bytes() for p in sorted(ui_data.BUNDLED_DIR.glob("*.csv"))}
    if title is not None:
        rows = list(csv.reader(io.StringIO(files["requests.csv"].decode("utf-8-sig"))))
        rows[1][rows[0].index("title")] = title
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        files["requests.csv"] = out.getvalue().encode()
    return files


def shown(markdown: str) -> str:
    """The text a Markdown element shows: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(elements) -> str:
    return " ".join(shown(str(e.value)) for e in elements)


def expander_labels(app: AppTest) -> list[str]:
    return [shown(e.label) for e in app.expander]


def test_broken_folder_lists_every_problem_by_file_and_keeps_the_bundled_data(
    data_copy, monkeypatch
):
    data_copy.set_cell("requests.csv", 2, "received_on", "2017-02-30")
    data_copy.set_cell("requests.csv", 3, "status", "done")
    data_copy.set_cell("meetings.csv", 2, "kind", "<b>party</b>")
    with pytest.raises(ad.DataError) as caught:
        ad.load(data_copy.path)
    problems = caught.value.problems

    app = data_page(data_copy.path, monkeypatch)

    banner = texts(app.error)
    assert f"has {len(problems)} problems and was not used" in banner
    assert "the bundled data" in banner
    assert "requests.csv: 2 problems" in expander_labels(app)
    assert "meetings.csv: 1 problem" in expander_labels(app)
    listed = app.dataframe[0].value
    assert list(listed.columns) == ["File", "Row", "Column", "Value", "Problem"]
    assert listed[["Row", "Column"]].values.tolist() == [[2, "received_on"], [3, "status"]]
    # The page still shows the bundled data, and its figures.
    assert f"All data: {len(ad.load(ui_data.BUNDLED_DIR).requests)} requests" in texts(app.caption)


def test_a_folder_path_with_markdown_in_it_is_shown_literally(tmp_path, monkeypatch):
    folder = tmp_path / "my_data_*folder*"
    app = data_page(folder, monkeypatch)  # does not exist: one problem, about the folder
    assert "my\\_data\\_\\*folder\\*" in " ".join(e.value for e in app.error)
    assert folder.name in texts(app.error)
    assert folder.name in texts(app.text)
    # Only its name: where the server keeps its data is nobody's business (issue 16, item 9).
    assert str(tmp_path) not in texts(app.error) + texts(app.text)


def test_upload_in_session_state_is_used_and_back_button_returns(monkeypatch):
    monkeypatch.delenv("ACPEU_DATA_DIR", raising=False)
    upload = ad.load_files(bundled_files(TRICKY_TITLE))
    app = data_page(state={ui_data.UPLOAD_KEY: upload})

    assert "files you uploaded" in texts(app.info)
    assert app.session_state[ui_data.UPLOAD_KEY].requests["title"].iloc[0] == TRICKY_TITLE
    back = next(b for b in app.button if b.label == "Back to the bundled data")
    back.click().run()
    assert ui_data.UPLOAD_KEY not in app.session_state
    assert "files you uploaded" not in texts(app.info)
    assert not any(b.label == "Back to the bundled data" for b in app.button)


def test_refused_upload_lists_its_problems_and_keeps_the_data(monkeypatch):
    monkeypatch.delenv("ACPEU_DATA_DIR", raising=False)
    files = bundled_files()
    del files["meetings.csv"]
    with pytest.raises(ad.DataError) as caught:
        ad.load_files(files)
    app = data_page(state={ui_data.UPLOAD_PROBLEMS_KEY: caught.value.problems})

    assert "were not used: the dashboard keeps its data" in texts(app.error)
    assert "meetings.csv: 1 problem" in expander_labels(app)
    assert "files you uploaded" not in texts(app.info)
    assert "The bundled data" in texts(app.markdown)


def test_template_downloads_and_limits_are_offered(monkeypatch):
    monkeypatch.delenv("ACPEU_DATA_DIR", raising=False)
    app = data_page()
    labels = [b.label for b in app.get("download_button")]
    assert "CSV templates (zip)" in labels and "Excel template" in labels
    assert f"Limits: {ui_data.MAX_UPLOAD_MB} MB per file" in texts(app.caption)


def test_requests_page_offers_hxl_hashtags_next_to_the_downloads(monkeypatch):
    monkeypatch.delenv("ACPEU_DATA_DIR", raising=False)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT).run()
    app.switch_page("app_pages/requests.py").run()
    boxes = [c for c in app.checkbox if c.label == "Add HXL hashtags"]
    assert boxes and not boxes[0].value
    boxes[0].check().run()
    assert not app.exception


def test_server_upload_limit_matches_the_loader():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == contract.MAX_FILE_BYTES // 2**20
    assert ui_data.MAX_UPLOAD_MB == config["server"]["maxUploadSize"]


@pytest.mark.parametrize(
    "text",
    [
        TRICKY_TITLE,
        "*a* _b_ [link](https://example.org) :red[x] :material/home: $x^2$ `c` # h",
        "C:\\data\\my_file",
    ],
)
def test_escape_markdown_backslashes_every_punctuation_mark(text):
    escaped = ui_data.escape_markdown(text)
    # Removing the escapes gives the text back; no punctuation is left unescaped.
    assert escaped.replace("\\\\", "\0").replace("\\", "").replace("\0", "\\") == text
    for i, ch in enumerate(escaped):
        if not ch.isalnum() and not ch.isspace() and ch.isascii():
            before = len(escaped[:i]) - len(escaped[:i].rstrip("\\"))
            assert before % 2 == 1 or ch == "\\", (escaped, i)


def test_escape_markdown_keeps_one_line():
    assert ui_data.escape_markdown("a\n\n# b") == "a \\# b"


def test_problem_list_csv_is_formula_safe():
    problems = [
        ad.Problem("requests.csv", 4, "title", '=HYPERLINK("http://x")', "too long"),
        ad.Problem("meetings.csv", None, None, None, "-1 rows"),
    ]
    text = ui_data.problems_csv(problems, lambda s: s).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["File", "Row", "Column", "Value", "Problem"]
    assert rows[1] == ["requests.csv", "4", "title", '\'=HYPERLINK("http://x")', "too long"]
    assert rows[2] == ["meetings.csv", "", "", "", "'-1 rows"]


def test_by_file_keeps_the_order_of_first_appearance():
    problems = [ad.Problem(f, 2, None, None, "x") for f in ("b.csv", "a.csv", "b.csv")]
    assert {f: len(p) for f, p in ui_data.by_file(problems).items()} == {"b.csv": 2, "a.csv": 1}
    assert list(ui_data.by_file(problems)) == ["b.csv", "a.csv"]


def test_a_user_never_sees_source_paths_in_an_error():
    """Issue 16, item 9: Streamlit shows tracebacks with the server's paths by default."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_the_data_source_is_named_without_its_server_path(data_copy, monkeypatch):
    app = data_page(data_copy.path, monkeypatch)
    assert not app.error
    assert "the configured data folder (data)" in texts(app.text)
    everything = texts(app.text) + texts(app.markdown) + texts(app.caption)
    assert str(data_copy.path.parent) not in everything
    ds = ad.load(data_copy.path)
    assert ui_data.source_label(ds, str) == "the configured data folder (data)"
    assert ui_data.source_label(ad.load(ui_data.BUNDLED_DIR), str) == "the bundled data"


def test_with_no_readable_data_at_all_the_page_lists_the_problems(tmp_path, monkeypatch):
    """The configured folder and the bundled data both broken: no crash, the problems shown."""
    broken = tmp_path / "data"
    broken.mkdir()  # a folder without any of the files
    monkeypatch.setattr(ui_data, "BUNDLED_DIR", broken)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    monkeypatch.setenv("ACPEU_DATA_DIR", str(tmp_path / "gone"))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert "No data can be shown" in texts(app.error)
    listed = app.dataframe[0].value
    assert listed["File"].tolist() == ["gone"]
    assert str(tmp_path) not in texts(app.error)


@pytest.mark.parametrize("page", [None, "app_pages/data.py"])
def test_a_broken_bundled_folder_alone_shows_a_banner_not_a_crash(tmp_path, monkeypatch, page):
    """No folder or database configured, and the bundled data broken: the problems are listed."""
    broken = tmp_path / "data"
    broken.mkdir()
    (broken / "countries.csv").write_text("iso3,name\nXXX,Nowhere\n", encoding="utf-8")
    monkeypatch.setattr(ui_data, "BUNDLED_DIR", broken)
    for name in ("ACPEU_DATA_DIR", "ACPEU_DATA_URL"):
        monkeypatch.delenv(name, raising=False)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT).run()
    if page is not None:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    assert "No data can be shown" in texts(app.error)
    assert "countries.csv" in app.dataframe[0].value["File"].tolist()
    assert not app.metric  # no figure drawn from data that is not there
