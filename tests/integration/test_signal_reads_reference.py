"""Signal reads rewritten for speed return exactly what the first, plainer queries returned (kept here)."""

from __future__ import annotations

import pandas as pd

from coordgraph import db
from coordgraph.analytics.signals.exclusivity import COLUMNS, exclusivity

# Exclusivity as first written: every non-target account visited, every action checked.
REFERENCE_EXCLUSIVITY = """
MATCH (a:Account)
WHERE NOT a:Target
CALL (a) {
  OPTIONAL MATCH (a)-[r:RETWEETED]->(t:Tweet)
  RETURN count(r) AS retweets,
         count(CASE WHEN EXISTS { (:Target)-[:POSTED]->(t) } THEN 1 END) AS target_retweets
}
CALL (a) {
  OPTIONAL MATCH (a)-[:POSTED]->(p:Tweet)
  WITH p,
       EXISTS { (p)-[:REPLY_TO]->(:Tweet)<-[:POSTED]-(:Target) } AS to_reply,
       EXISTS { (p)-[:QUOTES]->(:Tweet)<-[:POSTED]-(:Target) } AS to_quote,
       EXISTS { (p)-[:MENTIONS]->(:Target) } AS to_mention
  RETURN count(p) AS posts,
         count(CASE WHEN to_reply THEN 1 END) AS target_replies,
         count(CASE WHEN to_quote THEN 1 END) AS target_quotes,
         count(CASE WHEN to_mention AND NOT to_reply AND NOT to_quote THEN 1 END) AS target_mentions,
         count(CASE WHEN to_reply OR to_quote OR to_mention THEN 1 END) AS target_posts
}
WITH a, retweets, target_retweets, posts, target_replies, target_quotes, target_mentions, target_posts
WHERE target_retweets + target_posts > 0
RETURN a.id AS account_id,
       retweets + posts AS total,
       target_retweets + target_posts AS aimed,
       target_retweets, target_replies, target_quotes, target_mentions
"""

GRAPH = """
CREATE (t1:Account:Target {id: 't1'}), (t2:Account:Target {id: 't2'}), (pop:Account {id: 'pop'})
CREATE (t1)-[:POSTED]->(a:Tweet {id: 'a'}), (t1)-[:POSTED]->(b:Tweet {id: 'b'}), (t2)-[:POSTED]->(c:Tweet {id: 'c'})
CREATE (pop)-[:POSTED]->(o:Tweet {id: 'o'})
WITH t1, t2, pop, a, b, c, o
UNWIND range(0, 9) AS i
CREATE (u:Account {id: 'u' + i})
FOREACH (_ IN CASE WHEN i % 2 = 0 THEN [1] ELSE [] END | CREATE (u)-[:RETWEETED {id: 'r' + i}]->(a))
FOREACH (_ IN CASE WHEN i % 3 = 0 THEN [1] ELSE [] END | CREATE (u)-[:RETWEETED {id: 'rc' + i}]->(c))
FOREACH (_ IN range(1, i % 4) | CREATE (u)-[:RETWEETED {id: 'ro' + i + '-' + _}]->(o))
FOREACH (_ IN CASE WHEN i % 4 = 1 THEN [1] ELSE [] END |
  CREATE (u)-[:POSTED]->(p:Tweet {id: 'rep' + i})-[:REPLY_TO]->(b)
  CREATE (p)-[:MENTIONS]->(t1))
FOREACH (_ IN CASE WHEN i % 5 = 2 THEN [1] ELSE [] END | CREATE (u)-[:POSTED]->(:Tweet {id: 'q' + i})-[:QUOTES]->(c))
FOREACH (_ IN CASE WHEN i IN [3, 7] THEN [1] ELSE [] END |
  CREATE (u)-[:POSTED]->(m:Tweet {id: 'men' + i})-[:MENTIONS]->(t2)
  CREATE (m)-[:MENTIONS]->(t1))
FOREACH (_ IN CASE WHEN i = 9 THEN [1] ELSE [] END | CREATE (u)-[:POSTED]->(:Tweet {id: 'own9'})-[:REPLY_TO]->(o))
"""


def test_exclusivity_read_equals_reference(clean_db):
    clean_db.execute_query(GRAPH)
    # a target engaging the other target is never scored
    clean_db.execute_query("MATCH (t2:Target {id: 't2'}), (a:Tweet {id: 'a'}) CREATE (t2)-[:RETWEETED {id: 'tt'}]->(a)")
    got = pd.DataFrame(db.read(clean_db, "signals/exclusivity"), columns=COLUMNS)
    want = pd.DataFrame([dict(r) for r in clean_db.execute_query(REFERENCE_EXCLUSIVITY).records], columns=COLUMNS)
    pd.testing.assert_frame_equal(got.sort_values("account_id").reset_index(drop=True),
                                  want.sort_values("account_id").reset_index(drop=True))
    assert list(got["account_id"]) == sorted(got["account_id"])  # one order whatever the store's
    assert {"t1", "t2", "pop"}.isdisjoint(got["account_id"])  # targets, and an account engaging only others
    for kind in ("target_retweets", "target_replies", "target_quotes", "target_mentions"):
        assert got[kind].sum() > 0
    assert got.set_index("account_id").loc["u7", "aimed"] == 2  # one mention of both targets is one aimed post
    assert len(exclusivity(clean_db).accounts) == len(got)


# The engaging accounts' texts as first read: every account tested for its engagement, one row per post.
REFERENCE_ENGAGING_TEXTS = """
MATCH (a:Account)
WHERE NOT $engaging_only
   OR EXISTS { (a)-[:RETWEETED]->(:Tweet)<-[:POSTED]-(:Target) }
   OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:REPLY_TO|QUOTES]->(:Tweet)<-[:POSTED]-(:Target) }
   OR EXISTS { (a)-[:POSTED]->(:Tweet)-[:MENTIONS]->(:Target) }
CALL (a) {
  MATCH (a)-[:POSTED]->(t:Tweet)
  WHERE t.text IS NOT NULL AND NOT coalesce(t.stub, false)
  RETURN t
}
RETURN a.id AS account_id, a:Target AS target, t.id AS post_id, t.kind AS kind, t.created_ms AS at, t.text AS text
"""

TEXTS = """
UNWIND [['a', 'reply', 1000, 'hello there'], ['b', 'quote', null, 'no time'], ['rep1', null, 3000, 'no kind'],
        ['q2', 'quote', 4000, 'a quote'], ['men3', 'original', 5000, 'mentions'], ['own9', 'reply', 6000, 'to pop'],
        ['o', 'original', 7000, 'popular'], ['c', 'original', 8000, null]] AS row
MATCH (t:Tweet {id: row[0]})
SET t.kind = row[1], t.created_ms = row[2], t.text = row[3]
WITH count(*) AS done
MATCH (u:Account {id: 'u5'})
CREATE (u)-[:POSTED]->(:Tweet {id: 'stub5', kind: 'reply', created_ms: 9000, text: 'a stub', stub: true})
CREATE (u)-[:POSTED]->(:Tweet {id: 'loud5', kind: 'original', created_ms: 9500, text: 'kept'})
"""


def test_engaging_texts_equal_reference(clean_db):
    """Engaging accounts found from the targets' side and each account's posts sent as one row give the rows of
    the per-post reference read, with and without the engagement filter; missing kinds and times stay missing."""
    from coordgraph.analytics.signals.spec import engaging_texts

    clean_db.execute_query(GRAPH)
    clean_db.execute_query(TEXTS)
    for engaging_only in (True, False):
        got = engaging_texts(clean_db, engaging_only=engaging_only)
        want = [list(r.values()) for r in clean_db.execute_query(REFERENCE_ENGAGING_TEXTS, engaging_only=engaging_only).records]
        assert sorted(got, key=repr) == sorted(want, key=repr) and len(got) >= 5
    engaged = {r[0] for r in engaging_texts(clean_db)}
    everyone = {r[0] for r in engaging_texts(clean_db, engaging_only=False)}
    assert {"pop", "t1"} <= everyone - engaged  # they engage no target (t1 is one)
    assert {"u1", "u2", "u3", "u5", "u9"} <= engaged and "stub5" not in {r[2] for r in engaging_texts(clean_db)}
    assert ["b", "quote", None, "no time"] in [r[2:] for r in engaging_texts(clean_db, engaging_only=False)]
    assert ["rep1", None, 3000, "no kind"] in [r[2:] for r in engaging_texts(clean_db)]


def test_plain_reads_equal_record_data(clean_db):
    """The signal reads that skip ``Record.data()`` (``db.read_plain``) give the same dicts as ``db.read``."""
    clean_db.execute_query(GRAPH)
    clean_db.execute_query(TEXTS)
    clean_db.execute_query("MATCH (a:Account) SET a.created_ms = 1000 * size(a.id), a.description = 'bio ' + a.id")
    clean_db.execute_query("MATCH (:Account {id: 'u3'})-[r:RETWEETED]->() SET r.at_ms = 86400000 * 40")
    for name, params in [("signals/lifecycle_activity", {"min_silence_ms": 1}), ("signals/lifecycle_creation", {"active_only": True}),
                         ("signals/latency", {}), ("signals/profile", {"active_only": False}), ("signals/exclusivity", {})]:
        plain, converted = db.read_plain(clean_db, name, **params), db.read(clean_db, name, **params)
        assert plain == converted and len(plain) > 0, name
    activity = db.read_plain(clean_db, "signals/lifecycle_activity", min_silence_ms=1)
    assert any(isinstance(r["hours"], list) and r["hours"] for r in activity)
