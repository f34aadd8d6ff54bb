"""Retweet ids naming two retweets: rejected, except one CooRTweet content id sharing several objects."""

from __future__ import annotations

from coordgraph.ingest.records import Bundle, drop_retweet_conflicts


def _row(line, content_id, account, obj, several=True):
    retweet = {"id": content_id, "account_id": account, "tweet_id": obj, "at_ms": 1000 * line}
    if several:
        retweet["shares_several"] = True
    return Bundle(line=line, events=1, retweets=[retweet])


def _run(bundles, known=None):
    rejects = []
    kept = drop_retweet_conflicts(bundles, lambda r, whole: rejects.append((r.line, whole)), known or {})
    return [(r["id"], r["account_id"], r["tweet_id"]) for b in kept for r in b.retweets], rejects


def test_one_post_sharing_two_objects_keeps_both_rows():
    kept, rejects = _run([_row(1, "c1", "a", "o1"), _row(2, "c1", "a", "o2"), _row(3, "c1", "a", "o1")])
    assert rejects == []
    assert kept == [("c1", "a", "o1"), ("c1#o2", "a", "o2"), ("c1", "a", "o1")]


def test_a_reload_names_the_same_shares_whatever_comes_first():
    known = {"c1": ("a", "o1")}  # loaded before
    kept, rejects = _run([_row(1, "c1", "a", "o2"), _row(2, "c1", "a", "o1")], known)
    assert rejects == [] and kept == [("c1#o2", "a", "o2"), ("c1", "a", "o1")]
    kept, _ = _run([_row(1, "c1#o2", "a", "o2")], {"c1#o2": ("a", "o2")})
    assert kept == [("c1#o2", "a", "o2")]


def test_another_account_or_a_layout_without_shared_ids_is_still_rejected():
    kept, rejects = _run([_row(1, "c1", "a", "o1"), _row(2, "c1", "b", "o2")])
    assert kept == [("c1", "a", "o1")] and rejects == [(2, True)]
    kept, rejects = _run([_row(1, "r1", "a", "o1", several=False), _row(2, "r1", "a", "o2", several=False)])
    assert kept == [("r1", "a", "o1")] and rejects == [(2, True)]
