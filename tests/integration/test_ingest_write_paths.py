"""The writer's two paths (CREATE what the in-transaction look-up found absent; MERGE everything) write the same
graph, re-loads and split loads change nothing, and a batch that meets a concurrent writer is redone with MERGE."""

from __future__ import annotations

from pathlib import Path

import pytest

from coordgraph.ingest import ingest_paths
from coordgraph.ingest.records import Bundle
from coordgraph.ingest.sources import detect, open_input
from coordgraph.ingest.writer import GraphWriter
from helpers import fingerprint, wipe

# a look-up that finds nothing: what the writer would see if a concurrent load committed the same ids after it
FINDS_NOTHING = "RETURN [] AS accounts, [] AS tweets, [] AS retweets"


@pytest.fixture
def real_files(shared_data) -> list[Path]:
    """Raw twarc2 pages, flattened twarc2 lines and a v1.1 search response: profiles, stubs, every edge kind."""
    return [shared_data / "twarc2-v2" / "twarc-csv" / "2sets.jsonl",
            shared_data / "twarc2-v2" / "twarc-csv" / "flat.jsonl",
            shared_data / "twitter-v1.1" / "get_mentions.json"]


def load(driver, tmp_path, *paths, **kw):
    summary = ingest_paths(driver, [str(p) for p in paths], progress=False, rejects_dir=tmp_path / "rejects", **kw)
    return summary


def write_directly(driver, writer: GraphWriter, path: Path, batch_size: int = 500) -> int:
    """Read ``path`` and hand its bundles to ``writer`` in batches; return the events written."""
    inp = open_input(str(path))
    try:
        bundles = [item for item in detect(inp, "auto").rows if type(item) is Bundle]
    finally:
        inp.close()
    events = 0
    for start in range(0, len(bundles), batch_size):
        events += writer.write(bundles[start:start + batch_size], lambda reject, whole: pytest.fail(f"rejected: {reject}"))
    return events


def test_create_path_and_merge_path_write_the_same_graph(clean_db, real_files, tmp_path, monkeypatch):
    created = load(clean_db, tmp_path, *real_files, batch_size=700)
    assert created.rejected == 0
    via_create = fingerprint(clean_db)
    kinds = {r.split("'")[1] for r in via_create["rels"]}
    assert {"POSTED", "RETWEETED", "REPLY_TO", "QUOTES", "TAGS", "LINKS", "MENTIONS", "ON_DOMAIN"} <= kinds
    assert any("('stub', True)" in n for n in via_create["nodes"]) and any("('stub', False)" in n for n in via_create["nodes"])

    wipe(clean_db)
    monkeypatch.setattr(GraphWriter, "_create_path", lambda self, tx, batch, look_up: self._merge_path(tx, batch))
    merged = load(clean_db, tmp_path, *real_files, batch_size=700)
    assert merged.events == created.events
    assert fingerprint(clean_db) == via_create


def test_reload_split_reverse_order_and_tiny_caches_give_the_same_graph(clean_db, real_files, tmp_path, monkeypatch):
    load(clean_db, tmp_path, *real_files)
    whole = fingerprint(clean_db)
    again = load(clean_db, tmp_path, *real_files)
    assert again.rejected == 0 and fingerprint(clean_db) == whole

    # the same data in small batches, files in reverse order (stubs meet their full posts later or earlier) and
    # caches so small that they are emptied all the time: the look-up, not the caches, decides what is new
    wipe(clean_db)
    monkeypatch.setattr(GraphWriter, "KNOWN_LIMIT", 25)
    load(clean_db, tmp_path, *reversed(real_files), batch_size=97)
    assert fingerprint(clean_db) == whole


def test_a_batch_meeting_a_concurrent_writer_is_redone_with_merge(clean_db, real_files, tmp_path):
    load(clean_db, tmp_path, *real_files)
    before = fingerprint(clean_db)
    writer = GraphWriter(clean_db)
    writer.queries["lookup"] = FINDS_NOTHING  # every CREATE now meets an id that exists
    events = write_directly(clean_db, writer, real_files[0])
    assert events > 0 and writer.merge_fallbacks > 0
    assert fingerprint(clean_db) == before


def test_writing_without_look_up_fails_on_anything_that_exists_and_is_redone_with_it(clean_db, real_files, tmp_path):
    # a first load skips the look-up; the same data again must fail that way batch after batch and be
    # written through the look-up, leaving the graph as it was
    first = GraphWriter(clean_db)
    events = write_directly(clean_db, first, real_files[0])
    assert first.optimistic and first.merge_fallbacks == 0
    before = fingerprint(clean_db)
    again = GraphWriter(clean_db)
    assert write_directly(clean_db, again, real_files[0]) == events
    assert not again.optimistic and again.merge_fallbacks == 0
    assert fingerprint(clean_db) == before


def test_retweets_of_one_post_by_many_accounts_are_created_once_each(clean_db, tmp_path):
    # the CREATE path must not duplicate a retweet whose id the look-up found, nor lose one it did not find
    import json

    def page(first: int, n: int) -> dict:
        data = [{"id": str(1_400_000_000_000_000_000 + i), "author_id": f"u{i}", "text": "RT @o: x", "created_at": "2021-06-26T19:22:00.000Z",
                 "referenced_tweets": [{"type": "retweeted", "id": "1399999999999999999"}]} for i in range(first, first + n)]
        return {"data": data, "includes": {"users": [{"id": f"u{i}", "username": f"u{i}"} for i in range(first, first + n)]}}

    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(json.dumps(page(s, 50)) for s in (0, 25, 50)) + "\n", encoding="utf-8")
    load(clean_db, tmp_path, path, batch_size=40)
    load(clean_db, tmp_path, path, batch_size=1000)
    with clean_db.session() as s:
        rec = s.run("MATCH (a:Account)-[r:RETWEETED]->(t:Tweet {id: '1399999999999999999'}) "
                    "RETURN count(r) AS n, count(DISTINCT r.id) AS ids, count(DISTINCT a) AS accounts, t.stub AS stub").single()
    assert dict(rec) == {"n": 100, "ids": 100, "accounts": 100, "stub": True}


def test_a_newer_thinner_profile_updates_what_it_has_and_keeps_the_rest(clean_db, tmp_path):
    import json

    def line(tid: str, retrieved: str, author: dict) -> str:
        return json.dumps({"id": tid, "author_id": "7", "text": "hi", "created_at": "2021-06-26T19:22:00.000Z",
                           "author": author, "__twarc": {"retrieved_at": retrieved}})

    full = {"id": "7", "username": "Old", "name": "Seven", "description": "bio", "created_at": "2020-01-01T00:00:00.000Z",
            "public_metrics": {"followers_count": 10, "following_count": 1, "tweet_count": 5}}
    thin = {"id": "7", "username": "New", "created_at": "2020-01-01T00:00:00.000Z", "public_metrics": {"followers_count": 99}}
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(line("1400000000000000001", "2021-06-27T00:00:00+00:00", full) + "\n", encoding="utf-8")
    second.write_text(line("1400000000000000002", "2021-06-28T00:00:00+00:00", thin) + "\n", encoding="utf-8")
    load(clean_db, tmp_path, first)
    load(clean_db, tmp_path, second)  # a separate load: the account exists, so this is the update path
    with clean_db.session() as s:
        rec = s.run("MATCH (a:Account {id: '7'}) RETURN a.username AS username, a.username_lc AS lc, a.name AS name, "
                    "a.description AS description, a.followers AS followers, a.following AS following").single()
    assert dict(rec) == {"username": "New", "lc": "new", "name": "Seven", "description": "bio", "followers": 99, "following": 1}
