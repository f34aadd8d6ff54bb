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
