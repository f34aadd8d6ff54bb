"""Bad input, hostile text, idempotency and a real SIGKILL in the middle of a load."""

from __future__ import annotations

import csv
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from coordgraph.errors import InputError
from coordgraph.ingest import ingest_paths
from coordgraph.ingest.values import SNOWFLAKE_EPOCH_MS
from helpers import REPO_ROOT

REPO = REPO_ROOT
HOSTILE = ["'}) DETACH DELETE n //", "<script>alert('x')</script><b>bold</b>", "tab\tnew\nline\rcr \x00nul \x1b[31mred\x07 \u202eRTL"]


def v2_tweet(tid: str, author: str, text: str = "hello", created: str = "2021-06-26T19:22:00.000Z", refs=None,
             username: str | None = None, retrieved: str = "2021-06-27T00:00:00+00:00", followers: int = 10, **extra) -> dict:
    """One ``twarc2 flatten`` line."""
    t = {
        "id": tid, "author_id": author, "text": text, "created_at": created, "lang": "en", "conversation_id": tid,
        "author": {"id": author, "username": username or f"user{author}", "name": f"Name {author}",
                   "created_at": "2020-01-01T00:00:00.000Z", "public_metrics": {"followers_count": followers, "following_count": 1, "tweet_count": 5}},
        "__twarc": {"retrieved_at": retrieved},
        **extra,
    }
    if refs:
        t["referenced_tweets"] = refs
    return t


def write_jsonl(path: Path, objs, opener=open) -> Path:
    with opener(path, "wb") as fh:
        for o in objs:
            fh.write((json.dumps(o) if not isinstance(o, (bytes, str)) else o).encode() if not isinstance(o, bytes) else o)
            fh.write(b"\n")
    return path


def load(driver, tmp_path, *paths, **kw):
    return ingest_paths(driver, [str(p) for p in paths], progress=False, rejects_dir=tmp_path / "rejects", **kw)


def rejects_of(summary) -> list[dict]:
    if summary.rejects_path is None:
        return []
    return [json.loads(x) for x in summary.rejects_path.read_text(encoding="utf-8").splitlines()]


def all_counts(driver) -> dict:
    with driver.session() as s:
        nodes = {r["l"]: r["c"] for r in s.run("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS c")}
        rels = {r["t"]: r["c"] for r in s.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c")}
    return {"nodes": nodes, "rels": rels}


def one(driver, query, **params):
    with driver.session() as s:
        return s.run(query, params).single()


# --- hostile text ----------------------------------------------------------------------------------------------

def test_hostile_text_is_stored_verbatim(clean_db, tmp_path):
    lines = [v2_tweet(str(100 + i), "1", text=t) for i, t in enumerate(HOSTILE)]
    path = write_jsonl(tmp_path / "hostile.jsonl", lines)
    csv_path = tmp_path / "hostile.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "action", "post_id", "time", "username", "text"])
        for i, t in enumerate(HOSTILE):
            w.writerow([f"acc{i}", "post", f"g{i}", "2024-01-01T00:00:00Z", t, t])
    summary = load(clean_db, tmp_path, path, csv_path)
    assert summary.rejected == 0 and summary.events == 6
    with clean_db.session() as s:
        texts = {r["id"]: r["text"] for r in s.run("MATCH (t:Tweet) RETURN t.id AS id, t.text AS text")}
        names = {r["id"]: r["u"] for r in s.run("MATCH (a:Account) WHERE a.id STARTS WITH 'acc' RETURN a.id AS id, a.username AS u")}
    assert [texts[str(100 + i)] for i in range(3)] == HOSTILE
    assert [texts[f"g{i}"] for i in range(3)] == HOSTILE
    assert [names[f"acc{i}"] for i in range(3)] == HOSTILE
    assert all_counts(clean_db)["nodes"]["Tweet"] == 6  # nothing was deleted by the injection attempt


def test_multi_megabyte_text_loads_verbatim(clean_db, tmp_path):
    big = ("long post " * 350_000) + "end"  # ~3.5 MB
    path = write_jsonl(tmp_path / "big.jsonl", [v2_tweet("5", "1", text=big), v2_tweet("6", "1")])
    csv_path = tmp_path / "big.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["account_id", "action", "post_id", "time", "text"], ["a", "post", "p-big", "1700000000", big]])
    summary = load(clean_db, tmp_path, path, csv_path)
    assert summary.rejected == 0 and summary.events == 3
    rec = one(clean_db, "MATCH (t:Tweet) WHERE t.id IN ['5', 'p-big'] RETURN collect(t.text) AS texts")
    assert rec["texts"] == [big, big]


# --- bad input ---------------------------------------------------------------------------------------------------

def test_malformed_lines_non_utf8_missing_fields_and_bad_times_are_rejected_with_line_and_field(clean_db, tmp_path):
    no_author = v2_tweet("13", "1")
    del no_author["author_id"], no_author["author"]
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        v2_tweet("11", "1"),
        '{"data": [{"id": "1", "text": "cut',
        b'{"id": "12", "author_id": "1", "text": "bad \xff\xfe byte", "created_at": "2021-06-26T19:22:00.000Z"}',
        no_author,
        v2_tweet("14", "1", created="the day before yesterday"),
        "42",
        v2_tweet("15", "2"),
    ])
    summary = load(clean_db, tmp_path, path)
    assert summary.events == 2 and summary.rejected == 5
    rejects = {r["line"]: r for r in rejects_of(summary)}
    assert set(rejects) == {2, 3, 4, 5, 6}
    assert "malformed JSON" in rejects[2]["reason"]
    assert "UTF-8" in rejects[3]["reason"]
    assert rejects[4]["field"] == "tweet.author_id"
    assert rejects[5]["field"] == "tweet.created_at" and "unparseable time" in rejects[5]["reason"]
    assert "expected a JSON object" in rejects[6]["reason"]
    assert all(r["file"] == str(path) for r in rejects.values())
    assert '"id": "13"' in rejects[4]["raw"]  # the rejected line is shown
    assert sorted(one(clean_db, "MATCH (t:Tweet) RETURN collect(t.id) AS ids")["ids"]) == ["11", "15"]


def test_csv_bad_rows_wrong_columns_and_non_utf8(clean_db, tmp_path):
    path = tmp_path / "engagements.csv"
    path.write_bytes(
        b"object_id,account_id,content_id,timestamp_share\n"
        b"o1,a1,c1,1623881091\n"
        b"o1,,c2,1623881092\n"            # missing account
        b"o1,a3,c3,sometime\n"             # bad time
        b"o1,a4,c4\n"                      # too few columns
        b"o1,a\xff5,c5,1623881095\n"       # not UTF-8
        b"o2,a6,c6,1623881096\n"
    )
    summary = load(clean_db, tmp_path, path)
    assert summary.events == 2 and summary.rejected == 4
    rejects = {r["line"]: r for r in rejects_of(summary)}
    assert rejects[3]["field"] == "account_id" and rejects[3]["reason"] == "missing value"
    assert rejects[4]["field"] == "timestamp_share"
    assert "expected 4 columns, got 3" in rejects[5]["reason"]
    assert rejects[6]["field"] == "account_id" and "UTF-8" in rejects[6]["reason"]
    assert all_counts(clean_db)["rels"]["RETWEETED"] == 2

    wrong = tmp_path / "wrong.csv"
    wrong.write_text("colour,shape\nred,round\n", encoding="utf-8")
    summary = load(clean_db, tmp_path, wrong)
    [reject] = rejects_of(summary)
    assert summary.rejected == 1 and summary.files[0].error
    for name in ("twarc2", "v1", "io-archive", "csv", "status", "object_id, account_id, content_id, timestamp_share"):
        assert name in reject["reason"]


def test_truncated_gzip_loads_what_is_readable_and_rejects_the_rest(clean_db, tmp_path):
    full = write_jsonl(tmp_path / "t.jsonl.gz", [v2_tweet(str(1000 + i), str(i % 7), text=f"post {i} " + "x" * 200) for i in range(400)], opener=gzip.open)
    data = full.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    summary = load(clean_db, tmp_path, cut)
    [reject] = rejects_of(summary)
    assert "truncated or corrupt gzip" in reject["reason"]
    assert 0 < summary.events < 400
    assert all_counts(clean_db)["nodes"]["Tweet"] == summary.events


def test_empty_files_and_gzip_are_fine(clean_db, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    blank_gz = tmp_path / "blank.jsonl.gz"
    with gzip.open(blank_gz, "wb") as fh:
        fh.write(b"\n\n")
    header_only = tmp_path / "header.csv"
    header_only.write_text("object_id,account_id,content_id,timestamp_share\n")
    good_gz = write_jsonl(tmp_path / "good.jsonl.gz", [v2_tweet("21", "1"), v2_tweet("22", "1")], opener=gzip.open)
    summary = load(clean_db, tmp_path, empty, blank_gz, header_only, good_gz)
    assert summary.rejected == 0 and summary.events == 2
    assert [f.skip_reasons.get("empty file", 0) for f in summary.files] == [1, 1, 0, 0]


def test_unknown_format_names_the_known_formats(clean_db, tmp_path):
    path = write_jsonl(tmp_path / "x.jsonl", [v2_tweet("1", "1")])
    with pytest.raises(InputError) as info:
        load(clean_db, tmp_path, path, fmt="xml")
    assert all(name in str(info.value) for name in ("twarc2", "v1", "io-archive", "csv", "status"))
    # a JSON file forced to a CSV format is refused with the reason, not misread
    summary = load(clean_db, tmp_path, path, fmt="io-archive")
    assert summary.events == 0 and "expects CSV" in rejects_of(summary)[0]["reason"]


# --- model details -----------------------------------------------------------------------------------------------

def test_latest_profile_wins_whatever_the_load_order(clean_db, tmp_path):
    new = write_jsonl(tmp_path / "new.jsonl", [v2_tweet("31", "9", username="NewName", retrieved="2022-01-01T00:00:00+00:00", followers=500)])
    old = write_jsonl(tmp_path / "old.jsonl", [v2_tweet("32", "9", username="OldName", retrieved="2021-01-01T00:00:00+00:00", followers=5)])
    load(clean_db, tmp_path, new, old)
    rec = one(clean_db, "MATCH (a:Account {id: '9'}) RETURN a.username AS u, a.username_lc AS lc, a.followers AS f")
    assert (rec["u"], rec["lc"], rec["f"]) == ("NewName", "newname", 500)
    # and within one file, later lines with an older snapshot do not win either
    both = write_jsonl(tmp_path / "both.jsonl", [
        v2_tweet("41", "8", username="Second", retrieved="2022-06-01T00:00:00+00:00"),
        v2_tweet("42", "8", username="First", retrieved="2022-01-01T00:00:00+00:00"),
    ])
    load(clean_db, tmp_path, both)
    assert one(clean_db, "MATCH (a:Account {id: '8'}) RETURN a.username AS u")["u"] == "Second"


def test_retweets_replies_quotes_stubs_and_entities(clean_db, tmp_path):
    original = v2_tweet("1400000000000000001", "1", text="#Hello world https://t.co/x",
                        entities={"hashtags": [{"tag": "Hello"}], "urls": [{"url": "https://t.co/x", "expanded_url": "https://www.Example.org/a?b=1"}],
                                  "mentions": [{"username": "user2", "id": "2"}]},
                        attachments={"media_keys": ["3_77"]})
    rt = v2_tweet("1400000000000000002", "3", text="RT @user1: #Hello world", created="2021-06-26T19:22:30.000Z",
                  refs=[{"type": "retweeted", "id": "1400000000000000001"}])
    reply = v2_tweet("1400000000000000003", "4", text="@user9 no", refs=[{"type": "replied_to", "id": "1399999999999999999"}],
                     in_reply_to_user_id="9")
    quote = v2_tweet("1400000000000000004", "5", text="look", refs=[{"type": "quoted", "id": "1400000000000000001"}])
    summary = load(clean_db, tmp_path, write_jsonl(tmp_path / "t.jsonl", [original, rt, reply, quote]))
    assert summary.events == 4 and summary.rejected == 0
    rec = one(clean_db, """
        MATCH (a:Account {id: '3'})-[r:RETWEETED]->(t:Tweet {id: '1400000000000000001'})<-[:POSTED]-(:Account {id: '1'})
        MATCH (t)-[:TAGS]->(h:Hashtag), (t)-[:LINKS]->(u:Url)-[:ON_DOMAIN]->(d:Domain), (t)-[:MENTIONS]->(m:Account), (t)-[:SHOWS]->(md:Media)
        RETURN r.id AS rid, r.at_ms AS at_ms, r.at AS at, h.tag AS tag, u.url AS url, d.name AS domain, m.id AS mention, md.key AS media,
               t.kind AS kind, t.text_hash AS hash""")
    assert rec["rid"] == "1400000000000000002" and rec["tag"] == "hello" and rec["domain"] == "example.org"
    assert rec["url"] == "https://www.Example.org/a?b=1" and rec["mention"] == "2" and rec["media"] == "3_77" and rec["kind"] == "original"
    assert rec["at_ms"] == 1624735350000 and rec["at"].to_native().isoformat() == "2021-06-26T19:22:30+00:00"
    stub = one(clean_db, """MATCH (:Tweet {id: '1400000000000000003', kind: 'reply'})-[:REPLY_TO]->(p:Tweet)<-[:POSTED]-(a:Account)
                            RETURN p.stub AS stub, p.created_ms AS ms, a.id AS author""")
    assert stub["stub"] is True and stub["author"] == "9" and stub["ms"] == (1399999999999999999 >> 22) + SNOWFLAKE_EPOCH_MS
    assert one(clean_db, "MATCH (:Tweet {id: '1400000000000000004', kind: 'quote'})-[:QUOTES]->(q:Tweet {stub: false}) RETURN count(q) AS n")["n"] == 1
    # the retweet carries no post of its own
    assert one(clean_db, "MATCH (t:Tweet {id: '1400000000000000002'}) RETURN count(t) AS n")["n"] == 0


def test_io_archive_recovers_milliseconds_and_keeps_hashed_fields(clean_db, tmp_path):
    ms = 1_591_014_875_123  # 2020-06-01T12:34:35.123Z
    tid = str((ms - SNOWFLAKE_EPOCH_MS) << 22 | 12345)
    rt_target = str((ms - 60_000 - SNOWFLAKE_EPOCH_MS) << 22)
    hashed = "a" * 64
    cols = ["tweetid", "userid", "user_display_name", "user_screen_name", "user_reported_location", "user_profile_description",
            "user_profile_url", "follower_count", "following_count", "account_creation_date", "account_language", "tweet_language",
            "tweet_text", "tweet_time", "tweet_client_name", "in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid",
            "is_retweet", "retweet_userid", "retweet_tweetid", "latitude", "longitude", "quote_count", "reply_count", "like_count",
            "retweet_count", "hashtags", "urls", "user_mentions", "poll_choices"]
    rows = [
        dict(tweetid=tid, userid=hashed, user_display_name=hashed, user_screen_name=hashed, follower_count="3", following_count="4",
             account_creation_date="2020-05-30", account_language="en", tweet_language="en", tweet_text="Hello #UK",
             tweet_time="2020-06-01 12:34", is_retweet="False", hashtags="[UK, London]", urls="['https://x.org/a']", user_mentions="[42]"),
        dict(tweetid="990001", userid="77", user_screen_name="SomeoneUK", account_creation_date="2019-01-01", tweet_text="RT @x: hi",
             tweet_time="2020-06-01 12:35", is_retweet="True", retweet_userid="555", retweet_tweetid=rt_target),
    ]
    path = tmp_path / "io_tweets.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, cols)
        w.writeheader()
        w.writerows(rows)
    users = tmp_path / "io_users.csv"
    users.write_text("userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,"
                     "follower_count,following_count,account_creation_date,account_language\n"
                     "88,Only User,OnlyUser,London,,,,,2018-03-04,en\n", encoding="utf-8")
    summary = load(clean_db, tmp_path, path, users)
    assert summary.rejected == 0 and [f.format for f in summary.files] == ["io-archive:tweets", "io-archive:users"]
    rec = one(clean_db, "MATCH (a:Account)-[:POSTED]->(t:Tweet {id: $id}) RETURN t.created_ms AS ms, a.id AS uid, a.username AS u, "
                        "a.created_at AS created, [(t)-[:TAGS]->(h) | h.tag] AS tags, [(t)-[:MENTIONS]->(m) | m.id] AS mentions", id=tid)
    assert rec["ms"] == ms and rec["uid"] == hashed and rec["u"] == hashed
    assert rec["created"].to_native().isoformat() == "2020-05-30T00:00:00+00:00"
    assert sorted(rec["tags"]) == ["london", "uk"] and rec["mentions"] == ["42"]
    # a non-snowflake id keeps the minute; the retweet points to a stub whose author is known
    rt = one(clean_db, "MATCH (:Account {id: '77'})-[r:RETWEETED {id: '990001'}]->(t:Tweet {stub: true})<-[:POSTED]-(a:Account) RETURN r.at_ms AS ms, a.id AS author")
    assert rt["ms"] == 1_591_014_900_000 and rt["author"] == "555"
    assert one(clean_db, "MATCH (a:Account {id: '88'}) RETURN a.username AS u")["u"] == "OnlyUser"


def test_status_snapshots_keep_history_and_latest(clean_db, tmp_path):
    path = tmp_path / "status.csv"
    path.write_text("account_id,status,checked_at\n1,active,2021-01-01\n1,suspended,2021-06-01T10:00:00Z\n2,deleted,2021-02-01\n2,hacked,2021-03-01\n")
    summary = load(clean_db, tmp_path, path)
    assert summary.events == 3 and summary.rejected == 1 and rejects_of(summary)[0]["field"] == "status"
    load(clean_db, tmp_path, path)
    rec = one(clean_db, "MATCH (a:Account {id: '1'}) RETURN a.status AS s, a.status_checked_at AS at, COUNT { (a)-[:HAD_STATUS]->() } AS n")
    assert rec["s"] == "suspended" and rec["n"] == 2 and rec["at"].to_native().isoformat() == "2021-06-01T10:00:00+00:00"


def test_generic_and_coortweet_objects_layouts(clean_db, tmp_path):
    generic = tmp_path / "generic.csv"
    generic.write_text(
        "platform,account_id,username,action,post_id,target_post_id,time,text,hashtags,urls\n"
        "bluesky,did:a,alice,post,at://p1,,2024-05-01T10:00:00Z,hi #One,one|two,https://ex.com/x\n"
        "bluesky,did:b,bob,repost,at://r1,at://p1,2024-05-01T10:00:30Z,,,\n"
        "bluesky,did:c,carol,reply,at://p2,at://p1,1714557660,re,,\n"
        "bluesky,did:d,dan,quote,at://p3,at://p0,1714557660000,qt,,\n"
        "bluesky,did:e,eve,like,at://p4,at://p1,1714557660,,,\n", encoding="utf-8")
    objects = tmp_path / "objects.csv"
    objects.write_text("account_id,post_id,url_id,hashtag_id,domain_id,phash_id,timestamp\n"
                       "tw_1,10,100,,1000,,1629589836\nfb_2,11,,7,1001,99,1629589837\n", encoding="utf-8")
    summary = load(clean_db, tmp_path, generic, objects)
    assert [f.format for f in summary.files] == ["csv:generic", "csv:coortweet-objects"]
    assert summary.rejected == 1 and "unknown action 'like'" in rejects_of(summary)[0]["reason"]
    rec = one(clean_db, """MATCH (b:Account {id: 'did:b'})-[r:RETWEETED]->(p:Tweet {id: 'at://p1'})<-[:POSTED]-(a:Account {username: 'alice'})
                           RETURN r.at_ms AS ms, a.platform AS platform, [(p)-[:TAGS]->(h) | h.tag] AS tags""")
    assert rec["ms"] == 1714557630000 and rec["platform"] == "bluesky" and sorted(rec["tags"]) == ["one", "two"]
    assert one(clean_db, "MATCH (:Tweet {id: 'at://p2', kind: 'reply'})-[:REPLY_TO]->(:Tweet {id: 'at://p1'}) RETURN count(*) AS n")["n"] == 1
    assert one(clean_db, "MATCH (:Tweet {id: 'at://p3', kind: 'quote'})-[:QUOTES]->(s:Tweet {id: 'at://p0', stub: true}) RETURN count(*) AS n")["n"] == 1
    rec = one(clean_db, """MATCH (a:Account {id: 'fb_2'})-[:POSTED]->(t:Tweet {id: '11'})-[:LINKS]->(u:Url)-[:ON_DOMAIN]->(d:Domain)
                           MATCH (t)-[:TAGS]->(h), (t)-[:SHOWS]->(m)
                           RETURN a.platform AS platform, u.url AS url, d.name AS domain, h.tag AS tag, m.key AS media""")
    assert dict(rec) == {"platform": "facebook", "url": "domain:1001", "domain": "1001", "tag": "7", "media": "99"}


# --- idempotency and faults --------------------------------------------------------------------------------------

def test_reingest_changes_nothing(clean_db, shared_data, tmp_path):
    paths = [shared_data / "twarc2-v2" / "twarc-csv" / "brexit.jsonl", shared_data / "twitter-v1.1" / "get_mentions.json"]
    load(clean_db, tmp_path, *paths)
    first = all_counts(clean_db)
    again = load(clean_db, tmp_path, *paths)
    assert again.rejected == 0 and all_counts(clean_db) == first
    assert first["nodes"]["Source"] == 2 and first["rels"]["RETWEETED"] > 0


def write_engagements(path: Path, n_accounts=400, n_posts=1500, n_reposts=12000) -> None:
    """A generic engagement CSV with profiles, posts with hashtags and links, and reposts."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "username", "action", "post_id", "target_post_id", "time", "text", "hashtags", "urls"])
        t0 = 1_700_000_000
        for i in range(n_posts):
            w.writerow([f"a{i % n_accounts}", f"user{i % n_accounts}", "post", f"p{i}", "", t0 + i, f"text {i}", f"tag{i % 50}", f"https://d{i % 30}.org/{i}"])
        for j in range(n_reposts):
            w.writerow([f"a{(j * 7) % n_accounts}", f"user{(j * 7) % n_accounts}", "repost", f"r{j}", f"p{(j * 13) % n_posts}", t0 + n_posts + j, "", "", ""])


@pytest.mark.parametrize("reader", ["inline", "process"])
def test_sigkill_midway_then_rerun_gives_exactly_the_uninterrupted_counts(clean_db, neo4j_conn, tmp_path, reader):
    """Killed mid-way (with the input parsed in the loading process, or in its reader child process), then re-run:
    exactly the counts of an uninterrupted load; a reader child does not outlive its killed parent."""
    data = tmp_path / "engagements.csv"
    write_engagements(data)
    cmd = [sys.executable, "-m", "coordgraph.cli", "ingest", str(data), "--batch-size", "300", "--quiet",
           "--uri", neo4j_conn.uri, "--user", neo4j_conn.user, "--password", neo4j_conn.password,
           "--rejects", str(tmp_path / "rej.jsonl")]
    env = {**os.environ, "COORDGRAPH_INGEST_READER": reader}
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.time() + 300
    written = 0
    children: list[psutil.Process] = []
    while time.time() < deadline:
        written = one(clean_db, "RETURN COUNT { ()-[:RETWEETED]->() } AS n")["n"]
        if proc.poll() is None:
            children = psutil.Process(proc.pid).children(recursive=True) or children
        if written >= 1500 or proc.poll() is not None:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the load finished before it could be killed; make the input larger"
    assert (len(children) == 1) == (reader == "process"), children
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    gone, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, f"reader process outlived its killed parent: {alive}"
    partial = all_counts(clean_db)
    assert 0 < partial["rels"].get("RETWEETED", 0) < 12000
    assert one(clean_db, "MATCH (s:Source) RETURN s.completed AS c")["c"] is False
    rerun = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    after_kill = all_counts(clean_db)
    with clean_db.session() as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
    summary = load(clean_db, tmp_path, data)
    assert summary.rejected == 0
    uninterrupted = all_counts(clean_db)
    assert after_kill == uninterrupted
    assert uninterrupted["rels"]["RETWEETED"] == 12000 and uninterrupted["nodes"]["Tweet"] == 1500
    assert uninterrupted["nodes"]["Account"] == 400 and uninterrupted["nodes"]["Source"] == 1


# --- CLI ---------------------------------------------------------------------------------------------------------

def run_cli(neo4j_conn, *args, stdin: bytes | None = None):
    cmd = [sys.executable, "-m", "coordgraph.cli", *args, "--uri", neo4j_conn.uri, "--user", neo4j_conn.user, "--password", neo4j_conn.password]
    return subprocess.run(cmd, cwd=REPO, input=stdin, capture_output=True, timeout=300)


def test_cli_stdin_rejects_file_exit_codes_and_max_rejects(clean_db, neo4j_conn, tmp_path):
    body = b"\n".join(json.dumps(v2_tweet(str(60 + i), "1")).encode() for i in range(3)) + b"\n{broken\n"
    rejects = tmp_path / "rejects.csv"
    res = run_cli(neo4j_conn, "ingest", "-", "--rejects", str(rejects), "--quiet", stdin=body)
    assert res.returncode == 2, res.stderr
    assert b"1 row(s) rejected" in res.stderr
    with open(rejects, newline="", encoding="utf-8") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["file"] == "<stdin>" and row["line"] == "4" and "malformed JSON" in row["reason"]
    assert one(clean_db, "MATCH (t:Tweet) RETURN count(t) AS n")["n"] == 3
    res = run_cli(neo4j_conn, "ingest", "-", "--rejects", str(rejects), "--quiet", "--max-rejects", "1", stdin=body)
    assert res.returncode == 0, res.stderr
    assert b"Ingest summary" in res.stdout
    res = run_cli(neo4j_conn, "ingest", str(tmp_path / "missing.jsonl"))
    assert res.returncode == 2 and b"Input not found" in res.stderr
    res = run_cli(neo4j_conn, "ingest", "-", "--format", "xml", stdin=body)
    assert res.returncode != 0 and b"twarc2" in res.stderr and b"io-archive" in res.stderr


def test_a_conflicting_retweet_in_a_page_rejects_only_that_retweet(clean_db, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text("object_id,account_id,content_id,timestamp_share\n900,hashedA,1400000000000000777,1624735350\n")
    page = {"data": [
        {"id": "1400000000000000777", "author_id": "3", "text": "RT", "created_at": "2021-06-26T19:22:30.000Z",
         "referenced_tweets": [{"type": "retweeted", "id": "900"}]},
        {"id": "1400000000000000778", "author_id": "4", "text": "RT", "created_at": "2021-06-26T19:22:31.000Z",
         "referenced_tweets": [{"type": "retweeted", "id": "900"}]},
        {"id": "1400000000000000779", "author_id": "4", "text": "own post", "created_at": "2021-06-26T19:22:32.000Z"},
    ], "includes": {"users": [{"id": "3", "username": "three"}, {"id": "4", "username": "four"}]},
        "__twarc": {"retrieved_at": "2021-06-27T00:00:00+00:00"}}
    load(clean_db, tmp_path, first)
    summary = load(clean_db, tmp_path, write_jsonl(tmp_path / "page.jsonl", [page]))
    [reject] = rejects_of(summary)
    assert reject["line"] == 1 and reject["field"] == "id" and "1400000000000000777" in reject["reason"]
    assert summary.events == 2 and summary.loaded == 1 and summary.rejected == 1
    with clean_db.session() as s:
        rows = {(r["a"], r["id"]) for r in s.run("MATCH (a)-[r:RETWEETED]->() RETURN a.id AS a, r.id AS id")}
    assert rows == {("hashedA", "1400000000000000777"), ("4", "1400000000000000778")}
    assert one(clean_db, "MATCH (t:Tweet {id: '1400000000000000779'}) RETURN t.text AS x")["x"] == "own post"


def test_every_ingest_cypher_file_passes_explain(driver):
    from coordgraph import cypher

    names = cypher.names("ingest")
    assert "ingest/retweets" in names and len(names) >= 15
    params = dict.fromkeys(["key", "path", "sha256", "format", "loaded", "rejected", "skipped", "events", "rejects_file", "completed"])
    params.update(rows=[], values=[], ids=[])
    with driver.session() as s:
        for name in names:
            s.run("EXPLAIN " + cypher.load(name), params).consume()
