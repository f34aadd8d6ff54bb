// Delay in seconds between a target's post and each engagement of it (retweet, reply, quote), with the
// cluster of the run the engaging account belongs to (null: the benchmark of other engaging accounts),
// summarised per cluster: quartiles and how many engagements came within $window_s seconds.
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
RETURN c.number AS cluster, count(*) AS n,
       percentileCont(latency_s, 0.25) AS p25_s, percentileCont(latency_s, 0.5) AS median_s,
       percentileCont(latency_s, 0.75) AS p75_s,
       count(CASE WHEN latency_s <= $window_s THEN 1 END) AS within_window
ORDER BY cluster
