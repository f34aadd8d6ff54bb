"""The bulk path's fast route for twarc2 pages (page_facts) writes the same import files, counts and rejects as the
general route (record bundles merged per chunk), on real pages and on pages built to hit every fallback.
No database: the import files are compared byte for byte."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from coordgraph.ingest import import_files as imp
from coordgraph.ingest import page_facts, typed_pages
from coordgraph.ingest.values import TimeBounds


def _import_files(paths: list[str], work: Path, batch_size: int) -> tuple[list, dict[str, bytes]]:
    """Read ``paths`` as the bulk path does (cut into line ranges, the retweet clashes read again knowing them),
    fold them; the per-part results and the import files' contents."""
    spool, tmp, out = work / "spool", work / "tmp", work / "import"
    for folder in (spool, tmp, out):
        folder.mkdir(parents=True)
    parts = imp.plan_parts(paths, "auto", 2)
    results = imp.read_all(parts, spool, batch_size, 1, {})
    clashes = imp.fold_retweets(spool, tmp, None)
    if clashes:
        results = imp.read_all(parts, spool, batch_size, 1, clashes)
    imp.fold_all(spool, out, tmp)
    facts = [(r.seq, r.format, r.rows, r.loaded, r.rejected, r.skipped, r.events, sorted(r.skip_reasons.items()), r.rejects)
             for r in results]
    return facts, {f.name: f.read_bytes() for f in sorted(out.iterdir())}


def _both_routes(paths, tmp_path, monkeypatch, batch_size: int = 5000):
    monkeypatch.setattr(imp, "SPLIT_MIN_BYTES", 1 << 12)  # small files are cut into ranges too
    taken = []
    add_page = page_facts.ChunkFacts.add_page

    def counting(self, page, bounds):
        events = add_page(self, page, bounds)
        taken.append(events)
        return events

    monkeypatch.setattr(page_facts.ChunkFacts, "add_page", counting)
    fast = _import_files([str(p) for p in paths], tmp_path / "fast", batch_size)
    fast_pages = len(taken)
    monkeypatch.setattr(imp, "FAST_PAGES", False)
    taken.clear()
    general = _import_files([str(p) for p in paths], tmp_path / "general", batch_size)
    assert not taken
    return fast, general, fast_pages


def test_same_import_files_on_real_pages(shared_data, tmp_path, monkeypatch):
    paths = sorted((shared_data / "twarc2-v2").rglob("*.jsonl"))
    fast, general, fast_pages = _both_routes(paths, tmp_path, monkeypatch)
    assert fast_pages > 20  # the raw pages among the samples (the others are flat tweets, lookups, counts ...)
    assert fast[0] == general[0]
    assert sorted(fast[1]) == sorted(general[1])
    for name in fast[1]:
        assert fast[1][name] == general[1][name], name
    assert sum(r[4] for r in fast[0]) > 0 and sum(r[5] for r in fast[0]) > 0  # rejects and skips were compared


def _user(uid: int, **extra) -> dict:
    return {"id": str(uid), "username": f"User{uid}", "name": f"U {uid}", "created_at": "2015-03-01T10:00:00.000Z",
            "public_metrics": {"followers_count": uid, "following_count": 2, "tweet_count": 3},
            "profile_image_url": "https://pbs.twimg.com/default_profile_images/x.png", **extra}


def _tweet(tid: int, author: int, minute: int, **extra) -> dict:
    return {"id": str(tid), "author_id": str(author), "created_at": f"2021-03-01T10:{minute:02d}:00.000Z",
            "text": f"post {tid}", "lang": "en", "conversation_id": str(tid), **extra}


def _page(data, users=(), tweets=(), retrieved="2021-03-02T00:00:00+00:00") -> str:
    page = {"data": list(data), "includes": {"users": list(users), "tweets": list(tweets)}, "meta": {"result_count": len(data)}}
    if retrieved is not None:
        page["__twarc"] = {"retrieved_at": retrieved}
    return json.dumps(page)


def _awkward_lines() -> list[str]:
    original = _tweet(1_000_000_000_000_000_001, 1, 0, entities={
        "hashtags": [{"tag": "Tag"}, {"tag": ""}], "mentions": [{"username": "user2"}, {"id": "3", "username": "c"}],
        "urls": [{"url": "https://t.co/a", "expanded_url": "https://www.Example.org/x"}, {"url": "https://t.co/b"}]},
        attachments={"media_keys": ["3_1", 7]}, note_tweet={"text": "the LONG text"})
    reply = _tweet(1_000_000_000_000_000_002, 2, 1, in_reply_to_user_id="1",
                   referenced_tweets=[{"type": "replied_to", "id": original["id"]}, {"type": "quoted", "id": "99"}])
    retweet = _tweet(1_000_000_000_000_000_003, 3, 2, referenced_tweets=[{"type": "retweeted", "id": original["id"]}])
    clash = _tweet(1_000_000_000_000_000_003, 4, 3, referenced_tweets=[{"type": "retweeted", "id": reply["id"]}])
    lines = [
        _page([original, reply], users=[_user(1), _user(2, description="bio", verified=True)]),
        "",
        _page([retweet], users=[_user(3), _user(1, name="newer name", location="x")], tweets=[original],
              retrieved="2021-03-03T00:00:00+00:00"),
        _page([{**reply, "text": "edited", "entities": {"mentions": [{"id": "50"}]}}],  # the post again, changed
              users=[_user(2, name="older name", description=None)], retrieved="2021-03-01T12:00:00+00:00"),
        _page([_tweet(5, 5, 4)], users=[{"username": "no id"}]),                 # a user the general reader rejects
        _page([_tweet(6, 6, 5, created_at="1999-01-01T00:00:00Z")]),             # an implausible time
        _page([_tweet(16, 16, 15)], users=[_user(16, created_at="1990-01-01T00:00:00Z")]),  # an implausible profile
        _page([_tweet(7, 7, 6, created_at="not a time")]),                       # an unparseable time
        _page([{**_tweet(8, 8, 7), "author_id": None}]),                         # no author
        _page([_tweet(9, 9, 8)], retrieved=None),                                # snapshot from the snowflake ids
        _page([_tweet(10, 10, 9)], retrieved="garbage"),
        _page([_tweet(11, 11, 10, referenced_tweets=[{"type": "replied_to"}])]),  # a reference without id
        json.dumps({"errors": [{"detail": "Not Found"}]}),                        # skipped
        "{not json",                                                              # rejected
        json.dumps({**_tweet(12, 12, 11), "author": {"id": "12", "username": "flat"}}),  # a flat tweet
        _page([{**_tweet(13, 13, 12), "id": 130000000000000000000000001}]),      # a wide numeric id
        _page([clash], users=[_user(4)]),                                         # the same retweet id, other endpoints
        _page([_tweet(14, 14, 13, entities={"hashtags": "nope"})]),               # does not fit the declarations
        _page([_tweet(15, 15, 14, in_reply_to_user_id="77",                     # names the author of stub 99
                      referenced_tweets=[{"type": "replied_to", "id": "99"}],
                      entities={"mentions": [{"id": "50", "username": "fifty"}]}),    # and a handle of account 50
               _tweet(15, 15, 14, text="the same post, later in the page")],
              users=[_user(3, name="same snapshot, later page")], retrieved="2021-03-03T00:00:00+00:00"),
    ]
    return lines


def _regular_lines() -> list[str]:
    """The lines of :func:`_awkward_lines` the fast route takes: chunks of nothing else are merged by it alone."""
    lines = _awkward_lines()
    return [lines[i] for i in (0, 2, 3, 9, 10, 15, 18)]


@pytest.mark.parametrize("batch_size", [1, 3, 5000])
@pytest.mark.parametrize("kind", ["awkward", "regular"])
def test_same_import_files_on_awkward_pages(tmp_path, monkeypatch, batch_size, kind):
    """Chunks of fast pages, of general lines and of both; rejects, skips, blank lines, a retweet id clash within a
    chunk and across chunks (read again), profiles arriving out of time order, a stub whose author comes later."""
    path = tmp_path / "pages.jsonl"
    lines = _awkward_lines() if kind == "awkward" else _regular_lines()
    path.write_text("\n".join(lines * 40) + "\n", encoding="utf-8")
    fast, general, fast_pages = _both_routes([path], tmp_path, monkeypatch, batch_size)
    assert fast_pages > 0
    assert fast[0] == general[0]
    assert sorted(fast[1]) == sorted(general[1])
    for name in fast[1]:
        assert fast[1][name] == general[1][name], name
    if kind == "regular":
        assert fast_pages == len(_regular_lines()) * 40  # every page went the fast route
    else:
        assert sum(r[4] for r in fast[0]) > 0 and sum(r[5] for r in fast[0]) > 0


def test_a_page_the_general_reader_rejects_part_of_makes_the_chunk_unusable():
    """A page's facts go into the chunk as they are read: an irregular page leaves the chunk unusable (the caller
    reads it the general way), a regular one keeps it usable."""
    facts = page_facts.ChunkFacts({})
    bounds = TimeBounds.for_format("twarc2", datetime.now(timezone.utc))
    good = typed_pages.decode_struct_page(_page([_tweet(5, 5, 4)], users=[_user(5)]).encode())
    bad = typed_pages.decode_struct_page(_page([_tweet(6, 6, 5), {**_tweet(7, 7, 6), "created_at": None}], users=[_user(6)]).encode())
    assert facts.add_page(good, bounds) == 1
    assert facts.usable
    with pytest.raises(page_facts.Irregular):
        facts.add_page(bad, bounds)
    assert not facts.usable


def _included_again_lines() -> list[str]:
    """A post included on several pages: unchanged, changed and back (the last version read wins), and with a
    mention by handle only, which each page resolves with its own profiles."""
    original = _tweet(2_000_000_000_000_000_001, 21, 0, entities={"mentions": [{"username": "Handle"}]})
    plain = _tweet(2_000_000_000_000_000_002, 22, 1)
    changed = {**plain, "text": "post edited", "lang": "de"}
    other = _tweet(2_000_000_000_000_000_003, 22, 1)

    def retweet(tid: int, target: dict) -> dict:
        return _tweet(tid, 23, 2, referenced_tweets=[{"type": "retweeted", "id": target["id"]}])

    return [
        _page([retweet(2_000_000_000_000_000_011, original)], users=[_user(31, username="handle")], tweets=[original]),
        _page([retweet(2_000_000_000_000_000_012, original)], users=[_user(32, username="HANDLE")], tweets=[original]),
        _page([retweet(2_000_000_000_000_000_013, plain)], tweets=[plain]),
        _page([retweet(2_000_000_000_000_000_014, plain)], tweets=[changed]),
        _page([retweet(2_000_000_000_000_000_015, plain)], tweets=[plain]),
        _page([retweet(2_000_000_000_000_000_016, other)], tweets=[other]),
        _page([retweet(2_000_000_000_000_000_017, other)], tweets=[{**other, "text": "other edited"}]),
        # more pages, so that the file is cut into two parts and the six above stay in the first
        *(_page([retweet(2_000_000_000_000_000_100 + k, plain)]) for k in range(18)),
    ]


def _same_both_ways(lines: list[str], tmp_path, monkeypatch, batch_size: int, fast_pages: int) -> tuple:
    """Both routes on ``lines`` as one file: the same counts and import files, ``fast_pages`` of them read the
    fast way; the fast route's (counts, files)."""
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast, general, pages = _both_routes([path], tmp_path, monkeypatch, batch_size)
    assert pages == fast_pages
    assert fast[0] == general[0]
    assert fast[1] == general[1]
    return fast


@pytest.mark.parametrize("batch_size", [1, 5000])
def test_same_import_files_for_posts_included_again(tmp_path, monkeypatch, batch_size):
    fast = _same_both_ways(_included_again_lines(), tmp_path, monkeypatch, batch_size, fast_pages=25)
    assert b"post edited" not in fast[1]["node_Tweet.csv"] and b"other edited" in fast[1]["node_Tweet.csv"]  # read last
    mentioned = fast[1]["rel_MENTIONS.csv"].decode().splitlines()[1:]
    assert mentioned == ['"2000000000000000001","31"', '"2000000000000000001","32"']  # both pages' resolutions


def _runs_across_chunks_lines() -> list[str]:
    """A profile and a post given again unchanged in several chunks, with a chunk read the general way between
    (flat tweets: other values for the same account and post)."""
    post = _tweet(3_000_000_000_000_000_001, 41, 0)

    def retweet(tid: int) -> dict:
        return _tweet(tid, 23, 2, referenced_tweets=[{"type": "retweeted", "id": post["id"]}])

    def flat(tweet: dict, author: dict, retrieved: str) -> str:
        return json.dumps({**tweet, "author": author, "__twarc": {"retrieved_at": retrieved}})

    return [
        _page([retweet(3_000_000_000_000_000_011)], users=[_user(40), _user(41)], tweets=[post],
              retrieved="2021-03-02T00:00:00+00:00"),
        _page([retweet(3_000_000_000_000_000_012)], users=[_user(40)], retrieved="2021-03-05T00:00:00+00:00"),
        # older than the profile of account 40 held so far: not taken; newer than that of account 41: taken
        flat(_tweet(3_000_000_000_000_000_002, 40, 1), _user(40, description="flat bio 40"), "2021-03-03T00:00:00+00:00"),
        flat({**post, "text": "flat text"}, _user(41, description="flat bio 41"), "2021-03-03T00:00:00+00:00"),
        _page([retweet(3_000_000_000_000_000_013)], users=[_user(41)], tweets=[post],
              retrieved="2021-03-04T00:00:00+00:00"),
        # more pages, so that the file is cut into two parts and the five above stay in the first
        *(_page([retweet(3_000_000_000_000_000_100 + k)]) for k in range(18)),
    ]


@pytest.mark.parametrize("batch_size", [1, 5000])
def test_same_import_files_for_profiles_and_posts_given_again_across_chunks(tmp_path, monkeypatch, batch_size):
    fast = _same_both_ways(_runs_across_chunks_lines(), tmp_path, monkeypatch, batch_size, fast_pages=21)
    accounts = fast[1]["node_Account.csv"].decode()
    if batch_size == 1:  # one page a chunk: the values the fold's rules give, line by line
        assert "flat bio 41" in accounts and "flat bio 40" not in accounts
        assert b"flat text" not in fast[1]["node_Tweet.csv"]
