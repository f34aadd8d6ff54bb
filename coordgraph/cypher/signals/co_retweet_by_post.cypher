// signals/co_retweet.cypher's actions as detection reads them: the same retweets, times, event ids and anchors,
// one row per retweeted post with its retweets as [acc, at, eid, anchor] lists, the shape of
// signals/co_retweet.cypher followed by signals/events_by_object.cypher (a test checks both give the same
// actions). Grouping every retweet in one aggregation cost the server about twice as much as a subquery per post
// (about 10 s against 5 s for 600,000 retweets); the posts entered are those with a retweet (a degree check).
MATCH (t:Tweet)
WHERE EXISTS { (t)<-[:RETWEETED]-() }
CALL (t) {
  MATCH (a:Account)-[r:RETWEETED]->(t)
  WHERE r.at_ms IS NOT NULL
  RETURN collect([a.id, r.at_ms,
                  CASE WHEN r.id ENDS WITH '#' + t.id THEN left(r.id, size(r.id) - size(t.id) - 1) ELSE r.id END,
                  t.created_ms]) AS events
}
WITH t, events
WHERE size(events) > 0
RETURN t.id AS key, events
