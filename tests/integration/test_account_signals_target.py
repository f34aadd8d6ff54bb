"""Exclusivity and reaction latency against the benchmark of other accounts engaging the same targets."""

from __future__ import annotations

import random

from coordgraph.analytics.signals.exclusivity import exclusivity
from coordgraph.analytics.signals.latency import latency
from helpers import assert_json_ready

T0 = 1_600_000_000_000
HOUR = 3_600_000

TARGET_POSTS = """
UNWIND $rows AS row
MERGE (g:Account:Target {id: row.target})
CREATE (g)-[:POSTED]->(:Tweet {id: row.id, created_ms: row.at, kind: 'original', author_id: row.target, stub: false})
"""
RETWEETS = """
UNWIND $rows AS row
MERGE (a:Account {id: row.acc})
WITH a, row MATCH (t:Tweet {id: row.post})
CREATE (a)-[:RETWEETED {id: row.eid, at_ms: row.at}]->(t)
"""
REPLIES = """
UNWIND $rows AS row
MERGE (a:Account {id: row.acc})
WITH a, row MATCH (t:Tweet {id: row.post})
CREATE (a)-[:POSTED]->(:Tweet {id: row.eid, created_ms: row.at, kind: 'reply', author_id: row.acc})-[:REPLY_TO]->(t)
"""
OWN_POSTS = """
UNWIND $rows AS row
MERGE (a:Account {id: row.acc})
CREATE (a)-[:POSTED]->(p:Tweet {id: row.eid, created_ms: row.at, kind: 'original', author_id: row.acc})
WITH p, row WHERE row.mention IS NOT NULL
MATCH (g:Target {id: row.mention})
CREATE (p)-[:MENTIONS]->(g)
"""


def _scenario(driver):
    rnd = random.Random(5)
    posts = [{"target": f"T{k % 2}", "id": f"p{k}", "at": T0 + k * 6 * HOUR} for k in range(20)]
    driver.execute_query(TARGET_POSTS, rows=posts)
    retweets, replies, own = [], [], []
    eid = iter(range(10**6))
    # 40 organic accounts: 3-8 engagements after minutes to hours, plus plenty of their own posts
    for i in range(40):
        acc = f"org{i:02d}"
        for post in rnd.sample(posts, rnd.randint(3, 8)):
            delay = int(rnd.lognormvariate(8.5, 1.2) * 1000)  # median ~80 min
            row = {"acc": acc, "post": post["id"], "eid": f"e{next(eid)}", "at": post["at"] + delay}
            (retweets if rnd.random() < 0.7 else replies).append(row)
        for k in range(rnd.randint(10, 40)):
            own.append({"acc": acc, "eid": f"e{next(eid)}", "at": T0 + rnd.randint(0, 200) * HOUR, "mention": None})
    # 5 network accounts: every action aimed at a target, within 10-40 s
    for i in range(5):
        for post in posts[: 12 + i]:
            row = {"acc": f"net{i}", "post": post["id"], "eid": f"e{next(eid)}", "at": post["at"] + rnd.randint(10, 40) * 1000}
            (retweets if rnd.random() < 0.8 else replies).append(row)
        own.append({"acc": f"net{i}", "eid": f"e{next(eid)}", "at": T0 + HOUR, "mention": "T0"})
    # decoys: one retweet only (fully "exclusive" but says nothing), and a fast fan with two quick retweets
    retweets.append({"acc": "once", "post": "p3", "eid": f"e{next(eid)}", "at": posts[3]["at"] + 15_000})
    for k in (5, 6):
        retweets.append({"acc": "quick2", "post": f"p{k}", "eid": f"e{next(eid)}", "at": posts[k]["at"] + 20_000})
    for k in range(30):
        own.append({"acc": "quick2", "eid": f"e{next(eid)}", "at": T0 + k * HOUR, "mention": None})
    # an account that never engages a target is not in the benchmark at all
    own.append({"acc": "elsewhere", "eid": f"e{next(eid)}", "at": T0, "mention": None})
    driver.execute_query(RETWEETS, rows=retweets)
    driver.execute_query(REPLIES, rows=replies)
    driver.execute_query(OWN_POSTS, rows=own)


def test_exclusivity_flags_accounts_that_only_engage_targets(clean_db):
    _scenario(clean_db)
    result = exclusivity(clean_db)
    assert_json_ready(result)
    scores = result.accounts.set_index("account_id")
    net = [f"net{i}" for i in range(5)]
    assert "elsewhere" not in scores.index and "T0" not in scores.index
    assert len(scores) == 47
    top5 = set(result.accounts["account_id"].head(5))
    assert top5 == set(net)
    # one target retweet out of one action is fully exclusive but weak evidence
    assert scores.loc["once", "score"] < min(scores.loc[net, "score"]) / 3
    detail = scores.loc["net0", "detail"]
    assert detail["aimed"] == detail["total"] == 13 and detail["share"] == 1.0
    assert detail["mentions_of_targets"] == 1
    assert detail["retweets_of_targets"] + detail["replies_to_targets"] == 12
    assert detail["benchmark_mean_share"] < 0.5
    organic = scores.loc[[f"org{i:02d}" for i in range(40)], "score"]
    assert organic.max() < min(scores.loc[net, "score"])


def test_exclusivity_is_silent_when_all_data_is_target_engagement(clean_db):
    clean_db.execute_query(TARGET_POSTS, rows=[{"target": "T0", "id": "p0", "at": T0}])
    clean_db.execute_query(RETWEETS, rows=[{"acc": f"a{i}", "post": "p0", "eid": f"e{i}", "at": T0 + i} for i in range(10)])
    result = exclusivity(clean_db)
    assert_json_ready(result)
    assert len(result.accounts) == 10
    assert (result.accounts["score"] == 0).all()


def test_latency_flags_fast_reactors_versus_benchmark(clean_db):
    _scenario(clean_db)
    result = latency(clean_db)
    assert_json_ready(result)
    scores = result.accounts.set_index("account_id")
    net = [f"net{i}" for i in range(5)]
    # fewer than 3 engagements are not scored
    assert "once" not in scores.index and "quick2" not in scores.index
    assert set(result.accounts["account_id"].head(5)) == set(net)
    assert min(scores.loc[net, "score"]) > 4
    organic = scores.loc[[f"org{i:02d}" for i in range(40)], "score"]
    assert organic.max() < 3
    detail = scores.loc["net1", "detail"]
    assert detail["engagements"] == 13
    assert 10 <= detail["median_s"] <= 40 and detail["share_within_fast_s"] == 1.0
    assert detail["benchmark_median_s"] > 600
    assert detail["p_value"] < 1e-5
    assert result.params == {"min_engagements": 3, "fast_s": 60}
    # with min_engagements=2 the quick fan is scored too: fast, but two engagements are weak evidence
    loose = latency(clean_db, min_engagements=2).accounts.set_index("account_id")
    assert loose.loc["quick2", "score"] < min(scores.loc[net, "score"])
