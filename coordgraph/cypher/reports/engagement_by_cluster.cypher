// Engagements (retweets, replies, quotes) of each target's posts by other accounts, counted per kind,
// optionally per Monday-based UTC week, and per cluster of the run the engaging account belongs to
// (cluster null: not a member of any cluster of that run).
UNWIND $target_ids AS target_id
MATCH (t:Target {id: target_id})
CALL (t) {
  MATCH (t)-[:POSTED]->(:Tweet)<-[r:RETWEETED]-(a:Account)
  WHERE a <> t
  RETURN a, 'retweet' AS kind, r.at_ms AS at_ms
  UNION ALL
  MATCH (t)-[:POSTED]->(:Tweet)<-[:REPLY_TO]-(e:Tweet)<-[:POSTED]-(a:Account)
  WHERE a <> t
  RETURN a, 'reply' AS kind, e.created_ms AS at_ms
  UNION ALL
  MATCH (t)-[:POSTED]->(:Tweet)<-[:QUOTES]-(e:Tweet)<-[:POSTED]-(a:Account)
  WHERE a <> t
  RETURN a, 'quote' AS kind, e.created_ms AS at_ms
}
CALL (a) {
  OPTIONAL MATCH (a)-[:MEMBER_OF {run_id: $run_id}]->(c:Cluster)
  RETURN c ORDER BY c.number LIMIT 1
}
WITH target_id, kind, c,
     CASE WHEN $weekly AND at_ms IS NOT NULL
          THEN toString(date.truncate('week', datetime({epochMillis: at_ms}))) END AS week
RETURN target_id, kind, week, c.number AS cluster, coalesce(c.coordinated, false) AS coordinated, count(*) AS n
