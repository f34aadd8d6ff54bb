"""A small, fully known investigation graph for the impact, report and query-library tests.

It follows the shared graph model: two targets with posts over three weeks; a flagged cluster of four accounts
that retweet, reply and quote within seconds; an unflagged cluster; benchmark accounts engaging slowly; an
older run with other memberships (runs must not mix); sources with checksums; status snapshots; and hostile
text in profiles and posts. Every engagement is listed in ``ENGAGEMENTS`` so tests can compute expected numbers
without Cypher.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

HOSTILE_NAME = '"><img src=x onerror=alert(1)>'
HOSTILE_TEXT = "<script>alert('pwned')</script>"

DAY = 86_400_000
# Monday 2020-06-01 00:00 UTC: weeks start 2020-06-01, 2020-06-08, 2020-06-15.
T0 = int(datetime(2020, 6, 1, tzinfo=timezone.utc).timestamp() * 1000)
WEEKS = ["2020-06-01", "2020-06-08", "2020-06-15"]

RUN_ID = "run-2020-06-30"
OLD_RUN_ID = "run-2020-06-20"

TARGETS = {"t1": "AmbassadorX", "t2": "EmbassyY"}
FLAGGED = ["m1", "m2", "m3", "m4"]  # cluster 1 of RUN_ID, coordinated
UNFLAGGED = ["m5", "m6"]  # cluster 2 of RUN_ID, not coordinated
BENCHMARK = ["b1", "b2", "b3", "b4"]

# Target posts: id -> (author, created_ms). Posts of t1 fall in all three weeks; t2 only in the first.
POSTS = {
    "p1": ("t1", T0 + 1 * DAY),
    "p2": ("t1", T0 + 3 * DAY),
    "p3": ("t1", T0 + 8 * DAY),
    "p4": ("t1", T0 + 16 * DAY),
    "q1": ("t2", T0 + 2 * DAY),
}

# (account, kind, post, delay in seconds after the post). Flagged accounts react within 5-40 s.
ENGAGEMENTS = [
    ("m1", "retweet", "p1", 5), ("m2", "retweet", "p1", 9), ("m3", "retweet", "p1", 14), ("m4", "retweet", "p1", 30),
    ("b1", "retweet", "p1", 3_600), ("b2", "retweet", "p1", 7_200),
    ("m1", "retweet", "p2", 6), ("m2", "retweet", "p2", 11), ("b3", "retweet", "p2", 900),
    ("m1", "reply", "p2", 20), ("b1", "reply", "p2", 5_000), ("b2", "reply", "p2", 6_000), ("b4", "reply", "p2", 9_000),
    ("m3", "retweet", "p3", 8), ("m4", "retweet", "p3", 12), ("m1", "retweet", "p3", 15), ("m2", "retweet", "p3", 40),
    ("b1", "retweet", "p3", 4_000), ("m5", "retweet", "p3", 50), ("m6", "retweet", "p3", 600),
    ("m2", "quote", "p3", 25), ("b2", "quote", "p3", 3_000),
    ("b1", "retweet", "p4", 1_000), ("b2", "retweet", "p4", 2_000), ("b3", "retweet", "p4", 3_000), ("m4", "retweet", "p4", 10),
    ("t2", "retweet", "p4", 100),  # one target engaging another counts as ordinary engagement
    ("m1", "retweet", "q1", 7), ("b4", "retweet", "q1", 800), ("m6", "reply", "q1", 90),
    ("t1", "reply", "p1", 60),  # the target answering itself is not engagement and must not be counted
]

STATUS = {  # latest snapshot per account; m4 has an older 'active' check too
    "m1": ("suspended", "2021-01-15T00:00:00Z"),
    "m2": ("suspended", "2021-01-15T00:00:00Z"),
    "m3": ("deleted", "2021-01-16T00:00:00Z"),
    "m4": ("active", "2021-01-15T00:00:00Z"),
}
OLDER_CHECKS = [("m1", "active", "2020-12-01T00:00:00Z"), ("m4", "active", "2020-12-01T00:00:00Z")]

SOURCES = [
    {"key": "src1", "path": "/data/ambassador_page1.jsonl", "sha256": "a" * 64, "format": "twarc2", "rows": 40,
     "loaded": 39, "rejected": 1, "skipped": 0},
    {"key": "src2", "path": "/data/status_snapshot.csv", "sha256": "b" * 64, "format": "status", "rows": 4,
     "loaded": 4, "rejected": 0, "skipped": 0},
]

RUN_PARAMS = {"window_s": 60, "min_shared": 2, "signals": ["co_retweet", "rapid_follow_on"], "seed": 7}

# COORDINATED evidence of RUN_ID: (a, b, signal, weight, count, posts)
EDGES = [
    ("m1", "m2", "co_retweet", 0.95, 3, ["p1", "p2", "p3"]),
    ("m1", "m3", "co_retweet", 0.80, 2, ["p1", "p3"]),
    ("m2", "m3", "co_retweet", 0.70, 2, ["p1", "p3"]),
    ("m3", "m4", "co_retweet", 0.60, 2, ["p1", "p3"]),
    ("m1", "m4", "co_retweet", 0.50, 2, ["p1", "p3"]),
    ("m1", "m2", "rapid_follow_on", 0.40, 2, ["p1", "p2"]),
    ("m5", "m6", "co_retweet", 0.10, 1, ["p3"]),
]
MEMBER_SCORES = {"m1": 0.97, "m2": 0.93, "m3": 0.88, "m4": 0.75, "m5": 0.2, "m6": 0.1}


def post_time(post: str, delay_s: int) -> int:
    return POSTS[post][1] + delay_s * 1000


def week_of(ms: int) -> str:
    day = datetime.fromtimestamp(ms / 1000, tz=timezone.utc).date()
    return (day.fromordinal(day.toordinal() - day.weekday())).isoformat()


def counted_engagements():
    """ENGAGEMENTS as (account, kind, post, target, at_ms) without a target's engagement of its own posts."""
    out = []
    for account, kind, post, delay in ENGAGEMENTS:
        target = POSTS[post][0]
        if account != target:
            out.append((account, kind, post, target, post_time(post, delay)))
    return out


def build_case(driver) -> None:
    """Write the case into the (empty) database."""
    accounts = []
    created = {f"m{i}": T0 - 400 * DAY + i * 60_000 for i in range(1, 7)}  # a creation burst a minute apart
    for i, b in enumerate(BENCHMARK):
        created[b] = T0 - (3000 - 500 * i) * DAY
    for tid, handle in TARGETS.items():
        created[tid] = T0 - 4000 * DAY
    for aid, ms in created.items():
        name = HOSTILE_NAME if aid == "m2" else f"Name {aid}"
        desc = HOSTILE_TEXT if aid == "m1" else f"bio of {aid}"
        handle = TARGETS.get(aid, f"user_{aid}")
        accounts.append({"id": aid, "username": handle, "username_lc": handle.lower(), "name": name,
                         "description": desc, "created_ms": ms, "lang": "en", "followers": 10, "following": 20})
    posts = [{"id": pid, "author": a, "ms": ms, "text": f"statement {pid}"} for pid, (a, ms) in POSTS.items()]
    retweets, replies = [], []
    for n, (account, kind, post, delay) in enumerate(ENGAGEMENTS):
        at = post_time(post, delay)
        if kind == "retweet":
            retweets.append({"id": f"rt{n}", "account": account, "post": post, "at": at})
        else:
            text = HOSTILE_TEXT if account == "m1" else f"{kind} by {account}"
            replies.append({"id": f"e{n}", "account": account, "post": post, "at": at, "kind": kind, "text": text})
    with driver.session() as s:
        s.run("""
            UNWIND $rows AS r
            CREATE (a:Account {id: r.id, platform: 'twitter', username: r.username, username_lc: r.username_lc,
                               name: r.name, description: r.description, created_ms: r.created_ms,
                               created_at: datetime({epochMillis: r.created_ms}), lang: r.lang,
                               followers: r.followers, following: r.following})
            """, rows=accounts).consume()
        s.run("MATCH (a:Account) WHERE a.id IN $ids SET a:Target", ids=list(TARGETS)).consume()
        s.run("""
            UNWIND $rows AS r
            MATCH (a:Account {id: r.author})
            CREATE (a)-[:POSTED]->(:Tweet {id: r.id, created_ms: r.ms, created_at: datetime({epochMillis: r.ms}),
                                           text: r.text, kind: 'original', author_id: r.author, stub: false})
            """, rows=posts).consume()
        s.run("""
            UNWIND $rows AS r
            MATCH (a:Account {id: r.account}), (p:Tweet {id: r.post})
            CREATE (a)-[:RETWEETED {id: r.id, at_ms: r.at, at: datetime({epochMillis: r.at})}]->(p)
            """, rows=retweets).consume()
        s.run("""
            UNWIND $rows AS r
            MATCH (a:Account {id: r.account}), (p:Tweet {id: r.post})
            CREATE (a)-[:POSTED]->(e:Tweet {id: r.id, created_ms: r.at, created_at: datetime({epochMillis: r.at}),
                                            text: r.text, kind: r.kind, author_id: r.account, stub: false})
            FOREACH (_ IN CASE WHEN r.kind = 'reply' THEN [1] ELSE [] END | CREATE (e)-[:REPLY_TO]->(p))
            FOREACH (_ IN CASE WHEN r.kind = 'quote' THEN [1] ELSE [] END | CREATE (e)-[:QUOTES]->(p))
            """, rows=replies).consume()
        s.run("""
            UNWIND $rows AS r
            CREATE (:Source {key: r.key, path: r.path, sha256: r.sha256, format: r.format, rows: r.rows,
                             loaded: r.loaded, rejected: r.rejected, skipped: r.skipped, completed: true,
                             loaded_at: datetime('2020-06-25T12:00:00Z')})
            """, rows=SOURCES).consume()
        checks = [{"id": a, "status": st, "at": at} for a, (st, at) in STATUS.items()]
        checks += [{"id": a, "status": st, "at": at} for a, st, at in OLDER_CHECKS]
        s.run("""
            UNWIND $rows AS r
            MATCH (a:Account {id: r.id})
            CREATE (a)-[:HAD_STATUS]->(:StatusCheck {key: r.id + '@' + r.at, status: r.status,
                                                     checked_at: datetime(r.at)})
            """, rows=checks).consume()
        s.run("""
            UNWIND $rows AS r
            MATCH (a:Account {id: r.id})
            SET a.status = r.status, a.status_checked_at = datetime(r.at)
            """, rows=[{"id": a, "status": st, "at": at} for a, (st, at) in STATUS.items()]).consume()
        # The older run: m5, m6 and b1 were its flagged cluster.
        for run_id, started, clusters in (
            (OLD_RUN_ID, "2020-06-20T10:00:00Z", [(1, True, 0.001, ["m5", "m6", "b1"])]),
            (RUN_ID, "2020-06-30T10:00:00Z", [(1, True, 0.0001, FLAGGED), (2, False, 0.4, UNFLAGGED)]),
        ):
            s.run("""
                CREATE (r:Run {id: $run_id, started_at: datetime($started), finished_at: datetime($started) + duration('PT5M'),
                               version: '0.1.0', params: $params, status: 'completed'})
                WITH r
                UNWIND $clusters AS c
                CREATE (r)-[:FOUND]->(k:Cluster {key: $run_id + '/' + c.number, run_id: $run_id, number: c.number,
                                                 size: size(c.members), score: c.score, p_value: c.p, q_value: c.p * 2,
                                                 coordinated: c.coordinated, signals: $signals})
                WITH k, c
                UNWIND c.members AS mid
                MATCH (a:Account {id: mid})
                CREATE (a)-[:MEMBER_OF {run_id: $run_id, score: $scores[mid],
                                        evidence: '{"co_retweet": {"partners": 3}, "creation_burst_min": 1.0}'}]->(k)
                """, run_id=run_id, started=started, params=json.dumps(RUN_PARAMS),
                signals=json.dumps({"co_retweet": 0.9, "rapid_follow_on": 0.5}), scores=MEMBER_SCORES,
                clusters=[{"number": n, "coordinated": f, "p": p, "score": 10.0 - n, "members": m}
                          for n, f, p, m in clusters]).consume()
        s.run("""
            UNWIND $rows AS r
            MATCH (a:Account {id: r.a}), (b:Account {id: r.b})
            CREATE (a)-[:COORDINATED {run_id: $run_id, signal: r.signal, weight: r.weight, count: r.count,
                                      first_at: $first, last_at: $last, posts: r.posts}]->(b)
            """, run_id=RUN_ID, first=T0, last=T0 + 20 * DAY,
            rows=[{"a": a, "b": b, "signal": s_, "weight": w, "count": c, "posts": p} for a, b, s_, w, c, p in EDGES]).consume()
        # An edge of the old run between benchmark accounts: must not show up in RUN_ID's exports.
        s.run("""
            MATCH (a:Account {id: 'b1'}), (b:Account {id: 'm5'})
            CREATE (a)-[:COORDINATED {run_id: $old, signal: 'co_retweet', weight: 0.99, count: 5, posts: []}]->(b)
            """, old=OLD_RUN_ID).consume()


def test_case_graph_is_built_as_described(clean_db):
    build_case(clean_db)
    with clean_db.session() as s:
        row = s.run("""
            MATCH (:Account)-[r:RETWEETED]->() WITH count(r) AS rts
            MATCH (t:Tweet) WHERE t.kind IN ['reply', 'quote']
            RETURN rts, count(t) AS others
            """).single()
    expected_rts = sum(1 for e in ENGAGEMENTS if e[1] == "retweet")
    assert row["rts"] == expected_rts
    assert row["others"] == len(ENGAGEMENTS) - expected_rts
