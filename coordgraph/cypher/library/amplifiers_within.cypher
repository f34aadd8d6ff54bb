// Who amplified (retweeted, replied to, quoted) a given post within $window_s seconds of the post or of the
// previous amplification, in order, with each account's flagged cluster in the run.
// Parameters:
//   post (required)  post (tweet) id
//   window_s         seconds
//   run_id           run id for cluster membership; null = the latest run
// :param post => "1234567890"
// :param window_s => 60
// :param run_id => null
OPTIONAL CALL () {
  MATCH (r:Run)
  RETURN r.id AS latest
  ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC
  LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (p:Tweet {id: $post})
CALL (p) {
  MATCH (a:Account)-[r:RETWEETED]->(p)
  RETURN a, 'retweet' AS action, r.at_ms AS at_ms
  UNION ALL
  MATCH (a:Account)-[:POSTED]->(e:Tweet)-[:REPLY_TO|QUOTES]->(p)
  RETURN a, coalesce(e.kind, 'reply') AS action, e.created_ms AS at_ms
}
WITH run_id, p, a, action, at_ms
ORDER BY at_ms
WITH run_id, p, collect({a: a, action: action, at_ms: at_ms}) AS events
UNWIND range(0, size(events) - 1) AS i
WITH run_id, p, events[i].a AS a, events[i].action AS action, events[i].at_ms AS at_ms,
     CASE WHEN i > 0 THEN (events[i].at_ms - events[i - 1].at_ms) / 1000.0 END AS after_previous_s
WITH run_id, p, a, action, at_ms, after_previous_s, (at_ms - p.created_ms) / 1000.0 AS after_post_s
WHERE after_post_s <= $window_s OR after_previous_s <= $window_s
OPTIONAL MATCH (a)-[:MEMBER_OF {run_id: run_id}]->(c:Cluster)
RETURN a.username AS account, a.id AS account_id, action, datetime({epochMillis: at_ms}) AS at,
       after_post_s, after_previous_s, c.number AS cluster, c.coordinated AS flagged
ORDER BY at_ms
