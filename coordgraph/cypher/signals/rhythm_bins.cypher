// Hour-of-week activity counts per non-target account, from its posts and retweets, in one pass over the
// actions (not one subquery per account); one row per account with parallel lists of bins and counts. Bin 0 is
// Monday 00:00-00:59 UTC; the Unix epoch fell on a Thursday, hence the 72-hour offset.
CALL () {
  MATCH (a:Account)-[:POSTED]->(t:Tweet)
  WHERE NOT a:Target AND t.created_ms IS NOT NULL
  RETURN a.id AS account_id, t.created_ms AS ms
  UNION ALL
  MATCH (a:Account)-[r:RETWEETED]->(:Tweet)
  WHERE NOT a:Target AND r.at_ms IS NOT NULL
  RETURN a.id AS account_id, r.at_ms AS ms
}
WITH account_id, (ms / 3600000 + 72) % 168 AS bin, count(*) AS events
RETURN account_id, collect(bin) AS bins, collect(events) AS counts
