// signals/co_tweet.cypher's actions as detection reads them: the same posts, times and event ids, one row per
// account with its posts as [obj, at, eid, anchor] lists, the shape of signals/co_tweet.cypher followed by
// signals/events_by_account.cypher (a test checks both give the same actions). Reading each account's posts in a
// subquery cost the server about half of one aggregation over every post (3 s against 5 s for 400,000 posts).
// 'e4a6a0577479b2b4' is the hash of the empty normalised text, as in signals/co_tweet.cypher.
MATCH (a:Account)
CALL (a) {
  MATCH (a)-[:POSTED]->(p:Tweet)
  WHERE p.text_hash IS NOT NULL AND p.text_hash <> 'e4a6a0577479b2b4' AND p.created_ms IS NOT NULL
    AND NOT coalesce(p.stub, false)
  RETURN collect([p.text_hash, p.created_ms, p.id, null]) AS events
}
WITH a, events
WHERE size(events) > 0
RETURN a.id AS key, events
