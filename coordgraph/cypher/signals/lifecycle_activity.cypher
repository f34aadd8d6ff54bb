// Per non-target account: its activity times (posts and retweets) sorted, reduced to the silences of at least
// $min_silence_ms between consecutive actions, plus its creation time, first action and the distinct hours
// (epoch ms / 3600000) it acted in (summed over accounts they give the activity level the dormancy null
// follows). Only the gaps and hours leave the server, one record per account, from one pass over the actions.
MATCH (a:Account)
WHERE NOT a:Target
CALL (a) {
  CALL (a) {
    MATCH (a)-[:POSTED]->(t:Tweet)
    WHERE t.created_ms IS NOT NULL
    RETURN t.created_ms AS ms
    UNION ALL
    MATCH (a)-[r:RETWEETED]->(:Tweet)
    WHERE r.at_ms IS NOT NULL
    RETURN r.at_ms AS ms
  }
  WITH ms
  ORDER BY ms
  RETURN collect(ms) AS times
}
WITH a, times
WHERE size(times) > 0
RETURN a.id AS account_id,
       a.created_ms AS created_ms,
       times[0] AS first_ms,
       times[-1] AS last_ms,
       size(times) AS events,
       [i IN range(1, size(times) - 1) WHERE times[i] - times[i - 1] >= $min_silence_ms | [times[i - 1], times[i]]] AS gaps,
       // times are sorted, so an hour differing from the previous action's is a new one
       [i IN range(0, size(times) - 1) WHERE i = 0 OR times[i] / 3600000 <> times[i - 1] / 3600000 | times[i] / 3600000] AS hours
