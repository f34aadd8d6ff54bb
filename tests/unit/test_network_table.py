"""The native network table and CSV without a server: the Arrow-backed path writes exactly what the pairs say
(ids, ISO times, gaps, every shared object as orjson's compact JSON list), and the signal registry loads lazily."""

from __future__ import annotations

import csv
import subprocess
import sys

import numpy as np
import orjson
import pandas as pd
import pytest

from coordgraph.analytics import network
from coordgraph.analytics.signals import coaction

# object ids that need JSON escaping or are not ASCII
OBJECTS = ["p1", 'say "hi"', "back\\slash", "tab\there", "zürich", "新闻", "line\nbreak", "9"]


def _events(seed: int = 3, n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "obj": rng.choice(OBJECTS, n),
        "acc": [f"u{i}" for i in rng.integers(0, 60, n)],
        "at": 1_600_000_000_000 + rng.integers(0, 3_600_000, n) // 1000 * 1000 + rng.integers(0, 2, n) * 500,
    })


def test_native_csv_equals_the_pairs(tmp_path):
    events = _events()
    want = coaction.window_pair_stats(events, 60_000, 1, max_posts=10**9)
    assert len(want) > 200 and want["count"].max() > 3
    network.write_network(network.native_table(coaction.pair_arrays(events, 60_000, 1)), "native", tmp_path / "n.csv")
    with open(tmp_path / "n.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == network.NATIVE_COLUMNS and len(rows) == len(want)
    iso = lambda ms: str(np.datetime_as_string(np.datetime64(int(ms), "ms"), unit="ms", timezone="UTC"))  # noqa: E731
    for row, pair in zip(rows, want.to_dict("records")):
        assert (row["source"], row["target"], int(row["weight"])) == (pair["a"], pair["b"], pair["count"])
        assert (row["first_at"], row["last_at"]) == (iso(pair["first_at"]), iso(pair["last_at"]))
        assert float(row["min_gap_s"]) == pair["min_gap_ms"] / 1000
        assert float(row["mean_gap_s"]) == pytest.approx(pair["mean_gap_ms"] / 1000, rel=1e-15)
        assert row["objects"] == orjson.dumps(pair["posts"]).decode()


def test_native_table_keeps_lists_for_python_readers():
    events = _events(n=400)
    edges = network.native_table(coaction.pair_arrays(events, 60_000, 2))
    want = coaction.window_pair_stats(events, 60_000, 2, max_posts=10**9)
    assert edges["objects"].tolist() == want["posts"].tolist()
    assert edges["source"].tolist() == want["a"].tolist() and edges["weight"].tolist() == want["count"].tolist()


def test_no_pairs_give_a_header_only_file(tmp_path):
    events = pd.DataFrame({"obj": ["p1", "p2"], "acc": ["a", "b"], "at": [0, 0]})
    assert coaction.pair_arrays(events, 60_000, 1) is None
    network.write_network(network.native_table(None), "native", tmp_path / "e.csv")
    assert (tmp_path / "e.csv").read_text().splitlines() == [",".join(f'"{c}"' for c in network.NATIVE_COLUMNS)]


def test_iso_times_match_numpy():
    ms = np.array([0, -1, 999, 1_609_556_645_000, 1_609_556_645_678, 253_402_300_799_999])
    want = np.datetime_as_string(ms.astype("datetime64[ms]"), unit="ms", timezone="UTC").tolist()
    assert network._iso(ms).tolist() == want


def test_network_imports_no_account_signal():
    code = ("import sys, coordgraph.cli.app, coordgraph.analytics.network; "
            "print(sorted(m for m in sys.modules if m.startswith('coordgraph.analytics.signals.') or m == 'scipy'))")
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert eval(loaded) == ["coordgraph.analytics.signals.base", "coordgraph.analytics.signals.coaction",
                            "coordgraph.analytics.signals.spec"]


def test_registry_loads_every_module_and_fails_on_a_broken_one(monkeypatch):
    import importlib

    from coordgraph.analytics import signals

    names = [spec.name for module in signals.MODULES
             for spec in importlib.import_module(f"coordgraph.analytics.signals.{module}").SPECS]
    assert list(signals.SIGNALS) == names and len(names) > len(coaction.SPECS) > len(coaction.COACTION_SIGNALS)
    assert signals.COACTION == coaction.COACTION_SIGNALS
    monkeypatch.setattr(signals, "_REGISTRY", {})
    monkeypatch.setattr(signals, "MODULES", ("coaction", "no_such_signal"))
    with pytest.raises(ModuleNotFoundError, match="no_such_signal"):
        _ = signals.SIGNALS


def test_native_csv_in_parts_is_the_one_shot_file(tmp_path):
    pairs = coaction.pair_arrays(_events(5, 2000), 60_000, 1)
    n = len(pairs.a)
    assert n > 100
    network.write_network(network.native_table(pairs), "native", tmp_path / "one.csv")
    expected = (tmp_path / "one.csv").read_bytes()
    for rows in (1, 7, n - 1, n, n + 1):
        out = tmp_path / f"parts_{rows}.csv"
        assert network.write_csv_parts(network.native_tables(pairs, rows), network.NATIVE_SCHEMA, out) == n
        assert out.read_bytes() == expected, rows
    assert network.write_csv_parts(network.native_tables(None), network.NATIVE_SCHEMA, tmp_path / "none.csv") == 0
    network.write_network(network.native_table(None), "native", tmp_path / "empty.csv")
    assert (tmp_path / "none.csv").read_bytes() == (tmp_path / "empty.csv").read_bytes()
