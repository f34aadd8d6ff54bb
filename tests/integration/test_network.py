"""`coordgraph network` and the CooRTweet-compatible edges on the peer's own sample, at windows and minimums nobody
tuned to, checked against the pandas reading of the R package (itself checked against the package's outputs in tests/unit)."""

from __future__ import annotations

import coortweet_reference as ref
import pandas as pd
import pytest

from coordgraph.analytics.signals import coaction
from helpers import wipe

EDGE_KEY = ["from", "to"]


@pytest.fixture(scope="module")
def russian_rows(shared_data):
    return ref.read_input(shared_data / "coortweet" / "russian_coord_tweets.csv")


def _ingest(neo4j_conn, path, rejects):
    from typer.testing import CliRunner

    from coordgraph.cli.app import app

    env = {"NEO4J_URI": neo4j_conn.uri, "NEO4J_USER": neo4j_conn.user, "NEO4J_PASSWORD": neo4j_conn.password}
    return CliRunner().invoke(app, ["ingest", str(path), "--online", "--quiet", "--rejects", str(rejects)], env=env)


@pytest.fixture(scope="module")
def russian_db(driver, shared_data, neo4j_conn, tmp_path_factory):
    """The peer's sample loaded by `coordgraph ingest` itself: every input row the peer counts is a retweet."""
    wipe(driver)
    result = _ingest(neo4j_conn, shared_data / "coortweet" / "russian_coord_tweets.csv",
                     tmp_path_factory.mktemp("rejects") / "rejects.jsonl")
    assert result.exit_code == 0, result.output
    yield driver
    wipe(driver)


def _ours(driver, window, mp, loops=True):
    return coaction.peer_edges(driver, "coortweet", window_s=window, min_participation=mp, remove_loops=loops)


@pytest.mark.parametrize("window,mp", [(60, 3), (120, 4), (30, 2), (45, 5)])
def test_coortweet_compat_equals_reference(russian_db, russian_rows, window, mp):
    expected = ref.network_edges(ref.detect_groups(russian_rows, window, mp)).set_index(EDGE_KEY).sort_index()
    got = _ours(russian_db, window, mp).set_index(EDGE_KEY).sort_index()
    assert list(got.index) == list(expected.index)
    for column in ("weight", "avg_time_delta", "weight_threshold"):
        assert (got[column].to_numpy() == pytest.approx(expected[column].to_numpy())), column
    # the two sides' content counts differ only where shares at the same second are ordered differently (the
    # peer takes its input row order, which a graph does not keep); their sum never does
    assert (got["n_content_id"] + got["n_content_id_y"]).tolist() == (expected["n_content_id"] + expected["n_content_id_y"]).tolist()


def test_content_ids_on_two_objects_count_as_two_rows(russian_db, russian_rows):
    """The case that differed: accounts whose content ids each appear on two objects. Counting them once per
    content id (as the graph's unique retweet ids would) loses exactly the peer's extra edges."""
    repeated = russian_rows[russian_rows.duplicated(["account_id", "content_id"], keep=False)]
    repeaters = set(repeated["account_id"])
    once = russian_rows.drop_duplicates(["account_id", "content_id"])
    for window, mp in ((60, 3), (120, 4)):
        peer = ref.network_edges(ref.detect_groups(russian_rows, window, mp))
        counted_once = ref.network_edges(ref.detect_groups(once, window, mp))
        lost = set(map(tuple, peer[EDGE_KEY].to_numpy())) - set(map(tuple, counted_once[EDGE_KEY].to_numpy()))
        assert len(lost) == 3 and all(a in repeaters or b in repeaters for a, b in lost)
        got = _ours(russian_db, window, mp)
        assert lost <= set(map(tuple, got[EDGE_KEY].to_numpy()))
        assert len(got) == len(peer)


def test_reloading_the_peers_file_changes_no_edge(russian_db, russian_rows, neo4j_conn, shared_data, tmp_path):
    before = _ours(russian_db, 60, 3).set_index(EDGE_KEY).sort_index()
    result = _ingest(neo4j_conn, shared_data / "coortweet" / "russian_coord_tweets.csv", tmp_path / "r.jsonl")
    assert result.exit_code == 0, result.output
    with russian_db.session() as s:
        assert s.run("MATCH ()-[r:RETWEETED]->() RETURN count(r) AS n").single()["n"] == len(
            russian_rows.drop_duplicates(["content_id", "object_id"]))
    pd.testing.assert_frame_equal(_ours(russian_db, 60, 3).set_index(EDGE_KEY).sort_index(), before)


def test_time_range_bounds_the_rows(russian_db, russian_rows):
    since, until = 1_611_500_000, 1_612_200_000
    inside = russian_rows[(russian_rows.timestamp_share >= since) & (russian_rows.timestamp_share < until)]
    expected = ref.network_edges(ref.detect_groups(inside, 60, 3))
    got = coaction.peer_edges(russian_db, "coortweet", window_s=60, min_participation=3,
                              since_ms=since * 1000, until_ms=until * 1000)
    assert 0 < len(got) < len(_ours(russian_db, 60, 3))
    assert set(map(tuple, got[EDGE_KEY].to_numpy())) == set(map(tuple, expected[EDGE_KEY].to_numpy()))
    assert got["first_s"].min() >= since and got["last_s"].max() < until


# --- the command ---------------------------------------------------------------------------------------------

def _run(neo4j_conn, *args):
    from typer.testing import CliRunner

    from coordgraph.cli.app import app

    env = {"NEO4J_URI": neo4j_conn.uri, "NEO4J_USER": neo4j_conn.user, "NEO4J_PASSWORD": neo4j_conn.password}
    return CliRunner().invoke(app, ["network", *map(str, args)], env=env)


def test_cli_coortweet_csv_has_the_peers_columns(russian_db, russian_rows, neo4j_conn, tmp_path):
    out = tmp_path / "net.csv"
    result = _run(neo4j_conn, "co_retweet", "--compat", "coortweet", "--window", 60, "--min-participation", 3, "-o", out)
    assert result.exit_code == 0, result.output
    got = pd.read_csv(out, dtype={"from": str, "to": str})
    assert list(got.columns) == coaction.PEER_COLUMNS["coortweet"]
    expected = ref.network_edges(ref.detect_groups(russian_rows, 60, 3))
    assert len(got) == len(expected) and f"{len(got):,} edge(s)" in result.output
    merged = got.merge(expected, on=EDGE_KEY, suffixes=("", "_peer"))
    assert len(merged) == len(expected)
    assert (merged["weight"] == merged["weight_peer"]).all()
    assert (merged["weight_threshold"] == merged["weight_threshold_peer"]).all()


def test_cli_cnt_csv_equals_toolkit_file(russian_db, shared_data, neo4j_conn, tmp_path):
    out = tmp_path / "cnt.csv"
    result = _run(neo4j_conn, "co_retweet", "--compat", "cnt", "--window", 10, "-o", out)
    assert result.exit_code == 0, result.output
    toolkit = pd.read_csv(shared_data / "coortweet/peer-outputs/cnt/co_retweet_tw10_minw1_git-daa0e11.csv", dtype=str)
    got = pd.read_csv(out, dtype=str)
    assert list(got.columns) == ["user_1", "user_2", "weight"]
    assert set(map(tuple, got.to_numpy())) == set(map(tuple, toolkit.to_numpy()))


@pytest.mark.parametrize("args,kwargs", [
    ((), {}),
    (("--window", 10, "--min-weight", 2), {"window_s": 10, "minimum": 2}),
    (("--window", 30, "--since", "2021-05-01T00:00:00Z"), {"window_s": 30, "since": "2021-05-01T00:00:00Z"}),
])
def test_cli_cnt_csv_equals_the_table_route(russian_db, neo4j_conn, tmp_path, args, kwargs):
    """The CLI writes the toolkit's CSV in parts from integer arrays; the table route (``network_edges`` then
    ``write_network``, what detection and the graph formats use) gives the same bytes."""
    from coordgraph.analytics import network
    from coordgraph.timerange import parse_range

    out = tmp_path / "cli.csv"
    result = _run(neo4j_conn, "co_retweet", "--compat", "cnt", *args, "-o", out)
    assert result.exit_code == 0, result.output
    time_range = parse_range(kwargs.pop("since", None), None)
    table = network.network_edges(russian_db, "co_retweet", "cnt", time_range=time_range, **kwargs)
    network.write_network(table, "cnt", tmp_path / "table.csv")
    assert len(table) > 20 and f"{len(table):,} edge(s)" in result.output
    accounts = pd.concat([table["user_1"], table["user_2"]]).nunique()
    assert f"between {accounts:,} account(s)" in result.output
    assert out.read_bytes() == (tmp_path / "table.csv").read_bytes()


@pytest.mark.parametrize("args,kwargs", [((), {}), (("--window", 10, "--min-weight", 1), {"window_s": 10, "minimum": 1})])
def test_cli_native_csv_equals_the_table_route(russian_db, neo4j_conn, tmp_path, args, kwargs):
    """The native CSV, written in parts from the pair arrays, has the bytes of the whole table written at once."""
    from coordgraph.analytics import network

    out = tmp_path / "cli.csv"
    result = _run(neo4j_conn, "co_retweet", *args, "-o", out)
    assert result.exit_code == 0, result.output
    table = network.network_edges(russian_db, "co_retweet", "native", **kwargs)
    network.write_network(table, "native", tmp_path / "table.csv")
    assert len(table) > 20 and f"{len(table):,} edge(s)" in result.output
    accounts = pd.concat([table["source"], table["target"]]).nunique()
    assert f"between {accounts:,} account(s)" in result.output
    assert out.read_bytes() == (tmp_path / "table.csv").read_bytes()


def test_cli_native_graphml_and_gexf(russian_db, neo4j_conn, tmp_path):
    import json

    import networkx as nx

    pairs = coaction.coaction_pairs(russian_db, "co_retweet", window_s=60, min_repeat=2, max_posts=10**6).pairs
    expected = {(r["a"], r["b"]): r for r in pairs.to_dict("records")}
    assert len(expected) > 20
    for suffix, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"net.{suffix}"
        result = _run(neo4j_conn, "co_retweet", "-o", out)
        assert result.exit_code == 0, result.output
        graph = read(out)
        got = {tuple(sorted((a, b))): d for a, b, d in graph.edges(data=True)}
        assert set(got) == set(expected)
        for key, data in got.items():
            pair = expected[key]
            objects = json.loads(data["objects"])
            assert int(data["weight"]) == pair["count"] == len(objects) and set(objects) == set(pair["posts"])
            assert pd.Timestamp(data["first_at"]) == pd.Timestamp(pair["first_at"], unit="ms", tz="UTC")


def test_cli_native_csv_time_range(russian_db, neo4j_conn, tmp_path):
    out = tmp_path / "net.csv"
    result = _run(neo4j_conn, "co_retweet", "--min-weight", 1, "--since", "2021-01-24", "--until", "2021-01-31", "-o", out)
    assert result.exit_code == 0, result.output
    got = pd.read_csv(out)
    assert list(got.columns) == ["source", "target", "weight", "first_at", "last_at", "min_gap_s", "mean_gap_s", "objects"]
    assert len(got) > 0
    first, last = pd.to_datetime(got["first_at"]), pd.to_datetime(got["last_at"])
    assert first.min() >= pd.Timestamp("2021-01-24", tz="UTC") and last.max() < pd.Timestamp("2021-02-01", tz="UTC")
    events = coaction.coaction_events(russian_db, "co_retweet")
    lo, hi = pd.Timestamp("2021-01-24", tz="UTC").value // 10**6, pd.Timestamp("2021-02-01", tz="UTC").value // 10**6
    inside = events[(events["at"] >= lo) & (events["at"] < hi)]
    assert len(got) == len(coaction.window_pair_stats(inside, 60_000, 1))


def test_cli_native_csv_equals_detection_pairs(russian_db, neo4j_conn, tmp_path):
    """The network's own export of the actions (accounts and times only) gives the pairs detection computes from
    its full export, cell for cell."""
    import json

    out = tmp_path / "net.csv"
    result = _run(neo4j_conn, "co_retweet", "--min-weight", 1, "-o", out)
    assert result.exit_code == 0, result.output
    got = pd.read_csv(out, dtype={"source": str, "target": str})
    events = coaction.coaction_events(russian_db, "co_retweet")
    want = coaction.window_pair_stats(events, 60_000, 1, max_posts=10**9)
    assert len(got) == len(want) > 1000
    assert got["source"].tolist() == want["a"].tolist() and got["target"].tolist() == want["b"].tolist()
    assert got["weight"].tolist() == want["count"].tolist()
    for end in ("first_at", "last_at"):
        assert (pd.to_datetime(got[end]) == pd.to_datetime(want[end], unit="ms", utc=True)).all()
    assert got["min_gap_s"].tolist() == (want["min_gap_ms"] / 1000).tolist()
    assert got["mean_gap_s"].to_numpy() == pytest.approx(want["mean_gap_ms"].to_numpy() / 1000)
    # objects in time order; objects shared at the same moment may come in either order
    assert [sorted(json.loads(x)) for x in got["objects"]] == [sorted(x) for x in want["posts"]]


@pytest.mark.parametrize("args,message", [
    (["co_nothing", "-o", "x.csv"], "unknown co-action signal"),
    (["co_retweet", "--min-participation", "3", "-o", "x.csv"], "--min-participation is CooRTweet's parameter"),
    (["co_retweet", "--compat", "coortweet", "--min-weight", "3", "-o", "x.csv"], "--min-participation"),
    (["co_retweet", "-o", "x.txt"], "cannot tell the format"),
    (["co_retweet", "--since", "last tuesday", "-o", "x.csv"], "not an ISO date"),
    (["co_retweet", "--compat", "cnt", "--window", "2.5", "-o", "x.csv"], "whole seconds"),
])
def test_cli_rejects_bad_options(neo4j_conn, tmp_path, args, message):
    result = _run(neo4j_conn, *args)
    assert result.exit_code == 1 and message in result.output
