"""Network files without a server: formats by extension, the peers' CSV columns, graph attributes, empty networks."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

from coordgraph.analytics.network import NATIVE_COLUMNS, format_for, write_network
from coordgraph.analytics.signals.coaction import PEER_COLUMNS

NATIVE = pd.DataFrame([{"source": "a", "target": "b", "weight": 3, "first_at": "2021-01-01T00:00:00.000Z",
                        "last_at": "2021-01-02T00:00:00.000Z", "min_gap_s": 1.0, "mean_gap_s": 2.5,
                        "objects": ["p1", "p2", "p3"]}], columns=NATIVE_COLUMNS)
CNT = pd.DataFrame([{"user_1": "a", "user_2": "b", "weight": 2, "first_at": "x", "last_at": "y"},
                    {"user_1": "b", "user_2": "a", "weight": 1, "first_at": "x", "last_at": "y"},
                    {"user_1": "a", "user_2": "a", "weight": 1, "first_at": "x", "last_at": "y"}])


def test_format_from_extension_or_option(tmp_path):
    assert format_for(tmp_path / "x.GraphML") == "graphml" and format_for(tmp_path / "x.out", "gexf") == "gexf"
    with pytest.raises(ValueError, match="cannot tell the format"):
        format_for(tmp_path / "x.txt")


def test_native_csv_and_graphml(tmp_path):
    write_network(NATIVE, "native", tmp_path / "n.csv")
    row = pd.read_csv(tmp_path / "n.csv").iloc[0]
    assert json.loads(row["objects"]) == ["p1", "p2", "p3"] and row["weight"] == 3
    write_network(NATIVE, "native", tmp_path / "n.graphml")
    [(a, b, data)] = nx.read_graphml(tmp_path / "n.graphml").edges(data=True)
    assert {a, b} == {"a", "b"} and data["weight"] == 3 and json.loads(data["objects"]) == ["p1", "p2", "p3"]


def test_cnt_rows_stay_directed_with_loops(tmp_path):
    write_network(CNT, "cnt", tmp_path / "c.csv")
    assert list(pd.read_csv(tmp_path / "c.csv").columns) == PEER_COLUMNS["cnt"]
    write_network(CNT, "cnt", tmp_path / "c.gexf")
    graph = nx.read_gexf(tmp_path / "c.gexf")
    assert graph.is_directed() and {(a, b) for a, b in graph.edges()} == {("a", "b"), ("b", "a"), ("a", "a")}


def test_empty_network_writes_a_header_only_file(tmp_path):
    write_network(NATIVE.iloc[0:0], "native", tmp_path / "e.csv")
    assert pd.read_csv(tmp_path / "e.csv").empty and list(pd.read_csv(tmp_path / "e.csv").columns) == NATIVE_COLUMNS
    write_network(NATIVE.iloc[0:0], "native", tmp_path / "e.graphml")
    assert nx.read_graphml(tmp_path / "e.graphml").number_of_edges() == 0
