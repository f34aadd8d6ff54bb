"""Builders of small graphs in the shared graph model, for the detection tests (no tests here).

They write the same nodes and relationships the ingest writes (Account, Tweet, POSTED, RETWEETED, REPLY_TO,
QUOTES, TAGS, LINKS/ON_DOMAIN, MENTIONS, :Target), so signals can be checked on hand-made cases.
"""

from __future__ import annotations

import csv
from pathlib import Path

from coordgraph import db

_RETWEETS = """
UNWIND $rows AS row
MERGE (a:Account {id: row.acc})
MERGE (t:Tweet {id: row.obj})
CREATE (a)-[r:RETWEETED {id: row.eid, at_ms: row.at, at: datetime({epochMillis: row.at})}]->(t)
SET r.content_id = row.content_id
"""

_POSTS = """
UNWIND $rows AS row
MERGE (a:Account {id: row.acc})
MERGE (p:Tweet {id: row.eid})
SET p.created_ms = row.at, p.created_at = datetime({epochMillis: row.at}), p.kind = row.kind,
    p.text = row.text, p.text_hash = row.text_hash, p.author_id = row.acc, p.stub = false
MERGE (a)-[:POSTED]->(p)
FOREACH (x IN CASE WHEN row.reply_to IS NULL THEN [] ELSE [row.reply_to] END |
  MERGE (t:Tweet {id: x}) MERGE (p)-[:REPLY_TO]->(t))
FOREACH (x IN CASE WHEN row.quotes IS NULL THEN [] ELSE [row.quotes] END |
  MERGE (t:Tweet {id: x}) MERGE (p)-[:QUOTES]->(t))
FOREACH (tag IN coalesce(row.tags, []) | MERGE (h:Hashtag {tag: tag}) MERGE (p)-[:TAGS]->(h))
FOREACH (u IN coalesce(row.urls, []) |
  MERGE (l:Url {url: u}) MERGE (p)-[:LINKS]->(l)
  MERGE (d:Domain {name: split(split(u, '://')[1], '/')[0]}) MERGE (l)-[:ON_DOMAIN]->(d))
FOREACH (m IN coalesce(row.mentions, []) | MERGE (x:Account {id: m}) MERGE (p)-[:MENTIONS]->(x))
"""

_TARGET_POSTS = """
UNWIND $rows AS row
MERGE (a:Account {id: row.acc}) SET a:Target
MERGE (t:Tweet {id: row.eid}) SET t.created_ms = row.at, t.kind = 'original', t.author_id = row.acc
MERGE (a)-[:POSTED]->(t)
"""


def add_retweets(driver, rows: list[dict]) -> None:
    """Rows ``{acc, obj, at, eid}``: account ``acc`` retweeted post ``obj`` at ``at`` ms (retweet id ``eid``)."""
    _write(driver, _RETWEETS, [{"content_id": None, **r} for r in rows])


def add_posts(driver, rows: list[dict]) -> None:
    """Rows ``{acc, eid, at, kind, text?, text_hash?, reply_to?, quotes?, tags?, urls?, mentions?}``."""
    full = [
        {"text": None, "text_hash": None, "reply_to": None, "quotes": None, "tags": [], "urls": [], "mentions": [], **r}
        for r in rows
    ]
    _write(driver, _POSTS, full)


def add_target_posts(driver, rows: list[dict]) -> None:
    """Rows ``{acc, eid, at}``: posts by focal accounts (labelled :Target)."""
    _write(driver, _TARGET_POSTS, rows)


def load_coortweet_csv(driver, path: Path) -> int:
    """Load a CooRTweet-layout CSV (object_id, account_id, content_id, timestamp_share in s) as retweets."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = [
            {"acc": r["account_id"], "obj": r["object_id"], "eid": r["content_id"], "at": int(r["timestamp_share"]) * 1000}
            for r in csv.DictReader(fh)
        ]
    total = len(rows)
    _unique_ids(rows)
    add_retweets(driver, rows)
    return total


def load_cnt_csv(driver, path: Path) -> int:
    """Load the retweet rows of a coordination-network-toolkit CSV (message_id, user_id, repost_id, timestamp)."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = [
            {"acc": r["user_id"], "obj": r["repost_id"], "eid": r["message_id"], "at": int(float(r["timestamp"])) * 1000}
            for r in csv.DictReader(fh)
            if r.get("repost_id")
        ]
    add_retweets(driver, rows)
    return len(rows)


def _unique_ids(rows: list[dict]) -> None:
    # The CooRTweet sample repeats 40 content ids: 39 on two different objects (kept, suffixed, the shared id
    # kept as content_id) and one exact duplicate row (dropped, as a store keyed by id does; the toolkit keys
    # messages by id too).
    seen: dict[str, int] = {}
    keys: set[tuple] = set()
    keep = []
    for row in rows:
        key = (row["eid"], row["obj"])
        if key in keys:
            continue
        keys.add(key)
        n = seen.get(row["eid"], 0)
        seen[row["eid"]] = n + 1
        if n:
            row["content_id"] = row["eid"]
            row["eid"] = f"{row['eid']}#{n}"
        keep.append(row)
    rows[:] = keep


def _write(driver, query: str, rows: list[dict]) -> None:
    with driver.session() as session:
        for batch in db.chunked(rows, 5000):
            session.execute_write(lambda tx, b=batch: tx.run(query, rows=b).consume())
