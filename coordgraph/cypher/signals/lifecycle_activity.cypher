// Per non-target account: its activity times (posts and retweets) sorted, reduced to the silences of at least
// $min_silence_ms between consecutive actions, plus its creation time and first action. Only the gaps leave
// the server, so the query stays set-based and small however many events there are.
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
WITH a, ms
ORDER BY ms
WITH a, collect(ms) AS times
RETURN a.id AS account_id,
       a.created_ms AS created_ms,
       times[0] AS first_ms,
       times[-1] AS last_ms,
       size(times) AS events,
       [i IN range(1, size(times) - 1) WHERE times[i] - times[i - 1] >= $min_silence_ms | [times[i - 1], times[i]]] AS gaps
