"""Language signal: a shared templated phrase versus varied text, against the benchmark of engaging accounts."""

from __future__ import annotations

import random

from coordgraph.analytics.signals.language import language
from helpers import assert_json_ready

POSTS = """
MERGE (g:Account:Target {id: 'amb'})
MERGE (tp:Tweet {id: 'amb-post'})
MERGE (g)-[:POSTED]->(tp)
WITH tp
UNWIND $rows AS row
MERGE (a:Account {id: row.acc})
CREATE (a)-[:POSTED]->(p:Tweet {id: row.id, text: row.text, created_ms: 1600000000000, kind: 'reply', stub: false})
CREATE (p)-[:REPLY_TO]->(tp)
"""
# posts by an account that never engages the target: outside the benchmark
ELSEWHERE = """
CREATE (a:Account {id: 'elsewhere'})
CREATE (a)-[:POSTED]->(:Tweet {id: 'x1', text: 'firmly supports the ambassador clear message today', kind: 'original'})
CREATE (a)-[:POSTED]->(:Tweet {id: 'x2', text: 'firmly supports the ambassador clear message again', kind: 'original'})
"""

WORDS = ("policy trade tea rain london weather football match school city bus train market music film book "
         "garden coffee news vote council park river bridge museum festival summer winter holiday family").split()
COMMON = ["thank you for sharing", "i think this is", "what a great day", "well said"]
TEMPLATE = "firmly supports the ambassador clear message"


def _scenario(driver):
    rnd = random.Random(11)
    rows = []
    for i in range(40):
        for k in range(6):
            words = rnd.sample(WORDS, 7)
            text = f"{rnd.choice(COMMON)} {' '.join(words)} https://t.co/x{k} @someone"
            rows.append({"acc": f"org{i:02d}", "id": f"o{i}-{k}", "text": text})
        # each organic account has its own pet phrase: distinctive for it, but shared with nobody
        rows.append({"acc": f"org{i:02d}", "id": f"o{i}-pet", "text": f"my own motto number {i} forever and ever"})
        rows.append({"acc": f"org{i:02d}", "id": f"o{i}-pet2", "text": f"my own motto number {i} forever"})
    for i in range(5):
        for k in range(6):
            words = rnd.sample(WORDS, 5)
            text = f"{TEMPLATE} {' '.join(words)}" if k < 4 else f"{rnd.choice(COMMON)} {' '.join(words)}"
            rows.append({"acc": f"net{i}", "id": f"n{i}-{k}", "text": text})
    # retweet texts are not the account's own words
    for i in range(3):
        rows.append({"acc": f"org{i:02d}", "id": f"rt{i}", "text": f"RT @amb: {TEMPLATE} indeed"})
    driver.execute_query(POSTS, rows=rows)
    driver.execute_query(ELSEWHERE)


def test_shared_templated_phrase_links_network_not_varied_text(clean_db):
    _scenario(clean_db)
    result = language(clean_db)
    assert_json_ready(result)
    net = {f"net{i}" for i in range(5)}
    scores = result.accounts.set_index("account_id")
    assert "elsewhere" not in scores.index and "amb" not in scores.index
    assert len(scores) == 45
    assert set(result.accounts["account_id"].head(5)) == net
    assert (scores.loc[sorted(net), "score"] > 3).all()

    linked = set(result.pairs["a"]) | set(result.pairs["b"])
    assert linked == net
    assert len(result.pairs) == 10
    top_pair = result.pairs.iloc[0]
    assert any(p in TEMPLATE for p in top_pair["posts"])
    assert "firmly supports" in top_pair["posts"] and "ambassador clear message" in top_pair["posts"]

    detail = scores.loc["net2", "detail"]
    phrases = {p["phrase"]: p for p in detail["top_phrases"]}
    assert phrases["firmly supports"]["uses"] == 4 and phrases["firmly supports"]["accounts"] == 5
    assert phrases["firmly supports"]["shared"] and phrases["firmly supports"]["log_odds"] > 1
    assert detail["posts"] == 6
    # organic accounts: chance overlaps of rare word pairs and each one's own pet phrase link no one
    organic = scores.loc[[f"org{i:02d}" for i in range(40)]]
    assert (organic["score"] == 0.0).all()
    assert all(p["uses"] >= 2 and not p["shared"] for d in organic["detail"] for p in d["top_phrases"])
    # the common openers are used by many accounts and never distinctive
    assert all("thank you" not in p for posts in result.pairs["posts"] for p in posts)


def test_without_engaging_filter_outside_accounts_join(clean_db):
    _scenario(clean_db)
    result = language(clean_db, engaging_only=False)
    assert "elsewhere" in set(result.accounts["account_id"])
    assert "elsewhere" in set(result.pairs["a"]) | set(result.pairs["b"])


