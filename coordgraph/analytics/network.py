"""Co-action networks as files: coordgraph's own definition or a peer's, as CSV, GraphML or GEXF.

``native``: coordgraph's pairs (:func:`coaction.pair_arrays`, the definition ``detect`` uses): one
undirected edge per account pair with the number of distinct shared objects as weight, first/last co-action
times, the smallest and mean gap and every shared object. Its text columns are Arrow-backed from the pairing to
the CSV writer: a few hundred thousand edges are written without a Python object per cell. ``coortweet`` and ``cnt``: the peers' own edges
(:func:`coaction.peer_edges`), written in CSV with exactly the peer's columns so a colleague's scripts read them,
and in the graph formats with the first/last times too. :func:`export_network` computes and writes in one step:
the toolkit mode's CSV is written in parts straight from the pairing's integer arrays, ids turned into text one
part at a time, so no table of strings is held; the other modes and formats build the whole edge table first
(GraphML and GEXF a networkx graph of it).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from neo4j import Driver

from .. import cypher
from ..timerange import TimeRange
from .signals import coaction

if TYPE_CHECKING:  # networkx is imported only to write GraphML or GEXF, the toolkit's pairing only when used
    import networkx as nx

    from .signals.cnt_pairs import CntEdges

COMPAT_MODES = ("native", "coortweet", "cnt")
FORMATS = ("csv", "graphml", "gexf")
NATIVE_COLUMNS = ["source", "target", "weight", "first_at", "last_at", "min_gap_s", "mean_gap_s", "objects"]
# Defaults of the minimum per mode: detect's --min-repeat, CooRTweet's min_participation, the toolkit's
# --min_edge_weight.
DEFAULT_MINIMUM = {"native": 2, "coortweet": 2, "cnt": 1}
_EMPTY_DTYPES = {"weight": np.int64, "min_gap_s": float, "mean_gap_s": float}


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
        events = pairing_events(driver, signal, database)
        if time_range.bounded:
            events = events[time_range.contains(events["at"].to_numpy())]
        window_ms = int(round(float(window_s) * 1000))
        return native_table(coaction.pair_arrays(events, window_ms, minimum))
    kwargs = {"min_weight": minimum} if compat == "cnt" else {"min_participation": minimum, "remove_loops": remove_loops}
    edges = coaction.peer_edges(driver, compat, signal, window_s=int(window_s), database=database,
                                since_ms=time_range.since_ms, until_ms=time_range.until_ms, **kwargs)
    for end in ("first", "last"):
        edges[f"{end}_at"] = _iso(edges.pop(f"{end}_s").to_numpy(dtype=np.int64) * 1000)
    return edges


def pairing_events(driver: Driver, signal: str, database: str | None = None) -> pd.DataFrame:
    """The actions behind a co-action signal with only the columns pairing reads: ``obj, acc, at`` (epoch ms).

    The same actions as :func:`coaction.coaction_events` (the signal's own events file), streamed as two flat
    lists per object (retweets) or per account (``network/actions_by_*.cypher``)."""
    by_object = signal in coaction.BY_OBJECT
    tail = "network/actions_by_object" if by_object else "network/actions_by_account"
    query = "CALL () {\n" + coaction.events_query(signal) + "\n}\n" + cypher.load(tail)

    def work(tx):
        return tx.run(query).values()

    with driver.session(database=database) as session:
        rows = session.execute_read(work)
    sizes = np.fromiter((len(values) for _, values, _ in rows), dtype=np.int64, count=len(rows))
    keys = np.repeat(np.asarray([key for key, _, _ in rows], dtype=object), sizes)
    values = list(itertools.chain.from_iterable(values for _, values, _ in rows))
    at = np.fromiter(itertools.chain.from_iterable(ats for _, _, ats in rows), dtype=np.int64, count=int(sizes.sum()))
    obj, acc = (keys, values) if by_object else (values, keys)
    return pd.DataFrame({"obj": obj, "acc": acc, "at": at})


def native_table(pairs: coaction.PairArrays | None) -> pd.DataFrame:
    """The native edge table (:data:`NATIVE_COLUMNS`) of :func:`coaction.pair_arrays`' pairs: ids and times as
    Arrow-backed text, ``objects`` an Arrow-backed list of each pair's objects in time order."""
    if pairs is None:
        return pd.DataFrame({c: pd.Series(dtype=_EMPTY_DTYPES.get(c, object)) for c in NATIVE_COLUMNS})
    accounts = pa.array(pairs.accounts)
    objects = pa.array([str(o) for o in pairs.objects], pa.string())
    listed = pa.LargeListArray.from_arrays(pa.array(pairs.offsets, pa.int64()), objects.take(pairs.object_codes))
    return pd.DataFrame({
        "source": pd.arrays.ArrowExtensionArray(accounts.take(pairs.a)),
        "target": pd.arrays.ArrowExtensionArray(accounts.take(pairs.b)),
        "weight": pairs.count,
        "first_at": _iso(pairs.first_at),
        "last_at": _iso(pairs.last_at),
        "min_gap_s": pairs.min_gap_ms.astype(float) / 1000,
        "mean_gap_s": pairs.mean_gap_ms / 1000,
        "objects": pd.arrays.ArrowExtensionArray(listed),
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
        columns = NATIVE_COLUMNS if compat == "native" else coaction.PEER_COLUMNS[compat]
        table = pa.Table.from_pandas(edges[columns], preserve_index=False)
        if compat == "native":
            where = table.schema.get_field_index("objects")
            table = table.set_column(where, "objects", _json_lists(table.column("objects")))
        # Arrow's writer (text cells quoted, nulls empty): pandas' to_csv took most of the export's time
        pa_csv.write_csv(table, path)
    else:
        import networkx as nx

        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(to_graph(edges, compat), path)
    return fmt


def export_network(
    driver: Driver,
    signal: str,
    path: Path,
    compat: str = "native",
    fmt: str | None = None,
    window_s: float = 60,
    minimum: int | None = None,
    remove_loops: bool = True,
    time_range: TimeRange = TimeRange(),
    database: str | None = None,
) -> tuple[str, int, int]:
    """Compute one co-action signal's network (as :func:`network_edges`) and write it to ``path`` (as
    :func:`write_network`); returns the format written, the number of edges and of accounts they join.

    The toolkit mode's CSV (``compat="cnt"``) is written in parts from the pairing's integer arrays
    (:func:`write_cnt_csv`), the same bytes as the table route."""
    fmt = format_for(path, fmt)
    if compat == "cnt" and fmt == "csv":
        from .signals import cnt_pairs

        minimum = DEFAULT_MINIMUM[compat] if minimum is None else int(minimum)
        edges = cnt_pairs.cnt_arrays(driver, coaction.events_query(signal), int(window_s), minimum,
                                     time_range.since_ms, time_range.until_ms, database)
        write_cnt_csv(edges, path)
        return fmt, len(edges), edges.n_accounts()
    table = network_edges(driver, signal, compat, window_s, minimum, remove_loops, time_range, database)
    write_network(table, compat, path, fmt)
    a, b = table.columns[:2]
    return fmt, len(table), int(pd.concat([table[a], table[b]], ignore_index=True).nunique())


def write_cnt_csv(edges: CntEdges, path: Path, rows: int = 500_000) -> int:
    """Write the toolkit's edges as :func:`write_network` writes them in CSV (its columns ``user_1, user_2,
    weight``), ``rows`` edges at a time; returns the number written."""
    from .signals.cnt_pairs import tables

    columns = coaction.PEER_COLUMNS["cnt"]
    schema = pa.schema([("user_1", pa.string()), ("user_2", pa.string()), ("weight", pa.int64())])
    return write_csv_parts(tables(edges, columns, rows), schema, path)


def write_csv_parts(tables: Iterable[pa.Table], schema: pa.Schema, path: Path) -> int:
    """Write Arrow tables one after another as one CSV file, the bytes :func:`pyarrow.csv.write_csv` writes for
    them joined (one header, text cells quoted); returns the number of rows written."""
    written = 0
    with pa_csv.CSVWriter(str(path), schema, memory_pool=pa.system_memory_pool()) as writer:
        for table in tables:
            writer.write_table(table.cast(schema))
            written += table.num_rows
    return written


def _ends(compat: str) -> tuple[str, str]:
    return {"native": ("source", "target"), "coortweet": ("from", "to"), "cnt": ("user_1", "user_2")}[compat]


def _scalar(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        return json.dumps([str(x) for x in value], ensure_ascii=False)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _iso(ms) -> pd.arrays.ArrowExtensionArray:
    """Epoch milliseconds as ISO-8601 UTC text (``2021-01-02T03:04:05.678Z``), vectorised in Arrow (whose text
    of a millisecond timestamp is ``2021-01-02 03:04:05.678``)."""
    text = pa.array(np.asarray(ms, dtype=np.int64)).cast(pa.timestamp("ms")).cast(pa.string())
    text = pc.utf8_replace_slice(text, start=10, stop=11, replacement="T")
    return pd.arrays.ArrowExtensionArray(pc.binary_join_element_wise(text, "Z", ""))


def _json_lists(lists: pa.ChunkedArray) -> pa.ChunkedArray:
    """Each list of objects as compact JSON text (``["p1","p2"]``, as ``orjson.dumps`` writes a list of strings),
    each distinct object encoded once."""
    chunks = []
    for chunk in lists.chunks:
        if not pa.types.is_large_list(chunk.type):
            chunk = chunk.cast(pa.large_list(pa.string()))
        flat = pc.list_flatten(chunk).cast(pa.string()).dictionary_encode()
        quoted = pa.array([orjson.dumps(v).decode() for v in flat.dictionary.to_pylist()], pa.string())
        lengths = pc.fill_null(pc.list_value_length(chunk), 0).to_numpy(zero_copy_only=False)
        offsets = pa.array(np.r_[0, np.cumsum(lengths)], pa.int64())
        joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, quoted.take(flat.indices)), ",")
        chunks.append(pc.binary_join_element_wise("[", joined, "]", ""))
    return pa.chunked_array(chunks, type=pa.string())
