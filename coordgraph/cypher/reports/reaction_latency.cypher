// Delay in seconds between a target's post and each engagement of it (retweet, reply, quote), with the
// cluster of the run the engaging account belongs to (null: the benchmark of other engaging accounts),
// counted in quarter-decade bins: bin = floor(4 * log10(seconds)), so bin 7 is 56 s to 100 s.
MATCH (t:Target)-[:POSTED]->(p:Tweet)
WHERE p.created_ms IS NOT NULL
CALL (t, p) {
  MATCH (p)<-[r:RETWEETED]-(a:Account)
  WHERE a <> t
  RETURN a, r.at_ms AS at_ms
  UNION ALL
  MATCH (p)<-[:REPLY_TO|QUOTES]-(e:Tweet)<-[:POSTED]-(a:Account)
  WHERE a <> t
  RETURN a, e.created_ms AS at_ms
}
WITH a, (at_ms - p.created_ms) / 1000.0 AS latency_s
WHERE latency_s IS NOT NULL AND latency_s >= 0
CALL (a) {
  OPTIONAL MATCH (a)-[:MEMBER_OF {run_id: $run_id}]->(c:Cluster)
  RETURN c ORDER BY c.number LIMIT 1
}
WITH c.number AS cluster, latency_s,
     toInteger(floor(log10(CASE WHEN latency_s < 1.0 THEN 1.0 ELSE latency_s END) * 4)) AS bin
RETURN cluster, bin, count(*) AS n
ORDER BY cluster, bin
