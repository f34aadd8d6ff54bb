"""How the writer shapes a batch's rows for its statements (pure logic, no server)."""

from __future__ import annotations

from coordgraph.ingest.writer import by_post


def test_retweets_are_grouped_by_post_with_every_retweet_kept_once():
    rows = [{"id": "r1", "account_id": "a1", "tweet_id": "p1", "at_ms": 1, "event": True},
            {"id": "r2", "account_id": "a2", "tweet_id": "p2", "at_ms": 2},
            {"id": "r3", "account_id": "a3", "tweet_id": "p1", "at_ms": 3}]
    grouped = by_post(rows)
    assert grouped == [
        {"tweet_id": "p1", "retweets": [{"id": "r1", "account_id": "a1", "at_ms": 1}, {"id": "r3", "account_id": "a3", "at_ms": 3}]},
        {"tweet_id": "p2", "retweets": [{"id": "r2", "account_id": "a2", "at_ms": 2}]},
    ]
    assert by_post([]) == []
