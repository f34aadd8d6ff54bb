// Daily activity (posts and retweets) of the members of the run's flagged clusters, for timelines; with
// $since_ms / $until_ms (epoch ms, null: open) only the actions inside [since, until).
MATCH (a:Account)-[:MEMBER_OF {run_id: $run_id}]->(c:Cluster {run_id: $run_id})
WHERE c.coordinated
CALL (a) {
  MATCH (a)-[:POSTED]->(p:Tweet)
  WHERE p.created_ms IS NOT NULL
  RETURN p.created_ms AS at_ms
  UNION ALL
  MATCH (a)-[r:RETWEETED]->(:Tweet)
  WHERE r.at_ms IS NOT NULL
  RETURN r.at_ms AS at_ms
}
WITH * WHERE ($since_ms IS NULL OR at_ms >= $since_ms) AND ($until_ms IS NULL OR at_ms < $until_ms)
RETURN c.number AS cluster, a.id AS account_id, a.username AS username, at_ms / 86400000 AS day, count(*) AS n
ORDER BY cluster, account_id, day
