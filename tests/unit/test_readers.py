"""Readers turn input rows into bundles of graph facts, rejects with file line and field, or skips (no server)."""

from __future__ import annotations

from coordgraph.ingest.records import Bundle, Reject, merge_bundles
from coordgraph.ingest.sources import detect, open_input

GENERIC = """account_id,action,post_id,time,target_post_id,target_account_id,username,text,hashtags
u1,original,p1,2021-03-01T10:00:00Z,,,alice,hello #world,world
u2,repost,r1,2021-03-01T10:00:30Z,p1,u1,bob,,
u3,reply,p2,2021-03-01T10:01:00Z,p1,u1,,nice one,
u4,repost,r2,not a time,p1,u1,,,
u5,dance,p3,2021-03-01T10:02:00Z,,,,,
"""


def _rows(path):
    inp = open_input(str(path))
    try:
        return list(detect(inp, "auto").rows)
    finally:
        inp.close()


def test_generic_csv_rows_become_bundles_and_bad_rows_rejects(tmp_path):
    path = tmp_path / "engagements.csv"
    path.write_text(GENERIC, encoding="utf-8")
    rows = _rows(path)
    bundles = [r for r in rows if isinstance(r, Bundle)]
    rejects = [r for r in rows if isinstance(r, Reject)]
    assert [b.line for b in bundles] == [2, 3, 4]
    original, repost, reply = bundles
    assert original.tweets[0]["id"] == "p1" and original.tweets[0]["props"]["kind"] == "original"
    assert original.tags == [("p1", "world")] and original.accounts[0]["props"]["username"] == "alice"
    assert repost.stubs == [{"id": "p1", "author_id": "u1"}]  # the engaged post, known only by reference
    assert repost.retweets == [{"id": "r1", "account_id": "u2", "tweet_id": "p1", "at_ms": 1614592830000}]
    assert reply.replies == [("p2", "p1")] and reply.account_refs[0]["id"] == "u3"
    assert [(r.line, r.field) for r in rejects] == [(5, "time"), (6, "action")]
    assert sum(b.events for b in bundles) == 3


def test_bundles_merge_into_one_batch_without_duplicates(tmp_path):
    path = tmp_path / "engagements.csv"
    path.write_text(GENERIC, encoding="utf-8")
    bundles = [r for r in _rows(path) if isinstance(r, Bundle)]
    batch = merge_bundles(bundles + bundles)
    assert sorted(t["id"] for t in batch.tweets) == ["p1", "p2"]  # the stub p1 gives way to the full post
    assert [r["id"] for r in batch.retweets] == ["r1"]
    assert {a["id"] for a in batch.accounts} == {"u1", "u2"}
