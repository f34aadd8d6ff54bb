// Engagements (retweets, replies, quotes) of each target's posts by other accounts, counted per kind,
// optionally per Monday-based UTC week, and per cluster of the run the engaging account belongs to
// (cluster null: not a member of any cluster of that run), per target post (the impact's bootstrap resamples
// posts) and by whether the member's own p-value is at most $confident_p (the share without the least certain).
// `held`: for an account a coordinated cluster held back as unconfirmed, that cluster's number ($unconfirmed maps
// account id -> cluster number); null otherwise.
// With $since_ms / $until_ms (epoch ms, null: open) only engagements made inside [since, until) count, on target
// posts not known to be created outside it.
UNWIND $target_ids AS target_id
MATCH (t:Target {id: target_id})
CALL (t) {
  MATCH (t)-[:POSTED]->(p:Tweet)<-[r:RETWEETED]-(a:Account)
  WHERE a <> t
  RETURN a, p, 'retweet' AS kind, r.at_ms AS at_ms
  UNION ALL
  MATCH (t)-[:POSTED]->(p:Tweet)<-[:REPLY_TO]-(e:Tweet)<-[:POSTED]-(a:Account)
  WHERE a <> t
  RETURN a, p, 'reply' AS kind, e.created_ms AS at_ms
  UNION ALL
  MATCH (t)-[:POSTED]->(p:Tweet)<-[:QUOTES]-(e:Tweet)<-[:POSTED]-(a:Account)
  WHERE a <> t
  RETURN a, p, 'quote' AS kind, e.created_ms AS at_ms
}
WITH * WHERE ($since_ms IS NULL OR (at_ms >= $since_ms AND coalesce(p.created_ms, $since_ms) >= $since_ms))
         AND ($until_ms IS NULL OR (at_ms < $until_ms AND coalesce(p.created_ms, -1) < $until_ms))
CALL (a) {
  OPTIONAL MATCH (a)-[m:MEMBER_OF {run_id: $run_id}]->(c:Cluster)
  RETURN c, m ORDER BY c.number LIMIT 1
}
WITH target_id, kind, c, p.id AS post, coalesce(m.p_value <= $confident_p, false) AS confident, $unconfirmed[a.id] AS held,
     CASE WHEN $weekly AND at_ms IS NOT NULL
          THEN toString(date.truncate('week', datetime({epochMillis: at_ms}))) END AS week
RETURN target_id, kind, week, c.number AS cluster, coalesce(c.coordinated, false) AS coordinated, post, confident,
       held, count(*) AS n
