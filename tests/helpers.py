"""Helpers shared by the tests and the benchmarks (no tests here): one module, imported as ``helpers`` by the
tests and as ``tests.helpers`` by the benchmarks.

- :func:`wipe` empties the database; :func:`fingerprint` lists everything in it, to compare two loads.
- Builders of small graphs in the shared graph model (:func:`add_retweets`, :func:`add_posts`,
  :func:`add_target_posts`, :func:`load_coortweet_csv`, :func:`load_cnt_csv`). They write the same nodes and
  relationships the ingest writes (Account, Tweet, POSTED, RETWEETED, REPLY_TO, QUOTES, TAGS, LINKS/ON_DOMAIN,
  MENTIONS, :Target), so signals can be checked on hand-made cases.
- :func:`plant`: a retweet network of 8 accounts among fast fans and organic accounts around 40 target posts,
  for the detection tests (constants above it describe it).
- :func:`build_case`: a small, fully known investigation graph for the impact, report and query-library tests
  (constants below it describe it).
- :func:`assert_json_ready`: a signal result survives ``json.dumps``.
- :func:`reordered`: copies of input files with their lines shuffled, to load the same data in another store order.
"""

from __future__ import annotations

import csv
import json
import random
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

from coordgraph import db

REPO_ROOT = Path(__file__).resolve().parents[1]


def wipe(drv, database: str | None = None) -> None:
    """Delete every node and drop every GDS graph (Community has one user database: isolate by cleanup)."""
    with drv.session(database=database) as session:
        session.run("CALL gds.graph.list() YIELD graphName CALL gds.graph.drop(graphName, false) YIELD graphName AS dropped RETURN count(*)").consume()
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@contextmanager
def filled(drv, fill: Callable[..., Any], *args, **kwargs):
    """The body of a module fixture: an emptied database filled by ``fill(drv, *args, **kwargs)`` (its result is
    what the ``with`` gives), emptied again on leaving."""
    wipe(drv)
    yield fill(drv, *args, **kwargs)
    wipe(drv)


def load_scenario(driver, folder: Path, seed: int, scale: float):
    """Empty the database, generate a scenario into ``folder``, ingest it and mark its targets; the scenario."""
    from coordgraph import synth
    from coordgraph.ingest import ingest_paths
    from coordgraph.ingest.targets import add_targets

    wipe(driver)
    scenario = synth.generate(folder, seed=seed, scale=scale)
    ingest_paths(driver, scenario.ingest_paths, progress=False)
    add_targets(driver, scenario.target_handles)
    return scenario


def fingerprint(driver) -> dict:
    """Every node and relationship with all its properties (provenance nodes aside, they carry load times)."""
    with driver.session() as s:
        nodes = sorted(repr((sorted(r["labels"]), sorted(r["props"].items())))
                       for r in s.run("MATCH (n) WHERE NOT n:Source RETURN labels(n) AS labels, properties(n) AS props"))
        rels = sorted(repr((r["type"], r["a"], r["b"], sorted(r["props"].items()))) for r in s.run(
            "MATCH (n)-[r]->(m) WHERE NOT n:Source RETURN type(r) AS type, coalesce(n.id, n.tag, n.url, n.name, n.key) AS a, "
            "coalesce(m.id, m.tag, m.url, m.name, m.key) AS b, properties(r) AS props"))
    return {"nodes": nodes, "rels": rels}


def assert_json_ready(result) -> None:
    """Details, params and pair items must survive ``json.dumps`` (they are stored as JSON strings)."""
    json.dumps(result.accounts["detail"].tolist())
    json.dumps(result.pairs["posts"].tolist())
    json.dumps(result.params)

_RETWEETS = """
UNWIND $rows AS row
MERGE (a:Account {id: row.acc})
MERGE (t:Tweet {id: row.obj})
CREATE (a)-[r:RETWEETED {id: row.eid, at_ms: row.at, at: datetime({epochMillis: row.at})}]->(t)
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

_SET_CREATED = """
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
SET a.created_ms = row.created, a.created_at = datetime({epochMillis: row.created})
"""

_TARGET_POSTS = """
UNWIND $rows AS row
MERGE (a:Account {id: row.acc}) SET a:Target
MERGE (t:Tweet {id: row.eid}) SET t.created_ms = row.at, t.kind = 'original', t.author_id = row.acc
MERGE (a)-[:POSTED]->(t)
"""


def add_retweets(driver, rows, batch: int = 5000) -> None:
    """Rows ``{acc, obj, at, eid}`` (any iterable): account ``acc`` retweeted post ``obj`` at ``at`` ms (retweet id
    ``eid``)."""
    _write(driver, _RETWEETS, rows, batch)


def add_posts(driver, rows: list[dict]) -> None:
    """Rows ``{acc, eid, at, kind, text?, text_hash?, reply_to?, quotes?, tags?, urls?, mentions?}``."""
    full = [
        {"text": None, "text_hash": None, "reply_to": None, "quotes": None, "tags": [], "urls": [], "mentions": [], **r}
        for r in rows
    ]
    _write(driver, _POSTS, full)


def add_target_posts(driver, rows, batch: int = 5000) -> None:
    """Rows ``{acc, eid, at}`` (any iterable): posts by focal accounts (labelled :Target)."""
    _write(driver, _TARGET_POSTS, rows, batch)


def load_coortweet_csv(driver, path: Path, rejects_dir: Path | None = None) -> int:
    """Load a CooRTweet-layout CSV (object_id, account_id, content_id, timestamp_share in s) through the product
    ingest; return its rows."""
    import tempfile

    from coordgraph.ingest import ingest_paths

    with tempfile.TemporaryDirectory() as scratch:
        summary = ingest_paths(driver, [path], rejects_dir=rejects_dir or scratch, progress=False)
    return summary.rows


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


def _write(driver, query: str, rows, batch: int = 5000) -> None:
    with driver.session() as session:
        for chunk in db.chunked(rows, batch):
            session.execute_write(lambda tx, b=chunk: tx.run(query, rows=b).consume())


HOUR = 3_600_000
NETWORK = [f"net{i}" for i in range(8)]
FANS = [f"fan{i}" for i in range(10)]
ORGANIC = [f"org{i:02d}" for i in range(80)]


def background_retweets(rng: np.random.Generator, post: str, posted: int, organic: list[str], fans: list[str]) -> list[dict]:
    """A target post's audience that is not a network: each organic account retweets it with chance 0.2, hours
    later; each fast fan with chance 0.7, independently, within a minute or so."""
    rows = [{"acc": o, "obj": post, "at": int(posted + rng.exponential(2 * HOUR)), "eid": f"{o}-{post}"}
            for o in organic if rng.random() < 0.2]
    rows += [{"acc": f, "obj": post, "at": int(posted + rng.exponential(45_000)), "eid": f"{f}-{post}"}
             for f in fans if rng.random() < 0.7]
    return rows


SLOW_NETWORK = [f"net{i:02d}" for i in range(18)]
SLOW_FANS = [f"fan{i:02d}" for i in range(15)]
SLOW_COMMUNITY = [f"com{i:02d}" for i in range(12)]
SLOW_ORGANIC = [f"org{i:03d}" for i in range(150)]
SLOW_T0 = 1_600_000_000_000


def cue_community_retweets(rng: np.random.Generator, post: str, t: int, community: list[str]) -> list[dict]:
    """A fan community's retweets of one post (posted at ``t``): on 30 % of the posts a cue 5-60 min after it,
    which each fan answers with probability 1/2 within 4 min; otherwise each fan retweets with probability 0.3,
    hours after the post."""
    second, minute = 1_000, 60_000
    rows = []
    cue = t + int(rng.uniform(5 * minute, 60 * minute)) if rng.random() < 0.3 else None
    for c in community:
        if cue is not None and rng.random() < 0.5:
            rows.append({"acc": c, "obj": post, "at": int(cue + rng.uniform(0, 240 * second)), "eid": f"{c}-{post}"})
        elif cue is None and rng.random() < 0.3:
            rows.append({"acc": c, "obj": post, "at": int(t + rng.exponential(1.5 * HOUR)), "eid": f"{c}-{post}"})
    return rows


def plant_slow_network(driver, rng: np.random.Generator, posts: int = 200) -> None:
    """``posts`` target posts 4 h apart. 150 organic accounts retweet a fifth of them at random over hours; 15 fast
    fans retweet 70 % of the posts each within a minute or so (independently); a fan community of 12 answers a cue
    on 30 % of the posts (half of them within 4 min of it, 5-60 min after the post) and otherwise retweets 30 %
    of the posts over hours. The network answers every post with a cascade of three of its 18 members at a
    moment of its choosing 10 min to 2 h after the post: the first (a different member each time) at that
    moment, the two others 90-240 s after it, independently, so a follower is within 60 s of the other follower
    on about two thirds of the cascades and of the leader never."""
    second, minute = 1_000, 60_000
    ids = [f"p{i:03d}" for i in range(posts)]
    add_target_posts(driver, [{"acc": "ambassador", "eid": p, "at": SLOW_T0 + i * 4 * HOUR} for i, p in enumerate(ids)])
    rows = []
    for i, p in enumerate(ids):
        t = SLOW_T0 + i * 4 * HOUR
        rows += background_retweets(rng, p, t, SLOW_ORGANIC, SLOW_FANS)
        rows += cue_community_retweets(rng, p, t, SLOW_COMMUNITY)
        moment = t + int(rng.uniform(10 * minute, 2 * HOUR))
        for k, n in enumerate(rng.choice(SLOW_NETWORK, 3, replace=False)):
            at = moment if k == 0 else moment + int(rng.uniform(90 * second, 240 * second))
            rows.append({"acc": str(n), "obj": p, "at": int(at), "eid": f"{n}-{p}"})
    add_retweets(driver, rows)


TALKING_NETWORK = [f"net{i:02d}" for i in range(14)]
TALKING_COMMUNITY = [f"com{i:02d}" for i in range(12)]


def plant_talking_point_network(driver, rng: np.random.Generator, posts: int = 120, talking_points: int = 60) -> None:
    """``posts`` target posts 6 h apart, with the audience of ``background_retweets`` (150 organic accounts, 15
    fast fans). The network (14 members) answers every post with a cascade of five members within 30 s of a
    moment 10 min to 2 h after the post, and pushes ``talking_points`` campaign hashtags, each posted once by every
    member at a time of its own over the whole period (talking points reused for weeks: never in step). A fan
    community of 12 answers a cue on 30 % of the posts (half of them within 4 min of it) and otherwise retweets 30 %
    of the posts over hours; each fan also posts its community's 20 hashtags once each, at times of its own.
    Identity: the network's accounts were created in two bursts of seven (each within five minutes, months
    apart), four fans of the community within ten minutes of each other; every other account is spread over
    four years."""
    second, minute = 1_000, 60_000
    ids = [f"p{i:03d}" for i in range(posts)]
    add_target_posts(driver, [{"acc": "ambassador", "eid": p, "at": SLOW_T0 + i * 6 * HOUR} for i, p in enumerate(ids)])
    end = SLOW_T0 + posts * 6 * HOUR
    rows = []
    for i, p in enumerate(ids):
        t = SLOW_T0 + i * 6 * HOUR
        rows += background_retweets(rng, p, t, SLOW_ORGANIC, SLOW_FANS)
        rows += cue_community_retweets(rng, p, t, TALKING_COMMUNITY)
        moment = t + int(rng.uniform(10 * minute, 2 * HOUR))
        for n in rng.choice(TALKING_NETWORK, 5, replace=False):
            rows.append({"acc": str(n), "obj": p, "at": int(moment + rng.uniform(0, 30 * second)), "eid": f"{n}-{p}"})
    add_retweets(driver, rows)
    tagged = [(n, f"talkingpoint{k:02d}") for n in TALKING_NETWORK for k in range(talking_points)]
    tagged += [(c, f"fandom{k:02d}") for c in TALKING_COMMUNITY for k in range(20)]
    add_posts(driver, [{"acc": a, "eid": f"{a}-{tag}", "at": int(rng.integers(SLOW_T0, end)), "kind": "original",
                        "text": f"#{tag}", "tags": [tag]} for a, tag in tagged])
    day, minute = 24 * HOUR, 60_000
    created = [{"id": a, "created": SLOW_T0 - 1500 * day + int(rng.uniform(0, 1400 * day))}
               for a in SLOW_ORGANIC + SLOW_FANS + TALKING_COMMUNITY[4:]]
    for b in range(2):
        start = SLOW_T0 - (300 + 90 * b) * day + int(rng.uniform(0, day))
        created += [{"id": a, "created": start + int(rng.uniform(0, 5 * minute))} for a in TALKING_NETWORK[7 * b: 7 * b + 7]]
    start = SLOW_T0 - 800 * day + int(rng.uniform(0, day))
    created += [{"id": a, "created": start + int(rng.uniform(0, 10 * minute))} for a in TALKING_COMMUNITY[:4]]
    _write(driver, _SET_CREATED, created)


FRONT_CORE = [f"net{i:02d}" for i in range(5)]
FRONT_NETWORK = FRONT_CORE + [f"net{i:02d}" for i in range(5, 16)]
FRONT_BURST_DAY = [f"new{i}" for i in range(6)]
# front members created apart from the bursts: no identity trace of their own
FRONT_UNTRACED = ["net14", "net15"]


def plant_front_network(driver, rng: np.random.Generator, posts: int = 160) -> None:
    """``posts`` target posts 4 h apart, with the audience of ``background_retweets`` (150 organic accounts, 15
    fast fans) and a fan community of 12 answering a cue (``cue_community_retweets``). The network (16 members)
    pushes every other post: eight members within 30 s of a moment 10 min to 2 h after the post, the five of
    ``FRONT_CORE`` among them each time with chance 0.9, the eleven others with chance 0.3. On the posts it does
    not push, each of those eleven retweets with chance 0.6 on its own, 1-8 h after the post (an organic front);
    the core never does. Read on every shared post, the front is in step on about a third to half of its moments.
    Identity: the network's accounts were created in two bursts of eight (each within five minutes, months
    apart) but for the two of ``FRONT_UNTRACED``, and so were six organic accounts (``FRONT_BURST_DAY``, three per
    burst) that retweet like the other organic accounts; every other account is spread over four years."""
    second, minute = 1_000, 60_000
    ids = [f"p{i:03d}" for i in range(posts)]
    add_target_posts(driver, [{"acc": "ambassador", "eid": p, "at": SLOW_T0 + i * 4 * HOUR} for i, p in enumerate(ids)])
    front = FRONT_NETWORK[len(FRONT_CORE):]
    organic = SLOW_ORGANIC + FRONT_BURST_DAY
    rows = []
    for i, p in enumerate(ids):
        t = SLOW_T0 + i * 4 * HOUR
        rows += background_retweets(rng, p, t, organic, SLOW_FANS)
        rows += cue_community_retweets(rng, p, t, SLOW_COMMUNITY)
        if i % 2 == 0:
            moment = t + int(rng.uniform(10 * minute, 2 * HOUR))
            core = [n for n in FRONT_CORE if rng.random() < 0.9]
            cascade = core + [str(n) for n in rng.choice(front, 8 - len(core), replace=False)]
            rows += [{"acc": n, "obj": p, "at": int(moment + rng.uniform(0, 30 * second)), "eid": f"{n}-{p}"} for n in cascade]
        else:
            rows += [{"acc": n, "obj": p, "at": int(t + rng.uniform(1 * HOUR, 8 * HOUR)), "eid": f"{n}-{p}"}
                     for n in front if rng.random() < 0.6]
    add_retweets(driver, rows)
    day = 24 * HOUR
    created = [{"id": a, "created": SLOW_T0 - 1500 * day + int(rng.uniform(0, 1400 * day))}
               for a in SLOW_ORGANIC + SLOW_FANS + SLOW_COMMUNITY + FRONT_UNTRACED]
    for b in range(2):
        start = SLOW_T0 - (300 + 90 * b) * day + int(rng.uniform(0, day))
        burst = [n for n in FRONT_NETWORK[8 * b: 8 * b + 8] if n not in FRONT_UNTRACED] + FRONT_BURST_DAY[3 * b: 3 * b + 3]
        created += [{"id": a, "created": start + int(rng.uniform(0, 5 * minute))} for a in burst]
    _write(driver, _SET_CREATED, created)


def plant(driver, seed: int = 1) -> None:
    """40 target posts; 80 organic accounts retweet at random over hours; 10 fast fans retweet every post in
    its first minutes (independently); 8 network accounts retweet 60 % of the posts together within 40 s,
    at a moment of their choosing."""
    rng = np.random.default_rng(seed)
    posts = [f"p{i}" for i in range(40)]
    add_target_posts(driver, [{"acc": "ambassador", "eid": p, "at": T0 + i * HOUR * 6} for i, p in enumerate(posts)])
    rows = []
    for i, p in enumerate(posts):
        t = T0 + i * HOUR * 6
        for o in ORGANIC:
            if rng.random() < 0.3:
                rows.append({"acc": o, "obj": p, "at": int(t + rng.exponential(HOUR)), "eid": f"{o}-{p}"})
        for f in FANS:
            rows.append({"acc": f, "obj": p, "at": int(t + rng.exponential(45_000)), "eid": f"{f}-{p}"})
        if rng.random() < 0.6:
            moment = t + int(rng.uniform(0, 2 * HOUR))
            for n in NETWORK:
                if rng.random() < 0.8:
                    rows.append({"acc": n, "obj": p, "at": int(moment + rng.uniform(0, 40_000)), "eid": f"{n}-{p}"})
    add_retweets(driver, rows)


# The report case: two targets with posts over three weeks; a flagged cluster of four accounts that retweet, reply
# and quote within seconds; an unflagged cluster; benchmark accounts engaging slowly; an older run with other
# memberships (runs must not mix); sources with checksums; status snapshots; and hostile text in profiles and
# posts. Every engagement is listed in ``ENGAGEMENTS`` so tests can compute expected numbers without Cypher.

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
# Each run's cluster n gets CLUSTER_SIGNALS[n - 1]: the first was found by the group route, judged against a floor of 2.
CLUSTER_SIGNALS = [{"co_retweet": 0.9, "rapid_follow_on": 0.5, "route": "sparse", "null": {"min_effect": 2.0}},
                   {"co_retweet": 0.9, "rapid_follow_on": 0.5}]

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
                                                 coordinated: c.coordinated, signals: c.signals, effect: c.effect,
                                                 effect_low: c.effect * 0.6, effect_high: c.effect * 1.5})
                WITH k, c
                UNWIND c.members AS mid
                MATCH (a:Account {id: mid})
                CREATE (a)-[:MEMBER_OF {run_id: $run_id, score: $scores[mid],
                                        evidence: '{"co_retweet": {"partners": 3}, "creation_burst_min": 1.0}'}]->(k)
                """, run_id=run_id, started=started, params=json.dumps(RUN_PARAMS),
                scores=MEMBER_SCORES,
                clusters=[{"number": n, "coordinated": f, "p": p, "score": 10.0 - n, "members": m,
                           "effect": 10.0 - 4 * n, "signals": json.dumps(CLUSTER_SIGNALS[n - 1])}
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


def reordered(paths: list[Path], folder: Path) -> list[Path]:
    """Copies of the input files with their lines shuffled (a CSV keeps its header first), in reverse order: the
    same data loaded in another store order."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, path in enumerate(paths):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        head, body = (lines[:1], lines[1:]) if path.suffix == ".csv" else ([], lines)
        random.Random(i).shuffle(body)
        copy = folder / path.name
        copy.write_text("".join(head + body), encoding="utf-8")
        out.append(copy)
    return out[::-1]
