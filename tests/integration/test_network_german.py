"""Co-URL and co-image on CooRTweet's german_elections sample (real ingest), against the peer's counting.

The reference is the pandas reading of CooRTweet (tests/coortweet_reference.py) on the file's own rows, one
row per (object, post) as the graph stores them."""

from __future__ import annotations

import coortweet_reference as ref
import pytest

from coordgraph.analytics.signals import coaction

EDGE_KEY = ["from", "to"]


def _rows(shared_data, column):
    rows = ref.read_input(shared_data / "coortweet" / "german_elections.csv", column, "post_id", "timestamp")
    return rows.drop_duplicates(["object_id", "content_id"])


def _edge_set(frame, a="from", b="to"):
    return {(r[a], r[b]): int(r["weight"]) for r in frame.to_dict("records")}


@pytest.mark.parametrize("window,n_edges", [(30, 1453), (60, 1772)])
def test_co_url_leaves_domain_only_rows_out(german_db, shared_data, window, n_edges):
    expected = ref.network_edges(ref.detect_groups(_rows(shared_data, "url_id"), window, 2))
    got = coaction.peer_edges(german_db, "coortweet", "co_url", window_s=window, min_participation=2)
    assert len(expected) == n_edges
    assert _edge_set(got) == _edge_set(expected)
    with german_db.session() as s:
        domain_only = s.run("MATCH (u:Url) WHERE u.url STARTS WITH 'domain:' RETURN count(u) AS n").single()["n"]
    assert domain_only > 0
    events = coaction.coaction_events(german_db, "co_url")
    assert not events["obj"].str.startswith("domain:").any()


@pytest.mark.parametrize("window", [30, 60])
def test_co_image_equals_peer_on_phash_rows(german_db, shared_data, window):
    expected = ref.network_edges(ref.detect_groups(_rows(shared_data, "phash_id"), window, 2))
    got = coaction.peer_edges(german_db, "coortweet", "co_image", window_s=window, min_participation=2)
    assert len(expected) > 300
    assert _edge_set(got) == _edge_set(expected)


def test_co_image_native_pairs(german_db, shared_data):
    """Our definition on the image rows: distinct accounts, the same image at most W apart, objects counted once."""
    rows = _rows(shared_data, "phash_id")
    merged = rows.merge(rows, on="object_id", suffixes=("", "_y"))
    merged = merged[(merged.account_id < merged.account_id_y)
                    & ((merged.timestamp_share - merged.timestamp_share_y).abs() <= 60)]
    expected = merged.groupby(["account_id", "account_id_y"])["object_id"].nunique()
    expected = {k: int(v) for k, v in expected.items() if v >= 2}
    pairs = coaction.coaction_pairs(german_db, "co_image", window_s=60, min_repeat=2).pairs
    assert len(expected) > 10
    assert {(r["a"], r["b"]): int(r["count"]) for r in pairs.to_dict("records")} == expected
