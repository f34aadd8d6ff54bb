// Engagements of :Target accounts' posts (retweets, replies, quotes), one row per action: the events
// signals/rapid_follow_on.cypher pairs (same MATCH), exported for the vectorised pairing in Python.
MATCH (:Target)-[:POSTED]->(t:Tweet)
CALL (t) {
  MATCH (a:Account)-[r:RETWEETED]->(t)
  WHERE r.at_ms IS NOT NULL
  RETURN a.id AS acc, r.at_ms AS at, r.id AS eid
  UNION ALL
  MATCH (a:Account)-[:POSTED]->(p:Tweet)-[:REPLY_TO|QUOTES]->(t)
  WHERE p.created_ms IS NOT NULL
  RETURN a.id AS acc, p.created_ms AS at, p.id AS eid
}
RETURN t.id AS obj, acc, at, eid, t.created_ms AS anchor
