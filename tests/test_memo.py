"""Figures and aggregates are built once per data, filter state and language (ui/memo.py)."""

from __future__ import annotations

import threading
from pathlib import Path

from streamlit.testing.v1 import AppTest

from acpeu_data import charts, metrics
from ui import memo

ROOT = Path(__file__).resolve().parent.parent


def test_lru_builds_once_per_key_and_forgets_the_least_recently_used():
    store = memo.Lru(2)
    built = []

    def build(key):
        return lambda: built.append(key) or key.upper()

    assert store.get("a", build("a")) == "A"
    assert store.get("a", build("a")) == "A"
    store.get("b", build("b"))
    store.get("a", build("a"))  # a is now the most recently used
    store.get("c", build("c"))  # so b goes
    store.get("a", build("a"))
    store.get("b", build("b"))
    assert built == ["a", "b", "c", "b"]
    assert len(store) == 2


def test_lru_is_safe_across_threads():
    store = memo.Lru(8)
    results = []

    def work(n):
        results.extend(store.get(i % 10, lambda i=i: i % 10) for i in range(n))

    threads = [threading.Thread(target=work, args=(500,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store) == 8
    assert results.count(3) == 4 * 50


def test_going_back_to_a_filter_builds_nothing_again(monkeypatch):
    memo.results.clear()
    memo.frames.clear()
    calls = {"timeline": 0, "kpis": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        charts, "cumulative_by_topic", counted("timeline", charts.cumulative_by_topic)
    )
    monkeypatch.setattr(metrics, "kpis", counted("kpis", metrics.kpis))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    region = app.multiselect(key="w_region")
    first, second = region.options[:2]
    values = {}
    for choice in ([first], [second], [first], []):
        app.multiselect(key="w_region").set_value(choice).run()
        values[tuple(choice)] = app.metric[0].value
    assert not app.exception
    # all data, the first region, the second: three states, each built once
    assert calls == {"timeline": 3, "kpis": 3}
    assert values[(first,)] != values[(second,)]
