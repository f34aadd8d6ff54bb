// Hour-of-week activity counts per non-target account, from its posts and retweets. Bin 0 is Monday
// 00:00-00:59 UTC; the Unix epoch fell on a Thursday, hence the 72-hour offset.
MATCH (a:Account)
WHERE NOT a:Target
CALL (a) {
  MATCH (a)-[:POSTED]->(t:Tweet)
  WHERE t.created_ms IS NOT NULL
  RETURN t.created_ms AS ms
  UNION ALL
  MATCH (a)-[r:RETWEETED]->(:Tweet)
  WHERE r.at_ms IS NOT NULL
  RETURN r.at_ms AS ms
}
WITH a.id AS account_id, (ms / 3600000 + 72) % 168 AS bin
RETURN account_id, bin, count(*) AS events
