"""Co-action networks as files: coordgraph's own definition or a peer's, as CSV, GraphML or GEXF.

``native``: coordgraph's pairs (:func:`coaction.window_pair_stats`, the definition ``detect`` uses): one
undirected edge per account pair with the number of distinct shared objects as weight, first/last co-action
times, the smallest and mean gap and every shared object. ``coortweet`` and ``cnt``: the peers' own edges
(:func:`coaction.peer_edges`), written in CSV with exactly the peer's columns so a colleague's scripts read them,
and in the graph formats with the first/last times too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from neo4j import Driver

from ..timerange import TimeRange
from .signals import coaction

if TYPE_CHECKING:  # networkx is imported only to write GraphML or GEXF
    import networkx as nx

COMPAT_MODES = ("native", "coortweet", "cnt")
FORMATS = ("csv", "graphml", "gexf")
NATIVE_COLUMNS = ["source", "target", "weight", "first_at", "last_at", "min_gap_s", "mean_gap_s", "objects"]
# Defaults of the minimum per mode: detect's --min-repeat, CooRTweet's min_participation, the toolkit's
# --min_edge_weight.
DEFAULT_MINIMUM = {"native": 2, "coortweet": 2, "cnt": 1}
_NO_CAP = 2**31 - 1  # every shared object is listed in a network file


def network_edges(
    driver: Driver,
    signal: str,
    compat: str = "native",
    window_s: float = 60,
    minimum: int | None = None,
    remove_loops: bool = True,
    time_range: TimeRange = TimeRange(),
    database: str | None = None,
) -> pd.DataFrame:
    """The edges of one co-action signal's network.

    ``minimum`` is the pair's minimum weight (native, cnt) or CooRTweet's ``min_participation`` (coortweet);
    ``None`` takes the mode's default (:data:`DEFAULT_MINIMUM`). Only actions inside ``time_range`` count.
    Native columns: :data:`NATIVE_COLUMNS` (times ISO-8601 UTC, gaps in seconds, objects a list in time order);
    compat columns: the peer's own (:data:`coaction.PEER_COLUMNS`) plus ``first_at``/``last_at``.
    """
    if compat not in COMPAT_MODES:
        raise ValueError(f"unknown compat mode {compat!r}; use one of {', '.join(COMPAT_MODES)}")
    minimum = DEFAULT_MINIMUM[compat] if minimum is None else int(minimum)
    if compat == "native":
        events = coaction.coaction_events(driver, signal, database)
        if time_range.bounded:
            events = events[time_range.contains(events["at"].to_numpy())]
        window_ms = int(round(float(window_s) * 1000))
        return native_table(coaction.window_pair_stats(events, window_ms, minimum, _NO_CAP))
    kwargs = {"min_weight": minimum} if compat == "cnt" else {"min_participation": minimum, "remove_loops": remove_loops}
    edges = coaction.peer_edges(driver, compat, signal, window_s=int(window_s), database=database,
                                since_ms=time_range.since_ms, until_ms=time_range.until_ms, **kwargs)
    for end in ("first", "last"):
        edges[f"{end}_at"] = _iso(edges.pop(f"{end}_s").astype("int64") * 1000)
    return edges


def native_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """The native edge table (:data:`NATIVE_COLUMNS`) of :func:`coaction.window_pair_stats`' pairs."""
    return pd.DataFrame({
        "source": pairs["a"],
        "target": pairs["b"],
        "weight": pairs["count"].astype(np.int64),
        "first_at": _iso(pairs["first_at"]),
        "last_at": _iso(pairs["last_at"]),
        "min_gap_s": pairs["min_gap_ms"].to_numpy(dtype=float) / 1000,
        "mean_gap_s": pairs["mean_gap_ms"].to_numpy(dtype=float) / 1000,
        "objects": pairs["posts"],
    }, columns=NATIVE_COLUMNS)


def format_for(path: Path, fmt: str | None = None) -> str:
    """The output format: ``fmt`` when given, else the file's extension (.csv, .graphml, .gexf)."""
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ValueError(f"cannot tell the format of {str(path)!r}; name it .csv, .graphml or .gexf, or give --format")
    return chosen


def to_graph(edges: pd.DataFrame, compat: str) -> nx.Graph:
    """A networkx graph of the edges (directed for the toolkit's rows), every column an edge attribute;
    lists (the native shared objects) as JSON text, as GraphML and GEXF hold only scalars."""
    import networkx as nx

    a, b = _ends(compat)
    graph: nx.Graph = nx.DiGraph() if compat == "cnt" else nx.Graph()
    graph.graph["compat"] = compat
    attributes = [c for c in edges.columns if c not in (a, b)]
    for row in edges.itertuples(index=False):
        values = row._asdict()
        graph.add_edge(str(values[a]), str(values[b]), **{c: _scalar(values[c]) for c in attributes})
    return graph


def write_network(edges: pd.DataFrame, compat: str, path: Path, fmt: str | None = None) -> str:
    """Write ``edges`` to ``path`` as CSV (the peer's own columns in compat modes), GraphML or GEXF; returns the
    format written."""
    fmt = format_for(path, fmt)
    path = Path(path)
    if fmt == "csv":
        if compat == "native":
            table = edges.assign(objects=[orjson.dumps([str(o) for o in x]).decode() for x in edges["objects"]])
        else:
            table = edges[coaction.PEER_COLUMNS[compat]]
        # Arrow's writer (text cells quoted, nulls empty): pandas' to_csv took most of the export's time
        pa_csv.write_csv(pa.Table.from_pandas(table, preserve_index=False), path)
    else:
        import networkx as nx

        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(to_graph(edges, compat), path)
    return fmt


def _ends(compat: str) -> tuple[str, str]:
    return {"native": ("source", "target"), "coortweet": ("from", "to"), "cnt": ("user_1", "user_2")}[compat]


def _scalar(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        return json.dumps([str(x) for x in value], ensure_ascii=False)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _iso(ms) -> np.ndarray:
    """Epoch milliseconds as ISO-8601 UTC text (``2021-01-02T03:04:05.678Z``), vectorised."""
    stamps = np.asarray(ms, dtype="int64").astype("datetime64[ms]")
    return np.datetime_as_string(stamps, unit="ms", timezone="UTC").astype(object)
