"""The toolkit-compatible CSV written in parts from the pairing's integer arrays (``network.write_cnt_csv``) against
the one-shot route (the edge table, then ``network.write_network``): the same bytes at every part size, with
ids that need quoting, and for no edges at all; the pairing's batches give the same edges at every batch size."""

from __future__ import annotations

import csv
import random

import numpy as np
import pandas as pd
import pytest

from coordgraph.analytics import network
from coordgraph.analytics.signals import cnt_pairs
from coordgraph.analytics.signals.cnt_pairs import EventCodes

# ids a CSV writer must quote or escape, and text outside ASCII
ODD_IDS = ["plain", "com,ma", 'quo"te', '"', "new\nline", "ünïcödé", "日本語", "emoji 🙂", " space ", "7", "07"]


def _events(seed: int, n: int) -> tuple[np.ndarray, ...]:
    """Actions (object, account code, time ms, event code) and the account ids, with ties, repeated events and
    repeated accounts, as ``cnt_pairs.cnt_arrays`` codes them."""
    rng = random.Random(seed)
    accounts: dict[str, int] = {}
    code = EventCodes()
    rows = []
    for k in range(n):
        name = rng.choice(ODD_IDS) + str(rng.randrange(4))
        eid = str(10**18 + k) if rng.random() > 0.05 or not rows else rows[-1][3]
        at = rng.randrange(0, 300_000) if rng.random() > 0.1 else 150_000
        rows.append((rng.randrange(15), accounts.setdefault(name, len(accounts)), at, code(eid)))
    obj, acc, t, eid = (np.array(column, dtype=np.int64) for column in zip(*rows))
    return obj, acc, t, eid, np.asarray(list(accounts), dtype=object)


def _arrays(events, **kwargs) -> cnt_pairs.CntEdges:
    obj, acc, t, eid, names = events
    return cnt_pairs.arrays_of(obj.copy(), acc.copy(), t.copy(), eid.copy(), names, 60_000, 1, **kwargs)


def _one_shot(events, path):
    obj, acc, t, eid, names = events
    table = cnt_pairs.edges_of(obj.copy(), acc.copy(), t.copy(), eid.copy(), names, 60_000, 1)
    network.write_network(table, "cnt", path)
    return table


@pytest.mark.parametrize("seed", [1, 2])
def test_parts_write_the_bytes_of_the_one_shot_writer(seed, tmp_path):
    events = _events(seed, 700)
    table = _one_shot(events, tmp_path / "one.csv")
    edges = _arrays(events)
    n = len(edges)
    assert n == len(table) > 100
    expected = (tmp_path / "one.csv").read_bytes()
    # part sizes: one edge, uneven, one short of all, exactly all, more than all
    for rows in (1, 7, n - 1, n, n + 1):
        out = tmp_path / f"parts_{rows}.csv"
        assert network.write_cnt_csv(edges, out, rows=rows) == n
        assert out.read_bytes() == expected, rows


def test_odd_ids_are_read_back_as_written(tmp_path):
    events = _events(3, 500)
    edges = _arrays(events)
    network.write_cnt_csv(edges, tmp_path / "e.csv", rows=9)
    with open(tmp_path / "e.csv", newline="", encoding="utf-8") as fh:
        got = [(r["user_1"], r["user_2"], int(r["weight"])) for r in csv.DictReader(fh)]
    table = cnt_pairs.frame_of(edges)
    assert got == list(zip(table["user_1"].astype(str), table["user_2"].astype(str), table["weight"].tolist()))
    seen = {u for pair in got for u in pair[:2]}
    assert any("," in u for u in seen) and any('"' in u for u in seen) and any("\n" in u for u in seen)
    assert any(not u.isascii() for u in seen)
    assert edges.n_accounts() == len(seen)


def test_no_events_and_no_edges_write_the_header_only(tmp_path):
    empty = np.empty(0, np.int64)
    none = cnt_pairs.arrays_of(empty.copy(), empty.copy(), empty.copy(), empty.copy(), np.array([], dtype=object),
                               60_000, 1)
    network.write_network(cnt_pairs.frame_of(none), "cnt", tmp_path / "one.csv")
    assert network.write_cnt_csv(none, tmp_path / "parts.csv") == 0
    assert (tmp_path / "parts.csv").read_bytes() == (tmp_path / "one.csv").read_bytes() == b'"user_1","user_2","weight"\n'
    # actions that pair with nobody: accounts, but no edge
    lonely = cnt_pairs.arrays_of(np.array([0, 1]), np.array([0, 1]), np.array([0, 0]), np.array([5, 6]),
                                 np.array(["a", "b"], dtype=object), 60_000, 1)
    assert len(lonely) == 0 and lonely.n_accounts() == 0
    network.write_cnt_csv(lonely, tmp_path / "lonely.csv")
    assert (tmp_path / "lonely.csv").read_bytes() == b'"user_1","user_2","weight"\n'


@pytest.mark.parametrize("batch_rows,chunk_pairs", [(1, 3), (5, 50), (64, 1), (10**9, 10**9)])
def test_batches_and_chunks_do_not_change_the_edges(batch_rows, chunk_pairs):
    events = _events(4, 600)
    reference = _arrays(events)
    got = _arrays(events, batch_rows=batch_rows, chunk_pairs=chunk_pairs)
    for name in ("pair", "weight", "first_s", "last_s"):
        np.testing.assert_array_equal(getattr(got, name), getattr(reference, name), err_msg=name)
    assert (np.diff(got.pair) > 0).all()  # one row per pair, sorted by user_1 then user_2


def test_read_only_inputs_are_copied_and_writable_ones_reused():
    obj, acc, t, eid, names = _events(5, 200)
    frozen = [a.copy() for a in (obj, acc, t, eid)]
    for a in frozen:
        a.flags.writeable = False
    got = cnt_pairs.arrays_of(*frozen, names, 60_000, 1)
    assert [a.tolist() for a in frozen] == [a.tolist() for a in (obj, acc, t, eid)]
    reused = [a.copy() for a in (obj, acc, t, eid)]
    again = cnt_pairs.arrays_of(*reused, names, 60_000, 1)
    np.testing.assert_array_equal(again.pair, got.pair)
    # the working space was sorted by object then time
    assert (np.diff(reused[0]) >= 0).all() and reused[0].tolist() != obj.tolist()


def test_frame_of_keeps_the_table_types():
    table = cnt_pairs.frame_of(_arrays(_events(6, 300)))
    assert list(table.columns) == cnt_pairs.COLUMNS
    assert isinstance(table["user_1"].dtype, pd.ArrowDtype) and table["weight"].dtype == np.int64
    assert table["first_s"].dtype == np.int64 and (table["first_s"] <= table["last_s"]).all()
