"""Co-action networks as files: coordgraph's own definition or a peer's, as CSV, GraphML or GEXF.

``native``: coordgraph's pairs (:func:`coaction.pair_arrays`, the definition ``detect`` uses): one
undirected edge per account pair with the number of distinct shared objects as weight, first/last co-action
times, the smallest and mean gap and every shared object. Its text columns are Arrow-backed from the pairing to
the CSV writer: a few hundred thousand edges are written without a Python object per cell. ``coortweet`` and ``cnt``: the peers' own edges
(:func:`coaction.peer_edges`), written in CSV with exactly the peer's columns so a colleague's scripts read them,
and in the graph formats with the first/last times too. :func:`export_network` computes and writes in one step:
the toolkit mode's and the native mode's CSV are written in parts straight from the pairing's arrays, ids turned
into text one part at a time, so no table of strings is held; CooRTweet's mode and the graph formats build the
whole edge table first (GraphML and GEXF a networkx graph of it).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
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
_TEXT = ("source", "target", "first_at", "last_at", "objects")
NATIVE_SCHEMA = pa.schema([("source", pa.string()), ("target", pa.string()), ("weight", pa.int64()),
                           ("first_at", pa.string()), ("last_at", pa.string()), ("min_gap_s", pa.float64()),
                           ("mean_gap_s", pa.float64()), ("objects", pa.string())])


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
    minimum = _minimum(compat, minimum)
    if compat == "native":
        return native_table(native_pairs(driver, signal, window_s, minimum, time_range, database))
    kwargs = {"min_weight": minimum} if compat == "cnt" else {"min_participation": minimum, "remove_loops": remove_loops}
    edges = coaction.peer_edges(driver, compat, signal, window_s=int(window_s), database=database,
                                since_ms=time_range.since_ms, until_ms=time_range.until_ms, **kwargs)
    for end in ("first", "last"):
        edges[f"{end}_at"] = _iso(edges.pop(f"{end}_s").to_numpy(dtype=np.int64) * 1000)
    return edges


def native_pairs(driver: Driver, signal: str, window_s: float = 60, minimum: int = DEFAULT_MINIMUM["native"],
                 time_range: TimeRange = TimeRange(), database: str | None = None) -> coaction.PairArrays | None:
    """coordgraph's own pairs of one co-action signal as arrays (None when there are none)."""
    events = pairing_events(driver, signal, database)
    if time_range.bounded:
        events = events[time_range.contains(events["at"].to_numpy())]
    return coaction.pair_arrays(events, int(round(float(window_s) * 1000)), int(minimum))


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
    table = next(_native_parts(pairs, len(pairs.a)))
    return pd.DataFrame({c: pd.arrays.ArrowExtensionArray(table[c]) if c in _TEXT else table[c].to_numpy()
                         for c in NATIVE_COLUMNS}, columns=NATIVE_COLUMNS)


def native_tables(pairs: coaction.PairArrays | None, rows: int = 200_000) -> Iterator[pa.Table]:
    """The native edges as CSV-ready Arrow tables (:data:`NATIVE_COLUMNS`, ``objects`` as JSON text) of at most
    ``rows`` pairs each, ids and objects turned into text one table at a time."""
    if pairs is None:
        return
    for table in _native_parts(pairs, rows):
        yield table.set_column(table.schema.get_field_index("objects"), "objects", _json_lists(table["objects"]))


def _native_parts(pairs: coaction.PairArrays, rows: int) -> Iterator[pa.Table]:
    accounts = pa.array(pairs.accounts)
    objects = pa.array([str(o) for o in pairs.objects], pa.string())
    for lo in range(0, len(pairs.a), rows):
        part = slice(lo, lo + rows)
        offsets = pairs.offsets[lo:lo + rows + 1]
        listed = pa.LargeListArray.from_arrays(pa.array(offsets - offsets[0], pa.int64()),
                                               objects.take(pairs.object_codes[offsets[0]:offsets[-1]]))
        yield pa.table({
            "source": accounts.take(pairs.a[part]),
            "target": accounts.take(pairs.b[part]),
            "weight": pairs.count[part],
            "first_at": _iso_text(pairs.first_at[part]),
            "last_at": _iso_text(pairs.last_at[part]),
            "min_gap_s": pairs.min_gap_ms[part].astype(float) / 1000,
            "mean_gap_s": pairs.mean_gap_ms[part] / 1000,
            "objects": listed,
        })


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

    CSV is written in parts from the pairing's arrays, the same bytes as the table route: the toolkit mode's
    (:func:`write_cnt_csv`) and the native mode's (:func:`native_tables`); other modes and formats build the
    whole table first."""
    fmt = format_for(path, fmt)
    minimum = _minimum(compat, minimum)
    if compat == "native" and fmt == "csv":
        pairs = native_pairs(driver, signal, window_s, minimum, time_range, database)
        written = write_csv_parts(native_tables(pairs), NATIVE_SCHEMA, path)
        return fmt, written, 0 if pairs is None else len(np.union1d(pairs.a, pairs.b))
    if compat == "cnt" and fmt == "csv":
        from .signals import cnt_pairs

        edges = cnt_pairs.cnt_arrays(driver, signal, int(window_s), minimum,
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


def _minimum(compat: str, minimum: int | None) -> int:
    """``minimum``, or the mode's default when None; a clear error for an unknown mode."""
    if compat not in COMPAT_MODES:
        raise ValueError(f"unknown compat mode {compat!r}; use one of {', '.join(COMPAT_MODES)}")
    return DEFAULT_MINIMUM[compat] if minimum is None else int(minimum)


def _ends(compat: str) -> tuple[str, str]:
    return {"native": ("source", "target"), "coortweet": ("from", "to"), "cnt": ("user_1", "user_2")}[compat]


def _scalar(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        return json.dumps([str(x) for x in value], ensure_ascii=False)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _iso(ms) -> pd.arrays.ArrowExtensionArray:
    """Epoch milliseconds as ISO-8601 UTC text (``2021-01-02T03:04:05.678Z``), Arrow-backed."""
    return pd.arrays.ArrowExtensionArray(_iso_text(ms))


def _iso_text(ms) -> pa.Array:
    """Epoch milliseconds as ISO-8601 UTC text, vectorised in Arrow (whose text of a millisecond timestamp is
    ``2021-01-02 03:04:05.678``)."""
    text = pa.array(np.asarray(ms, dtype=np.int64)).cast(pa.timestamp("ms")).cast(pa.string())
    text = pc.utf8_replace_slice(text, start=10, stop=11, replacement="T")
    return pc.binary_join_element_wise(text, "Z", "")


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
