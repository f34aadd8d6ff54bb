// Engagements (retweets, replies, quotes) of each target's posts by other accounts, counted per kind,
// optionally per Monday-based UTC week, split by whether the engaging account is in $account_ids, per target
// post (the impact's bootstrap resamples posts).
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
WITH target_id, kind, a.id IN $account_ids AS in_set, p.id AS post,
     CASE WHEN $weekly AND at_ms IS NOT NULL
          THEN toString(date.truncate('week', datetime({epochMillis: at_ms}))) END AS week
RETURN target_id, kind, week, in_set, post, count(*) AS n
