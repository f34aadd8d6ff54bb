// The strongest evidence edges of a run: which pairs of accounts are most tightly coordinated, by signal.
// Parameters:
//   run_id  run id; null = the latest run
//   signal  only this signal (e.g. "co_retweet"); null = every signal
//   limit   at most this many pairs
// :param run_id => null
// :param signal => null
// :param limit => 25
CALL () {
  MATCH (r:Run)
  RETURN r.id AS latest
  ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC
  LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (a:Account)-[e:COORDINATED {run_id: run_id}]->(b:Account)
WHERE $signal IS NULL OR e.signal = $signal
RETURN a.username AS account_a, b.username AS account_b, e.signal AS signal, e.weight AS weight,
       e.count AS count, e.first_at AS first_at, e.last_at AS last_at, e.posts[..10] AS posts
ORDER BY weight DESC, count DESC
LIMIT $limit
