// Reaction latency: per :Target post, every engagement (retweet, reply, quote) of a :Target's post by a non-target account,
// with the engaging account, its kind and the delay in ms from the post to the engagement. The post's time falls back to
// its snowflake id when only the id is known (stub posts): (id >> 22) + 1288834974657.
MATCH (tg:Target)-[:POSTED]->(t:Tweet)
WITH tg, t, coalesce(t.created_ms,
                 CASE WHEN t.id =~ '[0-9]{15,20}' THEN toInteger(t.id) / 4194304 + 1288834974657 END) AS posted_ms
WHERE posted_ms IS NOT NULL
CALL (t) {
  MATCH (a:Account)-[r:RETWEETED]->(t)
  WHERE NOT a:Target AND r.at_ms IS NOT NULL
  RETURN a.id AS account_id, r.at_ms AS at, 'retweet' AS kind
  UNION ALL
  MATCH (a:Account)-[:POSTED]->(p:Tweet)-[rel:REPLY_TO|QUOTES]->(t)
  WHERE NOT a:Target AND p.created_ms IS NOT NULL
  RETURN a.id AS account_id, p.created_ms AS at, CASE type(rel) WHEN 'REPLY_TO' THEN 'reply' ELSE 'quote' END AS kind
}
WITH tg, t, account_id, kind, at - posted_ms AS latency_ms
WHERE latency_ms >= 0
// one row per post with its engagements as parallel lists: far fewer records to send than one per engagement
RETURN tg.id AS target_id, t.id AS post_id, collect(account_id) AS account_ids, collect(kind) AS kinds,
       collect(latency_ms) AS latencies_ms
