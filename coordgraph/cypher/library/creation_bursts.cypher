// Account-creation bursts: windows of $minutes in which at least $min_accounts of the accounts were created,
// with how many of them sit in flagged clusters of the run.
// Parameters:
//   minutes       window length in minutes
//   min_accounts  smallest burst to show
//   run_id        run id for cluster membership; null = the latest run
// :param minutes => 10
// :param min_accounts => 3
// :param run_id => null
OPTIONAL CALL () {
  MATCH (r:Run)
  RETURN r.id AS latest
  ORDER BY CASE WHEN r.finished_at IS NULL THEN 1 ELSE 0 END, r.started_at DESC
  LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (a:Account)
WHERE a.created_ms IS NOT NULL
WITH run_id, a, a.created_ms / ($minutes * 60000) AS slot
WITH run_id, slot, collect(a) AS accounts
WHERE size(accounts) >= $min_accounts
RETURN datetime({epochMillis: slot * $minutes * 60000}) AS window_start, size(accounts) AS created,
       size([x IN accounts WHERE EXISTS { (x)-[:MEMBER_OF {run_id: run_id}]->(:Cluster {coordinated: true}) }]) AS flagged,
       [x IN accounts | x.username][..20] AS usernames
ORDER BY created DESC, window_start
