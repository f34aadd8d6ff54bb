// Activity level over time: for every hour (epoch ms / 3600000) the number of distinct non-target accounts
// that posted or retweeted in it. The dormancy signal's null expects activations in proportion to it.
MATCH (a:Account)
WHERE NOT a:Target
CALL (a) {
  MATCH (a)-[:POSTED]->(t:Tweet)
  WHERE t.created_ms IS NOT NULL
  RETURN DISTINCT t.created_ms / 3600000 AS hour
  UNION
  MATCH (a)-[r:RETWEETED]->(:Tweet)
  WHERE r.at_ms IS NOT NULL
  RETURN DISTINCT r.at_ms / 3600000 AS hour
}
RETURN hour, count(*) AS accounts
